#!/usr/bin/env node
// Entry point of the `jineng` command. It builds what is missing or stale (the API with tsc, the
// web app with Vite) so that `npm ci && npm start` works on a fresh clone, then runs the CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(apiDir, '../..');
const webDir = path.join(root, 'apps/web');

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  if (!statSync(dir).isDirectory()) return statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

function isStale(stamp, sources) {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return sources.some((source) => newestMtime(source) > built);
}

function run(label, command, args, cwd) {
  process.stderr.write(`jineng: building ${label}…\n`);
  const result = spawnSync(process.execPath, [command, ...args], { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`jineng: building ${label} failed (exit ${result.status})\n`);
    process.exit(result.status ?? 1);
  }
}

function resolveBin(pkg, bin) {
  const candidates = [
    path.join(root, 'node_modules', pkg, bin),
    path.join(apiDir, 'node_modules', pkg, bin),
  ];
  return candidates.find((c) => existsSync(c));
}

const apiStamp = path.join(apiDir, 'dist/.built');
if (isStale(apiStamp, [path.join(apiDir, 'src'), path.join(apiDir, 'tsconfig.build.json')])) {
  const tsc = resolveBin('typescript', 'bin/tsc');
  if (!tsc) {
    if (!existsSync(path.join(apiDir, 'dist/cli.js'))) {
      process.stderr.write(
        'jineng: dist/ is missing and TypeScript is not installed; run `npm ci` first\n',
      );
      process.exit(1);
    }
  } else {
    run('the API', tsc, ['-p', 'tsconfig.build.json'], apiDir);
    writeFileSync(apiStamp, new Date().toISOString());
  }
}

const command = process.argv[2];
const servesWeb = command === undefined || command === 'serve';
const webStamp = path.join(webDir, 'dist/.built');
if (
  servesWeb &&
  existsSync(path.join(webDir, 'src')) &&
  isStale(webStamp, [path.join(webDir, 'src'), path.join(webDir, 'index.html')])
) {
  const vite = resolveBin('vite', 'bin/vite.js');
  if (vite) {
    run('the web app', vite, ['build', '--logLevel', 'warn'], webDir);
    writeFileSync(webStamp, new Date().toISOString());
  } else if (!existsSync(path.join(webDir, 'dist/index.html'))) {
    process.stderr.write(
      'jineng: the web app is not built and Vite is not installed; serving the API only\n',
    );
  }
}

await import(pathToFileURL(path.join(apiDir, 'dist/cli.js')).href);
