import { sql, type SelectQueryBuilder } from 'kysely';
import type { DbOrTrx } from '../../platform/db.js';
import type { Database } from '../../platform/db-schema.js';
import type { Scope } from '../../platform/auth/roles.js';
import type { ActivitySource, ReportStatus, TrainingReportsTable } from './activity.schema.js';

type ReportQuery<O> = SelectQueryBuilder<Database & { r: TrainingReportsTable }, 'r', O>;

/**
 * Restricts training reports to a scope: a unit officer its unit's, a county administrator those
 * of its county units (responsible_units.kind = 'county' in its region), an institution those it
 * held, the city all. A worker sees none.
 */
export function reportsInScope<O>(query: ReportQuery<O>, scope: Scope): ReportQuery<O> {
  switch (scope.kind) {
    case 'city':
      return query;
    case 'unit':
      return query.where('r.unitId', '=', scope.unitId);
    case 'region':
      return query.where('r.unitId', 'in', (eb) =>
        eb
          .selectFrom('responsibleUnits')
          .select('id')
          .where('kind', '=', 'county')
          .where('regionCode', '=', scope.regionCode),
      );
    case 'organisation':
      return query.where('r.organisationId', '=', scope.organisationId);
    case 'person':
      return query.where(sql<boolean>`false`);
  }
}

export async function findUnit(db: DbOrTrx, id: string) {
  return db
    .selectFrom('responsibleUnits')
    .select(['id', 'canonicalName', 'kind', 'regionCode'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export type UnitRow = NonNullable<Awaited<ReturnType<typeof findUnit>>>;

export async function occupationExists(db: DbOrTrx, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('occupations')
    .select('code')
    .where('code', '=', code)
    .where('level', '=', 4)
    .executeTakeFirst();
  return row !== undefined;
}

export async function skillLevelExists(db: DbOrTrx, key: string): Promise<boolean> {
  return (
    (await db.selectFrom('skillLevels').select('key').where('key', '=', key).executeTakeFirst()) !==
    undefined
  );
}

export async function planExists(db: DbOrTrx, planNo: number): Promise<boolean> {
  return (
    (await db
      .selectFrom('plans')
      .select('planNo')
      .where('planNo', '=', planNo)
      .executeTakeFirst()) !== undefined
  );
}

export async function organisationExists(db: DbOrTrx, id: string): Promise<boolean> {
  return (
    (await db.selectFrom('organisations').select('id').where('id', '=', id).executeTakeFirst()) !==
    undefined
  );
}

export interface NewReport {
  id: string;
  unitId: string;
  organisationId: string | null;
  planNo: number | null;
  title: string;
  occupationCode: string | null;
  skillLevelKey: string | null;
  startOn: string;
  endOn: string;
  hours: number;
  period: string;
  source: ActivitySource;
  importRunId: string | null;
  reportedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export async function insertReport(db: DbOrTrx, report: NewReport): Promise<void> {
  await db.insertInto('trainingReports').values(report).execute();
}

export async function insertTrainees(
  db: DbOrTrx,
  reportId: string,
  trainees: { personId: string; completed: boolean }[],
): Promise<void> {
  for (let i = 0; i < trainees.length; i += 10_000) {
    await db
      .insertInto('trainingReportTrainees')
      .values(trainees.slice(i, i + 10_000).map((t) => ({ reportId, ...t })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

export async function deleteTrainees(db: DbOrTrx, reportId: string): Promise<void> {
  await db.deleteFrom('trainingReportTrainees').where('reportId', '=', reportId).execute();
}

export type ReportChanges = Partial<
  Omit<NewReport, 'id' | 'source' | 'importRunId' | 'reportedBy' | 'createdAt'>
> & { updatedAt: Date; status?: ReportStatus };

/** Updates when `version` is still current; false when another change came first. */
export async function updateReport(
  db: DbOrTrx,
  id: string,
  version: number,
  changes: ReportChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('trainingReports')
    .set({ ...changes, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

function reportQuery(db: DbOrTrx) {
  return db
    .selectFrom('trainingReports as r')
    .innerJoin('responsibleUnits as u', 'u.id', 'r.unitId')
    .leftJoin('occupations as o', (join) =>
      join.onRef('o.code', '=', 'r.occupationCode').on('o.level', '=', 4),
    )
    .select((eb) => [
      'r.id',
      'r.unitId',
      'u.canonicalName as unitName',
      'r.organisationId',
      'r.planNo',
      'r.title',
      'r.occupationCode',
      'o.name as occupationName',
      'r.skillLevelKey',
      'r.startOn',
      'r.endOn',
      'r.hours',
      'r.period',
      'r.source',
      'r.importRunId',
      'r.status',
      'r.reportedBy',
      'r.createdAt',
      'r.updatedAt',
      'r.version',
      eb
        .selectFrom('trainingReportTrainees as t')
        .select(sql<number>`count(*)::integer`.as('n'))
        .whereRef('t.reportId', '=', 'r.id')
        .as('traineeCount'),
      eb
        .selectFrom('trainingReportTrainees as t')
        .select(sql<number>`count(*)::integer`.as('n'))
        .whereRef('t.reportId', '=', 'r.id')
        .where('t.completed', '=', true)
        .as('completedCount'),
    ]);
}

export async function findReport(db: DbOrTrx, scope: Scope, id: string) {
  return reportsInScope(reportQuery(db), scope).where('r.id', '=', id).executeTakeFirst();
}

export type ReportRow = NonNullable<Awaited<ReturnType<typeof findReport>>>;

/** Locks the report row for a change (scope checked by the caller with findReport). */
export async function lockReport(db: DbOrTrx, id: string) {
  return db
    .selectFrom('trainingReports')
    .select(['id', 'version', 'period', 'status', 'unitId'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export interface ReportFilter {
  unitId?: string;
  period?: string;
  planNo?: number;
  status?: ReportStatus;
  page: number;
  pageSize: number;
}

export async function listReports(db: DbOrTrx, scope: Scope, filter: ReportFilter) {
  let query = reportsInScope(reportQuery(db), scope);
  if (filter.unitId !== undefined) query = query.where('r.unitId', '=', filter.unitId);
  if (filter.period !== undefined) query = query.where('r.period', '=', filter.period);
  if (filter.planNo !== undefined) query = query.where('r.planNo', '=', filter.planNo);
  if (filter.status !== undefined) query = query.where('r.status', '=', filter.status);
  const items = await query
    .orderBy('r.endOn', 'desc')
    .orderBy('r.id', 'desc')
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize)
    .execute();
  let count = reportsInScope(
    db.selectFrom('trainingReports as r').select(sql<number>`count(*)::integer`.as('n')),
    scope,
  );
  if (filter.unitId !== undefined) count = count.where('r.unitId', '=', filter.unitId);
  if (filter.period !== undefined) count = count.where('r.period', '=', filter.period);
  if (filter.planNo !== undefined) count = count.where('r.planNo', '=', filter.planNo);
  if (filter.status !== undefined) count = count.where('r.status', '=', filter.status);
  const total = (await count.executeTakeFirstOrThrow()).n;
  return { items, total };
}

export async function findTrainees(db: DbOrTrx, reportId: string) {
  return db
    .selectFrom('trainingReportTrainees as t')
    .innerJoin('persons as p', 'p.id', 't.personId')
    .select(['t.personId', 'p.name', 'p.idNumberMasked', 't.completed'])
    .where('t.reportId', '=', reportId)
    .orderBy('p.name')
    .orderBy('t.personId')
    .execute();
}

/** A report of this import run with these facts, to add trainees of a later batch to it. */
export async function findImportedReport(
  db: DbOrTrx,
  importRunId: string,
  facts: Pick<
    NewReport,
    'unitId' | 'title' | 'startOn' | 'endOn' | 'occupationCode' | 'skillLevelKey'
  >,
) {
  let query = db
    .selectFrom('trainingReports')
    .select('id')
    .where('importRunId', '=', importRunId)
    .where('unitId', '=', facts.unitId)
    .where('title', '=', facts.title)
    .where('startOn', '=', facts.startOn)
    .where('endOn', '=', facts.endOn);
  query =
    facts.occupationCode === null
      ? query.where('occupationCode', 'is', null)
      : query.where('occupationCode', '=', facts.occupationCode);
  query =
    facts.skillLevelKey === null
      ? query.where('skillLevelKey', 'is', null)
      : query.where('skillLevelKey', '=', facts.skillLevelKey);
  return query.executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Periods

export async function periodsOfYear(db: DbOrTrx, year: number) {
  return db
    .selectFrom('activityPeriods as ap')
    .leftJoin('users as u', 'u.id', 'ap.closedBy')
    .select(['ap.period', 'ap.closedAt', 'ap.closedBy', 'u.displayName as closedByName'])
    .where('ap.period', 'like', `${year}-%`)
    .execute();
}

/** Inserts the closing; false when the month was closed already. */
export async function closePeriod(
  db: DbOrTrx,
  period: string,
  closedAt: Date,
  closedBy: string | null,
): Promise<boolean> {
  const result = await db
    .insertInto('activityPeriods')
    .values({ period, closedAt, closedBy })
    .onConflict((oc) => oc.column('period').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findPeriod(db: DbOrTrx, period: string) {
  return db
    .selectFrom('activityPeriods as ap')
    .leftJoin('users as u', 'u.id', 'ap.closedBy')
    .select(['ap.period', 'ap.closedAt', 'ap.closedBy', 'u.displayName as closedByName'])
    .where('ap.period', '=', period)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Counting (views of 0015_activity_counting.sql)

export interface TotalsFilter {
  /** Units whose figures are wanted; undefined: every unit (the city). */
  unitIds?: readonly string[];
  /** Institution: only records of its own reports. */
  organisationId?: string;
  period?: string;
  year?: number;
}

function periodCondition(filter: TotalsFilter, column: string) {
  if (filter.period !== undefined) return sql`${sql.ref(column)} = ${filter.period}`;
  if (filter.year !== undefined) return sql`${sql.ref(column)} LIKE ${`${filter.year}-%`}`;
  return sql`true`;
}

function unitCondition(filter: TotalsFilter, column: string) {
  if (filter.unitIds === undefined) return sql`true`;
  if (filter.unitIds.length === 0) return sql`false`;
  return sql`${sql.ref(column)} IN (${sql.join(filter.unitIds)})`;
}

function organisationCondition(filter: TotalsFilter, recordColumn: string) {
  if (filter.organisationId === undefined) return sql`true`;
  return sql`${sql.ref(recordColumn)} IN (SELECT id FROM training_reports
    WHERE organisation_id = ${filter.organisationId})`;
}

/** Person-times as they count (distinct) and the raw records behind them, for a filter. */
export async function trainingTotals(db: DbOrTrx, filter: TotalsFilter) {
  const counted = await sql<{ personTimes: number }>`
    SELECT count(*)::integer AS person_times
      FROM counted_training_person_times c
     WHERE ${periodCondition(filter, 'c.period')}
       AND ${unitCondition(filter, 'c.unit_id')}
       AND ${organisationCondition(filter, 'c.record_id')}`.execute(db);
  const raw = await sql<{ records: number; bySource: Record<string, number> | null }>`
    SELECT count(*)::integer AS records
      FROM training_person_times t
     WHERE ${periodCondition(filter, 't.period')}
       AND ${unitCondition(filter, 't.unit_id')}
       AND ${organisationCondition(filter, 't.record_id')}`.execute(db);
  return {
    personTimes: counted.rows[0]?.personTimes ?? 0,
    records: raw.rows[0]?.records ?? 0,
  };
}

/** The county units of a region (a county administrator's reporting scope). */
export async function countyUnitsOf(db: DbOrTrx, regionCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom('responsibleUnits')
    .select('id')
    .where('kind', '=', 'county')
    .where('regionCode', '=', regionCode)
    .execute();
  return rows.map((r) => r.id);
}
