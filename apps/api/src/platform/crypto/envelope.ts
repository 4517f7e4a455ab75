/**
 * The text form of an encrypted value, stored in a `text` column:
 *
 *     v1.<algorithmId>.k<keyId>.<base64url(iv ‖ ciphertext ‖ tag)>
 *     e.g. v1.a1.k3f9c2a71.Zm9v…
 *
 * Text rather than bytea because it passes through Kysely, pg, JSON, CSV exports and psql without
 * encoding surprises, and a human can tell at a glance which key and algorithm made a row (to
 * find rows still on an old key: `WHERE id_number_enc NOT LIKE 'v1.a1.k<current>.%'`). The cost
 * is about a third more bytes than bytea, which is small next to an 18-character ID number.
 *
 * None of the four segments can contain a `.`, so splitting on `.` is unambiguous. The version
 * describes this layout; the algorithm id says how to read the payload; the key id says which key.
 */
export const ENVELOPE_VERSION = 'v1';

/** Key ids appear inside envelopes and env variables, so they are kept short and dot-free. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

const ALGORITHM_ID_PATTERN = /^[a-z][a-z0-9]{0,7}$/;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;

/** The parts of an envelope, before any cryptography. */
export interface ParsedEnvelope {
  version: string;
  algorithmId: string;
  keyId: string;
  payload: Buffer;
}

/** The header shared by the envelope text and its associated data. */
export function envelopeHeader(algorithmId: string, keyId: string): string {
  return `${ENVELOPE_VERSION}.${algorithmId}.k${keyId}`;
}

/** Renders an envelope; the payload is iv ‖ ciphertext ‖ tag. */
export function formatEnvelope(algorithmId: string, keyId: string, payload: Buffer): string {
  return `${envelopeHeader(algorithmId, keyId)}.${payload.toString('base64url')}`;
}

/**
 * Splits an envelope into its parts, or returns undefined when it is not shaped like one. The
 * version is returned as found so the caller can tell "unsupported version" from "garbage".
 */
export function parseEnvelope(text: string): ParsedEnvelope | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const [version, algorithmId, keyPart, body] = parts as [string, string, string, string];
  if (!/^v[0-9]+$/.test(version)) return undefined;
  if (!ALGORITHM_ID_PATTERN.test(algorithmId)) return undefined;
  if (!keyPart.startsWith('k') || !KEY_ID_PATTERN.test(keyPart.slice(1))) return undefined;
  if (!BASE64URL_PATTERN.test(body)) return undefined;
  const payload = Buffer.from(body, 'base64url');
  // Node's decoder silently ignores stray trailing bits; insisting on the canonical form means
  // one value has exactly one spelling.
  if (payload.toString('base64url') !== body) return undefined;
  return { version, algorithmId, keyId: keyPart.slice(1), payload };
}
