import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_ID_NUMBERS, FIXTURE_PHONES } from './fixtures/sensitive.js';
import { findPlaintextLeaks } from './pii-scan.js';

describe('the plaintext scan run after the tests', () => {
  it('finds a fixture ID number or phone in any file, binary or not, and nothing in clean files', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jineng-scan-'));
    try {
      await mkdir(path.join(dir, 'base/16384'), { recursive: true });
      const page = Buffer.concat([
        Buffer.alloc(100),
        Buffer.from(FIXTURE_ID_NUMBERS[0]),
        Buffer.alloc(100),
      ]);
      await writeFile(path.join(dir, 'base/16384/2619'), page);
      await writeFile(path.join(dir, 'server.log'), `{"msg":"sms sent to ${FIXTURE_PHONES[0]}"}\n`);
      await writeFile(path.join(dir, 'clean'), '411402********123X 138****1234');
      const leaks = await findPlaintextLeaks([dir]);
      expect(leaks.map((l) => [path.relative(dir, l.file), l.value]).sort()).toEqual([
        ['base/16384/2619', FIXTURE_ID_NUMBERS[0]],
        ['server.log', FIXTURE_PHONES[0]],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
