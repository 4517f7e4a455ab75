import type { components, paths } from './schema';

/**
 * Names for the API's shapes, taken from `schema.d.ts` (generated from the server's OpenAPI
 * document by `npm run gen:api -w @jineng/web`). Pages import these names, never the schema,
 * so a regenerated schema that changes a shape shows up as a type error where it is used.
 */

type Ok<Path extends keyof paths> = paths[Path] extends {
  get: { responses: { 200: { content: { 'application/json': infer Body } } } };
}
  ? Body
  : never;

type Query<Path extends keyof paths> = paths[Path] extends {
  get: { parameters: { query?: infer Q } };
}
  ? NonNullable<Q>
  : never;

type Method = 'get' | 'post' | 'patch';

/** The JSON body of a successful (200 or 201) answer to `method` on `path`. */
type Answer<Path extends keyof paths, M extends Method> = paths[Path][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { 'application/json': infer Body } } }
    ? Body
    : R extends { 201: { content: { 'application/json': infer Body } } }
      ? Body
      : never
  : never;

/** The JSON request body `method` on `path` takes. */
type RequestBody<Path extends keyof paths, M extends Method> = paths[Path][M] extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

export type Health = Ok<'/api/health'>;

export type Region = Ok<'/api/regions'>['items'][number];
export type RegionQuery = Query<'/api/regions'>;

export type Occupation = Ok<'/api/occupations'>['items'][number];
export type OccupationQuery = Query<'/api/occupations'>;
export type OccupationPage = Ok<'/api/occupations'>;

export type Unit = Ok<'/api/units'>['items'][number];
export type UnitTarget = Unit['targets'][number];
export type UnitQuery = Query<'/api/units'>;

export type Plan = Ok<'/api/plans'>['items'][number];
export type PlanUnit = Plan['units'][number];

export type SkillLevel = Ok<'/api/skill-levels'>['items'][number];

export type Me = Ok<'/api/auth/me'>;
export type Role = Me['role'];
export type Scope = Me['scope'];
export type LoginBody = RequestBody<'/api/auth/login', 'post'>;
export type LoginResult = Answer<'/api/auth/login', 'post'>;
export type ChangePasswordBody = RequestBody<'/api/auth/password', 'post'>;

export type UserPage = Ok<'/api/users'>;
export type User = UserPage['items'][number];
export type UserQuery = Query<'/api/users'>;
export type CreateUserBody = RequestBody<'/api/users', 'post'>;
export type CreatedUser = Answer<'/api/users', 'post'>;
export type UpdateUserBody = RequestBody<'/api/users/{id}', 'patch'>;
export type ResetPasswordResult = Answer<'/api/users/{id}/reset-password', 'post'>;

export type AuditPage = Ok<'/api/audit'>;
export type AuditEvent = AuditPage['items'][number];
export type AuditQuery = Query<'/api/audit'>;
export type AuditAction = NonNullable<AuditQuery['action']>;
export type AuditOutcome = AuditEvent['outcome'];

/** RFC 9457 problem details, as every error response of the API is shaped. */
export type Problem = components['schemas']['Problem'];
