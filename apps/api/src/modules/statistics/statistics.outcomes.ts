import { sql } from 'kysely';
import { shanghaiDate, type Clock } from '../../platform/clock.js';
import type { Db, DbOrTrx } from '../../platform/db.js';
import { foldStatistics } from './statistics.rollup.js';
import * as repo from './statistics.repository.js';

/*
 * Outcome measures (R-TGT-2), WIOA-style: certificate holders among the employed, employment in
 * the 2nd and 4th quarter after exit, and the median change in quarterly earnings. Each is given
 * per county-level unit and for the city, with its n, and a cell of fewer than 10 persons is
 * suppressed (value and n withheld) so no small group can be singled out.
 */

/** Cells computed over fewer persons than this are withheld. */
export const SUPPRESSION_THRESHOLD = 10;

export const OUTCOME_DEFINITIONS = [
  {
    measure: 'certificate_holders',
    name: { zh: '就业人员持证率', en: 'Certificate holders among the employed' },
    definition: {
      zh:
        '截至当年 12 月 31 日持有计入统计的证书（本平台有效证书、外部及填报证书，去重）的不同人数，' +
        '按本人居住地（乡镇优先，示范区按其所辖乡镇）、户籍地、登记地归属到县（市、区），' +
        '除以管理员录入的当年该地就业人员数（未录入时为空）。n 为持证人数。',
      en:
        'Distinct persons holding a counted certificate (our valid ones, external and reported ' +
        'ones, deduplicated) issued on or before 31 December of the year, attributed to the ' +
        'county by residence (township first, so the 示范区 gets its townships), household, ' +
        'then registry region, divided by the employed persons entered for that place and year ' +
        '(null when none is entered). n is the number of holders.',
    },
  },
  {
    measure: 'employment_q2',
    name: { zh: '结业后第 2 季度就业率', en: 'Employment rate, 2nd quarter after exit' },
    definition: {
      zh:
        '队列：当年有计入统计的培训人次结束的不同人员，以其当年最后一次培训的结束日为退出日，所在季度为退出季度。' +
        '退出季度之后第 2 个季度（Q+2）内有任一月份社保缴费记录即为就业。只统计 Q+2 已于今天（上海时间）前结束的人员；' +
        'n 为这些人数（分母），就业率 = 就业人数 ÷ n。',
      en:
        'Cohort: distinct persons with a counted training person-time ending in the year; their ' +
        'last such end date in the year is the exit, its quarter the exit quarter. Employed: any ' +
        'social-insurance contribution month in the second quarter after the exit quarter (Q+2). ' +
        'Only exits whose Q+2 has ended by today (Shanghai) are counted; n is their number (the ' +
        'denominator); rate = employed ÷ n.',
    },
  },
  {
    measure: 'employment_q4',
    name: { zh: '结业后第 4 季度就业率', en: 'Employment rate, 4th quarter after exit' },
    definition: {
      zh: '同第 2 季度就业率，以退出季度之后第 4 个季度（Q+4）计。',
      en: 'As the 2nd-quarter rate, in the fourth quarter after the exit quarter (Q+4).',
    },
  },
  {
    measure: 'earnings_change_q2',
    name: { zh: '季度收入变化中位数', en: 'Median change in quarterly earnings' },
    definition: {
      zh:
        '在 Q+2 就业的人员中，Q+2 季度缴费基数之和减去退出季度前一季度（Q−1）缴费基数之和的中位数，单位为分；' +
        'n 为两个季度都有缴费记录的人数。n 为偶数时取中间两数的平均值，四舍五入到分。',
      en:
        'Among those employed in Q+2: the median of (sum of contribution wage bases in Q+2) − ' +
        '(sum in the quarter before the exit quarter, Q−1), in fen; n is the number with ' +
        'contributions in both quarters. With an even n, the mean of the two middle values, ' +
        'rounded to the fen (halves up).',
    },
  },
  {
    measure: 'attribution',
    name: { zh: '归属与隐匿', en: 'Attribution and suppression' },
    definition: {
      zh:
        '各项按本人居住地、户籍地、登记地归属到县（市、区）；全市包括无法归属的人员。' +
        `任何 n 少于 ${SUPPRESSION_THRESHOLD} 人的单元格不显示数值和 n（显示为“<${SUPPRESSION_THRESHOLD}”），全市一行同样适用。`,
      en:
        "Every measure is attributed to the county by the person's residence, household, then " +
        'registry region; the city includes persons attributed to no county. A cell whose n is ' +
        `under ${SUPPRESSION_THRESHOLD} persons shows neither value nor n (“<${SUPPRESSION_THRESHOLD}”), the city row included.`,
    },
  },
] as const;

export type OutcomeMeasure = (typeof OUTCOME_DEFINITIONS)[number]['measure'];

// ---------------------------------------------------------------------------------------------
// Pure rules

/** The median of integer values, the two middle ones averaged and rounded halves up; null if none. */
export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle]!;
  return Math.floor((sorted[middle - 1]! + sorted[middle]! + 1) / 2);
}

export function suppressed(n: number): boolean {
  return n < SUPPRESSION_THRESHOLD;
}

/** A rate cell: numerator ÷ n, withheld under the threshold. */
export function rateCell(numerator: number, n: number) {
  if (suppressed(n)) return { numerator: null, n: null, rate: null, suppressed: true };
  return { numerator, n, rate: n === 0 ? null : numerator / n, suppressed: false };
}

/** The first day of the quarter `offset` quarters after the one starting at `quarterStart`. */
export function quarterAfter(quarterStart: string, offset: number): string {
  const [y, m] = quarterStart.split('-').map(Number) as [number, number];
  const months = y * 12 + (m - 1) + offset * 3;
  return `${Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, '0')}-01`;
}

// ---------------------------------------------------------------------------------------------
// Reads

interface PersonOutcome {
  countyUnitId: string | null;
  q2Ended: boolean;
  q4Ended: boolean;
  q2Wages: string | null;
  q4Employed: boolean;
  preWages: string | null;
}

/**
 * The cohort of `year` with what each person's contributions say. Exit = the person's last
 * counted training end in the year; quarters are calendar quarters of civil dates.
 */
async function cohortOutcomes(db: DbOrTrx, year: number, today: string): Promise<PersonOutcome[]> {
  const result = await sql<PersonOutcome>`
    WITH exits AS (
      SELECT e.person_id, date_trunc('quarter', max(e.on_date))::date AS q0
        FROM stat_person_events e
       WHERE e.measure = 'training'
         AND e.on_date BETWEEN ${`${year}-01-01`}::date AND ${`${year}-12-31`}::date
       GROUP BY e.person_id
    )
    SELECT county_unit_of(coalesce(p.residence_region_code, p.household_region_code,
                                   p.region_code)) AS county_unit_id,
           (x.q0 + interval '9 months')::date <= ${today}::date AS q2_ended,
           (x.q0 + interval '15 months')::date <= ${today}::date AS q4_ended,
           (SELECT sum(ic.wage_base_fen)::text FROM insurance_contributions ic
             WHERE ic.person_id = x.person_id
               AND ic.month >= x.q0 + interval '6 months'
               AND ic.month < x.q0 + interval '9 months') AS q2_wages,
           EXISTS (SELECT 1 FROM insurance_contributions ic
                    WHERE ic.person_id = x.person_id
                      AND ic.month >= x.q0 + interval '12 months'
                      AND ic.month < x.q0 + interval '15 months') AS q4_employed,
           (SELECT sum(ic.wage_base_fen)::text FROM insurance_contributions ic
             WHERE ic.person_id = x.person_id
               AND ic.month >= x.q0 - interval '3 months'
               AND ic.month < x.q0) AS pre_wages
      FROM exits x
      JOIN persons p ON p.id = x.person_id`.execute(db);
  return result.rows;
}

/**
 * Certificate holders by county on 31 December of `year`. Every person's first counted
 * certification is a 'skilled' event (it raises them from nothing, and is their first of its
 * year), so the persons with a 'skilled' event on or before that day are exactly the persons
 * holding a counted certification issued by then — read from the indexed events table.
 */
async function holdersByCounty(db: DbOrTrx, year: number) {
  const result = await sql<{ countyUnitId: string | null; total: boolean; holders: number }>`
    SELECT h.county_unit_id, grouping(h.county_unit_id) = 1 AS total,
           count(*)::integer AS holders
      FROM (SELECT county_unit_of(coalesce(p.residence_region_code, p.household_region_code,
                                           p.region_code)) AS county_unit_id
              FROM (SELECT DISTINCT e.person_id FROM stat_person_events e
                     WHERE e.measure = 'skilled' AND e.on_date <= ${`${year}-12-31`}::date) d
              JOIN persons p ON p.id = d.person_id) h
     GROUP BY GROUPING SETS ((h.county_unit_id), ())`.execute(db);
  return result.rows;
}

/** The outcome measures of `year`, per county-level unit and for the city, as of today. */
export async function outcomes(db: Db, clock: Clock, year: number) {
  await foldStatistics(db);
  const today = shanghaiDate(clock.now());
  const counties = await repo.countyUnits(db);
  const employed = await repo.employedOfYear(db, year);
  const holderRows = await holdersByCounty(db, year);
  const holdersOf = (unitId: string | null) =>
    holderRows.find((r) => (unitId === null ? r.total : !r.total && r.countyUnitId === unitId))
      ?.holders ?? 0;
  const cohort = await cohortOutcomes(db, year, today);

  const rowOf = (unitId: string | null, name: string, annex: number | null, seq: number | null) => {
    const people = unitId === null ? cohort : cohort.filter((p) => p.countyUnitId === unitId);
    const q2 = people.filter((p) => p.q2Ended);
    const q4 = people.filter((p) => p.q4Ended);
    const changes = q2
      .filter((p) => p.q2Wages !== null && p.preWages !== null)
      .map((p) => Number(p.q2Wages) - Number(p.preWages));
    const holders = holdersOf(unitId);
    const entered = employed.get(unitId);
    const holdersHidden = suppressed(holders);
    return {
      unitId,
      name,
      annex,
      seq,
      certificateHolders: {
        holders: holdersHidden ? null : holders,
        employed: entered?.persons ?? null,
        employedSource: entered?.source ?? null,
        rate: holdersHidden || !entered ? null : holders / entered.persons,
        n: holdersHidden ? null : holders,
        suppressed: holdersHidden,
      },
      employmentQ2: rateCell(q2.filter((p) => p.q2Wages !== null).length, q2.length),
      employmentQ4: rateCell(q4.filter((p) => p.q4Employed).length, q4.length),
      earningsChangeQ2: suppressed(changes.length)
        ? { medianFen: null, n: null, suppressed: true }
        : { medianFen: medianOf(changes), n: changes.length, suppressed: false },
    };
  };

  return {
    year,
    asOf: today,
    suppressionThreshold: SUPPRESSION_THRESHOLD,
    definitions: OUTCOME_DEFINITIONS.map((d) => ({ ...d })),
    city: rowOf(null, '商丘市', null, null),
    units: counties.map((c) => rowOf(c.id, c.canonicalName, c.annex, c.seq)),
  };
}
