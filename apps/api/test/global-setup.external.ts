import type { TestProject } from 'vitest/node';
import { adminQuery, enableAppRole, prepareTemplate, withDatabase } from './cluster.js';

/**
 * The same integration tests against an external PostgreSQL (JINENG_TEST_DATABASE_URL, a
 * superuser on a throwaway cluster, as CI's Debian PostgreSQL): proves the schema and queries work
 * on the oldest server we support, not only on the embedded 17.
 */
export default async function setup(project: TestProject) {
  const url = process.env.JINENG_TEST_DATABASE_URL;
  if (!url) throw new Error('JINENG_TEST_DATABASE_URL is not set');
  const adminUrl = withDatabase(url, 'postgres');
  const templateDb = `jineng_template_ext_${process.pid}`;
  await prepareTemplate(adminUrl, templateDb);
  const appUrl = await enableAppRole(adminUrl);
  project.provide('cluster', { adminUrl, appUrl, templateDb });
  return async () => {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${templateDb} WITH (FORCE)`);
  };
}
