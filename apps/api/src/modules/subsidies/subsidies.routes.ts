import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import {
  notFoundError,
  Nullable,
  PageOf,
  PageQuery,
  ProblemRef,
  standardErrors,
  StringEnum,
} from '../../platform/http.js';
import { requestMeta, requireAuth } from '../auth/auth.access.js';
import { trialBalance } from './subsidies.ledger.js';
import * as review from './subsidies.review.js';
import {
  CLAIM_ACTIONS,
  CLAIM_STATUSES,
  LEDGER_ACCOUNT_KINDS,
  SUBSIDY_KINDS,
} from './subsidies.schema.js';
import * as service from './subsidies.service.js';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const denied = { 401: ProblemRef, 403: ProblemRef };
const conflict = { 409: ProblemRef };
const idempotencyReused = { 422: ProblemRef };

export const ClaimSchema = Type.Object({
  id: Uuid,
  number: Type.String({ examples: ['BT2600000042'] }),
  kind: StringEnum(SUBSIDY_KINDS),
  status: StringEnum(CLAIM_STATUSES),
  payeeOrganisationId: Uuid,
  payeeName: Type.String(),
  personId: Uuid,
  personName: Type.String(),
  personIdNumberMasked: Type.String({ examples: ['411402********123X'] }),
  amountFen: Type.Integer({ description: 'amount claimed, in fen (分)' }),
  voucherId: Nullable(Uuid),
  classId: Nullable(Uuid),
  certificateId: Nullable(Uuid),
  evidence: Type.Record(Type.String(), Type.Unknown(), {
    description: 'what the amount was computed from (values, certificate number, class, dates)',
  }),
  flagged: Type.Boolean({
    description: 'true: must not be paid (e.g. its certificate was revoked)',
  }),
  flaggedAt: Nullable(Type.String({ format: 'date-time' })),
  flagReason: Nullable(Type.String()),
  regionCode: Type.String(),
  occupationCode: Nullable(Type.String({ description: 'evaluation claims: the occupation' })),
  skillLevelKey: Nullable(Type.String({ description: 'evaluation claims: the skill level' })),
  specialAbilityId: Nullable(Uuid),
  firstReviewedBy: Nullable(Uuid),
  firstReviewedAt: Nullable(DateTime),
  approvedBy: Nullable(Uuid),
  approvedAt: Nullable(DateTime),
  fundCode: Nullable(Type.String({ description: 'the paying fund, named at the final approval' })),
  rejectedBy: Nullable(Uuid),
  rejectedAt: Nullable(DateTime),
  rejectionReason: Nullable(Type.String()),
  reversedAt: Nullable(DateTime),
  reversalReason: Nullable(Type.String()),
  employmentId: Nullable(Uuid),
  placementId: Nullable(Uuid),
  basisDate: Nullable(
    Type.String({ format: 'date', description: 'hiring/placement: the hire or placement day' }),
  ),
  payerRegionCode: Nullable(
    Type.String({ description: 'the paying county (隶属关系); null: the city' }),
  ),
  paidAt: Nullable(DateTime),
  clawedBackAt: Nullable(DateTime),
  clawbackReason: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const ClaimEventSchema = Type.Object({
  id: Uuid,
  fromStatus: Nullable(StringEnum(CLAIM_STATUSES)),
  toStatus: StringEnum(CLAIM_STATUSES),
  action: StringEnum(CLAIM_ACTIONS),
  actorUserId: Nullable(Uuid),
  at: DateTime,
  reason: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});

const TrialBalanceSchema = Type.Object({
  accounts: Type.Array(
    Type.Object({
      accountId: Uuid,
      kind: StringEnum(LEDGER_ACCOUNT_KINDS),
      fundCode: Type.String(),
      organisationId: Nullable(Uuid),
      organisationName: Nullable(Type.String()),
      name: Type.String(),
      debitFen: Type.Integer(),
      creditFen: Type.Integer(),
      balanceFen: Type.Integer({ description: 'debits − credits' }),
    }),
  ),
  total: Type.Object({
    debitFen: Type.Integer(),
    creditFen: Type.Integer(),
    balanceFen: Type.Integer({ description: 'always 0: every entry balances' }),
  }),
});

export async function subsidiesRoutes(app: AppInstance) {
  app.get(
    '/subsidy-claims',
    {
      schema: {
        tags: ['subsidies'],
        summary:
          'Subsidy claims in your scope (an institution those payable to it, a county its payees’)',
        querystring: Type.Object({
          kind: Type.Optional(StringEnum(SUBSIDY_KINDS)),
          status: Type.Optional(StringEnum(CLAIM_STATUSES)),
          flagged: Type.Optional(Type.Boolean()),
          payeeOrganisationId: Type.Optional(Uuid),
          personId: Type.Optional(Uuid),
          fundCode: Type.Optional(
            Type.String({ maxLength: 40, description: 'the paying fund named at approval' }),
          ),
          payerRegionCode: Type.Optional(
            Type.String({
              pattern: '^(city|[0-9]{6})$',
              description: 'the paying county, or `city` for claims the city pays',
            }),
          ),
          ...PageQuery,
        }),
        response: { 200: PageOf(ClaimSchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'subsidies.read' } },
    },
    async (request) =>
      service.listClaims(app.deps.db, requireAuth(request), {
        ...request.query,
        page: request.query.page ?? 1,
        pageSize: request.query.pageSize ?? 20,
      }),
  );

  app.get(
    '/subsidy-claims/:id',
    {
      schema: {
        tags: ['subsidies'],
        summary: 'One subsidy claim with its evidence',
        params: Type.Object({ id: Uuid }),
        response: { 200: ClaimSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'subsidies.read' } },
    },
    async (request) => service.getClaim(app.deps.db, requireAuth(request), request.params.id),
  );

  app.get(
    '/subsidy-claims/:id/events',
    {
      schema: {
        tags: ['subsidies'],
        summary: 'A claim’s history: every transition with who, when and why',
        params: Type.Object({ id: Uuid }),
        response: {
          200: Type.Object({ items: Type.Array(ClaimEventSchema) }),
          ...denied,
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'subsidies.read' } },
    },
    async (request) => review.claimHistory(app.deps.db, requireAuth(request), request.params.id),
  );

  app.post(
    '/subsidy-claims/:id/review',
    {
      schema: {
        tags: ['subsidies'],
        summary:
          'Review a claim: the first review by the payee’s county (or the city), the final by ' +
          'the city naming the paying fund; the same person never reviews a claim twice ' +
          '(Idempotency-Key supported)',
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          {
            decision: StringEnum(['approve', 'reject'] as const),
            reason: Type.Optional(
              Type.String({ maxLength: 500, description: 'required when rejecting' }),
            ),
            fundCode: Type.Optional(
              Type.String({
                maxLength: 40,
                description:
                  'the paying fund (employment_subsidy, unemployment_insurance, fiscal); ' +
                  'required for the final approval',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: ClaimSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'subsidies.review' }, idempotent: true },
    },
    async (request) =>
      review.reviewClaim(
        app.deps.db,
        app.deps,
        requireAuth(request),
        request.params.id,
        request.body,
        requestMeta(request),
      ),
  );

  app.get(
    '/ledger/trial-balance',
    {
      schema: {
        tags: ['subsidies'],
        summary: 'The trial balance: debits, credits and balance per ledger account; sums to zero',
        response: { 200: TrialBalanceSchema, ...denied, ...standardErrors },
      },
      config: { access: { permission: 'ledger.read' } },
    },
    async () => trialBalance(app.deps.db),
  );
}
