import createClient from 'openapi-fetch';
import { ApiError, apiErrorFrom, networkError } from './problem';
import type { paths } from './schema';
import type {
  AuditQuery,
  ChangePasswordBody,
  CreateUserBody,
  LoginBody,
  Me,
  OccupationQuery,
  RegionQuery,
  UnitQuery,
  UpdateUserBody,
  UserQuery,
} from './types';

/**
 * Every request the web app makes goes through this file. The API is served by the same origin
 * under `/api` (in development Vite proxies it). The session is the HttpOnly cookie the server
 * sets at login: the browser sends it, and no token is ever kept in script-readable storage.
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

async function settle<T>(call: Promise<Outcome<T>>, signal?: AbortSignal): Promise<Outcome<T>> {
  let outcome: Outcome<T>;
  try {
    outcome = await call;
  } catch (cause) {
    // An abort is React Query cancelling a request nobody waits for; let it pass as is.
    if (signal?.aborted) throw cause;
    throw networkError(cause);
  }
  const { error, response } = outcome;
  if (!response.ok) throw apiErrorFrom(response.status, error, response.headers);
  return outcome;
}

/** Unwraps openapi-fetch's `{ data, error }` into a value or a thrown `ApiError`. */
async function unwrap<T>(call: Promise<Outcome<T>>, signal?: AbortSignal): Promise<T> {
  const { data, response } = await settle(call, signal);
  if (data === undefined) throw apiErrorFrom(response.status, undefined, response.headers);
  return data;
}

/** For answers without a body (204): success or a thrown `ApiError`. */
async function unwrapEmpty(call: Promise<Outcome<unknown>>): Promise<void> {
  await settle(call);
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

  auth: {
    /** The logged-in account, or `null` when nobody is (401). */
    me: async (signal?: AbortSignal): Promise<Me | null> => {
      try {
        return await unwrap(client.GET('/api/auth/me', { signal }), signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    login: (body: LoginBody) => unwrap(client.POST('/api/auth/login', { body })),
    logout: () => unwrapEmpty(client.POST('/api/auth/logout')),
    changePassword: (body: ChangePasswordBody) =>
      unwrapEmpty(client.POST('/api/auth/password', { body })),
  },

  users: {
    list: (query: UserQuery, signal?: AbortSignal) =>
      unwrap(client.GET('/api/users', { params: { query }, signal }), signal),
    create: (body: CreateUserBody) => unwrap(client.POST('/api/users', { body })),
    update: (id: string, body: UpdateUserBody) =>
      unwrap(client.PATCH('/api/users/{id}', { params: { path: { id } }, body })),
    resetPassword: (id: string) =>
      unwrap(client.POST('/api/users/{id}/reset-password', { params: { path: { id } } })),
    unlock: (id: string) =>
      unwrap(client.POST('/api/users/{id}/unlock', { params: { path: { id } } })),
  },

  audit: {
    search: (query: AuditQuery, signal?: AbortSignal) =>
      unwrap(client.GET('/api/audit', { params: { query }, signal }), signal),
  },
};
