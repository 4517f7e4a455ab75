-- Evaluation, certificates and the first subsidy claims (R-EVL-1..3, R-VCH-3, R-SUB-1; issue #6).
--
-- An evaluation institution schedules a session at one of its sites, under one of the site's
-- approved scopes (0006 evaluation_scopes), for an occupation at a skill level or a 专项职业能力
-- item. Candidates are scored per part; a pass means every part the session holds reaches its
-- pass mark. Submitting a session locks its results and issues the certificates of those who
-- passed, numbered gaplessly per site, year and level.
--
-- A certificate issued to the holder of a completed voucher, in the class's occupation at the
-- class's level or higher, after the class ended, makes the voucher `certified`; redeeming it
-- creates a training-subsidy claim (subsidy_claims), which #7 extends with review and payment.

-- 专项职业能力: the province's own catalogue of abilities. Each item sits under the 2022 大典
-- occupation it belongs to, so a site's approval for (occupation, special_ability) covers the
-- items under that occupation. Maintained by the city administrator.
CREATE TABLE special_abilities (
  id                uuid PRIMARY KEY,
  code              text NOT NULL UNIQUE CHECK (length(btrim(code)) BETWEEN 1 AND 32),
  name              text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  occupation_code   text NOT NULL,
  occupation_level  smallint NOT NULL,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  FOREIGN KEY (occupation_code, occupation_level) REFERENCES occupations (code, level)
);

-- Pass marks per occupation; an occupation without a row uses 60 for each part.
CREATE TABLE evaluation_pass_marks (
  occupation_code      text NOT NULL,
  occupation_level     smallint NOT NULL,
  theory_pass_mark     smallint NOT NULL CHECK (theory_pass_mark BETWEEN 0 AND 100),
  practical_pass_mark  smallint NOT NULL CHECK (practical_pass_mark BETWEEN 0 AND 100),
  updated_by           uuid REFERENCES users (id),
  updated_at           timestamptz NOT NULL,
  PRIMARY KEY (occupation_code, occupation_level),
  FOREIGN KEY (occupation_code, occupation_level) REFERENCES occupations (code, level)
);

CREATE TABLE evaluation_sessions (
  id                   uuid PRIMARY KEY,
  organisation_id      uuid NOT NULL REFERENCES organisations (id),
  site_id              uuid NOT NULL REFERENCES evaluation_sites (id),
  -- The approval the session runs under: its site, occupation and level, valid on held_on.
  scope_id             uuid NOT NULL REFERENCES evaluation_scopes (id),
  occupation_code      text NOT NULL,
  occupation_level     smallint NOT NULL,
  skill_level_key      text NOT NULL REFERENCES skill_levels (key),
  -- Set exactly when skill_level_key = 'special_ability'.
  special_ability_id   uuid REFERENCES special_abilities (id),
  held_on              date NOT NULL,
  -- Copied from evaluation_pass_marks when scheduled. A null theory mark: no theory part
  -- (专项职业能力 has a practical part only).
  theory_pass_mark     smallint CHECK (theory_pass_mark BETWEEN 0 AND 100),
  practical_pass_mark  smallint NOT NULL CHECK (practical_pass_mark BETWEEN 0 AND 100),
  state                text NOT NULL CHECK (state IN ('scheduled', 'submitted')),
  -- The site's county: a county administrator's scope.
  region_code          text NOT NULL REFERENCES regions (code),
  created_by           uuid REFERENCES users (id),
  submitted_by         uuid REFERENCES users (id),
  submitted_at         timestamptz,
  -- A county (or city) administrator sampling the session for review (抽查).
  sampled_by           uuid REFERENCES users (id),
  sampled_at           timestamptz,
  sample_note          text CHECK (length(sample_note) <= 1000),
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  FOREIGN KEY (occupation_code, occupation_level) REFERENCES occupations (code, level),
  CHECK ((skill_level_key = 'special_ability') = (special_ability_id IS NOT NULL)),
  CHECK (skill_level_key <> 'special_ability' OR theory_pass_mark IS NULL),
  CHECK ((state = 'submitted') = (submitted_at IS NOT NULL)),
  CHECK ((sampled_at IS NULL) = (sampled_by IS NULL))
);
CREATE INDEX evaluation_sessions_organisation_idx ON evaluation_sessions (organisation_id, held_on);
CREATE INDEX evaluation_sessions_region_idx ON evaluation_sessions (region_code, held_on);

CREATE TABLE evaluation_candidates (
  id                        uuid PRIMARY KEY,
  session_id                uuid NOT NULL REFERENCES evaluation_sessions (id),
  person_id                 uuid NOT NULL REFERENCES persons (id),
  -- voucher: a trainee of a completed class; enterprise: an employer's self-evaluation of its
  -- staff; school: a 1+X student; individual: a worker who applied on their own.
  source                    text NOT NULL CHECK (source IN ('voucher', 'enterprise', 'school',
                              'individual')),
  voucher_id                uuid REFERENCES vouchers (id),
  employer_organisation_id  uuid REFERENCES organisations (id),
  school_name               text CHECK (length(school_name) <= 200),
  -- Evaluations are free to eligible workers; the evaluation subsidy (#7) is paid only where
  -- the worker paid nothing.
  worker_paid               boolean NOT NULL DEFAULT false,
  fee_paid_fen              bigint CHECK (fee_paid_fen >= 0),
  theory_score              smallint CHECK (theory_score BETWEEN 0 AND 100),
  practical_score           smallint CHECK (practical_score BETWEEN 0 AND 100),
  -- null until scored; absent: did not sit the evaluation.
  result                    text CHECK (result IN ('pass', 'fail', 'absent')),
  created_by                uuid REFERENCES users (id),
  created_at                timestamptz NOT NULL,
  updated_at                timestamptz NOT NULL,
  UNIQUE (session_id, person_id),
  CHECK ((source = 'voucher') = (voucher_id IS NOT NULL)),
  CHECK (source <> 'enterprise' OR employer_organisation_id IS NOT NULL),
  CHECK (source <> 'school' OR school_name IS NOT NULL),
  CHECK (worker_paid OR fee_paid_fen IS NULL OR fee_paid_fen = 0)
);
CREATE INDEX evaluation_candidates_person_idx ON evaluation_candidates (person_id);
CREATE INDEX evaluation_candidates_voucher_idx ON evaluation_candidates (voucher_id)
  WHERE voucher_id IS NOT NULL;

-- The last serial handed out per site, year and level digit. Issuing locks the row
-- (INSERT … ON CONFLICT DO UPDATE … RETURNING), so serials are gapless and never reused, also
-- under concurrent issuance: a rolled-back transaction rolls its increment back with it.
CREATE TABLE certificate_serials (
  site_id      uuid NOT NULL REFERENCES evaluation_sites (id),
  year         smallint NOT NULL CHECK (year BETWEEN 2000 AND 2099),
  level_digit  smallint NOT NULL CHECK (level_digit BETWEEN 1 AND 5),
  last_serial  integer NOT NULL CHECK (last_serial BETWEEN 1 AND 999999),
  PRIMARY KEY (site_id, year, level_digit)
);

-- Position of each certificate in the revocation status list (W3C Bitstring Status List):
-- handed out once, never reused.
CREATE SEQUENCE certificate_status_index_seq MINVALUE 0 START 0;

CREATE TABLE certificates (
  id                       uuid PRIMARY KEY,
  -- skill_level: the national 22-character number (^[YS][0-9]{14}[1-5][0-9]{6}$);
  -- special_ability: a free-form number with the issuing province.
  number                   text NOT NULL UNIQUE CHECK (length(number) BETWEEN 1 AND 32),
  kind                     text NOT NULL CHECK (kind IN ('skill_level', 'special_ability')),
  person_id                uuid NOT NULL REFERENCES persons (id),
  occupation_code          text NOT NULL,
  occupation_level         smallint NOT NULL,
  skill_level_key          text NOT NULL REFERENCES skill_levels (key),
  special_ability_id       uuid REFERENCES special_abilities (id),
  -- As printed on the certificate: name and masked ID number, never the full number.
  holder_name              text NOT NULL,
  holder_id_number_masked  text NOT NULL,
  organisation_id          uuid NOT NULL REFERENCES organisations (id),
  site_id                  uuid REFERENCES evaluation_sites (id),
  issuer_name              text NOT NULL,
  issuing_province_code    text NOT NULL DEFAULT '41' CHECK (issuing_province_code ~ '^[0-9]{2}$'),
  session_id               uuid REFERENCES evaluation_sessions (id),
  candidate_id             uuid UNIQUE REFERENCES evaluation_candidates (id),
  issued_on                date NOT NULL,
  status                   text NOT NULL CHECK (status IN ('valid', 'revoked')),
  revoked_at               timestamptz,
  revoked_by               uuid REFERENCES users (id),
  revocation_reason        text CHECK (length(revocation_reason) <= 500),
  status_list_index        integer NOT NULL UNIQUE
                             DEFAULT nextval('certificate_status_index_seq'),
  -- The holder's county when issued: a county administrator's scope.
  region_code              text NOT NULL REFERENCES regions (code),
  -- evaluation: issued here; #8 adds certificates issued elsewhere.
  source                   text NOT NULL DEFAULT 'evaluation' CHECK (source IN ('evaluation')),
  created_at               timestamptz NOT NULL,
  updated_at               timestamptz NOT NULL,
  FOREIGN KEY (occupation_code, occupation_level) REFERENCES occupations (code, level),
  CHECK ((kind = 'special_ability') = (skill_level_key = 'special_ability')),
  CHECK ((kind = 'special_ability') = (special_ability_id IS NOT NULL)),
  CHECK (kind <> 'skill_level' OR number ~ '^[YS][0-9]{14}[1-5][0-9]{6}$'),
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL)),
  CHECK ((status = 'revoked') = (revocation_reason IS NOT NULL))
);
-- At most one valid certificate per person + occupation + level (and 专项 item, which is null
-- for skill levels: NULLS NOT DISTINCT makes two nulls collide).
CREATE UNIQUE INDEX certificates_one_valid_key
  ON certificates (person_id, occupation_code, skill_level_key, special_ability_id)
  NULLS NOT DISTINCT WHERE status = 'valid';
CREATE INDEX certificates_person_idx ON certificates (person_id);
CREATE INDEX certificates_organisation_idx ON certificates (organisation_id, issued_on);
CREATE INDEX certificates_region_idx ON certificates (region_code, issued_on);

-- The certificate that made a voucher `certified` (以证换券).
ALTER TABLE vouchers
  ADD COLUMN certificate_id uuid REFERENCES certificates (id),
  ADD COLUMN certified_at timestamptz;
ALTER TABLE vouchers ADD CONSTRAINT vouchers_certified_has_certificate
  CHECK (state NOT IN ('certified', 'redeemed') OR certificate_id IS NOT NULL);

-- Subsidy claims (R-SUB-1 here; #7 adds review, payment, the ledger and the other kinds).
CREATE SEQUENCE subsidy_claim_serial_seq MINVALUE 1 MAXVALUE 99999999 CYCLE;

CREATE TABLE subsidy_claims (
  id                     uuid PRIMARY KEY,
  -- BT + 2-digit year + 8-digit serial, e.g. BT2600000042.
  number                 text NOT NULL UNIQUE CHECK (number ~ '^BT[0-9]{10}$'),
  kind                   text NOT NULL CHECK (kind IN ('training')),
  payee_organisation_id  uuid NOT NULL REFERENCES organisations (id),
  person_id              uuid NOT NULL REFERENCES persons (id),
  amount_fen             bigint NOT NULL CHECK (amount_fen >= 0),
  voucher_id             uuid REFERENCES vouchers (id),
  class_id               uuid REFERENCES classes (id),
  certificate_id         uuid REFERENCES certificates (id),
  -- What the amount was computed from, e.g. {valueFen, subsidyStandardFen}.
  evidence               jsonb NOT NULL DEFAULT '{}',
  status                 text NOT NULL CHECK (status IN ('submitted')),
  -- Set when the certificate behind the claim is revoked: the claim must not be paid.
  flagged_at             timestamptz,
  flag_reason            text CHECK (length(flag_reason) <= 500),
  -- The payee's county: a county administrator's scope.
  region_code            text NOT NULL REFERENCES regions (code),
  created_by             uuid REFERENCES users (id),
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  CHECK (kind <> 'training' OR (voucher_id IS NOT NULL AND certificate_id IS NOT NULL)),
  CHECK ((flagged_at IS NULL) = (flag_reason IS NULL))
);
-- A voucher is redeemed once.
CREATE UNIQUE INDEX subsidy_claims_voucher_key ON subsidy_claims (voucher_id)
  WHERE voucher_id IS NOT NULL;
CREATE INDEX subsidy_claims_payee_idx ON subsidy_claims (payee_organisation_id, created_at);
CREATE INDEX subsidy_claims_certificate_idx ON subsidy_claims (certificate_id)
  WHERE certificate_id IS NOT NULL;
CREATE INDEX subsidy_claims_region_idx ON subsidy_claims (region_code, created_at);
