import { Cron } from 'croner';
import { TIME_ZONE } from '../clock.js';

/** Longest `last_error` kept: enough for a message, too short to store a dump. */
export const MAX_ERROR_LENGTH = 2000;

export interface RetryPolicy {
  /** Delay before the second attempt; each later attempt waits twice as long. */
  baseMs: number;
  /** Ceiling, so a job with many attempts still retries within a working day. */
  maxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 10_000, maxMs: 60 * 60_000 };

/**
 * How long to wait before retrying a job that has failed `attempts` times (1 → base, 2 → 2×base,
 * …, capped). Exponential, so a broken dependency is not hammered while it recovers.
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const exponent = Math.max(0, attempts - 1);
  // 2^31 keeps the product finite; the cap applies long before that matters.
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 31));
}

/**
 * The text stored in `last_error` for whatever a handler threw: the error's name and message
 * (and its causes'), never a stack trace, with credentials in URLs blanked and the whole cut to
 * {@link MAX_ERROR_LENGTH}. The column is read by operators in the admin UI, so it must not carry
 * what a stack or a connection string can leak.
 */
export function describeJobError(error: unknown, maxLength = MAX_ERROR_LENGTH): string {
  const parts: string[] = [];
  let current: unknown = error;
  // A short cause chain says what actually failed ("report failed: connect ECONNREFUSED").
  for (let depth = 0; depth < 3 && current !== undefined && current !== null; depth += 1) {
    parts.push(describeOne(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  const text = redact(parts.join(' ← caused by: ')).replace(/\s+/g, ' ').trim();
  const result = text === '' ? 'Unknown error' : text;
  return result.length <= maxLength ? result : `${result.slice(0, maxLength - 1)}…`;
}

function describeOne(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const codeText = typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : '';
    return `${error.name}${codeText}: ${error.message}`;
  }
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** Blanks `user:password@` in URLs and values of obvious secret-bearing parameters. */
function redact(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1***@')
    .replace(/\b(password|passwd|pwd|secret|token|api[_-]?key)=([^\s&;,]+)/gi, '$1=***');
}

/** Parses a cron expression in Shanghai time; throws a readable error when it is invalid. */
export function parseCron(expression: string): Cron {
  try {
    // Without a callback croner only computes dates: no timer is started.
    return new Cron(expression, { timezone: TIME_ZONE });
  } catch (error) {
    throw new Error(
      `Invalid cron expression "${expression}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * The most recent occurrence of `cron` in the half-open window (`after`, `now`], or undefined
 * when none is due. Only the latest counts: after an outage the scheduler catches up once
 * instead of enqueueing one job per missed day.
 */
export function latestOccurrence(cron: Cron, after: Date, now: Date): Date | undefined {
  const first = cron.nextRun(after);
  if (first === null || first.getTime() > now.getTime()) return undefined;
  // previousRuns looks strictly before its reference at whole-second precision, and occurrences
  // fall on whole seconds, so "before the next second" means "at or before now".
  const nextSecond = new Date(Math.floor(now.getTime() / 1000) * 1000 + 1000);
  const latest = cron.previousRuns(1, nextSecond)[0];
  return latest !== undefined && latest.getTime() >= first.getTime() ? latest : first;
}

/** The dedupe key of a schedule's occurrence: every process computes the same one. */
export function scheduleDedupeKey(scheduleName: string, occurrence: Date): string {
  return `schedule:${scheduleName}:${occurrence.toISOString()}`;
}
