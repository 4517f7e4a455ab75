import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { attachToRunningEmbedded } from '../apps/api/src/platform/embedded-postgres.js';
import { ROOT, benchOutputErrors, machine, startServer, table, type BenchResult } from './lib.js';
import { generateCity, progressBar, rebuildStatisticsAt } from './city.js';
import { benchImport } from './p1-import.js';
import { benchLoop } from './p2-loop.js';
import { benchVerify } from './p3-verify.js';
import { benchDashboard, checkProgressAgainstFacts } from './p4-dashboard.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * `npm run bench [-- --scale N]`: what users feel, as ratios to a baseline measured in the same
 * run on the same machine. Writes bench/results/latest.json and prints a table.
 */
const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '100000' },
    port: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    // A data directory to build the city in and keep (a 10 M city is built once, resumed after an
    // interruption, and benched again); by default a temporary one, removed at the end.
    'data-dir': { type: 'string' },
    // Which scenarios to run after loading the city (P5): e.g. P3,P4 for the 10 M check.
    scenarios: { type: 'string', default: 'P1,P2,P3,P4,P6' },
  },
});
const scenarios = new Set(values.scenarios.split(',').map((s) => s.trim().toUpperCase()));
for (const id of scenarios) {
  if (!['P1', 'P2', 'P3', 'P4', 'P6'].includes(id)) throw new Error(`unknown scenario ${id}`);
}
const scale = Number(values.scale);
if (!Number.isInteger(scale) || scale < 1) throw new Error('--scale must be a positive integer');
// Port 0: a free port, so a bench never talks to some other server left on a fixed one.
const port = Number(values.port) || (await freePort());

/** Builds what is stale, so start-up figures measure starting, not compiling. */
function build(): void {
  spawnSync(process.execPath, [path.join(ROOT, 'apps/api/bin/jineng.mjs'), 'serve', '--help'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
build();

const workDir = await mkdtemp(path.join(os.tmpdir(), 'jineng-bench-'));
await chmod(workDir, 0o755);
const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : path.join(workDir, 'data');
// A kept data directory may hold a database already: its first start is then not a cold one.
const freshDataDir = !existsSync(dataDir);
// P2 simulates many clients through X-Forwarded-For, as a reverse proxy would send them.
const env = {
  JINENG_DATA_DIR: dataDir,
  JINENG_ADMIN_PASSWORD: 'Bench-Pass-2026!',
  JINENG_TRUST_PROXY: '1',
  // P3 loads the public verify endpoint from this machine: exempt it from the per-client limit.
  JINENG_VERIFY_RATE_LIMIT_ALLOW: '127.0.0.1',
};
const results: BenchResult[] = [];
let running: Awaited<ReturnType<typeof startServer>> | undefined;
try {
  const cold = await startServer(env, port);
  running = cold;
  const cluster = await attachToRunningEmbedded(dataDir);
  if (!cluster) throw new Error('the server is running but its database was not found');
  let rebuildMs = 0;
  process.stderr.write(`P5: generating the synthetic city of ${scale} persons…\n`);
  const city = await generateCity({
    adminUrl: cluster.adminUrl(),
    dataDir,
    scale,
    seed: Number(values.seed),
    onProgress: progressBar('P5 city'),
    afterLoad: async (adminUrl) => {
      const started = Date.now();
      await rebuildStatisticsAt(adminUrl);
      rebuildMs = Date.now() - started;
    },
  });
  results.push(
    {
      id: 'P5',
      metric: `synthetic city load (rows/s, COPY): ${city.rows} rows for ${scale} persons`,
      value: city.rows / Math.max(0.001, city.loadSeconds),
      baseline: null,
      ratio: null,
      unit: 'rows/s',
    },
    {
      id: 'P5',
      metric: `database size after loading the city of ${scale} persons (pg_database_size)`,
      value: city.databaseBytes / 1024 ** 2,
      baseline: null,
      ratio: null,
      unit: 'MiB',
    },
  );
  results.push({
    id: 'P5',
    metric: 'statistics rebuilt from the facts after the load (jineng statistics rebuild)',
    value: rebuildMs,
    baseline: null,
    ratio: null,
    unit: 'ms',
  });
  if (scenarios.has('P4')) {
    process.stderr.write('P4: the all-units progress query vs the naive grouping over facts…\n');
    results.push(...(await benchDashboard({ port, adminUrl: cluster.adminUrl() })));
  }
  if (scenarios.has('P1')) {
    process.stderr.write(`P1: importing ${scale} rows…\n`);
    results.push(...(await benchImport({ scale, dataDir, workDir, adminUrl: cluster.adminUrl() })));
  }
  const verify: BenchResult[] = [];
  const seconds = scale >= 100_000 ? 10 : 3;
  const runVerify = async () => {
    process.stderr.write('P3: public certificate verification vs hello-world…\n');
    verify.push(...(await benchVerify({ port, adminUrl: cluster.adminUrl(), seconds })));
  };
  if (scenarios.has('P2')) {
    process.stderr.write('P2: the full voucher loop per person, API vs bare SQL…\n');
    // P3 runs while P2's trainees sit their minute in class (no P2 request in flight then).
    const loop = await benchLoop({
      scale,
      port,
      dataDir,
      adminUrl: cluster.adminUrl(),
      whileTraining: scenarios.has('P3') ? runVerify : async () => {},
    });
    results.push(...loop);
  } else if (scenarios.has('P3')) {
    await runVerify();
  }
  results.push(...verify);
  if (scenarios.has('P2') && scenarios.has('P4')) {
    // P2 wrote this year's certificates through the API: the folded figures must match the facts.
    const year = Number(
      new Date().toLocaleString('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }),
    );
    await checkProgressAgainstFacts({ port, adminUrl: cluster.adminUrl(), year });
    process.stderr.write(`P4: ${year}'s figures after P2 match the facts\n`);
  }
  await cold.stop();
  running = undefined;
  if (scenarios.has('P6')) {
    // Sources edited while the bench ran (a working checkout) would be rebuilt inside the warm start.
    build();
    const warm = await startServer(env, port);
    await warm.stop();
    results.push(
      {
        id: 'P6',
        metric: freshDataDir
          ? 'cold start to /api/health (initdb, migrations, reference data)'
          : 'first start on the kept data directory (not cold)',
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
    );
  }
} finally {
  // A failed scenario must not leave a server holding the port and the data directory.
  await running?.stop();
  await rm(workDir, { recursive: true, force: true });
}

const output = { machine: machine('17 (embedded)'), scale, at: new Date().toISOString(), results };
// The output schema (bench/lib.ts) is a contract with whoever reads latest.json: fail loudly.
const problems = benchOutputErrors(output);
if (problems.length > 0) {
  throw new Error(`bench output does not match its schema:\n${problems.join('\n')}`);
}
const file = path.join(ROOT, 'bench/results/latest.json');
await mkdir(path.dirname(file), { recursive: true });
await writeFile(file, `${JSON.stringify(output, null, 2)}\n`);
process.stdout.write(`${table(results)}\n\nwritten ${path.relative(ROOT, file)}\n`);
