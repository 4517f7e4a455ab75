import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';

/**
 * An authenticated cipher (AEAD) that an envelope can name by `id`. Encryption algorithms are a
 * registry rather than a branch so that SM4-GCM can be added for 商用密码应用安全性评估 (密评) by
 * registering one more entry: envelopes already carry the id, old ones keep decrypting with the
 * algorithm they were made with, and `PiiCipher.needsReencryption` flags them for migration.
 *
 * Node 20's OpenSSL offers SM4 but not SM4-GCM, so an SM4 entry will need GCM built over
 * `sm4-ctr` plus GHASH, or a vetted library; either way it only has to satisfy this interface.
 */
export interface AeadAlgorithm {
  /** Short id written into every envelope (`a1`); never reuse an id for a different cipher. */
  readonly id: string;
  /** Human name for logs and docs, e.g. `AES-256-GCM`. */
  readonly name: string;
  /** Key length in bytes; keys of any other length are refused before use. */
  readonly keyLength: number;
  /** Nonce length in bytes; a fresh random nonce is drawn for every encryption. */
  readonly ivLength: number;
  /** Authentication tag length in bytes. */
  readonly tagLength: number;
  /** Encrypts `plaintext`, authenticating `aad` as well. */
  seal(
    key: KeyObject,
    iv: Buffer,
    plaintext: Buffer,
    aad: Buffer,
  ): { ciphertext: Buffer; tag: Buffer };
  /** Decrypts and verifies; throws on authentication failure, never returning unverified bytes. */
  open(key: KeyObject, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer;
}

/**
 * AES-256-GCM with a 96-bit random IV and a 128-bit tag. With random IVs one key should protect
 * fewer than 2^32 values (NIST SP 800-38D §8.3); a city's residents, even re-encrypted many times,
 * stay far below that, and rotation resets the count.
 */
export const AES_256_GCM: AeadAlgorithm = {
  id: 'a1',
  name: 'AES-256-GCM',
  keyLength: 32,
  ivLength: 12,
  tagLength: 16,
  seal(key, iv, plaintext, aad) {
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { ciphertext, tag: cipher.getAuthTag() };
  },
  open(key, iv, ciphertext, tag, aad) {
    // authTagLength pins the tag size: without it Node accepts truncated tags, which weakens
    // the forgery bound.
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  },
};

/** Algorithms known to this build, by envelope id. */
export type AeadRegistry = ReadonlyMap<string, AeadAlgorithm>;

/** The default registry: AES-256-GCM only, until an SM4-GCM entry is added. */
export const PII_ALGORITHMS: AeadRegistry = new Map([[AES_256_GCM.id, AES_256_GCM]]);
