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
import * as service from './activity.certificates.service.js';
import {
  ACTIVITY_SOURCES,
  EXTERNAL_CERTIFICATE_KINDS,
  REPORT_STATUSES,
} from './activity.schema.js';

const Uuid = Type.String({ format: 'uuid' });
const CivilDate = Type.String({ format: 'date' });
const Period = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', examples: ['2026-03'] });
const IdParams = Type.Object({ id: Uuid });
const denied = { 401: ProblemRef, 403: ProblemRef };
const conflict = { 409: ProblemRef };
const idempotencyReused = { 422: ProblemRef };
/** The most items one batch call may carry; larger sets go by file import. */
export const MAX_BATCH_ITEMS = 1000;

const Kind = StringEnum(
  EXTERNAL_CERTIFICATE_KINDS,
  'qualification_legacy 职业资格证书 (16 digits; 13 for old Shanghai ones); skill_level ' +
    '职业技能等级证书 (22 characters); special_ability 专项职业能力证书; special_operation ' +
    '特种作业操作证',
);

// Number, occupation, level and province are checked by the intake rules, each failure with its
// own code (CERTIFICATE_NUMBER_INVALID, LEVEL_MISMATCH, …), so the schema only bounds them.
const CertificateFields = {
  unitId: Type.String({ minLength: 1, maxLength: 20, examples: ['A2-07'] }),
  kind: Kind,
  number: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'as printed; a 特种作业操作证 usually carries the holder’s ID number',
    examples: ['S000041000123224000057'],
  }),
  idNumber: Type.String({ minLength: 1, maxLength: 40, description: 'the holder’s ID number' }),
  name: Type.String({ minLength: 1, maxLength: 50, description: 'the holder’s name' }),
  occupationCode: Type.Optional(
    Nullable(Type.String({ maxLength: 20, description: '2022 大典 occupation, e.g. 4-03-02-01' })),
  ),
  skillLevelKey: Type.Optional(
    Nullable(
      Type.String({ maxLength: 20, description: 'level5 … level1 (专项: special_ability)' }),
    ),
  ),
  itemName: Type.Optional(
    Nullable(
      Type.String({
        maxLength: 200,
        description: '专项 item, or 特种作业 category such as 电工作业/低压电工作业',
      }),
    ),
  ),
  issuerName: Type.String({ minLength: 1, maxLength: 200 }),
  issuingProvinceCode: Type.Optional(
    Type.String({ maxLength: 4, description: 'GB/T 2260 province prefix; 41 (Henan) when absent' }),
  ),
  issuedOn: CivilDate,
  validUntil: Type.Optional(Nullable(CivilDate)),
};

const Source = Type.Optional(
  StringEnum(
    ['unit_report', 'api'] as const,
    'unit_report (default); api for system-to-system calls',
  ),
);

const ExternalCertificateSchema = Type.Object({
  id: Uuid,
  kind: StringEnum(EXTERNAL_CERTIFICATE_KINDS),
  number: Type.String({ description: 'a 特种作业操作证 number is masked like an ID number' }),
  external: Type.Literal(true, { description: 'issued elsewhere: never signed as ours' }),
  personId: Uuid,
  holderName: Type.String(),
  holderIdNumberMasked: Type.String(),
  occupationCode: Nullable(Type.String()),
  occupationName: Nullable(Type.String()),
  skillLevelKey: Nullable(Type.String()),
  skillLevelName: Nullable(Type.String()),
  itemName: Nullable(Type.String()),
  issuerName: Type.String(),
  issuingProvinceCode: Type.String(),
  issuedOn: CivilDate,
  validUntil: Nullable(CivilDate),
  unitId: Type.String(),
  unitName: Type.String(),
  period: Type.String(),
  source: StringEnum(ACTIVITY_SOURCES),
  importRunId: Nullable(Uuid),
  status: StringEnum(REPORT_STATUSES),
  duplicateOf: Nullable(
    Type.Object(
      { certificateId: Uuid, number: Type.String() },
      {
        description: 'our valid certificate for the same person + occupation + level: counted once',
      },
    ),
  ),
  reportedBy: Nullable(Uuid),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const BatchResultSchema = Type.Object({
  accepted: Type.Integer({ minimum: 0 }),
  rejected: Type.Integer({ minimum: 0 }),
  duplicates: Type.Integer({ minimum: 0, description: 'accepted items that duplicate ours' }),
  results: Type.Array(
    Type.Object({
      index: Type.Integer({ minimum: 0 }),
      outcome: StringEnum(['accepted', 'rejected'] as const),
      id: Type.Optional(Uuid),
      duplicateOf: Type.Optional(
        Nullable(Type.Object({ certificateId: Uuid, number: Type.String() })),
      ),
      path: Type.Optional(Type.String({ examples: ['/items/3/number'] })),
      code: Type.Optional(Type.String({ examples: ['LEVEL_MISMATCH'] })),
      message: Type.Optional(Type.String()),
      existingId: Type.Optional(Nullable(Uuid)),
    }),
  ),
});

/** Certificates issued elsewhere (R-ACT-1): record, batch, list, read, correct, withdraw. */
export async function activityCertificatesRoutes(app: AppInstance) {
  const deps = (): service.CertificateIntakeDeps => ({
    pii: app.deps.pii,
    clock: app.deps.clock,
  });

  app.post(
    '/activity/certificates',
    {
      schema: {
        tags: ['activity'],
        summary:
          'Record a certificate issued elsewhere (external): validated by kind, the holder ' +
          'matched or registered, de-duplicated against ours (Idempotency-Key supported)',
        body: Type.Object(
          { ...CertificateFields, source: Source },
          { additionalProperties: false },
        ),
        response: {
          201: ExternalCertificateSchema,
          ...denied,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'activity.report' }, idempotent: true },
    },
    async (request, reply) => {
      const record = await service.reportCertificate(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(record);
    },
  );

  app.post(
    '/activity/certificates/batch',
    {
      schema: {
        tags: ['activity'],
        summary:
          `Record up to ${MAX_BATCH_ITEMS} certificates issued elsewhere (a system's call): the ` +
          'valid ones in one transaction, each item accepted or rejected with its path and code',
        body: Type.Object(
          {
            items: Type.Array(Type.Object(CertificateFields, { additionalProperties: false }), {
              minItems: 1,
              maxItems: MAX_BATCH_ITEMS,
            }),
            source: Source,
          },
          { additionalProperties: false },
        ),
        response: {
          200: BatchResultSchema,
          ...denied,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'activity.report' }, idempotent: true },
    },
    async (request) =>
      service.reportCertificateBatch(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.body.items,
        request.body.source ?? 'unit_report',
        requestMeta(request),
      ),
  );

  app.get(
    '/activity/certificates',
    {
      schema: {
        tags: ['activity'],
        summary:
          'External certificates in your scope (a unit its own, a county its county units’, an ' +
          'institution those its staff recorded, the city all)',
        querystring: Type.Object({
          unitId: Type.Optional(Type.String({ maxLength: 20 })),
          period: Type.Optional(Period),
          kind: Type.Optional(StringEnum(EXTERNAL_CERTIFICATE_KINDS)),
          status: Type.Optional(StringEnum(REPORT_STATUSES)),
          personId: Type.Optional(Uuid),
          duplicate: Type.Optional(
            Type.Boolean({ description: 'true: only those duplicating ours' }),
          ),
          ...PageQuery,
        }),
        response: { 200: PageOf(ExternalCertificateSchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'activity.read' } },
    },
    async (request) =>
      service.listExternalCertificates(
        app.deps.db,
        requireAuth(request),
        withPaging(request.query),
      ),
  );

  app.get(
    '/activity/certificates/:id',
    {
      schema: {
        tags: ['activity'],
        summary: 'One external certificate',
        params: IdParams,
        response: {
          200: ExternalCertificateSchema,
          ...denied,
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'activity.read' } },
    },
    async (request) =>
      service.getExternalCertificate(app.deps.db, requireAuth(request), request.params.id),
  );

  app.patch(
    '/activity/certificates/:id',
    {
      schema: {
        tags: ['activity'],
        summary:
          'Correct an external certificate (not its kind or holder) while its month is open; ' +
          'version must be the one read',
        params: IdParams,
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            unitId: Type.Optional(CertificateFields.unitId),
            number: Type.Optional(CertificateFields.number),
            occupationCode: CertificateFields.occupationCode,
            skillLevelKey: CertificateFields.skillLevelKey,
            itemName: CertificateFields.itemName,
            issuerName: Type.Optional(CertificateFields.issuerName),
            issuingProvinceCode: Type.Optional(Type.String({ maxLength: 4 })),
            issuedOn: Type.Optional(CivilDate),
            validUntil: CertificateFields.validUntil,
          },
          { additionalProperties: false },
        ),
        response: {
          200: ExternalCertificateSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'activity.report' } },
    },
    async (request) =>
      service.correctExternalCertificate(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body,
        requestMeta(request),
      ),
  );

  app.post(
    '/activity/certificates/:id/withdraw',
    {
      schema: {
        tags: ['activity'],
        summary: 'Withdraw an external certificate with a reason while its month is open',
        params: IdParams,
        body: Type.Object(
          {
            reason: Type.String({ minLength: 1, maxLength: 500 }),
            version: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: ExternalCertificateSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'activity.report' }, idempotent: true },
    },
    async (request) =>
      service.withdrawExternalCertificate(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body,
        requestMeta(request),
      ),
  );
}
