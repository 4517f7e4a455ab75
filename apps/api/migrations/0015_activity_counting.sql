-- Counting views shared by issue #8 (R-ACT-1) and the progress figures of issue #9. Forward-only.
--
-- A person-time of training and a certified person are counted once, whatever the source: the
-- voucher loop (classes), a unit's report, an import or a system's API call.

-- Trainings.

-- Every completed training of a person, one row per record:
--   source 'voucher'                    a class trainee whose 结业考核 passed; the class's end as
--                                       a civil date in Asia/Shanghai; its plan and responsible unit;
--   source 'unit_report'|'import'|'api' an active training report's completed trainee.
CREATE VIEW training_person_times AS
SELECT 'voucher'::text AS source,
       ct.person_id,
       c.occupation_code,
       c.name AS title,
       c.skill_level_key,
       c.unit_id,
       c.plan_no,
       (c.ends_at AT TIME ZONE 'Asia/Shanghai')::date AS end_on,
       to_char(c.ends_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS period,
       ct.id AS record_id
  FROM class_trainees ct
  JOIN classes c ON c.id = ct.class_id
 WHERE ct.completion_result = 'passed'
UNION ALL
SELECT tr.source,
       trt.person_id,
       tr.occupation_code,
       tr.title,
       tr.skill_level_key,
       tr.unit_id,
       tr.plan_no,
       tr.end_on,
       tr.period,
       tr.id AS record_id
  FROM training_report_trainees trt
  JOIN training_reports tr ON tr.id = trt.report_id
 WHERE tr.status = 'active' AND trt.completed;

-- One person-time per (person, what was trained, month): what was trained is the occupation, or
-- the title when there is none (safety training of a high-risk trade). When several records fall
-- on one key — the same person trained in the voucher loop and reported by a unit, or reported by
-- two units — the earliest counts and carries its unit and plan: earliest end date first, then
-- the voucher loop before reports (it holds attendance as evidence), then the older record (ids
-- are UUIDv7, ordered by creation). `records` is how many records the key had, so
-- records - 1 duplicates were removed. activity.counting.ts mirrors this rule in TypeScript.
CREATE VIEW counted_training_person_times AS
SELECT DISTINCT ON (k.person_id, k.counting_key, k.period)
       k.person_id,
       k.counting_key,
       k.period,
       k.source,
       k.occupation_code,
       k.title,
       k.skill_level_key,
       k.unit_id,
       k.plan_no,
       k.end_on,
       k.record_id,
       count(*) OVER (PARTITION BY k.person_id, k.counting_key, k.period)::integer AS records
  FROM (SELECT t.*, coalesce(t.occupation_code, 'title:' || btrim(t.title)) AS counting_key
          FROM training_person_times t) k
 ORDER BY k.person_id, k.counting_key, k.period, k.end_on,
          (k.source = 'voucher') DESC, k.record_id;

REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON training_person_times, counted_training_person_times
  FROM jineng_app;

-- Certifications.

-- Every certificate of a person, one row per record:
--   source 'evaluation'                  our own valid certificates (revoked ones certify nothing);
--                                        the unit is the one of the class whose voucher the
--                                        certificate made certified, when there is one;
--   source 'unit_report'|'import'|'api'  active certificates issued elsewhere (external), with
--                                        the unit that reported them — duplicates of ours included:
--                                        the counting below removes them.
-- item_key is what a 专项 or 特种作业 certificate is in: the 专项 item's name (ours: the
-- catalogue's name, so that ours and a reported one of the same item meet) or the category.
CREATE VIEW certifications AS
SELECT 'evaluation'::text AS source,
       c.person_id,
       c.occupation_code,
       c.skill_level_key,
       sa.name AS item_key,
       sl.is_high_skilled,
       (SELECT cl.unit_id
          FROM vouchers v
          JOIN classes cl ON cl.id = v.class_id
         WHERE v.certificate_id = c.id
         ORDER BY v.id
         LIMIT 1) AS unit_id,
       c.issued_on,
       to_char(c.issued_on, 'YYYY-MM') AS period,
       c.id AS record_id
  FROM certificates c
  JOIN skill_levels sl ON sl.key = c.skill_level_key
  LEFT JOIN special_abilities sa ON sa.id = c.special_ability_id
 WHERE c.status = 'valid'
UNION ALL
SELECT e.source,
       e.person_id,
       e.occupation_code,
       e.skill_level_key,
       btrim(e.item_name) AS item_key,
       coalesce(sl.is_high_skilled, false) AS is_high_skilled,
       e.unit_id,
       e.issued_on,
       e.period,
       e.id AS record_id
  FROM external_certificates e
  LEFT JOIN skill_levels sl ON sl.key = e.skill_level_key
 WHERE e.status = 'active';

-- One certified person per (person, what they are certified in, level): what is the occupation,
-- or the item for 专项 (one occupation has many items) and 特种作业 (no occupation). When several
-- records fall on one key — ours and a reported one, or two units' — the earliest issue counts
-- and carries its unit and month; on the same day ours (evaluation) comes first, then the older
-- record (UUIDv7 ids order by creation). `records` - 1 duplicates were removed.
-- For #9's figures: first_for_person marks each person's earliest counted certificate and
-- first_high_skilled_for_person their earliest high-skilled one (三级/高级工 and above), so a
-- period's newly certified persons are count(*) FILTER (WHERE first_for_person) over its rows;
-- count(DISTINCT person_id) gives the persons certified in any window.
-- activity.certificates.rules.ts (certificationKey, countCertifications) mirrors this rule.
CREATE VIEW counted_certifications AS
SELECT d.*,
       row_number() OVER (PARTITION BY d.person_id
                          ORDER BY d.issued_on, (d.source = 'evaluation') DESC, d.record_id) = 1
         AS first_for_person,
       CASE WHEN d.is_high_skilled
            THEN row_number() OVER (PARTITION BY d.person_id, d.is_high_skilled
                                    ORDER BY d.issued_on, (d.source = 'evaluation') DESC,
                                             d.record_id) = 1
            ELSE false END AS first_high_skilled_for_person
  FROM (SELECT DISTINCT ON (k.person_id, k.counting_key)
               k.person_id,
               k.counting_key,
               k.source,
               k.occupation_code,
               k.skill_level_key,
               k.item_key,
               k.is_high_skilled,
               k.unit_id,
               k.issued_on,
               k.period,
               k.record_id,
               count(*) OVER (PARTITION BY k.person_id, k.counting_key)::integer AS records
          FROM (SELECT c.*,
                       CASE WHEN c.occupation_code IS NULL OR c.skill_level_key = 'special_ability'
                            THEN 'item:' || coalesce(c.item_key, '')
                            ELSE c.occupation_code END
                         || '|' || coalesce(c.skill_level_key, '') AS counting_key
                  FROM certifications c) k
         ORDER BY k.person_id, k.counting_key, k.issued_on, (k.source = 'evaluation') DESC,
                  k.record_id) d;

REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON certifications, counted_certifications FROM jineng_app;
