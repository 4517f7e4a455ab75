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
import * as service from './persons.service.js';

export const EMPLOYMENT_STATUSES = [
  'employed',
  'unemployed',
  'flexible',
  'student',
  'farming',
  'retired',
  'unknown',
] as const;
export const EDUCATIONS = [
  'primary',
  'junior_high',
  'senior_high',
  'secondary_vocational',
  'college',
  'bachelor',
  'postgraduate',
] as const;

const RegionCode = Type.String({ pattern: '^[0-9]{6}([0-9]{3})?$|^[0-9]{4}L[0-9]$' });

export const PersonSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  idNumberMasked: Type.String({ examples: ['411402********123X'] }),
  sex: StringEnum(['M', 'F'] as const),
  birthDate: Type.String({ format: 'date' }),
  phoneMasked: Nullable(Type.String({ examples: ['138****1234'] })),
  householdRegionCode: Nullable(Type.String()),
  residenceRegionCode: Nullable(Type.String()),
  regionCode: Type.String({ description: 'the county the person is counted in' }),
  education: Nullable(StringEnum(EDUCATIONS)),
  employmentStatus: StringEnum(EMPLOYMENT_STATUSES),
  keyGroups: Type.Array(Type.String()),
  reviewWarnings: Type.Array(Type.String()),
  note: Nullable(Type.String()),
  source: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const Warning = Type.Object({ code: Type.String(), message: Type.String() });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const denied = { 401: ProblemRef, 403: ProblemRef };

const PersonBody = {
  name: Type.String({ minLength: 1, maxLength: 50 }),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  householdRegionCode: Type.Optional(Nullable(RegionCode)),
  residenceRegionCode: Type.Optional(Nullable(RegionCode)),
  education: Type.Optional(Nullable(StringEnum(EDUCATIONS))),
  employmentStatus: Type.Optional(StringEnum(EMPLOYMENT_STATUSES)),
  keyGroups: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
};

export async function personsRoutes(app: AppInstance) {
  const deps = () => ({ pii: app.deps.pii, clock: app.deps.clock });

  app.get(
    '/persons',
    {
      schema: {
        tags: ['persons'],
        summary:
          'Search persons in your scope by name, phone, region, key group, employment status',
        querystring: Type.Object({
          name: Type.Optional(Type.String({ maxLength: 50 })),
          phone: Type.Optional(Type.String({ maxLength: 20, description: 'exact match' })),
          regionCode: Type.Optional(RegionCode),
          keyGroup: Type.Optional(Type.String({ maxLength: 40 })),
          employmentStatus: Type.Optional(StringEnum(EMPLOYMENT_STATUSES)),
          ...PageQuery,
        }),
        response: { 200: PageOf(PersonSchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'persons.read' } },
    },
    async (request) => {
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const result = await service.searchPersons(app.deps.db, deps(), requireAuth(request), {
        ...request.query,
        page,
        pageSize,
      });
      return { ...result, page, pageSize };
    },
  );

  app.post(
    '/persons',
    {
      schema: {
        tags: ['persons'],
        summary: 'Register a person (real-name); one person per ID number',
        body: Type.Object(
          { idNumber: Type.String({ minLength: 1, maxLength: 40 }), ...PersonBody },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ person: PersonSchema, warnings: Type.Array(Warning) }),
          ...denied,
          409: ProblemRef,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'persons.write' } },
    },
    async (request, reply) => {
      const result = await service.createPerson(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/persons/lookup',
    {
      schema: {
        tags: ['persons'],
        summary:
          'Find a person by ID number (exact, through the blind index; the number stays out of URLs)',
        body: Type.Object(
          { idNumber: Type.String({ minLength: 1, maxLength: 40 }) },
          { additionalProperties: false },
        ),
        response: { 200: PersonSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'persons.read' } },
    },
    async (request) =>
      service.findPersonByIdNumber(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.body.idNumber,
      ),
  );

  app.get(
    '/persons/:id',
    {
      schema: {
        tags: ['persons'],
        summary: 'One person (masked)',
        params: IdParams,
        response: { 200: PersonSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'persons.read' } },
    },
    async (request) => service.getPerson(app.deps.db, requireAuth(request), request.params.id),
  );

  app.patch(
    '/persons/:id',
    {
      schema: {
        tags: ['persons'],
        summary: 'Change a person; send the version you read',
        params: IdParams,
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            ...Object.fromEntries(
              Object.entries(PersonBody).map(([k, v]) => [k, k === 'name' ? Type.Optional(v) : v]),
            ),
          } as { version: ReturnType<typeof Type.Integer> } & typeof PersonBody,
          { additionalProperties: false },
        ),
        response: {
          200: PersonSchema,
          ...denied,
          ...notFoundError,
          409: ProblemRef,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'persons.write' } },
    },
    async (request) =>
      service.updatePerson(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body,
        requestMeta(request),
      ),
  );

  app.post(
    '/persons/:id/reveal',
    {
      schema: {
        tags: ['persons'],
        summary: 'The full ID number and phone (audited)',
        params: IdParams,
        response: {
          200: Type.Object({ idNumber: Type.String(), phone: Nullable(Type.String()) }),
          ...denied,
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'persons.reveal' } },
    },
    async (request) =>
      service.revealPerson(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        requestMeta(request),
      ),
  );

  app.get(
    '/persons/:id/history',
    {
      schema: {
        tags: ['persons'],
        summary: 'The audit trail of a person record',
        params: IdParams,
        querystring: Type.Object({ ...PageQuery }),
        response: {
          200: PageOf(
            Type.Object({
              id: Type.String(),
              occurredAt: Type.String({ format: 'date-time' }),
              actorUsername: Nullable(Type.String()),
              actorRole: Nullable(Type.String()),
              action: Type.String(),
              actionDescription: Type.String(),
              outcome: Type.String(),
            }),
          ),
          ...denied,
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'persons.history' } },
    },
    async (request) =>
      service.personHistory(
        app.deps.db,
        requireAuth(request),
        request.params.id,
        request.query.page ?? 1,
        request.query.pageSize ?? 20,
      ),
  );

  app.get(
    '/key-groups',
    {
      schema: {
        tags: ['persons'],
        summary: 'The key-group tags (重点群体) a person can carry',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                code: Type.String(),
                name: Type.String(),
                nameEn: Type.String(),
                aliases: Type.Array(Type.String()),
              }),
            ),
          }),
          ...standardErrors,
        },
      },
      config: { access: 'public' },
    },
    async () => ({
      items: await app.deps.db
        .selectFrom('keyGroups')
        .select(['code', 'name', 'nameEn', 'aliases'])
        .orderBy('sortOrder')
        .execute(),
    }),
  );
}
