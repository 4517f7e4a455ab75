import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Selectable,
  type SqlBool,
} from 'kysely';
import type { DbOrTrx } from '../db.js';
import type { Database, JobsTable } from '../db-schema.js';
import { uuidv7 } from '../ids.js';
import { describeJobError, retryDelayMs } from './jobs.rules.js';

/*
 * The queue's own notion of "now" (ready jobs, leases, backoff) is the database's now(), not the
 * app's clock: every process then agrees on when a lease has expired even if their clocks drift.
 * What is *scheduled* (cron occurrences, and so run_at of scheduled jobs) follows the injected
 * Clock, in scheduler.ts.
 */

/** A row of `jobs`. */
export type Job = Selectable<JobsTable>;

/** A job this worker holds: `lockedBy` and `attempts` together fence every later update. */
export type ClaimedJob = Job & { lockedBy: string; lockedUntil: Date };

export interface EnqueueOptions {
  /** Earliest time to run (default: now). */
  runAt?: Date;
  /**
   * Makes enqueueing idempotent: a second enqueue with the same key returns the first job's id,
   * whatever its state (a completed job keeps its key, so the work is not repeated).
   */
  dedupeKey?: string;
  /** Attempts before the job is marked failed (default 5, from the table). */
  maxAttempts?: number;
}

/**
 * Adds a job to the queue and returns its id. Pass the caller's transaction to enqueue atomically
 * with a business change: the job exists exactly when that change commits. With a `dedupeKey`,
 * enqueueing twice (or from two processes at once) inserts one row and returns its id both times.
 */
export async function enqueue(
  db: DbOrTrx,
  name: string,
  payload: Record<string, unknown> = {},
  options: EnqueueOptions = {},
): Promise<string> {
  if (name.trim() === '') throw new Error('A job needs a name');
  if (options.runAt !== undefined && Number.isNaN(options.runAt.getTime())) {
    throw new Error(`Invalid runAt for job "${name}"`);
  }
  if (
    options.maxAttempts !== undefined &&
    (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1)
  ) {
    throw new Error(`maxAttempts must be a positive integer, got ${options.maxAttempts}`);
  }

  const values = {
    id: uuidv7(),
    name,
    payload: JSON.stringify(payload),
    dedupeKey: options.dedupeKey ?? null,
    ...(options.runAt ? { runAt: options.runAt } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };
  if (options.dedupeKey === undefined) {
    await db.insertInto('jobs').values(values).execute();
    return values.id;
  }

  const dedupeKey = options.dedupeKey;
  // ON CONFLICT DO NOTHING waits for a concurrent insert of the same key to commit, then yields;
  // the follow-up SELECT (a new statement) sees that row. A row deleted in between (pruning) is
  // the only way both come back empty, so try again a couple of times.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const inserted = await db
      .insertInto('jobs')
      .values(values)
      .onConflict((oc) => oc.column('dedupeKey').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return inserted.id;
    const existing = await db
      .selectFrom('jobs')
      .select('id')
      .where('dedupeKey', '=', dedupeKey)
      .executeTakeFirst();
    if (existing) return existing.id;
  }
  throw new Error(`Could not enqueue job "${name}" with dedupe key "${dedupeKey}"`);
}

/**
 * Claims the next ready job for `workerId`, holding it for `leaseMs`, or returns undefined when
 * none is ready. Ready means queued with `run_at` passed, or running with an expired lease (its
 * process died). `FOR UPDATE SKIP LOCKED` lets concurrent workers pass over each other's
 * candidates instead of queueing behind them, and the claim is one statement, so a job is handed
 * to one worker only. Each claim counts as an attempt, also a reclaim: a job whose process died
 * on its last attempt is not taken back (see {@link failAbandonedJobs}).
 */
export async function claimNext(
  db: DbOrTrx,
  workerId: string,
  leaseMs: number,
  names?: readonly string[],
): Promise<ClaimedJob | undefined> {
  assertLease(leaseMs);
  if (names !== undefined && names.length === 0) return undefined;

  const row = await db
    .updateTable('jobs')
    .set({
      state: 'running',
      attempts: (eb) => eb('attempts', '+', 1),
      lockedBy: workerId,
      lockedUntil: leaseEnd(leaseMs),
      startedAt: sql<Date>`now()`,
      finishedAt: null,
    })
    .where('id', '=', (eb) =>
      eb
        .selectFrom('jobs')
        .select('id')
        .where((w) =>
          w.or([
            w.and([w('state', '=', 'queued'), w('runAt', '<=', sql<Date>`now()`)]),
            w.and([
              w('state', '=', 'running'),
              w('lockedUntil', '<', sql<Date>`now()`),
              // A job that used its last attempt is failed by failAbandonedJobs, not rerun.
              w('attempts', '<', w.ref('maxAttempts')),
            ]),
          ]),
        )
        .$if(names !== undefined, (q) => q.where('name', 'in', names ?? []))
        // Oldest due first; the uuidv7 id breaks ties in enqueue order.
        .orderBy('runAt')
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .executeTakeFirst();
  return row as ClaimedJob | undefined;
}

/**
 * Pushes the lease of a job this worker still holds `leaseMs` into the future. Returns false when
 * the job is no longer this claim's (the lease had expired and another worker took it): the
 * caller should stop work it can still stop.
 */
export async function extendLease(db: DbOrTrx, job: ClaimedJob, leaseMs: number): Promise<boolean> {
  assertLease(leaseMs);
  const result = await db
    .updateTable('jobs')
    .set({ lockedUntil: leaseEnd(leaseMs) })
    .where((w) => held(w, job))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Marks a claimed job completed with its (JSON) result. Returns false, changing nothing, when the
 * claim was lost to another worker. `locked_by` is kept as the record of who ran it.
 */
export async function complete(db: DbOrTrx, job: ClaimedJob, result?: unknown): Promise<boolean> {
  const json = result === undefined ? null : JSON.stringify(result);
  const updated = await db
    .updateTable('jobs')
    .set({
      state: 'completed',
      result: json ?? null,
      lockedUntil: null,
      finishedAt: sql<Date>`now()`,
    })
    .where((w) => held(w, job))
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

export type FailOutcome = 'retrying' | 'failed' | 'lost';

export interface FailOptions {
  /** Wait before the retry; default exponential backoff from `jobs.rules.ts`. */
  retryDelayMs?: number;
}

/**
 * Records a failed attempt: the job is queued again after an exponential backoff, or marked
 * `failed` once it has used `max_attempts`. Either way `last_error` keeps a short description of
 * the error (no stack trace). Returns 'lost' when the claim had already passed to another worker.
 */
export async function fail(
  db: DbOrTrx,
  job: ClaimedJob,
  error: unknown,
  options: FailOptions = {},
): Promise<FailOutcome> {
  const lastError = describeJobError(error);
  const exhausted = job.attempts >= job.maxAttempts;
  const delay = options.retryDelayMs ?? retryDelayMs(job.attempts);
  const updated = await db
    .updateTable('jobs')
    .set(
      exhausted
        ? { state: 'failed', lastError, lockedUntil: null, finishedAt: sql<Date>`now()` }
        : {
            state: 'queued',
            lastError,
            lockedBy: null,
            lockedUntil: null,
            runAt: sql<Date>`now() + ${Math.max(0, delay)}::double precision * interval '1 millisecond'`,
          },
    )
    .where((w) => held(w, job))
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) return 'lost';
  return exhausted ? 'failed' : 'retrying';
}

/**
 * Hands a claimed job back without counting the attempt, to run again as soon as a worker is
 * free: for work interrupted by an orderly shutdown rather than by a fault in the job. Returns
 * false when the claim was already lost.
 */
export async function release(db: DbOrTrx, job: ClaimedJob): Promise<boolean> {
  const updated = await db
    .updateTable('jobs')
    .set({
      state: 'queued',
      attempts: (eb) => eb('attempts', '-', 1),
      lockedBy: null,
      lockedUntil: null,
      runAt: sql<Date>`now()`,
    })
    .where((w) => held(w, job))
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/**
 * Marks failed the running jobs whose lease expired on their last allowed attempt, and returns
 * how many. claimNext does not take those back: a job that kills its process (out of memory, say)
 * would otherwise be retried, and kill a process, forever.
 */
export async function failAbandonedJobs(db: DbOrTrx): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({
      state: 'failed',
      lastError: sql<string>`'Abandoned: the worker running attempt ' || attempts || ' of ' || max_attempts || ' stopped without finishing (lease expired)'`,
      lockedUntil: null,
      finishedAt: sql<Date>`now()`,
    })
    .where('state', '=', 'running')
    .where('lockedUntil', '<', sql<Date>`now()`)
    .where((w) => w('attempts', '>=', w.ref('maxAttempts')))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// The same worker may claim a job twice (its first lease expired while it was stalled), so the
// attempt number, bumped on every claim, is what makes a stale claim's update match nothing.
function held(w: ExpressionBuilder<Database, 'jobs'>, job: ClaimedJob): Expression<SqlBool> {
  return w.and([
    w('id', '=', job.id),
    w('state', '=', 'running'),
    w('lockedBy', '=', job.lockedBy),
    w('attempts', '=', job.attempts),
  ]);
}

function leaseEnd(leaseMs: number) {
  return sql<Date>`now() + ${leaseMs}::double precision * interval '1 millisecond'`;
}

function assertLease(leaseMs: number): void {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) {
    throw new Error(`leaseMs must be a positive number, got ${leaseMs}`);
  }
}

/**
 * Deletes completed jobs that finished more than `olderThanDays` ago, so the table does not grow
 * forever. Failed jobs stay for an operator to read. A pruned job's dedupe key is freed, so keys
 * that must hold for longer belong in the business tables, not here.
 */
export async function pruneCompletedJobs(db: DbOrTrx, olderThanDays: number): Promise<number> {
  if (!Number.isInteger(olderThanDays) || olderThanDays < 1) {
    throw new Error(`olderThanDays must be a positive integer, got ${olderThanDays}`);
  }
  const result = await db
    .deleteFrom('jobs')
    .where('state', '=', 'completed')
    .where('finishedAt', '<', sql<Date>`now() - make_interval(days => ${olderThanDays})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
