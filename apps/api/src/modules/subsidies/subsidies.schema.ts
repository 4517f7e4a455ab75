import type { ColumnType, JSONColumnType } from 'kysely';

/*
 * Kysely's view of subsidy claims (migrations/0010_create_evaluations_certificates.sql), their
 * review, the dated policies, funds and the ledger (0012_subsidy_review_ledger.sql), merged into
 * `Database` in platform/db-schema.ts.
 */

export const SUBSIDY_KINDS = ['training', 'evaluation', 'hiring', 'placement'] as const;
export type SubsidyKind = (typeof SUBSIDY_KINDS)[number];

/**
 * submitted → first_approved (county) → approved (city, names the fund) → in_batch (on a payment
 * line) → paid, or rejected at either review (or by the system, e.g. the enterprise cap);
 * a failed payment line puts the claim back to approved; reversed: approved, then its
 * certificate was revoked before payment; clawed_back: the same after payment.
 */
export const CLAIM_STATUSES = [
  'submitted',
  'first_approved',
  'approved',
  'rejected',
  'reversed',
  'in_batch',
  'paid',
  'clawed_back',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const CLAIM_ACTIONS = [
  'submit',
  'first_approve',
  'approve',
  'reject',
  'reverse',
  'flag',
  'batch',
  'pay',
  'fail',
  'claw_back',
] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];

export const LEDGER_ACCOUNT_KINDS = ['fund_expense', 'fund_cash', 'payable', 'receivable'] as const;
export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];

export const LEDGER_ENTRY_KINDS = [
  'claim_approved',
  'claim_reversed',
  'claim_paid',
  'receivable_recognised',
  'receivable_repaid',
] as const;
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
  employmentId: ColumnType<string | null, string | null | undefined, string | null>;
  placementId: ColumnType<string | null, string | null | undefined, string | null>;
  /** YYYY-MM-DD: the hire or placement day the claim is about. */
  basisDate: ColumnType<string | null, string | null | undefined, string | null>;
  /** The paying county by the employer's 隶属关系; null: the city. */
  payerRegionCode: ColumnType<string | null, string | null | undefined, string | null>;
  paidAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  clawedBackAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  clawbackReason: ColumnType<string | null, string | null | undefined, string | null>;
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

export const BATCH_STATUSES = ['open', 'exported', 'settled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const PAYMENT_LINE_STATUSES = ['pending', 'paid', 'failed'] as const;
export type PaymentLineStatus = (typeof PAYMENT_LINE_STATUSES)[number];

export interface PaymentBatchesTable {
  id: string;
  number: string;
  fundCode: string;
  payerRegionCode: string | null;
  status: BatchStatus;
  lineCount: number;
  totalFen: ColumnType<number, number, number>;
  note: string | null;
  createdBy: string | null;
  createdAt: Timestamp;
  exportedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  exportedBy: ColumnType<string | null, string | null | undefined, string | null>;
  settledAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface PaymentLinesTable {
  id: string;
  batchId: string;
  lineNo: number;
  claimId: string;
  payeeOrganisationId: string;
  amountFen: ColumnType<number, number, number>;
  bankName: string;
  bankAccountName: string;
  bankAccountNo: string;
  status: PaymentLineStatus;
  bankReference: ColumnType<string | null, string | null | undefined, string | null>;
  failureReason: ColumnType<string | null, string | null | undefined, string | null>;
  settledAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  settledBy: ColumnType<string | null, string | null | undefined, string | null>;
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
  paymentBatches: PaymentBatchesTable;
  paymentLines: PaymentLinesTable;
}
