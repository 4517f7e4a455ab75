-- Reference catalogs: regions, historical address codes, occupations, skill levels, the 38
-- responsible units with their targets, the 12 plans, and policy amounts. Loaded from
-- apps/api/reference (see PROVENANCE.md there) by upsert, never by delete, so rows that later
-- tables point at are never pulled away.

-- Henan's administrative divisions, province to township (statistics codes; townships 9 digits),
-- plus local units that have no GB/T 2260 code of their own (the 示范区). A local unit's code
-- contains a letter, so it can never be valid inside an ID number.
CREATE TABLE regions (
  code             text PRIMARY KEY CHECK (code ~ '^[0-9]{6}([0-9]{3})?$' OR code ~ '^[0-9]{4}L[0-9]$'),
  name             text NOT NULL,
  level            smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
  level_name       text NOT NULL CHECK (level_name IN ('province', 'prefecture', 'county', 'township')),
  parent_code      text REFERENCES regions (code),
  -- listed in the 2024 GB/T 2260 (民政部) county-level-and-above codes; null for townships
  in_gbt2260       boolean,
  -- true for 统计用 functional zones (e.g. 411471) that have a statistics code but no GB/T 2260 code
  statistics_only  boolean NOT NULL DEFAULT false,
  -- true for a locally defined unit such as 城乡一体化示范区
  is_local_unit    boolean NOT NULL DEFAULT false
);
CREATE INDEX regions_parent_idx ON regions (parent_code);

-- The townships a local unit runs, edited by admins: records in these townships are attributed
-- to the local unit for its targets.
CREATE TABLE local_unit_townships (
  unit_code      text NOT NULL REFERENCES regions (code),
  township_code  text NOT NULL REFERENCES regions (code),
  PRIMARY KEY (unit_code, township_code),
  UNIQUE (township_code)
);

-- Every county-level-and-above code in use at some time between 1981 and 2024, nationwide. ID
-- numbers keep the code that was in force when they were assigned, so validating them needs the
-- history, not today's list. In-use period is [since_year, until_year).
CREATE TABLE address_codes (
  code        text NOT NULL CHECK (code ~ '^[0-9]{6}$'),
  since_year  smallint NOT NULL,
  until_year  smallint,
  name        text NOT NULL,
  province    text NOT NULL,
  prefecture  text,
  level       text NOT NULL,
  in_use      boolean NOT NULL,
  new_codes   text,
  PRIMARY KEY (code, since_year),
  CHECK (until_year IS NULL OR until_year >= since_year)
);

-- 中华人民共和国职业分类大典 (2022). `2-03-01-00` is both a minor group and an occupation, so the
-- key is (code, level): 1 major, 2 medium, 3 minor, 4 occupation.
CREATE TABLE occupations (
  code                 text NOT NULL CHECK (code ~ '^[0-9]-[0-9]{2}-[0-9]{2}-[0-9]{2}$'),
  level                smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
  level_name           text NOT NULL CHECK (level_name IN ('major', 'medium', 'minor', 'occupation')),
  name                 text NOT NULL,
  is_green             boolean NOT NULL DEFAULT false,
  is_digital           boolean NOT NULL DEFAULT false,
  minor_is_occupation  boolean NOT NULL DEFAULT false,
  parent_code          text,
  major_code           text NOT NULL,
  medium_code          text,
  minor_code           text,
  definition           text,
  PRIMARY KEY (code, level)
);
CREATE INDEX occupations_name_idx ON occupations (name);

-- Skill levels of certificates: 五级 … 一级, and 专项职业能力 (no level). 三级 and above count as
-- 高技能人才 (high-skilled).
CREATE TABLE skill_levels (
  key              text PRIMARY KEY,
  name             text NOT NULL,
  name_en          text NOT NULL,
  short_name       text NOT NULL,
  level_digit      smallint UNIQUE CHECK (level_digit BETWEEN 1 AND 5),
  is_high_skilled  boolean NOT NULL,
  sort_order       smallint NOT NULL
);

-- The responsible units (责任单位): annex 1 = the 10 county-level units, annex 2 = the 28 city
-- departments; plus units named by the plans without an annex target (市城市管理局).
CREATE TABLE responsible_units (
  id              text PRIMARY KEY,
  annex           smallint CHECK (annex IN (1, 2)),
  seq             smallint,
  seed_name       text NOT NULL,
  canonical_name  text NOT NULL UNIQUE,
  aliases         text[] NOT NULL DEFAULT '{}',
  kind            text NOT NULL CHECK (kind IN ('county', 'department')),
  region_code     text NOT NULL REFERENCES regions (code),
  UNIQUE (annex, seq)
);

-- Yearly targets per unit, in persons (the annex prints 万; 0.448万 is stored as 4480).
CREATE TABLE unit_targets (
  unit_id                 text NOT NULL REFERENCES responsible_units (id),
  year                    smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  training_person_times   integer NOT NULL CHECK (training_person_times >= 0),
  new_skilled             integer NOT NULL CHECK (new_skilled >= 0),
  new_high_skilled        integer NOT NULL CHECK (new_high_skilled >= 0),
  source                  text NOT NULL,
  PRIMARY KEY (unit_id, year)
);

-- The 12 plans of section 三, with their yearly minimums in persons. Plan 10 certifies 100 % of
-- those it trains instead of a fixed number.
CREATE TABLE plans (
  plan_no                      smallint PRIMARY KEY CHECK (plan_no BETWEEN 1 AND 99),
  name                         text NOT NULL,
  yearly_training_min          integer CHECK (yearly_training_min >= 0),
  yearly_certified_min         integer CHECK (yearly_certified_min >= 0),
  yearly_high_skilled_min      integer CHECK (yearly_high_skilled_min >= 0),
  certifies_all_trained        boolean NOT NULL DEFAULT false,
  training_counts_graduates    boolean NOT NULL DEFAULT false,
  extra                        text,
  responsible_units_text       text NOT NULL
);

CREATE TABLE plan_units (
  plan_no  smallint NOT NULL REFERENCES plans (plan_no),
  unit_id  text NOT NULL REFERENCES responsible_units (id),
  position smallint NOT NULL,
  PRIMARY KEY (plan_no, unit_id)
);

-- Amounts and goals from sections 二 and 四 of the policy. Money in fen; goals in their unit.
CREATE TABLE policy_amounts (
  kind          text NOT NULL,
  key           text NOT NULL,
  value         bigint NOT NULL CHECK (value >= 0),
  unit          text NOT NULL CHECK (unit IN ('fen', 'persons', 'percent', 'count')),
  rule          text NOT NULL,
  seed_section  text NOT NULL,
  PRIMARY KEY (kind, key)
);

-- Catalogs are written only by the reference loader (as the owner); the app reads them. Units'
-- aliases, later years' targets and the 示范区's townships are edited by admins in the app.
REVOKE INSERT, UPDATE, DELETE ON regions, address_codes, occupations, skill_levels, plans,
  plan_units, policy_amounts FROM jineng_app;
