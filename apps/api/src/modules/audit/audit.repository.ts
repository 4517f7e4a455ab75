import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db.js';
import type { AuditOutcome } from './audit.schema.js';

/** A row ready to insert: already scrubbed, JSON columns as text. */
export interface NewAuditEventRow {
  id: string;
  occurredAt: Date;
  actorUserId: string | null;
  actorUsername: string | null;
  actorRole: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  before: string | null;
  after: string | null;
  outcome: AuditOutcome;
  requestId: string | null;
  ip: string | null;
  details: string | null;
}

/**
 * Inserts an event and its "not yet sealed" queue entry in one statement (one round trip per
 * audited write). The foreign key from the queue is checked at the end of the statement, after
 * the event row exists.
 */
export async function insertAuditEvents(trx: Trx, rows: NewAuditEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .with('event', (db) => db.insertInto('auditEvents').values(rows).returning('id'))
    .insertInto('auditUnsealed')
    .columns(['eventId'])
    .expression((eb) => eb.selectFrom('event').select('event.id'))
    .execute();
}

export interface AuditEventFilter {
  entityType?: string;
  entityId?: string;
  actorUserId?: string;
  actorUsername?: string;
  action?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
}

function filtered(db: DbOrTrx, filter: AuditEventFilter) {
  let query = db.selectFrom('auditEvents as e');
  if (filter.entityType !== undefined) query = query.where('e.entityType', '=', filter.entityType);
  if (filter.entityId !== undefined) query = query.where('e.entityId', '=', filter.entityId);
  if (filter.actorUserId !== undefined) {
    query = query.where('e.actorUserId', '=', filter.actorUserId);
  }
  if (filter.actorUsername !== undefined) {
    query = query.where('e.actorUsername', '=', filter.actorUsername);
  }
  if (filter.action !== undefined) query = query.where('e.action', '=', filter.action);
  if (filter.outcome !== undefined) query = query.where('e.outcome', '=', filter.outcome);
  if (filter.from !== undefined) query = query.where('e.occurredAt', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('e.occurredAt', '<', filter.to);
  return query;
}

/** Matching events, newest first, each with its seal's seq (null while unsealed). */
export function findAuditEvents(
  db: DbOrTrx,
  filter: AuditEventFilter,
  page: { limit: number; offset: number },
) {
  return filtered(db, filter)
    .leftJoin('auditSeals as s', 's.eventId', 'e.id')
    .selectAll('e')
    .select('s.seq')
    .orderBy('e.occurredAt', 'desc')
    .orderBy('e.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countAuditEvents(db: DbOrTrx, filter: AuditEventFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select(sql<number>`count(*)::int`.as('total'))
    .executeTakeFirstOrThrow();
  return row.total;
}
