import { randomBytes, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { PII_ALGORITHMS, type AeadAlgorithm, type AeadRegistry } from './algorithms.js';
import { computeBlindIndex, type BlindIndexKind } from './blind-index.js';
import { ENVELOPE_VERSION, envelopeHeader, formatEnvelope, parseEnvelope } from './envelope.js';
import type { PiiKeys } from './pii-keys.js';

/** Why a value could not be decrypted. */
export type PiiDecryptReason =
  /** Not an envelope at all (truncated, wrong separators, bad base64url, payload too short). */
  | 'malformed'
  /** An envelope layout this build does not know. */
  | 'unsupported_version'
  /** An algorithm id that is not registered. */
  | 'unknown_algorithm'
  /** A key id whose key is not loaded (dropped too early after a rotation, or another system's). */
  | 'unknown_key'
  /** The tag did not verify: the bytes were altered, or the envelope belongs to another field. */
  | 'authentication_failed';

/**
 * Thrown whenever an envelope cannot be decrypted and verified. Decryption either returns the
 * exact plaintext that was encrypted for that field or throws this; it never returns guesses.
 * The message names the field and key id, never plaintext or key material.
 */
export class PiiDecryptError extends Error {
  override readonly name = 'PiiDecryptError';
  constructor(
    readonly reason: PiiDecryptReason,
    /** The field being decrypted, e.g. `person.id_number`; absent for `needsReencryption`. */
    readonly field: string | undefined,
    readonly keyId?: string,
  ) {
    super(
      `cannot decrypt${field === undefined ? '' : ` ${field}`}: ${reason.replace(/_/g, ' ')}` +
        (keyId === undefined ? '' : ` (key ${keyId})`),
    );
  }
}

/**
 * Field names bind an envelope to its column: `table.column` in lower snake case, like
 * `person.id_number`. They are part of the authenticated data, so renaming a column means
 * re-encrypting it (or keeping the old field name).
 */
const FIELD_PATTERN = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/;

export interface PiiCipherOptions {
  /** Algorithm id for new envelopes (default `a1`, AES-256-GCM). */
  algorithm?: string;
  /** Algorithms that can decrypt (default `PII_ALGORITHMS`). */
  algorithms?: AeadRegistry;
}

/**
 * Encrypts and decrypts personal data fields and computes their blind indexes.
 *
 * Envelopes are `v1.<alg>.k<keyId>.<base64url(iv ‖ ciphertext ‖ tag)>` (see `envelope.ts`). The
 * associated data is `<header>|<field>`: the field stops a ciphertext copied into another column
 * (say a phone into `id_number`) from decrypting there, and the header stops an envelope from
 * being relabelled to another algorithm or key.
 *
 * No padding is added, so the ciphertext length reveals the plaintext length; ID numbers (18)
 * and mobile numbers (11) have fixed lengths anyway.
 */
export class PiiCipher {
  readonly #keys: PiiKeys;
  readonly #currentKey: KeyObject;
  readonly #algorithm: AeadAlgorithm;
  readonly #algorithms: AeadRegistry;

  constructor(keys: PiiKeys, options: PiiCipherOptions = {}) {
    const algorithms = options.algorithms ?? PII_ALGORITHMS;
    const id = options.algorithm ?? 'a1';
    const algorithm = algorithms.get(id);
    if (algorithm === undefined) throw new Error(`unknown PII algorithm "${id}"`);
    const current = keys.encryptionKey(keys.currentKeyId);
    if (current?.symmetricKeySize !== algorithm.keyLength) {
      throw new Error(
        `PII key ${keys.currentKeyId} does not fit ${algorithm.name} (${algorithm.keyLength} bytes)`,
      );
    }
    this.#keys = keys;
    this.#currentKey = current;
    this.#algorithm = algorithm;
    this.#algorithms = algorithms;
  }

  /** Id of the key new envelopes are made with. */
  get currentKeyId(): string {
    return this.#keys.currentKeyId;
  }

  /** Id of the algorithm new envelopes are made with. */
  get algorithmId(): string {
    return this.#algorithm.id;
  }

  /**
   * Encrypts `plaintext` (any UTF-8 text) for `field` under the current key and algorithm, with
   * a fresh random IV, so encrypting the same value twice gives different envelopes (use
   * `blindIndex` to compare values).
   */
  encrypt(field: string, plaintext: string): string {
    assertField(field);
    const algorithm = this.#algorithm;
    const keyId = this.#keys.currentKeyId;
    const iv = randomBytes(algorithm.ivLength);
    const { ciphertext, tag } = algorithm.seal(
      this.#currentKey,
      iv,
      Buffer.from(plaintext, 'utf8'),
      associatedData(algorithm.id, keyId, field),
    );
    return formatEnvelope(algorithm.id, keyId, Buffer.concat([iv, ciphertext, tag]));
  }

  /**
   * Decrypts an envelope made by `encrypt` for the same `field`, with whichever loaded key and
   * registered algorithm it names.
   *
   * @throws PiiDecryptError when the envelope is malformed, names an unknown version, algorithm or
   *   key, or fails authentication (tampered, or made for another field).
   */
  decrypt(field: string, envelope: string): string {
    assertField(field);
    const parsed = typeof envelope === 'string' ? parseEnvelope(envelope) : undefined;
    if (parsed === undefined) throw new PiiDecryptError('malformed', field);
    const { version, algorithmId, keyId, payload } = parsed;
    if (version !== ENVELOPE_VERSION) throw new PiiDecryptError('unsupported_version', field);
    const algorithm = this.#algorithms.get(algorithmId);
    if (algorithm === undefined) throw new PiiDecryptError('unknown_algorithm', field, keyId);
    const key = this.#keys.encryptionKey(keyId);
    if (key === undefined || key.symmetricKeySize !== algorithm.keyLength) {
      throw new PiiDecryptError('unknown_key', field, keyId);
    }
    const { ivLength, tagLength } = algorithm;
    if (payload.length < ivLength + tagLength) throw new PiiDecryptError('malformed', field, keyId);
    let plaintext: Buffer;
    try {
      plaintext = algorithm.open(
        key,
        payload.subarray(0, ivLength),
        payload.subarray(ivLength, payload.length - tagLength),
        payload.subarray(payload.length - tagLength),
        associatedData(algorithmId, keyId, field),
      );
    } catch {
      throw new PiiDecryptError('authentication_failed', field, keyId);
    }
    return plaintext.toString('utf8');
  }

  /**
   * Whether an envelope was made with a key or algorithm other than the current ones, i.e.
   * whether a rotation job should rewrite it (`reencrypt`). Does not verify the envelope.
   *
   * @throws PiiDecryptError (`malformed`) when it is not an envelope, so a re-encryption job
   *   stops at garbage instead of skipping it.
   */
  needsReencryption(envelope: string): boolean {
    const parsed = parseEnvelope(envelope);
    if (parsed === undefined) throw new PiiDecryptError('malformed', undefined);
    return (
      parsed.version !== ENVELOPE_VERSION ||
      parsed.algorithmId !== this.#algorithm.id ||
      parsed.keyId !== this.#keys.currentKeyId
    );
  }

  /**
   * The envelope re-made under the current key and algorithm, or the same envelope when it
   * already is. For the rotation job: select rows with old envelopes, `reencrypt`, update.
   *
   * @throws PiiDecryptError as `decrypt` does.
   */
  reencrypt(field: string, envelope: string): string {
    if (!this.needsReencryption(envelope)) return envelope;
    return this.encrypt(field, this.decrypt(field, envelope));
  }

  /** Blind index of `value` (normalised for `kind` first); see `computeBlindIndex`. */
  blindIndex(kind: BlindIndexKind, value: string): string {
    return computeBlindIndex(this.#keys.indexKey(), kind, value);
  }

  /** Key ids and algorithm only; never key material. */
  toJSON(): ReturnType<PiiKeys['toJSON']> & { algorithmId: string } {
    return { ...this.#keys.toJSON(), algorithmId: this.#algorithm.id };
  }

  [inspect.custom](): string {
    return `PiiCipher { algorithm: ${this.#algorithm.name}, keys: ${this.#keys.toString()} }`;
  }
}

function assertField(field: string): void {
  if (!FIELD_PATTERN.test(field)) {
    throw new TypeError(`PII field "${field}" must look like "table.column" in lower snake case`);
  }
}

function associatedData(algorithmId: string, keyId: string, field: string): Buffer {
  return Buffer.from(`${envelopeHeader(algorithmId, keyId)}|${field}`, 'utf8');
}
