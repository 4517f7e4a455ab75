import { sql } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import type { Db, DbOrTrx } from '../db.js';
import { enqueue } from './queue.js';
import { describeJobError, latestOccurrence, parseCron, scheduleDedupeKey } from './jobs.rules.js';

/** A recurring job, declared in code and stored in `job_schedules`. */
export interface ScheduleDefinition {
  /** Stable identifier; part of every occurrence's dedupe key, so renaming restarts history. */
  name: string;
  /** Cron expression in Asia/Shanghai time, e.g. `0 2 * * *` for 02:00 every day. */
  cron: string;
  /** The handler (job name) each occurrence runs. */
  jobName: string;
  payload?: Record<string, unknown>;
}

/** One job the scheduler enqueued (or found already enqueued by another process). */
export interface ScheduledOccurrence {
  schedule: string;
  jobId: string;
  occurrence: Date;
}

export interface TickResult {
  enqueued: ScheduledOccurrence[];
  /** Schedules that could not be processed this tick (e.g. an invalid cron edited into the table). */
  errors: { schedule: string; error: string }[];
}

/**
 * Creates or updates schedules by name. A new schedule starts counting from `clock.now()`: it does
 * not backfill occurrences from before it existed. An existing one keeps `last_scheduled_for` and
 * `enabled` (an operator may have switched it off); its cron, job and payload follow the code.
 * Schedules missing from `schedules` are left alone, so processes of two versions can overlap
 * during a deploy. Safe to call from every process at start.
 */
export async function registerSchedules(
  db: DbOrTrx,
  schedules: readonly ScheduleDefinition[],
  clock: Clock = systemClock,
): Promise<void> {
  if (schedules.length === 0) return;
  const seen = new Set<string>();
  for (const schedule of schedules) {
    if (seen.has(schedule.name)) throw new Error(`Schedule "${schedule.name}" is declared twice`);
    seen.add(schedule.name);
    if (schedule.jobName.trim() === '') throw new Error(`Schedule "${schedule.name}" has no job`);
    parseCron(schedule.cron);
  }
  const now = clock.now();
  await db
    .insertInto('jobSchedules')
    .values(
      schedules.map((schedule) => ({
        name: schedule.name,
        cron: schedule.cron,
        jobName: schedule.jobName,
        payload: JSON.stringify(schedule.payload ?? {}),
        lastScheduledFor: now,
      })),
    )
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet((eb) => ({
          cron: eb.ref('excluded.cron'),
          jobName: eb.ref('excluded.jobName'),
          payload: eb.ref('excluded.payload'),
          updatedAt: sql<Date>`now()`,
        }))
        // Every process registers at every start; only a real change should touch the row.
        .where((eb) =>
          eb.or([
            eb('jobSchedules.cron', 'is distinct from', eb.ref('excluded.cron')),
            eb('jobSchedules.jobName', 'is distinct from', eb.ref('excluded.jobName')),
            eb('jobSchedules.payload', 'is distinct from', eb.ref('excluded.payload')),
          ]),
        ),
    )
    .execute();
}

/**
 * Enqueues the due occurrence of every enabled schedule and advances `last_scheduled_for`. Due
 * means in (`last_scheduled_for`, `clock.now()`]; when several are due (nobody ran while the app
 * was down) only the most recent is enqueued, once, with `run_at` at that occurrence. The job's
 * payload is the schedule's plus `scheduledFor` (the occurrence, ISO 8601), so a report knows its
 * period even when it runs late or is retried.
 *
 * Concurrent ticks from several processes are safe: each schedule is handled in its own
 * transaction holding its row lock (another process skips a locked schedule rather than wait),
 * and the occurrence's dedupe key makes a second enqueue return the first job.
 */
export async function tick(db: Db, clock: Clock): Promise<TickResult> {
  const result: TickResult = { enqueued: [], errors: [] };
  const schedules = await db
    .selectFrom('jobSchedules')
    .select('name')
    .where('enabled', '=', true)
    .orderBy('name')
    .execute();

  for (const { name } of schedules) {
    try {
      const scheduled = await db.transaction().execute(async (trx) => {
        const schedule = await trx
          .selectFrom('jobSchedules')
          .selectAll()
          .where('name', '=', name)
          .where('enabled', '=', true)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!schedule) return undefined;

        const now = clock.now();
        if (schedule.lastScheduledFor === null) {
          // A row written outside registerSchedules: start counting now, as a new schedule does.
          await trx
            .updateTable('jobSchedules')
            .set({ lastScheduledFor: now })
            .where('name', '=', name)
            .execute();
          return undefined;
        }

        const occurrence = latestOccurrence(
          parseCron(schedule.cron),
          schedule.lastScheduledFor,
          now,
        );
        if (!occurrence) return undefined;
        const jobId = await enqueue(
          trx,
          schedule.jobName,
          { ...schedule.payload, scheduledFor: occurrence.toISOString() },
          { runAt: occurrence, dedupeKey: scheduleDedupeKey(name, occurrence) },
        );
        await trx
          .updateTable('jobSchedules')
          .set({ lastScheduledFor: occurrence })
          .where('name', '=', name)
          .execute();
        return { schedule: name, jobId, occurrence };
      });
      if (scheduled) result.enqueued.push(scheduled);
    } catch (error) {
      result.errors.push({ schedule: name, error: describeJobError(error) });
    }
  }
  return result;
}
