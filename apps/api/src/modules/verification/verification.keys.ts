import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { keysDirOf, readOrCreateSecret } from '../../platform/keys.js';

/**
 * The Ed25519 key that signs certificates' verifiable credentials and the revocation status list:
 * a 0600 PEM in `$JINENG_DATA_DIR/keys/`, separate from the audit anchors' key, so either can be
 * rotated or revoked alone.
 */
export const CREDENTIAL_SIGNING_KEY_FILE = 'credential-signing-ed25519.pem';

/**
 * Rotation: rename the current key file to `credential-signing-retired-<anything>.pem` and
 * restart. A new key signs from then on; the retired ones stay in the JWKS so credentials they
 * signed still verify.
 */
export const RETIRED_KEY_PATTERN = /^credential-signing-retired-.+\.pem$/;

export interface CredentialKeys {
  /** Signs new credentials and status lists; `kid` is its RFC 7638 JWK thumbprint. */
  current: { kid: string; privateKey: KeyObject };
  /** The public keys to publish at /.well-known/jwks.json: the current one first. */
  jwks: JWK[];
}

async function publicJwkOf(key: KeyObject): Promise<JWK> {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new Error('A credential signing key must be an Ed25519 key');
  }
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid, use: 'sig', alg: 'EdDSA' };
}

/** Keys from the current private key and any retired keys (private or public PEM). */
export async function credentialKeysOf(
  current: KeyObject,
  retired: readonly KeyObject[] = [],
): Promise<CredentialKeys> {
  const currentJwk = await publicJwkOf(current);
  const jwks = [currentJwk];
  for (const key of retired) {
    const jwk = await publicJwkOf(key);
    if (!jwks.some((k) => k.kid === jwk.kid)) jwks.push(jwk);
  }
  return { current: { kid: currentJwk.kid ?? '', privateKey: current }, jwks };
}

/** A fresh key held in memory: tests, or a process that must not touch the data directory. */
export async function ephemeralCredentialKeys(): Promise<CredentialKeys> {
  return credentialKeysOf(generateKeyPairSync('ed25519').privateKey);
}

/** The signing key (created atomically on first use) and the retired keys beside it. */
export async function loadOrCreateCredentialKeys(dataDir: string): Promise<CredentialKeys> {
  const keysDir = keysDirOf(dataDir);
  const pem = await readOrCreateSecret(keysDir, CREDENTIAL_SIGNING_KEY_FILE, () =>
    generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
      .trim(),
  );
  const retired: KeyObject[] = [];
  for (const name of (await readdir(keysDir)).sort()) {
    if (!RETIRED_KEY_PATTERN.test(name)) continue;
    const text = await readFile(path.join(keysDir, name), 'utf8');
    retired.push(
      text.includes('PRIVATE KEY')
        ? createPublicKey(createPrivateKey(text))
        : createPublicKey(text),
    );
  }
  return credentialKeysOf(createPrivateKey(pem), retired);
}
