/**
 * Reporting periods (R-ACT-1): a report counts in the month of its date (a training's end, a
 * certificate's issue, as a civil date in Asia/Shanghai) and can be added, corrected or withdrawn
 * only while the city has not closed that month.
 */
import type { DbOrTrx } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';

const CIVIL_DATE = /^([0-9]{4})-(0[1-9]|1[0-2])-[0-9]{2}$/;

/** The reporting month 'YYYY-MM' of a civil date 'YYYY-MM-DD'. */
export function periodOf(civilDate: string): string {
  const match = CIVIL_DATE.exec(civilDate);
  if (!match) throw new RangeError(`not a civil date: ${civilDate}`);
  return `${match[1]}-${match[2]}`;
}

/** The months among `periods` the city has closed. */
export async function closedPeriods(db: DbOrTrx, periods: readonly string[]): Promise<Set<string>> {
  const wanted = [...new Set(periods)];
  if (wanted.length === 0) return new Set();
  const rows = await db
    .selectFrom('activityPeriods')
    .select('period')
    .where('period', 'in', wanted)
    .execute();
  return new Set(rows.map((r) => r.period));
}

/** Throws 409 PERIOD_CLOSED when the month is closed. */
export async function assertPeriodOpen(db: DbOrTrx, period: string): Promise<void> {
  if ((await closedPeriods(db, [period])).has(period)) {
    throw new DomainError(
      'PERIOD_CLOSED',
      `The reporting month ${period} is closed: its reports can no longer change`,
    );
  }
}
