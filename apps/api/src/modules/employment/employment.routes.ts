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
  withPaging,
} from '../../platform/http.js';
import { requestMeta, requireAuth } from '../auth/auth.access.js';
import { MAX_WAGE_BASE_FEN } from './employment.rules.js';
import * as service from './employment.service.js';

const Uuid = Type.String({ format: 'uuid' });
const CivilDate = Type.String({ format: 'date' });
const IdParams = Type.Object({ id: Uuid });
const denied = { 401: ProblemRef, 403: ProblemRef };
const conflict = { 409: ProblemRef };
const idempotencyReused = { 422: ProblemRef };

const IdNumber = Type.String({ minLength: 1, maxLength: 40, description: '身份证号码' });
const Uscc = Type.String({
  minLength: 1,
  maxLength: 40,
  description: '统一社会信用代码 (case and separators normalised)',
});

const ClaimsSchema = Type.Object(
  {
    created: Type.Array(
      Type.Object({
        claimId: Uuid,
        number: Type.String(),
        kind: StringEnum(['hiring', 'placement'] as const),
        amountFen: Type.Integer(),
        capCut: Type.Boolean({ description: 'the enterprise cap cut the amount' }),
      }),
    ),
    refused: Type.Array(
      Type.Object({
        kind: StringEnum(['hiring', 'placement'] as const),
        employmentId: Nullable(Uuid),
        placementId: Nullable(Uuid),
        reason: Type.String(),
      }),
    ),
  },
  { description: 'Hiring and placement subsidy claims the new data made due (or refused)' },
);

const ReceiveResult = Type.Object({
  inserted: Type.Integer({ minimum: 0 }),
  updated: Type.Integer({ minimum: 0 }),
  unchanged: Type.Integer({ minimum: 0 }),
  rejected: Type.Array(
    Type.Object({
      index: Type.Integer({ minimum: 0, description: 'the item’s position in `items`' }),
      path: Type.String({ examples: ['/body/items/3/hiredOn'] }),
      code: Type.String({
        examples: ['PERSON_NOT_FOUND', 'USCC_CHECKSUM', 'HIRED_IN_FUTURE', 'MONTH_IN_FUTURE'],
      }),
      message: Type.String(),
    }),
  ),
  claims: ClaimsSchema,
});

const RegistrationItem = Type.Object(
  {
    idNumber: IdNumber,
    employerUscc: Uscc,
    hiredOn: CivilDate,
    endedOn: Type.Optional(Nullable(CivilDate)),
  },
  { additionalProperties: false },
);

const ContributionItem = Type.Object(
  {
    idNumber: IdNumber,
    employerUscc: Uscc,
    month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', examples: ['2026-03'] }),
    wageBaseFen: Type.Integer({
      minimum: 1,
      maximum: MAX_WAGE_BASE_FEN,
      description: '缴费基数 in fen',
    }),
  },
  { additionalProperties: false },
);

const EmploymentSchema = Type.Object({
  personId: Uuid,
  registrations: Type.Array(
    Type.Object({
      id: Uuid,
      employerUscc: Type.String(),
      organisationId: Nullable(Uuid),
      organisationName: Nullable(Type.String({ description: 'the registered employer, if any' })),
      hiredOn: CivilDate,
      endedOn: Nullable(CivilDate),
      source: StringEnum(['import', 'api'] as const),
      updatedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  contributions: Type.Array(
    Type.Object({
      employerUscc: Type.String(),
      organisationName: Nullable(Type.String()),
      from: Type.String({ description: 'YYYY-MM, first month of the run' }),
      to: Type.String({ description: 'YYYY-MM, last month of the run' }),
      months: Type.Integer({ minimum: 1, description: 'consecutive insured months' }),
      latestWageBaseFen: Type.Integer(),
    }),
    { description: 'insured months per employer as runs of consecutive months' },
  ),
});

const PlacementSchema = Type.Object({
  id: Uuid,
  agencyOrganisationId: Uuid,
  agencyName: Type.String(),
  personId: Uuid,
  personName: Type.String(),
  personIdNumberMasked: Type.String({ examples: ['411402********123X'] }),
  employerUscc: Type.String(),
  employerName: Type.String(),
  employerRegionCode: Type.String(),
  employerRegionName: Nullable(Type.String()),
  placedOn: CivilDate,
  claim: Nullable(Type.Object({ id: Uuid, number: Type.String(), status: Type.String() })),
  createdAt: Type.String({ format: 'date-time' }),
});

/** Employment and social-insurance data (R-EMP-1) and HR agencies' placements (R-SUB-4). */
export async function employmentRoutes(app: AppInstance) {
  const deps = (): service.EmploymentDeps => ({ pii: app.deps.pii, clock: app.deps.clock });

  app.post(
    '/employment/registrations',
    {
      schema: {
        tags: ['employment'],
        summary:
          'Receive employment registrations (就业登记), row by row; re-checks hiring and ' +
          'placement subsidies of the persons touched (Idempotency-Key supported)',
        body: Type.Object(
          { items: Type.Array(RegistrationItem, { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: ReceiveResult, ...denied, ...idempotencyReused, ...standardErrors },
      },
      config: { access: { permission: 'employment.write' }, idempotent: true },
    },
    async (request) =>
      service.receiveRegistrations(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.body.items,
        requestMeta(request),
      ),
  );

  app.post(
    '/employment/contributions',
    {
      schema: {
        tags: ['employment'],
        summary:
          'Receive social-insurance contribution months (社保缴费), row by row; re-checks ' +
          'subsidies of the persons touched (Idempotency-Key supported)',
        body: Type.Object(
          { items: Type.Array(ContributionItem, { minItems: 1, maxItems: 5000 }) },
          { additionalProperties: false },
        ),
        response: { 200: ReceiveResult, ...denied, ...idempotencyReused, ...standardErrors },
      },
      config: { access: { permission: 'employment.write' }, idempotent: true },
    },
    async (request) =>
      service.receiveContributions(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.body.items,
        requestMeta(request),
      ),
  );

  app.get(
    '/persons/:id/employment',
    {
      schema: {
        tags: ['employment'],
        summary: 'A person’s employment registrations and insured months per employer (evidence)',
        params: IdParams,
        response: { 200: EmploymentSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'employment.read' } },
    },
    async (request) =>
      service.personEmployment(app.deps.db, requireAuth(request), request.params.id),
  );

  app.post(
    '/placements',
    {
      schema: {
        tags: ['employment'],
        summary:
          'Record a placement (职业介绍) of a person with an in-province employer; checks the ' +
          'placement subsidy (Idempotency-Key supported)',
        body: Type.Object(
          {
            idNumber: IdNumber,
            employerUscc: Uscc,
            employerName: Type.String({ minLength: 1, maxLength: 200 }),
            employerRegionCode: Type.String({
              pattern: '^[0-9A-Z]{6}$',
              description: 'the employer’s county-level region, in Henan (41…)',
            }),
            placedOn: CivilDate,
            agencyOrganisationId: Type.Optional(
              Type.String({
                format: 'uuid',
                description: 'administrators: the agency; agency staff: omit (their own)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ placement: PlacementSchema, claims: ClaimsSchema }),
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'placements.write' }, idempotent: true },
    },
    async (request, reply) => {
      const result = await service.recordPlacement(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/placements',
    {
      schema: {
        tags: ['employment'],
        summary:
          'Placements in your scope (an agency its own, a county its agencies’, the city all), ' +
          'newest first, with the placement claim if any',
        querystring: Type.Object(
          {
            ...PageQuery,
            agencyOrganisationId: Type.Optional(Uuid),
            placedFrom: Type.Optional(CivilDate),
            placedTo: Type.Optional(CivilDate),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(PlacementSchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'placements.read' } },
    },
    async (request) =>
      service.listPlacements(app.deps.db, requireAuth(request), withPaging(request.query)),
  );

  app.get(
    '/placements/:id',
    {
      schema: {
        tags: ['employment'],
        summary: 'One placement in your scope',
        params: IdParams,
        response: { 200: PlacementSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'placements.read' } },
    },
    async (request) => service.getPlacement(app.deps.db, requireAuth(request), request.params.id),
  );
}
