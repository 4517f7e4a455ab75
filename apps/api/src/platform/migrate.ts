import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** apps/api/migrations, found from both src/ (tests) and dist/ (the built server). */
export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../migrations',
);

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

/**
 * Reads numbered, forward-only `.sql` files. Each file runs as one multi-statement query inside
 * the migrator's transaction, so a failing file leaves nothing behind.
 */
export class SqlFileMigrationProvider implements MigrationProvider {
  constructor(private readonly dir: string = MIGRATIONS_DIR) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.dir)).filter((f) => f.endsWith('.sql')).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      if (!MIGRATION_FILE.test(file)) {
        throw new Error(`Migration file name "${file}" must look like 0001_verb_noun.sql`);
      }
      const text = await readFile(path.join(this.dir, file), 'utf8');
      migrations[file.replace(/\.sql$/, '')] = {
        // With no parameters pg uses the simple query protocol, which runs every statement.
        up: async (db) => {
          await sql.raw(text).execute(db);
        },
      };
    }
    return migrations;
  }
}

export interface MigrationReport {
  applied: string[];
}

/** Brings the schema to the latest migration; throws with the failing file's name. */
export async function migrateToLatest(db: Kysely<unknown>, dir?: string): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: new SqlFileMigrationProvider(dir) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const where = failed ? ` in ${failed.migrationName}.sql` : '';
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration failed${where}: ${message}`, { cause: error });
  }
  return { applied: (results ?? []).map((r) => r.migrationName) };
}
