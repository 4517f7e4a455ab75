-- Bulk imports of rosters (R-REG-4, issue #4). One row per upload: who imported what, into which
-- scope, and the row-by-row outcome, so the report can be read again after the request is gone.
-- The rows themselves live in persons / organisations; the failed rows, which hold full ID
-- numbers, are kept as an encrypted workbook for 7 days so they can be fixed and uploaded again.

CREATE TABLE import_runs (
  id              uuid PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('persons', 'organisations')),
  -- running: the transaction is open; committed: valid rows are in; dry_run: validated and
  -- rolled back; failed: nothing was written (an error, not a rejected row).
  status          text NOT NULL CHECK (status IN ('running', 'committed', 'dry_run', 'failed')),
  file_name       text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  file_format     text NOT NULL CHECK (file_format IN ('xlsx', 'csv')),
  -- The upload's SHA-256: to tell a re-upload of the same file in the report, never to skip it
  -- (re-importing a file is allowed and changes nothing by the row rules).
  file_sha256     text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  file_size       integer NOT NULL CHECK (file_size > 0),
  overwrite       boolean NOT NULL DEFAULT false,
  rows_read       integer NOT NULL DEFAULT 0 CHECK (rows_read >= 0),
  imported        integer NOT NULL DEFAULT 0 CHECK (imported >= 0),
  updated         integer NOT NULL DEFAULT 0 CHECK (updated >= 0),
  unchanged       integer NOT NULL DEFAULT 0 CHECK (unchanged >= 0),
  rejected_rows   integer NOT NULL DEFAULT 0 CHECK (rejected_rows >= 0),
  -- Problems found (a row may have several); the first 1,000 are kept in `rejected`.
  rejected_total  integer NOT NULL DEFAULT 0 CHECK (rejected_total >= rejected_rows),
  rejected        jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(rejected) = 'array'),
  error_code      text,
  -- The importer (null for the CLI acting as the system) and the scope the import ran in: it
  -- decides who may read the report and download the failed rows later.
  created_by      uuid REFERENCES users (id),
  scope_kind      text NOT NULL CHECK (scope_kind IN ('city', 'region', 'unit', 'organisation')),
  scope_id        text,
  created_at      timestamptz NOT NULL,
  finished_at     timestamptz,
  CHECK ((scope_kind = 'city') = (scope_id IS NULL)),
  CHECK ((status = 'running') = (finished_at IS NULL)),
  CHECK ((status = 'failed') = (error_code IS NOT NULL))
);
CREATE INDEX import_runs_scope_idx ON import_runs (scope_kind, scope_id, created_at DESC);
CREATE INDEX import_runs_created_by_idx ON import_runs (created_by, created_at DESC);

-- The failed-rows workbook, encrypted: AES-256-GCM under the PII key (platform/crypto envelope,
-- field `import_failed_files.content`, the base64 of the xlsx bytes), so key rotation and the
-- key-outside-the-database rule apply to it as to every ID number. Deleted by a daily job once
-- expired; a download after that answers 410.
CREATE TABLE import_failed_files (
  import_run_id  uuid PRIMARY KEY REFERENCES import_runs (id),
  content_enc    text NOT NULL,
  size_bytes     integer NOT NULL CHECK (size_bytes > 0),
  row_count      integer NOT NULL CHECK (row_count > 0),
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  CHECK (expires_at > created_at)
);
CREATE INDEX import_failed_files_expires_idx ON import_failed_files (expires_at);
