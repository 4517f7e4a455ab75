import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { VoucherAction, VoucherState } from './vouchers.rules.js';

/*
 * Kysely's view of migrations/0009_create_vouchers.sql, merged into `Database` in
 * platform/db-schema.ts.
 */

type CivilDate = ColumnType<string, string, string>;
export type VoucherSource = 'issued' | 'applied';
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
  issuedBy: string | null;
  regionCode: string;
  source: VoucherSource;
  batchId: string | null;
  version: Generated<number>;
  createdAt: Date;
  updatedAt: Date;
}

export interface VoucherEventsTable {
  id: string;
  voucherId: string;
  fromState: VoucherState | null;
  toState: VoucherState;
  action: VoucherAction | 'issue';
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
