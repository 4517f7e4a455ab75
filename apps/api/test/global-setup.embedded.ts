import { mkdtemp, rm, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/platform/embedded-postgres.js';
import { enableAppRole, prepareTemplate, withDatabase } from './cluster.js';
import { findPlaintextLeaks } from './pii-scan.js';

/** One embedded PostgreSQL for the whole run; each test file clones a migrated template. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jineng-test-'));
  // The postgres OS user (when tests run as root) must traverse into the data directory.
  await chmod(dir, 0o755);
  const cluster = await startEmbeddedPostgres({ dataDir: dir });
  const adminUrl = withDatabase(cluster.adminUrl(), 'postgres');
  const templateDb = 'jineng_template';
  await prepareTemplate(adminUrl, templateDb);
  const appUrl = await enableAppRole(adminUrl);
  project.provide('cluster', { adminUrl, appUrl, templateDb });
  return async () => {
    await cluster.stop();
    // R-PLT-5: after every test of the run, no fixture ID number, phone or password may sit in
    // plaintext in the database files (tables, indexes and WAL alike).
    const leaks = await findPlaintextLeaks([dir]);
    if (leaks.length > 0) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(
        `Personal data or credentials in plaintext in the database files:\n${leaks
          .map((l) => `  ${l.value} in ${path.relative(dir, l.file)}`)
          .join('\n')}`,
      );
    }
    await rm(dir, { recursive: true, force: true });
  };
}
