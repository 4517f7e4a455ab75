-- The audit trail (R-PLT-5, issue #3): who did what to which record, when, from where, and with
-- what outcome, tamper-evident and kept at least 180 days (网络安全法 art. 21).
--
-- Writers only INSERT: no lock and no hash chain at insert time, because chaining while writing
-- would serialize every business transaction behind one "previous hash". A sealing job chains
-- committed rows afterwards (audit_seals), and each Shanghai day's chain head is signed with a key
-- kept outside the database (audit_anchors, plus a file and a log line outside PostgreSQL).
--
-- jineng_app may only INSERT and SELECT on audit_events, audit_seals and audit_anchors. The
-- default privileges from 0001 would also grant UPDATE and DELETE, so they are revoked below.
-- Superusers ignore grants; triggers stop the owner's accidents, and the signed chain makes a
-- superuser's deliberate edit visible to `jineng audit verify`.

-- One row per audited act. `id` is a UUIDv7 made by the app. No foreign key on actor_user_id: a
-- failed login by an unknown username has no user, and an audit row must outlive any account.
-- Text fields are scrubbed by the app before insert: a full ID number is never stored here (see
-- apps/api/src/modules/audit/audit.rules.ts).
CREATE TABLE audit_events (
  id              uuid PRIMARY KEY,
  occurred_at     timestamptz NOT NULL,
  actor_user_id   uuid,
  actor_username  text,
  actor_role      text,
  -- a code from the typed catalog (audit.catalog.ts), e.g. person.id_number.revealed
  action          text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  entity_type     text,
  entity_id       text,
  before          jsonb,
  after           jsonb,
  outcome         text NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
  request_id      text,
  ip              inet,
  details         jsonb,
  CHECK (entity_id IS NULL OR entity_type IS NOT NULL)
);
-- Auditors search by entity, by actor and by time, always newest first within a time window.
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, occurred_at);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, occurred_at);
-- Failed logins have no user id, only the username that was tried.
CREATE INDEX audit_events_username_idx ON audit_events (actor_username, occurred_at);
CREATE INDEX audit_events_action_idx ON audit_events (action, occurred_at);
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at);

-- Events not yet sealed. recordAudit inserts here in the same transaction as the event, so an
-- entry becomes visible exactly when its event commits; the sealer takes entries, seals their
-- events and deletes them. This is what lets sealing follow commit order without a watermark:
-- the sealer never asks "which rows are newer than the last one sealed?" (a question that misses
-- a row whose transaction began earlier but committed later), it asks "which committed rows are
-- not sealed yet?", and every row is in that set until it is sealed. Deleting an entry here
-- cannot hide an edit: `jineng audit verify` reports any event that is neither sealed nor queued.
CREATE TABLE audit_unsealed (
  event_id  uuid PRIMARY KEY REFERENCES audit_events (id) ON DELETE CASCADE
);

-- The hash chain, one link per sealed event, in the order the sealer saw them commit.
-- hash = sha256(previous hash ‖ canonical text of the event and its seq); see audit.rules.ts.
-- seq is gapless (assigned under an advisory lock), so a deleted link shows as a gap. There is
-- deliberately no foreign key to audit_events: a deleted event must leave its seal behind as
-- evidence rather than be refused or cascaded away.
CREATE TABLE audit_seals (
  seq        bigint PRIMARY KEY CHECK (seq >= 1),
  event_id   uuid NOT NULL UNIQUE,
  hash       text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  sealed_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX audit_seals_sealed_at_idx ON audit_seals (sealed_at);

-- One signed chain head per Shanghai civil day: the last seq sealed before the day ended, its
-- hash, and an Ed25519 signature by a key that lives in $JINENG_DATA_DIR/keys/, not here. The same
-- anchor is written to $JINENG_DATA_DIR/audit-anchors/YYYY-MM-DD.json and to the log, so someone
-- who rewrites rows and recomputes every hash in this database still contradicts the anchors.
CREATE TABLE audit_anchors (
  day         date PRIMARY KEY,
  last_seq    bigint NOT NULL CHECK (last_seq >= 0),
  head_hash   text NOT NULL CHECK (head_hash ~ '^[0-9a-f]{64}$'),
  signature   text NOT NULL,
  key_id      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER
  ON audit_events, audit_seals, audit_anchors FROM jineng_app, PUBLIC;
GRANT SELECT, INSERT ON audit_events, audit_seals, audit_anchors TO jineng_app;
REVOKE UPDATE, TRUNCATE, REFERENCES, TRIGGER ON audit_unsealed FROM jineng_app, PUBLIC;
GRANT SELECT, INSERT, DELETE ON audit_unsealed TO jineng_app;

-- Retention: audit rows are kept at least 180 days (网络安全法 art. 21 requires network logs to be
-- kept no less than six months). The app has no delete path at all; these triggers also stop the
-- owner (a migration, a maintenance script) from rewriting history or deleting recent rows by
-- accident. A superuser can disable triggers; that is what the signed chain is for.
CREATE FUNCTION audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit records are append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE FUNCTION audit_events_refuse_early_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.occurred_at > now() - interval '180 days' THEN
    RAISE EXCEPTION 'audit event % is younger than 180 days and must be kept (网络安全法 art. 21)',
      OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END
$$;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_events_retention BEFORE DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_early_delete();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
-- Seals and anchors are never pruned: verification walks the chain from its first link. Pruning
-- events older than the retention period will need a signed checkpoint to start from instead.
CREATE TRIGGER audit_seals_no_change BEFORE UPDATE OR DELETE ON audit_seals
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_anchors_no_change BEFORE UPDATE OR DELETE ON audit_anchors
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
