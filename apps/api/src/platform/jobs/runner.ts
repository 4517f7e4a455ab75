import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import type { Db } from '../db.js';
import { describeJobError, retryDelayMs as defaultRetryDelayMs } from './jobs.rules.js';
import {
  claimNext,
  complete,
  extendLease,
  fail,
  failAbandonedJobs,
  release,
  type ClaimedJob,
} from './queue.js';
import { registerSchedules, tick, type ScheduleDefinition } from './scheduler.js';

/** The part of a pino logger the runner uses. */
export interface JobLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface JobContext {
  jobId: string;
  name: string;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  maxAttempts: number;
  /**
   * Aborted when the lease was lost to another worker or `stop()` gave up waiting: long handlers
   * should check it between steps and pass it to whatever accepts one.
   */
  signal: AbortSignal;
  logger: JobLogger;
}

/**
 * Runs one job. Its resolved value is stored as the job's JSON `result`; a throw is a failed
 * attempt. A job may run more than once (a crash after the work but before it was recorded), so
 * handlers must be idempotent, e.g. by keying what they write on the job or its `scheduledFor`.
 */
export type JobHandler = (payload: Record<string, unknown>, ctx: JobContext) => Promise<unknown>;

export interface JobRunnerOptions {
  db: Db;
  /** Decides which schedule occurrences are due; the queue's leases use database time. */
  clock: Clock;
  logger: JobLogger;
  handlers: Record<string, JobHandler>;
  /** Registered at start; every `jobName` must have a handler. */
  schedules?: readonly ScheduleDefinition[];
  /** How often to look for ready jobs when idle (default 1 s). */
  pollMs?: number;
  /** How often to enqueue due schedule occurrences (default 15 s). */
  tickMs?: number;
  /** How long a claim lasts without a heartbeat (default 60 s); heartbeats every third of it. */
  leaseMs?: number;
  /** Jobs run at once by this runner (default 2). */
  concurrency?: number;
  /** Identifies this runner in `locked_by` (default host:pid:random). */
  workerId?: string;
  /** Delay before retrying after the given number of failed attempts (default exponential). */
  retryDelayMs?: (attempts: number) => number;
  /** How long `stop()` waits for running jobs (default 30 s). */
  stopTimeoutMs?: number;
}

export interface JobRunner {
  readonly workerId: string;
  /** Look for ready jobs now, e.g. right after enqueueing one, instead of at the next poll. */
  wake(): void;
  /**
   * Stops claiming jobs and ticking schedules, then waits for running jobs (up to `timeoutMs`,
   * default `stopTimeoutMs`). Jobs still running after that are signalled to abort: one that
   * stops is handed back to the queue without using an attempt; one that ignores the signal
   * loses its heartbeat, so when this process exits its lease expires and another retries it.
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

interface Running {
  controller: AbortController;
  heartbeat: NodeJS.Timeout;
}

/**
 * Starts the job worker and scheduler in this process: registers `schedules`, ticks the scheduler
 * at start and every `tickMs`, and runs ready jobs with up to `concurrency` at a time, polling
 * every `pollMs` and straight away after each job finishes so a backlog drains without waiting.
 * Every process of the app may run one: claims are exclusive and schedule occurrences deduplicated.
 */
export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const { db, clock, logger, handlers } = options;
  const pollMs = positive('pollMs', options.pollMs ?? 1000);
  const tickMs = positive('tickMs', options.tickMs ?? 15_000);
  const leaseMs = positive('leaseMs', options.leaseMs ?? 60_000);
  const concurrency = positive('concurrency', options.concurrency ?? 2);
  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  const retryDelay = options.retryDelayMs ?? ((attempts: number) => defaultRetryDelayMs(attempts));
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const schedules = options.schedules ?? [];

  // A schedule whose job nobody handles would fail every occurrence; refuse to start instead.
  for (const schedule of schedules) {
    if (!Object.hasOwn(handlers, schedule.jobName)) {
      throw new Error(
        `Schedule "${schedule.name}" runs job "${schedule.jobName}", which has no handler`,
      );
    }
  }
  await registerSchedules(db, schedules, clock);

  let stopping = false;
  // The abort reason for jobs still running when stop() stops waiting for them.
  const STOPPING = new Error('The job runner is stopping');
  let stopped: Promise<void> | undefined;
  const running = new Map<Promise<void>, Running>();
  let pollTimer: NodeJS.Timeout | undefined;
  let tickTimer: NodeJS.Timeout | undefined;
  let pumping: Promise<void> | undefined;
  let pumpAgain = false;
  let ticking: Promise<void> | undefined;

  function wake(): void {
    if (stopping) return;
    if (pumping) {
      // A pass is under way; run another when it ends, so a slot freed meanwhile is not missed.
      pumpAgain = true;
      return;
    }
    clearTimeout(pollTimer);
    pumping = pump().finally(() => {
      pumping = undefined;
      if (stopping) return;
      if (pumpAgain) {
        pumpAgain = false;
        wake();
      } else {
        pollTimer = setTimeout(wake, pollMs);
      }
    });
  }

  async function pump(): Promise<void> {
    try {
      while (!stopping && running.size < concurrency) {
        const job = await claimNext(db, workerId, leaseMs);
        if (!job) return;
        start(job);
      }
    } catch (error) {
      logger.error({ err: error, workerId }, 'job runner could not claim a job');
    }
  }

  function start(job: ClaimedJob): void {
    const controller = new AbortController();
    let finished = false;
    let beating = false;
    const heartbeat = setInterval(
      () => {
        if (finished || beating) return;
        beating = true;
        extendLease(db, job, leaseMs)
          .then((held) => {
            if (!held && !finished && !controller.signal.aborted) {
              logger.warn(
                { jobId: job.id, job: job.name, workerId },
                'job lease lost; another worker may run it',
              );
              controller.abort(new Error('The job lease was lost to another worker'));
            }
          })
          .catch((error: unknown) => {
            logger.warn({ err: error, jobId: job.id, workerId }, 'could not extend job lease');
          })
          .finally(() => {
            beating = false;
          });
      },
      Math.max(1, Math.floor(leaseMs / 3)),
    );
    const done = execute(job, controller.signal).finally(() => {
      finished = true;
      clearInterval(heartbeat);
      running.delete(done);
      wake();
    });
    running.set(done, { controller, heartbeat });
  }

  async function execute(job: ClaimedJob, signal: AbortSignal): Promise<void> {
    const base = { jobId: job.id, job: job.name, attempt: job.attempts, workerId };
    let result: unknown;
    try {
      const handler = Object.hasOwn(handlers, job.name) ? handlers[job.name] : undefined;
      if (!handler) {
        throw new Error(`No handler is registered for job "${job.name}" in this process`);
      }
      const ctx: JobContext = {
        jobId: job.id,
        name: job.name,
        attempt: job.attempts,
        maxAttempts: job.maxAttempts,
        signal,
        logger,
      };
      result = await handler(job.payload, ctx);
    } catch (error) {
      if (signal.aborted && signal.reason === STOPPING) {
        // Interrupted by shutdown, not by a fault of its own: hand it back without using an attempt.
        await releaseJob(job, base);
      } else {
        await recordFailure(job, error, base);
      }
      return;
    }
    try {
      const recorded = await complete(db, job, storableResult(result, base));
      if (recorded) logger.info(base, 'job completed');
      else logger.warn(base, 'job finished after its lease was lost; another worker may rerun it');
    } catch (error) {
      // The lease will expire and the job run again: handlers are idempotent for this reason.
      logger.error({ ...base, err: error }, 'could not record a completed job');
    }
  }

  async function releaseJob(job: ClaimedJob, base: object): Promise<void> {
    try {
      if (await release(db, job)) logger.warn(base, 'job interrupted by shutdown; released');
    } catch (error) {
      logger.error({ ...base, err: error }, 'could not release an interrupted job');
    }
  }

  async function recordFailure(job: ClaimedJob, error: unknown, base: object): Promise<void> {
    try {
      const outcome = await fail(db, job, error, { retryDelayMs: retryDelay(job.attempts) });
      const details = { ...base, err: error, maxAttempts: job.maxAttempts };
      if (outcome === 'failed') logger.error(details, 'job failed for good');
      else if (outcome === 'retrying') logger.warn(details, 'job failed; will retry');
      else logger.warn(details, 'job failed after its lease was lost');
    } catch (recordError) {
      logger.error({ ...base, err: recordError }, 'could not record a failed job');
    }
  }

  // A result the database cannot hold must not turn finished work into a retry that repeats it.
  function storableResult(result: unknown, base: object): unknown {
    try {
      JSON.stringify(result);
      return result;
    } catch (error) {
      logger.warn({ ...base, error: describeJobError(error) }, 'job result is not JSON; not kept');
      return undefined;
    }
  }

  async function runTick(): Promise<void> {
    try {
      const abandoned = await failAbandonedJobs(db);
      if (abandoned > 0) {
        logger.error({ abandoned, workerId }, 'jobs abandoned on their last attempt marked failed');
      }
      const { enqueued, errors } = await tick(db, clock);
      for (const { schedule, error } of errors) {
        logger.error({ schedule, error, workerId }, 'could not process a job schedule');
      }
      if (enqueued.length > 0) {
        logger.info(
          {
            workerId,
            enqueued: enqueued.map((e) => ({
              schedule: e.schedule,
              jobId: e.jobId,
              occurrence: e.occurrence.toISOString(),
            })),
          },
          'scheduled jobs enqueued',
        );
        wake();
      }
    } catch (error) {
      logger.error({ err: error, workerId }, 'job scheduler tick failed');
    }
  }

  function scheduleTick(): void {
    tickTimer = setTimeout(() => {
      ticking = runTick().finally(() => {
        ticking = undefined;
        if (!stopping) scheduleTick();
      });
    }, tickMs);
  }

  ticking = runTick();
  await ticking;
  ticking = undefined;
  scheduleTick();
  wake();
  logger.info({ workerId, concurrency, schedules: schedules.length }, 'job runner started');

  async function stopRunner(timeoutMs: number): Promise<void> {
    stopping = true;
    clearTimeout(pollTimer);
    clearTimeout(tickTimer);
    // A claim in flight still starts its job, so wait for the pass before counting jobs.
    await Promise.allSettled([pumping, ticking]);
    if (running.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        Promise.allSettled([...running.keys()]).then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        logger.warn(
          { workerId, running: running.size },
          'stopped waiting for running jobs; their leases will expire and another worker retry them',
        );
        for (const { controller, heartbeat } of running.values()) {
          // No more heartbeats: if this process exits, the lease runs out and the job is retried.
          clearInterval(heartbeat);
          controller.abort(STOPPING);
        }
      }
    }
    logger.info({ workerId }, 'job runner stopped');
  }

  return {
    workerId,
    wake,
    stop(stopOptions = {}) {
      stopped ??= stopRunner(stopOptions.timeoutMs ?? stopTimeoutMs);
      return stopped;
    },
  };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number, got ${value}`);
  }
  return value;
}
