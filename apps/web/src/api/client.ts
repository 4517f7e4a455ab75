import createClient from 'openapi-fetch';
import { apiErrorFrom, networkError } from './problem';
import type { paths } from './schema';
import type { OccupationQuery, RegionQuery, UnitQuery } from './types';

/**
 * Every request the web app makes goes through this file. The API is served by the same origin
 * under `/api` (in development Vite proxies it).
 */
const client = createClient<paths>({
  // openapi-fetch builds a `Request`, which needs an absolute URL outside a browser (tests).
  baseUrl: globalThis.location?.origin ?? '',
  // Looked up on each call rather than captured once, so a replaced `fetch` is honoured.
  fetch: (request) => globalThis.fetch(request),
});

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Unwraps openapi-fetch's `{ data, error }` into a value or a thrown `ApiError`. */
async function unwrap<T>(call: Promise<Outcome<T>>, signal?: AbortSignal): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await call;
  } catch (cause) {
    // An abort is React Query cancelling a request nobody waits for; let it pass as is.
    if (signal?.aborted) throw cause;
    throw networkError(cause);
  }
  const { data, error, response } = outcome;
  if (!response.ok || data === undefined) throw apiErrorFrom(response.status, error);
  return data;
}

export const api = {
  health: (signal?: AbortSignal) => unwrap(client.GET('/api/health', { signal }), signal),
  regions: (query: RegionQuery = {}, signal?: AbortSignal) =>
    unwrap(client.GET('/api/regions', { params: { query }, signal }), signal),
  occupations: (query: OccupationQuery = {}, signal?: AbortSignal) =>
    unwrap(client.GET('/api/occupations', { params: { query }, signal }), signal),
  units: (query: UnitQuery = {}, signal?: AbortSignal) =>
    unwrap(client.GET('/api/units', { params: { query }, signal }), signal),
  plans: (signal?: AbortSignal) => unwrap(client.GET('/api/plans', { signal }), signal),
  skillLevels: (signal?: AbortSignal) =>
    unwrap(client.GET('/api/skill-levels', { signal }), signal),
};
