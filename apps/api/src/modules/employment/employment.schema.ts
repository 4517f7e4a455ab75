import type { ColumnType } from 'kysely';

/*
 * Kysely's view of employment registrations, social-insurance contributions and placements
 * (migrations/0013_employment_payments.sql), merged into `Database` in platform/db-schema.ts.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;

export const EMPLOYMENT_SOURCES = ['import', 'api'] as const;
export type EmploymentSource = (typeof EMPLOYMENT_SOURCES)[number];

/** 就业登记. Dates are YYYY-MM-DD strings (pg's date type parser is off). */
export interface EmploymentRegistrationsTable {
  id: string;
  personId: string;
  employerUscc: string;
  employerOrganisationId: string | null;
  hiredOn: string;
  endedOn: NullableDate;
  source: EmploymentSource;
  importRunId: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** 社保缴费: one insured month (its first day) of a person paid by an employer. */
export interface InsuranceContributionsTable {
  personId: string;
  employerUscc: string;
  month: string;
  wageBaseFen: ColumnType<number, number, number>;
  source: EmploymentSource;
  importRunId: ColumnType<string | null, string | null | undefined, string | null>;
  recordedAt: Timestamp;
}

/** 职业介绍: an HR agency's placement of a person with an in-province employer. */
export interface PlacementsTable {
  id: string;
  agencyOrganisationId: string;
  agencyKind: ColumnType<'hr_agency', 'hr_agency' | undefined, never>;
  personId: string;
  employerUscc: string;
  employerName: string;
  employerRegionCode: string;
  placedOn: string;
  createdBy: string | null;
  createdAt: Timestamp;
}

export interface EmploymentTables {
  employmentRegistrations: EmploymentRegistrationsTable;
  insuranceContributions: InsuranceContributionsTable;
  placements: PlacementsTable;
}
