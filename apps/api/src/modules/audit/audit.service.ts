import type { DbOrTrx, Trx } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { describeAuditAction, isAuditAction, type AuditAction } from './audit.catalog.js';
import { scrubAuditText, scrubAuditValue } from './audit.rules.js';
import * as repo from './audit.repository.js';
import type { AuditOutcome, JsonValue } from './audit.schema.js';

/** Who is acting. All null for an anonymous request (e.g. a failed login of an unknown name). */
export interface AuditActor {
  userId: string | null;
  username: string | null;
  role: string | null;
}

/** What a route knows about the request; it passes this to the service, which records it. */
export interface AuditContext {
  actor: AuditActor;
  requestId: string | null;
  ip: string | null;
}

/** The context for work done by the system itself (jobs, start-up), not on behalf of a user. */
export function systemAuditContext(process = 'system'): AuditContext {
  return { actor: { userId: null, username: process, role: 'system' }, requestId: null, ip: null };
}

/** One audited act. */
export interface AuditEventInput {
  context: AuditContext;
  action: AuditAction;
  /** e.g. `person`, `user`, `export`; required when entityId is given. */
  entityType?: string | null;
  entityId?: string | null;
  /** The record as it was (writes), scrubbed before storing. */
  before?: unknown;
  /** The record as it became (writes), scrubbed before storing. */
  after?: unknown;
  /** Anything else worth keeping: a reason, counts of an export, the field revealed. */
  details?: Record<string, unknown> | null;
  /** Defaults to `success`. */
  outcome?: AuditOutcome;
  /** Defaults to now; services pass their clock's time so tests control it. */
  occurredAt?: Date;
}

function json(value: unknown): string | null {
  const scrubbed = scrubAuditValue(value);
  return scrubbed === undefined || scrubbed === null ? null : JSON.stringify(scrubbed);
}

/**
 * Appends an audit row inside the caller's transaction, so the business write and its audit row
 * commit together or not at all: if this insert fails (a bad value, the database refusing), the
 * error propagates and the caller's transaction rolls back. It takes a `Transaction`, not a
 * plain `Db`, so the compiler rejects a call outside one. An audited read (a person's full ID
 * number) runs the read and this call in one transaction, and returns the data only after commit.
 *
 * Before storing, every full ID number in any text (username, entity id, before/after/details,
 * even object keys) is masked and credential-named keys are redacted (see audit.rules.ts).
 * Writers never lock or read the chain; sealing happens later (audit.chain.ts). Returns the id.
 */
export async function recordAudit(trx: Trx, event: AuditEventInput): Promise<string> {
  const [id] = await recordAuditMany(trx, [event]);
  return id as string;
}

/**
 * Appends several audit rows in one statement (a bulk import audits every person it touches):
 * the same checks and scrubbing as {@link recordAudit}, one round trip. Returns the ids in order.
 */
export async function recordAuditMany(trx: Trx, events: AuditEventInput[]): Promise<string[]> {
  // The type already demands a Transaction; this catches a cast from a plain Db.
  if (!trx.isTransaction) throw new Error('recordAudit must run inside the business transaction');
  const rows = events.map((event) => {
    if (!isAuditAction(event.action)) {
      throw new Error(`"${String(event.action)}" is not an action code in the audit catalog`);
    }
    const { context } = event;
    const entityType = event.entityType ?? null;
    const entityId = scrubAuditText(event.entityId);
    if (entityId !== null && entityType === null) {
      throw new Error('An audited entity id needs its entity type');
    }
    return {
      id: uuidv7(),
      occurredAt: event.occurredAt ?? new Date(),
      actorUserId: context.actor.userId,
      actorUsername: scrubAuditText(context.actor.username),
      actorRole: context.actor.role,
      action: event.action,
      entityType,
      entityId,
      before: json(event.before),
      after: json(event.after),
      outcome: event.outcome ?? 'success',
      requestId: scrubAuditText(context.requestId),
      ip: context.ip,
      details: json(event.details),
    };
  });
  // Kysely's parameter limit: 14 columns per row, so 2,000 rows stay well under 65,535.
  for (let i = 0; i < rows.length; i += 2000) {
    await repo.insertAuditEvents(trx, rows.slice(i, i + 2000));
  }
  return rows.map((r) => r.id);
}

/** Filters an auditor can combine; times are instants, `from` inclusive and `to` exclusive. */
export interface AuditSearchQuery extends repo.AuditEventFilter {
  /** 1-based. */
  page: number;
  /** 1 to 200. */
  pageSize: number;
}

/** An audit row as the auditor sees it. */
export interface AuditEventView {
  id: string;
  occurredAt: Date;
  actorUserId: string | null;
  actorUsername: string | null;
  actorRole: string | null;
  action: string;
  /** The catalog's description of `action`. */
  actionDescription: string;
  entityType: string | null;
  entityId: string | null;
  before: JsonValue | null;
  after: JsonValue | null;
  outcome: AuditOutcome;
  requestId: string | null;
  ip: string | null;
  details: JsonValue | null;
  /** Position in the sealed chain; null until the sealing job has reached the row. */
  seq: number | null;
}

export interface AuditSearchResult {
  items: AuditEventView[];
  total: number;
  page: number;
  pageSize: number;
}

const MAX_PAGE_SIZE = 200;

/**
 * Searches the audit trail by entity, actor, action, outcome and time, newest first. Each filter
 * is served by an index from migration 0004. Who may search is the route's access check.
 */
export async function searchAudit(
  db: DbOrTrx,
  query: AuditSearchQuery,
): Promise<AuditSearchResult> {
  const { page, pageSize, ...filter } = query;
  if (!Number.isInteger(page) || page < 1) {
    throw new DomainError('VALIDATION_FAILED', 'page must be a whole number from 1', [
      { path: '/query/page', message: 'must be a whole number from 1' },
    ]);
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new DomainError('VALIDATION_FAILED', `pageSize must be from 1 to ${MAX_PAGE_SIZE}`, [
      { path: '/query/pageSize', message: `must be from 1 to ${MAX_PAGE_SIZE}` },
    ]);
  }
  const [rows, total] = await Promise.all([
    repo.findAuditEvents(db, filter, { limit: pageSize, offset: (page - 1) * pageSize }),
    repo.countAuditEvents(db, filter),
  ]);
  return {
    items: rows.map((row) => ({ ...row, actionDescription: describeAuditAction(row.action) })),
    total,
    page,
    pageSize,
  };
}
