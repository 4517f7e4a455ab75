import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../apps/api/src/platform/config.js';
import pino from 'pino';
import { loggerOptions } from '../apps/api/src/platform/logger.js';
import { findPlaintextLeaks } from '../apps/api/test/pii-scan.js';
import { e2eRequired, hasChromium } from './browser.js';
import { startServer } from '../apps/api/src/server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The first administrator `admin` logs in with this in the browser tests. */
export const E2E_ADMIN_PASSWORD = 'E2e-Root-Pass-2026!';

/**
 * Builds the web app, then starts the real server (embedded PostgreSQL, reference data, the
 * built SPA) on a free port for the browser tests.
 */
export default async function setup(project: TestProject) {
  if (!hasChromium && !e2eRequired) {
    project.provide('baseUrl', '');
    return;
  }
  const webDir = path.join(root, 'apps/web');
  const build = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    { cwd: webDir, stdio: 'inherit' },
  );
  if (build.status !== 0) throw new Error('vite build failed');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'jineng-e2e-'));
  await chmod(dataDir, 0o755);
  const config = loadConfig({
    JINENG_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    JINENG_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
  });
  // Logs go to a file so that the scan below can prove no credential or personal data is logged.
  const logFile = path.join(dataDir, 'server.log');
  const logger = pino(
    { ...loggerOptions('info') },
    pino.destination({ dest: logFile, sync: true }),
  );
  const server = await startServer(config, logger, {
    webDir: path.join(webDir, 'dist'),
  });
  project.provide('baseUrl', server.url);
  return async () => {
    await server.close();
    const leaks = await findPlaintextLeaks([dataDir]);
    if (leaks.length > 0) {
      throw new Error(
        `Personal data or credentials in plaintext after the browser tests:\n${leaks
          .map((l) => `  ${l.value} in ${path.relative(dataDir, l.file)}`)
          .join('\n')}`,
      );
    }
    await rm(dataDir, { recursive: true, force: true });
  };
}
