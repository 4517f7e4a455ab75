import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { VoucherAction, VoucherState } from './vouchers.rules.js';

/*
 * Kysely's view of migrations/0009_create_vouchers.sql, merged into `Database` in
 * platform/db-schema.ts.
 */

type CivilDate = ColumnType<string, string, string>;
export type VoucherSource = 'issued' | 'applied';
/** Why a binding by ID number awaits review: nobody can confirm it, or nobody did in 24 h. */
export type PendingFlagReason = 'no_account' | 'unconfirmed';
export type ApplicationState = 'pending' | 'approved' | 'rejected';

export interface VouchersTable {
  id: string;
  number: string;
  personId: string;
  occupationCode: string;
  occupationLevel: number;
  valueFen: number;
  validFrom: CivilDate;
  validTo: CivilDate;
  state: VoucherState;
  classId: string | null;
  organisationId: string | null;
  subsidyStandardFen: number | null;
  boundAt: Date | null;
  pendingClassId: string | null;
  pendingOrganisationId: string | null;
  pendingSubsidyStandardFen: number | null;
  pendingRequestedBy: string | null;
  pendingRequestedAt: Date | null;
  /** 0011: a pending binding flagged for a county administrator's review, and why. */
  pendingFlaggedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  pendingFlagReason: ColumnType<
    PendingFlagReason | null,
    PendingFlagReason | null | undefined,
    PendingFlagReason | null
  >;
  issuedBy: string | null;
  regionCode: string;
  source: VoucherSource;
  batchId: string | null;
  /** The certificate that made the voucher `certified` (以证换券); cleared if it is revoked first. */
  certificateId: ColumnType<string | null, string | null | undefined, string | null>;
  certifiedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  version: Generated<number>;
  createdAt: Date;
  updatedAt: Date;
}

export interface VoucherEventsTable {
  id: string;
  voucherId: string;
  fromState: VoucherState | null;
  toState: VoucherState;
  /** 'reject_binding': a reviewer rejected a binding by ID number (0011); the state stays. */
  action: VoucherAction | 'issue' | 'reject_binding';
  actorUserId: string | null;
  at: Date;
  details: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
}

export interface VoucherApplicationsTable {
  id: string;
  personId: string;
  occupationCode: string;
  occupationLevel: number;
  reason: string | null;
  state: ApplicationState;
  regionCode: string;
  voucherId: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  createdAt: Date;
}

export interface VoucherTables {
  vouchers: VouchersTable;
  voucherEvents: VoucherEventsTable;
  voucherApplications: VoucherApplicationsTable;
}
