import { shanghaiDate, type Clock } from '../../platform/clock.js';
import type { Db, DbOrTrx } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import type { AuthContext } from '../auth/auth.service.js';
import { ATTRIBUTION_RULE, MEASURE_DEFINITIONS } from './statistics.measures.js';
import * as repo from './statistics.repository.js';
import { foldStatistics } from './statistics.rollup.js';
import {
  elapsedShare,
  measureProgress,
  rankByProgress,
  ZERO_COUNTS,
  type Counts,
  type MeasureProgress,
} from './statistics.rules.js';
import { MEASURES, type Measure } from './statistics.schema.js';

/*
 * Targets and progress (R-TGT-1, R-TGT-2). Every read folds pending facts first, so a figure
 * includes everything committed before the request.
 */

type Targets = Record<Measure, number | null>;
type ProgressOf = Record<Measure, MeasureProgress>;

/** Progress of each row on each measure, ranked among `peersOf` the same key. */
function withProgress<R>(
  rows: R[],
  targetsOf: (row: R) => Targets,
  actualsOf: (row: R) => Counts,
  peersOf: (row: R) => string,
  elapsed: number,
): Array<R & { measures: ProgressOf }> {
  const computed = rows.map((row) => {
    const targets = targetsOf(row);
    const actuals = actualsOf(row);
    const measures = Object.fromEntries(
      MEASURES.map((m) => [m, { ...measureProgress(targets[m], actuals[m], elapsed), rank: null }]),
    ) as ProgressOf;
    return { ...row, measures };
  });
  const groups = new Map<string, number[]>();
  computed.forEach((row, index) => {
    const peers = peersOf(row);
    groups.set(peers, [...(groups.get(peers) ?? []), index]);
  });
  for (const indexes of groups.values()) {
    for (const m of MEASURES) {
      const ranks = rankByProgress(indexes.map((i) => computed[i]!.measures[m].progress));
      indexes.forEach((i, k) => {
        computed[i]!.measures[m].rank = ranks[k] ?? null;
      });
    }
  }
  return computed;
}

function countsByKey(
  rows: Awaited<ReturnType<typeof repo.groupedCounts>>,
  dimension: 'unit' | 'county' | 'plan' | 'total',
): Map<string | null, Counts> {
  return new Map(
    rows.filter((r) => r.dimension === dimension).map((r) => [r.key, repo.countsOf(r)]),
  );
}

/**
 * Counts of the units, counties and plans over a range. A department's actual is what its records
 * carry as their unit; a county-level unit's is what is attributed to the county (its own records
 * included), so the two annexes overlap by design.
 */
export async function figures(db: DbOrTrx, range: Parameters<typeof repo.groupedCounts>[1]) {
  const rows = await repo.groupedCounts(db, range);
  return {
    byUnit: countsByKey(rows, 'unit'),
    byCounty: countsByKey(rows, 'county'),
    byPlan: countsByKey(rows, 'plan'),
    total: countsByKey(rows, 'total').get(null) ?? { ...ZERO_COUNTS },
  };
}

export function actualOfUnit(
  unit: { id: string; kind: string },
  sums: Awaited<ReturnType<typeof figures>>,
): Counts {
  const source = unit.kind === 'county' ? sums.byCounty : sums.byUnit;
  return source.get(unit.id) ?? { ...ZERO_COUNTS };
}

/** The whole progress picture of `year` as of today (Shanghai). */
export async function progress(db: Db, clock: Clock, year: number) {
  await foldStatistics(db);
  const today = shanghaiDate(clock.now());
  const elapsed = elapsedShare(year, today);
  const sums = await figures(db, {
    table: 'monthly',
    from: `${year}-01-01`,
    to: `${year}-12-01`,
  });
  const units = await repo.unitsWithTargets(db, year);
  const unitRows = withProgress(
    units.map((u) => ({
      unitId: u.id,
      name: u.canonicalName,
      annex: u.annex,
      seq: u.seq,
      kind: u.kind,
      regionCode: u.regionCode,
      targetSource: u.source,
      targets: {
        training: u.trainingPersonTimes,
        skilled: u.newSkilled,
        high_skilled: u.newHighSkilled,
      } as Targets,
      actuals: actualOfUnit(u, sums),
    })),
    (r) => r.targets,
    (r) => r.actuals,
    (r) => String(r.annex),
    elapsed,
  ).map(({ targets: _t, actuals: _a, ...rest }) => rest);

  const planRows = withProgress(
    (await repo.plans(db)).map((p) => {
      const actuals = sums.byPlan.get(String(p.planNo)) ?? { ...ZERO_COUNTS };
      return {
        planNo: p.planNo,
        name: p.name,
        certifiesAllTrained: p.certifiesAllTrained,
        targets: {
          training: p.yearlyTrainingMin,
          // Plan 10 certifies everyone it trains: its certified target is its trained count.
          skilled: p.certifiesAllTrained ? actuals.training : p.yearlyCertifiedMin,
          high_skilled: p.yearlyHighSkilledMin,
        } as Targets,
        actuals,
      };
    }),
    (r) => r.targets,
    (r) => r.actuals,
    () => 'plans',
    elapsed,
  ).map(({ targets: _t, actuals: _a, ...rest }) => rest);

  const goals = await repo.goals2025(db);
  const cumulative = await repo.totalsBetween(db, 2022, Math.min(year, 2025));
  const goalShare = programmeElapsed(today);
  return {
    year,
    asOf: today,
    elapsedShare: elapsed,
    definitions: [...MEASURE_DEFINITIONS],
    attribution: ATTRIBUTION_RULE,
    city: Object.fromEntries(
      MEASURES.map((m) => [m, { ...measureProgress(null, sums.total[m], elapsed), rank: null }]),
    ) as ProgressOf,
    unattributedToCounty: sums.byCounty.get(null) ?? { ...ZERO_COUNTS },
    units: unitRows,
    plans: planRows,
    goals2025: {
      elapsedShare: goalShare,
      training: measureProgress(
        goals.get('training_person_times') ?? null,
        cumulative.training,
        goalShare,
      ),
      skilled: measureProgress(
        goals.get('certified_persons') ?? null,
        cumulative.skilled,
        goalShare,
      ),
      high_skilled: measureProgress(
        goals.get('new_high_skilled') ?? null,
        cumulative.high_skilled,
        goalShare,
      ),
    },
  };
}

/** The share of the programme (2022-01-01 to 2025-12-31) elapsed on `today`. */
function programmeElapsed(today: string): number {
  const start = Date.UTC(2022, 0, 1);
  const end = Date.UTC(2026, 0, 1);
  const now = Date.parse(`${today}T00:00:00Z`) + 86_400_000;
  return Math.min(1, Math.max(0, (now - start) / (end - start)));
}

/** The city's month-by-month totals and the voucher funnel of `year` (the dashboard). */
export async function trend(db: Db, year: number) {
  await foldStatistics(db);
  return {
    year,
    months: (await repo.monthlyTotals(db, year)).map((m) => ({
      month: m.month,
      ...repo.countsOf(m),
    })),
    funnel: await repo.voucherFunnel(db, year),
  };
}

export interface RecordsQuery {
  measure: Measure;
  year?: number;
  from?: string;
  to?: string;
  unitId?: string;
  countyUnitId?: string;
  planNo?: number;
  unattributed?: boolean;
  page: number;
  pageSize: number;
}

/**
 * The records behind a figure. A county administrator sees those attributed to its county, a
 * unit officer its unit's (a county-level unit's by county attribution), the city and auditors all.
 */
export async function records(db: Db, auth: AuthContext, query: RecordsQuery) {
  const { from, to } = rangeOf(query);
  const filter: repo.EventFilter = {
    measure: query.measure,
    from,
    to,
    unitId: query.unitId,
    countyUnitId: query.countyUnitId,
    planNo: query.planNo,
    unattributed: query.unattributed,
  };
  const scope = auth.scope;
  if (scope.kind === 'region') {
    const county = await repo.countyUnitOf(db, scope.regionCode);
    if (query.countyUnitId !== undefined && query.countyUnitId !== county) {
      throw new DomainError('FORBIDDEN', 'Records of another county are outside your scope');
    }
    if (county === null || query.unattributed) return { items: [], total: 0, ...pageOf(query) };
    filter.countyUnitId = county;
  } else if (scope.kind === 'unit') {
    const unit = await repo.findUnit(db, scope.unitId);
    const own = unit?.kind === 'county' ? 'countyUnitId' : 'unitId';
    const asked = query[own];
    if ((asked !== undefined && asked !== scope.unitId) || query.unattributed) {
      throw new DomainError('FORBIDDEN', 'Records of another unit are outside your scope');
    }
    filter[own] = scope.unitId;
  }
  await foldStatistics(db);
  const { items, total } = await repo.findEvents(db, filter, query);
  return { items, total, ...pageOf(query) };
}

function pageOf(query: { page: number; pageSize: number }) {
  return { page: query.page, pageSize: query.pageSize };
}

function rangeOf(query: { year?: number; from?: string; to?: string }): {
  from: string;
  to: string;
} {
  if (query.year !== undefined) {
    if (query.from !== undefined || query.to !== undefined) {
      throw new DomainError('VALIDATION_FAILED', 'Ask for a year or a date range, not both', [
        { path: '/query/year', message: 'send year, or from and to' },
      ]);
    }
    return { from: `${query.year}-01-01`, to: `${query.year}-12-31` };
  }
  if (query.from === undefined || query.to === undefined) {
    throw new DomainError('VALIDATION_FAILED', 'Send a year, or from and to', [
      { path: query.from === undefined ? '/query/from' : '/query/to', message: 'required' },
    ]);
  }
  if (query.to < query.from) {
    throw new DomainError('VALIDATION_FAILED', 'The range ends before it starts', [
      { path: '/query/to', message: 'before from' },
    ]);
  }
  return { from: query.from, to: query.to };
}
