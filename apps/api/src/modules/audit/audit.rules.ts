import { createHash } from 'node:crypto';
import { maskIdNumber } from '../../platform/crypto/index.js';
import type { JsonValue } from './audit.schema.js';

/*
 * Pure rules of the audit trail: what may be stored in an audit row, and how rows are hashed into
 * the chain and anchors are signed. No I/O here, so the exact bytes that get hashed can be unit
 * tested and re-implemented by an outside verifier.
 */

// 18 digits, the last may be X (GB 11643), optionally split by spaces, hyphens or invisible
// characters the way people type or paste them ("411402 19900307 123X"). The look-arounds stop a
// match inside a longer run of digits (a bank card number), so phone lists and amounts are left
// alone; an over-match only masks some digits, which is the safe side.
const ID_NUMBER_PATTERN =
  '(?<![0-9])[0-9](?:[ \\t\\p{Cf}-]?[0-9]){16}[ \\t\\p{Cf}-]?[0-9Xx](?![0-9])';
const ID_NUMBER = new RegExp(ID_NUMBER_PATTERN, 'u');
const ID_NUMBERS = new RegExp(ID_NUMBER_PATTERN, 'gu');
// Full-width digits (４１１…) are the same number to a reader; NFKC turns them into ASCII.
const NON_ASCII = /[^\x00-\x7f]/; // eslint-disable-line no-control-regex

/**
 * Masks every full resident ID number in a text (`411402********123X`). Text holding one written
 * in full-width digits comes back NFKC-normalised, since the match is found in that form. An audit
 * row never stores a full ID number: the audit trail is read by more people than the registry.
 */
export function maskIdNumbersInText(text: string): string {
  const masked = maskAscii(text);
  if (!NON_ASCII.test(masked)) return masked;
  // Normalise only when a full-width number is there, so other text keeps its punctuation.
  const normalized = masked.normalize('NFKC');
  return ID_NUMBER.test(normalized) ? maskAscii(normalized) : masked;
}

// Record ids: 32 hex digits in 8-4-4-4-12. No ID number has that shape, but the digits of one
// can look like a hyphenated ID number ("01936412-3456-7890-81ab-…"), so they are never masked.
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function maskAscii(text: string): string {
  if (!ID_NUMBER.test(text)) return text;
  let out = '';
  let from = 0;
  for (const uuid of text.matchAll(UUIDS)) {
    out += text.slice(from, uuid.index).replace(ID_NUMBERS, (match) => maskIdNumber(match));
    out += uuid[0];
    from = uuid.index + uuid[0].length;
  }
  return out + text.slice(from).replace(ID_NUMBERS, (match) => maskIdNumber(match));
}

/** Whether a text still contains a full ID number, in ASCII or full-width digits. */
export function containsFullIdNumber(text: string): boolean {
  return ID_NUMBER.test(text) || ID_NUMBER.test(text.normalize('NFKC'));
}

/** Shown instead of a credential's value, so an auditor still sees that it changed. */
export const REDACTED = '[redacted]';

// Keys whose values are credentials: password, newPassword, passwordHash, token, accessToken,
// tokenHash, secret, clientSecret, apiKey, privateKey. Compared without case, `_` or `-`.
const SECRET_KEY = /(password|passwordhash|passwd|token|tokenhash|secret|apikey|privatekey)$/;

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));
}

const MAX_DEPTH = 32;

/**
 * Makes a value fit to store in an audit row's before/after/details: JSON only (dates become ISO
 * strings, bigints strings, undefined and functions are dropped, as JSON.stringify would), every
 * full ID number masked in strings and keys, and credential-named keys redacted. A boolean under
 * a credential key (`mustChangePassword`) is kept: it cannot be a secret and auditors need it.
 * Throws on a cycle rather than storing something partial.
 */
export function scrubAuditValue(value: unknown): JsonValue | undefined {
  return scrub(value, 0, new Set());
}

function scrub(value: unknown, depth: number, seen: Set<object>): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
      return maskIdNumbersInText(value);
    case 'number': {
      if (!Number.isFinite(value)) return null;
      // An ID number held as a number (from a spreadsheet cell) is still an ID number.
      const text = String(value);
      return containsFullIdNumber(text) ? maskIdNumbersInText(text) : value;
    }
    case 'bigint':
      return maskIdNumbersInText(value.toString());
    case 'boolean':
      return value;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (depth >= MAX_DEPTH) throw new Error('Audit data is nested too deeply to store');
  if (seen.has(object)) throw new Error('Audit data contains a cycle');
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    return scrub((toJSON as () => unknown).call(object), depth + 1, seen);
  }
  if (ArrayBuffer.isView(object)) return `[binary, ${object.byteLength} bytes]`;
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      return object.map((item: unknown) => scrub(item, depth + 1, seen) ?? null);
    }
    const result: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(object)) {
      const scrubbed =
        isSecretKey(key) && item !== null && typeof item !== 'boolean' && item !== undefined
          ? REDACTED
          : scrub(item, depth + 1, seen);
      if (scrubbed !== undefined) result[maskIdNumbersInText(key)] = scrubbed;
    }
    return result;
  } finally {
    seen.delete(object);
  }
}

/** A text column scrubbed of full ID numbers (a username may well be someone's ID number). */
export function scrubAuditText(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : maskIdNumbersInText(value);
}

/** The hash the first link of the chain builds on. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * An audit event as PostgreSQL renders it to text, which is what gets hashed. Hashing the
 * database's own text forms, not JS values, is what makes the hash reproducible: a JS Date keeps
 * milliseconds only while timestamptz keeps microseconds (so a superuser's edit of the
 * microseconds would go unseen), node-pg parses jsonb numbers into doubles (losing digits), and
 * jsonb has one text form for a value whatever the key order it was written in. `occurredAt` is
 * rendered in UTC with microseconds, independent of the session time zone.
 */
export interface CanonicalAuditEvent {
  id: string;
  occurredAt: string;
  actorUserId: string | null;
  actorUsername: string | null;
  actorRole: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  before: string | null;
  after: string | null;
  outcome: string;
  requestId: string | null;
  ip: string | null;
  details: string | null;
}

const CANONICAL_FORMAT = 'jineng.audit.v1';

/**
 * The exact text hashed for one link: a JSON array (arrays keep their order, so no key-ordering
 * rules are needed) of the format tag, the seq and every column of the event.
 */
export function canonicalAuditText(seq: number, event: CanonicalAuditEvent): string {
  return JSON.stringify([
    CANONICAL_FORMAT,
    seq,
    event.id,
    event.occurredAt,
    event.actorUserId,
    event.actorUsername,
    event.actorRole,
    event.action,
    event.entityType,
    event.entityId,
    event.before,
    event.after,
    event.outcome,
    event.requestId,
    event.ip,
    event.details,
  ]);
}

/**
 * hash(seq) = sha256(hash(seq − 1) ‖ "\n" ‖ canonical text), hex. Chaining on the previous hash
 * means changing, removing or reordering any sealed event changes every later hash.
 */
export function chainHash(previousHash: string, seq: number, event: CanonicalAuditEvent): string {
  return createHash('sha256')
    .update(`${previousHash}\n${canonicalAuditText(seq, event)}`, 'utf8')
    .digest('hex');
}

/** What an anchor commits to: the chain head at the end of one Shanghai civil day. */
export interface AnchorClaim {
  day: string;
  lastSeq: number;
  headHash: string;
  keyId: string;
}

/** The exact bytes an anchor's Ed25519 signature covers (the key id too, so it can't be moved). */
export function anchorMessage(claim: AnchorClaim): Buffer {
  return Buffer.from(
    `jineng.audit.anchor.v1\n${claim.day}\n${claim.lastSeq}\n${claim.headHash}\n${claim.keyId}\n`,
    'utf8',
  );
}

const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a string is a real calendar date written YYYY-MM-DD. */
export function isCivilDate(day: string): boolean {
  const match = CIVIL_DATE.exec(day);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === day;
}

/** The civil date `days` after (or before, when negative) a YYYY-MM-DD date. */
export function addDays(day: string, days: number): string {
  if (!isCivilDate(day)) throw new Error(`"${day}" is not a date (YYYY-MM-DD)`);
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
