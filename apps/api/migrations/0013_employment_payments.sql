-- Employment and social-insurance data (R-EMP-1), hiring and placement subsidy claims
-- (R-SUB-3, R-SUB-4), payment batches and clawbacks (R-SUB-5). Issue #7, slice 2. Forward-only.
--
-- Employment registrations (就业登记) and monthly contributions (社保缴费) arrive by file import or
-- from the provincial system's API. Each arrival re-checks the persons it touched: a hire by an
-- SME of a certificate holder followed by 12 consecutive insured months, or an agency's placement
-- followed by 6, becomes a claim ready for review with its evidence. The employer is named by its
-- 统一社会信用代码, so contributions of employers not (yet) registered here are kept too.
--
-- Approved claims are paid in batches per fund and payer (the city, or a county for the
-- employers affiliated with it): the batch's bank file goes to the bank, each line comes back
-- paid or failed, and a failed line puts its claim back to approved. A claim is in at most one
-- live line (a unique index), so it is paid once whatever the concurrency.

-- 商丘 2022 四(三)1: 吸纳就业补贴 and 职业介绍补贴 (apps/api/reference/shangqiu_policy_amounts.csv).
INSERT INTO subsidy_policies (kind, key, amount_fen, effective_from, effective_to, source) VALUES
  ('hiring', 'sme_per_hire', 100000, '2022-04-15', NULL,
   '商丘 2022 四(三)1 中小微企业吸纳持证人员就业补贴 每人'),
  ('hiring', 'sme_cap_per_enterprise', 200000000, '2022-04-15', NULL,
   '商丘 2022 四(三)1 中小微企业吸纳持证人员就业补贴 每企业累计上限'),
  ('placement', 'per_placement', 30000, '2022-04-15', NULL,
   '商丘 2022 四(三)1 人力资源服务机构职业介绍补贴 每人');

-- The account a payee is paid into (对公账户). Not personal data: kept in clear, copied onto each
-- payment line when a batch is built, so a later change never rewrites a bank file already sent.
ALTER TABLE organisations
  ADD COLUMN bank_name          text CHECK (length(btrim(bank_name)) BETWEEN 1 AND 100),
  ADD COLUMN bank_account_name  text CHECK (length(btrim(bank_account_name)) BETWEEN 1 AND 200),
  ADD COLUMN bank_account_no    text CHECK (bank_account_no ~ '^[0-9]{8,32}$'),
  ADD CONSTRAINT organisations_bank_account_complete
    CHECK ((bank_name IS NULL) = (bank_account_name IS NULL)
       AND (bank_name IS NULL) = (bank_account_no IS NULL));

-- 就业登记: a person hired by an employer on a day (and, later, the day it ended).
CREATE TABLE employment_registrations (
  id                        uuid PRIMARY KEY,
  person_id                 uuid NOT NULL REFERENCES persons (id),
  employer_uscc             text NOT NULL
                            CHECK (employer_uscc ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
  -- The registered organisation with that code, when there is one (set on arrival).
  employer_organisation_id  uuid REFERENCES organisations (id),
  hired_on                  date NOT NULL,
  ended_on                  date CHECK (ended_on >= hired_on),
  source                    text NOT NULL CHECK (source IN ('import', 'api')),
  import_run_id             uuid REFERENCES import_runs (id),
  created_at                timestamptz NOT NULL,
  updated_at                timestamptz NOT NULL,
  CONSTRAINT employment_registrations_key UNIQUE (person_id, employer_uscc, hired_on)
);
CREATE INDEX employment_registrations_employer_idx
  ON employment_registrations (employer_uscc, hired_on);

-- 社保缴费: one employee social-insurance contribution month of a person paid by an employer,
-- with the wage base (缴费基数) in fen. A month arriving again replaces the wage base.
CREATE TABLE insurance_contributions (
  person_id      uuid NOT NULL REFERENCES persons (id),
  employer_uscc  text NOT NULL
                 CHECK (employer_uscc ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
  -- The first day of the month paid for.
  month          date NOT NULL CHECK (extract(day FROM month) = 1),
  wage_base_fen  bigint NOT NULL CHECK (wage_base_fen > 0),
  source         text NOT NULL CHECK (source IN ('import', 'api')),
  import_run_id  uuid REFERENCES import_runs (id),
  recorded_at    timestamptz NOT NULL,
  PRIMARY KEY (person_id, employer_uscc, month)
);

-- 职业介绍: an HR service agency records placing a person with an in-province employer (its
-- county-level region must be in Henan, code 41…).
CREATE TABLE placements (
  id                      uuid PRIMARY KEY,
  agency_organisation_id  uuid NOT NULL,
  agency_kind             text NOT NULL DEFAULT 'hr_agency' CHECK (agency_kind = 'hr_agency'),
  person_id               uuid NOT NULL REFERENCES persons (id),
  employer_uscc           text NOT NULL
                          CHECK (employer_uscc ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
  employer_name           text NOT NULL CHECK (length(btrim(employer_name)) BETWEEN 1 AND 200),
  employer_region_code    text NOT NULL REFERENCES regions (code) CHECK (employer_region_code LIKE '41%'),
  placed_on               date NOT NULL,
  created_by              uuid REFERENCES users (id),
  created_at              timestamptz NOT NULL,
  FOREIGN KEY (agency_organisation_id, agency_kind) REFERENCES organisations (id, kind),
  CONSTRAINT placements_key UNIQUE (agency_organisation_id, person_id, employer_uscc, placed_on)
);
CREATE INDEX placements_person_idx ON placements (person_id, placed_on);

-- Claims: the hiring and placement kinds, payment and clawback.
ALTER TABLE subsidy_claims DROP CONSTRAINT subsidy_claims_kind_check;
ALTER TABLE subsidy_claims ADD CONSTRAINT subsidy_claims_kind_check
  CHECK (kind IN ('training', 'evaluation', 'hiring', 'placement'));
ALTER TABLE subsidy_claims DROP CONSTRAINT subsidy_claims_status_check;
-- in_batch: on a payment line sent to the bank; paid: the bank paid it; clawed_back: paid, then
-- its certificate was revoked: the payee owes the amount back (a receivable).
ALTER TABLE subsidy_claims ADD CONSTRAINT subsidy_claims_status_check
  CHECK (status IN ('submitted', 'first_approved', 'approved', 'rejected', 'reversed',
    'in_batch', 'paid', 'clawed_back'));
ALTER TABLE subsidy_claims
  DROP CONSTRAINT subsidy_claims_approval_complete,
  DROP CONSTRAINT subsidy_claims_first_reviewed,
  DROP CONSTRAINT subsidy_claims_rejection_complete;

ALTER TABLE subsidy_claims
  ADD COLUMN employment_id      uuid REFERENCES employment_registrations (id),
  ADD COLUMN placement_id       uuid REFERENCES placements (id),
  -- The day the claim is about (hire, placement): its policy amount is the one in force then.
  ADD COLUMN basis_date         date,
  -- Who pays, by the employer's 隶属关系: a county for county-affiliated employers, else null
  -- (the city).
  ADD COLUMN payer_region_code  text REFERENCES regions (code),
  ADD COLUMN paid_at            timestamptz,
  ADD COLUMN clawed_back_at     timestamptz,
  ADD COLUMN clawback_reason    text CHECK (length(clawback_reason) <= 500),
  ADD CONSTRAINT subsidy_claims_approval_complete
    CHECK ((status IN ('approved', 'reversed', 'in_batch', 'paid', 'clawed_back'))
      = (approved_at IS NOT NULL AND approved_by IS NOT NULL AND fund_code IS NOT NULL)),
  ADD CONSTRAINT subsidy_claims_first_reviewed
    CHECK (status NOT IN ('first_approved', 'approved', 'reversed', 'in_batch', 'paid',
      'clawed_back') OR first_reviewed_at IS NOT NULL),
  -- rejected_by is null when the system refused the claim (e.g. the enterprise cap is reached).
  ADD CONSTRAINT subsidy_claims_rejection_complete
    CHECK ((status = 'rejected') = (rejected_at IS NOT NULL AND rejection_reason IS NOT NULL)),
  ADD CONSTRAINT subsidy_claims_paid_complete
    CHECK ((status IN ('paid', 'clawed_back')) = (paid_at IS NOT NULL)),
  ADD CONSTRAINT subsidy_claims_clawback_complete
    CHECK ((status = 'clawed_back') = (clawed_back_at IS NOT NULL)),
  ADD CONSTRAINT subsidy_claims_hiring_facts
    CHECK (kind <> 'hiring' OR (employment_id IS NOT NULL AND certificate_id IS NOT NULL
      AND basis_date IS NOT NULL)),
  ADD CONSTRAINT subsidy_claims_placement_facts
    CHECK (kind <> 'placement' OR (placement_id IS NOT NULL AND certificate_id IS NOT NULL
      AND basis_date IS NOT NULL));

-- R-SUB-3: one hiring subsidy per hire (a refused claim does not count).
CREATE UNIQUE INDEX subsidy_claims_hiring_once ON subsidy_claims (employment_id)
  WHERE kind = 'hiring' AND status <> 'rejected';
-- R-SUB-4: at most one placement subsidy per person per agency in 12 months: the 12-month windows
-- from two counted placements of one person by one agency never overlap.
ALTER TABLE subsidy_claims ADD CONSTRAINT subsidy_claims_placement_once_a_year
  EXCLUDE USING gist (
    payee_organisation_id WITH =,
    person_id WITH =,
    daterange(basis_date, (basis_date + interval '12 months')::date, '[)') WITH &&
  ) WHERE (kind = 'placement' AND status <> 'rejected');
CREATE INDEX subsidy_claims_person_idx ON subsidy_claims (person_id, created_at);
CREATE INDEX subsidy_claims_payable_idx ON subsidy_claims (fund_code, payer_region_code)
  WHERE status = 'approved';

ALTER TABLE claim_events DROP CONSTRAINT claim_events_action_check;
ALTER TABLE claim_events ADD CONSTRAINT claim_events_action_check
  CHECK (action IN ('submit', 'first_approve', 'approve', 'reject', 'reverse', 'flag',
    'batch', 'pay', 'fail', 'claw_back'));

-- Payment batches (支付批次): approved claims of one fund and payer, sent to the bank as one file.
-- open: built, its file not yet downloaded; exported: the file went to the bank, lines await
-- their outcome; settled: every line is paid or failed.
CREATE SEQUENCE payment_batch_serial_seq MINVALUE 1 MAXVALUE 99999999 CYCLE;
CREATE TABLE payment_batches (
  id                 uuid PRIMARY KEY,
  -- ZF + 2-digit year + 8-digit serial.
  number             text NOT NULL UNIQUE CHECK (number ~ '^ZF[0-9]{10}$'),
  fund_code          text NOT NULL REFERENCES funds (code),
  payer_region_code  text REFERENCES regions (code),
  status             text NOT NULL CHECK (status IN ('open', 'exported', 'settled')),
  line_count         integer NOT NULL CHECK (line_count > 0),
  total_fen          bigint NOT NULL CHECK (total_fen > 0),
  note               text CHECK (length(note) <= 500),
  created_by         uuid REFERENCES users (id),
  created_at         timestamptz NOT NULL,
  exported_at        timestamptz,
  exported_by        uuid REFERENCES users (id),
  settled_at         timestamptz,
  CHECK ((status = 'open') = (exported_at IS NULL)),
  CHECK ((status = 'settled') = (settled_at IS NOT NULL))
);
CREATE INDEX payment_batches_created_idx ON payment_batches (created_at DESC);

-- One line per claim, with the payee's bank account as it was when the batch was built.
CREATE TABLE payment_lines (
  id                     uuid PRIMARY KEY,
  batch_id               uuid NOT NULL REFERENCES payment_batches (id),
  line_no                integer NOT NULL CHECK (line_no > 0),
  claim_id               uuid NOT NULL REFERENCES subsidy_claims (id),
  payee_organisation_id  uuid NOT NULL REFERENCES organisations (id),
  amount_fen             bigint NOT NULL CHECK (amount_fen > 0),
  bank_name              text NOT NULL,
  bank_account_name      text NOT NULL,
  bank_account_no        text NOT NULL,
  status                 text NOT NULL CHECK (status IN ('pending', 'paid', 'failed')),
  -- The bank's reference for a paid line; the reason a line failed.
  bank_reference         text CHECK (length(bank_reference) <= 100),
  failure_reason         text CHECK (length(btrim(failure_reason)) BETWEEN 1 AND 500),
  settled_at             timestamptz,
  settled_by             uuid REFERENCES users (id),
  CONSTRAINT payment_lines_batch_line_key UNIQUE (batch_id, line_no),
  CHECK ((status = 'pending') = (settled_at IS NULL)),
  CHECK ((status = 'failed') = (failure_reason IS NOT NULL))
);
-- A claim is on at most one line that is not failed: it is paid once.
CREATE UNIQUE INDEX payment_lines_claim_live ON payment_lines (claim_id) WHERE status <> 'failed';
CREATE INDEX payment_lines_batch_idx ON payment_lines (batch_id, line_no);

-- Ledger entries: payment (Dr payable / Cr fund cash), the receivable recognised on a clawback
-- of a paid claim (Dr receivable / Cr payable, after the approval's reversal), and its repayment
-- (Dr fund cash / Cr receivable).
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
  CHECK (kind IN ('claim_approved', 'claim_reversed', 'claim_paid', 'receivable_recognised',
    'receivable_repaid'));
-- A claim is paid once in the books, too.
CREATE UNIQUE INDEX ledger_entries_claim_paid_once ON ledger_entries (claim_id)
  WHERE kind = 'claim_paid';
CREATE INDEX ledger_lines_account_entry_idx ON ledger_lines (account_id, entry_id);

-- Nothing here is ever deleted: a registration ends (ended_on), a line fails, a batch settles.
REVOKE DELETE, TRUNCATE ON employment_registrations, insurance_contributions, placements,
  payment_batches, payment_lines FROM jineng_app;

-- Employment registrations and contributions are imported by file like rosters (R-EMP-1).
ALTER TABLE import_runs DROP CONSTRAINT import_runs_kind_check;
ALTER TABLE import_runs ADD CONSTRAINT import_runs_kind_check
  CHECK (kind IN ('persons', 'organisations', 'employments', 'contributions'));
