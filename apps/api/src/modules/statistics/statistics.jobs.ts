import { systemClock, type Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import type { JobHandler, ScheduleDefinition } from '../../platform/jobs/index.js';
import { generateScheduledReport } from './statistics.reports.js';
import { foldStatistics } from './statistics.rollup.js';
import { REPORT_KINDS, type ReportKind } from './statistics.schema.js';

export interface StatisticsJobs {
  handlers: Record<string, JobHandler>;
  schedules: ScheduleDefinition[];
}

/** When each report of the previous complete period is made (Asia/Shanghai). */
const REPORT_CRONS: Record<ReportKind, string> = {
  daily: '30 0 * * *', // 00:30, yesterday
  weekly: '0 1 * * 1', // Monday 01:00, last ISO week
  monthly: '30 1 1 * *', // the 1st 01:30, last month
  quarterly: '0 2 1 1,4,7,10 *', // 1 Jan/Apr/Jul/Oct 02:00, last quarter
  half_year: '30 2 1 1,7 *', // 1 Jan/Jul 02:30, last half year
  annual: '0 3 1 1 *', // 1 Jan 03:00, last year
};

function isReportKind(value: unknown): value is ReportKind {
  return typeof value === 'string' && (REPORT_KINDS as readonly string[]).includes(value);
}

/**
 * Every minute, the persons whose facts changed are folded into the counts (readers fold too, so
 * this only keeps the backlog short after a big import).
 *
 * The reports (R-TGT-3) on schedule, each for the previous complete period. Idempotent: a rerun
 * (a retry, a second process) finds the report of that kind and period and keeps it.
 */
export function statisticsJobs(options: { db: Db; clock?: Clock }): StatisticsJobs {
  const clock = options.clock ?? systemClock;
  return {
    handlers: {
      'statistics.fold': async () => ({ persons: await foldStatistics(options.db) }),
      'statistics.report': async (payload) => {
        if (!isReportKind(payload.kind))
          throw new Error(`unknown report kind ${String(payload.kind)}`);
        return generateScheduledReport(options.db, clock, payload.kind);
      },
    },
    schedules: [
      { name: 'statistics-fold', cron: '* * * * *', jobName: 'statistics.fold', payload: {} },
      ...REPORT_KINDS.map((kind) => ({
        name: `statistics-report-${kind}`,
        cron: REPORT_CRONS[kind],
        jobName: 'statistics.report',
        payload: { kind },
      })),
    ],
  };
}
