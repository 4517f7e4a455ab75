import { randomBytes } from 'node:crypto';
import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import { DomainError } from '../../platform/errors.js';
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
import { EMPLOYMENT_STATUSES } from '../persons/persons.routes.js';
import * as applications from './voucher-applications.service.js';
import * as service from './vouchers.service.js';
import { VOUCHER_STATES } from './vouchers.rules.js';

const Uuid = Type.String({ format: 'uuid' });
const CivilDate = Type.String({ format: 'date' });
const IdParams = Type.Object({ id: Uuid });
const denied = { 401: ProblemRef, 403: ProblemRef };
const conflict = { 409: ProblemRef };
const idempotencyReused = { 422: ProblemRef };

const OccupationFields = {
  occupationCode: Type.String({
    pattern: '^[0-9]-[0-9]{2}-[0-9]{2}-[0-9]{2}$',
    description: '2022 大典 code, e.g. 6-01-01-01 (occupation) or 6-01-00-00 (category)',
  }),
  occupationLevel: Type.Optional(
    Type.Union([Type.Literal(2), Type.Literal(3), Type.Literal(4)], {
      default: 4,
      description: '4 an occupation; 3 a minor group or 2 a medium group (a category)',
    }),
  ),
};
const TermFields = {
  valueFen: Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'value in fen (分)' }),
  validFrom: Type.Optional(CivilDate),
  validTo: CivilDate,
};

export const VoucherSchema = Type.Object({
  id: Uuid,
  number: Type.String({ examples: ['SQ2600000018'] }),
  personId: Uuid,
  holderName: Type.String(),
  holderIdNumberMasked: Type.String({ examples: ['411402********123X'] }),
  occupationCode: Type.String(),
  occupationLevel: Type.Integer(),
  occupationName: Type.String(),
  valueFen: Type.Integer(),
  validFrom: CivilDate,
  validTo: CivilDate,
  state: StringEnum(VOUCHER_STATES),
  classId: Nullable(Uuid),
  organisationId: Nullable(Uuid),
  subsidyStandardFen: Nullable(Type.Integer()),
  amountPayableFen: Nullable(
    Type.Integer({ description: 'min(value, class subsidy standard): paid on redemption' }),
  ),
  boundAt: Nullable(Type.String({ format: 'date-time' })),
  pendingBinding: Nullable(
    Type.Object({
      classId: Uuid,
      requestedAt: Type.String({ format: 'date-time' }),
      flaggedAt: Nullable(
        Type.String({ format: 'date-time', description: 'flagged for a county review' }),
      ),
      flagReason: Nullable(
        StringEnum(
          ['no_account', 'unconfirmed'] as const,
          'no worker account; or 24 h unconfirmed',
        ),
      ),
    }),
  ),
  regionCode: Type.String(),
  source: StringEnum(['issued', 'applied'] as const),
  batchId: Nullable(Uuid),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const BindResult = Type.Object({
  pending: Type.Boolean({ description: 'true: waits for the holder to confirm on their phone' }),
  holder: Type.Object({ name: Type.String(), idNumberMasked: Type.String() }),
  voucher: VoucherSchema,
});

const LookupResult = Type.Object({
  voucher: VoucherSchema,
  holder: Type.Object({ name: Type.String(), idNumberMasked: Type.String() }),
  bindable: Type.Boolean({ description: 'whether POST /api/vouchers/{id}/bind would pass' }),
  reason: Nullable(
    Type.String({ description: 'the error code the bind would answer, when not bindable' }),
  ),
  reasonMessage: Nullable(Type.String()),
});

/** The QR token or the holder's ID number: exactly one (checked in the handler). */
const HolderProof = {
  classId: Uuid,
  token: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
};

function holderProof(body: {
  classId: string;
  token?: string;
  idNumber?: string;
}): service.BindInput {
  const { classId, token, idNumber } = body;
  if ((token === undefined) === (idNumber === undefined)) {
    throw new DomainError('VALIDATION_FAILED', 'Send either the QR token or the ID number', [
      { path: '/body/token', message: 'send token or idNumber, not both' },
    ]);
  }
  return token !== undefined ? { classId, token } : { classId, idNumber: idNumber ?? '' };
}

const ApplicationSchema = Type.Object({
  id: Uuid,
  personId: Uuid,
  occupationCode: Type.String(),
  occupationLevel: Type.Integer(),
  reason: Nullable(Type.String()),
  state: StringEnum(['pending', 'approved', 'rejected'] as const),
  regionCode: Type.String(),
  voucherId: Nullable(Uuid),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  decisionReason: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});

const Reason = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

function level(value: 2 | 3 | 4 | undefined): 2 | 3 | 4 {
  return value ?? 4;
}

export async function vouchersRoutes(app: AppInstance) {
  // Without a configured key (tests), one random key per process: tokens still expire in 60 s.
  const qrKey = app.deps.voucherQrKey ?? randomBytes(32).toString('base64url');
  const deps = (): service.VoucherDeps => ({ pii: app.deps.pii, clock: app.deps.clock, qrKey });

  app.post(
    '/vouchers',
    {
      schema: {
        tags: ['vouchers'],
        summary: 'Issue a voucher to one person (Idempotency-Key supported)',
        body: Type.Object(
          { personId: Uuid, ...OccupationFields, ...TermFields },
          { additionalProperties: false },
        ),
        response: {
          201: VoucherSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'vouchers.issue' }, idempotent: true },
    },
    async (request, reply) => {
      const body = request.body;
      const voucher = await service.issueVoucher(
        app.deps.db,
        deps(),
        requireAuth(request),
        { ...body, occupationLevel: level(body.occupationLevel) },
        requestMeta(request),
      );
      return reply.status(201).send(voucher);
    },
  );

  app.post(
    '/vouchers/batch',
    {
      schema: {
        tags: ['vouchers'],
        summary:
          'Issue vouchers to everyone in your scope matching a filter who has no live voucher for ' +
          'the occupation; preview: true only counts them',
        body: Type.Object(
          {
            filter: Type.Object(
              {
                keyGroup: Type.Optional(Type.String({ maxLength: 40 })),
                regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$|^[0-9]{4}L[0-9]$' })),
                employmentStatus: Type.Optional(StringEnum(EMPLOYMENT_STATUSES)),
              },
              { additionalProperties: false },
            ),
            ...OccupationFields,
            ...TermFields,
            preview: Type.Boolean(),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            preview: Type.Boolean(),
            count: Type.Integer({ description: 'persons matching and without a live voucher' }),
            issued: Type.Integer(),
            batchId: Nullable(Uuid),
            sample: Type.Array(Type.Object({ name: Type.String(), idNumberMasked: Type.String() })),
          }),
          ...denied,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'vouchers.issue' }, idempotent: true },
    },
    async (request) => {
      const body = request.body;
      return service.batchIssue(
        app.deps.db,
        deps(),
        requireAuth(request),
        { ...body, occupationLevel: level(body.occupationLevel) },
        requestMeta(request),
      );
    },
  );

  app.get(
    '/vouchers',
    {
      schema: {
        tags: ['vouchers'],
        summary:
          'Vouchers in your scope (a worker their own, an institution those bound to its classes)',
        querystring: Type.Object({
          state: Type.Optional(StringEnum(VOUCHER_STATES)),
          personId: Type.Optional(Uuid),
          occupationCode: Type.Optional(Type.String({ maxLength: 20 })),
          number: Type.Optional(Type.String({ maxLength: 20 })),
          pendingReview: Type.Optional(
            Type.Boolean({ description: 'true: only bindings by ID number flagged for review' }),
          ),
          ...PageQuery,
        }),
        response: { 200: PageOf(VoucherSchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'vouchers.read' } },
    },
    async (request) =>
      service.listVouchers(app.deps.db, requireAuth(request), withPaging(request.query)),
  );

  app.get(
    '/vouchers/:id',
    {
      schema: {
        tags: ['vouchers'],
        summary: 'One voucher',
        params: IdParams,
        response: { 200: VoucherSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'vouchers.read' } },
    },
    async (request) => service.getVoucher(app.deps.db, requireAuth(request), request.params.id),
  );

  app.post(
    '/vouchers/lookup',
    {
      schema: {
        tags: ['vouchers'],
        summary:
          'Find the voucher to bind to one of your classes, from the holder’s QR token or ID ' +
          'number: the holder’s name and masked ID and whether the binding would pass',
        body: Type.Object(HolderProof, { additionalProperties: false }),
        response: {
          200: LookupResult,
          ...denied,
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'vouchers.bind' } },
    },
    async (request) =>
      service.lookupForBinding(
        app.deps.db,
        deps(),
        requireAuth(request),
        holderProof(request.body),
        requestMeta(request),
      ),
  );

  app.post(
    '/vouchers/:id/bind',
    {
      schema: {
        tags: ['vouchers'],
        summary:
          'Bind a voucher to one of your approved classes: with the QR token the holder shows ' +
          '(binds at once, 200) or the holder’s ID number (awaits their confirmation, 202)',
        params: IdParams,
        body: Type.Object(HolderProof, { additionalProperties: false }),
        response: {
          200: BindResult,
          202: BindResult,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'vouchers.bind' }, idempotent: true },
    },
    async (request, reply) => {
      const input = holderProof(request.body);
      const result = await service.bindVoucher(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        input,
        requestMeta(request),
      );
      return reply.status(result.pending ? 202 : 200).send(result);
    },
  );

  app.post(
    '/vouchers/:id/confirm-binding',
    {
      schema: {
        tags: ['vouchers'],
        summary: 'The holder confirms a binding an institution requested by ID number',
        params: IdParams,
        response: {
          200: VoucherSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'vouchers.hold' }, idempotent: true },
    },
    async (request) =>
      service.confirmBinding(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        requestMeta(request),
      ),
  );

  app.post(
    '/vouchers/:id/cancel',
    {
      schema: {
        tags: ['vouchers'],
        summary: 'Cancel an unused voucher, with a reason',
        params: IdParams,
        body: Reason,
        response: {
          200: VoucherSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'vouchers.issue' }, idempotent: true },
    },
    async (request) =>
      service.cancelVoucher(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body.reason,
        requestMeta(request),
      ),
  );

  app.post(
    '/vouchers/:id/review-binding',
    {
      schema: {
        tags: ['vouchers'],
        summary:
          'Approve (binds as the holder’s confirmation would) or reject a binding by ID number ' +
          'flagged for review',
        params: IdParams,
        body: Type.Object(
          { approve: Type.Boolean(), reason: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: {
          200: VoucherSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'vouchers.review' }, idempotent: true },
    },
    async (request) =>
      service.reviewBinding(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body,
        requestMeta(request),
      ),
  );

  app.post(
    '/vouchers/:id/unbind',
    {
      schema: {
        tags: ['vouchers'],
        summary:
          'Release a voucher bound to one of your classes (back to issued), before the holder ' +
          'has attended; the trainee is withdrawn',
        params: IdParams,
        body: Reason,
        response: {
          200: VoucherSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'vouchers.bind' }, idempotent: true },
    },
    async (request) =>
      service.unbindVoucher(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body.reason,
        requestMeta(request),
      ),
  );

  app.get(
    '/me/vouchers/:id/qr',
    {
      schema: {
        tags: ['vouchers'],
        summary: 'A signed QR token for your own voucher, valid for 60 seconds',
        params: IdParams,
        response: {
          200: Type.Object({
            token: Type.String(),
            expiresAt: Type.String({ format: 'date-time' }),
            voucherNumber: Type.String(),
          }),
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'vouchers.hold' } },
    },
    async (request) =>
      service.qrForHolder(app.deps.db, deps(), requireAuth(request), request.params.id),
  );

  app.post(
    '/me/voucher-applications',
    {
      schema: {
        tags: ['vouchers'],
        summary: 'Apply for a voucher yourself (个人领取)',
        body: Type.Object(
          {
            ...OccupationFields,
            reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
          },
          { additionalProperties: false },
        ),
        response: {
          201: ApplicationSchema,
          ...denied,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'vouchers.hold' }, idempotent: true },
    },
    async (request, reply) => {
      const body = request.body;
      const result = await applications.applyForVoucher(
        app.deps.db,
        deps(),
        requireAuth(request),
        { ...body, occupationLevel: level(body.occupationLevel) },
        requestMeta(request),
      );
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/voucher-applications',
    {
      schema: {
        tags: ['vouchers'],
        summary: 'Voucher applications in your scope',
        querystring: Type.Object({
          state: Type.Optional(StringEnum(['pending', 'approved', 'rejected'] as const)),
          ...PageQuery,
        }),
        response: { 200: PageOf(ApplicationSchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'vouchers.issue' } },
    },
    async (request) =>
      applications.listApplications(app.deps.db, requireAuth(request), withPaging(request.query)),
  );

  app.post(
    '/voucher-applications/:id/approve',
    {
      schema: {
        tags: ['vouchers'],
        summary: 'Approve an application, issuing the voucher on these terms',
        params: IdParams,
        body: Type.Object({ ...TermFields }, { additionalProperties: false }),
        response: {
          200: Type.Object({ application: ApplicationSchema, voucher: VoucherSchema }),
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'vouchers.issue' }, idempotent: true },
    },
    async (request) =>
      applications.approveApplication(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body,
        requestMeta(request),
      ),
  );

  app.post(
    '/voucher-applications/:id/reject',
    {
      schema: {
        tags: ['vouchers'],
        summary: 'Reject an application, with a reason',
        params: IdParams,
        body: Reason,
        response: {
          200: ApplicationSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'vouchers.issue' }, idempotent: true },
    },
    async (request) =>
      applications.rejectApplication(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body.reason,
        requestMeta(request),
      ),
  );
}
