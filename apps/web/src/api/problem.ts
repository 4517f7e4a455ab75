import type { Problem } from './types';

/**
 * An HTTP call that did not succeed. `status` 0 means no answer at all (network down, server
 * stopped). `problem` is the server's problem+json body when it sent one.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
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

/**
 * The error for a non-2xx answer. `body` is what came back, already parsed when it was JSON; a
 * proxy's HTML error page or an empty body is reported by status alone.
 */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  const problem = isProblem(body) ? body : null;
  return new ApiError(status, problem, problem?.detail || problem?.title || `HTTP ${status}`);
}

/** The error for a request that got no answer at all. */
export function networkError(cause: unknown): ApiError {
  return new ApiError(0, null, cause instanceof Error ? cause.message : String(cause));
}
