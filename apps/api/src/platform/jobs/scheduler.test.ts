import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { fixedClock } from '../clock.js';
import { createDb, type Db } from '../db.js';
import { registerSchedules, tick, type ScheduleDefinition } from './scheduler.js';

let testDb: TestDatabase;
let db: Db;
/** A second pool on the same database: another app process ticking at the same moment. */
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
  await db.deleteFrom('jobSchedules').execute();
});

// 02:00 in Shanghai is 18:00 UTC on the previous day.
const nightly: ScheduleDefinition = {
  name: 'voucher-expiry',
  cron: '0 2 * * *',
  jobName: 'expire-vouchers',
  payload: { batch: 500 },
};

function jobs() {
  return db
    .selectFrom('jobs')
    .select(['name', 'payload', 'runAt', 'dedupeKey', 'state'])
    .orderBy('runAt')
    .execute();
}

function schedule(name: string) {
  return db
    .selectFrom('jobSchedules')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
}

describe('registerSchedules', () => {
  it('starts a new schedule from now without backfilling history', async () => {
    // 08:00 Shanghai on 1 Jan 2030: today's 02:00 is already past and must not be enqueued.
    const clock = fixedClock('2030-01-01T00:00:00Z');
    await registerSchedules(db, [nightly], clock);
    expect(await schedule('voucher-expiry')).toMatchObject({
      cron: '0 2 * * *',
      jobName: 'expire-vouchers',
      payload: { batch: 500 },
      enabled: true,
      lastScheduledFor: new Date('2030-01-01T00:00:00Z'),
    });
    expect(await tick(db, clock)).toEqual({ enqueued: [], errors: [] });
    expect(await jobs()).toEqual([]);
  });

  it('updates the definition but keeps progress and an operator’s switch-off', async () => {
    const clock = fixedClock('2030-01-01T00:00:00Z');
    await registerSchedules(db, [nightly], clock);
    await db
      .updateTable('jobSchedules')
      .set({ enabled: false })
      .where('name', '=', 'voucher-expiry')
      .execute();
    clock.set('2030-02-01T00:00:00Z');
    await registerSchedules(
      db,
      [{ ...nightly, cron: '30 3 * * *', payload: { batch: 100 } }],
      clock,
    );
    expect(await schedule('voucher-expiry')).toMatchObject({
      cron: '30 3 * * *',
      payload: { batch: 100 },
      enabled: false,
      lastScheduledFor: new Date('2030-01-01T00:00:00Z'),
    });
  });

  it('refuses an invalid cron expression and a name declared twice', async () => {
    await expect(registerSchedules(db, [{ ...nightly, cron: '0 2 * *' }])).rejects.toThrow(
      'Invalid cron expression "0 2 * *"',
    );
    await expect(registerSchedules(db, [nightly, nightly])).rejects.toThrow(
      'Schedule "voucher-expiry" is declared twice',
    );
    expect(await db.selectFrom('jobSchedules').selectAll().execute()).toEqual([]);
  });
});

describe('tick', () => {
  it('enqueues exactly one job per day at 02:00 Shanghai time', async () => {
    const clock = fixedClock('2030-01-01T00:00:00Z');
    await registerSchedules(db, [nightly], clock);

    clock.set('2030-01-01T17:59:59Z');
    expect((await tick(db, clock)).enqueued).toEqual([]);

    clock.set('2030-01-01T18:00:00Z');
    const first = await tick(db, clock);
    expect(first.enqueued).toEqual([
      {
        schedule: 'voucher-expiry',
        jobId: expect.any(String),
        occurrence: new Date('2030-01-01T18:00:00Z'),
      },
    ]);
    // Ticking again the same day, however often, adds nothing.
    expect((await tick(db, clock)).enqueued).toEqual([]);
    clock.set('2030-01-02T12:00:00Z');
    expect((await tick(db, clock)).enqueued).toEqual([]);

    clock.set('2030-01-02T18:00:15Z');
    expect((await tick(db, clock)).enqueued).toHaveLength(1);

    expect(await jobs()).toEqual([
      {
        name: 'expire-vouchers',
        payload: { batch: 500, scheduledFor: '2030-01-01T18:00:00.000Z' },
        runAt: new Date('2030-01-01T18:00:00Z'),
        dedupeKey: 'schedule:voucher-expiry:2030-01-01T18:00:00.000Z',
        state: 'queued',
      },
      {
        name: 'expire-vouchers',
        payload: { batch: 500, scheduledFor: '2030-01-02T18:00:00.000Z' },
        runAt: new Date('2030-01-02T18:00:00Z'),
        dedupeKey: 'schedule:voucher-expiry:2030-01-02T18:00:00.000Z',
        state: 'queued',
      },
    ]);
    expect((await schedule('voucher-expiry')).lastScheduledFor).toEqual(
      new Date('2030-01-02T18:00:00Z'),
    );
  });

  it('enqueues an occurrence once when two processes tick at the same moment', async () => {
    const clock = fixedClock('2030-01-01T00:00:00Z');
    await registerSchedules(db, [nightly], clock);
    clock.set('2030-01-01T18:00:10Z');

    const results = await Promise.all([
      tick(db, clock),
      tick(otherProcess, clock),
      tick(db, clock),
      tick(otherProcess, clock),
    ]);
    expect(results.flatMap((r) => r.enqueued)).toHaveLength(1);
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(await jobs()).toHaveLength(1);
  });

  it('relies on the dedupe key when a tick works from stale progress', async () => {
    const clock = fixedClock('2030-01-01T00:00:00Z');
    await registerSchedules(db, [nightly], clock);
    clock.set('2030-01-01T18:00:10Z');
    const [first] = (await tick(db, clock)).enqueued;

    // As if a process had read last_scheduled_for before the first tick committed.
    await db
      .updateTable('jobSchedules')
      .set({ lastScheduledFor: new Date('2030-01-01T00:00:00Z') })
      .execute();
    const [again] = (await tick(otherProcess, clock)).enqueued;
    expect(again?.jobId).toBe(first?.jobId);
    expect(await jobs()).toHaveLength(1);
  });

  it('after a three-day outage enqueues only the latest missed occurrence, at its instant', async () => {
    const clock = fixedClock('2030-01-01T00:00:00Z');
    await registerSchedules(db, [nightly], clock);
    clock.set('2030-01-01T18:00:00Z');
    await tick(db, clock);

    // Nobody ran from just after 02:00 on 2 Jan until 03:00 on 5 Jan (Shanghai): the 3, 4 and
    // 5 Jan occurrences were missed.
    clock.set('2030-01-04T19:00:00Z');
    const { enqueued } = await tick(db, clock);
    expect(enqueued.map((e) => e.occurrence)).toEqual([new Date('2030-01-04T18:00:00Z')]);
    expect((await jobs()).map((j) => [j.runAt.toISOString(), j.dedupeKey])).toEqual([
      ['2030-01-01T18:00:00.000Z', 'schedule:voucher-expiry:2030-01-01T18:00:00.000Z'],
      ['2030-01-04T18:00:00.000Z', 'schedule:voucher-expiry:2030-01-04T18:00:00.000Z'],
    ]);
    expect((await tick(db, clock)).enqueued).toEqual([]);
  });

  it('skips disabled schedules', async () => {
    const clock = fixedClock('2030-01-01T00:00:00Z');
    await registerSchedules(db, [nightly], clock);
    await db.updateTable('jobSchedules').set({ enabled: false }).execute();
    clock.set('2030-01-02T00:00:00Z');
    expect(await tick(db, clock)).toEqual({ enqueued: [], errors: [] });
    expect(await jobs()).toEqual([]);
  });

  it('reports a schedule with a broken cron and still processes the others', async () => {
    const clock = fixedClock('2030-01-01T00:00:00Z');
    await registerSchedules(db, [nightly], clock);
    await db
      .insertInto('jobSchedules')
      .values({
        name: 'broken',
        cron: 'every night',
        jobName: 'x',
        lastScheduledFor: new Date('2030-01-01T00:00:00Z'),
      })
      .execute();
    clock.set('2030-01-01T18:00:00Z');
    const result = await tick(db, clock);
    expect(result.errors).toEqual([
      {
        schedule: 'broken',
        error: expect.stringContaining('Invalid cron expression "every night"'),
      },
    ]);
    expect(result.enqueued.map((e) => e.schedule)).toEqual(['voucher-expiry']);
  });

  it('starts counting from now for a schedule row without progress', async () => {
    await db
      .insertInto('jobSchedules')
      .values({ name: 'manual', cron: '* * * * *', jobName: 'ping' })
      .execute();
    const clock = fixedClock('2030-01-01T00:00:30Z');
    expect((await tick(db, clock)).enqueued).toEqual([]);
    expect((await schedule('manual')).lastScheduledFor).toEqual(new Date('2030-01-01T00:00:30Z'));
    clock.set('2030-01-01T00:01:00Z');
    expect((await tick(db, clock)).enqueued.map((e) => e.occurrence)).toEqual([
      new Date('2030-01-01T00:01:00Z'),
    ]);
  });
});
