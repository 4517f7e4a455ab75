import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { createDb, type Db } from '../db.js';
import {
  claimNext,
  complete,
  enqueue,
  extendLease,
  fail,
  failAbandonedJobs,
  pruneCompletedJobs,
  release,
  type ClaimedJob,
} from './queue.js';

let testDb: TestDatabase;
let db: Db;
/** A second pool on the same database: another app process, as far as PostgreSQL can tell. */
let otherProcess: Db;

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
});

function jobRow(id: string) {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function claimOrThrow(workerId: string, leaseMs = 60_000): Promise<ClaimedJob> {
  const job = await claimNext(db, workerId, leaseMs);
  if (!job) throw new Error('expected a job to claim');
  return job;
}

describe('enqueue', () => {
  it('stores a queued job with its payload and the table defaults', async () => {
    const id = await enqueue(db, 'voucher-expiry', { region: '411400' });
    const row = await jobRow(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row).toMatchObject({
      name: 'voucher-expiry',
      payload: { region: '411400' },
      state: 'queued',
      attempts: 0,
      maxAttempts: 5,
      dedupeKey: null,
      lockedBy: null,
      lastError: null,
      result: null,
    });
  });

  it('inserts one row for two enqueues with the same dedupe key and returns its id both times', async () => {
    const first = await enqueue(
      db,
      'report',
      { period: '2030-01' },
      { dedupeKey: 'report:2030-01' },
    );
    const second = await enqueue(
      db,
      'report',
      { period: 'ignored' },
      { dedupeKey: 'report:2030-01' },
    );
    expect(second).toBe(first);
    const rows = await db.selectFrom('jobs').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.payload).toEqual({ period: '2030-01' });
  });

  it('inserts one row when two processes enqueue the same dedupe key at once', async () => {
    const ids = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        enqueue(i % 2 === 0 ? db : otherProcess, 'report', {}, { dedupeKey: 'report:race' }),
      ),
    );
    expect(new Set(ids).size).toBe(1);
    const { count } = await db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(count).toBe(1);
  });

  it('enqueues atomically with the caller’s transaction', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueue(trx, 'rolled-back', {});
        throw new Error('business change failed');
      }),
    ).rejects.toThrow('business change failed');
    const committed = await db.transaction().execute((trx) => enqueue(trx, 'committed', {}));
    const rows = await db.selectFrom('jobs').select(['id', 'name']).execute();
    expect(rows).toEqual([{ id: committed, name: 'committed' }]);
  });

  it('refuses a max_attempts below one', async () => {
    await expect(enqueue(db, 'x', {}, { maxAttempts: 0 })).rejects.toThrow(
      'maxAttempts must be a positive integer, got 0',
    );
  });
});

describe('claimNext', () => {
  it('claims a ready job: running, leased to the worker, one attempt counted', async () => {
    const id = await enqueue(db, 'a', {});
    const job = await claimOrThrow('worker-1');
    expect(job).toMatchObject({ id, state: 'running', attempts: 1, lockedBy: 'worker-1' });
    const leased = await db
      .selectFrom('jobs')
      .select(sql<boolean>`locked_until > now() + interval '50 seconds'`.as('leased'))
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(leased.leased).toBe(true);
    expect(job.startedAt).toBeInstanceOf(Date);
    expect(await claimNext(db, 'worker-2', 60_000)).toBeUndefined();
  });

  it('leaves a job alone until its run_at', async () => {
    await enqueue(db, 'later', {}, { runAt: new Date(Date.now() + 3_600_000) });
    expect(await claimNext(db, 'worker-1', 60_000)).toBeUndefined();
  });

  it('claims the job due first', async () => {
    const later = await enqueue(db, 'b', {}, { runAt: new Date('2020-01-02T00:00:00Z') });
    const earlier = await enqueue(db, 'b', {}, { runAt: new Date('2020-01-01T00:00:00Z') });
    expect((await claimOrThrow('w')).id).toBe(earlier);
    expect((await claimOrThrow('w')).id).toBe(later);
  });

  it('claims only the named jobs when names are given', async () => {
    await enqueue(db, 'report', {});
    const expiry = await enqueue(db, 'voucher-expiry', {});
    expect((await claimNext(db, 'w', 60_000, ['voucher-expiry']))?.id).toBe(expiry);
    expect(await claimNext(db, 'w', 60_000, ['voucher-expiry'])).toBeUndefined();
    expect(await claimNext(db, 'w', 60_000, [])).toBeUndefined();
  });

  it('hands each job to exactly one of many concurrent claimers', async () => {
    for (let i = 0; i < 30; i += 1) await enqueue(db, 'c', { i });
    const claimed: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        const conn = worker % 2 === 0 ? db : otherProcess;
        for (;;) {
          const job = await claimNext(conn, `worker-${worker}`, 60_000);
          if (!job) return;
          claimed.push(job.id);
        }
      }),
    );
    expect(claimed).toHaveLength(30);
    expect(new Set(claimed).size).toBe(30);
  });

  it('does not take a running job whose lease is live', async () => {
    await enqueue(db, 'd', {});
    await claimOrThrow('alive');
    expect(await claimNext(otherProcess, 'other', 60_000)).toBeUndefined();
  });

  it('reclaims a running job whose lease expired, and fences off the dead claim', async () => {
    const id = await enqueue(db, 'e', {});
    const dead = await claimOrThrow('dead-worker');
    await db
      .updateTable('jobs')
      .set({ lockedUntil: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', id)
      .execute();

    const reclaimed = await claimNext(otherProcess, 'survivor', 60_000);
    expect(reclaimed).toMatchObject({ id, state: 'running', attempts: 2, lockedBy: 'survivor' });

    // The dead worker wakes up: none of its updates may touch the survivor's claim.
    expect(await extendLease(db, dead, 60_000)).toBe(false);
    expect(await complete(db, dead, { from: 'dead' })).toBe(false);
    expect(await fail(db, dead, new Error('late'))).toBe('lost');
    expect(await complete(db, reclaimed as ClaimedJob, { from: 'survivor' })).toBe(true);
    expect(await jobRow(id)).toMatchObject({
      state: 'completed',
      attempts: 2,
      lockedBy: 'survivor',
      lockedUntil: null,
      result: { from: 'survivor' },
      lastError: null,
    });
  });

  it('fences off an earlier claim by the same worker', async () => {
    const id = await enqueue(db, 'f', {});
    const first = await claimOrThrow('same-worker');
    await db
      .updateTable('jobs')
      .set({ lockedUntil: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', id)
      .execute();
    const second = await claimOrThrow('same-worker');
    expect(await complete(db, first, 'stale')).toBe(false);
    expect(await complete(db, second, 'fresh')).toBe(true);
    expect((await jobRow(id)).result).toBe('fresh');
  });
});

describe('complete and fail', () => {
  it('stores the result and the finish time', async () => {
    const id = await enqueue(db, 'g', {});
    const job = await claimOrThrow('w');
    expect(await complete(db, job, { expired: 12 })).toBe(true);
    const row = await jobRow(id);
    expect(row).toMatchObject({ state: 'completed', result: { expired: 12 }, lockedUntil: null });
    expect(row.finishedAt).toBeInstanceOf(Date);
  });

  it('requeues a failed attempt after the backoff, keeping the error', async () => {
    const id = await enqueue(db, 'h', {}, { maxAttempts: 3 });
    const job = await claimOrThrow('w');
    expect(await fail(db, job, new Error('SMTP timeout'), { retryDelayMs: 60_000 })).toBe(
      'retrying',
    );
    const row = await db
      .selectFrom('jobs')
      .selectAll()
      .select(sql<boolean>`run_at > now() + interval '59 seconds'`.as('backedOff'))
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      state: 'queued',
      attempts: 1,
      lastError: 'Error: SMTP timeout',
      lockedBy: null,
      lockedUntil: null,
      backedOff: true,
    });
    expect(await claimNext(db, 'w', 60_000)).toBeUndefined();
  });

  it('marks the job failed once max_attempts are used', async () => {
    const id = await enqueue(db, 'i', {}, { maxAttempts: 2 });
    expect(await fail(db, await claimOrThrow('w'), new Error('first'), { retryDelayMs: 0 })).toBe(
      'retrying',
    );
    expect(await fail(db, await claimOrThrow('w'), new Error('second'))).toBe('failed');
    const row = await jobRow(id);
    expect(row).toMatchObject({
      state: 'failed',
      attempts: 2,
      lastError: 'Error: second',
      lockedUntil: null,
    });
    expect(row.finishedAt).toBeInstanceOf(Date);
    expect(await claimNext(db, 'w', 60_000)).toBeUndefined();
  });

  it('keeps secrets and stack traces out of last_error', async () => {
    const id = await enqueue(db, 'j', {}, { maxAttempts: 1 });
    const job = await claimOrThrow('w');
    await fail(
      db,
      job,
      new Error(`could not open postgres://app:pa55word@db/x ${'y'.repeat(5000)}`),
    );
    const { lastError } = await jobRow(id);
    expect(lastError).not.toContain('pa55word');
    expect(lastError).not.toContain('queue.test.ts');
    expect(lastError?.length).toBe(2000);
  });
});

describe('abandoned and released jobs', () => {
  async function expireLease(id: string) {
    await db
      .updateTable('jobs')
      .set({ lockedUntil: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', id)
      .execute();
  }

  it('fails, rather than reruns, a job whose worker died on its last attempt', async () => {
    const id = await enqueue(db, 'poison', {}, { maxAttempts: 2 });
    await claimOrThrow('killed-1');
    await expireLease(id);
    await claimOrThrow('killed-2');
    await expireLease(id);

    expect(await claimNext(db, 'next', 60_000)).toBeUndefined();
    expect(await failAbandonedJobs(db)).toBe(1);
    expect(await jobRow(id)).toMatchObject({
      state: 'failed',
      attempts: 2,
      lockedBy: 'killed-2',
      lockedUntil: null,
      lastError:
        'Abandoned: the worker running attempt 2 of 2 stopped without finishing (lease expired)',
    });
    expect(await failAbandonedJobs(db)).toBe(0);
  });

  it('leaves live and retryable running jobs to their workers', async () => {
    const live = await enqueue(db, 'live', {}, { maxAttempts: 1 });
    await claimOrThrow('alive');
    const retryable = await enqueue(db, 'retryable', {}, { maxAttempts: 2 });
    await claimOrThrow('dead');
    await expireLease(retryable);
    expect(await failAbandonedJobs(db)).toBe(0);
    expect(await stateOf(live)).toBe('running');
    expect(await stateOf(retryable)).toBe('running');
  });

  it('releases a claimed job without using an attempt', async () => {
    const id = await enqueue(db, 'interrupted', {}, { runAt: new Date('2020-01-01T00:00:00Z') });
    const job = await claimOrThrow('stopping-worker');
    expect(await release(db, job)).toBe(true);
    expect(await jobRow(id)).toMatchObject({
      state: 'queued',
      attempts: 0,
      lockedBy: null,
      lockedUntil: null,
    });
    expect(await release(db, job)).toBe(false);
    expect((await claimOrThrow('other')).id).toBe(id);
  });
});

async function stateOf(id: string) {
  return (await jobRow(id)).state;
}

describe('pruneCompletedJobs', () => {
  it('deletes only completed jobs finished before the cut-off, keeping failed ones', async () => {
    const old = await enqueue(db, 'report.daily', {});
    const recent = await enqueue(db, 'report.daily', {});
    const failedOld = await enqueue(db, 'report.daily', {});
    const queued = await enqueue(db, 'report.daily', {});
    await db
      .updateTable('jobs')
      .set({ state: 'completed', finishedAt: sql<Date>`now() - interval '91 days'` })
      .where('id', '=', old)
      .execute();
    await db
      .updateTable('jobs')
      .set({ state: 'completed', finishedAt: sql<Date>`now() - interval '89 days'` })
      .where('id', '=', recent)
      .execute();
    await db
      .updateTable('jobs')
      .set({ state: 'failed', finishedAt: sql<Date>`now() - interval '400 days'` })
      .where('id', '=', failedOld)
      .execute();

    expect(await pruneCompletedJobs(db, 90)).toBe(1);
    const left = await db.selectFrom('jobs').select('id').orderBy('id').execute();
    expect(left.map((j) => j.id).sort()).toEqual([recent, failedOld, queued].sort());
  });

  it('refuses a non-positive age', async () => {
    await expect(pruneCompletedJobs(db, 0)).rejects.toThrow(/positive integer/);
  });
});
