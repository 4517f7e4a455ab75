-- Training and certificates outside the voucher loop (R-ACT-1, issue #8). Forward-only.
--
-- Responsible units (责任单位) and institutions report trainings held outside the voucher system
-- (the 应急局's safety training, 1+X, farmer training, …) and certificates issued elsewhere
-- (legacy 职业资格证书, other institutions' or provinces' 职业技能等级证书, 专项职业能力,
-- 特种作业操作证). Every record names its source, the unit it counts for and who reported it;
-- a unit corrects its own reports until the city closes the month they fall in.

-- Closed reporting months: a report dated in a closed month can no longer be added, changed or
-- withdrawn. A month is open until a row exists.
CREATE TABLE activity_periods (
  period     text PRIMARY KEY CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  closed_at  timestamptz NOT NULL,
  closed_by  uuid REFERENCES users (id)
);

-- A training held outside the voucher loop: one row per class (or course) reported.
CREATE TABLE training_reports (
  id                 uuid PRIMARY KEY,
  -- The responsible unit the training counts for (annex 1 county or annex 2 department).
  unit_id            text NOT NULL REFERENCES responsible_units (id),
  -- The institution that held it, when registered here.
  organisation_id    uuid REFERENCES organisations (id),
  plan_no            smallint REFERENCES plans (plan_no),
  title              text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  -- The occupation trained for (大典 2022, occupation level), when there is one; safety
  -- training for a high-risk trade may have none.
  occupation_code    text CHECK (occupation_code ~ '^[0-9]-[0-9]{2}-[0-9]{2}-[0-9]{2}$'),
  skill_level_key    text REFERENCES skill_levels (key),
  start_on           date NOT NULL,
  end_on             date NOT NULL CHECK (end_on >= start_on),
  hours              numeric(6, 1) NOT NULL CHECK (hours > 0 AND hours <= 5000),
  -- The reporting month (YYYY-MM of end_on, Asia/Shanghai civil date), set by the app.
  period             text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  source             text NOT NULL CHECK (source IN ('unit_report', 'import', 'api')),
  import_run_id      uuid REFERENCES import_runs (id),
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
  reported_by        uuid REFERENCES users (id),
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  version            integer NOT NULL DEFAULT 1
);
CREATE INDEX training_reports_unit_idx ON training_reports (unit_id, period);
CREATE INDEX training_reports_period_idx ON training_reports (period);

-- Who attended: matched to (or created in) the person registry.
CREATE TABLE training_report_trainees (
  report_id  uuid NOT NULL REFERENCES training_reports (id),
  person_id  uuid NOT NULL REFERENCES persons (id),
  -- Whether the trainee finished the training (a person-time counts only when true).
  completed  boolean NOT NULL DEFAULT true,
  PRIMARY KEY (report_id, person_id)
);
CREATE INDEX training_report_trainees_person_idx ON training_report_trainees (person_id);

-- Certificates issued elsewhere, recorded as `external`: never re-signed as our credentials.
--   qualification_legacy  国家职业资格证书 before 2020: 16 digits (13 for old Shanghai ones,
--                         queried with the prefix 000);
--   skill_level           职业技能等级证书 of another institution or province: 22 characters;
--   special_ability       专项职业能力证书: free-form, with the issuing province;
--   special_operation     特种作业操作证 (应急管理部门) for high-risk trades: its number and category.
CREATE TABLE external_certificates (
  id                     uuid PRIMARY KEY,
  kind                   text NOT NULL CHECK (kind IN ('qualification_legacy', 'skill_level',
                           'special_ability', 'special_operation')),
  number                 text NOT NULL CHECK (length(number) BETWEEN 1 AND 32),
  person_id              uuid NOT NULL REFERENCES persons (id),
  -- Occupation and level, when the certificate has them (special_operation: a category instead).
  occupation_code        text CHECK (occupation_code ~ '^[0-9]-[0-9]{2}-[0-9]{2}-[0-9]{2}$'),
  skill_level_key        text REFERENCES skill_levels (key),
  -- 专项 item name or 特种作业 category (e.g. 电工作业/低压电工作业).
  item_name              text CHECK (length(btrim(item_name)) BETWEEN 1 AND 100),
  issuer_name            text NOT NULL CHECK (length(btrim(issuer_name)) BETWEEN 1 AND 200),
  issuing_province_code  text NOT NULL CHECK (issuing_province_code ~ '^[0-9]{2}$'),
  issued_on              date NOT NULL,
  valid_until            date CHECK (valid_until >= issued_on),
  unit_id                text NOT NULL REFERENCES responsible_units (id),
  period                 text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  source                 text NOT NULL CHECK (source IN ('unit_report', 'import', 'api')),
  import_run_id          uuid REFERENCES import_runs (id),
  status                 text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
  -- Our own valid certificate for the same person + occupation + level, when there is one: the
  -- person is certified once, whatever the source.
  duplicate_of_certificate_id  uuid REFERENCES certificates (id),
  reported_by            uuid REFERENCES users (id),
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  version                integer NOT NULL DEFAULT 1,
  CHECK (kind NOT IN ('qualification_legacy', 'skill_level')
    OR (occupation_code IS NOT NULL AND skill_level_key IS NOT NULL)),
  CHECK (kind <> 'skill_level' OR number ~ '^[YS][0-9]{14}[1-5][0-9]{6}$'),
  CHECK (kind <> 'qualification_legacy' OR number ~ '^[0-9]{16}$'),
  CHECK (kind NOT IN ('special_ability', 'special_operation') OR item_name IS NOT NULL)
);
-- A certificate number is recorded once per kind (withdrawn rows free it).
CREATE UNIQUE INDEX external_certificates_number_key ON external_certificates (kind, number)
  WHERE status = 'active';
CREATE INDEX external_certificates_person_idx
  ON external_certificates (person_id, occupation_code, skill_level_key);
CREATE INDEX external_certificates_unit_idx ON external_certificates (unit_id, period);

-- Import runs of both kinds (the file intake of #4's style).
ALTER TABLE import_runs DROP CONSTRAINT import_runs_kind_check;
ALTER TABLE import_runs ADD CONSTRAINT import_runs_kind_check
  CHECK (kind IN ('persons', 'organisations', 'employments', 'contributions',
    'training_reports', 'external_certificates'));

-- Reports are withdrawn, never deleted.
REVOKE DELETE, TRUNCATE ON activity_periods, training_reports, external_certificates
  FROM jineng_app;
