import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, machine, table, type BenchResult } from './lib.js';
import { benchStart } from './p6-start.js';

/**
 * `npm run bench [-- --scale N]`: what users feel, as ratios to a baseline measured in the same
 * run on the same machine. Writes bench/results/latest.json and prints a table.
 */
const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '100000' },
    port: { type: 'string', default: '3901' },
  },
});
const scale = Number(values.scale);
if (!Number.isInteger(scale) || scale < 1) throw new Error('--scale must be a positive integer');
const port = Number(values.port);

// Build once up front, so start-up figures measure starting, not compiling.
spawnSync(process.execPath, [path.join(ROOT, 'apps/api/bin/jineng.mjs'), 'serve', '--help'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});

const results: BenchResult[] = [];
results.push(...(await benchStart(port)));

const output = { machine: machine('17 (embedded)'), scale, at: new Date().toISOString(), results };
const file = path.join(ROOT, 'bench/results/latest.json');
await writeFile(file, `${JSON.stringify(output, null, 2)}\n`);
process.stdout.write(`${table(results)}\n\nwritten ${path.relative(ROOT, file)}\n`);
