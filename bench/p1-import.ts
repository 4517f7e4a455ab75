import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ROOT, peakRssMiB, type BenchResult } from './lib.js';
import { writeCsv, writeXlsx } from './generate.js';

/** Runs `jineng import persons FILE` as its own process: the real path, with its peak RSS. */
async function cliImport(dataDir: string, file: string) {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'apps/api/dist/cli.js'), 'import', 'persons', file, '--json'],
    {
      env: { ...process.env, JINENG_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let peak = 0;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setInterval(() => {
    peak = Math.max(peak, child.pid ? (peakRssMiB(child.pid) ?? 0) : 0);
  }, 25);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0 && code !== 2) throw new Error(`import exited ${code}: ${stderr.slice(-500)}`);
  const summary = JSON.parse(stdout) as {
    imported: number;
    rejectedTotal: number;
    rejected: { row: number; code: string; message: string }[];
  };
  if (summary.rejectedTotal > 0) {
    throw new Error(
      `${summary.rejectedTotal} rows rejected, e.g. ${JSON.stringify(summary.rejected.slice(0, 3))}`,
    );
  }
  return { seconds, peak, summary };
}

async function copyBaseline(adminUrl: string, file: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS bench_copy (seq text, name text, id_number text, sex text, phone text, household text, groups text)',
    );
    await client.query('TRUNCATE bench_copy');
    const started = performance.now();
    await pipeline(
      createReadStream(file),
      client.query(copyFrom('COPY bench_copy FROM STDIN (FORMAT csv, HEADER true)')),
    );
    const seconds = (performance.now() - started) / 1000;
    await client.query('DROP TABLE bench_copy');
    return seconds;
  } finally {
    await client.end();
  }
}

/**
 * P1: a CSV roster through the real import path (parse, validate, encrypt, index, upsert, audit,
 * one transaction) against a raw COPY of the same file into a plain table, in the same run. Peak
 * RSS at two file sizes shows whether memory stays flat as the file grows.
 */
export async function benchImport(options: {
  scale: number;
  dataDir: string;
  workDir: string;
  adminUrl: string;
}): Promise<BenchResult[]> {
  const { scale, dataDir, workDir } = options;
  const small = Math.max(100, Math.floor(scale / 10));
  const csv = path.join(workDir, 'roster.csv');
  const csvSmall = path.join(workDir, 'roster-small.csv');
  const xlsx = path.join(workDir, 'roster.xlsx');
  await writeCsv(csv, scale, 1);
  await writeCsv(csvSmall, small, 2);
  await writeXlsx(xlsx, small, 3);

  const copySeconds = await copyBaseline(options.adminUrl, csv);
  const smallRun = await cliImport(dataDir, csvSmall);
  const run = await cliImport(dataDir, csv);
  if (run.summary.imported !== scale) {
    throw new Error(
      `imported ${run.summary.imported} of ${scale} (rejected ${run.summary.rejectedTotal})`,
    );
  }
  const xlsxRun = await cliImport(dataDir, xlsx);
  const importRate = scale / run.seconds;
  const copyRate = scale / copySeconds;
  const bytes = (await stat(csv)).size;
  return [
    {
      id: 'P1',
      metric: `CSV import rows/s (${scale} rows, ${Math.round(bytes / 1024)} KiB) vs raw COPY (goal ratio ≥ 0.4)`,
      value: importRate,
      baseline: copyRate,
      ratio: importRate / copyRate,
      unit: 'rows/s',
    },
    {
      id: 'P1',
      metric: `xlsx import rows/s (${small} rows)`,
      value: small / xlsxRun.seconds,
      baseline: null,
      ratio: null,
      unit: 'rows/s',
    },
    {
      id: 'P1',
      metric: `peak RSS of the import process, ${scale} rows vs ${small} rows (flat = ratio ≈ 1)`,
      value: run.peak,
      baseline: smallRun.peak,
      ratio: run.peak / Math.max(1, smallRun.peak),
      unit: 'MiB',
    },
  ];
}
