import { systemClock, type Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import type { JobHandler, ScheduleDefinition } from '../../platform/jobs/index.js';
import { expireVouchers, flagStaleBindings } from './vouchers.service.js';

export interface VoucherJobs {
  handlers: Record<string, JobHandler>;
  schedules: ScheduleDefinition[];
}

/**
 * Hourly, bindings typed in by ID number and left unconfirmed for 24 hours are flagged for a
 * county administrator's review (idempotent: flagged ones are not flagged again).
 *
 * Five past midnight, Shanghai time, vouchers still issued or bound after their last day become
 * `expired` (through the transition function, audited). Idempotent: a rerun finds none left.
 */
export function voucherJobs(options: { db: Db; clock?: Clock }): VoucherJobs {
  const clock = options.clock ?? systemClock;
  return {
    handlers: {
      'vouchers.expire': async () => expireVouchers(options.db, clock),
      'vouchers.flag-pending': async () => flagStaleBindings(options.db, clock),
    },
    schedules: [
      { name: 'vouchers-expire', cron: '5 0 * * *', jobName: 'vouchers.expire', payload: {} },
      {
        name: 'vouchers-flag-pending',
        cron: '15 * * * *',
        jobName: 'vouchers.flag-pending',
        payload: {},
      },
    ],
  };
}
