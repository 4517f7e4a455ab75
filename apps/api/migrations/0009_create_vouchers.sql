-- Electronic training vouchers (职业培训券, R-VCH) and the platform's Idempotency-Key store.
--
-- A voucher names an occupation or an occupation category of the 2022 大典 through one foreign
-- key on occupations (code, level): level 4 is an occupation, level 3 a minor group and level 2 a
-- medium group (a category). A class matches when its occupation is the voucher's, or its code
-- falls inside the voucher's group (vouchers.rules.ts, occupationMatches).
--
-- A bound voucher names its class (0008); a class trainee enrolled with a voucher names it back.

CREATE SEQUENCE voucher_serial_seq MINVALUE 1 MAXVALUE 9999999 CYCLE;

CREATE TABLE vouchers (
  id                    uuid PRIMARY KEY,
  -- SQ + 2-digit year + 7-digit serial + Luhn check digit (vouchers.rules.ts).
  number                text NOT NULL UNIQUE CHECK (number ~ '^SQ[0-9]{10}$'),
  person_id             uuid NOT NULL REFERENCES persons (id),
  occupation_code       text NOT NULL,
  occupation_level      smallint NOT NULL CHECK (occupation_level BETWEEN 2 AND 4),
  value_fen             bigint NOT NULL CHECK (value_fen >= 0),
  valid_from            date NOT NULL,
  valid_to              date NOT NULL,
  state                 text NOT NULL CHECK (state IN ('issued', 'bound', 'in_training',
                          'completed', 'certified', 'redeemed', 'expired', 'cancelled',
                          'forfeited')),
  class_id              uuid REFERENCES classes (id),
  -- The organisation running the bound class: institution staff see the vouchers bound to it.
  organisation_id       uuid REFERENCES organisations (id),
  -- Copied from the class at binding: redemption pays min(value_fen, subsidy_standard_fen).
  subsidy_standard_fen  bigint CHECK (subsidy_standard_fen >= 0),
  bound_at              timestamptz,
  -- A binding typed in by ID number waits here for the holder's confirmation on their phone.
  pending_class_id      uuid REFERENCES classes (id),
  pending_organisation_id uuid REFERENCES organisations (id),
  pending_subsidy_standard_fen bigint CHECK (pending_subsidy_standard_fen >= 0),
  pending_requested_by  uuid REFERENCES users (id),
  pending_requested_at  timestamptz,
  issued_by             uuid REFERENCES users (id),
  -- The holder's county when issued: a county administrator's scope.
  region_code           text NOT NULL REFERENCES regions (code),
  source                text NOT NULL CHECK (source IN ('issued', 'applied')),
  batch_id              uuid,
  version               integer NOT NULL DEFAULT 1,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  FOREIGN KEY (occupation_code, occupation_level) REFERENCES occupations (code, level),
  CHECK (valid_from <= valid_to),
  -- From binding on, a voucher names its class.
  CHECK (state NOT IN ('bound', 'in_training', 'completed', 'certified', 'redeemed')
         OR class_id IS NOT NULL),
  CHECK ((pending_class_id IS NULL) = (pending_requested_at IS NULL))
);
-- One live voucher per person per occupation (or category) at a time.
CREATE UNIQUE INDEX vouchers_one_live_key ON vouchers (person_id, occupation_code, occupation_level)
  WHERE state IN ('issued', 'bound', 'in_training', 'completed', 'certified');
CREATE INDEX vouchers_region_idx ON vouchers (region_code, created_at);
CREATE INDEX vouchers_person_idx ON vouchers (person_id);
CREATE INDEX vouchers_organisation_idx ON vouchers (organisation_id) WHERE organisation_id IS NOT NULL;
CREATE INDEX vouchers_class_idx ON vouchers (class_id) WHERE class_id IS NOT NULL;
-- The expiry job walks live-but-unused vouchers by their last day.
CREATE INDEX vouchers_expiry_idx ON vouchers (valid_to) WHERE state IN ('issued', 'bound');

ALTER TABLE class_trainees ADD CONSTRAINT class_trainees_voucher_fk
  FOREIGN KEY (voucher_id) REFERENCES vouchers (id);

-- Every transition of a voucher, for its history screen (the audit trail has the same facts).
CREATE TABLE voucher_events (
  id          uuid PRIMARY KEY,
  voucher_id  uuid NOT NULL REFERENCES vouchers (id),
  from_state  text,
  to_state    text NOT NULL,
  action      text NOT NULL,
  actor_user_id uuid REFERENCES users (id),
  at          timestamptz NOT NULL,
  details     jsonb
);
CREATE INDEX voucher_events_voucher_idx ON voucher_events (voucher_id, at);

-- A worker applying for a voucher themself (个人领取, R-VCH-5); approval issues it.
CREATE TABLE voucher_applications (
  id                uuid PRIMARY KEY,
  person_id         uuid NOT NULL REFERENCES persons (id),
  occupation_code   text NOT NULL,
  occupation_level  smallint NOT NULL CHECK (occupation_level BETWEEN 2 AND 4),
  reason            text CHECK (length(reason) <= 500),
  state             text NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
  region_code       text NOT NULL REFERENCES regions (code),
  voucher_id        uuid REFERENCES vouchers (id),
  decided_by        uuid REFERENCES users (id),
  decided_at        timestamptz,
  decision_reason   text CHECK (length(decision_reason) <= 500),
  created_at        timestamptz NOT NULL,
  FOREIGN KEY (occupation_code, occupation_level) REFERENCES occupations (code, level),
  CHECK ((state = 'pending') = (decided_at IS NULL))
);
-- One open application per person per occupation.
CREATE UNIQUE INDEX voucher_applications_pending_key
  ON voucher_applications (person_id, occupation_code, occupation_level) WHERE state = 'pending';
CREATE INDEX voucher_applications_region_idx ON voucher_applications (region_code, state);

-- Idempotency-Key (platform/idempotency.ts): the first answer to a POST, replayed for the same
-- user and key for 24 hours. status_code is null while the first request is still running.
CREATE TABLE idempotency_keys (
  user_id        uuid NOT NULL REFERENCES users (id),
  key            text NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
  method         text NOT NULL,
  route          text NOT NULL,
  request_hash   text NOT NULL,
  status_code    smallint,
  response_body  jsonb,
  content_type   text,
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
