import { createHmac, type KeyObject } from 'node:crypto';
import { normalizeIdNumber, normalizePhone } from './normalize.js';

/**
 * What a blind index is of. Each kind has its own normaliser, and the kind is hashed in, so an ID
 * number and a phone number that happen to be the same digits get unrelated indexes. Adding a
 * kind means adding an entry here.
 */
const NORMALIZERS = {
  id_number: normalizeIdNumber,
  phone: normalizePhone,
} as const satisfies Record<string, (raw: string) => string>;

export type BlindIndexKind = keyof typeof NORMALIZERS;

/** The kinds that can be blind-indexed. */
export const BLIND_INDEX_KINDS = Object.keys(NORMALIZERS) as readonly BlindIndexKind[];

/**
 * HMAC-SHA256 blind index of `value`, as 64 lowercase hex digits (store it in a `text` column with
 * a UNIQUE index for one-person-per-ID-number, or a plain index for lookup).
 *
 * The value is normalised for its kind first; normalisation is idempotent, so passing an already
 * normalised value is fine, and forgetting to normalise cannot produce a second index for the
 * same person. The HMAC input is `label NUL kind NUL value`: neither the label nor a kind contains
 * NUL, so distinct (kind, value) pairs never produce the same input.
 *
 * The index key cannot be rotated like the encryption keys: stored indexes are only comparable
 * with ones made under the same key, and an HMAC cannot be converted to another key without the
 * plaintext. Re-indexing (after a key compromise, or to move to HMAC-SM3 for 密评) goes:
 * add a second index column; have writers fill both; backfill it in batches by decrypting each
 * row's envelope, normalising and indexing under the new key; then build its UNIQUE index,
 * switch lookups to it, and drop the old column and key. Duplicates found while building the new
 * UNIQUE index mean the old normalisation let two spellings through — resolve them before
 * switching.
 *
 * @throws RangeError when the normalised value is empty, which would make every blank value one
 *   "person".
 */
export function computeBlindIndex(
  indexKey: KeyObject,
  kind: BlindIndexKind,
  value: string,
): string {
  const normalize: ((raw: string) => string) | undefined = NORMALIZERS[kind];
  if (normalize === undefined) throw new TypeError(`unknown blind index kind "${String(kind)}"`);
  const normalized = normalize(value);
  if (normalized === '') throw new RangeError(`cannot blind-index an empty ${kind}`);
  return createHmac('sha256', indexKey)
    .update(`jineng/blind-index/v1\0${kind}\0${normalized}`, 'utf8')
    .digest('hex');
}
