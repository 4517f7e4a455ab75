import { sql, type Insertable, type SelectQueryBuilder, type Updateable } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db.js';
import type { Database } from '../../platform/db-schema.js';
import type { Scope } from '../../platform/auth/roles.js';
import type {
  EvaluationCandidatesTable,
  EvaluationSessionsTable,
  SessionState,
  SpecialAbilitiesTable,
} from './evaluations.schema.js';
import { SPECIAL_ABILITY_KEY } from './evaluations.rules.js';

type SessionQuery<O> = SelectQueryBuilder<Database & { s: EvaluationSessionsTable }, 's', O>;

/**
 * Restricts a session query to a scope: an evaluation institution its own sessions, a county
 * administrator those at sites in its region, the city everything.
 */
export function inScope<O>(query: SessionQuery<O>, scope: Scope): SessionQuery<O> {
  switch (scope.kind) {
    case 'city':
      return query;
    case 'region':
      return query.where('s.regionCode', '=', scope.regionCode);
    case 'organisation':
      return query.where('s.organisationId', '=', scope.organisationId);
    case 'unit':
    case 'person':
      return query.where(sql<boolean>`false`);
  }
}

function sessionViews(db: DbOrTrx) {
  return db
    .selectFrom('evaluationSessions as s')
    .innerJoin('evaluationSites as es', 'es.id', 's.siteId')
    .innerJoin('organisations as org', 'org.id', 's.organisationId')
    .innerJoin('occupations as o', (join) =>
      join.onRef('o.code', '=', 's.occupationCode').onRef('o.level', '=', 's.occupationLevel'),
    )
    .innerJoin('skillLevels as l', 'l.key', 's.skillLevelKey')
    .leftJoin('specialAbilities as sa', 'sa.id', 's.specialAbilityId')
    .select((eb) => [
      's.id',
      's.organisationId',
      'org.name as organisationName',
      's.siteId',
      'es.name as siteName',
      'es.serialCode as siteSerialCode',
      's.scopeId',
      's.occupationCode',
      's.occupationLevel',
      'o.name as occupationName',
      's.skillLevelKey',
      'l.name as skillLevelName',
      's.specialAbilityId',
      'sa.name as specialAbilityName',
      's.heldOn',
      's.theoryPassMark',
      's.practicalPassMark',
      's.state',
      's.regionCode',
      's.submittedAt',
      's.sampledBy',
      's.sampledAt',
      's.sampleNote',
      's.createdAt',
      's.updatedAt',
      eb
        .selectFrom('evaluationCandidates as c')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('c.sessionId', '=', 's.id')
        .as('candidateCount'),
    ]);
}

export async function findSession(db: DbOrTrx, scope: Scope, id: string) {
  return inScope(sessionViews(db), scope).where('s.id', '=', id).executeTakeFirst();
}
export type SessionRow = NonNullable<Awaited<ReturnType<typeof findSession>>>;

export interface SessionFilter {
  state?: SessionState;
  siteId?: string;
  occupationCode?: string;
  heldFrom?: string;
  heldTo?: string;
}

export async function listSessions(
  db: DbOrTrx,
  scope: Scope,
  filter: SessionFilter,
  paging: { limit: number; offset: number },
) {
  let query = inScope(sessionViews(db), scope);
  if (filter.state) query = query.where('s.state', '=', filter.state);
  if (filter.siteId) query = query.where('s.siteId', '=', filter.siteId);
  if (filter.occupationCode) query = query.where('s.occupationCode', '=', filter.occupationCode);
  if (filter.heldFrom) query = query.where('s.heldOn', '>=', filter.heldFrom);
  if (filter.heldTo) query = query.where('s.heldOn', '<=', filter.heldTo);
  const [items, count] = await Promise.all([
    query
      .orderBy('s.heldOn', 'desc')
      .orderBy('s.id')
      .limit(paging.limit)
      .offset(paging.offset)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** The session row, locked for a change (unscoped: the service checks who may act). */
export async function lockSession(trx: Trx, id: string) {
  return trx
    .selectFrom('evaluationSessions')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}
export type LockedSession = NonNullable<Awaited<ReturnType<typeof lockSession>>>;

export async function insertSession(
  trx: Trx,
  row: Insertable<EvaluationSessionsTable>,
): Promise<void> {
  await trx.insertInto('evaluationSessions').values(row).execute();
}

export async function updateSession(
  trx: Trx,
  id: string,
  changes: Updateable<EvaluationSessionsTable>,
): Promise<void> {
  await trx.updateTable('evaluationSessions').set(changes).where('id', '=', id).execute();
}

function candidateViews(db: DbOrTrx) {
  return db
    .selectFrom('evaluationCandidates as c')
    .innerJoin('persons as p', 'p.id', 'c.personId')
    .select([
      'c.id',
      'c.sessionId',
      'c.personId',
      'p.name as holderName',
      'p.idNumberMasked as holderIdNumberMasked',
      'p.regionCode as holderRegionCode',
      'c.source',
      'c.voucherId',
      'c.employerOrganisationId',
      'c.schoolName',
      'c.workerPaid',
      'c.feePaidFen',
      'c.theoryScore',
      'c.practicalScore',
      'c.result',
      'c.createdAt',
      'c.updatedAt',
    ]);
}

export async function listCandidates(db: DbOrTrx, sessionId: string) {
  return candidateViews(db)
    .where('c.sessionId', '=', sessionId)
    .orderBy('c.createdAt')
    .orderBy('c.id')
    .execute();
}
export type CandidateRow = Awaited<ReturnType<typeof listCandidates>>[number];

export async function findCandidate(db: DbOrTrx, sessionId: string, id: string) {
  return candidateViews(db)
    .where('c.sessionId', '=', sessionId)
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export async function candidatePersonIds(db: DbOrTrx, sessionId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('evaluationCandidates')
    .select('personId')
    .where('sessionId', '=', sessionId)
    .execute();
  return new Set(rows.map((r) => r.personId));
}

export async function insertCandidate(
  trx: Trx,
  row: Insertable<EvaluationCandidatesTable>,
): Promise<void> {
  await trx.insertInto('evaluationCandidates').values(row).execute();
}

export async function updateCandidate(
  trx: Trx,
  id: string,
  changes: Updateable<EvaluationCandidatesTable>,
): Promise<void> {
  await trx.updateTable('evaluationCandidates').set(changes).where('id', '=', id).execute();
}

export async function findPassMarks(db: DbOrTrx, occupationCode: string, occupationLevel: number) {
  return db
    .selectFrom('evaluationPassMarks')
    .selectAll()
    .where('occupationCode', '=', occupationCode)
    .where('occupationLevel', '=', occupationLevel)
    .executeTakeFirst();
}

export async function upsertPassMarks(
  trx: Trx,
  row: {
    occupationCode: string;
    occupationLevel: number;
    theoryPassMark: number;
    practicalPassMark: number;
    updatedBy: string;
    updatedAt: Date;
  },
): Promise<void> {
  await trx
    .insertInto('evaluationPassMarks')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['occupationCode', 'occupationLevel']).doUpdateSet({
        theoryPassMark: row.theoryPassMark,
        practicalPassMark: row.practicalPassMark,
        updatedBy: row.updatedBy,
        updatedAt: row.updatedAt,
      }),
    )
    .execute();
}

function specialAbilityViews(db: DbOrTrx) {
  return db
    .selectFrom('specialAbilities as sa')
    .innerJoin('occupations as o', (join) =>
      join.onRef('o.code', '=', 'sa.occupationCode').onRef('o.level', '=', 'sa.occupationLevel'),
    )
    .select([
      'sa.id',
      'sa.code',
      'sa.name',
      'sa.occupationCode',
      'sa.occupationLevel',
      'o.name as occupationName',
      'sa.createdAt',
      'sa.updatedAt',
    ]);
}

export async function listSpecialAbilities(db: DbOrTrx, occupationCode?: string) {
  let query = specialAbilityViews(db);
  if (occupationCode) query = query.where('sa.occupationCode', '=', occupationCode);
  return query.orderBy('sa.code').execute();
}

export async function findSpecialAbility(db: DbOrTrx, id: string) {
  return specialAbilityViews(db).where('sa.id', '=', id).executeTakeFirst();
}
export type SpecialAbilityRow = NonNullable<Awaited<ReturnType<typeof findSpecialAbility>>>;

export async function insertSpecialAbility(
  trx: Trx,
  row: Insertable<SpecialAbilitiesTable>,
): Promise<void> {
  await trx.insertInto('specialAbilities').values(row).execute();
}

export async function findOccupation(db: DbOrTrx, code: string, level: number) {
  return db
    .selectFrom('occupations')
    .select(['code', 'level', 'name', 'levelName', 'minorIsOccupation'])
    .where('code', '=', code)
    .where('level', '=', level)
    .executeTakeFirst();
}

export async function findSkillLevel(db: DbOrTrx, key: string) {
  return db
    .selectFrom('skillLevels')
    .select(['key', 'name', 'levelDigit'])
    .where('key', '=', key)
    .executeTakeFirst();
}

/**
 * What deciding a voucher candidate needs: the voucher, and the occupation and level of the class
 * it was bound to. (A read across modules, kept here to one query: the vouchers and classes
 * services expose no such lookup.)
 */
function voucherFacts(db: DbOrTrx) {
  return db
    .selectFrom('vouchers as v')
    .innerJoin('classes as cl', 'cl.id', 'v.classId')
    .innerJoin('skillLevels as l', 'l.key', 'cl.skillLevelKey')
    .select([
      'v.id',
      'v.personId',
      'v.state',
      'v.occupationCode',
      'v.occupationLevel',
      'v.classId',
      'cl.occupationCode as classOccupationCode',
      'cl.skillLevelKey as classSkillLevelKey',
      'l.levelDigit as classLevelDigit',
    ]);
}

export async function findVoucherFacts(db: DbOrTrx, voucherId: string) {
  return voucherFacts(db).where('v.id', '=', voucherId).executeTakeFirst();
}
export type VoucherFacts = NonNullable<Awaited<ReturnType<typeof findVoucherFacts>>>;

/** The class's trainees whose vouchers are `completed`, in a stable order. */
export async function completedVouchersOfClass(db: DbOrTrx, classId: string) {
  return voucherFacts(db)
    .where('v.classId', '=', classId)
    .where('v.state', '=', 'completed')
    .orderBy('v.id')
    .execute();
}

export interface EligibleClassFilter {
  sessionId: string;
  occupationCode: string;
  /** the session's level digit; null for a 专项职业能力 session */
  sessionLevelDigit: number | null;
  endedAfter: Date;
  endedBy: Date;
}

/**
 * Approved classes of the session's occupation that ended in the window, at the session's level
 * or a lower one (专项 only with 专项), with the number of their trainees holding a `completed`
 * voucher who are not yet candidates of the session; classes without any are left out. City-wide
 * on purpose: an evaluation institution evaluates the trainees of any training institution, and
 * this reveals class names, dates and counts only. (A read across modules, as `voucherFacts`.)
 */
export async function eligibleClasses(db: DbOrTrx, filter: EligibleClassFilter) {
  let query = db
    .selectFrom('classes as cl')
    .innerJoin('organisations as org', 'org.id', 'cl.organisationId')
    .innerJoin('skillLevels as l', 'l.key', 'cl.skillLevelKey')
    .leftJoin('regions as r', 'r.code', 'cl.regionCode')
    .innerJoin('vouchers as v', 'v.classId', 'cl.id')
    .where('cl.state', '=', 'approved')
    .where('cl.occupationCode', '=', filter.occupationCode)
    .where('cl.endsAt', '>', filter.endedAfter)
    .where('cl.endsAt', '<=', filter.endedBy)
    .where('v.state', '=', 'completed')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('evaluationCandidates as c')
            .select('c.id')
            .where('c.sessionId', '=', filter.sessionId)
            .whereRef('c.personId', '=', 'v.personId'),
        ),
      ),
    );
  query =
    filter.sessionLevelDigit === null
      ? query.where('cl.skillLevelKey', '=', SPECIAL_ABILITY_KEY)
      : query
          .where('cl.skillLevelKey', '<>', SPECIAL_ABILITY_KEY)
          .where('l.levelDigit', '>=', filter.sessionLevelDigit);
  return query
    .groupBy(['cl.id', 'org.name', 'r.name'])
    .select((eb) => [
      'cl.id',
      'cl.name',
      'org.name as organisationName',
      'cl.regionCode',
      'r.name as regionName',
      'cl.skillLevelKey',
      'cl.startsAt',
      'cl.endsAt',
      eb.fn.count<number>('v.personId').distinct().as('pendingTrainees'),
    ])
    .orderBy('cl.endsAt', 'desc')
    .orderBy('cl.id')
    .limit(500)
    .execute();
}
