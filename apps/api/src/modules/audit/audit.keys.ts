import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { keysDirOf, readOrCreateSecret } from '../../platform/keys.js';

/**
 * The Ed25519 key that signs each day's chain head. It lives as a 0600 PEM file in
 * `$JINENG_DATA_DIR/keys/`, outside PostgreSQL: whoever controls the database alone (a superuser,
 * a stolen backup) can recompute every hash in it, but cannot sign a rewritten head.
 */
export const AUDIT_SIGNING_KEY_FILE = 'audit-signing-ed25519.pem';

/** A loaded signing key. `keyId` names it in anchors (the first 16 hex of sha256(SPKI)). */
export interface AuditSigningKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM, copied into anchor files so an outside verifier knows which key to trust. */
  publicKeyPem: string;
}

function fromPrivatePem(pem: string): AuditSigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${AUDIT_SIGNING_KEY_FILE} does not hold an Ed25519 private key`);
  }
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    keyId: createHash('sha256').update(der).digest('hex').slice(0, 16),
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The signing key, created on first use (atomically, so two processes end up with one key). */
export async function loadOrCreateAuditSigningKey(dataDir: string): Promise<AuditSigningKey> {
  const pem = await readOrCreateSecret(keysDirOf(dataDir), AUDIT_SIGNING_KEY_FILE, () =>
    generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
      .trim(),
  );
  return fromPrivatePem(pem);
}

/**
 * The signing key if it exists, else null. Verification uses this: creating a fresh key there
 * would make every existing anchor look forged instead of reporting that the key is missing.
 */
export async function readAuditSigningKey(dataDir: string): Promise<AuditSigningKey | null> {
  try {
    const pem = await readFile(path.join(keysDirOf(dataDir), AUDIT_SIGNING_KEY_FILE), 'utf8');
    return fromPrivatePem(pem);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
