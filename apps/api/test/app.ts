import { buildApp, type AppInstance } from '../src/app.js';
import { randomBytes } from 'node:crypto';
import { fixedClock } from '../src/platform/clock.js';
import { PiiCipher, PiiKeys } from '../src/platform/crypto/index.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestApp extends TestDatabase {
  app: AppInstance;
  clock: ReturnType<typeof fixedClock>;
  /** Moves the clock, keeping every test session alive (sessions idle out after 30 minutes). */
  moveClock(to: Date | string): Promise<void>;
  close(): Promise<void>;
}

/** The real application on a fresh database, for `app.inject` tests. */
export async function createTestApp(now = '2026-03-15T02:00:00Z'): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = fixedClock(now);
  const app = await buildApp({ db: database.db, clock, version: 'test', pii: testPiiCipher() });
  await app.ready();
  return {
    ...database,
    app,
    clock,
    async moveClock(to) {
      clock.set(to);
      const now = clock.now();
      await database.db
        .updateTable('sessions')
        .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + 12 * 3_600_000) })
        .execute();
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** A cipher with random keys held in memory, as each test file needs its own. */
export function testPiiCipher(): PiiCipher {
  return new PiiCipher(
    PiiKeys.of({
      current: { id: 'test', key: randomBytes(32) },
      index: randomBytes(32),
      source: 'memory',
    }),
  );
}
