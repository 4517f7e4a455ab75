import { Command, Option } from 'commander';
import type { Logger } from 'pino';
import { systemClock } from './platform/clock.js';
import { ConfigError, assertSafeDatabaseUrl, loadConfig, type Config } from './platform/config.js';
import { createDb, type Db } from './platform/db.js';
import { EmbeddedPostgresError, attachOrStartEmbedded } from './platform/embedded-postgres.js';
import { DomainError } from './platform/errors.js';
import { createLogger } from './platform/logger.js';
import { ROLES, type Role } from './platform/auth/roles.js';
import { VERSION } from './platform/version.js';
import { createUser } from './modules/users/users.service.js';
import { runAuditVerifyCommand } from './modules/audit/audit.verify.js';
import { runImportCommand } from './modules/imports/imports.cli.js';
import { PiiCipher, loadPiiKeys } from './platform/crypto/index.js';
import { keysDirOf } from './platform/keys.js';
import { prepareDatabase, startServer } from './server.js';
import { rebuildStatistics } from './modules/statistics/statistics.rollup.js';

/** Errors an operator can act on are printed as one line, without a stack trace. */
function fail(error: unknown): never {
  if (
    error instanceof ConfigError ||
    error instanceof EmbeddedPostgresError ||
    error instanceof DomainError
  ) {
    process.stderr.write(`jineng: ${error.message}\n`);
  } else {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`jineng: ${text}\n`);
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

interface CommandDatabase {
  config: Config;
  logger: Logger;
  ownerUrl: string;
  appUrl: string;
}

/**
 * The database a one-off command works on: `MIGRATION_DATABASE_URL` / `DATABASE_URL`, else the
 * embedded cluster — the one a running server holds, or one started just for this command.
 */
async function withCommandDatabase<T>(fn: (database: CommandDatabase) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (config.databaseUrl || config.migrationDatabaseUrl) {
    const ownerUrl = config.migrationDatabaseUrl ?? config.databaseUrl ?? '';
    const appUrl = config.databaseUrl ?? ownerUrl;
    assertSafeDatabaseUrl(ownerUrl, config.allowInsecureDb);
    return fn({ config, logger, ownerUrl, appUrl });
  }
  const cluster = await attachOrStartEmbedded({ dataDir: config.dataDir });
  try {
    return await fn({ config, logger, ownerUrl: cluster.adminUrl(), appUrl: cluster.appUrl() });
  } finally {
    await cluster.stop();
  }
}

async function withDb<T>(url: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb({ url, max: 2, applicationName: 'jineng-cli' });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
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
  .action(() =>
    withCommandDatabase(({ ownerUrl, logger }) => prepareDatabase(ownerUrl, logger)).catch(fail),
  );

program
  .command('create-user')
  .description('create an account; prints its initial password once (changed at first login)')
  .requiredOption('-u, --username <username>', 'login name')
  .requiredOption('-n, --display-name <name>', 'name shown in the app')
  .addOption(new Option('-r, --role <role>', 'role').choices(ROLES).makeOptionMandatory())
  .option('--region <code>', 'county-level region code (county_admin)')
  .option('--unit <id>', 'responsible unit id, e.g. A2-07 (unit_officer)')
  .option('--organisation <uuid>', 'organisation id (institution, employer, agency staff)')
  .option('--person <uuid>', 'person id (worker)')
  .action(
    (options: {
      username: string;
      displayName: string;
      role: Role;
      region?: string;
      unit?: string;
      organisation?: string;
      person?: string;
    }) =>
      withCommandDatabase(async ({ ownerUrl, appUrl, logger }) => {
        await prepareDatabase(ownerUrl, logger);
        const { user, initialPassword } = await withDb(appUrl, (db) =>
          createUser(
            db,
            systemClock,
            null,
            {
              username: options.username,
              displayName: options.displayName,
              role: options.role,
              regionCode: options.region,
              unitId: options.unit,
              organisationId: options.organisation,
              personId: options.person,
            },
            { requestId: 'cli', ip: null, userAgent: 'jineng create-user' },
          ),
        );
        process.stdout.write(
          `Created ${user.role} "${user.username}". Initial password (shown once): ${initialPassword}\n`,
        );
      }).catch(fail),
  );

const audit = program.command('audit').description('the tamper-evident audit trail');
audit
  .command('verify')
  .description('recompute the audit chain and check the signed daily anchors; exit 1 if tampered')
  .action(() =>
    withCommandDatabase(({ ownerUrl, config }) =>
      runAuditVerifyCommand({ databaseUrl: ownerUrl, dataDir: config.dataDir }),
    ).then((code) => process.exit(code), fail),
  );

program
  .command('statistics')
  .description('the counts behind targets, progress and reports')
  .command('rebuild')
  .description('recompute every count from the facts (after a bulk load or a restore)')
  .action(() =>
    withCommandDatabase(async ({ ownerUrl, logger }) => {
      await prepareDatabase(ownerUrl, logger);
      const started = Date.now();
      await withDb(ownerUrl, (db) => rebuildStatistics(db));
      process.stdout.write(`Statistics rebuilt in ${Date.now() - started} ms\n`);
    }).catch(fail),
  );

const importer = program
  .command('import')
  .description('bulk-import a roster (.xlsx or .csv) with a row-by-row report');
for (const kind of ['persons', 'organisations'] as const) {
  importer
    .command(`${kind} <file>`)
    .description(
      `import ${kind}; exit 0 when every row is in, 2 when some rows were rejected, 1 on failure`,
    )
    .option('--dry-run', 'validate and report only; change nothing')
    .option('--overwrite', 'let the file change names and other recorded fields')
    .option('--as <username>', 'import as this account (its scope), instead of the system')
    .option('--failed-rows <path>', 'also write the failed-rows workbook (full ID numbers) here')
    .option('--json', 'print the report as JSON')
    .action(
      (
        file: string,
        options: {
          dryRun?: boolean;
          overwrite?: boolean;
          as?: string;
          failedRows?: string;
          json?: boolean;
        },
      ) =>
        withCommandDatabase(async ({ ownerUrl, appUrl, logger, config }) => {
          await prepareDatabase(ownerUrl, logger);
          const pii = new PiiCipher(
            await loadPiiKeys({ env: process.env, keysDir: keysDirOf(config.dataDir) }),
          );
          return withDb(appUrl, (db) =>
            runImportCommand(
              { db, pii, clock: systemClock },
              {
                kind,
                file,
                dryRun: options.dryRun ?? false,
                overwrite: options.overwrite ?? false,
                as: options.as,
                failedRows: options.failedRows,
                json: options.json ?? false,
                stdout: process.stdout,
                stderr: process.stderr,
              },
            ),
          );
        }).then((code) => process.exit(code), fail),
    );
}

await program.parseAsync(process.argv);
