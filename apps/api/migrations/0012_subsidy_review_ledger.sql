-- Subsidy review, the double-entry ledger and evaluation-subsidy claims (issue #7, slice 1:
-- R-SUB-2, R-SUB-5). Forward-only.
--
-- Amounts live in a dated policy table: a claim takes the amount in force on its date, so a
-- policy change (a new row with a later effective_from, the old one closed) never rewrites the
-- past. Claims go submitted → first_approved (county review) → approved (city review, which
-- names the fund that pays it), or rejected with a reason at either review; the same account
-- never reviews one claim twice (four eyes). Later slices add payment batches (in_batch → paid |
-- failed → approved) and the hiring and placement kinds.
--
-- The ledger is double-entry in integer fen: every entry's lines sum to zero (debits positive,
-- credits negative), checked by a deferred constraint trigger at commit, and entries are never
-- changed or deleted — a correction is a reversing entry. Final approval posts Dr fund expense /
-- Cr payable to the payee; revoking the certificate behind an approved, unpaid claim posts the
-- reversal and marks the claim `reversed`.

-- Dated amounts per claim kind and key (evaluation: the skill level key). Training claims take
-- their amount from the voucher rule (min(voucher value, class subsidy standard)), not from here.
CREATE TABLE subsidy_policies (
  kind            text NOT NULL CHECK (kind IN ('evaluation', 'hiring', 'placement')),
  key             text NOT NULL CHECK (length(btrim(key)) BETWEEN 1 AND 64),
  amount_fen      bigint NOT NULL CHECK (amount_fen >= 0),
  effective_from  date NOT NULL,
  -- Last day in force; null: open-ended.
  effective_to    date CHECK (effective_to >= effective_from),
  -- Where the amount comes from (document and section).
  source          text NOT NULL CHECK (length(btrim(source)) BETWEEN 1 AND 200),
  PRIMARY KEY (kind, key, effective_from)
);
-- Two rows of one kind and key never overlap in time, so a date finds at most one amount.
-- btree_gist: created in 0006.
ALTER TABLE subsidy_policies ADD CONSTRAINT subsidy_policies_no_overlap
  EXCLUDE USING gist (kind WITH =, key WITH =,
    daterange(effective_from, effective_to, '[]') WITH &&);

-- 商丘 policy of 2022-04-15, section 四(二)1 (apps/api/reference/shangqiu_policy_amounts.csv):
-- 评价补贴 per certificate to the evaluation institution.
INSERT INTO subsidy_policies (kind, key, amount_fen, effective_from, effective_to, source) VALUES
  ('evaluation', 'special_ability', 10000, '2022-04-15', NULL, '商丘 2022 四(二)1 专项职业能力'),
  ('evaluation', 'level5',          20000, '2022-04-15', NULL, '商丘 2022 四(二)1 初级工'),
  ('evaluation', 'level4',          24000, '2022-04-15', NULL, '商丘 2022 四(二)1 中级工'),
  ('evaluation', 'level3',          28000, '2022-04-15', NULL, '商丘 2022 四(二)1 高级工'),
  ('evaluation', 'level2',          35000, '2022-04-15', NULL, '商丘 2022 四(二)1 技师'),
  ('evaluation', 'level1',          38000, '2022-04-15', NULL, '商丘 2022 四(二)1 高级技师');

-- Funding sources. Which kinds each may pay is in fund_claim_kinds (rationale in
-- docs/subsidies.md).
CREATE TABLE funds (
  code  text PRIMARY KEY CHECK (code ~ '^[a-z_]{2,40}$'),
  name  text NOT NULL UNIQUE CHECK (length(btrim(name)) BETWEEN 1 AND 100)
);
INSERT INTO funds (code, name) VALUES
  ('employment_subsidy', '就业补助资金'),
  ('unemployment_insurance', '失业保险基金'),
  ('fiscal', '财政资金');

CREATE TABLE fund_claim_kinds (
  fund_code   text NOT NULL REFERENCES funds (code),
  claim_kind  text NOT NULL CHECK (claim_kind IN ('training', 'evaluation', 'hiring', 'placement')),
  PRIMARY KEY (fund_code, claim_kind)
);
INSERT INTO fund_claim_kinds (fund_code, claim_kind) VALUES
  -- 就业补助资金: 职业培训补贴, 职业技能评价补贴 and the employment subsidies (吸纳, 介绍).
  ('employment_subsidy', 'training'),
  ('employment_subsidy', 'evaluation'),
  ('employment_subsidy', 'hiring'),
  ('employment_subsidy', 'placement'),
  -- 失业保险基金: only skill upgrading of insured workers (技能提升补贴), i.e. training.
  ('unemployment_insurance', 'training'),
  -- 财政资金: the local budget backs every kind.
  ('fiscal', 'training'),
  ('fiscal', 'evaluation'),
  ('fiscal', 'hiring'),
  ('fiscal', 'placement');

-- Policies, funds and their kinds change by migration only.
REVOKE INSERT, UPDATE, DELETE ON subsidy_policies, funds, fund_claim_kinds FROM jineng_app;

-- Claims: the evaluation kind, the review workflow and the reversal of an approval.
ALTER TABLE subsidy_claims DROP CONSTRAINT subsidy_claims_kind_check;
ALTER TABLE subsidy_claims ADD CONSTRAINT subsidy_claims_kind_check
  CHECK (kind IN ('training', 'evaluation'));
ALTER TABLE subsidy_claims DROP CONSTRAINT subsidy_claims_status_check;
-- reversed: approved, then its certificate was revoked before payment; the approval's ledger
-- entry is reversed and the claim is never paid.
ALTER TABLE subsidy_claims ADD CONSTRAINT subsidy_claims_status_check
  CHECK (status IN ('submitted', 'first_approved', 'approved', 'rejected', 'reversed'));

ALTER TABLE subsidy_claims
  -- Evaluation claims: what makes a claim the same one (person + occupation + level, and the
  -- 专项 item, which is null for skill levels).
  ADD COLUMN occupation_code        text,
  ADD COLUMN skill_level_key        text REFERENCES skill_levels (key),
  ADD COLUMN special_ability_id     uuid REFERENCES special_abilities (id),
  ADD COLUMN first_reviewed_by      uuid REFERENCES users (id),
  ADD COLUMN first_reviewed_at      timestamptz,
  ADD COLUMN approved_by            uuid REFERENCES users (id),
  ADD COLUMN approved_at            timestamptz,
  -- The fund that pays the claim, named at final approval.
  ADD COLUMN fund_code              text REFERENCES funds (code),
  ADD COLUMN rejected_by            uuid REFERENCES users (id),
  ADD COLUMN rejected_at            timestamptz,
  ADD COLUMN rejection_reason       text CHECK (length(btrim(rejection_reason)) BETWEEN 1 AND 500),
  ADD COLUMN reversed_at            timestamptz,
  ADD COLUMN reversal_reason        text CHECK (length(reversal_reason) <= 500),
  -- Optimistic version for clients; the review itself locks the row.
  ADD COLUMN version                integer NOT NULL DEFAULT 1,
  ADD CONSTRAINT subsidy_claims_evaluation_facts
    CHECK (kind <> 'evaluation' OR (certificate_id IS NOT NULL AND occupation_code IS NOT NULL
      AND skill_level_key IS NOT NULL)),
  -- Four eyes, also for a writer that bypasses the service.
  ADD CONSTRAINT subsidy_claims_four_eyes
    CHECK (approved_by IS NULL OR approved_by <> first_reviewed_by),
  ADD CONSTRAINT subsidy_claims_first_review_pair
    CHECK ((first_reviewed_by IS NULL) = (first_reviewed_at IS NULL)),
  ADD CONSTRAINT subsidy_claims_approval_complete
    CHECK ((status IN ('approved', 'reversed')) = (approved_at IS NOT NULL
      AND approved_by IS NOT NULL AND fund_code IS NOT NULL)),
  ADD CONSTRAINT subsidy_claims_first_reviewed
    CHECK (status NOT IN ('first_approved', 'approved', 'reversed') OR first_reviewed_at IS NOT NULL),
  ADD CONSTRAINT subsidy_claims_rejection_complete
    CHECK ((status = 'rejected') = (rejected_at IS NOT NULL AND rejected_by IS NOT NULL
      AND rejection_reason IS NOT NULL)),
  ADD CONSTRAINT subsidy_claims_reversal_complete
    CHECK ((status = 'reversed') = (reversed_at IS NOT NULL));

-- R-SUB-2: an evaluation subsidy is paid once per person + occupation + level, across all
-- institutions and years. A rejected claim does not count (the claim may be made again);
-- a flagged or reversed one does: its certificate was revoked and a later certificate for the
-- same person, occupation and level earns no second subsidy.
CREATE UNIQUE INDEX subsidy_claims_evaluation_once
  ON subsidy_claims (person_id, occupation_code, skill_level_key, special_ability_id)
  NULLS NOT DISTINCT WHERE kind = 'evaluation' AND status <> 'rejected';
-- Review queues by status and region.
CREATE INDEX subsidy_claims_status_idx ON subsidy_claims (status, region_code, created_at);

-- A claim's history: every transition with who, when and why. Append-only.
CREATE TABLE claim_events (
  id             uuid PRIMARY KEY,
  claim_id       uuid NOT NULL REFERENCES subsidy_claims (id),
  from_status    text,
  to_status      text NOT NULL,
  action         text NOT NULL CHECK (action IN ('submit', 'first_approve', 'approve', 'reject',
                   'reverse', 'flag')),
  actor_user_id  uuid REFERENCES users (id),
  at             timestamptz NOT NULL,
  reason         text CHECK (length(reason) <= 500),
  details        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX claim_events_claim_idx ON claim_events (claim_id, at);

-- Accounts. kind:
--   fund_expense  per fund: subsidies the fund has committed to (debit balance);
--   fund_cash     per fund: money paid out of the fund (credit balance; payment slice);
--   payable       per payee and fund: what the fund owes the payee (credit balance);
--   receivable    per payee and fund: what a payee owes back after a clawback of a paid claim.
CREATE TABLE ledger_accounts (
  id               uuid PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('fund_expense', 'fund_cash', 'payable',
                     'receivable')),
  fund_code        text NOT NULL REFERENCES funds (code),
  organisation_id  uuid REFERENCES organisations (id),
  name             text NOT NULL,
  created_at       timestamptz NOT NULL,
  CHECK ((kind IN ('payable', 'receivable')) = (organisation_id IS NOT NULL))
);
CREATE UNIQUE INDEX ledger_accounts_key
  ON ledger_accounts (kind, fund_code, organisation_id) NULLS NOT DISTINCT;

CREATE TABLE ledger_entries (
  id                 uuid PRIMARY KEY,
  kind               text NOT NULL CHECK (kind IN ('claim_approved', 'claim_reversed')),
  claim_id           uuid REFERENCES subsidy_claims (id),
  -- A reversing entry names the entry it reverses; an entry is reversed at most once.
  reverses_entry_id  uuid UNIQUE REFERENCES ledger_entries (id),
  memo               text NOT NULL CHECK (length(memo) <= 500),
  posted_at          timestamptz NOT NULL,
  posted_by          uuid REFERENCES users (id)
);
CREATE INDEX ledger_entries_claim_idx ON ledger_entries (claim_id) WHERE claim_id IS NOT NULL;
-- A claim's approval is posted once.
CREATE UNIQUE INDEX ledger_entries_claim_approved_once ON ledger_entries (claim_id)
  WHERE kind = 'claim_approved';

-- One line per account touched: amount_fen > 0 debits, < 0 credits.
CREATE TABLE ledger_lines (
  id          uuid PRIMARY KEY,
  entry_id    uuid NOT NULL REFERENCES ledger_entries (id),
  account_id  uuid NOT NULL REFERENCES ledger_accounts (id),
  amount_fen  bigint NOT NULL CHECK (amount_fen <> 0)
);
CREATE INDEX ledger_lines_entry_idx ON ledger_lines (entry_id);
CREATE INDEX ledger_lines_account_idx ON ledger_lines (account_id);

-- Every entry balances: checked at commit (deferred), once the entry's lines are all in, for
-- each entry and each line inserted in the transaction. An entry needs two lines at least.
CREATE FUNCTION ledger_check_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target uuid;
  total numeric;
  lines integer;
BEGIN
  IF TG_TABLE_NAME = 'ledger_entries' THEN
    target := NEW.id;
  ELSE
    target := NEW.entry_id;
  END IF;
  SELECT coalesce(sum(amount_fen), 0), count(*) INTO total, lines
    FROM ledger_lines WHERE entry_id = target;
  IF total <> 0 OR lines < 2 THEN
    RAISE EXCEPTION 'ledger entry % is unbalanced (sum %, % lines)', target, total, lines
      USING ERRCODE = '23514', CONSTRAINT = 'ledger_entry_balanced';
  END IF;
  RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced
  AFTER INSERT ON ledger_entries DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();
CREATE CONSTRAINT TRIGGER ledger_lines_balanced
  AFTER INSERT ON ledger_lines DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();

-- Append-only, like the audit tables (0004): the app may insert and read, never change or delete.
REVOKE UPDATE, DELETE, TRUNCATE ON ledger_accounts, ledger_entries, ledger_lines, claim_events
  FROM jineng_app;
