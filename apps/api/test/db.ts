import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDb, type Db } from '../src/platform/db.js';
import { adminQuery, withDatabase } from './cluster.js';

export interface TestDatabase {
  /** The app's connection, as jineng_app: grants apply as in production. */
  db: Db;
  /** The owner's connection, for arranging what the app itself may not write. */
  ownerDb: Db;
  appUrl: string;
  ownerUrl: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template (reference data included). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { adminUrl, appUrl, templateDb } = inject('cluster');
  const name = `jineng_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${templateDb}`);
  const dbAppUrl = withDatabase(appUrl, name);
  const ownerUrl = withDatabase(adminUrl, name);
  const db = createDb({ url: dbAppUrl, max: 5 });
  const ownerDb = createDb({ url: ownerUrl, max: 2 });
  return {
    db,
    ownerDb,
    appUrl: dbAppUrl,
    ownerUrl,
    name,
    async drop() {
      await db.destroy();
      await ownerDb.destroy();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
