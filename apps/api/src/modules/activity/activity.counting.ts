/*
 * Reporting months and the totals as they will count in #9 (R-ACT-1).
 *
 * The city closes a month once its figures are reported upward; from then on no report dated in
 * it can be added, corrected or withdrawn. There is deliberately no reopening: figures already
 * sent to the province must not move under them. A late or wrong report is recorded in an open
 * month (a correction is a new report) so the difference shows where it happened.
 */
import { shanghaiDate, type Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { sql } from 'kysely';
import { DomainError } from '../../platform/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import { foldStatistics } from '../statistics/statistics.rollup.js';
import { periodOf } from './activity.periods.js';
import { mayReportFor } from './activity.rules.js';
import * as repo from './activity.trainings.repository.js';

function periodView(period: string, row: Awaited<ReturnType<typeof repo.findPeriod>>) {
  return {
    period,
    closed: row !== undefined,
    closedAt: row?.closedAt.toISOString() ?? null,
    closedBy: row?.closedBy ?? null,
    closedByName: row?.closedByName ?? null,
  };
}
export type PeriodView = ReturnType<typeof periodView>;

/** The twelve months of a year, each open or closed (when and by whom). */
export async function listPeriods(db: Db, year: number) {
  const closed = new Map((await repo.periodsOfYear(db, year)).map((r) => [r.period, r]));
  const months = Array.from({ length: 12 }, (_, i) => {
    const period = `${year}-${String(i + 1).padStart(2, '0')}`;
    return periodView(period, closed.get(period));
  });
  return { year, months };
}

/**
 * Closes a month (city only). Closing a closed month answers it unchanged; a month that has not
 * begun cannot be closed (nothing in it was reported yet).
 */
export async function closePeriod(
  db: Db,
  clock: Clock,
  auth: AuthContext,
  period: string,
  meta: RequestMeta,
): Promise<PeriodView & { changed: boolean }> {
  const now = clock.now();
  if (period > periodOf(shanghaiDate(now))) {
    throw new DomainError('VALIDATION_FAILED', 'A month that has not begun cannot be closed', [
      { path: '/params/period', message: 'in the future' },
    ]);
  }
  return db.transaction().execute(async (trx) => {
    const changed = await repo.closePeriod(trx, period, now, auth.user.id);
    if (changed) {
      await recordAudit(trx, {
        context: auditContextOf(auth, meta),
        action: 'activity.period.closed',
        entityType: 'activity_period',
        entityId: period,
        details: { period },
        occurredAt: now,
      });
    }
    return { ...periodView(period, await repo.findPeriod(trx, period)), changed };
  });
}

export interface TotalsQuery {
  unitId?: string;
  period?: string;
  year?: number;
}

/**
 * Training person-times as they count in #9 (distinct per person, what was trained and month,
 * whatever the source), the raw records behind them and how many were duplicates; certified
 * persons from counted_certifications. Scoped: a unit officer its unit, a county its county
 * units, an institution its own reports, the city any unit or all.
 */
export async function totals(db: Db, auth: AuthContext, query: TotalsQuery) {
  if (query.period !== undefined && query.year !== undefined) {
    throw new DomainError('VALIDATION_FAILED', 'Ask for a period or a year, not both', [
      { path: '/query/year', message: 'send period or year' },
    ]);
  }
  const filter: repo.TotalsFilter = { period: query.period, year: query.year };
  const scope = auth.scope;
  if (query.unitId !== undefined) {
    const unit = await repo.findUnit(db, query.unitId);
    if (!unit) {
      throw new DomainError('VALIDATION_FAILED', `No responsible unit ${query.unitId}`, [
        { path: '/query/unitId', message: 'unknown responsible unit' },
      ]);
    }
    if (!mayReportFor(scope, unit)) {
      throw new DomainError('FORBIDDEN', 'This unit’s figures are outside your scope');
    }
    filter.unitIds = [unit.id];
  } else if (scope.kind === 'unit') {
    filter.unitIds = [scope.unitId];
  } else if (scope.kind === 'region') {
    filter.unitIds = await repo.countyUnitsOf(db, scope.regionCode);
  }
  if (scope.kind === 'organisation') filter.organisationId = scope.organisationId;
  const training = await repo.trainingTotals(db, filter);
  const certified =
    filter.organisationId === undefined ? await certificationTotals(db, filter) : null;
  return {
    unitId: query.unitId ?? (scope.kind === 'unit' ? scope.unitId : null),
    period: query.period ?? null,
    year: query.year ?? null,
    trainingPersonTimes: training.personTimes,
    trainingRecords: training.records,
    trainingDuplicatesRemoved: training.records - training.personTimes,
    certifiedPersons: certified?.certifiedPersons ?? null,
    highSkilledPersons: certified?.highSkilledPersons ?? null,
  };
}

/**
 * New skilled and high-skilled talents as the targets count them (#9: statistics.measures.ts):
 * a person's first certificate, or a higher level, once a year, from every source.
 */
async function certificationTotals(db: Db, filter: repo.TotalsFilter) {
  await foldStatistics(db);
  const period =
    filter.period !== undefined
      ? sql`to_char(e.on_date, 'YYYY-MM') = ${filter.period}`
      : filter.year !== undefined
        ? sql`e.on_date >= make_date(${filter.year}, 1, 1)
              AND e.on_date < make_date(${filter.year + 1}, 1, 1)`
        : sql`true`;
  const unit =
    filter.unitIds === undefined
      ? sql`true`
      : filter.unitIds.length === 0
        ? sql`false`
        : sql`e.unit_id IN (${sql.join(filter.unitIds)})`;
  const result = await sql<{ certifiedPersons: number; highSkilledPersons: number }>`
    SELECT (count(*) FILTER (WHERE e.measure = 'skilled'))::integer AS certified_persons,
           (count(*) FILTER (WHERE e.measure = 'high_skilled'))::integer AS high_skilled_persons
      FROM stat_person_events e
     WHERE e.measure IN ('skilled', 'high_skilled') AND ${period} AND ${unit}`.execute(db);
  return result.rows[0] ?? { certifiedPersons: 0, highSkilledPersons: 0 };
}
