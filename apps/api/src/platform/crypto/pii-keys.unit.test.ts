import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../config.js';
import { PiiCipher } from './pii-cipher.js';
import { INDEX_KEY_FILE, PII_KEY_FILE, keyIdOf, loadPiiKeys } from './pii-keys.js';

const ID_FIELD = 'person.id_number';
const ID_NUMBER = '41140219900307123X';

let tmp: string;
let keysDir: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'jineng-pii-'));
  keysDir = path.join(tmp, 'keys');
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function loadError(env: Record<string, string>): Promise<ConfigError> {
  const error: unknown = await loadPiiKeys({ env, keysDir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadPiiKeys from the environment', () => {
  const piiKey = randomBytes(32);
  const indexKey = randomBytes(32);

  it('accepts base64 keys and derives the key id from the key', async () => {
    const keys = await loadPiiKeys({
      env: {
        JINENG_PII_KEY: piiKey.toString('base64'),
        JINENG_INDEX_KEY: indexKey.toString('base64'),
      },
      keysDir,
    });
    expect(keys.source).toBe('env');
    expect(keys.currentKeyId).toBe(keyIdOf(piiKey));
    const pii = new PiiCipher(keys);
    expect(pii.decrypt(ID_FIELD, pii.encrypt(ID_FIELD, ID_NUMBER))).toBe(ID_NUMBER);
  });

  it('accepts hex and unpadded base64url spellings of the same keys', async () => {
    const fromBase64 = await loadPiiKeys({
      env: {
        JINENG_PII_KEY: piiKey.toString('base64'),
        JINENG_INDEX_KEY: indexKey.toString('base64'),
      },
      keysDir,
    });
    const fromHex = await loadPiiKeys({
      env: {
        JINENG_PII_KEY: piiKey.toString('hex'),
        JINENG_INDEX_KEY: indexKey.toString('base64url'),
      },
      keysDir,
    });
    expect(fromHex.currentKeyId).toBe(fromBase64.currentKeyId);
    const envelope = new PiiCipher(fromBase64).encrypt(ID_FIELD, ID_NUMBER);
    expect(new PiiCipher(fromHex).decrypt(ID_FIELD, envelope)).toBe(ID_NUMBER);
    expect(new PiiCipher(fromHex).blindIndex('id_number', ID_NUMBER)).toBe(
      new PiiCipher(fromBase64).blindIndex('id_number', ID_NUMBER),
    );
  });

  it('uses JINENG_PII_KEY_ID when given', async () => {
    const keys = await loadPiiKeys({
      env: {
        JINENG_PII_KEY: piiKey.toString('base64'),
        JINENG_PII_KEY_ID: '2026-01',
        JINENG_INDEX_KEY: indexKey.toString('hex'),
      },
      keysDir,
    });
    expect(keys.currentKeyId).toBe('2026-01');
  });

  it('does not touch the keys directory', async () => {
    await loadPiiKeys({
      env: { JINENG_PII_KEY: piiKey.toString('hex'), JINENG_INDEX_KEY: indexKey.toString('hex') },
      keysDir,
    });
    expect(await readdir(tmp)).toEqual([]);
  });

  it.each([
    ['31 bytes', randomBytes(31).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['62 hex digits', randomBytes(31).toString('hex')],
    ['a passphrase', 'correct horse battery staple and more'],
  ])('rejects a JINENG_PII_KEY of %s, naming the variable but not the value', async (_l, bad) => {
    const error = await loadError({
      JINENG_PII_KEY: bad,
      JINENG_INDEX_KEY: indexKey.toString('base64'),
    });
    expect(error.message).toMatch(/^JINENG_PII_KEY must be 32 bytes/);
    expect(error.message).not.toContain(bad);
    expect(error.message).not.toContain(indexKey.toString('base64'));
  });

  it('rejects a malformed JINENG_INDEX_KEY, naming it', async () => {
    const bad = randomBytes(16).toString('hex');
    const error = await loadError({
      JINENG_PII_KEY: piiKey.toString('base64'),
      JINENG_INDEX_KEY: bad,
    });
    expect(error.message).toMatch(/^JINENG_INDEX_KEY must be 32 bytes/);
    expect(error.message).not.toContain(bad);
  });

  it('requires both keys together, so a forgotten index key is not silently replaced', async () => {
    expect((await loadError({ JINENG_PII_KEY: piiKey.toString('base64') })).message).toMatch(
      /^JINENG_INDEX_KEY is not set/,
    );
    expect((await loadError({ JINENG_INDEX_KEY: indexKey.toString('base64') })).message).toMatch(
      /^JINENG_PII_KEY is not set/,
    );
  });

  it('refuses the same key for encryption and indexing', async () => {
    const error = await loadError({
      JINENG_PII_KEY: piiKey.toString('base64'),
      JINENG_INDEX_KEY: piiKey.toString('hex'),
    });
    expect(error.message).toMatch(/JINENG_INDEX_KEY must differ/);
  });

  it('refuses JINENG_PII_KEY_ID without JINENG_PII_KEY', async () => {
    expect((await loadError({ JINENG_PII_KEY_ID: 'k1' })).message).toMatch(/JINENG_PII_KEY_ID/);
  });

  it('rejects an invalid JINENG_PII_KEY_ID', async () => {
    const error = await loadError({
      JINENG_PII_KEY: piiKey.toString('base64'),
      JINENG_PII_KEY_ID: 'has.dot',
      JINENG_INDEX_KEY: indexKey.toString('base64'),
    });
    expect(error.message).toMatch(/^JINENG_PII_KEY_ID must be/);
  });
});

describe('loadPiiKeys old keys (rotation)', () => {
  const oldA = randomBytes(32);
  const oldB = randomBytes(32);
  const current = randomBytes(32);
  const indexKey = randomBytes(32);

  it('loads JINENG_PII_OLD_KEYS for decryption, with or without ids', async () => {
    const keys = await loadPiiKeys({
      env: {
        JINENG_PII_KEY: current.toString('base64'),
        JINENG_PII_KEY_ID: 'k3',
        JINENG_INDEX_KEY: indexKey.toString('base64'),
        JINENG_PII_OLD_KEYS: ` k1:${oldA.toString('base64')} , ${oldB.toString('hex')},`,
      },
      keysDir,
    });
    expect(keys.currentKeyId).toBe('k3');
    expect(keys.keyIds).toEqual(['k3', 'k1', keyIdOf(oldB)]);
  });

  it('lets a key loaded from env decrypt what it encrypted as the current key', async () => {
    const env = { JINENG_INDEX_KEY: indexKey.toString('base64') };
    const before = new PiiCipher(
      await loadPiiKeys({ env: { ...env, JINENG_PII_KEY: oldA.toString('base64') }, keysDir }),
    );
    const envelope = before.encrypt(ID_FIELD, ID_NUMBER);
    // The operator moves the old key into the list without looking up its id.
    const after = new PiiCipher(
      await loadPiiKeys({
        env: {
          ...env,
          JINENG_PII_KEY: current.toString('base64'),
          JINENG_PII_OLD_KEYS: oldA.toString('base64'),
        },
        keysDir,
      }),
    );
    expect(after.decrypt(ID_FIELD, envelope)).toBe(ID_NUMBER);
    expect(after.needsReencryption(envelope)).toBe(true);
  });

  it('names the bad entry but not its value', async () => {
    const bad = randomBytes(20).toString('base64');
    const error = await loadError({
      JINENG_PII_KEY: current.toString('base64'),
      JINENG_INDEX_KEY: indexKey.toString('base64'),
      JINENG_PII_OLD_KEYS: `k1:${oldA.toString('base64')},k2:${bad}`,
    });
    expect(error.message).toMatch(/^JINENG_PII_OLD_KEYS entry 2 must be 32 bytes/);
    expect(error.message).not.toContain(bad);
    expect(error.message).not.toContain(oldA.toString('base64'));
  });

  it('refuses an old key id that names a different key than the current one', async () => {
    const error = await loadError({
      JINENG_PII_KEY: current.toString('base64'),
      JINENG_PII_KEY_ID: 'k1',
      JINENG_INDEX_KEY: indexKey.toString('base64'),
      JINENG_PII_OLD_KEYS: `k1:${oldA.toString('base64')}`,
    });
    expect(error.message).toMatch(/"k1" is given for two different keys/);
  });
});

describe('loadPiiKeys from files', () => {
  it('creates 0600 key files in a 0700 directory at first start', async () => {
    const keys = await loadPiiKeys({ env: {}, keysDir });
    expect(keys.source).toBe('files');
    expect((await stat(keysDir)).mode & 0o777).toBe(0o700);
    for (const name of [PII_KEY_FILE, INDEX_KEY_FILE]) {
      const file = path.join(keysDir, name);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')).toHaveLength(32);
    }
    const pii = Buffer.from(
      (await readFile(path.join(keysDir, PII_KEY_FILE), 'utf8')).trim(),
      'base64',
    );
    expect(keys.currentKeyId).toBe(keyIdOf(pii));
  });

  it('returns the same keys on the second load', async () => {
    const first = new PiiCipher(await loadPiiKeys({ env: {}, keysDir }));
    const envelope = first.encrypt(ID_FIELD, ID_NUMBER);
    const second = new PiiCipher(await loadPiiKeys({ env: {}, keysDir }));
    expect(second.currentKeyId).toBe(first.currentKeyId);
    expect(second.decrypt(ID_FIELD, envelope)).toBe(ID_NUMBER);
    expect(second.blindIndex('id_number', ID_NUMBER)).toBe(
      first.blindIndex('id_number', ID_NUMBER),
    );
    expect(second.needsReencryption(envelope)).toBe(false);
  });

  it('makes different encryption and index keys', async () => {
    await loadPiiKeys({ env: {}, keysDir });
    const pii = await readFile(path.join(keysDir, PII_KEY_FILE), 'utf8');
    const index = await readFile(path.join(keysDir, INDEX_KEY_FILE), 'utf8');
    expect(pii).not.toBe(index);
  });

  it('names a corrupted key file without echoing its contents', async () => {
    await loadPiiKeys({ env: {}, keysDir });
    const file = path.join(keysDir, INDEX_KEY_FILE);
    await writeFile(file, 'not-a-key-at-all\n');
    const error = await loadError({});
    expect(error.message).toContain(file);
    expect(error.message).not.toContain('not-a-key-at-all');
  });

  it('accepts old keys from the environment alongside file keys', async () => {
    const old = randomBytes(32);
    const keys = await loadPiiKeys({
      env: { JINENG_PII_OLD_KEYS: `legacy:${old.toString('base64')}` },
      keysDir,
    });
    expect(keys.keyIds).toEqual([keys.currentKeyId, 'legacy']);
  });
});
