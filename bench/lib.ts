import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/** The output schema of `npm run bench` (issue #10, item 3): bench/results/latest.json. */
export const BenchOutputSchema = Type.Object({
  machine: Type.Object({
    cores: Type.Integer({ minimum: 1 }),
    memoryGb: Type.Number({ minimum: 0 }),
    node: Type.String({ minLength: 1 }),
    postgres: Type.String({ minLength: 1 }),
  }),
  scale: Type.Integer({ minimum: 1 }),
  at: Type.Optional(Type.String()),
  results: Type.Array(
    Type.Object({
      id: Type.Union(['P1', 'P2', 'P3', 'P4', 'P5', 'P6'].map((id) => Type.Literal(id))),
      metric: Type.String({ minLength: 1 }),
      value: Type.Number(),
      baseline: Type.Union([Type.Number(), Type.Null()]),
      ratio: Type.Union([Type.Number(), Type.Null()]),
      unit: Type.String({ minLength: 1 }),
      note: Type.Optional(Type.String()),
    }),
    { minItems: 1 },
  ),
});
export type BenchOutput = Static<typeof BenchOutputSchema>;

/** The schema's complaints about `output` (empty when it conforms), e.g. `/results/0/value: …`. */
export function benchOutputErrors(output: unknown): string[] {
  return [...Value.Errors(BenchOutputSchema, output)].map(
    (e) => `${e.instancePath || '/'}: ${e.message}`,
  );
}

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BenchResult {
  id: string;
  metric: string;
  value: number;
  baseline: number | null;
  ratio: number | null;
  unit: string;
  note?: string;
}

export function machine(postgres: string) {
  return {
    cores: os.cpus().length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres,
  };
}

/** Peak resident memory of a live process in MiB (Linux VmHWM), or null where unavailable. */
export function peakRssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

export function rssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms`);
}

/** Starts `jineng serve` as a real process and resolves when /api/health answers 200. */
export async function startServer(
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<{ child: ChildProcess; ms: number; stop(): Promise<void> }> {
  const started = performance.now();
  // JINENG_BENCH_CPU_PROF=DIR: a V8 CPU profile of each server run, written to DIR on exit.
  const profileDir = process.env.JINENG_BENCH_CPU_PROF;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const args = [...profile, path.join(ROOT, 'apps/api/bin/jineng.mjs'), 'serve'];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  await waitFor(async () => {
    if (exited !== null) throw new Error(`jineng serve exited with ${exited} before answering`);
    try {
      return (await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200;
    } catch {
      return false;
    }
  }, 120_000);
  const ms = performance.now() - started;
  return {
    child,
    ms,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function table(results: BenchResult[]): string {
  const rows = results.map((r) => [
    r.id,
    r.metric,
    `${round(r.value)} ${r.unit}`,
    r.baseline === null ? '—' : `${round(r.baseline)} ${r.unit}`,
    r.ratio === null ? '—' : round(r.ratio).toString(),
  ]);
  const header = ['id', 'metric', 'value', 'baseline', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function round(value: number): number {
  return value >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
}
