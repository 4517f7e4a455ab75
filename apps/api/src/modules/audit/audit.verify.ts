import { verify as verifySignature } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createDb, type DbOrTrx } from '../../platform/db.js';
import {
  anchorFilePath,
  anchorsDirOf,
  canonicalEventOf,
  selectCanonicalEvent,
  type AuditAnchor,
} from './audit.chain.js';
import { readAuditSigningKey, type AuditSigningKey } from './audit.keys.js';
import { anchorMessage, chainHash, GENESIS_HASH, isCivilDate } from './audit.rules.js';

/** The first thing found wrong, as low in the chain as possible. */
export interface AuditProblem {
  /** The chain position concerned; null for an event that was never sealed. */
  seq: number | null;
  eventId: string | null;
  reason: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  /** Links recomputed and found intact (all of them when ok). */
  checked: number;
  /** Days whose anchor (row and file) was checked. */
  anchors: number;
  firstBad?: AuditProblem;
}

export interface VerifyOptions {
  db: DbOrTrx;
  /** `$JINENG_DATA_DIR`, holding keys/ (the signing key) and audit-anchors/. */
  dataDir: string;
  /** Links read per query (default 5000): memory stays flat however long the chain is. */
  batchSize?: number;
}

interface AnchorSource {
  row?: AuditAnchor;
  file?: AuditAnchor;
  /** Why the file could not be read as an anchor. */
  fileError?: string;
}

const ANCHOR_FILE = /^(\d{4}-\d{2}-\d{2})\.json$/;

async function readAnchorFile(dir: string, day: string): Promise<AnchorSource> {
  const name = `${day}.json`;
  let text: string;
  try {
    text = await readFile(anchorFilePath(dir, day), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let file: Partial<Record<keyof AuditAnchor, unknown>>;
  try {
    file = JSON.parse(text) as Partial<Record<keyof AuditAnchor, unknown>>;
  } catch {
    return { fileError: `anchor file ${name} is not valid JSON` };
  }
  if (
    typeof file !== 'object' ||
    file === null ||
    typeof file.day !== 'string' ||
    typeof file.lastSeq !== 'number' ||
    typeof file.headHash !== 'string' ||
    typeof file.keyId !== 'string' ||
    typeof file.signature !== 'string'
  ) {
    return { fileError: `anchor file ${name} is not an anchor` };
  }
  return {
    file: {
      day: file.day,
      lastSeq: file.lastSeq,
      headHash: file.headHash,
      keyId: file.keyId,
      signature: file.signature,
    },
  };
}

async function readAnchorFiles(dir: string): Promise<Map<string, AnchorSource>> {
  const sources = new Map<string, AnchorSource>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return sources;
    throw error;
  }
  for (const name of names.sort()) {
    const day = ANCHOR_FILE.exec(name)?.[1];
    if (day) sources.set(day, await readAnchorFile(dir, day));
  }
  return sources;
}

function sameAnchor(a: AuditAnchor, b: AuditAnchor): boolean {
  return (
    a.day === b.day &&
    a.lastSeq === b.lastSeq &&
    a.headHash === b.headHash &&
    a.keyId === b.keyId &&
    a.signature === b.signature
  );
}

function signatureValid(anchor: AuditAnchor, key: AuditSigningKey): boolean {
  if (anchor.keyId !== key.keyId) return false;
  try {
    return verifySignature(
      null,
      anchorMessage(anchor),
      key.publicKey,
      Buffer.from(anchor.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/**
 * Recomputes the whole audit chain from the rows and checks every anchor. What it catches, even
 * when done by a database superuser:
 * - an edited event (its recomputed hash differs from its seal);
 * - a deleted event (a seal whose event is missing), a deleted seal (a gap in seq);
 * - an edit followed by recomputing every later hash in the database (the recomputed head no
 *   longer matches the signed anchors, which the database cannot re-sign);
 * - rows cut off the end of the chain (an anchor covers seqs that are gone);
 * - an edited, deleted or forged anchor row or file (signature, or row and file disagree);
 * - an event slipped in without ever being sealed or queued for sealing.
 * Links after the last anchor are protected by the chain and by the head logged at each seal.
 * It only reads, so it can run as jineng_app against a live system.
 */
export async function verifyAuditTrail(options: VerifyOptions): Promise<AuditVerifyResult> {
  const { db, dataDir } = options;
  const batchSize = options.batchSize ?? 5000;
  const problems: AuditProblem[] = [];

  // Anchors first, so the chain walk knows which hashes to remember. Files before rows: the
  // anchor job commits a row before writing its file, so every file read has its row visible to
  // the query after it. A row whose file is not there yet (the job is between the two) is
  // looked for once more.
  const anchorsDir = anchorsDirOf(dataDir);
  const sources = await readAnchorFiles(anchorsDir);
  const rows = await db
    .selectFrom('auditAnchors')
    .select(['day', 'lastSeq', 'headHash', 'keyId', 'signature'])
    .orderBy('day')
    .execute();
  for (const row of rows) {
    const source = sources.get(row.day) ?? (await readAnchorFile(anchorsDir, row.day));
    sources.set(row.day, { ...source, row });
  }
  const wanted = new Set<number>();
  for (const source of sources.values()) {
    if (source.row) wanted.add(source.row.lastSeq);
    if (source.file) wanted.add(source.file.lastSeq);
  }

  // The chain, in seq order, batch by batch; stop at the first broken link.
  const hashAt = new Map<number, { hash: string; eventId: string }>([
    [0, { hash: GENESIS_HASH, eventId: '' }],
  ]);
  let previous = GENESIS_HASH;
  let expected = 1;
  let broken = false;
  walk: for (;;) {
    const batch = await selectCanonicalEvent(
      db.selectFrom('auditSeals as s').leftJoin('auditEvents as e', 'e.id', 's.eventId'),
    )
      .select(['s.seq', 's.eventId', 's.hash'])
      .where('s.seq', '>=', expected)
      .orderBy('s.seq')
      .limit(batchSize)
      .execute();
    for (const link of batch) {
      if (link.seq !== expected) {
        problems.push({
          seq: expected,
          eventId: null,
          reason: `seal ${expected} is missing: the chain jumps from ${expected - 1} to ${link.seq}`,
        });
        broken = true;
        break walk;
      }
      const event = canonicalEventOf(link);
      if (!event) {
        problems.push({
          seq: link.seq,
          eventId: link.eventId,
          reason: 'the sealed audit event is missing (deleted)',
        });
        broken = true;
        break walk;
      }
      const hash = chainHash(previous, link.seq, event);
      if (hash !== link.hash) {
        problems.push({
          seq: link.seq,
          eventId: link.eventId,
          reason: 'the audit event or its seal was altered (hash mismatch)',
        });
        broken = true;
        break walk;
      }
      if (wanted.has(link.seq)) hashAt.set(link.seq, { hash, eventId: link.eventId });
      previous = hash;
      expected += 1;
    }
    if (batch.length < batchSize) break;
  }
  const checked = expected - 1;

  // Anchors: each must be signed by our key, agree between row and file, and match the chain.
  const days = [...sources.keys()].sort();
  const key = days.length > 0 ? await readAuditSigningKey(dataDir) : null;
  let lastAnchoredSeq = 0;
  for (const day of days) {
    const source = sources.get(day) ?? {};
    const seqOf = source.row?.lastSeq ?? source.file?.lastSeq ?? null;
    const at = (reason: string, seq = seqOf) => {
      problems.push({
        seq,
        eventId: seq === null ? null : (hashAt.get(seq)?.eventId ?? null),
        reason,
      });
    };
    // Past a broken link nothing can be compared; that link is already the first problem.
    if (broken && seqOf !== null && seqOf >= expected) continue;
    if (source.fileError) {
      at(source.fileError);
      continue;
    }
    const { row, file } = source;
    if (!row) {
      at(`the anchor for ${day} is missing from the database (its file exists)`);
      continue;
    }
    if (!file) {
      at(`the anchor file for ${day} is missing`);
      continue;
    }
    if (!key) {
      at(`the audit signing key is missing, so the anchor for ${day} cannot be checked`);
      continue;
    }
    if (!isCivilDate(file.day) || file.day !== day) {
      at(`the anchor file for ${day} names another day (${file.day})`);
      continue;
    }
    if (!signatureValid(file, key)) {
      at(`the anchor file for ${day} is not validly signed by the audit key`);
      continue;
    }
    if (!signatureValid(row, key)) {
      at(`the anchor for ${day} in the database is not validly signed by the audit key`);
      continue;
    }
    if (!sameAnchor(row, file)) {
      at(`the anchor for ${day} differs between the database and its file`);
      continue;
    }
    if (row.lastSeq < lastAnchoredSeq) {
      at(`the anchor for ${day} goes back to seq ${row.lastSeq} after ${lastAnchoredSeq}`);
      continue;
    }
    lastAnchoredSeq = row.lastSeq;
    if (row.lastSeq > checked) {
      // Only reachable without a broken link: the chain ends before the anchored head.
      at(
        `the anchor for ${day} covers seq ${row.lastSeq}, but the chain ends at seq ${checked}`,
        checked + 1,
      );
      continue;
    }
    if (hashAt.get(row.lastSeq)?.hash !== row.headHash) {
      at(`the chain up to seq ${row.lastSeq} does not match the signed anchor for ${day}`);
    }
  }

  // Events that are neither sealed nor waiting to be: slipped in past recordAudit.
  const stray = await db
    .selectFrom('auditEvents as e')
    .select('e.id')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('auditSeals as s').select('s.seq').whereRef('s.eventId', '=', 'e.id'))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('auditUnsealed as u').select('u.eventId').whereRef('u.eventId', '=', 'e.id'),
        ),
      ),
    )
    .limit(1)
    .executeTakeFirst();
  if (stray) {
    problems.push({
      seq: null,
      eventId: stray.id,
      reason: 'the audit event is neither sealed nor queued for sealing',
    });
  }

  const firstBad = problems.reduce<AuditProblem | undefined>((first, problem) => {
    if (!first) return problem;
    if (first.seq === null) return problem.seq === null ? first : problem;
    return problem.seq !== null && problem.seq < first.seq ? problem : first;
  }, undefined);
  return firstBad
    ? { ok: false, checked, anchors: days.length, firstBad }
    : { ok: true, checked, anchors: days.length };
}

export interface AuditVerifyCommandOptions {
  /** The app's connection (SELECT is all it needs). */
  databaseUrl: string;
  dataDir: string;
  /** Where the one-line summary goes (default stdout). */
  write?: (line: string) => void;
}

/** The one-line human summary of a verification. */
export function describeAuditVerifyResult(result: AuditVerifyResult): string {
  if (result.ok) {
    return (
      `audit trail intact: ${result.checked} sealed event(s) recomputed, ` +
      `${result.anchors} daily anchor(s) checked`
    );
  }
  const bad = result.firstBad;
  const where = [
    bad?.seq !== null && bad?.seq !== undefined ? `seq ${bad.seq}` : undefined,
    bad?.eventId ? `event ${bad.eventId}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    `audit trail TAMPERED at ${where || 'an unknown position'}: ${bad?.reason ?? 'unknown'} ` +
    `(${result.checked} event(s) verified before it)`
  );
}

/**
 * `jineng audit verify`: recomputes the chain and checks the anchors, prints one line and returns
 * the exit code — 0 when intact, 1 when anything was tampered with (the line names the first bad
 * row). A failure to connect throws, as for any other command.
 */
export async function runAuditVerifyCommand(options: AuditVerifyCommandOptions): Promise<number> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const db = createDb({ url: options.databaseUrl, max: 2, applicationName: 'jineng-audit-verify' });
  try {
    const result = await verifyAuditTrail({ db, dataDir: options.dataDir });
    write(describeAuditVerifyResult(result));
    return result.ok ? 0 : 1;
  } finally {
    await db.destroy();
  }
}
