import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keysDirOf } from '../../platform/keys.js';
import { LruCache, invalidateCertificateCache, onCertificateChange } from './verification.cache.js';
import { CREDENTIAL_SIGNING_KEY_FILE, loadOrCreateCredentialKeys } from './verification.keys.js';

describe('the LRU cache', () => {
  it('forgets the least recently used entry beyond its size', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1, 60_000);
    cache.set('b', 2, 60_000);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3, 60_000);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('forgets entries older than their TTL', () => {
    let now = 0;
    const cache = new LruCache<string, number | null>(10, () => now);
    cache.set('found', 1, 60_000);
    cache.set('missing', null, 10_000);
    now = 10_000;
    expect(cache.get('missing')).toBeUndefined();
    expect(cache.get('found')).toBe(1);
    now = 60_000;
    expect(cache.get('found')).toBeUndefined();
  });

  it('tells every registered listener about a changed certificate until it unregisters', () => {
    const seen: string[] = [];
    const off = onCertificateChange({ invalidate: (n) => seen.push(n) });
    invalidateCertificateCache('S1');
    off();
    invalidateCertificateCache('S2');
    expect(seen).toEqual(['S1']);
  });
});

describe('the credential signing key', () => {
  let dataDir: string | undefined;
  afterEach(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('is created once as a 0600 file and keeps its key id', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'jineng-keys-'));
    const first = await loadOrCreateCredentialKeys(dataDir);
    const file = path.join(keysDirOf(dataDir), CREDENTIAL_SIGNING_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateCredentialKeys(dataDir);
    expect(second.current.kid).toBe(first.current.kid);
    expect(first.jwks).toEqual([
      {
        kty: 'OKP',
        crv: 'Ed25519',
        x: expect.any(String),
        kid: first.current.kid,
        use: 'sig',
        alg: 'EdDSA',
      },
    ]);
  });

  it('publishes retired keys after the current one', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'jineng-keys-'));
    await loadOrCreateCredentialKeys(dataDir);
    const retired = generateKeyPairSync('ed25519').publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    await writeFile(
      path.join(keysDirOf(dataDir), 'credential-signing-retired-2025.pem'),
      retired.toString(),
    );
    const keys = await loadOrCreateCredentialKeys(dataDir);
    expect(keys.jwks).toHaveLength(2);
    expect(keys.jwks[0]?.kid).toBe(keys.current.kid);
    expect(keys.jwks[1]?.kid).not.toBe(keys.current.kid);
  });
});
