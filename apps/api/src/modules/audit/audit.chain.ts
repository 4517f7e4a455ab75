import { sign } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql, type SelectQueryBuilder } from 'kysely';
import { shanghaiDate, TIME_ZONE } from '../../platform/clock.js';
import type { Db, DbOrTrx } from '../../platform/db.js';
import type { AuditSigningKey } from './audit.keys.js';
import {
  addDays,
  anchorMessage,
  chainHash,
  GENESIS_HASH,
  isCivilDate,
  type AnchorClaim,
  type CanonicalAuditEvent,
} from './audit.rules.js';

/*
 * Sealing: turning committed audit rows into a hash chain, after the fact.
 *
 * Why a queue and not a watermark. The obvious sealer remembers the last row it sealed and next
 * time takes rows "after" it (by time, id or xid). That is unsafe: a transaction that inserted its
 * audit row at 10:00:00 but committed at 10:00:05 becomes visible after the sealer may already
 * have sealed a row inserted at 10:00:03, so it sorts behind the sealed head and is skipped for
 * ever. Fixes such as a grace period assume a bound on transaction length; an xid horizon
 * (pg_snapshot_xmin) is exact but stores transaction ids, which restart when a dump is restored
 * into a new cluster. Instead recordAudit also inserts the event's id into `audit_unsealed`, in the
 * same transaction, so the entry is visible exactly when the event commits. The sealer asks only
 * "which committed events are not sealed yet?" — all of them are in the queue — and gives each
 * the next seq. A row that commits late simply gets a later seq: no row can be left behind, and
 * the chain's order is the order in which the sealer saw rows commit. Reading the queue by its
 * primary key keeps every batch O(batch size), however long the trail grows.
 *
 * Why an advisory lock. seq must be gapless and each hash builds on the previous one, so two
 * sealers must not interleave. Each batch transaction takes pg_advisory_xact_lock first; a second
 * sealer waits, then (READ COMMITTED: each statement sees what committed before it) reads the new
 * head and an emptier queue. Writers never take this lock, so sealing never slows a write.
 */

const SEAL_LOCK = sql`SELECT pg_advisory_xact_lock(hashtext('jineng.audit.seal'))`;
const ANCHOR_LOCK = sql`SELECT pg_advisory_xact_lock(hashtext('jineng.audit.anchor'))`;

/** Sealing batch size: 1000 links is a few hundred kB of rows, one short transaction. */
export const SEAL_BATCH_SIZE = 1000;

/**
 * Adds the canonical text form of every event column (see CanonicalAuditEvent for why text) to a
 * query over `audit_events as e`. Sealing, anchoring and verification all use this one list.
 */
export function selectCanonicalEvent<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
) {
  return query.select([
    sql<string | null>`e.id::text`.as('canonId'),
    sql<
      string | null
    >`to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
      'canonOccurredAt',
    ),
    sql<string | null>`e.actor_user_id::text`.as('canonActorUserId'),
    sql<string | null>`e.actor_username`.as('canonActorUsername'),
    sql<string | null>`e.actor_role`.as('canonActorRole'),
    sql<string | null>`e.action`.as('canonAction'),
    sql<string | null>`e.entity_type`.as('canonEntityType'),
    sql<string | null>`e.entity_id`.as('canonEntityId'),
    sql<string | null>`e.before::text`.as('canonBefore'),
    sql<string | null>`e.after::text`.as('canonAfter'),
    sql<string | null>`e.outcome`.as('canonOutcome'),
    sql<string | null>`e.request_id`.as('canonRequestId'),
    sql<string | null>`e.ip::text`.as('canonIp'),
    sql<string | null>`e.details::text`.as('canonDetails'),
  ]);
}

/** The selected canonical columns, present (an event was joined) or all null (it is missing). */
export interface CanonicalColumns {
  canonId: string | null;
  canonOccurredAt: string | null;
  canonActorUserId: string | null;
  canonActorUsername: string | null;
  canonActorRole: string | null;
  canonAction: string | null;
  canonEntityType: string | null;
  canonEntityId: string | null;
  canonBefore: string | null;
  canonAfter: string | null;
  canonOutcome: string | null;
  canonRequestId: string | null;
  canonIp: string | null;
  canonDetails: string | null;
}

/** The event of a row from selectCanonicalEvent, or null when the join found no event. */
export function canonicalEventOf(row: CanonicalColumns): CanonicalAuditEvent | null {
  if (row.canonId === null || row.canonOccurredAt === null) return null;
  if (row.canonAction === null || row.canonOutcome === null) return null;
  return {
    id: row.canonId,
    occurredAt: row.canonOccurredAt,
    actorUserId: row.canonActorUserId,
    actorUsername: row.canonActorUsername,
    actorRole: row.canonActorRole,
    action: row.canonAction,
    entityType: row.canonEntityType,
    entityId: row.canonEntityId,
    before: row.canonBefore,
    after: row.canonAfter,
    outcome: row.canonOutcome,
    requestId: row.canonRequestId,
    ip: row.canonIp,
    details: row.canonDetails,
  };
}

/** The latest link of the chain, or the genesis position (seq 0) before the first seal. */
export async function chainHead(db: DbOrTrx): Promise<{ seq: number; hash: string }> {
  const head = await db
    .selectFrom('auditSeals')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return head ?? { seq: 0, hash: GENESIS_HASH };
}

export interface SealOptions {
  /** Recorded as sealed_at (tests place seals on a chosen day); default the database's clock. */
  now?: Date;
  /** Links per transaction (default 1000). */
  batchSize?: number;
  /** Stops between batches, e.g. when the job runner is shutting down. */
  signal?: AbortSignal;
}

/**
 * Seals every committed, unsealed audit event: each gets the next gapless `seq` and
 * `hash = sha256(previous hash ‖ canonical row)`, in batches of `batchSize` per transaction under
 * an advisory lock, so two processes never seal at once. Safe to run at any time from any
 * process, as often as wanted. Returns how many events it sealed.
 */
export async function sealAuditEvents(db: Db, options: SealOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? SEAL_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batchSize must be a positive whole number, got ${batchSize}`);
  }
  let total = 0;
  for (;;) {
    // READ COMMITTED explicitly: each statement after the lock must see what the previous
    // holder committed. Under REPEATABLE READ the snapshot would predate the lock wait.
    const sealed = await db
      .transaction()
      .setIsolationLevel('read committed')
      .execute(async (trx) => {
        await SEAL_LOCK.execute(trx);
        const head = await chainHead(trx);
        // Queue order is event id order (UUIDv7, creation time): deterministic and index-ordered.
        const rows = await selectCanonicalEvent(
          trx.selectFrom('auditUnsealed as u').innerJoin('auditEvents as e', 'e.id', 'u.eventId'),
        )
          .orderBy('u.eventId')
          .limit(batchSize)
          .execute();
        if (rows.length === 0) return 0;
        let previous = head.hash;
        const seals = rows.map((row, index) => {
          const event = canonicalEventOf(row);
          if (!event) throw new Error('An audit event joined for sealing has no columns');
          const seq = head.seq + index + 1;
          previous = chainHash(previous, seq, event);
          return {
            seq,
            eventId: event.id,
            hash: previous,
            ...(options.now ? { sealedAt: options.now } : {}),
          };
        });
        await trx.insertInto('auditSeals').values(seals).execute();
        await trx
          .deleteFrom('auditUnsealed')
          .where(
            'eventId',
            'in',
            seals.map((s) => s.eventId),
          )
          .execute();
        return seals.length;
      });
    total += sealed;
    if (sealed < batchSize || options.signal?.aborted) return total;
  }
}

/** The anchor of one day, as stored in audit_anchors and written to its file. */
export interface AuditAnchor extends AnchorClaim {
  /** Ed25519 signature over anchorMessage(claim), base64. */
  signature: string;
}

/** The JSON written to `$JINENG_DATA_DIR/audit-anchors/YYYY-MM-DD.json`. */
export interface AnchorFile extends AuditAnchor {
  format: 'jineng.audit.anchor.v1';
  /** SPKI PEM of the signing key, for an outside verifier; `jineng audit verify` trusts only its key file. */
  publicKey: string;
}

/** The directory of anchor files inside a data directory. */
export function anchorsDirOf(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'audit-anchors');
}

export function anchorFilePath(anchorsDir: string, day: string): string {
  return path.join(anchorsDir, `${day}.json`);
}

/** The part of a logger anchoring uses (pino's, or the job runner's). */
export interface AuditLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface AnchorDayOptions {
  /** Shanghai civil date YYYY-MM-DD; it must have ended. */
  day: string;
  key: AuditSigningKey;
  anchorsDir: string;
  logger: AuditLogger;
  /** Default the system clock; only used to refuse a day that has not ended yet. */
  now?: Date;
}

export interface AnchorDayResult {
  anchor: AuditAnchor;
  /** False when the day was anchored before (the job ran twice); its file is then ensured. */
  created: boolean;
}

/**
 * Signs the chain head at the end of a Shanghai civil day — the last seq sealed before midnight —
 * and records it three times: a row in audit_anchors, the file `audit-anchors/YYYY-MM-DD.json`,
 * and a log line. Before signing, it recomputes the links since the previous anchor and refuses
 * to sign a chain that is already broken. Idempotent per day: a second run keeps the first anchor.
 */
export async function anchorAuditDay(db: Db, options: AnchorDayOptions): Promise<AnchorDayResult> {
  const { day, key, anchorsDir, logger } = options;
  if (!isCivilDate(day)) throw new Error(`"${day}" is not a date (YYYY-MM-DD)`);
  const now = options.now ?? new Date();
  if (addDays(shanghaiDate(now), -1) < day) {
    throw new Error(`The Shanghai day ${day} has not ended yet; it cannot be anchored`);
  }
  const result = await db
    .transaction()
    .setIsolationLevel('read committed')
    .execute(async (trx) => {
      await ANCHOR_LOCK.execute(trx);
      const existing = await trx
        .selectFrom('auditAnchors')
        .select(['day', 'lastSeq', 'headHash', 'keyId', 'signature'])
        .where('day', '=', day)
        .executeTakeFirst();
      if (existing) return { anchor: existing, created: false };
      const later = await trx
        .selectFrom('auditAnchors')
        .select('day')
        .where('day', '>', day)
        .limit(1)
        .executeTakeFirst();
      if (later) {
        throw new Error(`The audit chain is already anchored for ${later.day}, after ${day}`);
      }
      const previous = await trx
        .selectFrom('auditAnchors')
        .select(['lastSeq', 'headHash'])
        .where('day', '<', day)
        .orderBy('day', 'desc')
        .limit(1)
        .executeTakeFirst();
      const from = previous ?? { lastSeq: 0, headHash: GENESIS_HASH };
      // The day's end in Shanghai, computed by PostgreSQL from the zone name (no fixed offset).
      const head = await trx
        .selectFrom('auditSeals')
        .select('seq')
        .where(
          'sealedAt',
          '<',
          sql<Date>`((${day}::date + 1)::timestamp AT TIME ZONE ${TIME_ZONE})`,
        )
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      // Anchors cover growing prefixes of the chain, even if a sealed_at clock ever stepped back.
      const lastSeq = Math.max(head?.seq ?? 0, from.lastSeq);
      const headHash = await recomputeSegment(trx, from.lastSeq, from.headHash, lastSeq);
      const claim: AnchorClaim = { day, lastSeq, headHash, keyId: key.keyId };
      const anchor: AuditAnchor = {
        ...claim,
        signature: sign(null, anchorMessage(claim), key.privateKey).toString('base64'),
      };
      await trx.insertInto('auditAnchors').values(anchor).execute();
      return { anchor, created: true };
    });
  // Written after commit: a crash in between leaves a row without a file, which the next run
  // (anchorPendingAuditDays) writes. A file written for a rolled-back row would be worse.
  await writeAnchorFile(anchorsDir, result.anchor, key, logger);
  if (result.created) {
    logger.info({ auditAnchor: result.anchor }, `audit chain head anchored for ${day}`);
  }
  return result;
}

/**
 * Recomputes links (fromSeq, toSeq] starting from a trusted hash and returns the hash at toSeq;
 * throws naming the first link that does not match what is stored.
 */
async function recomputeSegment(
  db: DbOrTrx,
  fromSeq: number,
  fromHash: string,
  toSeq: number,
): Promise<string> {
  let previous = fromHash;
  let expected = fromSeq + 1;
  while (expected <= toSeq) {
    const rows = await selectCanonicalEvent(
      db.selectFrom('auditSeals as s').leftJoin('auditEvents as e', 'e.id', 's.eventId'),
    )
      .select(['s.seq', 's.eventId', 's.hash'])
      .where('s.seq', '>=', expected)
      .where('s.seq', '<=', toSeq)
      .orderBy('s.seq')
      .limit(SEAL_BATCH_SIZE)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const event = canonicalEventOf(row);
      const hash = event ? chainHash(previous, row.seq, event) : null;
      if (row.seq !== expected || hash !== row.hash) {
        throw new Error(
          `The audit chain is broken at seq ${expected}; refusing to anchor it ` +
            '(run `jineng audit verify`)',
        );
      }
      previous = hash;
      expected += 1;
    }
  }
  if (expected <= toSeq) {
    throw new Error(`The audit chain is broken at seq ${expected}; refusing to anchor it`);
  }
  return previous;
}

function anchorFileText(anchor: AuditAnchor, key: AuditSigningKey): string {
  const file: AnchorFile = {
    format: 'jineng.audit.anchor.v1',
    day: anchor.day,
    lastSeq: anchor.lastSeq,
    headHash: anchor.headHash,
    keyId: anchor.keyId,
    signature: anchor.signature,
    publicKey: key.publicKeyPem,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Writes an anchor's file unless it exists. An existing file that disagrees is left as it is —
 * it is evidence — and logged; `jineng audit verify` reports the disagreement.
 */
async function writeAnchorFile(
  anchorsDir: string,
  anchor: AuditAnchor,
  key: AuditSigningKey,
  logger: AuditLogger,
): Promise<void> {
  await mkdir(anchorsDir, { recursive: true });
  const file = anchorFilePath(anchorsDir, anchor.day);
  const text = anchorFileText(anchor, key);
  let current: string | undefined;
  try {
    current = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (current === undefined && anchor.keyId !== key.keyId) {
    // The file carries the public key; writing another key's would mislead an outside verifier.
    logger.error(
      { day: anchor.day, keyId: anchor.keyId },
      'audit anchor file missing; key rotated',
    );
  } else if (current === undefined) {
    // Write then rename, so a reader never sees half a file.
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, text, { mode: 0o644 });
    await rename(temporary, file);
  } else if (current !== text) {
    logger.error(
      { day: anchor.day, file },
      'audit anchor file differs from the anchor in the database; left untouched',
    );
  }
}

export interface AnchorPendingOptions {
  key: AuditSigningKey;
  anchorsDir: string;
  logger: AuditLogger;
  now?: Date;
}

/**
 * Anchors every ended day not anchored yet, oldest first: after the previous anchor, or from the
 * day of the first seal, up to yesterday (Shanghai). A server that was down for a week catches
 * up on its next run. Also re-writes the latest anchor's file if a crash lost it. Returns the
 * days anchored now.
 */
export async function anchorPendingAuditDays(
  db: Db,
  options: AnchorPendingOptions,
): Promise<string[]> {
  const now = options.now ?? new Date();
  const yesterday = addDays(shanghaiDate(now), -1);
  const last = await db
    .selectFrom('auditAnchors')
    .select(['day', 'lastSeq', 'headHash', 'keyId', 'signature'])
    .orderBy('day', 'desc')
    .limit(1)
    .executeTakeFirst();
  let day: string;
  if (last) {
    await writeAnchorFile(options.anchorsDir, last, options.key, options.logger);
    day = addDays(last.day, 1);
  } else {
    const first = await db
      .selectFrom('auditSeals')
      .select('sealedAt')
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    day = first ? shanghaiDate(first.sealedAt) : yesterday;
  }
  const anchored: string[] = [];
  for (; day <= yesterday; day = addDays(day, 1)) {
    const { created } = await anchorAuditDay(db, { ...options, day, now });
    if (created) anchored.push(day);
  }
  return anchored;
}
