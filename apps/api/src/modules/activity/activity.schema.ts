import type { ColumnType } from 'kysely';

/*
 * Kysely's view of unit reports of trainings and certificates issued elsewhere
 * (migrations/0014_activity_reports.sql), merged into `Database` in platform/db-schema.ts.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Optional<T> = ColumnType<T, T | undefined, T>;

export const ACTIVITY_SOURCES = ['unit_report', 'import', 'api'] as const;
export type ActivitySource = (typeof ACTIVITY_SOURCES)[number];

export const REPORT_STATUSES = ['active', 'withdrawn'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const EXTERNAL_CERTIFICATE_KINDS = [
  'qualification_legacy',
  'skill_level',
  'special_ability',
  'special_operation',
] as const;
export type ExternalCertificateKind = (typeof EXTERNAL_CERTIFICATE_KINDS)[number];

export interface ActivityPeriodsTable {
  period: string;
  closedAt: Timestamp;
  closedBy: string | null;
}

export interface TrainingReportsTable {
  id: string;
  unitId: string;
  organisationId: string | null;
  planNo: number | null;
  title: string;
  occupationCode: string | null;
  skillLevelKey: string | null;
  /** YYYY-MM-DD. */
  startOn: string;
  endOn: string;
  /** numeric(6,1): pg returns a string. */
  hours: ColumnType<string, string | number, string | number>;
  period: string;
  source: ActivitySource;
  importRunId: Optional<string | null>;
  status: Optional<ReportStatus>;
  reportedBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: Optional<number>;
}

export interface TrainingReportTraineesTable {
  reportId: string;
  personId: string;
  completed: Optional<boolean>;
}

export interface ExternalCertificatesTable {
  id: string;
  kind: ExternalCertificateKind;
  number: string;
  personId: string;
  occupationCode: string | null;
  skillLevelKey: string | null;
  itemName: string | null;
  issuerName: string;
  issuingProvinceCode: string;
  issuedOn: string;
  validUntil: string | null;
  unitId: string;
  period: string;
  source: ActivitySource;
  importRunId: Optional<string | null>;
  status: Optional<ReportStatus>;
  duplicateOfCertificateId: Optional<string | null>;
  reportedBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: Optional<number>;
}

export interface ActivityTables {
  activityPeriods: ActivityPeriodsTable;
  trainingReports: TrainingReportsTable;
  trainingReportTrainees: TrainingReportTraineesTable;
  externalCertificates: ExternalCertificatesTable;
}
