-- Organisations (R-REG-2, issue #4): training institutions, evaluation institutions with their
-- evaluation sites and the occupations and levels each site is approved to evaluate (the
-- 评价目录清单), employers and HR service agencies. Staff accounts are linked to one
-- organisation and see only its data.

-- btree_gist lets one exclusion constraint compare the site and occupation with = and the
-- validity with &&, so two approvals of the same thing can never overlap in time, whatever the
-- app does. It ships with PostgreSQL's contrib modules (embedded 17 and Debian's 15 alike) and is
-- a trusted extension, so a database owner who is not a superuser may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE organisations (
  id                       uuid PRIMARY KEY,
  kind                     text NOT NULL CHECK (kind IN (
                             'training_institution', 'evaluation_institution', 'employer',
                             'hr_agency')),
  name                     text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  -- 统一社会信用代码 (GB 32100). The format is checked here; the check character is computed by
  -- the app (uscc.rules.ts), since a CHECK cannot say it readably. No I, O, Z, S or V.
  uscc                     text CHECK (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
  -- County-level region the organisation is registered in: the scoping column (a county
  -- administrator sees the organisations of their region) and the future distribution column.
  region_code              text NOT NULL REFERENCES regions (code),
  address                  text CHECK (length(address) <= 300),
  contact_name             text CHECK (length(contact_name) <= 100),
  -- The contact's phone, encrypted (platform/crypto, field organisation.contact_phone); the masked
  -- form is kept beside it so lists never decrypt.
  contact_phone_enc        text,
  contact_phone_masked     text,
  status                   text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  -- Evaluation institutions: Y = 企业自主评价 (an employer evaluating its own staff), S = 社会培训评价
  -- 组织; the 4-digit institution code, where 0000 means filed with the province.
  evaluation_type          text CHECK (evaluation_type IN ('Y', 'S')),
  institution_code         text CHECK (institution_code ~ '^[0-9]{4}$'),
  -- Employers: 大/中/小/微 (SMEs are medium, small and micro: hiring subsidies depend on it), and
  -- 企业隶属关系, the level of government the employer belongs to, which decides who pays its
  -- subsidies; a county-affiliated employer names its county.
  size_class               text CHECK (size_class IN ('large', 'medium', 'small', 'micro')),
  affiliation              text CHECK (affiliation IN ('central', 'provincial', 'city', 'county')),
  affiliation_region_code  text REFERENCES regions (code),
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT organisations_uscc_key UNIQUE (uscc),
  -- Lets evaluation_sites insist, by foreign key, that its organisation is an evaluation
  -- institution.
  CONSTRAINT organisations_id_kind_key UNIQUE (id, kind),
  CHECK (kind <> 'employer'
         OR (uscc IS NOT NULL AND size_class IS NOT NULL AND affiliation IS NOT NULL)),
  CHECK (kind = 'employer'
         OR (size_class IS NULL AND affiliation IS NULL AND affiliation_region_code IS NULL)),
  CHECK (kind <> 'evaluation_institution'
         OR (evaluation_type IS NOT NULL AND institution_code IS NOT NULL)),
  CHECK (kind = 'evaluation_institution' OR (evaluation_type IS NULL AND institution_code IS NULL)),
  CHECK ((affiliation = 'county') = (affiliation_region_code IS NOT NULL)),
  CHECK (affiliation IS NOT NULL OR affiliation_region_code IS NULL),
  CHECK ((contact_phone_enc IS NULL) = (contact_phone_masked IS NULL))
);
CREATE INDEX organisations_region_idx ON organisations (region_code, kind);
CREATE INDEX organisations_kind_idx ON organisations (kind, name);

-- Places where an evaluation institution evaluates. The province assigns each site its 6-digit
-- 序列码, which appears in certificate numbers, so it is unique across all institutions.
CREATE TABLE evaluation_sites (
  id                 uuid PRIMARY KEY,
  organisation_id    uuid NOT NULL,
  organisation_kind  text NOT NULL DEFAULT 'evaluation_institution'
                     CHECK (organisation_kind = 'evaluation_institution'),
  name               text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  serial_code        text NOT NULL CHECK (serial_code ~ '^[0-9]{6}$'),
  region_code        text NOT NULL REFERENCES regions (code),
  address            text CHECK (length(address) <= 300),
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT evaluation_sites_serial_code_key UNIQUE (serial_code),
  FOREIGN KEY (organisation_id, organisation_kind) REFERENCES organisations (id, kind)
);
CREATE INDEX evaluation_sites_organisation_idx ON evaluation_sites (organisation_id);

-- What a site is approved to evaluate: an occupation at a skill level (or 专项职业能力), for a
-- period of civil dates, both ends included. Ending an approval early shortens valid_to; rows are
-- never deleted, so "was this approved on that day?" stays answerable for certificates issued
-- years ago. Two approvals of one site, occupation and level may not overlap in time.
CREATE TABLE evaluation_scopes (
  id                uuid PRIMARY KEY,
  site_id           uuid NOT NULL REFERENCES evaluation_sites (id),
  occupation_code   text NOT NULL,
  occupation_level  smallint NOT NULL,
  skill_level_key   text NOT NULL REFERENCES skill_levels (key),
  valid_from        date NOT NULL,
  valid_to          date NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (occupation_code, occupation_level) REFERENCES occupations (code, level),
  CHECK (valid_to >= valid_from),
  CONSTRAINT evaluation_scopes_no_overlap EXCLUDE USING gist (
    site_id WITH =,
    occupation_code WITH =,
    occupation_level WITH =,
    skill_level_key WITH =,
    daterange(valid_from, valid_to, '[]') WITH &&
  )
);

-- Accounts of institution staff, employers and agencies now point at a real organisation.
ALTER TABLE users
  ADD CONSTRAINT users_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES organisations (id);
CREATE INDEX users_organisation_idx ON users (organisation_id) WHERE organisation_id IS NOT NULL;
