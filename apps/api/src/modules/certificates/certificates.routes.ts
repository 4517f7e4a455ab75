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
import * as service from './certificates.service.js';
import { CERTIFICATE_KINDS, CERTIFICATE_STATUSES } from './certificates.schema.js';

const Uuid = Type.String({ format: 'uuid' });
const CivilDate = Type.String({ format: 'date' });
const DateTime = Type.String({ format: 'date-time' });
const IdParams = Type.Object({ id: Uuid });
const denied = { 401: ProblemRef, 403: ProblemRef };

export const CertificateSchema = Type.Object({
  id: Uuid,
  number: Type.String({
    description:
      'skill_level: the national 22-character number (S|Y + institution + 41 + site 序列码 + ' +
      'YY + level digit + 6-digit serial); special_ability: 41 + YY + site 序列码 + 5-digit serial',
    examples: ['S000041123456264000001'],
  }),
  kind: StringEnum(CERTIFICATE_KINDS),
  personId: Uuid,
  holderName: Type.String(),
  holderIdNumberMasked: Type.String({ examples: ['411402********123X'] }),
  occupationCode: Type.String(),
  occupationLevel: Type.Integer(),
  occupationName: Type.String(),
  skillLevelKey: Type.String(),
  skillLevelName: Type.String(),
  specialAbilityId: Nullable(Uuid),
  specialAbilityName: Nullable(Type.String()),
  organisationId: Uuid,
  issuerName: Type.String(),
  siteId: Nullable(Uuid),
  siteName: Nullable(Type.String()),
  issuingProvinceCode: Type.String(),
  sessionId: Nullable(Uuid),
  sessionHeldOn: Nullable(CivilDate),
  candidateId: Nullable(Uuid),
  issuedOn: CivilDate,
  status: StringEnum(CERTIFICATE_STATUSES),
  revokedAt: Nullable(DateTime),
  revocationReason: Nullable(Type.String()),
  statusListIndex: Type.Integer(),
  regionCode: Type.String(),
  source: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export async function certificatesRoutes(app: AppInstance) {
  app.get(
    '/certificates',
    {
      schema: {
        tags: ['certificates'],
        summary:
          'Certificates in your scope (a worker their own: 我的证书; an institution those it ' +
          'issued; a county its holders)',
        querystring: Type.Object({
          number: Type.Optional(Type.String({ maxLength: 32 })),
          personId: Type.Optional(Uuid),
          organisationId: Type.Optional(Uuid),
          sessionId: Type.Optional(Uuid),
          status: Type.Optional(StringEnum(CERTIFICATE_STATUSES)),
          kind: Type.Optional(StringEnum(CERTIFICATE_KINDS)),
          ...PageQuery,
        }),
        response: { 200: PageOf(CertificateSchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'certificates.read' } },
    },
    async (request) =>
      service.listCertificates(app.deps.db, requireAuth(request), withPaging(request.query)),
  );

  app.get(
    '/certificates/:id',
    {
      schema: {
        tags: ['certificates'],
        summary: 'One certificate, with its revocation if revoked',
        params: IdParams,
        response: { 200: CertificateSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'certificates.read' } },
    },
    async (request) => service.getCertificate(app.deps.db, requireAuth(request), request.params.id),
  );

  app.post(
    '/certificates/:id/revoke',
    {
      schema: {
        tags: ['certificates'],
        summary: 'Revoke a certificate with a reason (idempotent; audited)',
        params: IdParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: {
          200: CertificateSchema,
          ...denied,
          ...notFoundError,
          409: ProblemRef,
          422: ProblemRef,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'certificates.revoke' }, idempotent: true },
    },
    async (request) =>
      service.revokeCertificate(
        app.deps.db,
        { clock: app.deps.clock },
        requireAuth(request),
        request.params.id,
        request.body.reason,
        requestMeta(request),
      ),
  );
}
