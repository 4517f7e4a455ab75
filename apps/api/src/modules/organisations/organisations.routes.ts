import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import {
  ListOf,
  notFoundError,
  Nullable,
  PageOf,
  PageQuery,
  ProblemRef,
  standardErrors,
  StringEnum,
} from '../../platform/http.js';
import { requestMeta, requireAuth } from '../auth/auth.access.js';
import {
  AFFILIATIONS,
  EVALUATION_TYPES,
  ORGANISATION_KINDS,
  ORGANISATION_STATUSES,
  SIZE_CLASSES,
  type Affiliation,
  type EvaluationType,
  type OrganisationKind,
  type OrganisationStatus,
  type SizeClass,
} from './organisations.schema.js';
import * as service from './organisations.service.js';

const KindSchema = StringEnum<OrganisationKind>(ORGANISATION_KINDS);
const StatusSchema = StringEnum<OrganisationStatus>(ORGANISATION_STATUSES);
const EvaluationTypeSchema = StringEnum<EvaluationType>(EVALUATION_TYPES);
const SizeClassSchema = StringEnum<SizeClass>(SIZE_CLASSES);
const AffiliationSchema = StringEnum<Affiliation>(AFFILIATIONS);

const RegionCode = Type.String({ pattern: '^[0-9]{6}$|^[0-9]{4}L[0-9]$' });
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Address = Type.String({ maxLength: 300 });
const ContactName = Type.String({ maxLength: 100 });
const ContactPhone = Type.String({ minLength: 3, maxLength: 30 });
// Checked in full by the GB 32100 rules, which answer in Chinese; this only bounds the size.
const Uscc = Type.String({ minLength: 1, maxLength: 40 });
const InstitutionCode = Type.String({ pattern: '^[0-9]{4}$' });
const SerialCode = Type.String({ pattern: '^[0-9]{6}$' });
const CivilDate = Type.String({ format: 'date', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const BankName = Type.String({
  maxLength: 100,
  description: '开户银行; with the other bank fields',
});
const BankAccountName = Type.String({ maxLength: 200, description: '账户名称' });
const BankAccountNo = Type.String({
  maxLength: 40,
  description: '银行账号: 8–32 digits (spaces between groups are dropped)',
});

const OrganisationSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: KindSchema,
  name: Type.String(),
  uscc: Nullable(Type.String()),
  regionCode: Type.String(),
  address: Nullable(Type.String()),
  contactName: Nullable(Type.String()),
  contactPhone: Nullable(Type.String({ description: 'masked, e.g. 138****1234' })),
  status: StatusSchema,
  evaluationType: Nullable(EvaluationTypeSchema),
  institutionCode: Nullable(Type.String()),
  sizeClass: Nullable(SizeClassSchema),
  isSme: Nullable(Type.Boolean({ description: 'employers: medium, small or micro' })),
  affiliation: Nullable(AffiliationSchema),
  affiliationRegionCode: Nullable(Type.String()),
  bankName: Nullable(Type.String({ description: 'the payee account subsidies are paid into' })),
  bankAccountName: Nullable(Type.String()),
  bankAccountNo: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const SiteSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  organisationId: Type.String({ format: 'uuid' }),
  name: Type.String(),
  serialCode: Type.String(),
  regionCode: Type.String(),
  address: Nullable(Type.String()),
  status: StatusSchema,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const ScopeSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  siteId: Type.String({ format: 'uuid' }),
  occupationCode: Type.String(),
  occupationLevel: Type.Integer(),
  occupationName: Type.String(),
  skillLevelKey: Type.String(),
  skillLevelName: Type.String(),
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.String({ format: 'date' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const SiteParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  siteId: Type.String({ format: 'uuid' }),
});
const ScopeParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  siteId: Type.String({ format: 'uuid' }),
  scopeId: Type.String({ format: 'uuid' }),
});
const denied = { 401: ProblemRef, 403: ProblemRef };
const conflict = { 409: ProblemRef };

export async function organisationsRoutes(app: AppInstance) {
  const { db, clock, pii } = app.deps;

  app.get(
    '/organisations',
    {
      schema: {
        tags: ['organisations'],
        summary:
          'Organisations in your scope (a county administrator sees their region, staff their own)',
        querystring: Type.Object({
          kind: Type.Optional(KindSchema),
          q: Type.Optional(Type.String({ maxLength: 100, description: 'part of the name' })),
          uscc: Type.Optional(Uscc),
          regionCode: Type.Optional(RegionCode),
          status: Type.Optional(StatusSchema),
          ...PageQuery,
        }),
        response: { 200: PageOf(OrganisationSchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'organisations.read' } },
    },
    async (request) => {
      const { page = 1, pageSize = 20, ...filters } = request.query;
      const result = await service.listOrganisations(db, requireAuth(request), {
        ...filters,
        page,
        pageSize,
      });
      return { ...result, page, pageSize };
    },
  );

  app.post(
    '/organisations',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Register an organisation (fields by kind: see the problem’s errors)',
        body: Type.Object(
          {
            kind: KindSchema,
            name: Name,
            uscc: Type.Optional(Uscc),
            regionCode: Type.Optional(RegionCode),
            address: Type.Optional(Address),
            contactName: Type.Optional(ContactName),
            contactPhone: Type.Optional(ContactPhone),
            evaluationType: Type.Optional(EvaluationTypeSchema),
            institutionCode: Type.Optional(InstitutionCode),
            sizeClass: Type.Optional(SizeClassSchema),
            affiliation: Type.Optional(AffiliationSchema),
            affiliationRegionCode: Type.Optional(RegionCode),
            bankName: Type.Optional(BankName),
            bankAccountName: Type.Optional(BankAccountName),
            bankAccountNo: Type.Optional(BankAccountNo),
          },
          { additionalProperties: false },
        ),
        response: {
          201: OrganisationSchema,
          ...denied,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'organisations.manage' } },
    },
    async (request, reply) => {
      const organisation = await service.createOrganisation(
        db,
        clock,
        pii,
        requireAuth(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(organisation);
    },
  );

  app.get(
    '/organisations/:id',
    {
      schema: {
        tags: ['organisations'],
        summary: 'One organisation',
        params: IdParams,
        response: { 200: OrganisationSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'organisations.read' } },
    },
    async (request) => service.getOrganisation(db, requireAuth(request), request.params.id),
  );

  app.patch(
    '/organisations/:id',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Change an organisation’s details, or suspend or re-activate it',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            uscc: Type.Optional(Nullable(Uscc)),
            regionCode: Type.Optional(RegionCode),
            address: Type.Optional(Nullable(Address)),
            contactName: Type.Optional(Nullable(ContactName)),
            contactPhone: Type.Optional(Nullable(ContactPhone)),
            status: Type.Optional(StatusSchema),
            evaluationType: Type.Optional(Nullable(EvaluationTypeSchema)),
            institutionCode: Type.Optional(Nullable(InstitutionCode)),
            sizeClass: Type.Optional(Nullable(SizeClassSchema)),
            affiliation: Type.Optional(Nullable(AffiliationSchema)),
            affiliationRegionCode: Type.Optional(Nullable(RegionCode)),
            bankName: Type.Optional(Nullable(BankName)),
            bankAccountName: Type.Optional(Nullable(BankAccountName)),
            bankAccountNo: Type.Optional(Nullable(BankAccountNo)),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: {
          200: OrganisationSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'organisations.manage' } },
    },
    async (request) =>
      service.updateOrganisation(
        db,
        clock,
        pii,
        requireAuth(request),
        request.params.id,
        request.body,
        requestMeta(request),
      ),
  );

  app.get(
    '/organisations/:id/sites',
    {
      schema: {
        tags: ['organisations'],
        summary: 'An evaluation institution’s evaluation sites (other kinds have none)',
        params: IdParams,
        response: { 200: ListOf(SiteSchema), ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'organisations.read' } },
    },
    async (request) => ({
      items: await service.listSites(db, requireAuth(request), request.params.id),
    }),
  );

  app.post(
    '/organisations/:id/sites',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Add an evaluation site with the 序列码 the province assigned it',
        params: IdParams,
        body: Type.Object(
          {
            name: Name,
            serialCode: SerialCode,
            regionCode: RegionCode,
            address: Type.Optional(Address),
          },
          { additionalProperties: false },
        ),
        response: {
          201: SiteSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'organisations.manage' } },
    },
    async (request, reply) => {
      const site = await service.addSite(
        db,
        clock,
        requireAuth(request),
        request.params.id,
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(site);
    },
  );

  app.patch(
    '/organisations/:id/sites/:siteId',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Change an evaluation site, or suspend or re-activate it',
        params: SiteParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            serialCode: Type.Optional(SerialCode),
            regionCode: Type.Optional(RegionCode),
            address: Type.Optional(Nullable(Address)),
            status: Type.Optional(StatusSchema),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: {
          200: SiteSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'organisations.manage' } },
    },
    async (request) =>
      service.updateSite(
        db,
        clock,
        requireAuth(request),
        request.params.id,
        request.params.siteId,
        request.body,
        requestMeta(request),
      ),
  );

  app.get(
    '/organisations/:id/sites/:siteId/scopes',
    {
      schema: {
        tags: ['organisations'],
        summary: 'What a site is approved to evaluate (all approvals, or those in force on a day)',
        params: SiteParams,
        querystring: Type.Object({ activeOn: Type.Optional(CivilDate) }),
        response: { 200: ListOf(ScopeSchema), ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'organisations.read' } },
    },
    async (request) => ({
      items: await service.listScopes(
        db,
        requireAuth(request),
        request.params.id,
        request.params.siteId,
        request.query,
      ),
    }),
  );

  app.post(
    '/organisations/:id/sites/:siteId/scopes',
    {
      schema: {
        tags: ['organisations'],
        summary:
          'Approve a site for an occupation at a skill level, for a period (both days included)',
        params: SiteParams,
        body: Type.Object(
          {
            occupationCode: Type.String({ pattern: '^[0-9]-[0-9]{2}-[0-9]{2}-[0-9]{2}$' }),
            occupationLevel: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: 4,
                description: 'catalog level; 4 = occupation',
              }),
            ),
            skillLevelKey: Type.String({ minLength: 1, maxLength: 40 }),
            validFrom: CivilDate,
            validTo: CivilDate,
          },
          { additionalProperties: false },
        ),
        response: {
          201: ScopeSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'organisations.scopes.approve' } },
    },
    async (request, reply) => {
      const scope = await service.approveScope(
        db,
        clock,
        requireAuth(request),
        request.params.id,
        request.params.siteId,
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(scope);
    },
  );

  app.post(
    '/organisations/:id/sites/:siteId/scopes/:scopeId/end',
    {
      schema: {
        tags: ['organisations'],
        summary: 'End an approval early: `validTo` becomes its last day',
        params: ScopeParams,
        body: Type.Object(
          {
            validTo: CivilDate,
            reason: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ScopeSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'organisations.scopes.approve' } },
    },
    async (request) =>
      service.endScope(
        db,
        clock,
        requireAuth(request),
        request.params.id,
        request.params.siteId,
        request.params.scopeId,
        request.body,
        requestMeta(request),
      ),
  );
}
