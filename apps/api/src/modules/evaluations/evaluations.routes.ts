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
  withPaging,
} from '../../platform/http.js';
import { requestMeta, requireAuth } from '../auth/auth.access.js';
import { CertificateSchema } from '../certificates/certificates.routes.js';
import * as service from './evaluations.service.js';
import { CANDIDATE_RESULTS, CANDIDATE_SOURCES, SESSION_STATES } from './evaluations.schema.js';

const Uuid = Type.String({ format: 'uuid' });
const CivilDate = Type.String({ format: 'date' });
const DateTime = Type.String({ format: 'date-time' });
const IdParams = Type.Object({ id: Uuid });
const denied = { 401: ProblemRef, 403: ProblemRef };
const conflict = { 409: ProblemRef };
const idempotencyReused = { 422: ProblemRef };
const Mark = Type.Integer({ minimum: 0, maximum: 100 });
const OccupationCode = Type.String({
  pattern: '^[0-9]-[0-9]{2}-[0-9]{2}-[0-9]{2}$',
  description: '2022 大典 occupation code, e.g. 6-01-01-01',
});
const OccupationLevel = Type.Optional(
  Type.Union([Type.Literal(3), Type.Literal(4)], {
    default: 4,
    description: '4 an occupation; 3 a minor group that is itself an occupation',
  }),
);

export const SessionSchema = Type.Object({
  id: Uuid,
  organisationId: Uuid,
  organisationName: Type.String(),
  siteId: Uuid,
  siteName: Type.String(),
  siteSerialCode: Type.String({ description: 'the site’s 6-digit 序列码' }),
  scopeId: Uuid,
  occupationCode: Type.String(),
  occupationLevel: Type.Integer(),
  occupationName: Type.String(),
  skillLevelKey: Type.String(),
  skillLevelName: Type.String(),
  specialAbilityId: Nullable(Uuid),
  specialAbilityName: Nullable(Type.String()),
  heldOn: CivilDate,
  hasTheory: Type.Boolean({ description: 'false for 专项职业能力: a practical part only' }),
  theoryPassMark: Nullable(Type.Integer()),
  practicalPassMark: Type.Integer(),
  state: StringEnum(SESSION_STATES),
  regionCode: Type.String(),
  submittedAt: Nullable(DateTime),
  sample: Nullable(
    Type.Object({ sampledBy: Uuid, sampledAt: DateTime, note: Nullable(Type.String()) }),
  ),
  candidateCount: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const CandidateSchema = Type.Object({
  id: Uuid,
  sessionId: Uuid,
  personId: Uuid,
  holderName: Type.String(),
  holderIdNumberMasked: Type.String(),
  source: StringEnum(CANDIDATE_SOURCES),
  voucherId: Nullable(Uuid),
  employerOrganisationId: Nullable(Uuid),
  schoolName: Nullable(Type.String()),
  workerPaid: Type.Boolean(),
  feePaidFen: Nullable(Type.Integer()),
  theoryScore: Nullable(Type.Integer()),
  practicalScore: Nullable(Type.Integer()),
  result: Nullable(StringEnum(CANDIDATE_RESULTS)),
  certificateId: Nullable(Uuid),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const SessionDetail = Type.Intersect([
  SessionSchema,
  Type.Object({
    candidates: Type.Array(CandidateSchema),
    certificates: Type.Array(CertificateSchema),
  }),
]);

const SubmitAnswer = Type.Object({
  session: SessionSchema,
  issued: Type.Array(CertificateSchema, { description: 'the certificates this session issued' }),
  alreadyCertified: Type.Array(
    Type.Object({
      candidateId: Uuid,
      personId: Uuid,
      heldCertificateId: Nullable(Uuid),
      heldNumber: Nullable(Type.String()),
    }),
    {
      description:
        'passed, but already holding a valid certificate for this occupation and level: ' +
        'the pass is recorded, no second certificate is issued',
    },
  ),
  evaluationSubsidies: Type.Array(
    Type.Object({
      certificateId: Uuid,
      claimId: Nullable(Uuid),
      claimNumber: Nullable(Type.String()),
      amountFen: Nullable(Type.Integer()),
      reason: Nullable(
        StringEnum(
          ['worker_paid', 'already_claimed', 'no_policy'] as const,
          'null: claimed; worker_paid: the worker paid for the evaluation; already_claimed: ' +
            'claimed before for this person, occupation and level (any institution, any year, ' +
            'also on a certificate since revoked); no_policy: no amount in force',
        ),
      ),
      existingClaimNumber: Nullable(Type.String()),
    }),
    { description: 'per issued certificate: its evaluation-subsidy claim, or why there is none' },
  ),
});

const PassMarksSchema = Type.Object({
  occupationCode: Type.String(),
  occupationLevel: Type.Integer(),
  occupationName: Type.String(),
  theoryPassMark: Type.Integer(),
  practicalPassMark: Type.Integer(),
  isDefault: Type.Boolean({ description: 'true: no marks set, 60/60 applies' }),
  updatedAt: Nullable(DateTime),
});

const SpecialAbilitySchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  occupationCode: Type.String(),
  occupationLevel: Type.Integer(),
  occupationName: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const EligibleClassSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  organisationName: Type.String({ description: 'the training institution' }),
  regionCode: Type.String(),
  regionName: Nullable(Type.String()),
  skillLevelKey: Type.String(),
  startsAt: DateTime,
  endsAt: DateTime,
  startDate: CivilDate,
  endDate: Type.String({ format: 'date', description: 'the Shanghai date the class ended' }),
  pendingTrainees: Type.Integer({
    description: 'trainees with a completed voucher who are not yet candidates of the session',
  }),
});

export async function evaluationsRoutes(app: AppInstance) {
  const deps = (): service.EvaluationDeps => ({ clock: app.deps.clock, pii: app.deps.pii });

  app.get(
    '/special-abilities',
    {
      schema: {
        tags: ['evaluations'],
        summary: 'The 专项职业能力 catalogue',
        querystring: Type.Object({ occupationCode: Type.Optional(OccupationCode) }),
        response: { 200: ListOf(SpecialAbilitySchema), ...denied, ...standardErrors },
      },
      config: { access: 'authenticated' },
    },
    async (request) => service.listSpecialAbilities(app.deps.db, request.query.occupationCode),
  );

  app.post(
    '/special-abilities',
    {
      schema: {
        tags: ['evaluations'],
        summary: 'Add a 专项职业能力 item under an occupation',
        body: Type.Object(
          {
            code: Type.String({ minLength: 1, maxLength: 32 }),
            name: Type.String({ minLength: 1, maxLength: 100 }),
            occupationCode: OccupationCode,
            occupationLevel: OccupationLevel,
          },
          { additionalProperties: false },
        ),
        response: {
          201: SpecialAbilitySchema,
          ...denied,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'evaluations.catalog.manage' }, idempotent: true },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await service.createSpecialAbility(
        app.deps.db,
        deps(),
        requireAuth(request),
        { ...body, occupationLevel: body.occupationLevel ?? 4 },
        requestMeta(request),
      );
      return reply.status(201).send(created);
    },
  );

  const PassMarkParams = Type.Object({ occupationCode: OccupationCode });
  const PassMarkQuery = Type.Object({ occupationLevel: OccupationLevel });

  app.get(
    '/evaluation-pass-marks/:occupationCode',
    {
      schema: {
        tags: ['evaluations'],
        summary: 'An occupation’s pass marks (60/60 unless set)',
        params: PassMarkParams,
        querystring: PassMarkQuery,
        response: { 200: PassMarksSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'evaluations.read' } },
    },
    async (request) =>
      service.getPassMarks(
        app.deps.db,
        request.params.occupationCode,
        request.query.occupationLevel ?? 4,
      ),
  );

  app.put(
    '/evaluation-pass-marks/:occupationCode',
    {
      schema: {
        tags: ['evaluations'],
        summary: 'Set an occupation’s pass marks; sessions scheduled later copy them',
        params: PassMarkParams,
        querystring: PassMarkQuery,
        body: Type.Object(
          { theoryPassMark: Mark, practicalPassMark: Mark },
          { additionalProperties: false },
        ),
        response: { 200: PassMarksSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'evaluations.catalog.manage' } },
    },
    async (request) =>
      service.setPassMarks(
        app.deps.db,
        deps(),
        requireAuth(request),
        {
          occupationCode: request.params.occupationCode,
          occupationLevel: request.query.occupationLevel ?? 4,
          ...request.body,
        },
        requestMeta(request),
      ),
  );

  app.post(
    '/evaluation-sessions',
    {
      schema: {
        tags: ['evaluations'],
        summary:
          'Schedule a session at one of your sites, inside an approval valid on heldOn ' +
          '(else 403 OUT_OF_SCOPE with the reason)',
        body: Type.Object(
          {
            siteId: Uuid,
            occupationCode: OccupationCode,
            occupationLevel: OccupationLevel,
            skillLevelKey: StringEnum([
              'level5',
              'level4',
              'level3',
              'level2',
              'level1',
              'special_ability',
            ] as const),
            specialAbilityId: Type.Optional(Nullable(Uuid)),
            heldOn: CivilDate,
          },
          { additionalProperties: false },
        ),
        response: {
          201: SessionSchema,
          ...denied,
          ...idempotencyReused,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'evaluations.manage' }, idempotent: true },
    },
    async (request, reply) => {
      const body = request.body;
      const session = await service.scheduleSession(
        app.deps.db,
        deps(),
        requireAuth(request),
        { ...body, occupationLevel: body.occupationLevel ?? 4 },
        requestMeta(request),
      );
      return reply.status(201).send(session);
    },
  );

  app.get(
    '/evaluation-sessions',
    {
      schema: {
        tags: ['evaluations'],
        summary: 'Evaluation sessions in your scope',
        querystring: Type.Object({
          state: Type.Optional(StringEnum(SESSION_STATES)),
          siteId: Type.Optional(Uuid),
          occupationCode: Type.Optional(OccupationCode),
          heldFrom: Type.Optional(CivilDate),
          heldTo: Type.Optional(CivilDate),
          ...PageQuery,
        }),
        response: { 200: PageOf(SessionSchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'evaluations.read' } },
    },
    async (request) =>
      service.listSessions(app.deps.db, requireAuth(request), withPaging(request.query)),
  );

  app.get(
    '/evaluation-sessions/:id',
    {
      schema: {
        tags: ['evaluations'],
        summary: 'One session with its candidates, results and certificates',
        params: IdParams,
        response: { 200: SessionDetail, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'evaluations.read' } },
    },
    async (request) => service.getSession(app.deps.db, requireAuth(request), request.params.id),
  );

  app.post(
    '/evaluation-sessions/:id/candidates',
    {
      schema: {
        tags: ['evaluations'],
        summary:
          'Add a candidate (by person id or ID number): a completed-voucher trainee, an ' +
          'enterprise’s staff member, a 1+X student or an individual',
        params: IdParams,
        body: Type.Object(
          {
            personId: Type.Optional(Uuid),
            idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            source: StringEnum(CANDIDATE_SOURCES),
            voucherId: Type.Optional(Nullable(Uuid)),
            employerOrganisationId: Type.Optional(Nullable(Uuid)),
            schoolName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
            workerPaid: Type.Optional(
              Type.Boolean({
                default: false,
                description: 'evaluations are free to eligible workers',
              }),
            ),
            feePaidFen: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100_000_000 }))),
          },
          { additionalProperties: false },
        ),
        response: {
          201: CandidateSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'evaluations.manage' }, idempotent: true },
    },
    async (request, reply) => {
      const candidate = await service.addCandidate(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(candidate);
    },
  );

  app.post(
    '/evaluation-sessions/:id/candidates/from-class',
    {
      schema: {
        tags: ['evaluations'],
        summary: 'Add every trainee of a class whose voucher is completed and qualifies',
        params: IdParams,
        body: Type.Object({ classId: Uuid }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            added: Type.Integer(),
            skipped: Type.Array(
              Type.Object({ personId: Uuid, voucherId: Uuid, reason: Type.String() }),
            ),
            candidates: Type.Array(CandidateSchema),
          }),
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'evaluations.manage' }, idempotent: true },
    },
    async (request) =>
      service.addCandidatesFromClass(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body.classId,
        requestMeta(request),
      ),
  );

  app.get(
    '/evaluation-sessions/:id/eligible-classes',
    {
      schema: {
        tags: ['evaluations'],
        summary:
          'Classes whose trainees could sit this session (for “from a class”): approved, same ' +
          'occupation, the session’s level or lower, ended within 12 months, with trainees ' +
          'holding a completed voucher who are not yet candidates. City-wide; no persons.',
        params: IdParams,
        response: {
          200: ListOf(EligibleClassSchema),
          ...denied,
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'evaluations.manage' } },
    },
    async (request) =>
      service.listEligibleClasses(app.deps.db, deps(), requireAuth(request), request.params.id),
  );

  app.put(
    '/evaluation-sessions/:id/candidates/:candidateId/scores',
    {
      schema: {
        tags: ['evaluations'],
        summary:
          'Enter a candidate’s scores (0–100) or mark them absent, while the session is ' +
          'scheduled; 409 RESULTS_LOCKED after submission',
        params: Type.Object({ id: Uuid, candidateId: Uuid }),
        body: Type.Object(
          {
            theoryScore: Type.Optional(Nullable(Mark)),
            practicalScore: Type.Optional(Nullable(Mark)),
            absent: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: {
          200: CandidateSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'evaluations.manage' } },
    },
    async (request) =>
      service.recordScores(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.params.candidateId,
        request.body,
        requestMeta(request),
      ),
  );

  app.post(
    '/evaluation-sessions/:id/submit',
    {
      schema: {
        tags: ['evaluations'],
        summary:
          'Submit the results: locks them and issues the certificates of those who passed ' +
          '(idempotent: a submitted session answers the same again)',
        params: IdParams,
        response: {
          200: SubmitAnswer,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'evaluations.manage' }, idempotent: true },
    },
    async (request) =>
      service.submitSession(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        requestMeta(request),
      ),
  );

  app.post(
    '/evaluation-sessions/:id/sample',
    {
      schema: {
        tags: ['evaluations'],
        summary: 'Sample a session for review (抽查), with a note',
        params: IdParams,
        body: Type.Object(
          { note: Type.String({ minLength: 1, maxLength: 1000 }) },
          { additionalProperties: false },
        ),
        response: {
          200: SessionSchema,
          ...denied,
          ...notFoundError,
          ...idempotencyReused,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'evaluations.sample' }, idempotent: true },
    },
    async (request) =>
      service.sampleSession(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body.note,
        requestMeta(request),
      ),
  );
}
