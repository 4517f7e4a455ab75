import createClient from 'openapi-fetch';
import { ApiError, apiErrorFrom, networkError } from './problem';
import type { paths } from './schema';
import type {
  ApplyVoucherBody,
  AttendanceBody,
  BindVoucherBody,
  CompletionsBody,
  FileClassBody,
  ApproveApplicationBody,
  ApproveScopeBody,
  AuditQuery,
  BatchIssueBody,
  ChangePasswordBody,
  ClassQuery,
  CreateOrganisationBody,
  CreatePersonBody,
  CreateSiteBody,
  CreateUserBody,
  EndScopeBody,
  ImportKind,
  ImportSummary,
  IssueVoucherBody,
  LoginBody,
  Me,
  OccupationQuery,
  OrganisationQuery,
  PersonQuery,
  RegionQuery,
  RegisterBody,
  UnitQuery,
  UpdateOrganisationBody,
  UpdatePersonBody,
  UpdateSiteBody,
  UpdateUserBody,
  UserQuery,
  VoucherApplicationQuery,
  VoucherLookupBody,
  VoucherQuery,
} from './types';

/**
 * Every request the web app makes goes through this file. The API is served by the same origin
 * under `/api` (in development Vite proxies it). The session is the HttpOnly cookie the server
 * sets at login: the browser sends it, and no token is ever kept in script-readable storage.
 */
export const client = createClient<paths>({
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
export async function unwrap<T>(call: Promise<Outcome<T>>, signal?: AbortSignal): Promise<T> {
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

  keyGroups: (signal?: AbortSignal) => unwrap(client.GET('/api/key-groups', { signal }), signal),

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
    /** A worker registers themself; the server logs them in (the session cookie is set). */
    register: (body: RegisterBody) => unwrap(client.POST('/api/auth/register', { body })),
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

  persons: {
    list: (query: PersonQuery, signal?: AbortSignal) =>
      unwrap(client.GET('/api/persons', { params: { query }, signal }), signal),
    get: (id: string, signal?: AbortSignal) =>
      unwrap(client.GET('/api/persons/{id}', { params: { path: { id } }, signal }), signal),
    create: (body: CreatePersonBody) => unwrap(client.POST('/api/persons', { body })),
    update: (id: string, body: UpdatePersonBody) =>
      unwrap(client.PATCH('/api/persons/{id}', { params: { path: { id } }, body })),
    /** Exact search by ID number: the number goes in the body, never in a URL. */
    lookup: (idNumber: string) =>
      unwrap(client.POST('/api/persons/lookup', { body: { idNumber } })),
    /** The full ID number and phone; the server audits every call. */
    reveal: (id: string) =>
      unwrap(client.POST('/api/persons/{id}/reveal', { params: { path: { id } } })),
    history: (id: string, query: { page?: number; pageSize?: number }, signal?: AbortSignal) =>
      unwrap(
        client.GET('/api/persons/{id}/history', { params: { path: { id }, query }, signal }),
        signal,
      ),
    invite: (id: string) =>
      unwrap(client.POST('/api/persons/{id}/invite', { params: { path: { id } } })),
  },

  organisations: {
    list: (query: OrganisationQuery, signal?: AbortSignal) =>
      unwrap(client.GET('/api/organisations', { params: { query }, signal }), signal),
    get: (id: string, signal?: AbortSignal) =>
      unwrap(client.GET('/api/organisations/{id}', { params: { path: { id } }, signal }), signal),
    create: (body: CreateOrganisationBody) => unwrap(client.POST('/api/organisations', { body })),
    update: (id: string, body: UpdateOrganisationBody) =>
      unwrap(client.PATCH('/api/organisations/{id}', { params: { path: { id } }, body })),
    sites: (id: string, signal?: AbortSignal) =>
      unwrap(
        client.GET('/api/organisations/{id}/sites', { params: { path: { id } }, signal }),
        signal,
      ),
    addSite: (id: string, body: CreateSiteBody) =>
      unwrap(client.POST('/api/organisations/{id}/sites', { params: { path: { id } }, body })),
    updateSite: (id: string, siteId: string, body: UpdateSiteBody) =>
      unwrap(
        client.PATCH('/api/organisations/{id}/sites/{siteId}', {
          params: { path: { id, siteId } },
          body,
        }),
      ),
    scopes: (id: string, siteId: string, signal?: AbortSignal) =>
      unwrap(
        client.GET('/api/organisations/{id}/sites/{siteId}/scopes', {
          params: { path: { id, siteId } },
          signal,
        }),
        signal,
      ),
    approveScope: (id: string, siteId: string, body: ApproveScopeBody) =>
      unwrap(
        client.POST('/api/organisations/{id}/sites/{siteId}/scopes', {
          params: { path: { id, siteId } },
          body,
        }),
      ),
    endScope: (id: string, siteId: string, scopeId: string, body: EndScopeBody) =>
      unwrap(
        client.POST('/api/organisations/{id}/sites/{siteId}/scopes/{scopeId}/end', {
          params: { path: { id, siteId, scopeId } },
          body,
        }),
      ),
  },

  imports: {
    templateUrl: (kind: ImportKind) => `/api/imports/templates/${importPath(kind)}.xlsx`,
    upload: uploadImport,
  },

  classes: {
    list: (query: ClassQuery, signal?: AbortSignal) =>
      unwrap(client.GET('/api/classes', { params: { query }, signal }), signal),
    get: (id: string, signal?: AbortSignal) =>
      unwrap(client.GET('/api/classes/{id}', { params: { path: { id } }, signal }), signal),
    /** The worker's own classes, with sessions, their attendance and hours. */
    mine: (signal?: AbortSignal) => unwrap(client.GET('/api/me/classes', { signal }), signal),
    /** Files a class as a draft (`submit: true` also submits it for approval). */
    file: (body: FileClassBody) => unwrap(client.POST('/api/classes', { body })),
    submit: (id: string) =>
      unwrap(client.POST('/api/classes/{id}/submit', { params: { path: { id } } })),
    trainees: (id: string, signal?: AbortSignal) =>
      unwrap(
        client.GET('/api/classes/{id}/trainees', { params: { path: { id } }, signal }),
        signal,
      ),
    attendance: (id: string, sessionId: string, signal?: AbortSignal) =>
      unwrap(
        client.GET('/api/classes/{id}/sessions/{sessionId}/attendance', {
          params: { path: { id, sessionId } },
          signal,
        }),
        signal,
      ),
    /** The session's current check-in token for the screen; it rotates. */
    sessionQr: (id: string, sessionId: string, signal?: AbortSignal) =>
      unwrap(
        client.GET('/api/classes/{id}/sessions/{sessionId}/qr', {
          params: { path: { id, sessionId } },
          signal,
        }),
        signal,
      ),
    checkIn: (id: string, sessionId: string, body: AttendanceBody) =>
      unwrap(
        client.POST('/api/classes/{id}/sessions/{sessionId}/checkins', {
          params: { path: { id, sessionId } },
          body,
        }),
      ),
    checkOut: (id: string, sessionId: string, body: AttendanceBody) =>
      unwrap(
        client.POST('/api/classes/{id}/sessions/{sessionId}/checkouts', {
          params: { path: { id, sessionId } },
          body,
        }),
      ),
    completions: (id: string, body: CompletionsBody) =>
      unwrap(client.POST('/api/classes/{id}/completions', { params: { path: { id } }, body })),
    approve: (id: string) =>
      unwrap(client.POST('/api/classes/{id}/approve', { params: { path: { id } } })),
    /** Back to the institution, with the reason it must address. */
    return: (id: string, reason: string) =>
      unwrap(
        client.POST('/api/classes/{id}/return', { params: { path: { id } }, body: { reason } }),
      ),
  },

  vouchers: {
    list: (query: VoucherQuery, signal?: AbortSignal) =>
      unwrap(client.GET('/api/vouchers', { params: { query }, signal }), signal),
    issue: (body: IssueVoucherBody, idempotencyKey: string) =>
      unwrap(
        client.POST('/api/vouchers', {
          body,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      ),
    /** With `preview: true` only counts; the same body with `preview: false` issues. */
    batch: (body: BatchIssueBody, idempotencyKey: string) =>
      unwrap(
        client.POST('/api/vouchers/batch', {
          body,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      ),
    /** The voucher a holder's QR token or ID number (in the body, never a URL) names. */
    lookup: (body: VoucherLookupBody) => unwrap(client.POST('/api/vouchers/lookup', { body })),
    /** 200 bound at once (QR token), 202 waiting for the holder (ID number): see `pending`. */
    bind: (id: string, body: BindVoucherBody, idempotencyKey: string) =>
      unwrap(
        client.POST('/api/vouchers/{id}/bind', {
          params: { path: { id } },
          body,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      ),
    confirmBinding: (id: string) =>
      unwrap(client.POST('/api/vouchers/{id}/confirm-binding', { params: { path: { id } } })),
    /** A signed token for the holder's own voucher, valid 60 s. */
    qr: (id: string, signal?: AbortSignal) =>
      unwrap(client.GET('/api/me/vouchers/{id}/qr', { params: { path: { id } }, signal }), signal),
    apply: (body: ApplyVoucherBody) =>
      unwrap(client.POST('/api/me/voucher-applications', { body })),
    applications: (query: VoucherApplicationQuery, signal?: AbortSignal) =>
      unwrap(client.GET('/api/voucher-applications', { params: { query }, signal }), signal),
    approveApplication: (id: string, body: ApproveApplicationBody) =>
      unwrap(
        client.POST('/api/voucher-applications/{id}/approve', {
          params: { path: { id } },
          body,
        }),
      ),
    rejectApplication: (id: string, reason: string) =>
      unwrap(
        client.POST('/api/voucher-applications/{id}/reject', {
          params: { path: { id } },
          body: { reason },
        }),
      ),
  },

  audit: {
    search: (query: AuditQuery, signal?: AbortSignal) =>
      unwrap(client.GET('/api/audit', { params: { query }, signal }), signal),
  },
};

/**
 * POSTs one file as multipart/form-data in the field `file` (same origin, the session cookie goes
 * with it) and answers or fails like the typed calls. `fallbackName` names a Blob that is no File.
 */
export async function postFile<T>(url: string, file: Blob, fallbackName: string): Promise<T> {
  const form = new FormData();
  form.append('file', file, file instanceof File ? file.name : fallbackName);
  let response: Response;
  try {
    const origin = globalThis.location?.origin ?? '';
    response = await globalThis.fetch(`${origin}${url}`, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
    });
  } catch (cause) {
    throw networkError(cause);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok || body === undefined) {
    throw apiErrorFrom(response.status, body, response.headers);
  }
  return body as T;
}

export interface UploadOptions {
  dryRun: boolean;
  overwrite: boolean;
  /** Called as the file goes up, with the share sent so far (0–100). */
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
}

/** The URL segment of an import kind: `training_reports` is served at `training-reports`. */
function importPath(kind: ImportKind): string {
  return kind.replaceAll('_', '-');
}

/**
 * Uploads a roster as multipart/form-data. This one call uses XMLHttpRequest rather than
 * `fetch`, because only XHR reports upload progress; it answers and fails like the others.
 */
function uploadImport(
  kind: ImportKind,
  file: Blob,
  options: UploadOptions,
): Promise<ImportSummary> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const query = new URLSearchParams({
      dryRun: String(options.dryRun),
      overwrite: String(options.overwrite),
    });
    xhr.open('POST', `/api/imports/${importPath(kind)}?${query.toString()}`);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) {
        options.onProgress?.(Math.min(100, Math.round((event.loaded / event.total) * 100)));
      }
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      const headers = new Headers();
      const retryAfter = xhr.getResponseHeader('retry-after');
      if (retryAfter) headers.set('retry-after', retryAfter);
      if (xhr.status >= 200 && xhr.status < 300 && body !== undefined) {
        resolve(body as ImportSummary);
      } else {
        reject(apiErrorFrom(xhr.status, body, headers));
      }
    };
    xhr.onerror = () => reject(networkError(new Error('upload failed')));
    xhr.onabort = () => reject(networkError(new Error('upload cancelled')));
    options.signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file instanceof File ? file.name : 'upload');
    xhr.send(form);
  });
}
