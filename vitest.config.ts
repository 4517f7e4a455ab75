import { defineConfig } from 'vitest/config';

// Four tiers: pure unit tests; integration tests on a real PostgreSQL (the embedded one, and
// again on JINENG_TEST_DATABASE_URL when set); and browser end-to-end tests against the real
// server. The database is never mocked.
const integrationInclude = ['apps/api/src/**/*.test.ts', 'apps/api/test/**/*.test.ts'];
const unitInclude = [
  'apps/api/src/**/*.rules.test.ts',
  'apps/api/src/**/*.unit.test.ts',
  'bench/**/*.unit.test.ts',
];
const external = process.env.JINENG_TEST_DATABASE_URL;

export default defineConfig({
  test: {
    env: { TZ: 'UTC' },
    projects: [
      {
        test: {
          name: 'unit',
          include: [...unitInclude, 'apps/web/src/**/*.test.{ts,tsx}'],
          env: { TZ: 'UTC' },
        },
      },
      {
        test: {
          name: 'integration',
          include: integrationInclude,
          exclude: unitInclude,
          globalSetup: ['apps/api/test/global-setup.embedded.ts'],
          env: { TZ: 'UTC' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(external
        ? [
            {
              test: {
                name: 'integration-external',
                include: integrationInclude,
                exclude: [...unitInclude, 'apps/api/test/embedded-*.test.ts'],
                globalSetup: ['apps/api/test/global-setup.external.ts'],
                env: { TZ: 'UTC' },
                testTimeout: 30_000,
                hookTimeout: 60_000,
              },
            },
          ]
        : []),
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          globalSetup: ['e2e/global-setup.ts'],
          env: { TZ: 'UTC' },
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
