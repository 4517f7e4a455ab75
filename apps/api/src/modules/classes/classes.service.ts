import { voucherFollowsTraining } from '../vouchers/vouchers.training.js';
import type { Clock } from '../../platform/clock.js';
import type { Db, DbOrTrx, Trx } from '../../platform/db.js';
import { DomainError, violates, type FieldError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordAudit, systemAuditContext, type AuditContext } from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import { findOrganisation } from '../organisations/organisations.service.js';
import { getPerson } from '../persons/persons.service.js';
import { linkPerson } from '../persons/persons.repository.js';
import * as repo from './classes.repository.js';
import {
  canSeeClass,
  classStatus,
  creditedMinutes,
  hoursOf,
  isCheckInOpen,
  isCheckOutOpen,
  minutesOf,
  nextClassState,
  planSessions,
  qrStep,
  QR_STEP_MS,
  requiredMinutes,
  shanghaiDateTime,
  signQrToken,
  verifyQrToken,
  type ClassAction,
  type SessionInput,
} from './classes.rules.js';
import type {
  AttendanceMethod,
  ClassState,
  ClassStatus,
  CompletionResult,
  TrainingType,
} from './classes.schema.js';

/** What the class services need besides the database: the clock and the session-QR key. */
export interface ClassDeps {
  db: Db;
  clock: Clock;
  /** HMAC key of the rotating session QR (keys/attendance-qr.key in production). */
  qrKey: Buffer;
}

function notFound(): DomainError {
  return new DomainError('NOT_FOUND', 'No such class');
}

function invalid(errors: FieldError[]): DomainError {
  const detail = errors.map((e) => `${e.path.replace(/^\/body\//, '')}: ${e.message}`).join('; ');
  return new DomainError('VALIDATION_FAILED', detail, errors);
}

export function sessionView(row: repo.SessionRow) {
  const start = shanghaiDateTime(row.startsAt);
  const end = shanghaiDateTime(row.endsAt);
  return {
    id: row.id,
    seq: row.seq,
    date: start.date,
    startTime: start.time,
    endTime: end.time,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    hours: hoursOf(Math.round((row.endsAt.getTime() - row.startsAt.getTime()) / 60_000)),
  };
}
export type SessionView = ReturnType<typeof sessionView>;

/** A class as lists show it; `status` adds in_progress / finished to an approved class's state. */
export function classSummary(row: repo.ClassRow, enrolled: number, now: Date) {
  return {
    id: row.id,
    organisationId: row.organisationId,
    name: row.name,
    occupationCode: row.occupationCode,
    skillLevelKey: row.skillLevelKey,
    planNo: row.planNo,
    unitId: row.unitId,
    trainingType: row.trainingType,
    regionCode: row.regionCode,
    address: row.address,
    capacity: row.capacity,
    enrolled,
    offlineHours: hoursOf(row.offlineMinutes),
    onlineHours: hoursOf(row.onlineMinutes),
    subsidyStandardFen: row.subsidyStandardFen,
    attendanceThresholdPercent: row.attendanceThresholdPercent,
    requiredHours: hoursOf(requiredMinutes(row)),
    state: row.state,
    status: classStatus(row, now),
    returnReason: row.returnReason,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    submittedAt: row.submittedAt?.toISOString() ?? null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type ClassSummary = ReturnType<typeof classSummary>;

async function classDetail(db: DbOrTrx, row: repo.ClassRow, now: Date) {
  const [sessions, enrolled] = await Promise.all([
    repo.sessionsOf(db, row.id),
    repo.countTrainees(db, row.id),
  ]);
  return { ...classSummary(row, enrolled, now), sessions: sessions.map(sessionView) };
}
export type ClassDetail = Awaited<ReturnType<typeof classDetail>>;

/** A class the caller may see (locked when asked), else 404 as if it did not exist. */
async function visibleClass(db: DbOrTrx, auth: AuthContext, id: string, forUpdate = false) {
  const row = await repo.findClass(db, id, { forUpdate });
  if (!row) throw notFound();
  const isTrainee =
    auth.scope.kind === 'person' &&
    (await repo.findTrainee(db, id, auth.scope.personId)) !== undefined;
  if (!canSeeClass(auth.scope, row, isTrainee)) throw notFound();
  return row;
}

/** A class of the caller's own institution (locked), else 404. */
async function ownClass(trx: Trx, auth: AuthContext, id: string) {
  const row = await repo.findClass(trx, id, { forUpdate: true });
  const scope = auth.scope;
  if (!row || scope.kind !== 'organisation' || row.organisationId !== scope.organisationId) {
    throw notFound();
  }
  return row;
}

function transition(row: repo.ClassRow, action: ClassAction): ClassState {
  const next = nextClassState(row.state, action);
  if (!next) {
    const done = { submit: 'submitted', approve: 'approved', return: 'returned' }[action];
    throw new DomainError('CLASS_STATE_CONFLICT', `A ${row.state} class cannot be ${done}`);
  }
  return next;
}

function assertNotStarted(row: repo.ClassRow, now: Date, what: string): void {
  if (now.getTime() >= row.startsAt.getTime()) {
    throw new DomainError(
      'CLASS_ALREADY_STARTED',
      `The class's first session began at ${row.startsAt.toISOString()}; it can no longer be ${what}`,
    );
  }
}

export interface FileClassInput {
  name: string;
  occupationCode: string;
  skillLevelKey: string;
  planNo: number;
  unitId: string;
  trainingType: TrainingType;
  regionCode: string;
  address: string;
  capacity: number;
  offlineHours?: number;
  onlineHours?: number;
  subsidyStandardFen: number;
  attendanceThresholdPercent?: number;
  sessions: SessionInput[];
  /** File and submit for approval at once. */
  submit?: boolean;
}

/**
 * Files a class of the caller's training institution, as a draft or submitted at once. The plan's
 * responsible unit must be one of the plan's units; sessions may not overlap and must all lie in
 * the future; declared offline hours, when given, must equal the sessions' total.
 */
export async function fileClass(
  deps: ClassDeps,
  auth: AuthContext,
  input: FileClassInput,
  meta: RequestMeta,
): Promise<ClassDetail> {
  const { db, clock } = deps;
  const now = clock.now();
  const scope = auth.scope;
  if (scope.kind !== 'organisation') {
    throw new DomainError('FORBIDDEN', 'Only a training institution files classes');
  }
  const organisation = await findOrganisation(db, scope.organisationId);
  if (organisation?.kind !== 'training_institution' || organisation.status !== 'active') {
    throw new DomainError('CONFLICT', 'Only an active training institution files classes');
  }

  const errors: FieldError[] = [];
  const [occupationOk, levelOk, planOk, unitOk, regionOk] = await Promise.all([
    repo.occupationExists(db, input.occupationCode),
    repo.skillLevelExists(db, input.skillLevelKey),
    repo.planExists(db, input.planNo),
    repo.planUnitExists(db, input.planNo, input.unitId),
    repo.isShangqiuCounty(db, input.regionCode),
  ]);
  if (!occupationOk) errors.push({ path: '/body/occupationCode', message: 'unknown occupation' });
  if (!levelOk) errors.push({ path: '/body/skillLevelKey', message: 'unknown skill level' });
  if (!planOk) errors.push({ path: '/body/planNo', message: 'unknown plan' });
  else if (!unitOk) {
    errors.push({
      path: '/body/unitId',
      message: `is not one of plan ${input.planNo}'s responsible units`,
    });
  }
  if (!regionOk) {
    errors.push({ path: '/body/regionCode', message: 'not a county-level region of Shangqiu' });
  }
  const planned = planSessions(input.sessions);
  if (!planned.ok) {
    for (const e of planned.errors)
      errors.push({ path: `/body/sessions/${e.index}`, message: e.message });
  }
  const sessions = planned.ok ? planned.sessions : [];
  const first = sessions[0];
  const last = sessions[sessions.length - 1];
  if (first && first.startsAt.getTime() <= now.getTime()) {
    errors.push({ path: '/body/sessions', message: 'every session must start in the future' });
  }
  const offlineMinutes = sessions.reduce(
    (sum, s) => sum + Math.round((s.endsAt.getTime() - s.startsAt.getTime()) / 60_000),
    0,
  );
  if (input.offlineHours !== undefined && minutesOf(input.offlineHours) !== offlineMinutes) {
    errors.push({
      path: '/body/offlineHours',
      message: `the sessions add up to ${hoursOf(offlineMinutes)} hours`,
    });
  }
  if (errors.length > 0 || !first || !last) throw invalid(errors);

  const id = uuidv7();
  const state: ClassState = input.submit ? 'submitted' : 'draft';
  return db.transaction().execute(async (trx) => {
    await repo.insertClass(trx, {
      id,
      organisationId: scope.organisationId,
      name: input.name.trim(),
      occupationCode: input.occupationCode,
      occupationLevel: 4,
      skillLevelKey: input.skillLevelKey,
      planNo: input.planNo,
      unitId: input.unitId,
      trainingType: input.trainingType,
      regionCode: input.regionCode,
      address: input.address.trim(),
      capacity: input.capacity,
      offlineMinutes,
      onlineMinutes: minutesOf(input.onlineHours ?? 0),
      subsidyStandardFen: input.subsidyStandardFen,
      attendanceThresholdPercent: input.attendanceThresholdPercent ?? 80,
      state,
      returnReason: null,
      startsAt: first.startsAt,
      endsAt: last.endsAt,
      createdBy: auth.user.id,
      submittedAt: input.submit ? now : null,
      decidedAt: null,
      decidedBy: null,
      createdAt: now,
      updatedAt: now,
    });
    await repo.insertSessions(
      trx,
      sessions.map((s) => ({ id: uuidv7(), classId: id, ...s })),
    );
    const row = await repo.findClass(trx, id);
    if (!row) throw new Error('the class just filed is gone');
    const detail = await classDetail(trx, row, now);
    const context = auditContextOf(auth, meta);
    await recordAudit(trx, {
      context,
      action: 'class.filed',
      entityType: 'class',
      entityId: id,
      after: detail,
      occurredAt: now,
    });
    if (input.submit) {
      await recordAudit(trx, {
        context,
        action: 'class.submitted',
        entityType: 'class',
        entityId: id,
        occurredAt: now,
      });
    }
    return detail;
  });
}

export interface ClassListInput {
  status?: ClassStatus;
  occupationCode?: string;
  planNo?: number;
  page: number;
  pageSize: number;
}

/** Classes in the caller's scope, newest first. */
export async function listClasses(deps: ClassDeps, auth: AuthContext, search: ClassListInput) {
  const now = deps.clock.now();
  const { items, total } = await repo.searchClasses(deps.db, auth.scope, { ...search, now });
  const counts = await repo.enrolmentCounts(
    deps.db,
    items.map((c) => c.id),
  );
  return { items: items.map((c) => classSummary(c, counts.get(c.id) ?? 0, now)), total };
}

export async function getClass(deps: ClassDeps, auth: AuthContext, id: string) {
  const row = await visibleClass(deps.db, auth, id);
  return classDetail(deps.db, row, deps.clock.now());
}

/** Submits a draft or returned class for approval, before it starts. */
export async function submitClass(
  deps: ClassDeps,
  auth: AuthContext,
  id: string,
  meta: RequestMeta,
): Promise<ClassDetail> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await ownClass(trx, auth, id);
    const state = transition(row, 'submit');
    assertNotStarted(row, now, 'submitted');
    const updated = await repo.updateClass(trx, id, {
      state,
      submittedAt: now,
      updatedAt: now,
      returnReason: null,
      decidedAt: null,
      decidedBy: null,
    });
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'class.submitted',
      entityType: 'class',
      entityId: id,
      before: { state: row.state, returnReason: row.returnReason },
      after: { state },
      occurredAt: now,
    });
    return classDetail(trx, updated, now);
  });
}

/**
 * Approves a submitted class, or returns it with a reason: by the county administrator of the
 * class's region or the city, before the first session begins (after that: 409).
 */
export async function decideClass(
  deps: ClassDeps,
  auth: AuthContext,
  id: string,
  decision: { action: 'approve' } | { action: 'return'; reason: string },
  meta: RequestMeta,
): Promise<ClassDetail> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await repo.findClass(trx, id, { forUpdate: true });
    const scope = auth.scope;
    const mayDecide =
      row !== undefined &&
      (scope.kind === 'city' || (scope.kind === 'region' && scope.regionCode === row.regionCode));
    if (!row || !mayDecide) throw notFound();
    const state = transition(row, decision.action);
    assertNotStarted(row, now, decision.action === 'approve' ? 'approved' : 'returned');
    const returnReason = decision.action === 'return' ? decision.reason.trim() : null;
    const updated = await repo.updateClass(trx, id, {
      state,
      returnReason,
      decidedAt: now,
      decidedBy: auth.user.id,
      updatedAt: now,
    });
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: decision.action === 'approve' ? 'class.approved' : 'class.returned',
      entityType: 'class',
      entityId: id,
      before: { state: row.state },
      after: { state },
      details: returnReason === null ? null : { reason: returnReason },
      occurredAt: now,
    });
    return classDetail(trx, updated, now);
  });
}

export interface EnrolOptions {
  /** The voucher bound into the class (the vouchers module's bind transaction passes it). */
  voucherId?: string;
  /** "Now" from the caller's injected clock; the system time when omitted. */
  at?: Date;
  /** Who is acting, for the audit row; the system when omitted. */
  context?: AuditContext;
  /** The account enrolling the person, if any. */
  enrolledBy?: string | null;
}

/** A trainee as the API shows it. */
export interface EnrolledTrainee {
  id: string;
  classId: string;
  personId: string;
  organisationId: string;
  voucherId: string | null;
  enrolledAt: string;
  subsidyStandardFen: number;
  occupationCode: string;
  skillLevelKey: string;
}

/**
 * Enrols a person in a class inside the caller's transaction: locks the class row, checks that
 * it is approved and not finished and has room (enrolments ≤ capacity), inserts the trainee
 * (one per person and class), links the person to the institution (person_links, scope
 * `organisation`) and audits `class.trainee.enrolled`. The vouchers module calls this from its
 * bind transaction with the voucher's id. Throws NOT_FOUND (no such class or person),
 * CLASS_NOT_OPEN, CLASS_FULL or ALREADY_ENROLLED.
 */
export async function enrolTrainee(
  trx: Trx,
  classId: string,
  personId: string,
  options: EnrolOptions = {},
): Promise<EnrolledTrainee> {
  const now = options.at ?? new Date();
  const cls = await repo.findClass(trx, classId, { forUpdate: true });
  if (!cls) throw notFound();
  const status = classStatus(cls, now);
  if (status !== 'approved' && status !== 'in_progress') {
    throw new DomainError(
      'CLASS_NOT_OPEN',
      `Trainees join approved classes that have not finished; this class is ${status}`,
    );
  }
  if (!(await repo.personExists(trx, personId))) {
    throw new DomainError('NOT_FOUND', 'No such person');
  }
  if (await repo.findTrainee(trx, classId, personId)) {
    throw new DomainError('ALREADY_ENROLLED', 'The person is already a trainee of this class');
  }
  const enrolled = await repo.countTrainees(trx, classId);
  if (enrolled >= cls.capacity) {
    throw new DomainError(
      'CLASS_FULL',
      `The class is full: ${enrolled} of ${cls.capacity} places taken`,
    );
  }
  const id = uuidv7();
  const inserted = await repo.insertTrainee(trx, {
    id,
    classId,
    personId,
    voucherId: options.voucherId ?? null,
    enrolledAt: now,
    enrolledBy: options.enrolledBy ?? null,
  });
  if (!inserted) {
    throw new DomainError('ALREADY_ENROLLED', 'The person is already a trainee of this class');
  }
  await linkPerson(trx, personId, 'organisation', cls.organisationId, now);
  const trainee: EnrolledTrainee = {
    id,
    classId,
    personId,
    organisationId: cls.organisationId,
    voucherId: options.voucherId ?? null,
    enrolledAt: now.toISOString(),
    subsidyStandardFen: cls.subsidyStandardFen,
    occupationCode: cls.occupationCode,
    skillLevelKey: cls.skillLevelKey,
  };
  await recordAudit(trx, {
    context: options.context ?? systemAuditContext('classes'),
    action: 'class.trainee.enrolled',
    entityType: 'class',
    entityId: classId,
    after: { personId, voucherId: trainee.voucherId },
    occurredAt: now,
  });
  return trainee;
}

/**
 * What the vouchers and evaluation modules need to know of a class, regardless of any caller's
 * scope; undefined when there is none.
 */
export async function findClassFacts(db: DbOrTrx, id: string, now: Date) {
  const row = await repo.findClass(db, id);
  if (!row) return undefined;
  return {
    id: row.id,
    organisationId: row.organisationId,
    occupationCode: row.occupationCode,
    skillLevelKey: row.skillLevelKey,
    planNo: row.planNo,
    unitId: row.unitId,
    regionCode: row.regionCode,
    subsidyStandardFen: row.subsidyStandardFen,
    status: classStatus(row, now),
    startsAt: row.startsAt,
    endsAt: row.endsAt,
  };
}

/**
 * A trainee's completion result in a class (null until recorded), regardless of scope; undefined
 * when the person is not a trainee.
 */
export async function findCompletion(db: DbOrTrx, classId: string, personId: string) {
  const row = await repo.findTrainee(db, classId, personId);
  if (!row) return undefined;
  return {
    result: row.completionResult,
    completedAt: row.completedAt,
    voucherId: row.voucherId,
  };
}

/** Enrols a registered person the caller's institution can see, without a voucher. */
export async function enrolPerson(
  deps: ClassDeps,
  auth: AuthContext,
  classId: string,
  personId: string,
  meta: RequestMeta,
) {
  const now = deps.clock.now();
  // The person must be visible to the institution (registered or imported by it): 404 otherwise.
  await getPerson(deps.db, auth, personId);
  await deps.db.transaction().execute(async (trx) => {
    await ownClass(trx, auth, classId);
    await enrolTrainee(trx, classId, personId, {
      at: now,
      context: auditContextOf(auth, meta),
      enrolledBy: auth.user.id,
    });
  });
  const trainees = await listTrainees(deps, auth, classId);
  const trainee = trainees.find((t) => t.personId === personId);
  if (!trainee) throw new Error('the trainee just enrolled is gone');
  return trainee;
}

/** Attended minutes: offline minutes credited per session plus online minutes (capped). */
export function attendedOf(
  cls: repo.ClassRow,
  rows: { startsAt: Date; endsAt: Date; checkedInAt: Date; checkedOutAt: Date | null }[],
  onlineMinutes: number,
): number {
  const offline = rows.reduce(
    (sum, r) =>
      sum + creditedMinutes(r, { checkedInAt: r.checkedInAt, checkedOutAt: r.checkedOutAt }),
    0,
  );
  return offline + Math.min(onlineMinutes, cls.onlineMinutes);
}

function traineeView(cls: repo.ClassRow, row: repo.TraineeView, attended: number) {
  return {
    id: row.id,
    personId: row.personId,
    name: row.name,
    idNumber: row.idNumberMasked,
    voucherId: row.voucherId,
    enrolledAt: row.enrolledAt.toISOString(),
    onlineHours: hoursOf(row.onlineMinutes),
    attendedHours: hoursOf(attended),
    requiredHours: hoursOf(requiredMinutes(cls)),
    completionResult: row.completionResult,
    completionScore: row.completionScore === null ? null : Number(row.completionScore),
    completionNote: row.completionNote,
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}
export type TraineeOut = ReturnType<typeof traineeView>;

/** The trainees of a class in scope, with attended and required hours (a worker: only themself). */
export async function listTrainees(
  deps: ClassDeps,
  auth: AuthContext,
  classId: string,
): Promise<TraineeOut[]> {
  const cls = await visibleClass(deps.db, auth, classId);
  const trainees = await traineesWithHours(deps.db, cls);
  // A worker sees the class's roster as far as it is about them.
  const scope = auth.scope;
  return scope.kind === 'person' ? trainees.filter((x) => x.personId === scope.personId) : trainees;
}

async function traineesWithHours(db: DbOrTrx, cls: repo.ClassRow): Promise<TraineeOut[]> {
  const rows = await repo.traineesOf(db, cls.id);
  const out: TraineeOut[] = [];
  for (const row of rows) {
    const attendance = await repo.attendanceOfTrainee(db, cls.id, row.personId);
    out.push(traineeView(cls, row, attendedOf(cls, attendance, row.onlineMinutes)));
  }
  return out;
}

/** The session's current QR token for the institution's screen, and when it rotates. */
export async function sessionQr(
  deps: ClassDeps,
  auth: AuthContext,
  classId: string,
  sessionId: string,
) {
  const cls = await visibleClass(deps.db, auth, classId);
  if (auth.scope.kind !== 'organisation') throw notFound();
  const session = await repo.findSession(deps.db, cls.id, sessionId);
  if (!session) throw new DomainError('NOT_FOUND', 'No such session');
  const now = deps.clock.now();
  const step = qrStep(now);
  return {
    token: signQrToken(deps.qrKey, cls.id, session.id, step),
    rotatesAt: new Date((step + 1) * QR_STEP_MS).toISOString(),
    running: isCheckInOpen(session, now),
  };
}

export interface AttendanceInput {
  method: AttendanceMethod;
  /** qr: the token scanned from the session's screen. */
  token?: string;
  /** face and manual: the trainee, posted by institution staff. */
  personId?: string;
  /** face: the device's verdict on the face match. */
  deviceVerified?: boolean;
  deviceId?: string;
  /** manual: why the usual methods could not be used. */
  reason?: string;
  place?: string;
}

function attendanceView(row: {
  id: string;
  classId: string;
  sessionId: string;
  personId: string;
  checkedInAt: Date;
  checkInMethod: AttendanceMethod;
  checkInPlace: string | null;
  checkedOutAt: Date | null;
  checkOutMethod: AttendanceMethod | null;
  checkOutPlace: string | null;
}) {
  return {
    id: row.id,
    classId: row.classId,
    sessionId: row.sessionId,
    personId: row.personId,
    checkedInAt: row.checkedInAt.toISOString(),
    checkInMethod: row.checkInMethod,
    checkInPlace: row.checkInPlace,
    checkedOutAt: row.checkedOutAt?.toISOString() ?? null,
    checkOutMethod: row.checkOutMethod,
    checkOutPlace: row.checkOutPlace,
  };
}
export type AttendanceOut = ReturnType<typeof attendanceView>;

/**
 * Who is being checked and whether the method's proof holds: a worker checks themself in with
 * the session's current QR token; institution staff record face (the device must have verified
 * the face) or manual (a reason is required) attendance for a trainee.
 */
function attendee(
  deps: ClassDeps,
  auth: AuthContext,
  cls: repo.ClassRow,
  sessionId: string,
  input: AttendanceInput,
  now: Date,
): string {
  const scope = auth.scope;
  if (scope.kind === 'person') {
    if (input.method !== 'qr') {
      throw new DomainError('FORBIDDEN', 'Trainees check in by scanning the session QR');
    }
    if (!input.token) throw invalid([{ path: '/body/token', message: 'is required for qr' }]);
    const check = verifyQrToken(deps.qrKey, input.token, { classId: cls.id, sessionId }, now);
    if (!check.ok) {
      const why = {
        malformed: 'is not a session QR token',
        forged: 'is not a session QR token of ours',
        foreign: 'belongs to another session',
        stale: 'has expired; scan the code on the screen again',
      }[check.reason];
      throw new DomainError('QR_TOKEN_INVALID', `The QR token ${why}`, [
        { path: '/body/token', message: why },
      ]);
    }
    return scope.personId;
  }
  if (scope.kind !== 'organisation' || cls.organisationId !== scope.organisationId) {
    throw notFound();
  }
  if (input.method === 'qr') {
    throw invalid([
      { path: '/body/method', message: 'a QR check-in is posted from the trainee’s own phone' },
    ]);
  }
  if (!input.personId) throw invalid([{ path: '/body/personId', message: 'is required' }]);
  if (input.method === 'face' && input.deviceVerified !== true) {
    throw new DomainError('DEVICE_NOT_VERIFIED', 'The device did not verify the trainee’s face', [
      { path: '/body/deviceVerified', message: 'must be true' },
    ]);
  }
  if (input.method === 'manual' && !input.reason?.trim()) {
    throw invalid([{ path: '/body/reason', message: 'a manual record needs a reason' }]);
  }
  return input.personId;
}

/**
 * Checks a trainee in to a running session (now within [start − 30 min, end]) of an approved
 * class: once per session, and never in two sessions that overlap in time (checked under the
 * trainee's row lock, and by an exclusion constraint as the last line).
 */
export async function checkIn(
  deps: ClassDeps,
  auth: AuthContext,
  classId: string,
  sessionId: string,
  input: AttendanceInput,
  meta: RequestMeta,
): Promise<AttendanceOut> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const cls = await visibleClass(trx, auth, classId);
    const session = await repo.findSession(trx, cls.id, sessionId);
    if (!session) throw new DomainError('NOT_FOUND', 'No such session');
    const personId = attendee(deps, auth, cls, session.id, input, now);
    if (cls.state !== 'approved') {
      throw new DomainError('SESSION_NOT_RUNNING', 'The class is not approved');
    }
    if (!isCheckInOpen(session, now)) {
      throw new DomainError(
        'SESSION_NOT_RUNNING',
        `Check-in is open from 30 minutes before ${session.startsAt.toISOString()} to ${session.endsAt.toISOString()}`,
      );
    }
    // The trainee row lock serialises check-ins of one trainee in this class.
    const trainee = await repo.findTrainee(trx, cls.id, personId, { forUpdate: true });
    if (!trainee)
      throw new DomainError('NOT_A_TRAINEE', 'The person is not a trainee of this class');
    if (await repo.findAttendance(trx, session.id, personId)) {
      throw new DomainError('ALREADY_CHECKED_IN', 'Already checked in to this session');
    }
    const overlap = await repo.findOverlappingAttendance(
      trx,
      personId,
      session.startsAt,
      session.endsAt,
    );
    if (overlap) {
      throw new DomainError(
        'ATTENDANCE_OVERLAP',
        'Already checked in to another session at the same time',
      );
    }
    let row;
    try {
      row = await repo.insertCheckIn(trx, {
        id: uuidv7(),
        classId: cls.id,
        sessionId: session.id,
        personId,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        checkedInAt: now,
        checkInMethod: input.method,
        checkInPlace: input.place ?? null,
        checkInReason: input.method === 'manual' ? (input.reason?.trim() ?? null) : null,
        checkInBy: auth.user.id,
      });
    } catch (error) {
      if (violates(error, '23505', 'class_attendance_session_person_key')) {
        throw new DomainError('ALREADY_CHECKED_IN', 'Already checked in to this session');
      }
      if (violates(error, '23P01', 'class_attendance_no_overlap')) {
        throw new DomainError(
          'ATTENDANCE_OVERLAP',
          'Already checked in to another session at the same time',
        );
      }
      throw error;
    }
    const view = attendanceView(row);
    const context = auditContextOf(auth, meta);
    await recordAudit(trx, {
      context,
      action: 'attendance.checked_in',
      entityType: 'class',
      entityId: cls.id,
      after: { ...view, deviceId: input.deviceId ?? null, reason: row.checkInReason },
      occurredAt: now,
    });
    if (trainee.voucherId) {
      await voucherFollowsTraining(trx, trainee.voucherId, 'started', context, now);
    }
    return view;
  });
}

/** Checks a trainee out of a session they checked in to, until 30 minutes after it ends. */
export async function checkOut(
  deps: ClassDeps,
  auth: AuthContext,
  classId: string,
  sessionId: string,
  input: AttendanceInput,
  meta: RequestMeta,
): Promise<AttendanceOut> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const cls = await visibleClass(trx, auth, classId);
    const session = await repo.findSession(trx, cls.id, sessionId);
    if (!session) throw new DomainError('NOT_FOUND', 'No such session');
    const personId = attendee(deps, auth, cls, session.id, input, now);
    if (!isCheckOutOpen(session, now)) {
      throw new DomainError(
        'SESSION_NOT_RUNNING',
        `Check-out closes 30 minutes after ${session.endsAt.toISOString()}`,
      );
    }
    const existing = await repo.findAttendance(trx, session.id, personId);
    if (!existing) throw new DomainError('NOT_CHECKED_IN', 'Not checked in to this session');
    if (existing.checkedOutAt) {
      throw new DomainError('ALREADY_CHECKED_IN', 'Already checked out of this session');
    }
    const row = await repo.checkOut(trx, existing.id, {
      checkedOutAt: now,
      checkOutMethod: input.method,
      checkOutPlace: input.place ?? null,
      checkOutReason: input.method === 'manual' ? (input.reason?.trim() ?? null) : null,
      checkOutBy: auth.user.id,
    });
    const view = attendanceView(row);
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'attendance.checked_out',
      entityType: 'class',
      entityId: cls.id,
      after: { ...view, deviceId: input.deviceId ?? null, reason: row.checkOutReason },
      occurredAt: now,
    });
    return view;
  });
}

/**
 * Sets trainees' online learning hours as the LMS reports them (its running total, so a repeated
 * post changes nothing), never more than the class's online hours.
 */
export async function postOnlineHours(
  deps: ClassDeps,
  auth: AuthContext,
  classId: string,
  entries: { personId: string; hours: number }[],
  meta: RequestMeta,
): Promise<TraineeOut[]> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const cls = await ownClass(trx, auth, classId);
    if (cls.state !== 'approved') {
      throw new DomainError('CLASS_STATE_CONFLICT', 'Online hours belong to approved classes');
    }
    const errors: FieldError[] = [];
    for (const [index, entry] of entries.entries()) {
      const minutes = minutesOf(entry.hours);
      if (minutes > cls.onlineMinutes) {
        errors.push({
          path: `/body/entries/${index}/hours`,
          message: `the class has ${hoursOf(cls.onlineMinutes)} online hours`,
        });
        continue;
      }
      const trainee = await repo.findTrainee(trx, cls.id, entry.personId, { forUpdate: true });
      if (!trainee) {
        errors.push({ path: `/body/entries/${index}/personId`, message: 'not a trainee' });
        continue;
      }
      if (trainee.onlineMinutes === minutes) continue;
      await repo.updateTrainee(trx, trainee.id, { onlineMinutes: minutes });
      await recordAudit(trx, {
        context: auditContextOf(auth, meta),
        action: 'attendance.online_hours_posted',
        entityType: 'class',
        entityId: cls.id,
        before: { personId: entry.personId, onlineHours: hoursOf(trainee.onlineMinutes) },
        after: { personId: entry.personId, onlineHours: hoursOf(minutes) },
        occurredAt: now,
      });
    }
    if (errors.length > 0) throw invalid(errors);
    return traineesWithHours(trx, cls);
  });
}

export interface CompletionInput {
  personId: string;
  result: CompletionResult;
  score?: number;
  note?: string;
}

/**
 * Records the completion assessment (结业考核) per trainee, once, after the class's last session
 * has begun. A pass needs attendance at the class's threshold of its total hours; otherwise 409
 * with the numbers. A fail can always be recorded. All results commit together or none.
 */
export async function recordCompletions(
  deps: ClassDeps,
  auth: AuthContext,
  classId: string,
  results: CompletionInput[],
  meta: RequestMeta,
): Promise<TraineeOut[]> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const cls = await ownClass(trx, auth, classId);
    const sessions = await repo.sessionsOf(trx, cls.id);
    const lastStart = sessions[sessions.length - 1]?.startsAt;
    if (cls.state !== 'approved' || !lastStart || now.getTime() < lastStart.getTime()) {
      throw new DomainError(
        'COMPLETION_NOT_ALLOWED',
        'Completion is recorded once the class’s last session has begun',
      );
    }
    const required = requiredMinutes(cls);
    for (const entry of results) {
      const trainee = await repo.findTrainee(trx, cls.id, entry.personId, { forUpdate: true });
      if (!trainee) {
        throw new DomainError('NOT_A_TRAINEE', `${entry.personId} is not a trainee of this class`);
      }
      if (trainee.completionResult !== null) {
        throw new DomainError(
          'COMPLETION_NOT_ALLOWED',
          `The completion of ${entry.personId} is recorded already (${trainee.completionResult})`,
        );
      }
      const attendance = await repo.attendanceOfTrainee(trx, cls.id, entry.personId);
      const attended = attendedOf(cls, attendance, trainee.onlineMinutes);
      if (entry.result === 'passed' && attended < required) {
        throw new DomainError(
          'ATTENDANCE_BELOW_THRESHOLD',
          `${entry.personId} attended ${hoursOf(attended)} of ${hoursOf(cls.offlineMinutes + cls.onlineMinutes)} hours; ` +
            `completion needs ${hoursOf(required)} hours (${cls.attendanceThresholdPercent} %)`,
        );
      }
      await repo.updateTrainee(trx, trainee.id, {
        completionResult: entry.result,
        completionScore: entry.score ?? null,
        completionNote: entry.note?.trim() ?? null,
        attendedMinutes: attended,
        completedAt: now,
        completedBy: auth.user.id,
      });
      await recordAudit(trx, {
        context: auditContextOf(auth, meta),
        action: 'class.completion.recorded',
        entityType: 'class',
        entityId: cls.id,
        after: {
          personId: entry.personId,
          result: entry.result,
          score: entry.score ?? null,
          attendedHours: hoursOf(attended),
          requiredHours: hoursOf(required),
        },
        occurredAt: now,
      });
      if (trainee.voucherId) {
        const event = entry.result === 'passed' ? 'passed' : 'failed';
        await voucherFollowsTraining(
          trx,
          trainee.voucherId,
          event,
          auditContextOf(auth, meta),
          now,
        );
      }
    }
    return traineesWithHours(trx, cls);
  });
}

/** The attendance sheet of one session, for the institution that runs the class. */
export async function listSessionAttendance(
  deps: ClassDeps,
  auth: AuthContext,
  classId: string,
  sessionId: string,
): Promise<AttendanceOut[]> {
  const cls = await visibleClass(deps.db, auth, classId);
  if (auth.scope.kind !== 'organisation') throw notFound();
  const session = await repo.findSession(deps.db, cls.id, sessionId);
  if (!session) throw new DomainError('NOT_FOUND', 'No such session');
  const rows = await repo.attendanceOfSession(deps.db, session.id);
  return rows.map((row) => attendanceView(row));
}
