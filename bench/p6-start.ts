import { mkdtemp, rm, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer, type BenchResult } from './lib.js';

/**
 * P6 start: cold start (a new data dir: initdb, migrations, reference data; the build is already
 * there) and warm start (the same data dir again), each to the first 200 from /api/health.
 */
export async function benchStart(port: number): Promise<BenchResult[]> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'jineng-bench-start-'));
  await chmod(dataDir, 0o755);
  const env = { JINENG_DATA_DIR: dataDir, JINENG_ADMIN_PASSWORD: 'Bench-Pass-2026!' };
  try {
    const cold = await startServer(env, port);
    await cold.stop();
    const warm = await startServer(env, port);
    await warm.stop();
    return [
      {
        id: 'P6',
        metric: 'cold start to /api/health',
        value: cold.ms,
        baseline: null,
        ratio: null,
        unit: 'ms',
      },
      {
        id: 'P6',
        metric: 'warm start to /api/health (goal ≤ 2000 ms)',
        value: warm.ms,
        baseline: 2000,
        ratio: warm.ms / 2000,
        unit: 'ms',
      },
    ];
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
