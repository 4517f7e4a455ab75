import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.js';
import { EmbeddedPostgresError } from '../src/platform/embedded-postgres.js';
import { createLogger } from '../src/platform/logger.js';
import { enqueue } from '../src/platform/jobs/index.js';
import { startServer } from '../src/server.js';

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let dataDir: string;

/** Runs the real command line (from source) on this file's data dir. */
function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: apiDir,
      env: { ...process.env, JINENG_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}
const logger = createLogger('silent');
const configFor = (dir: string) =>
  loadConfig({ JINENG_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', JINENG_JOBS: '0' });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'jineng-embedded-'));
  await chmod(dataDir, 0o755);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the embedded database', () => {
  it('starts on a fresh data dir, loads the reference data and serves the API', async () => {
    const server = await startServer(configFor(dataDir), logger);
    try {
      const health = await fetch(`${server.url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', database: { status: 'up' } });
      const units = (await (await fetch(`${server.url}/api/units`)).json()) as { items: unknown[] };
      expect(units.items).toHaveLength(38);

      // The app runs as jineng_app, which is not a superuser.
      const { rows } = await sql<{
        user: string;
        super: boolean;
      }>`SELECT current_user AS user, rolsuper AS super FROM pg_roles WHERE rolname = current_user`.execute(
        server.db,
      );
      expect(rows[0]).toEqual({ user: 'jineng_app', super: false });
    } finally {
      await server.close();
    }
  });

  it('starts in a data directory that does not exist yet, as on a fresh clone', async () => {
    const fresh = path.join(dataDir, 'nested', 'data');
    const server = await startServer(configFor(fresh), logger);
    try {
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      expect((await stat(path.join(dataDir, 'nested'))).mode & 0o777).toBe(0o755);
    } finally {
      await server.close();
    }
  });

  it('keeps a random superuser password in 0600 files under keys/, never the default', async () => {
    const keys = path.join(dataDir, 'keys');
    expect((await stat(keys)).mode & 0o777).toBe(0o700);
    const file = path.join(keys, 'pg-superuser-password');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const password = (await readFile(file, 'utf8')).trim();
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(password).not.toBe('password');
  });

  it('listens on 127.0.0.1 only and demands scram-sha-256', async () => {
    const server = await startServer(configFor(dataDir), logger);
    try {
      const port = server.embedded?.port;
      const password = (
        await readFile(path.join(dataDir, 'keys/pg-superuser-password'), 'utf8')
      ).trim();
      const client = new pg.Client({
        host: '127.0.0.1',
        port,
        user: 'jineng_owner',
        password,
        database: 'jineng',
      });
      await client.connect();
      try {
        const listen = await client.query('SHOW listen_addresses');
        expect(listen.rows[0].listen_addresses).toBe('127.0.0.1');
        const hba = await client.query(
          "SELECT DISTINCT auth_method FROM pg_hba_file_rules WHERE type <> 'local'",
        );
        expect(hba.rows.map((r) => r.auth_method)).toEqual(['scram-sha-256']);
        expect((await client.query('SHOW fsync')).rows[0].fsync).toBe('on');
      } finally {
        await client.end();
      }
      const wrong = new pg.Client({
        host: '127.0.0.1',
        port,
        user: 'jineng_owner',
        password: 'password',
        database: 'jineng',
      });
      await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
    } finally {
      await server.close();
    }
  });

  it('refuses a second server on the same data dir with a clear message', async () => {
    const first = await startServer(configFor(dataDir), logger);
    try {
      const second = startServer(configFor(dataDir), logger);
      await expect(second).rejects.toThrow(EmbeddedPostgresError);
      await expect(second).rejects.toThrow(/already in use by another Jineng/);
      // The first one is unharmed.
      expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
    } finally {
      await first.close();
    }
  });

  it('keeps data across restarts and loads the reference data only once', async () => {
    const server = await startServer(configFor(dataDir), logger);
    try {
      const datasets = await server.db
        .selectFrom('referenceDatasets')
        .select(['name', 'loadedAt'])
        .execute();
      expect(datasets).toHaveLength(8);
      const loadedAt = datasets.map((d) => d.loadedAt.getTime());
      // Loaded at the first start of this file's data dir, not again now.
      expect(Math.max(...loadedAt)).toBeLessThan(Date.now() - 50);
    } finally {
      await server.close();
    }
  });

  it('runs background jobs: registers the nightly prune and runs a queued job', async () => {
    const config = { ...configFor(dataDir), runJobs: true };
    const server = await startServer(config, logger);
    try {
      const schedule = await server.db
        .selectFrom('jobSchedules')
        .select(['cron', 'jobName'])
        .where('name', '=', 'prune-jobs')
        .executeTakeFirst();
      expect(schedule).toEqual({ cron: '30 3 * * *', jobName: 'platform.prune-jobs' });
      const id = await enqueue(server.db, 'platform.prune-jobs', {});
      let row = await server.db
        .selectFrom('jobs')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const deadline = Date.now() + 20_000;
      while (row.state !== 'completed' && row.state !== 'failed' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        row = await server.db
          .selectFrom('jobs')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
      }
      expect(row.state).toBe('completed');
      expect(row.result).toEqual({ deleted: 0 });
    } finally {
      await server.close();
    }
  });

  it('lets the CLI create a user and verify the audit trail beside a running server', async () => {
    const server = await startServer({ ...configFor(dataDir), runJobs: true }, logger);
    try {
      const created = await runCli([
        'create-user',
        '-u',
        'zhang.san',
        '-n',
        '张三',
        '-r',
        'county_admin',
        '--region',
        '411403',
      ]);
      expect(created.code).toBe(0);
      const password = /Initial password \(shown once\): (\S+)/.exec(created.output)?.[1];
      expect(password).toBeDefined();
      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'zhang.san', password }),
      });
      expect(login.status).toBe(200);
      expect(await login.json()).toMatchObject({
        user: { role: 'county_admin', mustChangePassword: true },
      });

      const verified = await runCli(['audit', 'verify']);
      expect(verified.output).toMatch(/audit trail (OK|intact)/i);
      expect(verified.code).toBe(0);

      const bad = await runCli(['create-user', '-u', 'x', '-n', 'x', '-r', 'nobody']);
      expect(bad.code).not.toBe(0);
      expect(bad.output).toContain('nobody');
    } finally {
      await server.close();
    }
  });

  it('keeps a failing exit code: embedded-postgres must not turn it into success', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        "await import('./src/platform/embedded-postgres.ts'); process.exitCode = 3;",
      ],
      { cwd: apiDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(3);
  });

  it('stops PostgreSQL cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
      cwd: apiDir,
      env: {
        ...process.env,
        JINENG_DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        JINENG_JOBS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (
      !output.includes('Jineng is running') &&
      Date.now() < deadline &&
      child.exitCode === null
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(output).toContain('Jineng is running');
    expect(existsSync(path.join(dataDir, 'pg/postmaster.pid'))).toBe(true);
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped cleanly');
    expect(existsSync(path.join(dataDir, 'pg/postmaster.pid'))).toBe(false);
  });
});
