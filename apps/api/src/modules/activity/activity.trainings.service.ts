/*
 * Trainings held outside the voucher loop (R-ACT-1): a responsible unit, a county, the city or the
 * institution that held it reports the training and its trainees; trainees are matched to the
 * person registry (registered when missing); the unit corrects or withdraws its report until the
 * city closes the month the training ended in. Every write is one transaction with its audit row.
 */
import { shanghaiDate, type Clock } from '../../platform/clock.js';
import type { Db, DbOrTrx, Trx } from '../../platform/db.js';
import { DomainError, type FieldError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { maskIdNumber, type PiiCipher } from '../../platform/crypto/index.js';
import { recordAudit } from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import { checkIdNumber } from '../persons/persons.id.js';
import type { IdNumberValid } from '../persons/id-number.rules.js';
import { matchPersons } from './activity.persons.js';
import { assertPeriodOpen, periodOf } from './activity.periods.js';
import { mayReportFor, trainingProblems } from './activity.rules.js';
import type { ReportStatus } from './activity.schema.js';
import * as repo from './activity.trainings.repository.js';

export interface ActivityDeps {
  pii: PiiCipher;
  clock: Clock;
}

export interface TraineeInput {
  idNumber: string;
  name: string;
  completed?: boolean;
}

export interface TrainingInput {
  unitId: string;
  organisationId?: string | null;
  planNo?: number | null;
  title: string;
  occupationCode?: string | null;
  skillLevelKey?: string | null;
  startOn: string;
  endOn: string;
  hours: number;
  trainees: TraineeInput[];
  source?: 'unit_report' | 'api';
}

export type TrainingCorrection = Partial<Omit<TrainingInput, 'source' | 'trainees'>> & {
  version: number;
  trainees?: TraineeInput[];
};

export type TraineeOutcomeCode =
  'ID_NUMBER_INVALID' | 'NAME_MISMATCH' | 'DUPLICATE_IN_REQUEST' | 'CONCURRENT_REGISTRATION';

/** What became of one trainee of the request, in request order. */
export interface TraineeOutcome {
  index: number;
  name: string;
  idNumberMasked: string | null;
  outcome: 'matched' | 'created' | 'rejected';
  personId: string | null;
  completed: boolean;
  code: TraineeOutcomeCode | null;
  message: string | null;
}

/** The report as every answer shows it. */
export function reportView(row: repo.ReportRow) {
  return {
    id: row.id,
    unitId: row.unitId,
    unitName: row.unitName,
    organisationId: row.organisationId,
    planNo: row.planNo,
    title: row.title,
    occupationCode: row.occupationCode,
    occupationName: row.occupationName,
    skillLevelKey: row.skillLevelKey,
    startOn: row.startOn,
    endOn: row.endOn,
    hours: Number(row.hours),
    period: row.period,
    source: row.source,
    importRunId: row.importRunId,
    status: row.status,
    traineeCount: row.traineeCount ?? 0,
    completedCount: row.completedCount ?? 0,
    reportedBy: row.reportedBy,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type ReportView = ReturnType<typeof reportView>;

function notFound(): DomainError {
  return new DomainError('NOT_FOUND', 'No such training report in your scope');
}

async function loadView(db: DbOrTrx, auth: AuthContext, id: string): Promise<ReportView> {
  const row = await repo.findReport(db, auth.scope, id);
  if (!row) throw notFound();
  return reportView(row);
}

/** The unit a report counts for, when the caller may report for it (400 unknown, 403 not theirs). */
async function reportingUnit(db: DbOrTrx, auth: AuthContext, unitId: string) {
  const unit = await repo.findUnit(db, unitId);
  if (!unit) {
    throw new DomainError('VALIDATION_FAILED', `No responsible unit ${unitId}`, [
      { path: '/body/unitId', message: 'unknown responsible unit' },
    ]);
  }
  if (!mayReportFor(auth.scope, unit)) {
    throw new DomainError('FORBIDDEN', 'You may not report for this responsible unit');
  }
  return unit;
}

/** The institution that held the training: an institution's staff always their own. */
function organisationOf(auth: AuthContext, requested: string | null | undefined) {
  if (auth.scope.kind !== 'organisation') return requested ?? null;
  if (requested && requested !== auth.scope.organisationId) {
    throw new DomainError('FORBIDDEN', 'An institution reports only trainings it held');
  }
  return auth.scope.organisationId;
}

interface Facts {
  organisationId: string | null;
  planNo: number | null;
  title: string;
  occupationCode: string | null;
  skillLevelKey: string | null;
  startOn: string;
  endOn: string;
  hours: number;
}

/** Catalog and date checks of a report's facts: 400 VALIDATION_FAILED listing every problem. */
async function checkFacts(db: DbOrTrx, facts: Facts, today: string): Promise<void> {
  const errors: FieldError[] = [];
  if (facts.occupationCode !== null && !(await repo.occupationExists(db, facts.occupationCode))) {
    errors.push({
      path: '/body/occupationCode',
      message: 'no occupation (大典 level 4) has this code',
    });
  }
  if (facts.skillLevelKey !== null && !(await repo.skillLevelExists(db, facts.skillLevelKey))) {
    errors.push({ path: '/body/skillLevelKey', message: 'unknown skill level' });
  }
  if (facts.planNo !== null && !(await repo.planExists(db, facts.planNo))) {
    errors.push({ path: '/body/planNo', message: 'no plan has this number' });
  }
  if (facts.organisationId !== null && !(await repo.organisationExists(db, facts.organisationId))) {
    errors.push({ path: '/body/organisationId', message: 'unknown organisation' });
  }
  if (facts.title.trim() === '') errors.push({ path: '/body/title', message: 'required' });
  for (const problem of trainingProblems(facts, today)) {
    errors.push({ path: `/body/${problem.field}`, message: `${problem.code}: ${problem.message}` });
  }
  if (errors.length > 0) {
    throw new DomainError('VALIDATION_FAILED', 'The training report has problems', errors);
  }
}

interface PreparedTrainee {
  index: number;
  input: TraineeInput;
  id?: IdNumberValid;
  outcome?: TraineeOutcome;
}

function rejectedTrainee(
  index: number,
  input: TraineeInput,
  code: TraineeOutcomeCode,
  message: string,
  idNumberMasked: string | null,
): TraineeOutcome {
  return {
    index,
    name: input.name,
    idNumberMasked,
    outcome: 'rejected',
    personId: null,
    completed: input.completed ?? true,
    code,
    message,
  };
}

/** ID-number checks and in-request duplicates; nothing is written. */
async function prepareTrainees(
  db: DbOrTrx,
  trainees: readonly TraineeInput[],
  today: string,
): Promise<PreparedTrainee[]> {
  const seen = new Set<string>();
  const prepared: PreparedTrainee[] = [];
  for (const [index, input] of trainees.entries()) {
    const checked = await checkIdNumber(db, input.idNumber, today);
    if (!checked.ok) {
      prepared.push({
        index,
        input,
        outcome: rejectedTrainee(
          index,
          input,
          'ID_NUMBER_INVALID',
          `${checked.code}: ${checked.messageEn}`,
          null,
        ),
      });
      continue;
    }
    if (seen.has(checked.idNumber)) {
      prepared.push({
        index,
        input,
        outcome: rejectedTrainee(
          index,
          input,
          'DUPLICATE_IN_REQUEST',
          'this ID number is listed earlier in the request',
          maskIdNumber(checked.idNumber),
        ),
      });
      continue;
    }
    seen.add(checked.idNumber);
    prepared.push({ index, input, id: checked });
  }
  return prepared;
}

/**
 * Matches (or registers) the prepared trainees and writes them onto the report. Refuses the whole
 * request when no trainee is left: a training report names who was trained.
 */
async function writeTrainees(
  trx: Trx,
  deps: ActivityDeps,
  auth: AuthContext,
  meta: RequestMeta,
  reportId: string,
  unit: repo.UnitRow,
  organisationId: string | null,
  source: 'unit_report' | 'api',
  prepared: PreparedTrainee[],
): Promise<TraineeOutcome[]> {
  const now = deps.clock.now();
  const toMatch = prepared.filter((p) => p.id !== undefined);
  const matches = await matchPersons(
    trx,
    toMatch.map((p) => ({ id: p.id as IdNumberValid, name: p.input.name })),
    {
      pii: deps.pii,
      now,
      source,
      createdBy: auth.user.id,
      regionCode: unit.regionCode,
      context: auditContextOf(auth, meta),
      details: { source, trainingReportId: reportId },
      links: [
        { kind: 'unit', id: unit.id },
        ...(organisationId ? [{ kind: 'organisation' as const, id: organisationId }] : []),
      ],
    },
  );
  toMatch.forEach((p, i) => {
    const match = matches[i];
    if (!match) return;
    const completed = p.input.completed ?? true;
    p.outcome =
      match.kind === 'rejected'
        ? rejectedTrainee(
            p.index,
            p.input,
            match.code,
            match.message,
            maskIdNumber((p.id as IdNumberValid).idNumber),
          )
        : {
            index: p.index,
            name: p.input.name,
            idNumberMasked: match.idNumberMasked,
            outcome: match.kind,
            personId: match.personId,
            completed,
            code: null,
            message: null,
          };
  });
  const outcomes = prepared.map((p) => p.outcome as TraineeOutcome);
  const accepted = outcomes.filter((o) => o.personId !== null);
  if (accepted.length === 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'No trainee could be matched or registered',
      outcomes.map((o) => ({
        path: `/body/trainees/${o.index}/idNumber`,
        message: `${o.code ?? ''}: ${o.message ?? ''}`,
      })),
    );
  }
  await repo.insertTrainees(
    trx,
    reportId,
    accepted.map((o) => ({ personId: o.personId as string, completed: o.completed })),
  );
  return outcomes;
}

function outcomeCounts(outcomes: readonly TraineeOutcome[]) {
  const count = (kind: TraineeOutcome['outcome']) =>
    outcomes.filter((o) => o.outcome === kind).length;
  return { matched: count('matched'), created: count('created'), rejected: count('rejected') };
}

/**
 * Reports a training (`POST /api/activity/trainings`): the caller must be allowed to report for
 * the unit, the facts must name catalog entries, the training must have ended, and the month it
 * ended in must be open. Trainees are matched or registered; rejected ones are listed.
 */
export async function reportTraining(
  db: Db,
  deps: ActivityDeps,
  auth: AuthContext,
  input: TrainingInput,
  meta: RequestMeta,
): Promise<{ report: ReportView; trainees: TraineeOutcome[] }> {
  const today = shanghaiDate(deps.clock.now());
  const unit = await reportingUnit(db, auth, input.unitId);
  const facts: Facts = {
    organisationId: organisationOf(auth, input.organisationId),
    planNo: input.planNo ?? null,
    title: input.title.trim(),
    occupationCode: input.occupationCode ?? null,
    skillLevelKey: input.skillLevelKey ?? null,
    startOn: input.startOn,
    endOn: input.endOn,
    hours: input.hours,
  };
  await checkFacts(db, facts, today);
  const prepared = await prepareTrainees(db, input.trainees, today);
  const source = input.source ?? 'unit_report';
  const period = periodOf(facts.endOn);
  return db.transaction().execute(async (trx) => {
    await assertPeriodOpen(trx, period);
    const now = deps.clock.now();
    const id = uuidv7();
    await repo.insertReport(trx, {
      id,
      unitId: unit.id,
      ...facts,
      period,
      source,
      importRunId: null,
      reportedBy: auth.user.id,
      createdAt: now,
      updatedAt: now,
    });
    const trainees = await writeTrainees(
      trx,
      deps,
      auth,
      meta,
      id,
      unit,
      facts.organisationId,
      source,
      prepared,
    );
    const report = await loadView(trx, { ...auth, scope: { kind: 'city' } }, id);
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'activity.training.reported',
      entityType: 'training_report',
      entityId: id,
      after: report,
      details: { source, unitId: unit.id, trainees: outcomeCounts(trainees) },
      occurredAt: now,
    });
    return { report, trainees };
  });
}

export async function getTraining(db: Db, auth: AuthContext, id: string) {
  const report = await loadView(db, auth, id);
  const trainees = await repo.findTrainees(db, id);
  return { ...report, trainees };
}

export async function listTrainings(db: Db, auth: AuthContext, filter: repo.ReportFilter) {
  const { items, total } = await repo.listReports(db, auth.scope, filter);
  return { items: items.map(reportView), total, page: filter.page, pageSize: filter.pageSize };
}

/** Locks a report in the caller's scope and checks its version and that it may still change. */
async function lockForChange(trx: Trx, auth: AuthContext, id: string, version?: number) {
  const visible = await repo.findReport(trx, auth.scope, id);
  if (!visible) throw notFound();
  const locked = await repo.lockReport(trx, id);
  if (!locked) throw notFound();
  if (version !== undefined && locked.version !== version) {
    throw new DomainError(
      'CONFLICT',
      `The report changed since you read it (version ${locked.version}, not ${version}): reload it`,
    );
  }
  if (locked.status !== 'active') {
    throw new DomainError('CONFLICT', 'A withdrawn report cannot change');
  }
  // The unit the report counts for must still be one the caller reports for.
  const unit = await reportingUnit(trx, auth, locked.unitId);
  await assertPeriodOpen(trx, locked.period);
  return { before: reportView(visible), locked, unit };
}

/**
 * Corrects a report (`PATCH /api/activity/trainings/{id}`): fields and, when given, the whole
 * trainee list. The version read must still be current (409 CONFLICT otherwise); the month the
 * report was in and the month it moves to must both be open (409 PERIOD_CLOSED).
 */
export async function correctTraining(
  db: Db,
  deps: ActivityDeps,
  auth: AuthContext,
  id: string,
  input: TrainingCorrection,
  meta: RequestMeta,
): Promise<{ report: ReportView; trainees: TraineeOutcome[] | null }> {
  const today = shanghaiDate(deps.clock.now());
  return db.transaction().execute(async (trx) => {
    const { before, locked, unit: current } = await lockForChange(trx, auth, id, input.version);
    const unit =
      input.unitId !== undefined && input.unitId !== locked.unitId
        ? await reportingUnit(trx, auth, input.unitId)
        : current;
    const facts: Facts = {
      organisationId:
        input.organisationId === undefined
          ? before.organisationId
          : organisationOf(auth, input.organisationId),
      planNo: input.planNo === undefined ? before.planNo : input.planNo,
      title: input.title === undefined ? before.title : input.title.trim(),
      occupationCode:
        input.occupationCode === undefined ? before.occupationCode : input.occupationCode,
      skillLevelKey: input.skillLevelKey === undefined ? before.skillLevelKey : input.skillLevelKey,
      startOn: input.startOn ?? before.startOn,
      endOn: input.endOn ?? before.endOn,
      hours: input.hours ?? before.hours,
    };
    await checkFacts(trx, facts, today);
    const period = periodOf(facts.endOn);
    if (period !== before.period) await assertPeriodOpen(trx, period);
    const now = deps.clock.now();
    const updated = await repo.updateReport(trx, id, input.version, {
      unitId: unit.id,
      ...facts,
      period,
      updatedAt: now,
    });
    if (!updated) throw new DomainError('CONFLICT', 'The report changed meanwhile: reload it');
    let trainees: TraineeOutcome[] | null = null;
    if (input.trainees !== undefined) {
      const prepared = await prepareTrainees(trx, input.trainees, today);
      await repo.deleteTrainees(trx, id);
      const source = before.source === 'api' ? 'api' : 'unit_report';
      trainees = await writeTrainees(
        trx,
        deps,
        auth,
        meta,
        id,
        unit,
        facts.organisationId,
        source,
        prepared,
      );
    }
    const report = await loadView(trx, { ...auth, scope: { kind: 'city' } }, id);
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'activity.training.corrected',
      entityType: 'training_report',
      entityId: id,
      before,
      after: report,
      details: trainees ? { trainees: outcomeCounts(trainees) } : null,
      occurredAt: now,
    });
    return { report, trainees };
  });
}

/** Withdraws a report with a reason: it no longer counts. The month must be open. */
export async function withdrawTraining(
  db: Db,
  deps: ActivityDeps,
  auth: AuthContext,
  id: string,
  reason: string,
  meta: RequestMeta,
): Promise<ReportView> {
  return db.transaction().execute(async (trx) => {
    const { before, locked } = await lockForChange(trx, auth, id);
    const now = deps.clock.now();
    const status: ReportStatus = 'withdrawn';
    await repo.updateReport(trx, id, locked.version, { status, updatedAt: now });
    const report = await loadView(trx, { ...auth, scope: { kind: 'city' } }, id);
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'activity.training.withdrawn',
      entityType: 'training_report',
      entityId: id,
      before,
      after: report,
      details: { reason },
      occurredAt: now,
    });
    return report;
  });
}
