-- Statistics for targets, progress and reports (issue #9, R-TGT). Forward-only.
--
-- The counting views of 0015 say what counts; this migration says when and for whom, and keeps
-- the figures instant as data grows:
--   stat_events         every counted event of a person (a training person-time, a new skilled
--                       talent, a new high-skilled talent) with its date and attribution;
--   stat_person_events  the same, materialised per person;
--   stat_daily          day × unit × county × plan × occupation × level counts;
--   stat_monthly        month × unit × county × plan counts (what the progress query reads).
-- Every change to a fact (a trainee's completion, a report, a certificate, a voucher's certificate,
-- a person's address) marks the person in stat_dirty_persons in the same transaction, by the
-- triggers below. statistics.rollup.ts folds marked persons into the tables: it deletes their
-- old events, inserts the new ones from stat_events and applies the difference to the counts.
-- Readers fold what is marked before they read, so a figure is never behind a committed fact.

-- The annex-1 (county-level) unit a region belongs to: a township assigned to a local unit (the
-- 示范区) belongs to it; otherwise the county whose code the region has or is under. Null for
-- regions outside the ten (e.g. the 统计用 functional zones, or places outside Shangqiu).
CREATE FUNCTION county_unit_of(region text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    (SELECT ru.id
       FROM local_unit_townships t
       JOIN responsible_units ru ON ru.region_code = t.unit_code AND ru.kind = 'county'
      WHERE t.township_code = region),
    (SELECT ru.id
       FROM responsible_units ru
      WHERE ru.kind = 'county'
        AND ru.region_code = CASE WHEN length(region) = 9 THEN left(region, 6) ELSE region END
      ORDER BY ru.annex NULLS LAST, ru.seq
      LIMIT 1))
$$;

-- A certification that raises the person's standing: their first certificate of any kind, or one
-- whose level is above every level they held before (五级 = 1 … 一级 = 5; 专项, 特种作业 and other
-- certificates without a level = 0). Order as in counted_certifications.
CREATE VIEW stat_advancing_certifications AS
SELECT r.*
  FROM (SELECT cc.*,
               coalesce(6 - sl.level_digit, 0) AS level_rank,
               max(coalesce(6 - sl.level_digit, 0)) OVER (
                 PARTITION BY cc.person_id
                 ORDER BY cc.issued_on, (cc.source = 'evaluation') DESC, cc.record_id
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prior_rank
          FROM counted_certifications cc
          LEFT JOIN skill_levels sl ON sl.key = cc.skill_level_key) r
 WHERE r.prior_rank IS NULL OR r.level_rank > r.prior_rank;

-- Every counted event. The measures (statistics.measures.ts explains them to users):
--   training      a counted training person-time (0015), on its end date;
--   skilled       新增技能人才: a person's first advancing certification of a calendar year, on
--                 its issue date — so a person counts once a year however many they get;
--   high_skilled  新增高技能人才: a person's first advancing certification at 三级 or above of a
--                 calendar year.
-- Attribution (written once, here):
--   unit_id         the record's responsible unit: the class's for the voucher loop, the
--                   reporting unit's for reports and external certificates, the unit of the class
--                   whose voucher made our certificate (null when there is none);
--   county_unit_id  that unit when it is a county-level unit (annex 1); otherwise the county of
--                   the place — the class's region, the institution's region of a report, our
--                   certificate's region — and failing that the person's residence (township
--                   first, so the 示范区 gets its townships), household, then registry region.
CREATE VIEW stat_events AS
SELECT e.measure,
       e.person_id,
       e.on_date,
       e.unit_id,
       CASE WHEN u.kind = 'county' THEN u.id
            ELSE coalesce(county_unit_of(e.site_region_code),
                          county_unit_of(coalesce(p.residence_region_code,
                                                  p.household_region_code, p.region_code)))
       END AS county_unit_id,
       e.plan_no,
       e.occupation_code,
       e.skill_level_key,
       e.source,
       e.record_id
  FROM (SELECT 'training'::text AS measure,
               t.person_id,
               t.end_on AS on_date,
               t.unit_id,
               coalesce(c.region_code, o.region_code) AS site_region_code,
               t.plan_no,
               t.occupation_code,
               t.skill_level_key,
               t.source,
               t.record_id
          FROM counted_training_person_times t
          LEFT JOIN class_trainees ct ON t.source = 'voucher' AND ct.id = t.record_id
          LEFT JOIN classes c ON c.id = ct.class_id
          LEFT JOIN training_reports tr ON t.source <> 'voucher' AND tr.id = t.record_id
          LEFT JOIN organisations o ON o.id = tr.organisation_id
        UNION ALL
        SELECT a.measure,
               a.person_id,
               a.issued_on,
               a.unit_id,
               ce.region_code,
               (SELECT cl.plan_no
                  FROM vouchers v
                  JOIN classes cl ON cl.id = v.class_id
                 WHERE a.source = 'evaluation' AND v.certificate_id = a.record_id
                 ORDER BY v.id
                 LIMIT 1),
               a.occupation_code,
               a.skill_level_key,
               a.source,
               a.record_id
          FROM ((SELECT DISTINCT ON (x.person_id, date_part('year', x.issued_on))
                        'skilled'::text AS measure, x.*
                   FROM stat_advancing_certifications x
                  ORDER BY x.person_id, date_part('year', x.issued_on), x.issued_on,
                           (x.source = 'evaluation') DESC, x.record_id)
                UNION ALL
                (SELECT DISTINCT ON (x.person_id, date_part('year', x.issued_on))
                        'high_skilled'::text AS measure, x.*
                   FROM stat_advancing_certifications x
                  WHERE x.is_high_skilled
                  ORDER BY x.person_id, date_part('year', x.issued_on), x.issued_on,
                           (x.source = 'evaluation') DESC, x.record_id)) a
          LEFT JOIN certificates ce ON a.source = 'evaluation' AND ce.id = a.record_id) e
  JOIN persons p ON p.id = e.person_id
  LEFT JOIN responsible_units u ON u.id = e.unit_id;

-- Our certificate's class (unit, plan) is found through the voucher that led to it.
CREATE INDEX vouchers_certificate_idx ON vouchers (certificate_id) WHERE certificate_id IS NOT NULL;

REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON stat_advancing_certifications, stat_events
  FROM jineng_app;

-- Persons whose events must be refolded. Written by the triggers, emptied by the fold.
CREATE TABLE stat_dirty_persons (
  person_id  uuid PRIMARY KEY
);

CREATE TABLE stat_person_events (
  person_id        uuid NOT NULL,
  measure          text NOT NULL CHECK (measure IN ('training', 'skilled', 'high_skilled')),
  on_date          date NOT NULL,
  unit_id          text,
  county_unit_id   text,
  plan_no          smallint,
  occupation_code  text,
  skill_level_key  text,
  source           text NOT NULL,
  record_id        uuid NOT NULL
);
CREATE INDEX stat_person_events_person_idx ON stat_person_events (person_id);
CREATE INDEX stat_person_events_unit_idx ON stat_person_events (unit_id, measure, on_date);
CREATE INDEX stat_person_events_county_idx
  ON stat_person_events (county_unit_id, measure, on_date);
CREATE INDEX stat_person_events_date_idx ON stat_person_events (measure, on_date);

-- Counts are adjusted by differences (+1 / -1), so they carry no CHECK: a proposed row is checked
-- before ON CONFLICT turns it into an update. statistics.test.ts compares them with stat_events.
CREATE TABLE stat_daily (
  on_date          date NOT NULL,
  unit_id          text,
  county_unit_id   text,
  plan_no          smallint,
  occupation_code  text,
  skill_level_key  text,
  training         integer NOT NULL DEFAULT 0,
  skilled          integer NOT NULL DEFAULT 0,
  high_skilled     integer NOT NULL DEFAULT 0,
  CONSTRAINT stat_daily_key UNIQUE NULLS NOT DISTINCT
    (on_date, unit_id, county_unit_id, plan_no, occupation_code, skill_level_key)
);

CREATE TABLE stat_monthly (
  month            date NOT NULL CHECK (date_part('day', month) = 1),
  unit_id          text,
  county_unit_id   text,
  plan_no          smallint,
  training         integer NOT NULL DEFAULT 0,
  skilled          integer NOT NULL DEFAULT 0,
  high_skilled     integer NOT NULL DEFAULT 0,
  CONSTRAINT stat_monthly_key UNIQUE NULLS NOT DISTINCT (month, unit_id, county_unit_id, plan_no)
);

-- Marking. Statement-level triggers with transition tables, so a COPY of a million trainees marks
-- in one statement; persons in id order, so two transactions never wait on each other in a cycle.
CREATE FUNCTION stat_mark_new_persons() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_dirty_persons (person_id)
  SELECT DISTINCT n.person_id FROM new_rows n WHERE n.person_id IS NOT NULL ORDER BY 1
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION stat_mark_old_persons() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_dirty_persons (person_id)
  SELECT DISTINCT o.person_id FROM old_rows o WHERE o.person_id IS NOT NULL ORDER BY 1
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION stat_mark_updated_persons() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_dirty_persons (person_id)
  SELECT person_id FROM (SELECT n.person_id FROM new_rows n
                         UNION SELECT o.person_id FROM old_rows o) x
   WHERE person_id IS NOT NULL ORDER BY 1
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- Tables whose rows carry person_id and whose every change may change a count.
CREATE TRIGGER class_trainees_stat_insert AFTER INSERT ON class_trainees
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_new_persons();
CREATE TRIGGER class_trainees_stat_update AFTER UPDATE ON class_trainees
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_updated_persons();
CREATE TRIGGER class_trainees_stat_delete AFTER DELETE ON class_trainees
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_old_persons();

CREATE TRIGGER training_report_trainees_stat_insert AFTER INSERT ON training_report_trainees
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_new_persons();
CREATE TRIGGER training_report_trainees_stat_update AFTER UPDATE ON training_report_trainees
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_updated_persons();
CREATE TRIGGER training_report_trainees_stat_delete AFTER DELETE ON training_report_trainees
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_old_persons();

CREATE TRIGGER certificates_stat_insert AFTER INSERT ON certificates
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_new_persons();
CREATE TRIGGER certificates_stat_update AFTER UPDATE ON certificates
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_updated_persons();

CREATE TRIGGER external_certificates_stat_insert AFTER INSERT ON external_certificates
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_new_persons();
CREATE TRIGGER external_certificates_stat_update AFTER UPDATE ON external_certificates
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_updated_persons();

-- Vouchers change state all day; only the certificate they lead to changes a count (it gives our
-- certificate its class's unit and plan).
CREATE FUNCTION stat_mark_voucher_certificates() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_dirty_persons (person_id)
  SELECT DISTINCT n.person_id
    FROM new_rows n JOIN old_rows o ON o.id = n.id
   WHERE n.certificate_id IS DISTINCT FROM o.certificate_id
      OR (n.certificate_id IS NOT NULL AND n.class_id IS DISTINCT FROM o.class_id)
   ORDER BY 1
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER vouchers_stat_update AFTER UPDATE ON vouchers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_voucher_certificates();

-- Rare changes that touch many persons at once: row triggers with a condition.
CREATE FUNCTION stat_mark_class_trainees() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_dirty_persons (person_id)
  SELECT DISTINCT ct.person_id FROM class_trainees ct WHERE ct.class_id = NEW.id ORDER BY 1
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER classes_stat_update AFTER UPDATE ON classes
  FOR EACH ROW
  WHEN (OLD.ends_at IS DISTINCT FROM NEW.ends_at OR OLD.unit_id IS DISTINCT FROM NEW.unit_id
        OR OLD.plan_no IS DISTINCT FROM NEW.plan_no
        OR OLD.occupation_code IS DISTINCT FROM NEW.occupation_code
        OR OLD.name IS DISTINCT FROM NEW.name
        OR OLD.skill_level_key IS DISTINCT FROM NEW.skill_level_key
        OR OLD.region_code IS DISTINCT FROM NEW.region_code)
  EXECUTE FUNCTION stat_mark_class_trainees();

CREATE FUNCTION stat_mark_report_trainees() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_dirty_persons (person_id)
  SELECT DISTINCT t.person_id FROM training_report_trainees t WHERE t.report_id = NEW.id
   ORDER BY 1
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER training_reports_stat_update AFTER UPDATE ON training_reports
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.end_on IS DISTINCT FROM NEW.end_on
        OR OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.plan_no IS DISTINCT FROM NEW.plan_no
        OR OLD.occupation_code IS DISTINCT FROM NEW.occupation_code
        OR OLD.title IS DISTINCT FROM NEW.title
        OR OLD.skill_level_key IS DISTINCT FROM NEW.skill_level_key
        OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id)
  EXECUTE FUNCTION stat_mark_report_trainees();

CREATE FUNCTION stat_mark_person() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_dirty_persons (person_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER persons_stat_update AFTER UPDATE ON persons
  FOR EACH ROW
  WHEN (OLD.residence_region_code IS DISTINCT FROM NEW.residence_region_code
        OR OLD.household_region_code IS DISTINCT FROM NEW.household_region_code
        OR OLD.region_code IS DISTINCT FROM NEW.region_code)
  EXECUTE FUNCTION stat_mark_person();

-- A township given to (or taken from) the 示范区 moves its residents' county attribution.
CREATE FUNCTION stat_mark_township_residents() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_dirty_persons (person_id)
  SELECT p.id FROM persons p
   WHERE p.residence_region_code = coalesce(NEW.township_code, OLD.township_code)
      OR p.household_region_code = coalesce(NEW.township_code, OLD.township_code)
   ORDER BY 1
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER local_unit_townships_stat AFTER INSERT OR UPDATE OR DELETE
  ON local_unit_townships FOR EACH ROW EXECUTE FUNCTION stat_mark_township_residents();

-- Targets: 2022's come from the annexes (reference data); admins enter later years on screen or
-- by Excel upload (unit_targets.source says which). Who changed a target is in the audit trail.
ALTER TABLE unit_targets ADD COLUMN updated_at timestamptz;

-- Employed persons per county-level unit (or the city: unit_id null) and year: the denominator of
-- 持证率 (certificate holders among the employed), entered by admins with its source.
CREATE TABLE employed_persons (
  id          uuid PRIMARY KEY,
  unit_id     text REFERENCES responsible_units (id),
  year        smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  persons     integer NOT NULL CHECK (persons > 0),
  source      text NOT NULL CHECK (length(btrim(source)) BETWEEN 1 AND 200),
  updated_by  uuid REFERENCES users (id),
  updated_at  timestamptz NOT NULL,
  CONSTRAINT employed_persons_key UNIQUE NULLS NOT DISTINCT (unit_id, year)
);

-- Reports (日统计、周调度、月小结、季通报、半年督导、全年总结): a snapshot of the figures for a
-- period, kept as generated. A scheduled report is generated once per kind and period; one asked
-- for on screen is kept beside it.
CREATE TABLE statistics_reports (
  id            uuid PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('daily', 'weekly', 'monthly', 'quarterly',
                  'half_year', 'annual')),
  period_start  date NOT NULL,
  period_end    date NOT NULL CHECK (period_end >= period_start),
  trigger       text NOT NULL CHECK (trigger IN ('schedule', 'request')),
  content       jsonb NOT NULL,
  generated_by  uuid REFERENCES users (id),
  generated_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX statistics_reports_scheduled_key ON statistics_reports (kind, period_start)
  WHERE trigger = 'schedule';
CREATE INDEX statistics_reports_list_idx ON statistics_reports (generated_at DESC);
