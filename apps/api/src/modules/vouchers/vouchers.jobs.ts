import { systemClock, type Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import type { JobHandler, ScheduleDefinition } from '../../platform/jobs/index.js';
import { expireVouchers } from './vouchers.service.js';

export interface VoucherJobs {
  handlers: Record<string, JobHandler>;
  schedules: ScheduleDefinition[];
}

/**
 * Five past midnight, Shanghai time, vouchers still issued or bound after their last day become
 * `expired` (through the transition function, audited). Idempotent: a rerun finds none left.
 */
export function voucherJobs(options: { db: Db; clock?: Clock }): VoucherJobs {
  const clock = options.clock ?? systemClock;
  return {
    handlers: { 'vouchers.expire': async () => expireVouchers(options.db, clock) },
    schedules: [
      { name: 'vouchers-expire', cron: '5 0 * * *', jobName: 'vouchers.expire', payload: {} },
    ],
  };
}
