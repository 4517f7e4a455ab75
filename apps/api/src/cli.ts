import { Command } from 'commander';
import type { Kysely } from 'kysely';
import { ConfigError, loadConfig } from './platform/config.js';
import { createDb } from './platform/db.js';
import { EmbeddedPostgresError, startEmbeddedPostgres } from './platform/embedded-postgres.js';
import { createLogger } from './platform/logger.js';
import { migrateToLatest } from './platform/migrate.js';
import { VERSION } from './platform/version.js';
import { loadReferenceData } from './modules/reference/reference.loader.js';
import { startServer } from './server.js';

/** Errors an operator can act on are printed as one line, without a stack trace. */
function fail(error: unknown): never {
  if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) {
    process.stderr.write(`jineng: ${error.message}\n`);
  } else {
    process.stderr.write(
      `jineng: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
}

async function serve(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const started = performance.now();
  const server = await startServer(config, logger);
  logger.info(
    { url: `http://localhost:${config.port}`, startupMs: Math.round(performance.now() - started) },
    `Jineng is running on http://localhost:${config.port} (database: ${server.embedded ? 'embedded' : 'external'})`,
  );
  // embedded-postgres installs its own SIGINT/SIGTERM hook that stops the database at once; the
  // server must drain requests first, so it takes over the signals.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    server.close().then(
      () => {
        logger.info('stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Applies migrations and reference data: a deploy step for an external database. */
async function migrate(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  let url = config.migrationDatabaseUrl;
  const embedded = url ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir });
  url ??= embedded?.adminUrl();
  const db = createDb({ url: url as string, max: 2, applicationName: 'jineng-migrate' });
  try {
    const { applied } = await migrateToLatest(db as unknown as Kysely<unknown>);
    const reference = await loadReferenceData(db);
    logger.info(
      { applied, referenceLoaded: reference.loaded.map((r) => `${r.name} (${r.rows})`) },
      applied.length ? `applied ${applied.length} migration(s)` : 'schema is up to date',
    );
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}

const program = new Command()
  .name('jineng')
  .description('Jineng (技能): the everyone-holds-a-certificate skills programme platform')
  .version(VERSION);

program
  .command('serve', { isDefault: true })
  .description('start the web app and API (embedded PostgreSQL unless DATABASE_URL is set)')
  .action(() => serve().catch(fail));

program
  .command('migrate')
  .description(
    'apply database migrations and reference data (MIGRATION_DATABASE_URL or DATABASE_URL)',
  )
  .action(() => migrate().catch(fail));

await program.parseAsync(process.argv);
