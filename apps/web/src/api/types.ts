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

/** The JSON body of a successful answer to GET on `path` (paths with parameters too). */
type Got<Path extends keyof paths> = Answer<Path, 'get'>;

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

export type RegisterBody = RequestBody<'/api/auth/register', 'post'>;
export type RegisterResult = Answer<'/api/auth/register', 'post'>;

export type PersonPage = Ok<'/api/persons'>;
export type Person = PersonPage['items'][number];
export type PersonQuery = Query<'/api/persons'>;
export type EmploymentStatus = Person['employmentStatus'];
export type Education = NonNullable<Person['education']>;
export type CreatePersonBody = RequestBody<'/api/persons', 'post'>;
export type CreatedPerson = Answer<'/api/persons', 'post'>;
export type UpdatePersonBody = RequestBody<'/api/persons/{id}', 'patch'>;
export type RevealedPerson = Answer<'/api/persons/{id}/reveal', 'post'>;
export type PersonHistoryPage = Got<'/api/persons/{id}/history'>;
export type PersonHistoryEvent = PersonHistoryPage['items'][number];
export type Invitation = Answer<'/api/persons/{id}/invite', 'post'>;
export type KeyGroup = Ok<'/api/key-groups'>['items'][number];

export type OrganisationPage = Ok<'/api/organisations'>;
export type Organisation = OrganisationPage['items'][number];
export type OrganisationQuery = Query<'/api/organisations'>;
export type OrganisationKind = Organisation['kind'];
export type SizeClass = NonNullable<Organisation['sizeClass']>;
export type Affiliation = NonNullable<Organisation['affiliation']>;
export type EvaluationType = NonNullable<Organisation['evaluationType']>;
export type CreateOrganisationBody = RequestBody<'/api/organisations', 'post'>;
export type UpdateOrganisationBody = RequestBody<'/api/organisations/{id}', 'patch'>;
export type Site = Got<'/api/organisations/{id}/sites'>['items'][number];
export type CreateSiteBody = RequestBody<'/api/organisations/{id}/sites', 'post'>;
export type UpdateSiteBody = RequestBody<'/api/organisations/{id}/sites/{siteId}', 'patch'>;
export type ApprovedScope = Got<'/api/organisations/{id}/sites/{siteId}/scopes'>['items'][number];
export type ApproveScopeBody = RequestBody<'/api/organisations/{id}/sites/{siteId}/scopes', 'post'>;
export type EndScopeBody = RequestBody<
  '/api/organisations/{id}/sites/{siteId}/scopes/{scopeId}/end',
  'post'
>;

export type ImportSummary = Answer<'/api/imports/persons', 'post'>;
export type ImportKind = ImportSummary['kind'];
export type RejectedCell = ImportSummary['rejected'][number];

/** RFC 9457 problem details, as every error response of the API is shaped. */
export type Problem = components['schemas']['Problem'];

export type VoucherPage = Ok<'/api/vouchers'>;
export type Voucher = VoucherPage['items'][number];
export type VoucherQuery = Query<'/api/vouchers'>;
export type VoucherState = Voucher['state'];
export type IssueVoucherBody = RequestBody<'/api/vouchers', 'post'>;
export type BatchIssueBody = RequestBody<'/api/vouchers/batch', 'post'>;
export type BatchIssueResult = Answer<'/api/vouchers/batch', 'post'>;
export type VoucherQr = Got<'/api/me/vouchers/{id}/qr'>;
export type ApplyVoucherBody = RequestBody<'/api/me/voucher-applications', 'post'>;
export type VoucherApplicationPage = Ok<'/api/voucher-applications'>;
export type VoucherApplication = VoucherApplicationPage['items'][number];
export type VoucherApplicationQuery = Query<'/api/voucher-applications'>;
export type ApproveApplicationBody = RequestBody<'/api/voucher-applications/{id}/approve', 'post'>;

export type ClassPage = Ok<'/api/classes'>;
export type TrainingClass = ClassPage['items'][number];
export type ClassQuery = Query<'/api/classes'>;
export type ClassStatus = TrainingClass['status'];
export type ClassDetail = Got<'/api/classes/{id}'>;
export type ClassSession = ClassDetail['sessions'][number];
export type FileClassBody = RequestBody<'/api/classes', 'post'>;
export type TrainingType = FileClassBody['trainingType'];
export type Trainee = Got<'/api/classes/{id}/trainees'>['items'][number];
export type Attendance = Got<'/api/classes/{id}/sessions/{sessionId}/attendance'>['items'][number];
export type AttendanceBody = RequestBody<'/api/classes/{id}/sessions/{sessionId}/checkins', 'post'>;
export type SessionQr = Got<'/api/classes/{id}/sessions/{sessionId}/qr'>;
export type CompletionsBody = RequestBody<'/api/classes/{id}/completions', 'post'>;
export type CompletionResult = CompletionsBody['results'][number]['result'];
export type BindVoucherBody = RequestBody<'/api/vouchers/{id}/bind', 'post'>;
export type BindResult = Answer<'/api/vouchers/{id}/bind', 'post'>;
export type VoucherLookupBody = RequestBody<'/api/vouchers/lookup', 'post'>;
export type VoucherLookup = Answer<'/api/vouchers/lookup', 'post'>;
export type MyClass = Ok<'/api/me/classes'>['items'][number];
export type MyClassSession = MyClass['sessions'][number];
