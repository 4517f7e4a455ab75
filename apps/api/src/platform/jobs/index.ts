/** The PostgreSQL-backed job queue and cron scheduler (see runner.ts for how they fit). */
export {
  claimNext,
  complete,
  enqueue,
  extendLease,
  fail,
  failAbandonedJobs,
  pruneCompletedJobs,
  release,
  type ClaimedJob,
  type EnqueueOptions,
  type FailOptions,
  type FailOutcome,
  type Job,
} from './queue.js';
export {
  registerSchedules,
  tick,
  type ScheduleDefinition,
  type ScheduledOccurrence,
  type TickResult,
} from './scheduler.js';
export {
  startJobRunner,
  type JobContext,
  type JobHandler,
  type JobLogger,
  type JobRunner,
  type JobRunnerOptions,
} from './runner.js';
