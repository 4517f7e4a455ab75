import type { Body, GetQuery, Ok, PostOk } from './openapiTypes';
import type { components } from './schema';

/**
 * Names for the API's shapes, taken from `schema.d.ts` (generated from the server's OpenAPI
 * document by `npm run gen:api -w @jineng/web`). Pages import these names, never the schema,
 * so a regenerated schema that changes a shape shows up as a type error where it is used.
 */

export type Health = Ok<'/api/health'>;

export type Region = Ok<'/api/regions'>['items'][number];
export type RegionQuery = GetQuery<'/api/regions'>;

export type Occupation = Ok<'/api/occupations'>['items'][number];
export type OccupationQuery = GetQuery<'/api/occupations'>;
export type OccupationPage = Ok<'/api/occupations'>;

export type Unit = Ok<'/api/units'>['items'][number];
export type UnitTarget = Unit['targets'][number];
export type UnitQuery = GetQuery<'/api/units'>;

export type Plan = Ok<'/api/plans'>['items'][number];
export type PlanUnit = Plan['units'][number];

export type SkillLevel = Ok<'/api/skill-levels'>['items'][number];

export type Me = Ok<'/api/auth/me'>;
export type Role = Me['role'];
export type Scope = Me['scope'];
export type LoginBody = Body<'/api/auth/login', 'post'>;
export type LoginResult = PostOk<'/api/auth/login'>;
export type ChangePasswordBody = Body<'/api/auth/password', 'post'>;

export type UserPage = Ok<'/api/users'>;
export type User = UserPage['items'][number];
export type UserQuery = GetQuery<'/api/users'>;
export type CreateUserBody = Body<'/api/users', 'post'>;
export type CreatedUser = PostOk<'/api/users'>;
export type UpdateUserBody = Body<'/api/users/{id}', 'patch'>;
export type ResetPasswordResult = PostOk<'/api/users/{id}/reset-password'>;

export type AuditPage = Ok<'/api/audit'>;
export type AuditEvent = AuditPage['items'][number];
export type AuditQuery = GetQuery<'/api/audit'>;
export type AuditAction = NonNullable<AuditQuery['action']>;
export type AuditOutcome = AuditEvent['outcome'];

export type RegisterBody = Body<'/api/auth/register', 'post'>;
export type RegisterResult = PostOk<'/api/auth/register'>;

export type PersonPage = Ok<'/api/persons'>;
export type Person = PersonPage['items'][number];
export type PersonQuery = GetQuery<'/api/persons'>;
export type EmploymentStatus = Person['employmentStatus'];
export type Education = NonNullable<Person['education']>;
export type CreatePersonBody = Body<'/api/persons', 'post'>;
export type CreatedPerson = PostOk<'/api/persons'>;
export type UpdatePersonBody = Body<'/api/persons/{id}', 'patch'>;
export type RevealedPerson = PostOk<'/api/persons/{id}/reveal'>;
export type PersonHistoryPage = Ok<'/api/persons/{id}/history'>;
export type PersonHistoryEvent = PersonHistoryPage['items'][number];
export type Invitation = PostOk<'/api/persons/{id}/invite'>;
export type KeyGroup = Ok<'/api/key-groups'>['items'][number];

export type OrganisationPage = Ok<'/api/organisations'>;
export type Organisation = OrganisationPage['items'][number];
export type OrganisationQuery = GetQuery<'/api/organisations'>;
export type OrganisationKind = Organisation['kind'];
export type SizeClass = NonNullable<Organisation['sizeClass']>;
export type Affiliation = NonNullable<Organisation['affiliation']>;
export type EvaluationType = NonNullable<Organisation['evaluationType']>;
export type CreateOrganisationBody = Body<'/api/organisations', 'post'>;
export type UpdateOrganisationBody = Body<'/api/organisations/{id}', 'patch'>;
export type Site = Ok<'/api/organisations/{id}/sites'>['items'][number];
export type CreateSiteBody = Body<'/api/organisations/{id}/sites', 'post'>;
export type UpdateSiteBody = Body<'/api/organisations/{id}/sites/{siteId}', 'patch'>;
export type ApprovedScope = Ok<'/api/organisations/{id}/sites/{siteId}/scopes'>['items'][number];
export type ApproveScopeBody = Body<'/api/organisations/{id}/sites/{siteId}/scopes', 'post'>;
export type EndScopeBody = Body<
  '/api/organisations/{id}/sites/{siteId}/scopes/{scopeId}/end',
  'post'
>;

export type ImportSummary = PostOk<'/api/imports/persons'>;
export type ImportKind = ImportSummary['kind'];
export type RejectedCell = ImportSummary['rejected'][number];

/** RFC 9457 problem details, as every error response of the API is shaped. */
export type Problem = components['schemas']['Problem'];

export type VoucherPage = Ok<'/api/vouchers'>;
export type Voucher = VoucherPage['items'][number];
export type VoucherQuery = GetQuery<'/api/vouchers'>;
export type VoucherState = Voucher['state'];
export type IssueVoucherBody = Body<'/api/vouchers', 'post'>;
export type BatchIssueBody = Body<'/api/vouchers/batch', 'post'>;
export type BatchIssueResult = PostOk<'/api/vouchers/batch'>;
export type VoucherQr = Ok<'/api/me/vouchers/{id}/qr'>;
export type ApplyVoucherBody = Body<'/api/me/voucher-applications', 'post'>;
export type VoucherApplicationPage = Ok<'/api/voucher-applications'>;
export type VoucherApplication = VoucherApplicationPage['items'][number];
export type VoucherApplicationQuery = GetQuery<'/api/voucher-applications'>;
export type ApproveApplicationBody = Body<'/api/voucher-applications/{id}/approve', 'post'>;

export type ClassPage = Ok<'/api/classes'>;
export type TrainingClass = ClassPage['items'][number];
export type ClassQuery = GetQuery<'/api/classes'>;
export type ClassStatus = TrainingClass['status'];
export type ClassDetail = Ok<'/api/classes/{id}'>;
export type ClassSession = ClassDetail['sessions'][number];
export type FileClassBody = Body<'/api/classes', 'post'>;
export type TrainingType = FileClassBody['trainingType'];
export type Trainee = Ok<'/api/classes/{id}/trainees'>['items'][number];
export type Attendance = Ok<'/api/classes/{id}/sessions/{sessionId}/attendance'>['items'][number];
export type AttendanceBody = Body<'/api/classes/{id}/sessions/{sessionId}/checkins', 'post'>;
export type SessionQr = Ok<'/api/classes/{id}/sessions/{sessionId}/qr'>;
export type CompletionsBody = Body<'/api/classes/{id}/completions', 'post'>;
export type CompletionResult = CompletionsBody['results'][number]['result'];
export type BindVoucherBody = Body<'/api/vouchers/{id}/bind', 'post'>;
export type BindResult = PostOk<'/api/vouchers/{id}/bind'>;
export type VoucherLookupBody = Body<'/api/vouchers/lookup', 'post'>;
export type VoucherLookup = PostOk<'/api/vouchers/lookup'>;
export type MyClass = Ok<'/api/me/classes'>['items'][number];
export type MyClassSession = MyClass['sessions'][number];
