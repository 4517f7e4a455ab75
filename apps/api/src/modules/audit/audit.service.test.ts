import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import type { Db, Trx } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs/index.js';
import { containsFullIdNumber, REDACTED } from './audit.rules.js';
import type { AuditOutcome } from './audit.schema.js';
import {
  recordAudit,
  searchAudit,
  systemAuditContext,
  type AuditContext,
  type AuditEventInput,
} from './audit.service.js';

let testDb: TestDatabase;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
});

afterAll(async () => {
  await testDb.drop();
});

const ID = '41140219900307123X';

function contextOf(
  userId: string | null,
  username: string | null,
  role = 'city_admin',
): AuditContext {
  return { actor: { userId, username, role }, requestId: 'req-1', ip: '203.0.113.7' };
}

const admin = contextOf('0195a000-0000-7000-8000-00000000000a', 'admin');

function record(event: AuditEventInput): Promise<string> {
  return db.transaction().execute((trx) => recordAudit(trx, event));
}

async function eventCount(where: { entityId: string }): Promise<number> {
  const row = await db
    .selectFrom('auditEvents')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('entityId', '=', where.entityId)
    .executeTakeFirstOrThrow();
  return row.n;
}

class Rollback extends Error {}

describe('recordAudit', () => {
  it('stores the event with its context and queues it for sealing', async () => {
    const at = new Date('2025-03-01T02:00:00.123Z');
    const id = await record({
      context: admin,
      action: 'user.created',
      entityType: 'user',
      entityId: 'u-created',
      after: { username: 'li', role: 'worker' },
      occurredAt: at,
    });
    const row = await db
      .selectFrom('auditEvents')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      id,
      occurredAt: at,
      actorUserId: admin.actor.userId,
      actorUsername: 'admin',
      actorRole: 'city_admin',
      action: 'user.created',
      entityType: 'user',
      entityId: 'u-created',
      before: null,
      after: { username: 'li', role: 'worker' },
      outcome: 'success',
      requestId: 'req-1',
      ip: '203.0.113.7',
      details: null,
    });
    const queued = await db
      .selectFrom('auditUnsealed')
      .selectAll()
      .where('eventId', '=', id)
      .execute();
    expect(queued).toEqual([{ eventId: id }]);
  });

  it('leaves no row when the business transaction rolls back', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await recordAudit(trx, {
          context: admin,
          action: 'user.updated',
          entityType: 'user',
          entityId: 'u-rolled-back',
        });
        throw new Rollback('the business write failed after auditing');
      }),
    ).rejects.toThrow(Rollback);
    expect(await eventCount({ entityId: 'u-rolled-back' })).toBe(0);
  });

  it('fails the business write when the audit row cannot be written', async () => {
    const jobName = `business-write-${Date.now()}`;
    const attempt = (outcome: AuditOutcome, ip: string) =>
      db.transaction().execute(async (trx) => {
        await enqueue(trx, jobName);
        await recordAudit(trx, {
          context: { ...admin, ip },
          action: 'user.updated',
          entityType: 'user',
          entityId: 'u-audit-fails',
          outcome,
        });
      });
    // The database refuses both: the outcome CHECK, and an ip that is not an address.
    await expect(attempt('maybe' as AuditOutcome, '203.0.113.7')).rejects.toThrow(/check/i);
    await expect(attempt('success', 'not-an-ip')).rejects.toThrow(/inet/);
    const jobs = await db.selectFrom('jobs').select('id').where('name', '=', jobName).execute();
    expect(jobs).toEqual([]);
    expect(await eventCount({ entityId: 'u-audit-fails' })).toBe(0);
  });

  it('refuses to run outside a transaction and refuses codes not in the catalog', async () => {
    const event: AuditEventInput = { context: admin, action: 'auth.logout' };
    // @ts-expect-error a plain Db is not a transaction: the audit row must share the write's fate
    await expect(recordAudit(db, event)).rejects.toThrow('inside the business transaction');
    await expect(
      db
        .transaction()
        .execute((trx: Trx) =>
          recordAudit(trx, { ...event, action: 'person.deleted' as 'auth.logout' }),
        ),
    ).rejects.toThrow('not an action code');
  });

  it('never stores a full ID number and redacts credentials', async () => {
    const id = await record({
      context: contextOf(null, ID, 'worker'),
      action: 'auth.login.failed',
      entityType: 'person',
      entityId: ID,
      outcome: 'failed',
      before: { idNumber: ID, names: [`张三 ${ID}`], password: 'old-secret' },
      after: {
        idNumber: '４１１４０２１９９００３０７１２３Ｘ',
        token: 'tok',
        mustChangePassword: true,
      },
      details: { note: `typed 411402 19900307 123X`, [ID]: 1 },
    });
    const row = await db
      .selectFrom('auditEvents')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.actorUsername).toBe('411402********123X');
    expect(row.entityId).toBe('411402********123X');
    expect(row.before).toEqual({
      idNumber: '411402********123X',
      names: ['张三 411402********123X'],
      password: REDACTED,
    });
    expect(row.after).toEqual({
      idNumber: '411402********123X',
      token: REDACTED,
      mustChangePassword: true,
    });
    expect(row.details).toEqual({ note: 'typed 411402********123X', '411402********123X': 1 });
    // The whole row as PostgreSQL holds it, not only the fields looked at above.
    const raw = await sql<{ text: string }>`
      SELECT row_to_json(e)::text AS text FROM audit_events e WHERE id = ${id}`.execute(db);
    expect(raw.rows[0]?.text).toBeDefined();
    expect(containsFullIdNumber(raw.rows[0]?.text ?? ID)).toBe(false);
    expect(raw.rows[0]?.text).not.toContain('old-secret');
  });

  it('records a failed login of an unknown user without a user id', async () => {
    const id = await record({
      context: {
        actor: { userId: null, username: 'nobody', role: null },
        requestId: null,
        ip: null,
      },
      action: 'auth.login.failed',
      outcome: 'failed',
      details: { reason: 'unknown_username' },
    });
    const row = await db
      .selectFrom('auditEvents')
      .select(['actorUserId', 'actorUsername', 'outcome', 'entityType', 'ip'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      actorUserId: null,
      actorUsername: 'nobody',
      outcome: 'failed',
      entityType: null,
      ip: null,
    });
  });

  it('names the system as the actor of background work', () => {
    expect(systemAuditContext('bootstrap')).toEqual({
      actor: { userId: null, username: 'bootstrap', role: 'system' },
      requestId: null,
      ip: null,
    });
  });
});

describe('who may change audit rows', () => {
  const tables = [
    ['audit_events', 'id'],
    ['audit_seals', 'seq'],
    ['audit_anchors', 'day'],
  ];

  it.each(tables)('the app role may not UPDATE, DELETE or TRUNCATE %s', async (table, column) => {
    await record({ context: admin, action: 'auth.logout' });
    const id = sql.table(table);
    const col = sql.ref(column);
    await expect(sql`UPDATE ${id} SET ${col} = ${col}`.execute(db)).rejects.toThrow(
      /permission denied/,
    );
    await expect(sql`DELETE FROM ${id}`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`TRUNCATE ${id}`.execute(db)).rejects.toThrow(/permission denied/);
  });

  it('the app role may only take entries off the sealing queue, not rewrite it', async () => {
    await expect(
      sql`UPDATE audit_unsealed SET event_id = gen_random_uuid()`.execute(db),
    ).rejects.toThrow(/permission denied/);
    await expect(sql`TRUNCATE audit_unsealed`.execute(db)).rejects.toThrow(/permission denied/);
  });

  it('even the owner cannot update, truncate or delete recent audit rows by accident', async () => {
    const id = await record({ context: admin, action: 'auth.logout' });
    const owner = testDb.ownerDb;
    await expect(
      sql`UPDATE audit_events SET outcome = 'denied' WHERE id = ${id}`.execute(owner),
    ).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events WHERE id = ${id}`.execute(owner)).rejects.toThrow(
      /180 days/,
    );
    await expect(sql`TRUNCATE audit_events CASCADE`.execute(owner)).rejects.toThrow(/append-only/);
  });
});

describe('searchAudit', () => {
  const alice = contextOf('0195a000-0000-7000-8000-0000000000a1', 'alice', 'county_admin');
  const bob = contextOf('0195a000-0000-7000-8000-0000000000b2', 'bob', 'auditor');
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const at = (hour: number) => new Date(Date.UTC(2024, 5, 1, hour));
    ids.a1 = await record({
      context: alice,
      action: 'person.created',
      entityType: 'person',
      entityId: 'p-search-1',
      occurredAt: at(1),
    });
    ids.a2 = await record({
      context: alice,
      action: 'person.updated',
      entityType: 'person',
      entityId: 'p-search-1',
      occurredAt: at(2),
    });
    ids.b1 = await record({
      context: bob,
      action: 'person.id_number.revealed',
      entityType: 'person',
      entityId: 'p-search-1',
      occurredAt: at(3),
    });
    ids.b2 = await record({
      context: bob,
      action: 'export.created',
      entityType: 'export',
      entityId: 'x-search-1',
      occurredAt: at(4),
      outcome: 'denied',
    });
  });

  const page = { page: 1, pageSize: 50 };
  const found = async (query: Parameters<typeof searchAudit>[1]) =>
    (await searchAudit(db, query)).items.map((item) => item.id);

  it('finds an entity’s history, newest first, with the action described', async () => {
    const result = await searchAudit(db, { entityType: 'person', entityId: 'p-search-1', ...page });
    expect(result.items.map((i) => i.id)).toEqual([ids.b1, ids.a2, ids.a1]);
    expect(result.total).toBe(3);
    expect(result.items[0]).toMatchObject({
      action: 'person.id_number.revealed',
      actionDescription: 'Revealed a person’s full ID number',
      actorUsername: 'bob',
      seq: null,
    });
  });

  it('finds what an actor did, by id or by username', async () => {
    expect(await found({ actorUserId: alice.actor.userId ?? '', ...page })).toEqual([
      ids.a2,
      ids.a1,
    ]);
    expect(await found({ actorUsername: 'bob', ...page })).toEqual([ids.b2, ids.b1]);
  });

  it('narrows by time window (from inclusive, to exclusive), action and outcome', async () => {
    const from = new Date(Date.UTC(2024, 5, 1, 2));
    const to = new Date(Date.UTC(2024, 5, 1, 4));
    expect(await found({ from, to, ...page })).toEqual([ids.b1, ids.a2]);
    expect(await found({ action: 'export.created', ...page })).toEqual([ids.b2]);
    expect(await found({ actorUsername: 'bob', outcome: 'denied', ...page })).toEqual([ids.b2]);
  });

  it('pages through results and counts them all', async () => {
    const second = await searchAudit(db, { entityId: 'p-search-1', page: 2, pageSize: 2 });
    expect(second.items.map((i) => i.id)).toEqual([ids.a1]);
    expect(second).toMatchObject({ total: 3, page: 2, pageSize: 2 });
  });

  it('refuses a page size above 200 or a page below 1', async () => {
    await expect(searchAudit(db, { page: 1, pageSize: 201 })).rejects.toThrow(DomainError);
    await expect(searchAudit(db, { page: 0, pageSize: 10 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
