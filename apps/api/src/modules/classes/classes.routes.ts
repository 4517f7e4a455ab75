import { randomBytes } from 'node:crypto';
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
  ATTENDANCE_METHODS,
  CLASS_STATES,
  CLASS_STATUSES,
  COMPLETION_RESULTS,
  TRAINING_TYPES,
  type AttendanceMethod,
  type ClassState,
  type ClassStatus,
  type CompletionResult,
  type TrainingType,
} from './classes.schema.js';
import { myClasses } from './classes.mine.js';
import * as service from './classes.service.js';

const TrainingTypeSchema = StringEnum<TrainingType>(
  TRAINING_TYPES,
  '岗前培训 pre_job, 岗位技能提升 on_the_job_upgrade, 创业培训(马兰花) entrepreneurship, ' +
    '企业新型学徒制 new_apprenticeship, other',
);
const StateSchema = StringEnum<ClassState>(CLASS_STATES);
const StatusSchema = StringEnum<ClassStatus>(
  CLASS_STATUSES,
  'the state, with an approved class in_progress or finished by its dates',
);
const MethodSchema = StringEnum<AttendanceMethod>(ATTENDANCE_METHODS);
const ResultSchema = StringEnum<CompletionResult>(COMPLETION_RESULTS);

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const OccupationCode = Type.String({ pattern: '^[0-9]-[0-9]{2}-[0-9]{2}-[0-9]{2}$' });
const CivilDate = Type.String({ format: 'date', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
const Hours = Type.Number({ minimum: 0, maximum: 10_000, multipleOf: 0.5 });

const SessionSchema = Type.Object({
  id: Uuid,
  seq: Type.Integer(),
  date: Type.String({ format: 'date', description: 'Shanghai civil date' }),
  startTime: Type.String({ description: 'HH:MM, Shanghai' }),
  endTime: Type.String({ description: 'HH:MM, Shanghai' }),
  startsAt: DateTime,
  endsAt: DateTime,
  hours: Type.Number(),
});

const summaryFields = {
  id: Uuid,
  organisationId: Uuid,
  name: Type.String(),
  occupationCode: Type.String(),
  skillLevelKey: Type.String(),
  planNo: Type.Integer(),
  unitId: Type.String(),
  trainingType: TrainingTypeSchema,
  regionCode: Type.String(),
  address: Type.String(),
  capacity: Type.Integer(),
  enrolled: Type.Integer({ minimum: 0 }),
  offlineHours: Type.Number(),
  onlineHours: Type.Number(),
  subsidyStandardFen: Type.Integer({ minimum: 0, description: 'per trainee, in fen' }),
  attendanceThresholdPercent: Type.Integer(),
  requiredHours: Type.Number({ description: 'attendance a trainee needs to complete' }),
  state: StateSchema,
  status: StatusSchema,
  returnReason: Nullable(Type.String()),
  startsAt: DateTime,
  endsAt: DateTime,
  submittedAt: Nullable(DateTime),
  decidedAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
};
const ClassSummarySchema = Type.Object(summaryFields);
const ClassSchema = Type.Object({ ...summaryFields, sessions: Type.Array(SessionSchema) });

const TraineeSchema = Type.Object({
  id: Uuid,
  personId: Uuid,
  name: Type.String(),
  idNumber: Type.String({ description: 'masked' }),
  voucherId: Nullable(Uuid),
  enrolledAt: DateTime,
  onlineHours: Type.Number(),
  attendedHours: Type.Number({
    description: 'offline hours between check-in and check-out inside sessions, plus online hours',
  }),
  requiredHours: Type.Number(),
  completionResult: Nullable(ResultSchema),
  completionScore: Nullable(Type.Number()),
  completionNote: Nullable(Type.String()),
  completedAt: Nullable(DateTime),
});

const AttendanceSchema = Type.Object({
  id: Uuid,
  classId: Uuid,
  sessionId: Uuid,
  personId: Uuid,
  checkedInAt: DateTime,
  checkInMethod: MethodSchema,
  checkInPlace: Nullable(Type.String()),
  checkedOutAt: Nullable(DateTime),
  checkOutMethod: Nullable(MethodSchema),
  checkOutPlace: Nullable(Type.String()),
});

const MyClassSchema = Type.Object({
  ...summaryFields,
  sessions: Type.Array(
    Type.Object({
      ...SessionSchema.properties,
      running: Type.Boolean({ description: 'the session is under way now' }),
      checkInOpen: Type.Boolean({ description: 'check-in by QR is open now' }),
      attendance: Nullable(
        Type.Object({
          checkedInAt: DateTime,
          checkInMethod: MethodSchema,
          checkedOutAt: Nullable(DateTime),
          checkOutMethod: Nullable(MethodSchema),
          creditedHours: Type.Number(),
        }),
      ),
    }),
  ),
  trainee: Type.Object({
    voucherId: Nullable(Uuid),
    enrolledAt: DateTime,
    onlineHours: Type.Number(),
    attendedHours: Type.Number(),
    requiredHours: Type.Number(),
    completionResult: Nullable(ResultSchema),
    completionScore: Nullable(Type.Number()),
    completedAt: Nullable(DateTime),
  }),
});

const AttendanceBody = Type.Object(
  {
    method: MethodSchema,
    token: Type.Optional(Type.String({ maxLength: 300, description: 'qr: the scanned token' })),
    personId: Type.Optional(Type.String({ format: 'uuid', description: 'face and manual' })),
    deviceVerified: Type.Optional(
      Type.Boolean({ description: 'face: the device verified the face (refused if false)' }),
    ),
    deviceId: Type.Optional(Type.String({ maxLength: 100 })),
    reason: Type.Optional(Type.String({ maxLength: 500, description: 'manual: required' })),
    place: Type.Optional(Type.String({ maxLength: 200, description: 'where, e.g. GPS or room' })),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Uuid });
const SessionParams = Type.Object({ id: Uuid, sessionId: Uuid });
const denied = { 401: ProblemRef, 403: ProblemRef };
const conflict = { 409: ProblemRef };

export async function classesRoutes(app: AppInstance) {
  const deps: service.ClassDeps = {
    db: app.deps.db,
    clock: app.deps.clock,
    qrKey: app.deps.attendanceQrKey
      ? Buffer.from(app.deps.attendanceQrKey, 'utf8')
      : randomBytes(32),
  };

  app.post(
    '/classes',
    {
      schema: {
        tags: ['classes'],
        summary: 'File a class of your training institution (as a draft, or submitted at once)',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
            occupationCode: OccupationCode,
            skillLevelKey: Type.String({ maxLength: 30 }),
            planNo: Type.Integer({ minimum: 1, maximum: 12 }),
            unitId: Type.String({ maxLength: 30, description: 'one of the plan’s units' }),
            trainingType: TrainingTypeSchema,
            regionCode: Type.String({ pattern: '^[0-9]{6}$|^[0-9]{4}L[0-9]$' }),
            address: Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' }),
            capacity: Type.Integer({ minimum: 1, maximum: 1000 }),
            offlineHours: Type.Optional(
              Type.Number({
                minimum: 0,
                maximum: 10_000,
                description: 'must equal the sessions’ total when given',
              }),
            ),
            onlineHours: Type.Optional(Hours),
            subsidyStandardFen: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
            attendanceThresholdPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            sessions: Type.Array(
              Type.Object(
                { date: CivilDate, startTime: ClockTime, endTime: ClockTime },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 200, description: 'Asia/Shanghai civil times' },
            ),
            submit: Type.Optional(Type.Boolean({ description: 'submit for approval at once' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: ClassSchema, ...denied, ...conflict, ...standardErrors },
      },
      config: { access: { permission: 'classes.file' } },
    },
    async (request, reply) => {
      const detail = await service.fileClass(
        deps,
        requireAuth(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(detail);
    },
  );

  app.get(
    '/classes',
    {
      schema: {
        tags: ['classes'],
        summary:
          'Classes in your scope (an institution its own, a county its region, the city all)',
        querystring: Type.Object({
          state: Type.Optional(StatusSchema),
          occupationCode: Type.Optional(OccupationCode),
          planNo: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
          ...PageQuery,
        }),
        response: { 200: PageOf(ClassSummarySchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'classes.read' } },
    },
    async (request) => {
      const { page = 1, pageSize = 20, state, occupationCode, planNo } = request.query;
      const result = await service.listClasses(deps, requireAuth(request), {
        ...(state ? { status: state } : {}),
        ...(occupationCode ? { occupationCode } : {}),
        ...(planNo !== undefined ? { planNo } : {}),
        page,
        pageSize,
      });
      return { ...result, page, pageSize };
    },
  );

  app.get(
    '/me/classes',
    {
      schema: {
        tags: ['classes'],
        summary:
          'Your classes (我的培训): sessions with your attendance, attended and required hours, ' +
          'completion result',
        response: { 200: ListOf(MyClassSchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'classes.attend' } },
    },
    async (request) => myClasses(deps, requireAuth(request)),
  );

  app.get(
    '/classes/:id',
    {
      schema: {
        tags: ['classes'],
        summary: 'One class with its sessions',
        params: IdParams,
        response: { 200: ClassSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'classes.read' } },
    },
    async (request) => service.getClass(deps, requireAuth(request), request.params.id),
  );

  app.post(
    '/classes/:id/submit',
    {
      schema: {
        tags: ['classes'],
        summary: 'Submit a draft or returned class for approval (before it starts)',
        params: IdParams,
        response: {
          200: ClassSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'classes.file' } },
    },
    async (request) =>
      service.submitClass(deps, requireAuth(request), request.params.id, requestMeta(request)),
  );

  app.post(
    '/classes/:id/approve',
    {
      schema: {
        tags: ['classes'],
        summary: 'Approve a submitted class (its county or the city; before its first session)',
        params: IdParams,
        response: {
          200: ClassSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'classes.approve' } },
    },
    async (request) =>
      service.decideClass(
        deps,
        requireAuth(request),
        request.params.id,
        { action: 'approve' },
        requestMeta(request),
      ),
  );

  app.post(
    '/classes/:id/return',
    {
      schema: {
        tags: ['classes'],
        summary: 'Return a submitted class to its institution with a reason',
        params: IdParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }) },
          { additionalProperties: false },
        ),
        response: {
          200: ClassSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'classes.approve' } },
    },
    async (request) =>
      service.decideClass(
        deps,
        requireAuth(request),
        request.params.id,
        { action: 'return', reason: request.body.reason },
        requestMeta(request),
      ),
  );

  app.get(
    '/classes/:id/trainees',
    {
      schema: {
        tags: ['classes'],
        summary: 'The trainees of a class, with attended and required hours',
        params: IdParams,
        response: {
          200: ListOf(TraineeSchema),
          ...denied,
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'classes.read' } },
    },
    async (request) => ({
      items: await service.listTrainees(deps, requireAuth(request), request.params.id),
    }),
  );

  app.post(
    '/classes/:id/trainees',
    {
      schema: {
        tags: ['classes'],
        summary: 'Enrol a registered person without a voucher (capacity enforced)',
        params: IdParams,
        body: Type.Object({ personId: Uuid }, { additionalProperties: false }),
        response: {
          201: TraineeSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'classes.train' } },
    },
    async (request, reply) => {
      const trainee = await service.enrolPerson(
        deps,
        requireAuth(request),
        request.params.id,
        request.body.personId,
        requestMeta(request),
      );
      return reply.status(201).send(trainee);
    },
  );

  app.post(
    '/classes/:id/sessions/:sessionId/checkins',
    {
      schema: {
        tags: ['classes'],
        summary:
          'Check in to a running session: a worker with the session QR token, staff by face or by hand',
        params: SessionParams,
        body: AttendanceBody,
        response: {
          201: AttendanceSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'attendance.check' } },
    },
    async (request, reply) => {
      const row = await service.checkIn(
        deps,
        requireAuth(request),
        request.params.id,
        request.params.sessionId,
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(row);
    },
  );

  app.post(
    '/classes/:id/sessions/:sessionId/checkouts',
    {
      schema: {
        tags: ['classes'],
        summary: 'Check out of a session checked in to (until 30 minutes after it ends)',
        params: SessionParams,
        body: AttendanceBody,
        response: {
          200: AttendanceSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'attendance.check' } },
    },
    async (request) =>
      service.checkOut(
        deps,
        requireAuth(request),
        request.params.id,
        request.params.sessionId,
        request.body,
        requestMeta(request),
      ),
  );

  app.get(
    '/classes/:id/sessions/:sessionId/qr',
    {
      schema: {
        tags: ['classes'],
        summary: 'The session’s current check-in QR token (rotates every 30 seconds)',
        params: SessionParams,
        response: {
          200: Type.Object({
            token: Type.String(),
            rotatesAt: DateTime,
            running: Type.Boolean({ description: 'whether check-in is open now' }),
          }),
          ...denied,
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'classes.train' } },
    },
    async (request) =>
      service.sessionQr(deps, requireAuth(request), request.params.id, request.params.sessionId),
  );

  app.get(
    '/classes/:id/sessions/:sessionId/attendance',
    {
      schema: {
        tags: ['classes'],
        summary: 'The session’s attendance sheet: every check-in and check-out, by the institution',
        params: SessionParams,
        response: {
          200: ListOf(AttendanceSchema),
          ...denied,
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'classes.train' } },
    },
    async (request) => ({
      items: await service.listSessionAttendance(
        deps,
        requireAuth(request),
        request.params.id,
        request.params.sessionId,
      ),
    }),
  );

  app.post(
    '/classes/:id/online-hours',
    {
      schema: {
        tags: ['classes'],
        summary: 'Post trainees’ online learning hours (an LMS; its running total per trainee)',
        params: IdParams,
        body: Type.Object(
          {
            entries: Type.Array(
              Type.Object({ personId: Uuid, hours: Hours }, { additionalProperties: false }),
              { minItems: 1, maxItems: 500 },
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: ListOf(TraineeSchema),
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'classes.train' } },
    },
    async (request) => ({
      items: await service.postOnlineHours(
        deps,
        requireAuth(request),
        request.params.id,
        request.body.entries,
        requestMeta(request),
      ),
    }),
  );

  app.post(
    '/classes/:id/completions',
    {
      schema: {
        tags: ['classes'],
        summary:
          'Record completion results (结业考核); a pass needs the class’s attendance threshold',
        params: IdParams,
        body: Type.Object(
          {
            results: Type.Array(
              Type.Object(
                {
                  personId: Uuid,
                  result: ResultSchema,
                  score: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
                  note: Type.Optional(Type.String({ maxLength: 500 })),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 500 },
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: ListOf(TraineeSchema),
          ...denied,
          ...notFoundError,
          ...conflict,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'classes.train' } },
    },
    async (request) => ({
      items: await service.recordCompletions(
        deps,
        requireAuth(request),
        request.params.id,
        request.body.results,
        requestMeta(request),
      ),
    }),
  );
}
