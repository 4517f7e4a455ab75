import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db.js';
import type { Counts } from './statistics.rules.js';
import type { Measure } from './statistics.schema.js';

/*
 * Reads of the statistics tables. Sums over a year come from stat_monthly (a few hundred rows a
 * year, whatever the number of facts); sums over arbitrary days from stat_daily.
 */

interface GroupedCounts {
  dimension: 'unit' | 'county' | 'plan' | 'total';
  key: string | null;
  training: number;
  skilled: number;
  highSkilled: number;
}

export function countsOf(row: { training: number; skilled: number; highSkilled: number }): Counts {
  return { training: row.training, skilled: row.skilled, high_skilled: row.highSkilled };
}

/**
 * Counts per responsible unit, per county-level unit, per plan and in total, for the months
 * `fromMonth`..`toMonth` (first days) from stat_monthly, or for the days `from`..`to` from
 * stat_daily — one grouping-sets query either way.
 */
export async function groupedCounts(
  db: DbOrTrx,
  range:
    { table: 'monthly'; from: string; to: string } | { table: 'daily'; from: string; to: string },
): Promise<GroupedCounts[]> {
  const source =
    range.table === 'monthly'
      ? sql`stat_monthly WHERE month BETWEEN ${range.from}::date AND ${range.to}::date`
      : sql`stat_daily WHERE on_date BETWEEN ${range.from}::date AND ${range.to}::date`;
  const result = await sql<GroupedCounts>`
    SELECT CASE WHEN grouping(unit_id) = 0 THEN 'unit'
                WHEN grouping(county_unit_id) = 0 THEN 'county'
                WHEN grouping(plan_no) = 0 THEN 'plan'
                ELSE 'total' END AS dimension,
           coalesce(unit_id, county_unit_id, plan_no::text) AS key,
           sum(training)::integer AS training,
           sum(skilled)::integer AS skilled,
           sum(high_skilled)::integer AS high_skilled
      FROM ${source}
     GROUP BY GROUPING SETS ((unit_id), (county_unit_id), (plan_no), ())`.execute(db);
  return result.rows;
}

/** Every responsible unit with its targets for `year` (null when none were entered). */
export async function unitsWithTargets(db: DbOrTrx, year: number) {
  return db
    .selectFrom('responsibleUnits as u')
    .leftJoin('unitTargets as t', (join) =>
      join.onRef('t.unitId', '=', 'u.id').on('t.year', '=', year),
    )
    .select([
      'u.id',
      'u.annex',
      'u.seq',
      'u.canonicalName',
      'u.kind',
      'u.regionCode',
      't.trainingPersonTimes',
      't.newSkilled',
      't.newHighSkilled',
      't.source',
      't.updatedAt',
    ])
    .orderBy(sql`u.annex IS NULL`)
    .orderBy('u.annex')
    .orderBy('u.seq')
    .orderBy('u.id')
    .execute();
}

/** The county-level units (annex 1 first, in annex order). */
export async function countyUnits(db: DbOrTrx) {
  return db
    .selectFrom('responsibleUnits')
    .select(['id', 'canonicalName', 'annex', 'seq'])
    .where('kind', '=', 'county')
    .orderBy(sql`annex IS NULL`)
    .orderBy('annex')
    .orderBy('seq')
    .orderBy('id')
    .execute();
}

/** The employed persons entered for `year`, by county-level unit (null: the city). */
export async function employedOfYear(db: DbOrTrx, year: number) {
  const rows = await db
    .selectFrom('employedPersons')
    .select(['unitId', 'persons', 'source', 'updatedAt'])
    .where('year', '=', year)
    .execute();
  return new Map(rows.map((e) => [e.unitId, e]));
}

export async function plans(db: DbOrTrx) {
  return db
    .selectFrom('plans')
    .select([
      'planNo',
      'name',
      'yearlyTrainingMin',
      'yearlyCertifiedMin',
      'yearlyHighSkilledMin',
      'certifiesAllTrained',
    ])
    .orderBy('planNo')
    .execute();
}

/** The policy's 2025 goals (policy_amounts kind goal_2025), in persons or percent. */
export async function goals2025(db: DbOrTrx) {
  const rows = await db
    .selectFrom('policyAmounts')
    .select(['key', 'value'])
    .where('kind', '=', 'goal_2025')
    .execute();
  return new Map(rows.map((r) => [r.key, Number(r.value)]));
}

/** City totals per year for `fromYear`..`toYear` (cumulative progress toward the 2025 goals). */
export async function totalsBetween(db: DbOrTrx, fromYear: number, toYear: number) {
  const row = await sql<{ training: number; skilled: number; highSkilled: number }>`
    SELECT coalesce(sum(training), 0)::integer AS training,
           coalesce(sum(skilled), 0)::integer AS skilled,
           coalesce(sum(high_skilled), 0)::integer AS high_skilled
      FROM stat_monthly
     WHERE month >= make_date(${fromYear}, 1, 1) AND month < make_date(${toYear + 1}, 1, 1)`
    .execute(db)
    .then((r) => r.rows[0]);
  return countsOf(row ?? { training: 0, skilled: 0, highSkilled: 0 });
}

/** Month-by-month city totals of a year (every month present, zeros included). */
export async function monthlyTotals(db: DbOrTrx, year: number) {
  const result = await sql<{
    month: string;
    training: number;
    skilled: number;
    highSkilled: number;
  }>`
    SELECT to_char(m, 'YYYY-MM') AS month,
           coalesce(sum(s.training), 0)::integer AS training,
           coalesce(sum(s.skilled), 0)::integer AS skilled,
           coalesce(sum(s.high_skilled), 0)::integer AS high_skilled
      FROM generate_series(make_date(${year}, 1, 1), make_date(${year}, 12, 1), interval '1 month') m
      LEFT JOIN stat_monthly s ON s.month = m::date
     GROUP BY m ORDER BY m`.execute(db);
  return result.rows;
}

export interface EventFilter {
  measure: Measure;
  from: string;
  to: string;
  unitId?: string;
  countyUnitId?: string;
  planNo?: number;
  /** Only events without a county-level unit (未归属). */
  unattributed?: boolean;
}

function eventWhere(filter: EventFilter) {
  const parts = [
    sql`e.measure = ${filter.measure}`,
    sql`e.on_date BETWEEN ${filter.from}::date AND ${filter.to}::date`,
  ];
  if (filter.unitId !== undefined) parts.push(sql`e.unit_id = ${filter.unitId}`);
  if (filter.countyUnitId !== undefined) parts.push(sql`e.county_unit_id = ${filter.countyUnitId}`);
  if (filter.planNo !== undefined) parts.push(sql`e.plan_no = ${filter.planNo}`);
  if (filter.unattributed) parts.push(sql`e.county_unit_id IS NULL`);
  return sql.join(parts, sql` AND `);
}

/** The records behind a figure (drill-down), newest first, with the person's masked identity. */
export async function findEvents(
  db: DbOrTrx,
  filter: EventFilter,
  page: { page: number; pageSize: number },
) {
  const where = eventWhere(filter);
  const total = await sql<{ n: number }>`
    SELECT count(*)::integer AS n FROM stat_person_events e WHERE ${where}`
    .execute(db)
    .then((r) => r.rows[0]?.n ?? 0);
  const items = await sql<{
    personId: string;
    name: string;
    idNumberMasked: string;
    measure: Measure;
    onDate: string;
    unitId: string | null;
    unitName: string | null;
    countyUnitId: string | null;
    countyUnitName: string | null;
    planNo: number | null;
    occupationCode: string | null;
    occupationName: string | null;
    skillLevelKey: string | null;
    source: string;
    recordId: string;
  }>`
    SELECT e.person_id, p.name, p.id_number_masked, e.measure, e.on_date, e.unit_id,
           u.canonical_name AS unit_name, e.county_unit_id, cu.canonical_name AS county_unit_name,
           e.plan_no, e.occupation_code,
           (SELECT o.name FROM occupations o WHERE o.code = e.occupation_code
             ORDER BY o.level DESC LIMIT 1) AS occupation_name,
           e.skill_level_key, e.source, e.record_id
      FROM stat_person_events e
      JOIN persons p ON p.id = e.person_id
      LEFT JOIN responsible_units u ON u.id = e.unit_id
      LEFT JOIN responsible_units cu ON cu.id = e.county_unit_id
     WHERE ${where}
     ORDER BY e.on_date DESC, e.record_id DESC
     LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`.execute(db);
  return { items: items.rows, total };
}

/** The county-level unit of a region (county_unit_of in 0016). */
export async function countyUnitOf(db: DbOrTrx, regionCode: string): Promise<string | null> {
  const row = await sql<{ id: string | null }>`SELECT county_unit_of(${regionCode}) AS id`
    .execute(db)
    .then((r) => r.rows[0]);
  return row?.id ?? null;
}

export async function findUnit(db: DbOrTrx, unitId: string) {
  return db
    .selectFrom('responsibleUnits')
    .select(['id', 'kind', 'canonicalName'])
    .where('id', '=', unitId)
    .executeTakeFirst();
}

/**
 * The voucher funnel of vouchers issued in `year` (Shanghai dates): how many were issued, bound
 * to a class, completed, certified and redeemed (each stage includes those that went further).
 */
export async function voucherFunnel(db: DbOrTrx, year: number) {
  const row = await sql<{
    issued: number;
    bound: number;
    completed: number;
    certified: number;
    redeemed: number;
  }>`
    SELECT count(*)::integer AS issued,
           (count(*) FILTER (WHERE bound_at IS NOT NULL))::integer AS bound,
           (count(*) FILTER (WHERE state IN ('completed', 'certified', 'redeemed')))::integer
             AS completed,
           (count(*) FILTER (WHERE certificate_id IS NOT NULL))::integer AS certified,
           (count(*) FILTER (WHERE state = 'redeemed'))::integer AS redeemed
      FROM vouchers
     WHERE created_at >= make_timestamptz(${year}, 1, 1, 0, 0, 0, 'Asia/Shanghai')
       AND created_at < make_timestamptz(${year + 1}, 1, 1, 0, 0, 0, 'Asia/Shanghai')`
    .execute(db)
    .then((r) => r.rows[0]);
  return row ?? { issued: 0, bound: 0, completed: 0, certified: 0, redeemed: 0 };
}
