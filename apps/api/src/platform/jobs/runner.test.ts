import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { fixedClock, systemClock } from '../clock.js';
import { createDb, type Db } from '../db.js';
import { claimNext, enqueue } from './queue.js';
import { startJobRunner, type JobLogger, type JobRunner, type JobRunnerOptions } from './runner.js';

let testDb: TestDatabase;
let db: Db;
/** A second pool on the same database: the second app process. */
let otherProcess: Db;
const runners: JobRunner[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
  otherProcess = createDb({ url: testDb.appUrl, max: 5 });
});

afterAll(async () => {
  await otherProcess.destroy();
  await testDb.drop();
});

beforeEach(async () => {
  await db.deleteFrom('jobs').execute();
  await db.deleteFrom('jobSchedules').execute();
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop({ timeoutMs: 5000 })));
});

interface LogEntry {
  level: 'info' | 'warn' | 'error';
  obj: object;
  msg: string | undefined;
}

function captureLogger(): JobLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (obj, msg) => entries.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => entries.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => entries.push({ level: 'error', obj, msg }),
  };
}

async function start(options: Partial<JobRunnerOptions> & Pick<JobRunnerOptions, 'handlers'>) {
  const runner = await startJobRunner({
    db,
    clock: systemClock,
    logger: captureLogger(),
    pollMs: 20,
    retryDelayMs: () => 0,
    ...options,
  });
  runners.push(runner);
  return runner;
}

/** Polls until `check` returns a value other than undefined/false; generous, never a timing claim. */
async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

function jobRow(id: string) {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function stateOf(id: string) {
  return (await jobRow(id)).state;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('startJobRunner', () => {
  it('runs each of 50 jobs exactly once with two runners on one database', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 50; i += 1) ids.push(await enqueue(db, 'count', { i }));
    const invocations = new Map<string, number>();
    const handlers = {
      count: async (payload: Record<string, unknown>, ctx: { jobId: string }) => {
        invocations.set(ctx.jobId, (invocations.get(ctx.jobId) ?? 0) + 1);
        await sleep(5);
        return { i: payload.i };
      },
    };
    const first = await start({ handlers, concurrency: 3, workerId: 'process-a' });
    const second = await start({
      handlers,
      concurrency: 3,
      workerId: 'process-b',
      db: otherProcess,
    });

    await waitFor(async () => {
      const rows = await db.selectFrom('jobs').select('state').execute();
      return rows.every((r) => r.state === 'completed');
    }, 'all 50 jobs to complete');

    expect(invocations.size).toBe(50);
    expect([...invocations.values()].every((count) => count === 1)).toBe(true);
    const rows = await db.selectFrom('jobs').selectAll().execute();
    expect(rows).toHaveLength(50);
    for (const row of rows) {
      expect(row).toMatchObject({ state: 'completed', attempts: 1, result: { i: row.payload.i } });
      expect([first.workerId, second.workerId]).toContain(row.lockedBy);
    }
  });

  it('reclaims and completes a job whose worker died mid-run', async () => {
    const id = await enqueue(db, 'resumable', {});
    // A worker claims it and then the process dies: the row stays running until its lease ends.
    await claimNext(db, 'crashed-process', 60_000);
    await db
      .updateTable('jobs')
      .set({ lockedUntil: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', id)
      .execute();

    let calls = 0;
    const runner = await start({
      handlers: {
        resumable: async () => {
          calls += 1;
          return { resumed: true };
        },
      },
    });
    await waitFor(async () => (await stateOf(id)) === 'completed', 'the reclaimed job');
    expect(calls).toBe(1);
    expect(await jobRow(id)).toMatchObject({
      state: 'completed',
      attempts: 2,
      lockedBy: runner.workerId,
      result: { resumed: true },
    });
  });

  it('retries a failed job and completes it on the next attempt', async () => {
    const id = await enqueue(db, 'flaky', {}, { maxAttempts: 3 });
    let calls = 0;
    await start({
      handlers: {
        flaky: async () => {
          calls += 1;
          if (calls === 1) throw new Error('report service unavailable');
          return 'ok';
        },
      },
    });
    await waitFor(async () => (await stateOf(id)) === 'completed', 'the retried job');
    expect(calls).toBe(2);
    expect(await jobRow(id)).toMatchObject({
      state: 'completed',
      attempts: 2,
      result: 'ok',
      // The last failure stays on record after the success.
      lastError: 'Error: report service unavailable',
    });
  });

  it('marks a job failed after max_attempts, keeping the last error', async () => {
    const id = await enqueue(db, 'doomed', {}, { maxAttempts: 3 });
    let calls = 0;
    const logger = captureLogger();
    await start({
      logger,
      handlers: {
        doomed: async () => {
          calls += 1;
          throw new RangeError(`attempt ${calls} failed`);
        },
      },
    });
    await waitFor(async () => (await stateOf(id)) === 'failed', 'the job to fail');
    expect(calls).toBe(3);
    const row = await jobRow(id);
    expect(row).toMatchObject({
      state: 'failed',
      attempts: 3,
      lastError: 'RangeError: attempt 3 failed',
      lockedUntil: null,
      result: null,
    });
    expect(row.finishedAt).toBeInstanceOf(Date);
    expect(logger.entries.filter((e) => e.msg === 'job failed; will retry')).toHaveLength(2);
    expect(logger.entries.filter((e) => e.msg === 'job failed for good')).toHaveLength(1);
  });

  it('fails a job nobody handles with a clear error', async () => {
    const id = await enqueue(db, 'no-such-job', {}, { maxAttempts: 1 });
    await start({ handlers: {} });
    await waitFor(async () => (await stateOf(id)) === 'failed', 'the unknown job to fail');
    expect((await jobRow(id)).lastError).toBe(
      'Error: No handler is registered for job "no-such-job" in this process',
    );
  });

  it('does not mistake an Object.prototype member for a handler', async () => {
    const id = await enqueue(db, 'toString', {}, { maxAttempts: 1 });
    await start({ handlers: {} });
    await waitFor(async () => (await stateOf(id)) === 'failed', 'the job to fail');
    expect((await jobRow(id)).lastError).toBe(
      'Error: No handler is registered for job "toString" in this process',
    );
  });

  it('keeps the lease alive while a long job runs', async () => {
    const id = await enqueue(db, 'long', {});
    const gate = deferred();
    await start({ leaseMs: 1000, handlers: { long: () => gate.promise.then(() => 'done') } });
    const firstLease = await waitFor(async () => {
      const row = await jobRow(id);
      return row.state === 'running' ? row.lockedUntil : undefined;
    }, 'the job to start');
    await waitFor(async () => {
      const { lockedUntil } = await jobRow(id);
      return lockedUntil !== null && lockedUntil.getTime() > (firstLease?.getTime() ?? 0);
    }, 'a heartbeat');
    expect(await claimNext(otherProcess, 'another-process', 60_000)).toBeUndefined();
    gate.resolve();
    await waitFor(async () => (await stateOf(id)) === 'completed', 'the long job');
    expect((await jobRow(id)).attempts).toBe(1);
  });

  it('on stop, claims nothing more and waits for the running job to finish', async () => {
    const gate = deferred();
    const events: string[] = [];
    const runningId = await enqueue(db, 'gated', {});
    const runner = await start({
      handlers: {
        gated: async () => {
          events.push('handler started');
          await gate.promise;
          events.push('handler finished');
          return { done: true };
        },
      },
    });
    await waitFor(() => events.includes('handler started'), 'the handler to start');

    const stopped = runner.stop().then(() => events.push('stop resolved'));
    const laterId = await enqueue(db, 'gated', {});
    runner.wake();
    await sleep(100);
    expect(events).toEqual(['handler started']);
    expect(await stateOf(runningId)).toBe('running');

    gate.resolve();
    await stopped;
    expect(events).toEqual(['handler started', 'handler finished', 'stop resolved']);
    expect(await jobRow(runningId)).toMatchObject({ state: 'completed', result: { done: true } });
    expect(await jobRow(laterId)).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('gives up waiting after the stop timeout, aborts the job and hands it back', async () => {
    const id = await enqueue(db, 'stuck', {}, { maxAttempts: 2 });
    const logger = captureLogger();
    let aborted: unknown;
    const runner = await start({
      logger,
      handlers: {
        stuck: (_payload, ctx) =>
          new Promise((_resolve, reject) => {
            ctx.signal.addEventListener('abort', () => {
              aborted = ctx.signal.reason;
              reject(ctx.signal.reason as Error);
            });
          }),
      },
    });
    await waitFor(async () => (await stateOf(id)) === 'running', 'the job to start');
    await runner.stop({ timeoutMs: 200 });
    expect(aborted).toEqual(new Error('The job runner is stopping'));
    expect(logger.entries.map((e) => e.msg)).toContain(
      'stopped waiting for running jobs; their leases will expire and another worker retry them',
    );
    // Shutdown is not the job's fault: it goes back to the queue without using an attempt.
    await waitFor(async () => (await stateOf(id)) === 'queued', 'the aborted job to be released');
    expect(await jobRow(id)).toMatchObject({
      state: 'queued',
      attempts: 0,
      lastError: null,
      lockedBy: null,
    });
  });

  it('runs a scheduled job at its Shanghai-time occurrence', async () => {
    const clock = fixedClock('2024-03-01T17:59:00Z');
    const payloads: Record<string, unknown>[] = [];
    await start({
      clock,
      tickMs: 20,
      schedules: [
        { name: 'daily-report', cron: '0 2 * * *', jobName: 'report', payload: { kind: 'daily' } },
      ],
      handlers: {
        report: async (payload) => {
          payloads.push(payload);
          return { rows: 0 };
        },
      },
    });
    expect(await db.selectFrom('jobs').selectAll().execute()).toEqual([]);

    clock.set('2024-03-01T18:00:05Z');
    await waitFor(() => payloads.length > 0, 'the scheduled job to run');
    expect(payloads).toEqual([{ kind: 'daily', scheduledFor: '2024-03-01T18:00:00.000Z' }]);
    const rows = await db.selectFrom('jobs').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      name: 'report',
      runAt: new Date('2024-03-01T18:00:00Z'),
      dedupeKey: 'schedule:daily-report:2024-03-01T18:00:00.000Z',
    });
    await waitFor(async () => (await stateOf(rows[0]?.id ?? '')) === 'completed', 'completion');
  });

  it('refuses to start with a schedule whose job has no handler', async () => {
    await expect(
      start({
        schedules: [{ name: 'orphan', cron: '0 2 * * *', jobName: 'missing' }],
        handlers: {},
      }),
    ).rejects.toThrow('Schedule "orphan" runs job "missing", which has no handler');
  });
});
