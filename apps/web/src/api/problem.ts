import type { Problem } from './types';

/**
 * An HTTP call that did not succeed. `status` 0 means no answer at all (network down, server
 * stopped). `problem` is the server's problem+json body when it sent one.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  /** Seconds from the `Retry-After` header (a lockout, a rate limit), when the server sent it. */
  readonly retryAfterSeconds: number | null;

  constructor(
    status: number,
    problem: Problem | null,
    message: string,
    retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The server's stable error code (`INVALID_CREDENTIALS`, `ACCOUNT_LOCKED`, …), if any. */
  get code(): string | undefined {
    return this.problem?.code;
  }

  /** The server's human-readable explanation, when it gave one. */
  get detail(): string | undefined {
    return this.problem?.detail || this.problem?.title || undefined;
  }
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { status?: unknown }).status === 'number' &&
    typeof (body as { title?: unknown }).title === 'string'
  );
}

/** `Retry-After` in seconds; the HTTP-date form is not used by our server and is ignored. */
function retryAfterOf(headers: Headers | undefined): number | null {
  const raw = headers?.get('retry-after')?.trim();
  return raw && /^\d+$/.test(raw) ? Number(raw) : null;
}

/**
 * The error for a non-2xx answer. `body` is what came back, already parsed when it was JSON; a
 * proxy's HTML error page or an empty body is reported by status alone.
 */
export function apiErrorFrom(status: number, body: unknown, headers?: Headers): ApiError {
  const problem = isProblem(body) ? body : null;
  return new ApiError(
    status,
    problem,
    problem?.detail || problem?.title || `HTTP ${status}`,
    retryAfterOf(headers),
  );
}

/** The error for a request that got no answer at all. */
export function networkError(cause: unknown): ApiError {
  return new ApiError(0, null, cause instanceof Error ? cause.message : String(cause));
}
