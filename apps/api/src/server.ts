import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { buildApp, type AppInstance } from './app.js';
import { systemClock, type Clock } from './platform/clock.js';
import { assertSafeDatabaseUrl, type Config } from './platform/config.js';
import { createDb, type Db } from './platform/db.js';
import { startEmbeddedPostgres, type EmbeddedCluster } from './platform/embedded-postgres.js';
import { migrateToLatest } from './platform/migrate.js';
import { VERSION } from './platform/version.js';
import { PiiCipher, loadPiiKeys } from './platform/crypto/index.js';
import { keysDirOf, readOrCreateSecret } from './platform/keys.js';
import { pruneIdempotencyKeys } from './platform/idempotency.js';
import { pruneCompletedJobs, startJobRunner, type JobRunner } from './platform/jobs/index.js';
import { loadReferenceData } from './modules/reference/reference.loader.js';
import { bootstrapAdmin } from './modules/auth/auth.service.js';
import { auditJobs } from './modules/audit/index.js';
import { importJobs } from './modules/imports/imports.jobs.js';
import { voucherJobs } from './modules/vouchers/vouchers.jobs.js';
import { statisticsJobs } from './modules/statistics/statistics.jobs.js';
import { loadOrCreateCredentialKeys } from './modules/verification/verification.keys.js';

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export interface RunningServer {
  app: AppInstance;
  url: string;
  db: Db;
  embedded?: EmbeddedCluster;
  /** Stops accepting requests, drains, stops background jobs, closes the database. */
  close(): Promise<void>;
}

export interface DatabaseHandle {
  db: Db;
  embedded?: EmbeddedCluster;
  close(): Promise<void>;
}

/** Migrates and loads reference data as the schema owner, then lets go of that connection. */
export async function prepareDatabase(ownerUrl: string, logger: Logger): Promise<void> {
  const owner = createDb({ url: ownerUrl, max: 2, applicationName: 'jineng-migrate' });
  try {
    const { applied } = await migrateToLatest(owner as unknown as Kysely<unknown>);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    const report = await loadReferenceData(owner);
    if (report.loaded.length > 0) logger.info({ loaded: report.loaded }, 'reference data loaded');
  } finally {
    await owner.destroy();
  }
}

/**
 * The database the app uses: the embedded PostgreSQL (migrated and loaded at every start) unless
 * DATABASE_URL names another server.
 */
export async function openDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    assertSafeDatabaseUrl(config.databaseUrl, config.allowInsecureDb);
    if (config.migrateOnStart && config.migrationDatabaseUrl) {
      await prepareDatabase(config.migrationDatabaseUrl, logger);
    }
    const db = createDb({ url: config.databaseUrl });
    return { db, close: () => db.destroy() };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    onLog: (line) => logger.debug({ postgres: line.trim() }, 'postgres'),
  });
  try {
    await prepareDatabase(embedded.adminUrl(), logger);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  const db = createDb({ url: embedded.appUrl() });
  return {
    db,
    embedded,
    async close() {
      await db.destroy();
      await embedded.stop();
    },
  };
}

/** Completed jobs are kept this long for operators, then pruned nightly. */
const KEEP_COMPLETED_JOBS_DAYS = 90;

/** Background work of the platform itself; modules add their handlers and schedules here. */
function platformJobs(db: Db, clock: Clock) {
  return {
    handlers: {
      'platform.prune-jobs': async () => ({
        deleted: await pruneCompletedJobs(db, KEEP_COMPLETED_JOBS_DAYS),
      }),
      'platform.prune-idempotency-keys': async () => ({
        deleted: await pruneIdempotencyKeys(db, clock.now()),
      }),
    },
    schedules: [
      { name: 'prune-jobs', cron: '30 3 * * *', jobName: 'platform.prune-jobs', payload: {} },
      {
        name: 'prune-idempotency-keys',
        cron: '40 3 * * *',
        jobName: 'platform.prune-idempotency-keys',
        payload: {},
      },
    ],
  };
}

export async function startServer(
  config: Config,
  logger: Logger,
  options: { clock?: Clock; webDir?: string } = {},
): Promise<RunningServer> {
  // Keys first: a bad key configuration should stop the start before the database is touched.
  const pii = new PiiCipher(
    await loadPiiKeys({ env: process.env, keysDir: keysDirOf(config.dataDir) }),
  );
  // Signs the rotating session check-in QR; shared by every process on this data directory.
  const attendanceQrKey = await readOrCreateSecret(keysDirOf(config.dataDir), 'attendance-qr.key');
  // Signs the holder's voucher QR (60 s) that an institution scans to bind it.
  const voucherQrKey = await readOrCreateSecret(keysDirOf(config.dataDir), 'voucher-qr.key');
  // Signs certificates' verifiable credentials and the revocation status list (Ed25519).
  const credentialKeys = await loadOrCreateCredentialKeys(config.dataDir);
  const database = await openDatabase(config, logger);
  const clock = options.clock ?? systemClock;
  let app: AppInstance | undefined;
  let jobs: JobRunner | undefined;
  try {
    const admin = await bootstrapAdmin(database.db, clock, {
      password: config.adminPassword,
      policy: config.passwordPolicy,
    });
    if (admin.created && admin.generatedPassword) {
      // Printed once to the terminal, never to the log: it must be changed at first login.
      process.stdout.write(
        `\n  First start: log in as "admin" with the password  ${admin.generatedPassword}\n` +
          '  (shown only now; you will be asked to change it)\n\n',
      );
    }
    app = await buildApp(
      {
        db: database.db,
        clock,
        version: VERSION,
        webDir: options.webDir ?? WEB_DIR,
        passwordPolicy: config.passwordPolicy,
        trustProxy: config.trustProxy,
        pii,
        attendanceQrKey,
        voucherQrKey,
        publicUrl: config.publicUrl,
        credentialKeys,
        verifyRateLimit: { max: config.verifyRateLimit, allow: config.verifyRateLimitAllow },
      },
      { logger },
    );
    await app.listen({ port: config.port, host: config.host });
    if (config.runJobs) {
      // Shutdown (cli.ts) allows 15 s in all; running jobs get 10 of them to finish.
      const platform = platformJobs(database.db, clock);
      const audit = auditJobs({ db: database.db, dataDir: config.dataDir, logger, clock });
      const imports = importJobs({ db: database.db, clock });
      const vouchers = voucherJobs({ db: database.db, clock });
      const statistics = statisticsJobs({ db: database.db, clock });
      jobs = await startJobRunner({
        db: database.db,
        clock,
        logger,
        stopTimeoutMs: 10_000,
        handlers: {
          ...platform.handlers,
          ...audit.handlers,
          ...imports.handlers,
          ...vouchers.handlers,
          ...statistics.handlers,
        },
        schedules: [
          ...platform.schedules,
          ...audit.schedules,
          ...imports.schedules,
          ...vouchers.schedules,
          ...statistics.schedules,
        ],
      });
    }
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.close();
    throw error;
  }
  const running = app;
  const address = running.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let closing: Promise<void> | undefined;
  return {
    app: running,
    db: database.db,
    embedded: database.embedded,
    url: `http://127.0.0.1:${port}`,
    close() {
      closing ??= (async () => {
        await Promise.all([running.close(), jobs?.stop()]);
        await database.close();
      })();
      return closing;
    },
  };
}
