-- Training classes, their sessions, trainees and attendance (R-TRN-1..3, issue #5). A training
-- institution files a class; the county administrator of its region (or the city) approves it
-- or returns it with a reason before its first session starts. Whether an approved class is in
-- progress or finished follows from its dates and is never stored, so it cannot go stale.
--
-- Attended hours of a trainee = for each session, the time between check-in and check-out that
-- falls inside the session (a check-in without a check-out counts nothing: nobody can tell
-- whether the trainee stayed), plus the online minutes the LMS reported, capped at the class's
-- online hours. Completion (pass) needs attendance_threshold_percent of offline + online hours.

CREATE TABLE classes (
  id                      uuid PRIMARY KEY,
  organisation_id         uuid NOT NULL,
  -- Only a training institution files classes: enforced by the foreign key below.
  organisation_kind       text NOT NULL DEFAULT 'training_institution'
                          CHECK (organisation_kind = 'training_institution'),
  name                    text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  occupation_code         text NOT NULL,
  occupation_level        smallint NOT NULL,
  skill_level_key         text NOT NULL REFERENCES skill_levels (key),
  plan_no                 smallint NOT NULL CHECK (plan_no BETWEEN 1 AND 12),
  -- The responsible unit the class counts for must be one of its plan's units.
  unit_id                 text NOT NULL,
  training_type           text NOT NULL CHECK (training_type IN (
                            'pre_job', 'on_the_job_upgrade', 'entrepreneurship',
                            'new_apprenticeship', 'other')),
  -- County-level region where the class is held: the scoping column for county administrators.
  region_code             text NOT NULL REFERENCES regions (code),
  address                 text NOT NULL CHECK (length(btrim(address)) BETWEEN 1 AND 300),
  capacity                integer NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
  -- Offline minutes are the sum of the sessions (kept here so lists need no join); online
  -- minutes are what the class requires on the LMS. Minutes, so half hours stay exact.
  offline_minutes         integer NOT NULL CHECK (offline_minutes > 0),
  online_minutes          integer NOT NULL DEFAULT 0 CHECK (online_minutes >= 0),
  subsidy_standard_fen    bigint NOT NULL CHECK (subsidy_standard_fen >= 0),
  attendance_threshold_percent smallint NOT NULL DEFAULT 80
                          CHECK (attendance_threshold_percent BETWEEN 1 AND 100),
  state                   text NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'returned')),
  return_reason           text CHECK (length(return_reason) <= 500),
  -- First session start and last session end: approval must come before starts_at.
  starts_at               timestamptz NOT NULL,
  ends_at                 timestamptz NOT NULL,
  created_by              uuid REFERENCES users (id),
  submitted_at            timestamptz,
  decided_at              timestamptz,
  decided_by              uuid REFERENCES users (id),
  created_at              timestamptz NOT NULL,
  updated_at              timestamptz NOT NULL,
  FOREIGN KEY (organisation_id, organisation_kind) REFERENCES organisations (id, kind),
  FOREIGN KEY (occupation_code, occupation_level) REFERENCES occupations (code, level),
  FOREIGN KEY (plan_no, unit_id) REFERENCES plan_units (plan_no, unit_id),
  CHECK (ends_at > starts_at),
  CHECK ((state = 'returned') = (return_reason IS NOT NULL)),
  CHECK (state IN ('draft') OR submitted_at IS NOT NULL),
  CHECK ((state IN ('approved', 'returned')) = (decided_at IS NOT NULL))
);
CREATE INDEX classes_organisation_idx ON classes (organisation_id, starts_at);
CREATE INDEX classes_region_idx ON classes (region_code, state, starts_at);
CREATE INDEX classes_unit_idx ON classes (unit_id, starts_at);

-- Sessions of a class, in Shanghai civil time at the edge and instants here. Two sessions of one
-- class never overlap.
CREATE TABLE class_sessions (
  id         uuid PRIMARY KEY,
  class_id   uuid NOT NULL REFERENCES classes (id),
  seq        smallint NOT NULL CHECK (seq >= 1),
  starts_at  timestamptz NOT NULL,
  ends_at    timestamptz NOT NULL,
  CHECK (ends_at > starts_at),
  UNIQUE (class_id, seq),
  UNIQUE (class_id, id),
  CONSTRAINT class_sessions_no_overlap EXCLUDE USING gist (
    class_id WITH =,
    tstzrange(starts_at, ends_at) WITH &&
  )
);

-- Trainees (enrolment). A voucher-bound enrolment names its voucher; the vouchers module owns
-- that table (0009) and may add the foreign key. Capacity is checked under a lock on the class
-- row; one person is in a class at most once.
CREATE TABLE class_trainees (
  id                      uuid PRIMARY KEY,
  class_id                uuid NOT NULL REFERENCES classes (id),
  person_id               uuid NOT NULL REFERENCES persons (id),
  voucher_id              uuid,
  enrolled_at             timestamptz NOT NULL,
  enrolled_by             uuid REFERENCES users (id),
  -- The LMS's running total of online learning for this trainee.
  online_minutes          integer NOT NULL DEFAULT 0 CHECK (online_minutes >= 0),
  -- 结业考核: recorded once, with the attendance that allowed it.
  completion_result       text CHECK (completion_result IN ('passed', 'failed')),
  completion_score        numeric(5, 1) CHECK (completion_score BETWEEN 0 AND 100),
  completion_note         text CHECK (length(completion_note) <= 500),
  attended_minutes        integer CHECK (attended_minutes >= 0),
  completed_at            timestamptz,
  completed_by            uuid REFERENCES users (id),
  CONSTRAINT class_trainees_class_person_key UNIQUE (class_id, person_id),
  CHECK ((completion_result IS NULL) = (completed_at IS NULL))
);
CREATE INDEX class_trainees_person_idx ON class_trainees (person_id);
CREATE UNIQUE INDEX class_trainees_voucher_key ON class_trainees (voucher_id)
  WHERE voucher_id IS NOT NULL;

-- Attendance: one row per trainee and session, check-in then check-out. The session's time range
-- is copied in so one exclusion constraint refuses a person in two overlapping sessions, across
-- classes and institutions, whatever the app does.
CREATE TABLE class_attendance (
  id                  uuid PRIMARY KEY,
  class_id            uuid NOT NULL,
  session_id          uuid NOT NULL,
  person_id           uuid NOT NULL,
  session_range       tstzrange NOT NULL,
  checked_in_at       timestamptz NOT NULL,
  check_in_method     text NOT NULL CHECK (check_in_method IN ('qr', 'face', 'manual')),
  check_in_place      text CHECK (length(check_in_place) <= 200),
  check_in_reason     text CHECK (length(check_in_reason) <= 500),
  check_in_by         uuid REFERENCES users (id),
  checked_out_at      timestamptz,
  check_out_method    text CHECK (check_out_method IN ('qr', 'face', 'manual')),
  check_out_place     text CHECK (length(check_out_place) <= 200),
  check_out_reason    text CHECK (length(check_out_reason) <= 500),
  check_out_by        uuid REFERENCES users (id),
  FOREIGN KEY (class_id, session_id) REFERENCES class_sessions (class_id, id),
  FOREIGN KEY (class_id, person_id) REFERENCES class_trainees (class_id, person_id),
  CONSTRAINT class_attendance_session_person_key UNIQUE (session_id, person_id),
  CONSTRAINT class_attendance_no_overlap EXCLUDE USING gist (
    person_id WITH =,
    session_range WITH &&
  ),
  CHECK (check_in_method <> 'manual' OR check_in_reason IS NOT NULL),
  CHECK ((checked_out_at IS NULL) = (check_out_method IS NULL)),
  CHECK (check_out_method IS DISTINCT FROM 'manual' OR check_out_reason IS NOT NULL),
  CHECK (checked_out_at IS NULL OR checked_out_at >= checked_in_at)
);
CREATE INDEX class_attendance_class_person_idx ON class_attendance (class_id, person_id);
