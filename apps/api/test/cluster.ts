import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { migrateToLatest } from '../src/platform/migrate.js';
import { createDb } from '../src/platform/db.js';
import { loadReferenceData } from '../src/modules/reference/reference.loader.js';

/** What a global setup hands to test files through vitest's provide/inject. */
export interface ClusterInfo {
  /** Superuser URL with the database name replaced per use. */
  adminUrl: string;
  /** jineng_app URL (not a superuser), database name replaced per use. */
  appUrl: string;
  templateDb: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: ClusterInfo;
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Creates the migrated template every test database is cloned from. */
export async function prepareTemplate(adminUrl: string, templateDb: string): Promise<void> {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${templateDb} WITH (FORCE)`);
  await adminQuery(adminUrl, `CREATE DATABASE ${templateDb}`);
  const db = createDb({ url: withDatabase(adminUrl, templateDb), max: 2 });
  try {
    await migrateToLatest(db as unknown as Kysely<unknown>);
    await loadReferenceData(db);
  } finally {
    await db.destroy();
  }
}

/** Lets jineng_app log in with a random password for this test cluster; returns its URL. */
export async function enableAppRole(adminUrl: string): Promise<string> {
  const password = randomBytes(18).toString('base64url');
  await adminQuery(adminUrl, `ALTER ROLE jineng_app LOGIN PASSWORD '${password}'`);
  const u = new URL(adminUrl);
  u.username = 'jineng_app';
  u.password = password;
  return u.toString();
}
