import { systemClock, type Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import type { JobHandler, ScheduleDefinition } from '../../platform/jobs/index.js';
import { purgeExpiredFailedFiles } from './imports.service.js';

export interface ImportJobs {
  handlers: Record<string, JobHandler>;
  schedules: ScheduleDefinition[];
}

/**
 * Failed-rows workbooks hold full ID numbers and are kept 7 days: a nightly job deletes the
 * expired ones (downloads already answer 410 from the moment they expire, job or not) and closes
 * runs abandoned by a dead process. Both are idempotent, so the runner may repeat them safely.
 */
export function importJobs(options: { db: Db; clock?: Clock }): ImportJobs {
  const clock = options.clock ?? systemClock;
  return {
    handlers: {
      'imports.purge-failed-files': async () => purgeExpiredFailedFiles(options.db, clock),
    },
    schedules: [
      {
        name: 'imports-purge-failed-files',
        cron: '20 3 * * *',
        jobName: 'imports.purge-failed-files',
        payload: {},
      },
    ],
  };
}
