import { Type, type Static } from 'typebox';
import { shanghaiDate, type Clock } from '../../platform/clock.js';
import type { Db, DbOrTrx } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import { Nullable, StringEnum } from '../../platform/http.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import { ATTRIBUTION_RULE, MEASURE_DEFINITIONS } from './statistics.measures.js';
import * as repo from './statistics.repository.js';
import * as reportsRepo from './statistics.reports.repository.js';
import { rangeParts, reportTitle } from './statistics.reports.rules.js';
import { foldStatistics } from './statistics.rollup.js';
import {
  elapsedShare,
  measureProgress,
  periodContaining,
  previousPeriod,
  rankByProgress,
  ZERO_COUNTS,
  type Counts,
  type Period,
} from './statistics.rules.js';
import { MEASURES, REPORT_KINDS, type Measure, type ReportKind } from './statistics.schema.js';
import { actualOfUnit, figures } from './statistics.service.js';

/*
 * Reports (R-TGT-3): 日统计、周调度、月小结、季通报、半年督导、全年总结. A report is a snapshot of the
 * figures of a period, kept as generated: the schedule makes one per kind and period, a city
 * administrator may ask for more on screen. The content is JSON (ReportContent below); the .xlsx
 * is drawn from it on download (statistics.reports.xlsx.ts).
 */

const CivilDate = Type.String({ format: 'date' });
const Text = Type.Object({ zh: Type.String(), en: Type.String() });
const Status = StringEnum(
  ['ahead', 'behind', 'no_target'] as const,
  'ahead: progress ≥ the share of the year elapsed at the report date',
);

/** One measure of one row. Targets and values in persons / person-times. */
const Cell = Type.Object({
  period: Type.Integer({ description: 'the value over the period (本期)' }),
  ytd: Type.Integer({ description: 'the value from 1 January to the report date (累计)' }),
  target: Nullable(Type.Integer({ description: 'the yearly target; null: none entered' })),
  progress: Nullable(Type.Number({ description: 'ytd ÷ target (1 = met)' })),
  rank: Nullable(Type.Integer({ description: 'by progress among the table’s rows, 1 = best' })),
  status: Status,
});
const CellOfTotal = Type.Omit(Cell, ['rank']);
const CellsOf = <T extends typeof Cell | typeof CellOfTotal>(cell: T) =>
  Type.Object({ training: cell, skilled: cell, high_skilled: cell });

const UnitRow = Type.Object({
  unitId: Type.String(),
  name: Type.String(),
  annex: Nullable(Type.Integer({ description: '1 counties; 2 departments; null: no annex' })),
  seq: Nullable(Type.Integer()),
  measures: CellsOf(Cell),
  rank: Nullable(Type.Integer({ description: 'the training rank (the table’s order of merit)' })),
  laggard: Type.Boolean({ description: 'behind the share of the year elapsed on any measure' }),
});
const TotalRow = Type.Object({
  name: Type.String({ examples: ['合计'] }),
  measures: CellsOf(CellOfTotal),
});
const CountsSchema = Type.Object({
  training: Type.Integer(),
  skilled: Type.Integer(),
  high_skilled: Type.Integer(),
});

/** The content of a report, as generated and kept. */
export const ReportContentSchema = Type.Object({
  kind: StringEnum(REPORT_KINDS),
  title: Type.String(),
  period: Type.Object({ start: CivilDate, end: CivilDate }),
  asOf: Type.String({
    format: 'date',
    description: 'the figures include this day: the period end, or today for a current period',
  }),
  year: Type.Integer({ description: 'the target year: the year of the report date' }),
  elapsedShare: Type.Number({ description: 'share of the year elapsed at asOf' }),
  generatedAt: Type.String({ format: 'date-time' }),
  definitions: Type.Array(
    Type.Object({ measure: StringEnum(MEASURES), name: Text, unit: Text, definition: Text }),
  ),
  attribution: Text,
  annex1: Type.Object({
    title: Type.String({ examples: ['附件1 各县（市、区）'] }),
    rows: Type.Array(UnitRow),
    total: TotalRow,
  }),
  annex2: Type.Object({
    title: Type.String({ examples: ['附件2 市直各部门'] }),
    rows: Type.Array(UnitRow),
    total: TotalRow,
  }),
  plans: Type.Object({
    title: Type.String({ examples: ['十二项技能提升计划'] }),
    rows: Type.Array(
      Type.Object({
        planNo: Type.Integer(),
        name: Type.String(),
        certifiesAllTrained: Type.Boolean({
          description: 'plan 10: its certified target is its trained count (取证率100%)',
        }),
        measures: CellsOf(Cell),
        laggard: Type.Boolean(),
      }),
    ),
  }),
  city: Type.Object({
    period: CountsSchema,
    ytd: CountsSchema,
    ytdUnattributedToCounty: CountsSchema,
  }),
});
export type ReportContent = Static<typeof ReportContentSchema>;
type CellValue = Static<typeof Cell>;
type Sums = Awaited<ReturnType<typeof figures>>;

export const ReportSummarySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: StringEnum(REPORT_KINDS),
  title: Type.String(),
  periodStart: CivilDate,
  periodEnd: CivilDate,
  trigger: StringEnum(['schedule', 'request'] as const),
  generatedAt: Type.String({ format: 'date-time' }),
  generatedByName: Nullable(Type.String({ description: 'null for scheduled reports' })),
});
export const ReportSchema = Type.Object({
  ...ReportSummarySchema.properties,
  content: ReportContentSchema,
});
export type Report = Static<typeof ReportSchema>;

function mergeMaps(a: Map<string | null, Counts>, b: Map<string | null, Counts>) {
  const merged = new Map(a);
  for (const [key, counts] of b) merged.set(key, addCounts(merged.get(key) ?? ZERO_COUNTS, counts));
  return merged;
}

function addCounts(a: Counts, b: Counts): Counts {
  return {
    training: a.training + b.training,
    skilled: a.skilled + b.skilled,
    high_skilled: a.high_skilled + b.high_skilled,
  };
}

/** Counts over the days `from`..`to`: whole months from stat_monthly, the rest from stat_daily. */
async function sumsBetween(db: DbOrTrx, from: string, to: string): Promise<Sums> {
  let sums: Sums = {
    byUnit: new Map(),
    byCounty: new Map(),
    byPlan: new Map(),
    total: ZERO_COUNTS,
  };
  for (const part of rangeParts(from, to)) {
    const next = await figures(db, part);
    sums = {
      byUnit: mergeMaps(sums.byUnit, next.byUnit),
      byCounty: mergeMaps(sums.byCounty, next.byCounty),
      byPlan: mergeMaps(sums.byPlan, next.byPlan),
      total: addCounts(sums.total, next.total),
    };
  }
  return sums;
}

type Targets = Record<Measure, number | null>;

function cellsOf(
  targets: Targets,
  period: Counts,
  ytd: Counts,
  elapsed: number,
): Record<Measure, CellValue> {
  return Object.fromEntries(
    MEASURES.map((m) => {
      const p = measureProgress(targets[m], ytd[m], elapsed);
      const cell: CellValue = {
        period: period[m],
        ytd: ytd[m],
        target: p.target,
        progress: p.progress,
        rank: null,
        status: p.status,
      };
      return [m, cell];
    }),
  ) as Record<Measure, CellValue>;
}

/** Ranks each measure by progress among `rows` (equal progress shares a rank). */
function rank<R extends { measures: Record<Measure, CellValue> }>(rows: R[]): R[] {
  for (const m of MEASURES) {
    const ranks = rankByProgress(rows.map((r) => r.measures[m].progress));
    rows.forEach((r, i) => {
      r.measures[m].rank = ranks[i] ?? null;
    });
  }
  return rows;
}

function totalOf(rows: Array<{ measures: Record<Measure, CellValue> }>, elapsed: number) {
  const sum = (pick: (c: CellValue) => number | null, m: Measure) =>
    rows.reduce((acc, r) => acc + (pick(r.measures[m]) ?? 0), 0);
  return {
    name: '合计',
    measures: Object.fromEntries(
      MEASURES.map((m) => {
        const hasTarget = rows.some((r) => r.measures[m].target !== null);
        const ytd = sum((c) => c.ytd, m);
        const p = measureProgress(hasTarget ? sum((c) => c.target, m) : null, ytd, elapsed);
        return [
          m,
          {
            period: sum((c) => c.period, m),
            ytd,
            target: p.target,
            progress: p.progress,
            status: p.status,
          },
        ];
      }),
    ) as ReportContent['annex1']['total']['measures'],
  };
}

const isLaggard = (row: { measures: Record<Measure, CellValue> }) =>
  MEASURES.some((m) => row.measures[m].status === 'behind');

/**
 * The figures of `period` as a report: each unit's and plan's value over the period and since
 * 1 January (both up to `asOf`), against its yearly target and the share of the year elapsed.
 */
export async function buildContent(
  db: Db,
  input: { kind: ReportKind; period: Period; asOf: string; generatedAt: Date },
): Promise<ReportContent> {
  const { kind, period, asOf } = input;
  await foldStatistics(db);
  const year = Number(asOf.slice(0, 4));
  const elapsed = elapsedShare(year, asOf);
  const [inPeriod, sinceJanuary, units, plans] = await Promise.all([
    sumsBetween(db, period.start, asOf),
    sumsBetween(db, `${year}-01-01`, asOf),
    repo.unitsWithTargets(db, year),
    repo.plans(db),
  ]);

  const unitRows = units.map((u) => {
    const row = {
      unitId: u.id,
      name: u.canonicalName,
      annex: u.annex,
      seq: u.seq,
      measures: cellsOf(
        { training: u.trainingPersonTimes, skilled: u.newSkilled, high_skilled: u.newHighSkilled },
        actualOfUnit(u, inPeriod),
        actualOfUnit(u, sinceJanuary),
        elapsed,
      ),
      rank: null as number | null,
      laggard: false,
    };
    return row;
  });
  // Units without an annex (named only by a plan) close the departments' table, unranked.
  const annex1 = rank(unitRows.filter((u) => u.annex === 1));
  const annex2 = [
    ...rank(unitRows.filter((u) => u.annex === 2)),
    ...unitRows.filter((u) => u.annex === null),
  ];
  for (const row of unitRows) {
    row.rank = row.measures.training.rank;
    row.laggard = isLaggard(row);
  }

  const planRows = rank(
    plans.map((p) => {
      const ytd = sinceJanuary.byPlan.get(String(p.planNo)) ?? { ...ZERO_COUNTS };
      return {
        planNo: p.planNo,
        name: p.name,
        certifiesAllTrained: p.certifiesAllTrained,
        measures: cellsOf(
          {
            training: p.yearlyTrainingMin,
            // Plan 10 certifies everyone it trains: its certified target is its trained count.
            skilled: p.certifiesAllTrained ? ytd.training : p.yearlyCertifiedMin,
            high_skilled: p.yearlyHighSkilledMin,
          },
          inPeriod.byPlan.get(String(p.planNo)) ?? { ...ZERO_COUNTS },
          ytd,
          elapsed,
        ),
        laggard: false,
      };
    }),
  );
  for (const row of planRows) row.laggard = isLaggard(row);

  return {
    kind,
    title: reportTitle(kind, period),
    period,
    asOf,
    year,
    elapsedShare: elapsed,
    generatedAt: input.generatedAt.toISOString(),
    definitions: MEASURE_DEFINITIONS.map((d) => ({ ...d })),
    attribution: { ...ATTRIBUTION_RULE },
    annex1: { title: '附件1 各县（市、区）', rows: annex1, total: totalOf(annex1, elapsed) },
    annex2: { title: '附件2 市直各部门', rows: annex2, total: totalOf(annex2, elapsed) },
    plans: { title: '十二项技能提升计划', rows: planRows },
    city: {
      period: inPeriod.total,
      ytd: sinceJanuary.total,
      ytdUnattributedToCounty: sinceJanuary.byCounty.get(null) ?? { ...ZERO_COUNTS },
    },
  };
}

export type GenerateInput =
  | { kind: ReportKind; trigger: 'schedule' }
  | {
      kind: ReportKind;
      trigger: 'request';
      /** A day of the period asked for (Shanghai); today when absent. */
      date?: string;
      auth: AuthContext;
      meta: RequestMeta;
    };

/**
 * Generates and keeps a report. On request: the period of `kind` containing `date` (today by
 * default; a current period is reported up to today), audited. On schedule: the previous complete
 * period, once — a second run for the same kind and period keeps the first (`created: false`).
 */
export async function generateReport(
  db: Db,
  clock: Clock,
  input: GenerateInput,
): Promise<{ id: string | null; created: boolean; period: Period }> {
  const now = clock.now();
  const today = shanghaiDate(now);
  let period: Period;
  if (input.trigger === 'schedule') {
    period = previousPeriod(input.kind, today);
    if (await reportsRepo.scheduledReportExists(db, input.kind, period.start)) {
      return { id: null, created: false, period };
    }
  } else {
    const date = input.date ?? today;
    if (date > today) {
      throw new DomainError('VALIDATION_FAILED', 'A report cannot be asked for a future date', [
        { path: '/body/date', message: `must be on or before ${today}` },
      ]);
    }
    period = periodContaining(input.kind, date);
  }
  const asOf = period.end < today ? period.end : today;
  const content = await buildContent(db, { kind: input.kind, period, asOf, generatedAt: now });
  const id = uuidv7();
  const row: reportsRepo.ReportRow = {
    id,
    kind: input.kind,
    periodStart: period.start,
    periodEnd: period.end,
    trigger: input.trigger,
    content: JSON.stringify(content),
    generatedBy: input.trigger === 'request' ? input.auth.user.id : null,
    generatedAt: now,
  };
  if (input.trigger === 'schedule') {
    const created = await reportsRepo.insertReport(db, row);
    return { id: created ? id : null, created, period };
  }
  const { auth, meta } = input;
  await db.transaction().execute(async (trx) => {
    await reportsRepo.insertReport(trx, row);
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'statistics.report.generated',
      entityType: 'statistics_report',
      entityId: id,
      after: { kind: input.kind, periodStart: period.start, periodEnd: period.end, asOf },
      details: { title: content.title },
      occurredAt: now,
    });
  });
  return { id, created: true, period };
}

/** Scheduled reports of `kind` for the previous complete period (the job handler). */
export async function generateScheduledReport(db: Db, clock: Clock, kind: ReportKind) {
  return generateReport(db, clock, { kind, trigger: 'schedule' });
}

export async function getReport(db: DbOrTrx, id: string): Promise<Report> {
  const row = await reportsRepo.findReport(db, id);
  if (!row) throw new DomainError('NOT_FOUND', 'No such report');
  return {
    ...row,
    generatedAt: row.generatedAt.toISOString(),
    content: JSON.parse(row.content) as ReportContent,
  };
}

export async function listReports(
  db: DbOrTrx,
  query: { kind?: ReportKind; year?: number; page: number; pageSize: number },
) {
  const { items, total } = await reportsRepo.listReports(
    db,
    { kind: query.kind, year: query.year },
    { limit: query.pageSize, offset: (query.page - 1) * query.pageSize },
  );
  return {
    items: items.map((r) => ({ ...r, generatedAt: r.generatedAt.toISOString() })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}
