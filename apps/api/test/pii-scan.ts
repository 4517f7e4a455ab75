import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { FIXTURE_ID_NUMBERS, FIXTURE_PASSWORDS, FIXTURE_PHONES } from './fixtures/sensitive.js';

export interface Leak {
  file: string;
  value: string;
}

async function* files(dir: string): AsyncGenerator<string> {
  if (!existsSync(dir)) return;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

/** Every file under `dirs` that holds a fixture ID number, phone or password in plaintext. */
export async function findPlaintextLeaks(dirs: string[]): Promise<Leak[]> {
  const needles = [...FIXTURE_ID_NUMBERS, ...FIXTURE_PHONES, ...FIXTURE_PASSWORDS].map((value) => ({
    value,
    bytes: Buffer.from(value, 'utf8'),
  }));
  const leaks: Leak[] = [];
  for (const dir of dirs) {
    for await (const file of files(dir)) {
      if ((await stat(file)).size > 512 * 1024 * 1024) continue;
      const content = await readFile(file);
      for (const needle of needles) {
        if (content.includes(needle.bytes)) leaks.push({ file, value: needle.value });
      }
    }
  }
  return leaks;
}
