import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from '../config.js';
import { readOrCreateSecret } from '../keys.js';
import { KEY_ID_PATTERN } from './envelope.js';

/** Every PII key (encryption and blind index) is 256 bits. */
export const PII_KEY_LENGTH = 32;

/** File names inside the keys directory, used when the keys are not given by environment. */
export const PII_KEY_FILE = 'pii-encryption.key';
export const INDEX_KEY_FILE = 'pii-index.key';

const REDACTED = '[redacted]';

/** One encryption key and the id that envelopes made with it carry. */
export interface PiiKeyMaterial {
  id: string;
  key: Uint8Array;
}

/** Where the keys came from: environment variables, the keys directory, or code (tests). */
export type PiiKeySource = 'env' | 'files' | 'memory';

export interface PiiKeysInit {
  /** The key new encryptions use. */
  current: PiiKeyMaterial;
  /** Retired keys, kept only so existing envelopes still decrypt until they are re-encrypted. */
  old?: readonly PiiKeyMaterial[];
  /** The HMAC key for blind indexes; must differ from every encryption key. */
  index: Uint8Array;
  source?: PiiKeySource;
}

/**
 * The default id of a key: the first 8 hex digits of HMAC-SHA256(key, a fixed label), a key check
 * value. Deriving the id from the key means the same key always gets the same id, whether it
 * comes from a file or an environment variable, so an envelope's key id cannot be mislabelled;
 * the one-way HMAC reveals nothing usable about the key.
 */
export function keyIdOf(key: Uint8Array): string {
  return createHmac('sha256', key).update('jineng/pii-key-id/v1').digest('hex').slice(0, 8);
}

/**
 * The PII keys held by the process. Key bytes live in private fields as `KeyObject`s and are never
 * rendered: `JSON.stringify`, `String()` and `util.inspect` (hence console and pino) show only key
 * ids, so a key cannot leak through a log line or an error report.
 *
 * The blind-index key cannot rotate the way encryption keys do: every stored index is an HMAC
 * under it, and a lookup must recompute the same HMAC. See `blindIndex` for re-indexing.
 */
export class PiiKeys {
  /** Id of the key new envelopes are made with. */
  readonly currentKeyId: string;
  /** Ids of every key that can decrypt, current first. */
  readonly keyIds: readonly string[];
  readonly source: PiiKeySource;
  readonly #encryption: ReadonlyMap<string, KeyObject>;
  readonly #index: KeyObject;

  private constructor(
    currentKeyId: string,
    encryption: ReadonlyMap<string, KeyObject>,
    index: KeyObject,
    source: PiiKeySource,
  ) {
    this.currentKeyId = currentKeyId;
    this.keyIds = [...encryption.keys()];
    this.source = source;
    this.#encryption = encryption;
    this.#index = index;
  }

  /**
   * Builds a key set from raw bytes, checking lengths, ids, that one id never names two different
   * keys, and that the index key is not also an encryption key (reusing one key for two
   * purposes would tie the blind index's security to the cipher's). Throws `ConfigError`.
   */
  static of(init: PiiKeysInit): PiiKeys {
    const encryption = new Map<string, KeyObject>();
    const raw = new Map<string, Buffer>();
    for (const { id, key } of [init.current, ...(init.old ?? [])]) {
      if (!KEY_ID_PATTERN.test(id)) {
        // The bad id is not echoed: a misplaced key could be sitting where the id belongs.
        throw new ConfigError(
          'a PII key id must be 1-32 characters of letters, digits, "-" or "_"',
        );
      }
      if (key.length !== PII_KEY_LENGTH) {
        throw new ConfigError(`PII key "${id}" must be ${PII_KEY_LENGTH} bytes`);
      }
      const bytes = Buffer.from(key);
      const seen = raw.get(id);
      if (seen !== undefined) {
        if (!seen.equals(bytes)) {
          throw new ConfigError(`PII key id "${id}" is given for two different keys`);
        }
        continue;
      }
      raw.set(id, bytes);
      encryption.set(id, createSecretKey(bytes));
    }
    if (init.index.length !== PII_KEY_LENGTH) {
      throw new ConfigError(`the blind-index key must be ${PII_KEY_LENGTH} bytes`);
    }
    const index = Buffer.from(init.index);
    if ([...raw.values()].some((bytes) => bytes.equals(index))) {
      throw new ConfigError('JINENG_INDEX_KEY must differ from every PII encryption key');
    }
    return new PiiKeys(
      init.current.id,
      encryption,
      createSecretKey(index),
      init.source ?? 'memory',
    );
  }

  /** The encryption key with this id, or undefined when it is not (or no longer) loaded. */
  encryptionKey(id: string): KeyObject | undefined {
    return this.#encryption.get(id);
  }

  /** The HMAC key for blind indexes. */
  indexKey(): KeyObject {
    return this.#index;
  }

  /** Key ids and source only; what `JSON.stringify` (and so pino) sees. */
  toJSON(): { currentKeyId: string; keyIds: readonly string[]; source: string; keys: string } {
    return {
      currentKeyId: this.currentKeyId,
      keyIds: this.keyIds,
      source: this.source,
      keys: REDACTED,
    };
  }

  /** Key ids only, for `String(keys)` and `util.inspect` (console, vitest diffs). */
  toString(): string {
    const ids = this.keyIds.join(', ');
    return `PiiKeys { current: ${this.currentKeyId}, ids: [${ids}], keys: ${REDACTED} }`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export interface LoadPiiKeysOptions {
  /** Usually `process.env`; passed in so tests and the CLI choose. */
  env: Readonly<Record<string, string | undefined>>;
  /** Where key files live when the environment gives none; see `keysDirOf`. */
  keysDir: string;
}

/**
 * Loads the PII keys.
 *
 * From the environment, when `JINENG_PII_KEY` and `JINENG_INDEX_KEY` are set (each 32 bytes as
 * base64 or hex; `openssl rand -base64 32`). They must be set together: a forgotten index key
 * would otherwise be replaced by a fresh file key, and every lookup and de-duplication would
 * silently miss. `JINENG_PII_KEY_ID` names the current key (default: `keyIdOf(key)`).
 *
 * Otherwise from `pii-encryption.key` and `pii-index.key` in `keysDir`, created (0600, directory
 * 0700) at first start. Their ids are always derived from the key.
 *
 * Either way, `JINENG_PII_OLD_KEYS` adds retired keys for decryption only, as
 * `id:key,id:key` (an entry without `id:` gets `keyIdOf(key)`). To rotate: generate a new key, put
 * it in `JINENG_PII_KEY`, move the previous key into `JINENG_PII_OLD_KEYS` under its id, restart,
 * re-encrypt rows for which `needsReencryption` holds, then drop the old key.
 *
 * Errors are `ConfigError`s that name the variable or file but never contain key material.
 */
export async function loadPiiKeys({ env, keysDir }: LoadPiiKeysOptions): Promise<PiiKeys> {
  const envKey = present(env.JINENG_PII_KEY);
  const envIndex = present(env.JINENG_INDEX_KEY);
  const envKeyId = present(env.JINENG_PII_KEY_ID);
  const old = parseOldKeys(present(env.JINENG_PII_OLD_KEYS));

  if (envKey !== undefined || envIndex !== undefined) {
    if (envKey === undefined || envIndex === undefined) {
      const missing = envKey === undefined ? 'JINENG_PII_KEY' : 'JINENG_INDEX_KEY';
      throw new ConfigError(
        `${missing} is not set: JINENG_PII_KEY and JINENG_INDEX_KEY must be set together`,
      );
    }
    const key = decodeKey(envKey, 'JINENG_PII_KEY');
    const id = envKeyId ?? keyIdOf(key);
    if (!KEY_ID_PATTERN.test(id)) {
      throw new ConfigError(
        'JINENG_PII_KEY_ID must be 1-32 characters of letters, digits, "-" or "_"',
      );
    }
    const index = decodeKey(envIndex, 'JINENG_INDEX_KEY');
    return PiiKeys.of({ current: { id, key }, old, index, source: 'env' });
  }

  if (envKeyId !== undefined) {
    // A file key's id is derived from it; relabelling it would orphan every existing envelope.
    throw new ConfigError('JINENG_PII_KEY_ID is set but JINENG_PII_KEY is not');
  }
  const newKey = (): string => randomBytes(PII_KEY_LENGTH).toString('base64');
  const key = decodeKey(
    await readOrCreateSecret(keysDir, PII_KEY_FILE, newKey),
    path.join(keysDir, PII_KEY_FILE),
  );
  const index = decodeKey(
    await readOrCreateSecret(keysDir, INDEX_KEY_FILE, newKey),
    path.join(keysDir, INDEX_KEY_FILE),
  );
  return PiiKeys.of({ current: { id: keyIdOf(key), key }, old, index, source: 'files' });
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * Decodes 32 bytes written as hex or base64 (standard or url-safe, padding optional). Hex is
 * tried first because a 64-digit hex string is also valid base64. `name` is the variable or file
 * to blame; the value itself is never put in the message.
 */
function decodeKey(text: string, name: string): Buffer {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length === PII_KEY_LENGTH) return bytes;
  }
  throw new ConfigError(
    `${name} must be ${PII_KEY_LENGTH} bytes written as base64 (44 characters) or hex ` +
      '(64 characters), e.g. the output of `openssl rand -base64 32`',
  );
}

function parseOldKeys(list: string | undefined): PiiKeyMaterial[] {
  if (list === undefined) return [];
  const entries = list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries.map((entry, i) => {
    const name = `JINENG_PII_OLD_KEYS entry ${i + 1}`;
    const colon = entry.indexOf(':');
    const key = decodeKey(colon === -1 ? entry : entry.slice(colon + 1).trim(), name);
    const id = colon === -1 ? keyIdOf(key) : entry.slice(0, colon).trim();
    if (!KEY_ID_PATTERN.test(id)) {
      throw new ConfigError(`${name} has an id that is not 1-32 letters, digits, "-" or "_"`);
    }
    return { id, key };
  });
}
