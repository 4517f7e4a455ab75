import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { shanghaiDate } from '../../platform/clock.js';
import { createDb, type Db, type Trx } from '../../platform/db.js';
import type { JobContext } from '../../platform/jobs/index.js';
import {
  anchorAuditDay,
  anchorFilePath,
  anchorPendingAuditDays,
  anchorsDirOf,
  canonicalEventOf,
  sealAuditEvents,
  selectCanonicalEvent,
  type AuditLogger,
} from './audit.chain.js';
import { auditJobs } from './audit.jobs.js';
import {
  AUDIT_SIGNING_KEY_FILE,
  loadOrCreateAuditSigningKey,
  type AuditSigningKey,
} from './audit.keys.js';
import { chainHash, GENESIS_HASH } from './audit.rules.js';
import { recordAudit, type AuditContext } from './audit.service.js';
import { runAuditVerifyCommand, verifyAuditTrail } from './audit.verify.js';

/*
 * Sealing, anchoring and verification on a real PostgreSQL. Every test gets its own database and
 * data directory, because the tamper tests rewrite history as the superuser.
 */

let testDb: TestDatabase;
let db: Db;
let dataDir: string;
let key: AuditSigningKey;

beforeEach(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'jineng-audit-'));
  key = await loadOrCreateAuditSigningKey(dataDir);
});

afterEach(async () => {
  await testDb.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const context: AuditContext = {
  actor: { userId: '0195a000-0000-7000-8000-00000000000a', username: 'admin', role: 'city_admin' },
  requestId: 'req-1',
  ip: '198.51.100.4',
};

/** 10:00 on 1 March 2025 in Shanghai: seals made "now" belong to that day. */
const MARCH_1 = new Date('2025-03-01T02:00:00Z');
/** 09:00 on 2 March in Shanghai: 1 March has ended and may be anchored. */
const MARCH_2 = new Date('2025-03-02T01:00:00Z');

async function seed(count: number, target: Db = db): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    ids.push(
      await target.transaction().execute((trx) =>
        recordAudit(trx, {
          context,
          action: 'person.updated',
          entityType: 'person',
          entityId: `p-${i}`,
          before: { name: '张三', level: i },
          after: { name: '张三', level: i + 1, nested: { b: 2, a: 1 } },
          details: { i },
        }),
      ),
    );
  }
  return ids;
}

function seals(target: Db = db) {
  return target
    .selectFrom('auditSeals')
    .select(['seq', 'eventId', 'hash'])
    .orderBy('seq')
    .execute();
}

function captureLogger(): AuditLogger & { lines: { level: string; obj: object; msg?: string }[] } {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
  };
}

/** Does something the way a database superuser bent on tampering would: triggers off. */
function asSuperuser(work: (trx: Trx) => Promise<unknown>): Promise<unknown> {
  return testDb.ownerDb.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    return work(trx);
  });
}

async function sealAndAnchor(count: number) {
  const ids = await seed(count);
  await sealAuditEvents(db, { now: MARCH_1 });
  const logger = captureLogger();
  const { anchor } = await anchorAuditDay(db, {
    day: '2025-03-01',
    key,
    anchorsDir: anchorsDirOf(dataDir),
    logger,
    now: MARCH_2,
  });
  return { ids, anchor, logger };
}

describe('sealAuditEvents', () => {
  it('chains committed events with a gapless seq and hashes recomputable from the rows', async () => {
    const ids = await seed(5);
    expect(await sealAuditEvents(db)).toBe(5);
    const chain = await seals();
    expect(chain.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(chain.map((s) => s.eventId)).toEqual(ids);
    const rows = await selectCanonicalEvent(
      db.selectFrom('auditSeals as s').innerJoin('auditEvents as e', 'e.id', 's.eventId'),
    )
      .select(['s.seq', 's.hash'])
      .orderBy('s.seq')
      .execute();
    let previous = GENESIS_HASH;
    for (const row of rows) {
      const event = canonicalEventOf(row);
      expect(event).not.toBeNull();
      if (!event) continue;
      previous = chainHash(previous, row.seq, event);
      expect(row.hash).toBe(previous);
    }
    const queued = await db.selectFrom('auditUnsealed').select('eventId').execute();
    expect(queued).toEqual([]);
    expect(await sealAuditEvents(db)).toBe(0);
  });

  it('seals in batches, continuing the chain across them', async () => {
    await seed(10);
    expect(await sealAuditEvents(db, { batchSize: 3 })).toBe(10);
    await seed(2);
    expect(await sealAuditEvents(db, { batchSize: 3 })).toBe(2);
    expect((await seals()).map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(await verifyAuditTrail({ db, dataDir })).toMatchObject({ ok: true, checked: 12 });
  });

  it('yields one gapless chain without duplicates when two processes seal at once', async () => {
    const other = createDb({ url: testDb.appUrl, max: 3 });
    try {
      const ids = await seed(120);
      const counts = await Promise.all([
        sealAuditEvents(db, { batchSize: 7 }),
        sealAuditEvents(other, { batchSize: 7 }),
        sealAuditEvents(db, { batchSize: 5 }),
        sealAuditEvents(other, { batchSize: 11 }),
      ]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(120);
      const chain = await seals();
      expect(chain.map((s) => s.seq)).toEqual(ids.map((_, i) => i + 1));
      expect(new Set(chain.map((s) => s.eventId))).toEqual(new Set(ids));
      expect(await verifyAuditTrail({ db, dataDir })).toMatchObject({ ok: true, checked: 120 });
    } finally {
      await other.destroy();
    }
  });

  it('seals a row whose transaction commits after a later row was sealed', async () => {
    // The slow transaction writes its audit row first (earlier time, smaller UUIDv7)…
    const slow = await db.startTransaction().execute();
    const early = await recordAudit(slow, {
      context,
      action: 'import.committed',
      occurredAt: new Date('2025-03-01T01:59:00Z'),
    });
    // …a quick one writes and commits after it, and is sealed while the slow one is open.
    const [late] = await seed(1);
    expect(await sealAuditEvents(db)).toBe(1);
    await slow.commit().execute();
    // A watermark on time or id would now skip `early`; the queue cannot.
    expect(await sealAuditEvents(db)).toBe(1);
    expect(await seals()).toMatchObject([
      { seq: 1, eventId: late },
      { seq: 2, eventId: early },
    ]);
    expect(await verifyAuditTrail({ db, dataDir })).toMatchObject({ ok: true, checked: 2 });
  });

  it('never seals a row whose transaction rolled back', async () => {
    const trx = await db.startTransaction().execute();
    await recordAudit(trx, { context, action: 'auth.logout' });
    await trx.rollback().execute();
    expect(await sealAuditEvents(db)).toBe(0);
  });
});

describe('anchorAuditDay', () => {
  it('signs the day’s head into the database, a file and the log', async () => {
    const { anchor, logger } = await sealAndAnchor(3);
    const chain = await seals();
    expect(anchor).toMatchObject({
      day: '2025-03-01',
      lastSeq: 3,
      headHash: chain[2]?.hash,
      keyId: key.keyId,
    });
    const row = await db.selectFrom('auditAnchors').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject(anchor);
    const file = JSON.parse(
      await readFile(anchorFilePath(anchorsDirOf(dataDir), '2025-03-01'), 'utf8'),
    ) as Record<string, unknown>;
    expect(file).toEqual({
      format: 'jineng.audit.anchor.v1',
      ...anchor,
      publicKey: key.publicKeyPem,
    });
    expect(logger.lines).toEqual([
      {
        level: 'info',
        obj: { auditAnchor: anchor },
        msg: 'audit chain head anchored for 2025-03-01',
      },
    ]);
  });

  it('keeps the first anchor when run again, and counts only seals made before midnight', async () => {
    const { anchor } = await sealAndAnchor(2);
    // Sealed on 2 March: after the day's end, so not part of 1 March's anchor.
    await seed(1);
    await sealAuditEvents(db, { now: MARCH_2 });
    const again = await anchorAuditDay(db, {
      day: '2025-03-01',
      key,
      anchorsDir: anchorsDirOf(dataDir),
      logger: captureLogger(),
      now: MARCH_2,
    });
    expect(again).toEqual({ anchor, created: false });
    expect(anchor.lastSeq).toBe(2);
  });

  it('refuses a day that has not ended in Shanghai', async () => {
    await expect(
      anchorAuditDay(db, {
        day: '2025-03-02',
        key,
        anchorsDir: anchorsDirOf(dataDir),
        logger: captureLogger(),
        // 23:59 on 2 March in Shanghai
        now: new Date('2025-03-02T15:59:00Z'),
      }),
    ).rejects.toThrow('has not ended');
  });

  it('refuses to sign a chain that is already broken', async () => {
    const [first] = await seed(2);
    await sealAuditEvents(db, { now: MARCH_1 });
    await asSuperuser((trx) =>
      sql`UPDATE audit_events SET outcome = 'denied' WHERE id = ${first}`.execute(trx),
    );
    await expect(
      anchorAuditDay(db, {
        day: '2025-03-01',
        key,
        anchorsDir: anchorsDirOf(dataDir),
        logger: captureLogger(),
        now: MARCH_2,
      }),
    ).rejects.toThrow('broken at seq 1');
    expect(await db.selectFrom('auditAnchors').select('day').execute()).toEqual([]);
  });

  it('catches up on every day not yet anchored', async () => {
    await seed(2);
    await sealAuditEvents(db, { now: new Date('2025-02-27T12:00:00Z') });
    await seed(1);
    await sealAuditEvents(db, { now: MARCH_1 });
    const options = { key, anchorsDir: anchorsDirOf(dataDir), logger: captureLogger() };
    expect(await anchorPendingAuditDays(db, { ...options, now: MARCH_2 })).toEqual([
      '2025-02-27',
      '2025-02-28',
      '2025-03-01',
    ]);
    const anchors = await db
      .selectFrom('auditAnchors')
      .select(['day', 'lastSeq'])
      .orderBy('day')
      .execute();
    expect(anchors).toEqual([
      { day: '2025-02-27', lastSeq: 2 },
      { day: '2025-02-28', lastSeq: 2 },
      { day: '2025-03-01', lastSeq: 3 },
    ]);
    expect(await anchorPendingAuditDays(db, { ...options, now: MARCH_2 })).toEqual([]);
    expect(await verifyAuditTrail({ db, dataDir })).toEqual({ ok: true, checked: 3, anchors: 3 });
  });
});

describe('auditJobs', () => {
  it('seals every minute and anchors ended days at 00:10, keeping the key in a 0600 file', async () => {
    const logger = { ...captureLogger(), warn: () => undefined };
    const clock = { now: () => new Date() };
    const jobs = auditJobs({ db, dataDir, logger, clock });
    expect(jobs.schedules).toEqual([
      { name: 'audit-seal', cron: '* * * * *', jobName: 'audit.seal', payload: {} },
      { name: 'audit-anchor', cron: '10 0 * * *', jobName: 'audit.anchor', payload: {} },
    ]);
    await seed(2);
    const ctx = { signal: new AbortController().signal } as JobContext;
    const seal = jobs.handlers['audit.seal'];
    const anchor = jobs.handlers['audit.anchor'];
    expect(await seal?.({}, ctx)).toMatchObject({ sealed: 2, lastSeq: 2 });
    // The job seals on the database's clock; anchor the day after that.
    const { sealedAt } = await db
      .selectFrom('auditSeals')
      .select('sealedAt')
      .executeTakeFirstOrThrow();
    clock.now = () => new Date(sealedAt.getTime() + 24 * 3600_000);
    expect(await anchor?.({}, ctx)).toEqual({ anchored: [shanghaiDate(sealedAt)] });
    const mode = (await stat(path.join(dataDir, 'keys', AUDIT_SIGNING_KEY_FILE))).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(logger.lines.map((l) => l.msg)).toEqual([
      'audit events sealed',
      `audit chain head anchored for ${shanghaiDate(sealedAt)}`,
    ]);
  });
});

describe('verifyAuditTrail and `jineng audit verify`', () => {
  async function command(): Promise<{ code: number; line: string }> {
    const lines: string[] = [];
    const code = await runAuditVerifyCommand({
      databaseUrl: testDb.appUrl,
      dataDir,
      write: (line) => lines.push(line),
    });
    expect(lines).toHaveLength(1);
    return { code, line: lines[0] ?? '' };
  }

  it('passes a clean trail and exits 0', async () => {
    await sealAndAnchor(4);
    await seed(1); // written but not sealed yet: fine
    expect(await verifyAuditTrail({ db, dataDir })).toEqual({ ok: true, checked: 4, anchors: 1 });
    expect(await command()).toEqual({
      code: 0,
      line: 'audit trail intact: 4 sealed event(s) recomputed, 1 daily anchor(s) checked',
    });
  });

  it('names a sealed row a superuser edited, and exits 1', async () => {
    const { ids } = await sealAndAnchor(4);
    const victim = ids[2] ?? '';
    await asSuperuser((trx) =>
      sql`UPDATE audit_events SET after = '{"name": "李四"}' WHERE id = ${victim}`.execute(trx),
    );
    expect(await verifyAuditTrail({ db, dataDir })).toEqual({
      ok: false,
      checked: 2,
      anchors: 1,
      firstBad: {
        seq: 3,
        eventId: victim,
        reason: 'the audit event or its seal was altered (hash mismatch)',
      },
    });
    expect(await command()).toEqual({
      code: 1,
      line:
        `audit trail TAMPERED at seq 3, event ${victim}: the audit event or its seal was ` +
        'altered (hash mismatch) (2 event(s) verified before it)',
    });
  });

  it('notices an edit of only the microseconds of a timestamp', async () => {
    const { ids } = await sealAndAnchor(2);
    await asSuperuser((trx) =>
      sql`UPDATE audit_events SET occurred_at = occurred_at + interval '1 microsecond'
          WHERE id = ${ids[0] ?? ''}`.execute(trx),
    );
    expect((await verifyAuditTrail({ db, dataDir })).firstBad).toMatchObject({ seq: 1 });
  });

  it('names a sealed row a superuser deleted', async () => {
    const { ids } = await sealAndAnchor(4);
    const victim = ids[1] ?? '';
    await asSuperuser((trx) => sql`DELETE FROM audit_events WHERE id = ${victim}`.execute(trx));
    expect(await verifyAuditTrail({ db, dataDir })).toMatchObject({
      ok: false,
      checked: 1,
      firstBad: { seq: 2, eventId: victim, reason: 'the sealed audit event is missing (deleted)' },
    });
    expect((await command()).code).toBe(1);
  });

  it('names the gap when a row and its seal are both deleted', async () => {
    const { ids } = await sealAndAnchor(4);
    await asSuperuser(async (trx) => {
      await sql`DELETE FROM audit_events WHERE id = ${ids[1] ?? ''}`.execute(trx);
      await sql`DELETE FROM audit_seals WHERE seq = 2`.execute(trx);
    });
    expect((await verifyAuditTrail({ db, dataDir })).firstBad).toEqual({
      seq: 2,
      eventId: null,
      reason: 'seal 2 is missing: the chain jumps from 1 to 3',
    });
  });

  it('catches an edit whose author recomputed every later hash, by the signed anchor', async () => {
    const { ids, anchor } = await sealAndAnchor(4);
    await asSuperuser(async (trx) => {
      await sql`UPDATE audit_events SET outcome = 'denied' WHERE id = ${ids[1] ?? ''}`.execute(trx);
      const rows = await selectCanonicalEvent(
        trx.selectFrom('auditSeals as s').innerJoin('auditEvents as e', 'e.id', 's.eventId'),
      )
        .select(['s.seq'])
        .orderBy('s.seq')
        .execute();
      let previous = GENESIS_HASH;
      for (const row of rows) {
        const event = canonicalEventOf(row);
        if (!event) throw new Error('missing event');
        previous = chainHash(previous, row.seq, event);
        await sql`UPDATE audit_seals SET hash = ${previous} WHERE seq = ${row.seq}`.execute(trx);
      }
    });
    expect(await verifyAuditTrail({ db, dataDir })).toMatchObject({
      ok: false,
      checked: 4,
      firstBad: {
        seq: anchor.lastSeq,
        eventId: ids[3],
        reason: 'the chain up to seq 4 does not match the signed anchor for 2025-03-01',
      },
    });
  });

  it('catches rows cut off the end of an anchored chain', async () => {
    const { ids } = await sealAndAnchor(4);
    await asSuperuser(async (trx) => {
      await sql`DELETE FROM audit_events WHERE id IN (${ids[2] ?? ''}, ${ids[3] ?? ''})`.execute(
        trx,
      );
      await sql`DELETE FROM audit_seals WHERE seq >= 3`.execute(trx);
    });
    expect((await verifyAuditTrail({ db, dataDir })).firstBad).toEqual({
      seq: 3,
      eventId: null,
      reason: 'the anchor for 2025-03-01 covers seq 4, but the chain ends at seq 2',
    });
  });

  it('catches an edited anchor file', async () => {
    const { anchor, ids } = await sealAndAnchor(3);
    const file = anchorFilePath(anchorsDirOf(dataDir), '2025-03-01');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"lastSeq": 3', '"lastSeq": 2'));
    expect(await verifyAuditTrail({ db, dataDir })).toMatchObject({
      ok: false,
      firstBad: {
        seq: 3,
        eventId: ids[2],
        reason: 'the anchor file for 2025-03-01 is not validly signed by the audit key',
      },
    });
    // Put back, the trail verifies again: the file was the only thing wrong.
    await writeFile(file, text);
    expect((await verifyAuditTrail({ db, dataDir })).ok).toBe(true);
    expect(anchor.lastSeq).toBe(3);
    expect((await command()).code).toBe(0);
  });

  it('catches a deleted or forged anchor row', async () => {
    await sealAndAnchor(3);
    await asSuperuser((trx) => sql`DELETE FROM audit_anchors`.execute(trx));
    expect((await verifyAuditTrail({ db, dataDir })).firstBad).toMatchObject({
      seq: 3,
      reason: 'the anchor for 2025-03-01 is missing from the database (its file exists)',
    });
  });

  it('catches a deleted anchor file', async () => {
    await sealAndAnchor(3);
    await rm(anchorFilePath(anchorsDirOf(dataDir), '2025-03-01'));
    expect((await verifyAuditTrail({ db, dataDir })).firstBad).toMatchObject({
      seq: 3,
      reason: 'the anchor file for 2025-03-01 is missing',
    });
  });

  it('catches an event slipped in without being sealed or queued', async () => {
    await sealAndAnchor(1);
    const id = '0195a000-0000-7000-8000-0000000000ff';
    await testDb.ownerDb
      .insertInto('auditEvents')
      .values({ id, occurredAt: MARCH_1, action: 'auth.logout', outcome: 'success' } as never)
      .execute();
    expect((await verifyAuditTrail({ db, dataDir })).firstBad).toEqual({
      seq: null,
      eventId: id,
      reason: 'the audit event is neither sealed nor queued for sealing',
    });
  });

  it('reports anchors it cannot check when the signing key is gone', async () => {
    await sealAndAnchor(1);
    await rm(path.join(dataDir, 'keys', AUDIT_SIGNING_KEY_FILE));
    expect((await verifyAuditTrail({ db, dataDir })).firstBad?.reason).toBe(
      'the audit signing key is missing, so the anchor for 2025-03-01 cannot be checked',
    );
  });
});
