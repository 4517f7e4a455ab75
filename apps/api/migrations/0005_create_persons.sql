-- The real-name person registry (实名制, R-REG-1). The ID number is never stored in plaintext:
-- an AES-256-GCM envelope for reading it back, an HMAC blind index for exact lookup and for the
-- one-person-per-ID-number rule, and a masked copy for display. Phones the same way.

CREATE TABLE key_groups (
  code        text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
  name        text NOT NULL UNIQUE,
  name_en     text NOT NULL,
  aliases     text[] NOT NULL DEFAULT '{}',
  sort_order  smallint NOT NULL
);

CREATE TABLE persons (
  id                     uuid PRIMARY KEY,
  id_number_enc          text NOT NULL,
  -- UNIQUE: one person per ID number, whoever registers or imports it.
  id_number_bidx         text NOT NULL UNIQUE CHECK (id_number_bidx ~ '^[0-9a-f]{64}$'),
  id_number_masked       text NOT NULL CHECK (id_number_masked ~ '^[0-9]{6}\*{8}[0-9]{3}[0-9X]$'),
  name                   text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  sex                    text NOT NULL CHECK (sex IN ('M', 'F')),
  birth_date             date NOT NULL,
  -- The address code inside the ID number (may be historical, e.g. 412322 商丘县).
  id_region_code         text NOT NULL CHECK (id_region_code ~ '^[0-9]{6}$'),
  phone_enc              text,
  phone_bidx             text CHECK (phone_bidx ~ '^[0-9a-f]{64}$'),
  phone_masked           text,
  household_region_code  text REFERENCES regions (code),
  residence_region_code  text REFERENCES regions (code),
  -- County-level scoping column: residence county, else household county, else the city.
  region_code            text NOT NULL REFERENCES regions (code),
  education              text CHECK (education IN ('primary', 'junior_high', 'senior_high',
                           'secondary_vocational', 'college', 'bachelor', 'postgraduate')),
  employment_status      text NOT NULL DEFAULT 'unknown' CHECK (employment_status IN (
                           'employed', 'unemployed', 'flexible', 'student', 'farming',
                           'retired', 'unknown')),
  -- Warnings for a clerk to review (e.g. an address code not in use in the birth year).
  review_warnings        text[] NOT NULL DEFAULT '{}',
  note                   text CHECK (length(note) <= 500),
  source                 text NOT NULL CHECK (source IN ('manual', 'import', 'self_registration',
                           'unit_report', 'api')),
  version                integer NOT NULL DEFAULT 1,
  created_by             uuid,
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  CHECK ((phone_enc IS NULL) = (phone_bidx IS NULL))
);
CREATE INDEX persons_region_idx ON persons (region_code, name);
CREATE INDEX persons_name_idx ON persons (name);
CREATE INDEX persons_phone_idx ON persons (phone_bidx) WHERE phone_bidx IS NOT NULL;

CREATE TABLE person_key_groups (
  person_id       uuid NOT NULL REFERENCES persons (id),
  key_group_code  text NOT NULL REFERENCES key_groups (code),
  PRIMARY KEY (person_id, key_group_code)
);
CREATE INDEX person_key_groups_group_idx ON person_key_groups (key_group_code);

-- Which unit or organisation registered (or imported) a person: their staff see those persons.
-- Classes and evaluations add their own links later.
CREATE TABLE person_links (
  person_id   uuid NOT NULL REFERENCES persons (id),
  scope_kind  text NOT NULL CHECK (scope_kind IN ('unit', 'organisation')),
  scope_id    text NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (person_id, scope_kind, scope_id)
);
CREATE INDEX person_links_scope_idx ON person_links (scope_kind, scope_id);

-- A worker account is one person's: users.person_id points here, and workers log in by phone
-- too, so their phone's blind index is unique among accounts.
ALTER TABLE users ADD CONSTRAINT users_person_fk FOREIGN KEY (person_id) REFERENCES persons (id);
ALTER TABLE users ADD COLUMN phone_bidx text CHECK (phone_bidx ~ '^[0-9a-f]{64}$');
CREATE UNIQUE INDEX users_phone_key ON users (phone_bidx) WHERE phone_bidx IS NOT NULL;

REVOKE INSERT, UPDATE, DELETE ON key_groups FROM jineng_app;
