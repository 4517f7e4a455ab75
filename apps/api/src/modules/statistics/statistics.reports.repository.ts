import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db.js';
import type { ReportKind } from './statistics.schema.js';

/* Reads and writes of statistics_reports (migrations/0016). */

export interface ReportRow {
  id: string;
  kind: ReportKind;
  periodStart: string;
  periodEnd: string;
  trigger: 'schedule' | 'request';
  content: string;
  generatedBy: string | null;
  generatedAt: Date;
}

/** Inserts a report; a scheduled one already there for its kind and period is left alone. */
export async function insertReport(db: DbOrTrx, row: ReportRow): Promise<boolean> {
  const result = await db
    .insertInto('statisticsReports')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['kind', 'periodStart']).where('trigger', '=', 'schedule').doNothing(),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function scheduledReportExists(
  db: DbOrTrx,
  kind: ReportKind,
  periodStart: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('statisticsReports')
    .select('id')
    .where('kind', '=', kind)
    .where('periodStart', '=', periodStart)
    .where('trigger', '=', 'schedule')
    .executeTakeFirst();
  return row !== undefined;
}

function summaryQuery(db: DbOrTrx) {
  return db
    .selectFrom('statisticsReports as r')
    .leftJoin('users as u', 'u.id', 'r.generatedBy')
    .select([
      'r.id',
      'r.kind',
      sql<string>`r.content->>'title'`.as('title'),
      'r.periodStart',
      'r.periodEnd',
      'r.trigger',
      'r.generatedAt',
      'u.displayName as generatedByName',
    ]);
}

export async function listReports(
  db: DbOrTrx,
  filter: { kind?: ReportKind; year?: number },
  paging: { limit: number; offset: number },
) {
  let query = summaryQuery(db);
  if (filter.kind) query = query.where('r.kind', '=', filter.kind);
  if (filter.year !== undefined) {
    // A report belongs to the year its period ends in (an ISO week may start in December).
    query = query
      .where('r.periodEnd', '>=', `${filter.year}-01-01`)
      .where('r.periodEnd', '<=', `${filter.year}-12-31`);
  }
  const [items, count] = await Promise.all([
    query
      .orderBy('r.generatedAt', 'desc')
      .orderBy('r.id', 'desc')
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

/**
 * A report with its content as JSON text: the CamelCasePlugin would rename the content's keys
 * (high_skilled) on the way out if it were read as an object.
 */
export async function findReport(db: DbOrTrx | Trx, id: string) {
  return summaryQuery(db)
    .select(sql<string>`r.content::text`.as('content'))
    .where('r.id', '=', id)
    .executeTakeFirst();
}
