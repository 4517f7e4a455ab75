-- The platform's own tables: the application role, background jobs and schedules, and the
-- record of which reference data sets have been loaded.
--
-- Migrations run as the database owner (the embedded superuser, or the external admin). The app
-- itself connects as jineng_app, which is not a superuser, so grants below actually bind:
-- superusers ignore them, and the audit table (#3) relies on jineng_app being unable to UPDATE or
-- DELETE it.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jineng_app') THEN
    CREATE ROLE jineng_app NOLOGIN;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO jineng_app;
-- Tables created by later migrations (run by this same owner) are usable by the app unless a
-- migration revokes something explicitly.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO jineng_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO jineng_app;

-- A PostgreSQL-backed job queue. Workers claim with FOR UPDATE SKIP LOCKED, so two app processes
-- never run the same job; a claimed job holds a lease (locked_until) and is reclaimed when its
-- process died. `dedupe_key` makes enqueueing idempotent: a scheduled occurrence is enqueued by
-- every process, but inserted once.
CREATE TABLE jobs (
  id            uuid PRIMARY KEY,
  name          text NOT NULL,
  payload       jsonb NOT NULL DEFAULT '{}'::jsonb,
  state         text NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'completed', 'failed')),
  run_at        timestamptz NOT NULL DEFAULT now(),
  attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts  integer NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
  dedupe_key    text UNIQUE,
  locked_by     text,
  locked_until  timestamptz,
  last_error    text,
  result        jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  finished_at   timestamptz
);
CREATE INDEX jobs_ready_idx ON jobs (run_at) WHERE state = 'queued';
CREATE INDEX jobs_lease_idx ON jobs (locked_until) WHERE state = 'running';

-- Cron schedules (Asia/Shanghai). last_scheduled_for lets a restarted process enqueue the one
-- occurrence it missed while nobody was running.
CREATE TABLE job_schedules (
  name                text PRIMARY KEY,
  cron                text NOT NULL,
  job_name            text NOT NULL,
  payload             jsonb NOT NULL DEFAULT '{}'::jsonb,
  enabled             boolean NOT NULL DEFAULT true,
  last_scheduled_for  timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Reference data sets loaded from apps/api/reference, by content hash: a changed file is
-- re-applied (upserted) at the next start or `jineng migrate`.
CREATE TABLE reference_datasets (
  name       text PRIMARY KEY,
  sha256     text NOT NULL,
  row_count  integer NOT NULL,
  loaded_at  timestamptz NOT NULL DEFAULT now()
);

REVOKE INSERT, UPDATE, DELETE ON reference_datasets FROM jineng_app;
