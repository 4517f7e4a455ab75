import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { DbOrTrx } from '../../platform/db.js';
import type { Scope } from '../../platform/auth/roles.js';
import type { KeyGroupRecord, RegionRecord } from './imports.rows.js';
import type { ImportFailedFilesTable, ImportRunsTable } from './imports.schema.js';

export type ImportRunRow = Selectable<ImportRunsTable>;

export async function insertRun(db: DbOrTrx, run: Insertable<ImportRunsTable>): Promise<void> {
  await db.insertInto('importRuns').values(run).execute();
}

export async function updateRun(
  db: DbOrTrx,
  id: string,
  changes: Updateable<ImportRunsTable>,
): Promise<void> {
  await db.updateTable('importRuns').set(changes).where('id', '=', id).execute();
}

/**
 * A run as a scope sees it: the city sees every run; anyone else the runs made in exactly their
 * scope (a county administrator their county's, a unit officer their unit's).
 */
export async function findRun(
  db: DbOrTrx,
  scope: Scope,
  id: string,
): Promise<ImportRunRow | undefined> {
  let query = db.selectFrom('importRuns').selectAll().where('id', '=', id);
  const key = scopeKey(scope);
  if (key.scopeKind !== 'city') {
    query = query.where('scopeKind', '=', key.scopeKind).where('scopeId', '=', key.scopeId);
  }
  return query.executeTakeFirst();
}

/** How a scope is stored on a run; a worker never imports, so it has no key. */
export function scopeKey(scope: Scope): {
  scopeKind: ImportRunsTable['scopeKind'];
  scopeId: string | null;
} {
  switch (scope.kind) {
    case 'city':
      return { scopeKind: 'city', scopeId: null };
    case 'region':
      return { scopeKind: 'region', scopeId: scope.regionCode };
    case 'unit':
      return { scopeKind: 'unit', scopeId: scope.unitId };
    case 'organisation':
      return { scopeKind: 'organisation', scopeId: scope.organisationId };
    case 'person':
      throw new Error('A worker account has no import scope');
  }
}

export async function insertFailedFile(
  db: DbOrTrx,
  file: Insertable<ImportFailedFilesTable>,
): Promise<void> {
  await db.insertInto('importFailedFiles').values(file).execute();
}

export async function findFailedFileMeta(db: DbOrTrx, runId: string) {
  return db
    .selectFrom('importFailedFiles')
    .select(['sizeBytes', 'rowCount', 'createdAt', 'expiresAt'])
    .where('importRunId', '=', runId)
    .executeTakeFirst();
}

export async function findFailedFile(db: DbOrTrx, runId: string) {
  return db
    .selectFrom('importFailedFiles')
    .selectAll()
    .where('importRunId', '=', runId)
    .executeTakeFirst();
}

/** Deletes failed-rows files that expired at or before `now`; returns how many. */
export async function deleteExpiredFailedFiles(db: DbOrTrx, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('importFailedFiles')
    .where('expiresAt', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Marks runs still `running` after `before` as failed: their process died mid-import, and their
 * transaction, never committed, left nothing behind but this row.
 */
export async function failAbandonedRuns(db: DbOrTrx, before: Date, now: Date): Promise<number> {
  const result = await db
    .updateTable('importRuns')
    .set({ status: 'failed', errorCode: 'INTERRUPTED', finishedAt: now })
    .where('status', '=', 'running')
    .where('createdAt', '<', before)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * The regions an import can name: Henan's province, prefectures and counties (people from other
 * Henan cities live and work in Shangqiu) and Shangqiu's townships and local units. ~200 rows.
 */
export async function loadRegions(db: DbOrTrx, homePrefecture: string): Promise<RegionRecord[]> {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parentCode'])
    .where((eb) =>
      eb.or([
        eb('level', '<=', 3),
        eb.and([eb('level', '=', 4), eb('code', 'like', `${homePrefecture.slice(0, 4)}%`)]),
      ]),
    )
    .orderBy('level')
    .orderBy('code')
    .execute();
}

export async function loadKeyGroups(db: DbOrTrx): Promise<KeyGroupRecord[]> {
  return db
    .selectFrom('keyGroups')
    .select(['code', 'name', 'aliases'])
    .orderBy('sortOrder')
    .execute();
}

/** Takes a transaction-scoped advisory lock, so two imports of one scope run one at a time. */
export async function lockImportScope(db: DbOrTrx, key: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`import:${key}`}))`.execute(db);
}

/** The GB/T 2260 history the ID-number rules check address codes against. */
export async function loadAddressHistory(db: DbOrTrx) {
  const [periods, statisticsOnly] = await Promise.all([
    db.selectFrom('addressCodes').select(['code', 'sinceYear', 'untilYear']).execute(),
    db.selectFrom('regions').select('code').where('statisticsOnly', '=', true).execute(),
  ]);
  return { periods, statisticsOnly: statisticsOnly.map((r) => r.code) };
}
