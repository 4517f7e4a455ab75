import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../apps/api/src/platform/config.js';
import { createLogger } from '../apps/api/src/platform/logger.js';
import { startServer } from '../apps/api/src/server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Builds the web app, then starts the real server (embedded PostgreSQL, reference data, the
 * built SPA) on a free port for the browser tests.
 */
export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM) && process.env.JINENG_E2E !== 'required') {
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
  const config = loadConfig({ JINENG_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
  const server = await startServer(config, createLogger('warn'), {
    webDir: path.join(webDir, 'dist'),
  });
  project.provide('baseUrl', server.url);
  return async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  };
}
