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

/** Query parameters whose values are personal data: logged as `[redacted]`. */
const SENSITIVE_QUERY = new Set(['phone', 'idnumber', 'name', 'q', 'actorusername', 'no']);

/** A request URL fit for a log line: the path, and the query with personal values blanked. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const key = pair.split('=', 1)[0] ?? '';
      return SENSITIVE_QUERY.has(decodeURIComponentSafe(key).toLowerCase())
        ? `${key}=[redacted]`
        : pair;
    })
    .join('&');
  return `${url.slice(0, at)}?${query}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      // Fastify's request line: never a phone or a name from a search in the log.
      req: (req: { method?: string; url?: string; hostname?: string; ip?: string }) => ({
        method: req.method,
        url: req.url === undefined ? undefined : redactUrl(req.url),
        host: req.hostname,
        remoteAddress: req.ip,
      }),
    },
  };
}

export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}
