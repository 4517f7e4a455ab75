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
import * as counting from './activity.counting.js';
import { MAX_TRAINEES } from './activity.rules.js';
import { ACTIVITY_SOURCES, REPORT_STATUSES } from './activity.schema.js';
import * as service from './activity.trainings.service.js';

const Uuid = Type.String({ format: 'uuid' });
const CivilDate = Type.String({ format: 'date' });
const PERIOD_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])$';
const Period = Type.String({ pattern: PERIOD_PATTERN, examples: ['2026-03'] });
const IdParams = Type.Object({ id: Uuid });
const denied = { 401: ProblemRef, 403: ProblemRef };
const conflict = { 409: ProblemRef };
const idempotencyReused = { 422: ProblemRef };

const UnitId = Type.String({ minLength: 1, maxLength: 20, examples: ['A2-07'] });
const OccupationCode = Type.String({
  pattern: '^[0-9]-[0-9]{2}-[0-9]{2}-[0-9]{2}$',
  description: '2022 大典 occupation (level 4), e.g. 6-01-01-01',
});
const Hours = Type.Number({
  description: 'training hours, more than 0 and at most 5000, at most one decimal',
  examples: [40, 12.5],
});

const Trainee = Type.Object(
  {
    idNumber: Type.String({ minLength: 1, maxLength: 40 }),
    name: Type.String({ minLength: 1, maxLength: 50 }),
    completed: Type.Optional(
      Type.Boolean({ default: true, description: 'finished the training (counts only then)' }),
    ),
  },
  { additionalProperties: false },
);
const Trainees = Type.Array(Trainee, { minItems: 1, maxItems: MAX_TRAINEES });

export const TrainingReportSchema = Type.Object({
  id: Uuid,
  unitId: Type.String(),
  unitName: Type.String(),
  organisationId: Nullable(Uuid),
  planNo: Nullable(Type.Integer()),
  title: Type.String(),
  occupationCode: Nullable(Type.String()),
  occupationName: Nullable(Type.String()),
  skillLevelKey: Nullable(Type.String()),
  startOn: CivilDate,
  endOn: CivilDate,
  hours: Type.Number(),
  period: Type.String({ description: 'YYYY-MM of endOn: the month the report counts in' }),
  source: StringEnum(ACTIVITY_SOURCES),
  importRunId: Nullable(Uuid),
  status: StringEnum(REPORT_STATUSES),
  traineeCount: Type.Integer(),
  completedCount: Type.Integer(),
  reportedBy: Nullable(Uuid),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const TraineeOutcomeSchema = Type.Object({
  index: Type.Integer({ description: 'position in the request’s trainees' }),
  name: Type.String(),
  idNumberMasked: Nullable(Type.String()),
  outcome: StringEnum(['matched', 'created', 'rejected'] as const),
  personId: Nullable(Uuid),
  completed: Type.Boolean(),
  code: Nullable(
    StringEnum([
      'ID_NUMBER_INVALID',
      'NAME_MISMATCH',
      'DUPLICATE_IN_REQUEST',
      'CONCURRENT_REGISTRATION',
    ] as const),
  ),
  message: Nullable(Type.String()),
});

const ReportResult = Type.Object({
  report: TrainingReportSchema,
  trainees: Type.Array(TraineeOutcomeSchema),
});

const ReportDetail = Type.Object({
  ...TrainingReportSchema.properties,
  trainees: Type.Array(
    Type.Object({
      personId: Uuid,
      name: Type.String(),
      idNumberMasked: Type.String(),
      completed: Type.Boolean(),
    }),
  ),
});

const PeriodSchema = Type.Object({
  period: Type.String(),
  closed: Type.Boolean(),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
  closedBy: Nullable(Uuid),
  closedByName: Nullable(Type.String()),
});

const TotalsSchema = Type.Object({
  unitId: Nullable(Type.String()),
  period: Nullable(Type.String()),
  year: Nullable(Type.Integer()),
  trainingPersonTimes: Type.Integer({
    description: 'person-times as they count in #9: once per person, occupation (or title), month',
  }),
  trainingRecords: Type.Integer({ description: 'completed-training records from every source' }),
  trainingDuplicatesRemoved: Type.Integer(),
  certifiedPersons: Nullable(
    Type.Integer({
      description:
        'new skilled talents: first certificate or a higher level, once a year (as targets count)',
    }),
  ),
  highSkilledPersons: Nullable(
    Type.Integer({ description: 'new high-skilled talents (三级 and above), once a year' }),
  ),
});

/** Trainings held outside the voucher loop, reporting months and totals (R-ACT-1, #8). */
export async function activityTrainingsRoutes(app: AppInstance) {
  const deps = (): service.ActivityDeps => ({ pii: app.deps.pii, clock: app.deps.clock });

  app.post(
    '/activity/trainings',
    {
      schema: {
        tags: ['activity'],
        summary:
          'Report a training held outside the voucher loop, with its trainees (matched to the ' +
          'person registry by ID number, registered when missing); Idempotency-Key supported',
        description:
          'A unit officer reports for its own unit, a county administrator for its county units, ' +
          'the city for any unit, an institution for trainings it held. The month of endOn must ' +
          'be open (409 PERIOD_CLOSED). source: "api" marks a system-to-system call.',
        body: Type.Object(
          {
            unitId: UnitId,
            organisationId: Type.Optional(Uuid),
            planNo: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
            title: Type.String({ minLength: 1, maxLength: 200 }),
            occupationCode: Type.Optional(OccupationCode),
            skillLevelKey: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
            startOn: CivilDate,
            endOn: CivilDate,
            hours: Hours,
            trainees: Trainees,
            source: Type.Optional(StringEnum(['unit_report', 'api'] as const)),
          },
          { additionalProperties: false },
        ),
        response: {
          201: ReportResult,
          ...denied,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'activity.report' }, idempotent: true },
    },
    async (request, reply) => {
      const result = await service.reportTraining(
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
    '/activity/trainings',
    {
      schema: {
        tags: ['activity'],
        summary:
          'Training reports in your scope (a unit its own, a county its county units’, an ' +
          'institution those it held, the city all)',
        querystring: Type.Object({
          unitId: Type.Optional(UnitId),
          period: Type.Optional(Period),
          planNo: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
          status: Type.Optional(StringEnum(REPORT_STATUSES)),
          ...PageQuery,
        }),
        response: { 200: PageOf(TrainingReportSchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'activity.read' } },
    },
    async (request) =>
      service.listTrainings(app.deps.db, requireAuth(request), withPaging(request.query)),
  );

  app.get(
    '/activity/trainings/:id',
    {
      schema: {
        tags: ['activity'],
        summary: 'One training report with its trainees (masked ID numbers)',
        params: IdParams,
        response: { 200: ReportDetail, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'activity.read' } },
    },
    async (request) => service.getTraining(app.deps.db, requireAuth(request), request.params.id),
  );

  app.patch(
    '/activity/trainings/:id',
    {
      schema: {
        tags: ['activity'],
        summary:
          'Correct a training report: fields and, when sent, the whole trainee list. Send the ' +
          'version you read (409 CONFLICT when stale); both the old and the new month must be open',
        params: IdParams,
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            unitId: Type.Optional(UnitId),
            organisationId: Type.Optional(Nullable(Uuid)),
            planNo: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 99 }))),
            title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            occupationCode: Type.Optional(Nullable(OccupationCode)),
            skillLevelKey: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 30 }))),
            startOn: Type.Optional(CivilDate),
            endOn: Type.Optional(CivilDate),
            hours: Type.Optional(Hours),
            trainees: Type.Optional(Trainees),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            report: TrainingReportSchema,
            trainees: Nullable(Type.Array(TraineeOutcomeSchema)),
          }),
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'activity.report' } },
    },
    async (request) =>
      service.correctTraining(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body,
        requestMeta(request),
      ),
  );

  app.post(
    '/activity/trainings/:id/withdraw',
    {
      schema: {
        tags: ['activity'],
        summary: 'Withdraw a training report with a reason (its month must be open)',
        params: IdParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: {
          200: TrainingReportSchema,
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
      service.withdrawTraining(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body.reason,
        requestMeta(request),
      ),
  );

  app.get(
    '/activity/periods',
    {
      schema: {
        tags: ['activity'],
        summary: 'The reporting months of a year: open, or closed (when and by whom)',
        querystring: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
        response: {
          200: Type.Object({ year: Type.Integer(), months: Type.Array(PeriodSchema) }),
          ...denied,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'activity.read' } },
    },
    async (request) => counting.listPeriods(app.deps.db, request.query.year),
  );

  app.post(
    '/activity/periods/:period/close',
    {
      schema: {
        tags: ['activity'],
        summary:
          'Close a reporting month (city): its reports can no longer be added, corrected or ' +
          'withdrawn. Closing a closed month answers it unchanged',
        description:
          'There is no reopening: figures reported upward must not move. A late report goes into ' +
          'an open month.',
        params: Type.Object({ period: Period }),
        response: {
          200: Type.Object({ ...PeriodSchema.properties, changed: Type.Boolean() }),
          ...denied,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'activity.periods.close' }, idempotent: true },
    },
    async (request) =>
      counting.closePeriod(
        app.deps.db,
        app.deps.clock,
        requireAuth(request),
        request.params.period,
        requestMeta(request),
      ),
  );

  app.get(
    '/activity/totals',
    {
      schema: {
        tags: ['activity'],
        summary:
          'Training person-times and certified persons as they will count in #9 (each once, ' +
          'whatever the source), with the raw record count and duplicates removed',
        querystring: Type.Object({
          unitId: Type.Optional(UnitId),
          period: Type.Optional(Period),
          year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
        }),
        response: { 200: TotalsSchema, ...denied, ...standardErrors },
      },
      config: { access: { permission: 'activity.read' } },
    },
    async (request) => counting.totals(app.deps.db, requireAuth(request), request.query),
  );
}
