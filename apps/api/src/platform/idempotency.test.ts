import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { buildApp, type AppInstance } from '../app.js';
import { testPiiCipher } from '../../test/app.js';
import { accountWithSession, type TestAccount } from '../../test/auth.js';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { fixedClock } from './clock.js';
import { DomainError } from './errors.js';
import { pruneIdempotencyKeys } from './idempotency.js';

let database: TestDatabase;
let app: AppInstance;
const clock = fixedClock('2026-03-15T02:00:00Z');
let alice: TestAccount;
let bob: TestAccount;
let calls = 0;
let gate: Promise<void> | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildApp({ db: database.db, clock, version: 'test', pii: testPiiCipher() });
  await app.register(
    async (api) => {
      api.post(
        '/echo',
        {
          schema: {
            body: Type.Object({ text: Type.String(), fail: Type.Optional(Type.Boolean()) }),
          },
          config: { access: 'authenticated', idempotent: true },
        },
        async (request, reply) => {
          const body = request.body as { text: string; fail?: boolean };
          calls += 1;
          if (gate) await gate;
          if (body.fail) throw new Error('boom');
          if (body.text === 'conflict') throw new DomainError('CONFLICT', 'taken');
          return reply.status(201).send({ call: calls, text: body.text });
        },
      );
    },
    { prefix: '/api/test' },
  );
  await app.ready();
  alice = await accountWithSession(database.db, 'city_admin', { now: clock.now() });
  bob = await accountWithSession(database.db, 'city_admin', { now: clock.now() });
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

function echo(account: TestAccount, text: string, key?: string, extra: object = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/test/echo',
    headers: { ...account.headers, ...(key === undefined ? {} : { 'idempotency-key': key }) },
    payload: { text, ...extra },
  });
}

describe('Idempotency-Key', () => {
  it('replays the first answer, status and body, without running the handler again', async () => {
    const before = calls;
    const first = await echo(alice, 'hello', 'k-replay');
    const second = await echo(alice, 'hello', 'k-replay');
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(calls - before).toBe(1);
  });

  it('treats a body with its keys in another order as the same request', async () => {
    const before = calls;
    await echo(alice, 'x', 'k-order', { fail: false });
    const res = await app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: {
        ...alice.headers,
        'idempotency-key': 'k-order',
        'content-type': 'application/json',
      },
      payload: '{"fail":false,"text":"x"}',
    });
    expect(res.statusCode).toBe(201);
    expect(calls - before).toBe(1);
  });

  it('refuses the same key with a different body with 422 IDEMPOTENCY_KEY_REUSED', async () => {
    await echo(alice, 'one', 'k-reuse');
    const res = await echo(alice, 'two', 'k-reuse');
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      errors: [{ path: '/headers/idempotency-key' }],
    });
  });

  it('answers 409 to a duplicate while the first request is still running', async () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const first = echo(alice, 'slow', 'k-flight');
    // Let the first request take the key before the duplicate arrives.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const duplicate = await echo(alice, 'slow', 'k-flight');
    open();
    gate = undefined;
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('IDEMPOTENCY_IN_FLIGHT');
    expect((await first).statusCode).toBe(201);
  });

  it('keeps keys per user', async () => {
    const a = await echo(alice, 'same', 'k-user');
    const b = await echo(bob, 'same', 'k-user');
    expect(a.json().call).not.toBe(b.json().call);
  });

  it('replays a refusal too, but not a server error', async () => {
    const refused = await echo(alice, 'conflict', 'k-409');
    expect(refused.statusCode).toBe(409);
    const again = await echo(alice, 'conflict', 'k-409');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(refused.json());

    const before = calls;
    expect((await echo(alice, 'x', 'k-500', { fail: true })).statusCode).toBe(500);
    expect((await echo(alice, 'x', 'k-500', { fail: true })).statusCode).toBe(500);
    expect(calls - before).toBe(2);
  });

  it('runs every request without a key, and refuses a key over 100 characters', async () => {
    const before = calls;
    await echo(alice, 'free');
    await echo(alice, 'free');
    expect(calls - before).toBe(2);
    const long = await echo(alice, 'free', 'k'.repeat(101));
    expect(long.statusCode).toBe(400);
    expect(long.json().errors[0].path).toBe('/headers/idempotency-key');
  });

  it('forgets keys after 24 hours; the daily job deletes them', async () => {
    await echo(alice, 'old', 'k-ttl');
    // Age the key rather than the clock, so the session stays valid.
    const dayAgo = new Date(clock.now().getTime() - 24 * 3600_000 - 1000);
    const age = () =>
      database.db
        .updateTable('idempotencyKeys')
        .set({ createdAt: dayAgo })
        .where('key', '=', 'k-ttl')
        .execute();
    await age();
    const before = calls;
    expect((await echo(alice, 'new body', 'k-ttl')).statusCode).toBe(201);
    expect(calls - before).toBe(1);
    await age();
    expect(await pruneIdempotencyKeys(database.db, clock.now())).toBe(1);
    const left = await database.db
      .selectFrom('idempotencyKeys')
      .select('key')
      .where('key', '=', 'k-ttl')
      .execute();
    expect(left).toEqual([]);
  });
});
