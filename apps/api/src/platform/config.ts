import path from 'node:path';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './auth/password-policy.js';

/** Everything the process reads from its environment, parsed once. */
export interface Config {
  /** HTTP port (`PORT`, default 3000). */
  port: number;
  /** Interface to bind (`HOST`, default 0.0.0.0 so phones on the LAN can reach it). */
  host: string;
  /** External PostgreSQL for the app (`DATABASE_URL`); unset means the embedded server. */
  databaseUrl: string | undefined;
  /** Connection used to run migrations (`MIGRATION_DATABASE_URL`, default `DATABASE_URL`). */
  migrationDatabaseUrl: string | undefined;
  /** Allow `sslmode=disable` to a non-local host (`JINENG_ALLOW_INSECURE_DB=1`). */
  allowInsecureDb: boolean;
  /** Where the embedded database and keys live (`JINENG_DATA_DIR`, default `./data`). */
  dataDir: string;
  /** Run migrations at start against an external database (`JINENG_MIGRATE_ON_START=1`). */
  migrateOnStart: boolean;
  /** pino level (`LOG_LEVEL`, default info). */
  logLevel: string;
  /** Run the background job worker and scheduler in this process (`JINENG_JOBS`, default on). */
  runJobs: boolean;
  /**
   * Take the client address from X-Forwarded-For (`JINENG_TRUST_PROXY=1`): only behind a reverse
   * proxy that sets it, or anyone could pick an address and slip past the per-address limits.
   */
  trustProxy: boolean;
  /**
   * This server's public origin (`JINENG_PUBLIC_URL`, default `http://localhost:<PORT>`): the base
   * of the issuer and status-list URLs inside certificates' verifiable credentials.
   */
  publicUrl: string;
  /** Public certificate checks per client address and minute (`JINENG_VERIFY_RATE_LIMIT`, 0 off). */
  verifyRateLimit: number;
  /** Addresses and CIDR blocks exempt from it (`JINENG_VERIFY_RATE_LIMIT_ALLOW`, comma list). */
  verifyRateLimitAllow: string[];
  /** Password of the first administrator, `admin` (`JINENG_ADMIN_PASSWORD`); else generated. */
  adminPassword: string | undefined;
  /** `JINENG_PASSWORD_MIN_LENGTH` (default 8) and `JINENG_PASSWORD_MIN_CLASSES` (default 3). */
  passwordPolicy: PasswordPolicy;
}

function boundedInt(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function flag(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer between 0 and 65535, got "${env.PORT}"`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  return {
    port,
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    migrationDatabaseUrl: env.MIGRATION_DATABASE_URL || databaseUrl,
    allowInsecureDb: flag(env.JINENG_ALLOW_INSECURE_DB),
    dataDir: path.resolve(env.JINENG_DATA_DIR || 'data'),
    migrateOnStart: flag(env.JINENG_MIGRATE_ON_START),
    logLevel: env.LOG_LEVEL || 'info',
    runJobs: env.JINENG_JOBS === undefined ? true : flag(env.JINENG_JOBS),
    trustProxy: flag(env.JINENG_TRUST_PROXY),
    publicUrl: publicUrlOf(env.JINENG_PUBLIC_URL, port),
    verifyRateLimit: boundedInt(env, 'JINENG_VERIFY_RATE_LIMIT', 120, 0, 1_000_000),
    verifyRateLimitAllow: (env.JINENG_VERIFY_RATE_LIMIT_ALLOW ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
    adminPassword: env.JINENG_ADMIN_PASSWORD || undefined,
    passwordPolicy: {
      ...DEFAULT_PASSWORD_POLICY,
      minLength: boundedInt(
        env,
        'JINENG_PASSWORD_MIN_LENGTH',
        DEFAULT_PASSWORD_POLICY.minLength,
        8,
        64,
      ),
      minClasses: boundedInt(
        env,
        'JINENG_PASSWORD_MIN_CLASSES',
        DEFAULT_PASSWORD_POLICY.minClasses,
        1,
        4,
      ),
    },
  };
}

/** The public origin without a trailing slash; only http(s) URLs without a path are accepted. */
function publicUrlOf(raw: string | undefined, port: number): string {
  if (raw === undefined || raw === '') return `http://localhost:${port}`;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`JINENG_PUBLIC_URL is not a URL, got "${raw}"`);
  }
  if (!['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash) {
    throw new ConfigError(`JINENG_PUBLIC_URL must be an http(s) origin, got "${raw}"`);
  }
  return parsed.href.replace(/\/+$/, '');
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '']);

/**
 * Refuses a plaintext connection to a database on another machine: personal data would cross
 * the network unencrypted. `JINENG_ALLOW_INSECURE_DB=1` overrides (e.g. a private network).
 */
export function assertSafeDatabaseUrl(url: string, allowInsecure: boolean): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(
      'DATABASE_URL is not a valid URL (expected postgres://user:pass@host/db)',
    );
  }
  if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) {
    throw new ConfigError(`DATABASE_URL must start with postgres://, got ${parsed.protocol}//`);
  }
  const host = parsed.hostname;
  const isLocal = LOCAL_HOSTS.has(host) || host.startsWith('127.') || host.startsWith('/');
  if (!isLocal && parsed.searchParams.get('sslmode') === 'disable' && !allowInsecure) {
    throw new ConfigError(
      `DATABASE_URL uses sslmode=disable to the non-local host ${host}; ` +
        'use TLS or set JINENG_ALLOW_INSECURE_DB=1 if the network is trusted',
    );
  }
}
