import pino, { type Logger, type LoggerOptions } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a log line: credentials, tokens and personal data
 * (ID numbers, phones). Fastify's default request serializer logs no bodies or headers, and
 * these catch what a handler logs on purpose.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.token',
  '*.idNumber',
  '*.phone',
  '*.secret',
  'password',
  'token',
  'idNumber',
  'phone',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
}

export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}
