import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe('the connection pool', () => {
  it('survives a connection lost mid-transaction: the statement fails, the process does not', async () => {
    // A server shutting down (or a failover) ends a connection a transaction still holds. pg then
    // emits 'error' on that checked-out client; unheard, it would crash the process.
    const outcome = t.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
      const pid = rows[0]?.pid;
      await sql`SELECT pg_terminate_backend(${pid})`.execute(t.ownerDb);
      await sql`SELECT pg_sleep(0.2)`.execute(trx);
    });
    await expect(outcome).rejects.toThrow();
    // The pool replaces the lost connection.
    const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(t.db);
    expect(rows).toEqual([{ one: 1 }]);
  });
});
