import { invalidateCertificateCache } from '../verification/verification.cache.js';
import { shanghaiDate, type Clock } from '../../platform/clock.js';
import type { Db, Trx } from '../../platform/db.js';
import { DomainError, violates, type FieldError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PiiCipher } from '../../platform/crypto/index.js';
import { recordAudit, type AuditContext } from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import {
  certificatesOfSession,
  findValidCertificate,
  issueCertificateIn,
  type CertificateView,
} from '../certificates/certificates.service.js';
import { findClassFacts } from '../classes/classes.service.js';
import { findOrganisation, findSite } from '../organisations/organisations.service.js';
import { listScopes } from '../organisations/organisations.repository.js';
import { findPerson } from '../persons/persons.repository.js';
import { findPersonByIdNumber } from '../persons/persons.service.js';
import {
  evaluationSubsidyNotes,
  submitEvaluationClaim,
  type EvaluationSubsidyNote,
} from '../subsidies/subsidies.evaluation.js';
import * as repo from './evaluations.repository.js';
import {
  candidateResult,
  coveringScope,
  DEFAULT_PASS_MARK,
  levelQualifies,
  scoreFieldErrors,
  sessionPassMarks,
  SPECIAL_ABILITY_KEY,
  voucherOccupationMatches,
  type PassMarks,
} from './evaluations.rules.js';
import type { CandidateSource, SessionState } from './evaluations.schema.js';

export interface EvaluationDeps {
  clock: Clock;
  pii: PiiCipher;
}

export function sessionView(row: repo.SessionRow) {
  return {
    id: row.id,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    siteId: row.siteId,
    siteName: row.siteName,
    siteSerialCode: row.siteSerialCode,
    scopeId: row.scopeId,
    occupationCode: row.occupationCode,
    occupationLevel: row.occupationLevel,
    occupationName: row.occupationName,
    skillLevelKey: row.skillLevelKey,
    skillLevelName: row.skillLevelName,
    specialAbilityId: row.specialAbilityId,
    specialAbilityName: row.specialAbilityName,
    heldOn: row.heldOn,
    hasTheory: row.theoryPassMark !== null,
    theoryPassMark: row.theoryPassMark,
    practicalPassMark: row.practicalPassMark,
    state: row.state,
    regionCode: row.regionCode,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    sample:
      row.sampledAt === null || row.sampledBy === null
        ? null
        : {
            sampledBy: row.sampledBy,
            sampledAt: row.sampledAt.toISOString(),
            note: row.sampleNote,
          },
    candidateCount: Number(row.candidateCount ?? 0),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type SessionView = ReturnType<typeof sessionView>;

export function candidateView(row: repo.CandidateRow, certificateId: string | null = null) {
  return {
    id: row.id,
    sessionId: row.sessionId,
    personId: row.personId,
    holderName: row.holderName,
    holderIdNumberMasked: row.holderIdNumberMasked,
    source: row.source,
    voucherId: row.voucherId,
    employerOrganisationId: row.employerOrganisationId,
    schoolName: row.schoolName,
    workerPaid: row.workerPaid,
    feePaidFen: row.feePaidFen === null ? null : Number(row.feePaidFen),
    theoryScore: row.theoryScore,
    practicalScore: row.practicalScore,
    result: row.result,
    certificateId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type CandidateView = ReturnType<typeof candidateView>;

function notFound(): DomainError {
  return new DomainError('NOT_FOUND', 'No such evaluation session in your scope');
}

function outOfScope(message: string, path = '/body/siteId'): DomainError {
  return new DomainError('OUT_OF_SCOPE', message, [{ path, message }]);
}

function invalid(errors: FieldError[]): DomainError {
  const detail = errors.map((e) => `${e.path.replace(/^\/body\//, '')}: ${e.message}`).join('; ');
  return new DomainError('VALIDATION_FAILED', detail, errors);
}

function locked(): DomainError {
  return new DomainError(
    'RESULTS_LOCKED',
    'The session’s results were submitted and are locked; nothing can change',
  );
}

function marksOf(session: { theoryPassMark: number | null; practicalPassMark: number }): PassMarks {
  return { theory: session.theoryPassMark, practical: session.practicalPassMark };
}

async function loadSession(db: Db | Trx, auth: AuthContext, id: string): Promise<SessionView> {
  const row = await repo.findSession(db, auth.scope, id);
  if (!row) throw notFound();
  return sessionView(row);
}

/** Locks a session the caller may see; 404 otherwise. */
async function lockVisible(trx: Trx, auth: AuthContext, id: string) {
  const visible = await repo.findSession(trx, auth.scope, id);
  if (!visible) throw notFound();
  const row = await repo.lockSession(trx, id);
  if (!row) throw notFound();
  return row;
}

/** Locks the caller's institution's session for a change of candidates or scores. */
async function lockScheduled(trx: Trx, auth: AuthContext, id: string) {
  const session = await lockVisible(trx, auth, id);
  if (session.state !== 'scheduled') throw locked();
  return session;
}

export interface ScheduleInput {
  siteId: string;
  occupationCode: string;
  occupationLevel: number;
  skillLevelKey: string;
  specialAbilityId?: string | null;
  heldOn: string;
}

/**
 * Schedules a session at one of the caller's institution's sites, only inside an approval of the
 * site for the occupation and level that is valid on `heldOn` (else 403 OUT_OF_SCOPE with the
 * reason). The session copies the occupation's pass marks (60/60 by default); 专项职业能力 has a
 * practical part only.
 */
export async function scheduleSession(
  db: Db,
  deps: EvaluationDeps,
  auth: AuthContext,
  input: ScheduleInput,
  meta: RequestMeta,
): Promise<SessionView> {
  const site = await findSite(db, input.siteId);
  if (!site || site.organisationId !== auth.user.organisationId) {
    throw outOfScope('This is not an evaluation site of your institution');
  }
  if (site.status !== 'active' || site.organisation.status !== 'active') {
    throw outOfScope('The site or its institution is suspended');
  }
  const [occupation, level] = await Promise.all([
    repo.findOccupation(db, input.occupationCode, input.occupationLevel),
    repo.findSkillLevel(db, input.skillLevelKey),
  ]);
  const errors: FieldError[] = [];
  if (!occupation) errors.push({ path: '/body/occupationCode', message: 'no such occupation' });
  if (!level) errors.push({ path: '/body/skillLevelKey', message: 'unknown skill level' });
  const isSpecial = input.skillLevelKey === SPECIAL_ABILITY_KEY;
  const specialAbilityId = input.specialAbilityId ?? null;
  if (isSpecial && specialAbilityId === null) {
    errors.push({ path: '/body/specialAbilityId', message: 'required for 专项职业能力' });
  }
  if (!isSpecial && specialAbilityId !== null) {
    errors.push({ path: '/body/specialAbilityId', message: 'only for 专项职业能力' });
  }
  if (specialAbilityId !== null && isSpecial) {
    const ability = await repo.findSpecialAbility(db, specialAbilityId);
    if (
      ability?.occupationCode !== input.occupationCode ||
      ability.occupationLevel !== input.occupationLevel
    ) {
      errors.push({
        path: '/body/specialAbilityId',
        message: 'not a 专项职业能力 item of this occupation',
      });
    }
  }
  if (errors.length > 0 || !occupation || !level) throw invalid(errors);
  const approvals = (await listScopes(db, site.id)).filter(
    (s) =>
      s.occupationCode === input.occupationCode &&
      s.occupationLevel === input.occupationLevel &&
      s.skillLevelKey === input.skillLevelKey,
  );
  const decision = coveringScope(approvals, input.heldOn, {
    occupation: `${occupation.name} (${occupation.code})`,
    level: level.name,
  });
  if (!decision.ok) throw outOfScope(decision.message, '/body/heldOn');
  const configured = await repo.findPassMarks(db, input.occupationCode, input.occupationLevel);
  const marks = sessionPassMarks(input.skillLevelKey, configured);
  const now = deps.clock.now();
  const id = uuidv7();
  return db.transaction().execute(async (trx) => {
    await repo.insertSession(trx, {
      id,
      organisationId: site.organisationId,
      siteId: site.id,
      scopeId: decision.scopeId,
      occupationCode: input.occupationCode,
      occupationLevel: input.occupationLevel,
      skillLevelKey: input.skillLevelKey,
      specialAbilityId,
      heldOn: input.heldOn,
      theoryPassMark: marks.theory,
      practicalPassMark: marks.practical,
      state: 'scheduled',
      regionCode: site.regionCode,
      createdBy: auth.user.id,
      submittedBy: null,
      submittedAt: null,
      sampledBy: null,
      sampledAt: null,
      sampleNote: null,
      createdAt: now,
      updatedAt: now,
    });
    const view = await loadSession(trx, auth, id);
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'evaluation.session.scheduled',
      entityType: 'evaluation_session',
      entityId: id,
      after: view,
      occurredAt: now,
    });
    return view;
  });
}

export async function listSessions(
  db: Db,
  auth: AuthContext,
  query: repo.SessionFilter & { page: number; pageSize: number },
) {
  const { page, pageSize, ...filter } = query;
  const { items, total } = await repo.listSessions(db, auth.scope, filter, {
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: items.map(sessionView), total, page, pageSize };
}

async function candidatesWithCertificates(db: Db | Trx, sessionId: string) {
  const [rows, certificates] = await Promise.all([
    repo.listCandidates(db, sessionId),
    certificatesOfSession(db, sessionId),
  ]);
  const byCandidate = new Map(certificates.map((c) => [c.candidateId, c.id]));
  return {
    candidates: rows.map((r) => candidateView(r, byCandidate.get(r.id) ?? null)),
    certificates,
  };
}

/** A session with its candidates, their results and the certificates it issued. */
export async function getSession(db: Db, auth: AuthContext, id: string) {
  const session = await loadSession(db, auth, id);
  return { ...session, ...(await candidatesWithCertificates(db, id)) };
}

export interface CandidateInput {
  personId?: string;
  idNumber?: string;
  source: CandidateSource;
  voucherId?: string | null;
  employerOrganisationId?: string | null;
  schoolName?: string | null;
  workerPaid?: boolean;
  feePaidFen?: number | null;
}

/** The level digit of the session's skill level; null for a 专项职业能力 session. */
async function sessionLevelDigit(db: Db | Trx, session: { skillLevelKey: string }) {
  if (session.skillLevelKey === SPECIAL_ABILITY_KEY) return null;
  return (await repo.findSkillLevel(db, session.skillLevelKey))?.levelDigit ?? null;
}

/**
 * Why a voucher does not qualify its holder for the session, or null when it does;
 * `levelDigit` is the session's, from sessionLevelDigit.
 */
function voucherRefusal(
  session: repo.LockedSession,
  levelDigit: number | null,
  voucher: repo.VoucherFacts | undefined,
  personId: string,
): string | null {
  if (voucher?.personId !== personId) return 'not a voucher of this person';
  if (voucher.state !== 'completed') return `the voucher is ${voucher.state}, not completed`;
  if (!voucherOccupationMatches(voucher, session.occupationCode)) {
    return 'the voucher’s training is in another occupation';
  }
  const isSpecial = session.skillLevelKey === SPECIAL_ABILITY_KEY;
  if (isSpecial || voucher.classSkillLevelKey === SPECIAL_ABILITY_KEY) {
    return isSpecial && voucher.classSkillLevelKey === SPECIAL_ABILITY_KEY
      ? null
      : 'a 专项职业能力 class qualifies only for a 专项职业能力 session, and only it';
  }
  if (!levelQualifies(voucher.classLevelDigit, levelDigit)) {
    return 'the class was at a higher level than the session';
  }
  return null;
}

async function resolvePerson(db: Db, deps: EvaluationDeps, input: CandidateInput) {
  if ((input.personId === undefined) === (input.idNumber === undefined)) {
    throw invalid([{ path: '/body/personId', message: 'send either personId or idNumber' }]);
  }
  if (input.idNumber !== undefined) {
    const person = await findPersonByIdNumber(db, deps, null, input.idNumber);
    return person.id;
  }
  const person = await findPerson(db, { kind: 'city' }, input.personId ?? '');
  if (!person) {
    throw new DomainError('NOT_FOUND', 'No such person', [
      { path: '/body/personId', message: 'no registered person with this id' },
    ]);
  }
  return person.id;
}

async function insertCandidateIn(
  trx: Trx,
  auth: AuthContext,
  session: repo.LockedSession,
  row: {
    personId: string;
    source: CandidateSource;
    voucherId: string | null;
    employerOrganisationId: string | null;
    schoolName: string | null;
    workerPaid: boolean;
    feePaidFen: number | null;
  },
  context: AuditContext,
  now: Date,
  details: Record<string, unknown> = {},
): Promise<string> {
  const id = uuidv7();
  try {
    await repo.insertCandidate(trx, {
      id,
      sessionId: session.id,
      ...row,
      theoryScore: null,
      practicalScore: null,
      result: null,
      createdBy: auth.user.id,
      createdAt: now,
      updatedAt: now,
    });
  } catch (error) {
    if (violates(error, '23505', 'evaluation_candidates_session_id_person_id_key')) {
      throw new DomainError(
        'CANDIDATE_EXISTS',
        'The person is already a candidate of this session',
      );
    }
    throw error;
  }
  await recordAudit(trx, {
    context,
    action: 'evaluation.candidate.added',
    entityType: 'evaluation_candidate',
    entityId: id,
    after: row,
    details: { sessionId: session.id, ...details },
    occurredAt: now,
  });
  return id;
}

/**
 * Adds a candidate to a scheduled session of the caller's institution: a trainee with a completed
 * voucher in the session's occupation (or category) at the session's level or below, an
 * employer's staff member, a 1+X student or an individual applicant.
 */
export async function addCandidate(
  db: Db,
  deps: EvaluationDeps,
  auth: AuthContext,
  sessionId: string,
  input: CandidateInput,
  meta: RequestMeta,
): Promise<CandidateView> {
  const personId = await resolvePerson(db, deps, input);
  const errors: FieldError[] = [];
  const voucherId = input.voucherId ?? null;
  const employerOrganisationId = input.employerOrganisationId ?? null;
  const schoolName = input.schoolName?.trim() || null;
  const workerPaid = input.workerPaid ?? false;
  const feePaidFen = input.feePaidFen ?? null;
  if ((input.source === 'voucher') !== (voucherId !== null)) {
    errors.push({ path: '/body/voucherId', message: 'required exactly for source voucher' });
  }
  if (input.source === 'enterprise') {
    const employer = employerOrganisationId
      ? await findOrganisation(db, employerOrganisationId)
      : undefined;
    if (!employer) {
      errors.push({ path: '/body/employerOrganisationId', message: 'required: a known employer' });
    }
  }
  if (input.source === 'school' && schoolName === null) {
    errors.push({ path: '/body/schoolName', message: 'required for source school' });
  }
  if (!workerPaid && feePaidFen !== null && feePaidFen > 0) {
    errors.push({ path: '/body/feePaidFen', message: 'a fee only when the worker paid' });
  }
  if (errors.length > 0) throw invalid(errors);
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    const session = await lockScheduled(trx, auth, sessionId);
    if (voucherId !== null) {
      const voucher = await repo.findVoucherFacts(trx, voucherId);
      const refusal = voucherRefusal(
        session,
        await sessionLevelDigit(trx, session),
        voucher,
        personId,
      );
      if (refusal !== null) {
        throw new DomainError(
          'CANDIDATE_NOT_ELIGIBLE',
          `The voucher does not qualify: ${refusal}`,
          [{ path: '/body/voucherId', message: refusal }],
        );
      }
    }
    const id = await insertCandidateIn(
      trx,
      auth,
      session,
      {
        personId,
        source: input.source,
        voucherId,
        employerOrganisationId,
        schoolName,
        workerPaid,
        feePaidFen,
      },
      auditContextOf(auth, meta),
      now,
    );
    await repo.updateSession(trx, session.id, { updatedAt: now });
    const row = await repo.findCandidate(trx, session.id, id);
    if (!row) throw new Error('added candidate vanished');
    return candidateView(row);
  });
}

/**
 * Adds every trainee of a class whose voucher is `completed` and qualifies for the session; the
 * others (already candidates, other occupation, higher level) are listed with the reason.
 */
export async function addCandidatesFromClass(
  db: Db,
  deps: EvaluationDeps,
  auth: AuthContext,
  sessionId: string,
  classId: string,
  meta: RequestMeta,
) {
  const now = deps.clock.now();
  const cls = await findClassFacts(db, classId, now);
  if (!cls) {
    throw new DomainError('NOT_FOUND', 'No such class', [
      { path: '/body/classId', message: 'no such class' },
    ]);
  }
  return db.transaction().execute(async (trx) => {
    const session = await lockScheduled(trx, auth, sessionId);
    const vouchers = await repo.completedVouchersOfClass(trx, classId);
    const already = await repo.candidatePersonIds(trx, session.id);
    const levelDigit = await sessionLevelDigit(trx, session);
    const context = auditContextOf(auth, meta);
    const added: string[] = [];
    const skipped: { personId: string; voucherId: string; reason: string }[] = [];
    for (const voucher of vouchers) {
      if (already.has(voucher.personId)) {
        skipped.push({
          personId: voucher.personId,
          voucherId: voucher.id,
          reason: 'already a candidate',
        });
        continue;
      }
      const refusal = voucherRefusal(session, levelDigit, voucher, voucher.personId);
      if (refusal !== null) {
        skipped.push({ personId: voucher.personId, voucherId: voucher.id, reason: refusal });
        continue;
      }
      added.push(
        await insertCandidateIn(
          trx,
          auth,
          session,
          {
            personId: voucher.personId,
            source: 'voucher',
            voucherId: voucher.id,
            employerOrganisationId: null,
            schoolName: null,
            workerPaid: false,
            feePaidFen: null,
          },
          context,
          now,
          { classId },
        ),
      );
      already.add(voucher.personId);
    }
    if (added.length > 0) await repo.updateSession(trx, session.id, { updatedAt: now });
    const rows = await repo.listCandidates(trx, session.id);
    const addedSet = new Set(added);
    return {
      added: added.length,
      skipped,
      candidates: rows.filter((r) => addedSet.has(r.id)).map((r) => candidateView(r)),
    };
  });
}

/** How long after its end a class still offers its trainees for evaluation. */
const ELIGIBLE_CLASS_MONTHS = 12;

/**
 * The classes whose trainees could sit the caller's institution's session: approved, of the
 * session's occupation, at its level or a lower one (专项 only for 专项), ended within the last
 * 12 months, with at least one `completed`-voucher trainee not yet a candidate. 404 for a
 * session of another institution.
 */
export async function listEligibleClasses(
  db: Db,
  deps: EvaluationDeps,
  auth: AuthContext,
  sessionId: string,
) {
  const session = await repo.findSession(db, auth.scope, sessionId);
  if (!session || auth.scope.kind !== 'organisation') throw notFound();
  const levelDigit = await sessionLevelDigit(db, session);
  if (session.skillLevelKey !== SPECIAL_ABILITY_KEY && levelDigit === null) return { items: [] };
  const now = deps.clock.now();
  const endedAfter = new Date(now);
  endedAfter.setUTCMonth(endedAfter.getUTCMonth() - ELIGIBLE_CLASS_MONTHS);
  const rows = await repo.eligibleClasses(db, {
    sessionId: session.id,
    occupationCode: session.occupationCode,
    sessionLevelDigit: levelDigit,
    endedAfter,
    endedBy: now,
  });
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      organisationName: r.organisationName,
      regionCode: r.regionCode,
      regionName: r.regionName,
      skillLevelKey: r.skillLevelKey,
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      startDate: shanghaiDate(r.startsAt),
      endDate: shanghaiDate(r.endsAt),
      pendingTrainees: Number(r.pendingTrainees),
    })),
  };
}

export interface ScoresInput {
  theoryScore?: number | null;
  practicalScore?: number | null;
  absent?: boolean;
}

/**
 * Enters (or corrects) a candidate's scores while the session is scheduled; the result follows
 * from the session's pass marks. After submission every change answers 409 RESULTS_LOCKED.
 */
export async function recordScores(
  db: Db,
  deps: EvaluationDeps,
  auth: AuthContext,
  sessionId: string,
  candidateId: string,
  input: ScoresInput,
  meta: RequestMeta,
): Promise<CandidateView> {
  return db.transaction().execute(async (trx) => {
    const session = await lockScheduled(trx, auth, sessionId);
    const before = await repo.findCandidate(trx, session.id, candidateId);
    if (!before) throw new DomainError('NOT_FOUND', 'No such candidate in this session');
    const scores = {
      theoryScore: input.theoryScore ?? null,
      practicalScore: input.practicalScore ?? null,
      absent: input.absent ?? false,
    };
    const marks = marksOf(session);
    const errors = scoreFieldErrors(marks, scores);
    if (errors.length > 0) throw invalid(errors);
    const result = candidateResult(marks, scores);
    const now = deps.clock.now();
    const changes = {
      theoryScore: scores.theoryScore,
      practicalScore: scores.practicalScore,
      result,
      updatedAt: now,
    };
    await repo.updateCandidate(trx, candidateId, changes);
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'evaluation.scores.recorded',
      entityType: 'evaluation_candidate',
      entityId: candidateId,
      before: {
        theoryScore: before.theoryScore,
        practicalScore: before.practicalScore,
        result: before.result,
      },
      after: { theoryScore: scores.theoryScore, practicalScore: scores.practicalScore, result },
      details: { sessionId },
      occurredAt: now,
    });
    return candidateView({ ...before, ...changes });
  });
}

export interface SubmitAnswer {
  session: SessionView;
  issued: CertificateView[];
  /** Passed, but already holding a valid certificate for the occupation and level: none issued. */
  alreadyCertified: {
    candidateId: string;
    personId: string;
    /** null when the certificate held at submission has since been revoked. */
    heldCertificateId: string | null;
    heldNumber: string | null;
  }[];
  /** Per issued certificate: its evaluation-subsidy claim, or why there is none. */
  evaluationSubsidies: EvaluationSubsidyNote[];
}

/**
 * Submits a session's results: every candidate must be scored or marked absent. The results lock
 * and the certificates of those who passed are issued, in one transaction. A person who already
 * holds a valid certificate for the occupation and level gets no second one (listed in
 * `alreadyCertified`). Submitting a submitted session answers the same again.
 */
export async function submitSession(
  db: Db,
  deps: EvaluationDeps,
  auth: AuthContext,
  sessionId: string,
  meta: RequestMeta,
): Promise<SubmitAnswer> {
  const answer = await db.transaction().execute(async (trx) => {
    const session = await lockVisible(trx, auth, sessionId);
    const candidates = await repo.listCandidates(trx, session.id);
    if (session.state === 'submitted') {
      return submitAnswer(trx, auth, session.id, candidates);
    }
    const unscored = candidates.filter((c) => c.result === null);
    if (unscored.length > 0) {
      throw new DomainError(
        'SCORES_INCOMPLETE',
        `${unscored.length} candidate(s) are neither scored nor marked absent`,
        unscored.map((c) => ({
          path: `/candidates/${c.id}`,
          message: 'neither scored nor marked absent',
        })),
      );
    }
    const now = deps.clock.now();
    const context = auditContextOf(auth, meta);
    await repo.updateSession(trx, session.id, {
      state: 'submitted' satisfies SessionState,
      submittedBy: auth.user.id,
      submittedAt: now,
      updatedAt: now,
    });
    // In person order, so two submissions sharing passers wait on each other instead of deadlocking.
    const passers = candidates
      .filter((c) => c.result === 'pass')
      .sort((a, b) => a.personId.localeCompare(b.personId));
    if (passers.length > 0) {
      const facts = await issuanceFacts(trx, session);
      for (const candidate of passers) {
        const outcome = await issueCertificateIn(
          trx,
          {
            ...facts,
            candidate: { id: candidate.id },
            holder: {
              personId: candidate.personId,
              name: candidate.holderName,
              idNumberMasked: candidate.holderIdNumberMasked,
              regionCode: candidate.holderRegionCode,
            },
          },
          context,
          now,
        );
        // R-SUB-2: an evaluation free to the worker earns the institution the subsidy, once per
        // person + occupation + level (evaluationSubsidies in the answer says why not).
        if (outcome.issued && !candidate.workerPaid) {
          await submitEvaluationClaim(
            trx,
            {
              certificateId: outcome.certificateId,
              certificateNumber: outcome.number,
              personId: candidate.personId,
              occupationCode: session.occupationCode,
              skillLevelKey: session.skillLevelKey,
              specialAbilityId: session.specialAbilityId,
              issuedOn: shanghaiDate(now),
              sessionId: session.id,
              candidateId: candidate.id,
              payeeOrganisationId: facts.organisation.id,
              payeeRegionCode: facts.payeeRegionCode,
              createdBy: auth.user.id,
            },
            context,
            now,
          );
        }
      }
    }
    const counts = { pass: 0, fail: 0, absent: 0 };
    for (const c of candidates) if (c.result) counts[c.result] += 1;
    await recordAudit(trx, {
      context,
      action: 'evaluation.session.submitted',
      entityType: 'evaluation_session',
      entityId: session.id,
      before: { state: session.state },
      after: { state: 'submitted' },
      details: counts,
      occurredAt: now,
    });
    return submitAnswer(trx, auth, session.id, candidates);
  });
  // A number looked up before it existed may be cached as not found: forget it.
  for (const certificate of answer.issued) invalidateCertificateCache(certificate.number);
  return answer;
}

/** What issuing needs of the session, its site and its institution. */
async function issuanceFacts(trx: Trx, session: repo.LockedSession) {
  const [site, level] = await Promise.all([
    findSite(trx, session.siteId),
    repo.findSkillLevel(trx, session.skillLevelKey),
  ]);
  if (!site || !level) throw new Error('a session without its site or level');
  const organisation = await findOrganisation(trx, session.organisationId);
  if (!organisation) throw new Error('a session without its institution');
  return {
    session: {
      id: session.id,
      occupationCode: session.occupationCode,
      occupationLevel: session.occupationLevel,
      skillLevelKey: session.skillLevelKey,
      levelDigit: level.levelDigit,
      specialAbilityId: session.specialAbilityId,
    },
    site: { id: site.id, serialCode: site.serialCode },
    organisation: {
      id: organisation.id,
      name: organisation.name,
      evaluationType: organisation.evaluationType,
      institutionCode: organisation.institutionCode,
    },
    /** The institution's county: the county that reviews its evaluation-subsidy claims. */
    payeeRegionCode: organisation.regionCode,
  };
}

async function submitAnswer(
  trx: Trx,
  auth: AuthContext,
  sessionId: string,
  candidates: repo.CandidateRow[],
): Promise<SubmitAnswer> {
  const session = await loadSession(trx, auth, sessionId);
  const issued = await certificatesOfSession(trx, sessionId);
  const withCertificate = new Set(issued.map((c) => c.candidateId));
  const alreadyCertified: SubmitAnswer['alreadyCertified'] = [];
  for (const c of candidates) {
    if (c.result !== 'pass' || withCertificate.has(c.id)) continue;
    const held = await findValidCertificate(trx, {
      personId: c.personId,
      occupationCode: session.occupationCode,
      skillLevelKey: session.skillLevelKey,
      specialAbilityId: session.specialAbilityId,
    });
    alreadyCertified.push({
      candidateId: c.id,
      personId: c.personId,
      heldCertificateId: held?.id ?? null,
      heldNumber: held?.number ?? null,
    });
  }
  const workerPaid = new Map(candidates.map((c) => [c.id, c.workerPaid]));
  const evaluationSubsidies = await evaluationSubsidyNotes(
    trx,
    issued.map((c) => ({
      certificateId: c.id,
      workerPaid: c.candidateId !== null && workerPaid.get(c.candidateId) === true,
      personId: c.personId,
      occupationCode: c.occupationCode,
      skillLevelKey: c.skillLevelKey,
      specialAbilityId: c.specialAbilityId,
    })),
  );
  return { session, issued, alreadyCertified, evaluationSubsidies };
}

/**
 * Samples a session for review (抽查): a county administrator a session at a site in its region,
 * the city any. Sampling again replaces the note; each time is audited.
 */
export async function sampleSession(
  db: Db,
  deps: EvaluationDeps,
  auth: AuthContext,
  sessionId: string,
  note: string,
  meta: RequestMeta,
): Promise<SessionView> {
  return db.transaction().execute(async (trx) => {
    const session = await lockVisible(trx, auth, sessionId);
    const now = deps.clock.now();
    await repo.updateSession(trx, session.id, {
      sampledBy: auth.user.id,
      sampledAt: now,
      sampleNote: note,
      updatedAt: now,
    });
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'evaluation.session.sampled',
      entityType: 'evaluation_session',
      entityId: session.id,
      before: session.sampledAt ? { sampledAt: session.sampledAt.toISOString() } : null,
      after: { sampledAt: now.toISOString(), note },
      details: { state: session.state, regionCode: session.regionCode },
      occurredAt: now,
    });
    return loadSession(trx, auth, session.id);
  });
}

/** The pass marks of an occupation: its own, or 60/60 (`isDefault`). */
export async function getPassMarks(db: Db, occupationCode: string, occupationLevel: number) {
  const occupation = await repo.findOccupation(db, occupationCode, occupationLevel);
  if (!occupation) throw new DomainError('NOT_FOUND', 'No such occupation');
  const row = await repo.findPassMarks(db, occupationCode, occupationLevel);
  const marks = sessionPassMarks('level5', row);
  return {
    occupationCode,
    occupationLevel,
    occupationName: occupation.name,
    theoryPassMark: marks.theory ?? DEFAULT_PASS_MARK,
    practicalPassMark: marks.practical,
    isDefault: row === undefined,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/** Sets an occupation's pass marks; sessions scheduled later copy them, earlier ones keep theirs. */
export async function setPassMarks(
  db: Db,
  deps: EvaluationDeps,
  auth: AuthContext,
  input: {
    occupationCode: string;
    occupationLevel: number;
    theoryPassMark: number;
    practicalPassMark: number;
  },
  meta: RequestMeta,
) {
  const before = await getPassMarks(db, input.occupationCode, input.occupationLevel);
  const now = deps.clock.now();
  await db.transaction().execute(async (trx) => {
    await repo.upsertPassMarks(trx, { ...input, updatedBy: auth.user.id, updatedAt: now });
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'evaluation.pass_marks.set',
      entityType: 'occupation',
      entityId: `${input.occupationCode}/${input.occupationLevel}`,
      before: {
        theoryPassMark: before.theoryPassMark,
        practicalPassMark: before.practicalPassMark,
      },
      after: { theoryPassMark: input.theoryPassMark, practicalPassMark: input.practicalPassMark },
      occurredAt: now,
    });
  });
  return getPassMarks(db, input.occupationCode, input.occupationLevel);
}

export function specialAbilityView(row: repo.SpecialAbilityRow) {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    occupationCode: row.occupationCode,
    occupationLevel: row.occupationLevel,
    occupationName: row.occupationName,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type SpecialAbilityView = ReturnType<typeof specialAbilityView>;

export async function listSpecialAbilities(db: Db, occupationCode?: string) {
  return { items: (await repo.listSpecialAbilities(db, occupationCode)).map(specialAbilityView) };
}

/** Adds a 专项职业能力 item under an occupation of the 2022 大典. */
export async function createSpecialAbility(
  db: Db,
  deps: EvaluationDeps,
  auth: AuthContext,
  input: { code: string; name: string; occupationCode: string; occupationLevel: number },
  meta: RequestMeta,
): Promise<SpecialAbilityView> {
  const occupation = await repo.findOccupation(db, input.occupationCode, input.occupationLevel);
  if (!occupation) {
    throw invalid([{ path: '/body/occupationCode', message: 'no such occupation' }]);
  }
  const now = deps.clock.now();
  const id = uuidv7();
  return db.transaction().execute(async (trx) => {
    try {
      await repo.insertSpecialAbility(trx, {
        id,
        code: input.code.trim(),
        name: input.name.trim(),
        occupationCode: input.occupationCode,
        occupationLevel: input.occupationLevel,
        createdAt: now,
        updatedAt: now,
      });
    } catch (error) {
      const e = error as { code?: string };
      if (e.code === '23505') {
        throw new DomainError('SPECIAL_ABILITY_CODE_TAKEN', 'Another item has this code', [
          { path: '/body/code', message: 'already used' },
        ]);
      }
      throw error;
    }
    const row = await repo.findSpecialAbility(trx, id);
    if (!row) throw new Error('created special ability vanished');
    const view = specialAbilityView(row);
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'evaluation.special_ability.created',
      entityType: 'special_ability',
      entityId: id,
      after: view,
      occurredAt: now,
    });
    return view;
  });
}
