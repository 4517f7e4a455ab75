import { buildApp, type AppInstance } from '../src/app.js';
import { fixedClock } from '../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestApp extends TestDatabase {
  app: AppInstance;
  clock: ReturnType<typeof fixedClock>;
  close(): Promise<void>;
}

/** The real application on a fresh database, for `app.inject` tests. */
export async function createTestApp(now = '2026-03-15T02:00:00Z'): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = fixedClock(now);
  const app = await buildApp({ db: database.db, clock, version: 'test' });
  await app.ready();
  return {
    ...database,
    app,
    clock,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
