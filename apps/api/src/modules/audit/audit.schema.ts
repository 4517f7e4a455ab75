import type { ColumnType } from 'kysely';

/*
 * Kysely's view of migrations/0004_create_audit.sql. The update type of every column is `never`:
 * the app role may not UPDATE these tables, and the compiler should say so before PostgreSQL does.
 * This file imports nothing from db-schema.ts, which extends AuditTables, so there is no cycle.
 */

/** A JSON value as PostgreSQL's jsonb hands it back. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Who acted: success, refused by an access rule, or failed (bad password, error). */
export type AuditOutcome = 'success' | 'denied' | 'failed';

type Immutable<S, I = S> = ColumnType<S, I, never>;
type ImmutableTimestamp = ColumnType<Date, Date | string, never>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, never>;
/** jsonb: inserted as JSON text (node-pg would turn a JS array into a PostgreSQL array). */
type ImmutableJson = ColumnType<JsonValue | null, string | null, never>;

export interface AuditEventsTable {
  id: Immutable<string>;
  occurredAt: ImmutableTimestamp;
  actorUserId: Immutable<string | null>;
  actorUsername: Immutable<string | null>;
  actorRole: Immutable<string | null>;
  action: Immutable<string>;
  entityType: Immutable<string | null>;
  entityId: Immutable<string | null>;
  before: ImmutableJson;
  after: ImmutableJson;
  outcome: Immutable<AuditOutcome>;
  requestId: Immutable<string | null>;
  ip: Immutable<string | null>;
  details: ImmutableJson;
}

/** Events whose seal is still to come; the sealer deletes an entry when it seals the event. */
export interface AuditUnsealedTable {
  eventId: Immutable<string>;
}

export interface AuditSealsTable {
  seq: Immutable<number>;
  eventId: Immutable<string>;
  hash: Immutable<string>;
  sealedAt: DefaultedTimestamp;
}

export interface AuditAnchorsTable {
  /** Shanghai civil date, YYYY-MM-DD. */
  day: Immutable<string>;
  lastSeq: Immutable<number>;
  headHash: Immutable<string>;
  signature: Immutable<string>;
  keyId: Immutable<string>;
  createdAt: DefaultedTimestamp;
}

/** The audit tables; `Database` in platform/db-schema.ts extends this. */
export interface AuditTables {
  auditEvents: AuditEventsTable;
  auditUnsealed: AuditUnsealedTable;
  auditSeals: AuditSealsTable;
  auditAnchors: AuditAnchorsTable;
}
