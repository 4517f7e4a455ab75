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
import { requireAuth } from '../auth/auth.access.js';
import { CLAIM_STATUSES, SUBSIDY_KINDS } from './subsidies.schema.js';
import * as service from './subsidies.service.js';

const Uuid = Type.String({ format: 'uuid' });
const denied = { 401: ProblemRef, 403: ProblemRef };

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
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
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
}
