import type { ColumnType, JSONColumnType } from 'kysely';

/*
 * Kysely's view of subsidy_claims (migrations/0010_create_evaluations_certificates.sql), merged
 * into `Database` in platform/db-schema.ts. #7 adds review, payment and the other kinds.
 */

export const SUBSIDY_KINDS = ['training'] as const;
export type SubsidyKind = (typeof SUBSIDY_KINDS)[number];

export const CLAIM_STATUSES = ['submitted'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

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
}

export interface SubsidyTables {
  subsidyClaims: SubsidyClaimsTable;
}
