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
    return this.problem?.detail ?? this.problem?.title;
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

/** Builds the error for a non-2xx response, reading its problem+json body when there is one. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let problem: Problem | null = null;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body: unknown = await response.json();
      if (isProblem(body)) problem = body;
    } catch {
      // A broken body is reported by status alone.
    }
  }
  return new ApiError(
    response.status,
    problem,
    problem?.detail ?? problem?.title ?? `HTTP ${response.status}`,
  );
}
