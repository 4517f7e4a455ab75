import type { ColumnType, JSONColumnType } from 'kysely';

/*
 * Kysely's view of subsidy claims (migrations/0010_create_evaluations_certificates.sql), their
 * review, the dated policies, funds and the ledger (0012_subsidy_review_ledger.sql), merged into
 * `Database` in platform/db-schema.ts.
 */

export const SUBSIDY_KINDS = ['training', 'evaluation'] as const;
export type SubsidyKind = (typeof SUBSIDY_KINDS)[number];

/**
 * submitted → first_approved (county) → approved (city, names the fund), or rejected at either
 * review; reversed: approved, then its certificate was revoked before payment.
 */
export const CLAIM_STATUSES = [
  'submitted',
  'first_approved',
  'approved',
  'rejected',
  'reversed',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const CLAIM_ACTIONS = [
  'submit',
  'first_approve',
  'approve',
  'reject',
  'reverse',
  'flag',
] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];

export const LEDGER_ACCOUNT_KINDS = ['fund_expense', 'fund_cash', 'payable', 'receivable'] as const;
export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];

export const LEDGER_ENTRY_KINDS = ['claim_approved', 'claim_reversed'] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface SubsidyClaimsTable {
  id: string;
  number: string;
  kind: SubsidyKind;
  payeeOrganisationId: string;
  personId: string;
  /** bigint in the database; pg returns it as a string unless parsed. */
  amountFen: ColumnType<number, number, number>;
  voucherId: string | null;
  classId: string | null;
  certificateId: string | null;
  evidence: JSONColumnType<Record<string, unknown>, string, string>;
  status: ClaimStatus;
  flaggedAt: Timestamp | null;
  flagReason: string | null;
  regionCode: string;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  occupationCode: ColumnType<string | null, string | null | undefined, string | null>;
  skillLevelKey: ColumnType<string | null, string | null | undefined, string | null>;
  specialAbilityId: ColumnType<string | null, string | null | undefined, string | null>;
  firstReviewedBy: ColumnType<string | null, string | null | undefined, string | null>;
  firstReviewedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  approvedBy: ColumnType<string | null, string | null | undefined, string | null>;
  approvedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  fundCode: ColumnType<string | null, string | null | undefined, string | null>;
  rejectedBy: ColumnType<string | null, string | null | undefined, string | null>;
  rejectedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  rejectionReason: ColumnType<string | null, string | null | undefined, string | null>;
  reversedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  reversalReason: ColumnType<string | null, string | null | undefined, string | null>;
  version: ColumnType<number, number | undefined, number>;
}

export interface SubsidyPoliciesTable {
  kind: string;
  key: string;
  /** bigint: parsed to a number by the caller. */
  amountFen: ColumnType<number, number, number>;
  /** YYYY-MM-DD. */
  effectiveFrom: string;
  effectiveTo: string | null;
  source: string;
}

export interface FundsTable {
  code: string;
  name: string;
}

export interface FundClaimKindsTable {
  fundCode: string;
  claimKind: string;
}

export interface ClaimEventsTable {
  id: string;
  claimId: string;
  fromStatus: ClaimStatus | null;
  toStatus: ClaimStatus;
  action: ClaimAction;
  actorUserId: string | null;
  at: Timestamp;
  reason: string | null;
  details: JSONColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface LedgerAccountsTable {
  id: string;
  kind: LedgerAccountKind;
  fundCode: string;
  organisationId: string | null;
  name: string;
  createdAt: Timestamp;
}

export interface LedgerEntriesTable {
  id: string;
  kind: LedgerEntryKind;
  claimId: string | null;
  reversesEntryId: string | null;
  memo: string;
  postedAt: Timestamp;
  postedBy: string | null;
}

export interface LedgerLinesTable {
  id: string;
  entryId: string;
  accountId: string;
  /** > 0 debit, < 0 credit; bigint parsed by the caller. */
  amountFen: ColumnType<number, number, number>;
}

export interface SubsidyTables {
  subsidyClaims: SubsidyClaimsTable;
  subsidyPolicies: SubsidyPoliciesTable;
  funds: FundsTable;
  fundClaimKinds: FundClaimKindsTable;
  claimEvents: ClaimEventsTable;
  ledgerAccounts: LedgerAccountsTable;
  ledgerEntries: LedgerEntriesTable;
  ledgerLines: LedgerLinesTable;
}
