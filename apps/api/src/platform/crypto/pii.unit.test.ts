import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AES_256_GCM, PII_ALGORITHMS, type AeadAlgorithm } from './algorithms.js';
import { PiiCipher, PiiDecryptError } from './pii-cipher.js';
import { PiiKeys, keyIdOf, type PiiKeyMaterial } from './pii-keys.js';

const ID_FIELD = 'person.id_number';
const PHONE_FIELD = 'person.phone';
const ID_NUMBER = '41140219900307123X';
const PHONE = '13812341234';

function key(id: string): PiiKeyMaterial {
  return { id, key: randomBytes(32) };
}

function cipher(current: PiiKeyMaterial, old: PiiKeyMaterial[] = [], index = randomBytes(32)) {
  return new PiiCipher(PiiKeys.of({ current, old, index }));
}

/** Rewrites the payload bytes of an envelope, keeping its header. */
function tamperPayload(envelope: string, edit: (payload: Buffer) => void): string {
  const parts = envelope.split('.');
  const payload = Buffer.from(parts[3] ?? '', 'base64url');
  edit(payload);
  return [...parts.slice(0, 3), payload.toString('base64url')].join('.');
}

function decryptError(run: () => unknown): PiiDecryptError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PiiDecryptError);
    return error as PiiDecryptError;
  }
  throw new Error('expected a PiiDecryptError, but decryption succeeded');
}

describe('PiiCipher encryption', () => {
  const pii = cipher(key('k1'));

  it('round-trips ID numbers, phones and Chinese text', () => {
    for (const [field, value] of [
      [ID_FIELD, ID_NUMBER],
      [PHONE_FIELD, PHONE],
      ['person.name', '张三丰'],
      ['person.address', '河南省平顶山市新华区 𠀀 路 1 号'],
      ['person.note', ''],
    ] as const) {
      expect(pii.decrypt(field, pii.encrypt(field, value))).toBe(value);
    }
  });

  it('writes a versioned envelope naming the algorithm and key', () => {
    const envelope = pii.encrypt(ID_FIELD, ID_NUMBER);
    expect(envelope).toMatch(/^v1\.a1\.kk1\.[A-Za-z0-9_-]+$/);
    // 12-byte IV + 18 bytes of ciphertext + 16-byte tag
    expect(Buffer.from(envelope.split('.')[3] ?? '', 'base64url')).toHaveLength(46);
    expect(envelope).not.toContain(ID_NUMBER);
  });

  it('uses a fresh IV, so equal plaintexts give different envelopes', () => {
    const envelopes = new Set(Array.from({ length: 50 }, () => pii.encrypt(ID_FIELD, ID_NUMBER)));
    expect(envelopes.size).toBe(50);
    const ivs = new Set(
      [...envelopes].map((e) =>
        Buffer.from(e.split('.')[3] ?? '', 'base64url')
          .subarray(0, 12)
          .toString('hex'),
      ),
    );
    expect(ivs.size).toBe(50);
  });

  it('refuses field names that are not table.column', () => {
    expect(() => pii.encrypt('Person ID', ID_NUMBER)).toThrow(TypeError);
    expect(() => pii.encrypt('', ID_NUMBER)).toThrow(TypeError);
  });
});

describe('PiiCipher tamper resistance', () => {
  const k1 = key('k1');
  const k2 = key('k2');
  const pii = cipher(k1, [k2]);
  const envelope = pii.encrypt(ID_FIELD, ID_NUMBER);

  it('rejects a flipped ciphertext byte', () => {
    const tampered = tamperPayload(envelope, (p) => {
      p[12] = (p[12] ?? 0) ^ 0x01;
    });
    expect(decryptError(() => pii.decrypt(ID_FIELD, tampered)).reason).toBe(
      'authentication_failed',
    );
  });

  it('rejects a flipped tag byte', () => {
    const tampered = tamperPayload(envelope, (p) => {
      p[p.length - 1] = (p[p.length - 1] ?? 0) ^ 0x80;
    });
    expect(decryptError(() => pii.decrypt(ID_FIELD, tampered)).reason).toBe(
      'authentication_failed',
    );
  });

  it('rejects a flipped IV byte', () => {
    const tampered = tamperPayload(envelope, (p) => {
      p[0] = (p[0] ?? 0) ^ 0xff;
    });
    expect(decryptError(() => pii.decrypt(ID_FIELD, tampered)).reason).toBe(
      'authentication_failed',
    );
  });

  it('rejects an envelope copied into another field', () => {
    const error = decryptError(() => pii.decrypt(PHONE_FIELD, envelope));
    expect(error.reason).toBe('authentication_failed');
    expect(error.field).toBe(PHONE_FIELD);
    expect(error.message).not.toContain(ID_NUMBER);
  });

  it('rejects an envelope relabelled to another loaded key', () => {
    const relabelled = envelope.replace('.kk1.', '.kk2.');
    expect(decryptError(() => pii.decrypt(ID_FIELD, relabelled)).reason).toBe(
      'authentication_failed',
    );
  });

  it('rejects a truncated payload', () => {
    const truncated = tamperPayload(envelope, () => undefined).slice(0, -30);
    expect(decryptError(() => pii.decrypt(ID_FIELD, truncated))).toBeInstanceOf(PiiDecryptError);
  });

  it.each([
    ['an empty string', '', 'malformed'],
    ['plaintext', ID_NUMBER, 'malformed'],
    ['a missing payload', 'v1.a1.kk1.', 'malformed'],
    ['an extra segment', 'v1.a1.kk1.AAAA.AAAA', 'malformed'],
    ['a too-short payload', 'v1.a1.kk1.AAAAAAAA', 'malformed'],
    ['non-base64url payload', 'v1.a1.kk1.AAAA+AAA', 'malformed'],
    ['a future version', 'v2.a1.kk1.AAAA', 'unsupported_version'],
    ['an unregistered algorithm', 'v1.a7.kk1.AAAA', 'unknown_algorithm'],
    ['an unknown key id', 'v1.a1.kk9.AAAA', 'unknown_key'],
  ] as const)('rejects %s as %s', (_label, text, reason) => {
    expect(decryptError(() => pii.decrypt(ID_FIELD, text)).reason).toBe(reason);
  });

  it('rejects a non-canonical base64url spelling', () => {
    const body = envelope.split('.')[3] ?? '';
    // 46 bytes end in 4 spare bits; setting one gives another spelling of the same bytes.
    const last = body.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const odd = alphabet[alphabet.indexOf(last) | 0x01] ?? 'B';
    const respelled = envelope.slice(0, -1) + odd;
    expect(Buffer.from(respelled.split('.')[3] ?? '', 'base64url')).toEqual(
      Buffer.from(body, 'base64url'),
    );
    expect(decryptError(() => pii.decrypt(ID_FIELD, respelled)).reason).toBe('malformed');
  });
});

describe('PiiCipher key rotation', () => {
  const k1 = key('k1');
  const k2 = key('k2');
  const index = randomBytes(32);
  const before = cipher(k1, [], index);
  const old = before.encrypt(ID_FIELD, ID_NUMBER);
  const after = cipher(k2, [k1], index);

  it('still decrypts envelopes made with an old key', () => {
    expect(after.decrypt(ID_FIELD, old)).toBe(ID_NUMBER);
  });

  it('makes new envelopes with the current key', () => {
    expect(after.currentKeyId).toBe('k2');
    expect(after.encrypt(ID_FIELD, ID_NUMBER)).toMatch(/^v1\.a1\.kk2\./);
  });

  it('flags old-key envelopes for re-encryption and re-encrypts them', () => {
    expect(after.needsReencryption(old)).toBe(true);
    const fresh = after.reencrypt(ID_FIELD, old);
    expect(fresh).toMatch(/^v1\.a1\.kk2\./);
    expect(after.needsReencryption(fresh)).toBe(false);
    expect(after.reencrypt(ID_FIELD, fresh)).toBe(fresh);
    expect(after.decrypt(ID_FIELD, fresh)).toBe(ID_NUMBER);
  });

  it('fails with unknown_key once the old key is dropped', () => {
    const dropped = cipher(k2, [], index);
    const error = decryptError(() => dropped.decrypt(ID_FIELD, old));
    expect(error.reason).toBe('unknown_key');
    expect(error.keyId).toBe('k1');
  });

  it('keeps blind indexes stable across encryption-key rotation', () => {
    expect(after.blindIndex('id_number', ID_NUMBER)).toBe(
      before.blindIndex('id_number', ID_NUMBER),
    );
  });

  it('refuses to call needsReencryption on garbage', () => {
    expect(() => after.needsReencryption('not an envelope')).toThrow(PiiDecryptError);
  });
});

describe('PiiCipher algorithm registry', () => {
  // Stands in for SM4-GCM: a second registered algorithm with its own id.
  const second: AeadAlgorithm = { ...AES_256_GCM, id: 'a2', name: 'second' };
  const algorithms = new Map([...PII_ALGORITHMS, [second.id, second]]);
  const keys = PiiKeys.of({ current: key('k1'), index: randomBytes(32) });

  it('decrypts envelopes of every registered algorithm and flags the non-current ones', () => {
    const legacy = new PiiCipher(keys, { algorithms });
    const a1 = legacy.encrypt(ID_FIELD, ID_NUMBER);
    const next = new PiiCipher(keys, { algorithms, algorithm: 'a2' });
    const a2 = next.encrypt(ID_FIELD, ID_NUMBER);
    expect(a2).toMatch(/^v1\.a2\.kk1\./);
    expect(next.decrypt(ID_FIELD, a1)).toBe(ID_NUMBER);
    expect(next.needsReencryption(a1)).toBe(true);
    expect(next.needsReencryption(a2)).toBe(false);
  });

  it('binds the algorithm id, so relabelling an envelope to another algorithm fails', () => {
    const pii = new PiiCipher(keys, { algorithms });
    const relabelled = pii.encrypt(ID_FIELD, ID_NUMBER).replace(/^v1\.a1\./, 'v1.a2.');
    expect(decryptError(() => pii.decrypt(ID_FIELD, relabelled)).reason).toBe(
      'authentication_failed',
    );
  });

  it('refuses an unknown current algorithm', () => {
    expect(() => new PiiCipher(keys, { algorithm: 'a9' })).toThrow(/unknown PII algorithm/);
  });
});

describe('blind index', () => {
  const pii = cipher(key('k1'));

  it('is 64 hex digits and deterministic', () => {
    const index = pii.blindIndex('id_number', ID_NUMBER);
    expect(index).toMatch(/^[0-9a-f]{64}$/);
    expect(pii.blindIndex('id_number', ID_NUMBER)).toBe(index);
  });

  it('is equal for spellings that normalise alike', () => {
    const index = pii.blindIndex('id_number', ID_NUMBER);
    expect(pii.blindIndex('id_number', '４１１４０２１９９００３０７１２３ｘ')).toBe(index);
    expect(pii.blindIndex('id_number', ' 411402 19900307 123x\u200b')).toBe(index);
    const phone = pii.blindIndex('phone', PHONE);
    expect(pii.blindIndex('phone', '+86 138-1234-1234')).toBe(phone);
    expect(pii.blindIndex('phone', '0086１３８１２３４１２３４')).toBe(phone);
  });

  it('differs for different values', () => {
    expect(pii.blindIndex('id_number', ID_NUMBER)).not.toBe(
      pii.blindIndex('id_number', '411402199003071231'),
    );
  });

  it('differs across kinds for the same digits', () => {
    expect(pii.blindIndex('id_number', PHONE)).not.toBe(pii.blindIndex('phone', PHONE));
  });

  it('differs across index keys', () => {
    const k1 = key('k1');
    expect(cipher(k1).blindIndex('id_number', ID_NUMBER)).not.toBe(
      cipher(k1).blindIndex('id_number', ID_NUMBER),
    );
  });

  it('refuses an empty value', () => {
    expect(() => pii.blindIndex('phone', ' - ')).toThrow(RangeError);
  });
});

describe('key redaction', () => {
  const current = key('k1');
  const old = key('k0');
  const index = randomBytes(32);
  const keys = PiiKeys.of({ current, old: [old], index });
  const pii = new PiiCipher(keys);
  const secrets = [current.key, old.key, index].flatMap((bytes) => {
    const buffer = Buffer.from(bytes);
    return [buffer.toString('base64'), buffer.toString('base64url'), buffer.toString('hex')];
  });

  it.each([
    ['JSON.stringify(keys)', () => JSON.stringify(keys)],
    ['JSON.stringify(cipher)', () => JSON.stringify({ pii })],
    ['String(keys)', () => String(keys)],
    ['inspect(keys)', () => inspect(keys, { depth: 10, showHidden: true })],
    ['inspect(cipher)', () => inspect(pii, { depth: 10, showHidden: true })],
  ])('%s shows key ids but no key bytes', (_label, render) => {
    const text = render();
    expect(text).toContain('k1');
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('exposes no key bytes as enumerable properties', () => {
    expect(Object.keys(keys).sort()).toEqual(['currentKeyId', 'keyIds', 'source']);
    expect(JSON.parse(JSON.stringify(keys))).toEqual({
      currentKeyId: 'k1',
      keyIds: ['k1', 'k0'],
      source: 'memory',
      keys: '[redacted]',
    });
  });
});

describe('PiiKeys.of', () => {
  it('refuses a key of the wrong length', () => {
    expect(() =>
      PiiKeys.of({ current: { id: 'k1', key: randomBytes(16) }, index: randomBytes(32) }),
    ).toThrow(/must be 32 bytes/);
  });

  it('refuses one id for two different keys', () => {
    expect(() =>
      PiiKeys.of({ current: key('k1'), old: [key('k1')], index: randomBytes(32) }),
    ).toThrow(/two different keys/);
  });

  it('refuses an index key that is also an encryption key', () => {
    const current = key('k1');
    expect(() => PiiKeys.of({ current, index: current.key })).toThrow(/must differ/);
  });

  it('derives stable, key-specific default ids', () => {
    const bytes = randomBytes(32);
    expect(keyIdOf(bytes)).toMatch(/^[0-9a-f]{8}$/);
    expect(keyIdOf(Buffer.from(bytes))).toBe(keyIdOf(bytes));
    expect(keyIdOf(randomBytes(32))).not.toBe(keyIdOf(bytes));
  });
});
