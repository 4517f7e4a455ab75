import type { ColumnType, JSONColumnType } from 'kysely';

/*
 * Kysely's view of the statistics tables (migrations/0016_statistics.sql), merged into
 * `Database` in platform/db-schema.ts.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Optional<T> = ColumnType<T, T | undefined, T>;

export const MEASURES = ['training', 'skilled', 'high_skilled'] as const;
export type Measure = (typeof MEASURES)[number];

export const REPORT_KINDS = [
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'half_year',
  'annual',
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface StatDirtyPersonsTable {
  personId: string;
}

export interface StatPersonEventsTable {
  personId: string;
  measure: Measure;
  /** YYYY-MM-DD, an Asia/Shanghai civil date. */
  onDate: string;
  unitId: string | null;
  countyUnitId: string | null;
  planNo: number | null;
  occupationCode: string | null;
  skillLevelKey: string | null;
  source: string;
  recordId: string;
}

interface Counts {
  training: Optional<number>;
  skilled: Optional<number>;
  highSkilled: Optional<number>;
}

export interface StatDailyTable extends Counts {
  onDate: string;
  unitId: string | null;
  countyUnitId: string | null;
  planNo: number | null;
  occupationCode: string | null;
  skillLevelKey: string | null;
}

export interface StatMonthlyTable extends Counts {
  /** The first day of the month. */
  month: string;
  unitId: string | null;
  countyUnitId: string | null;
  planNo: number | null;
}

export interface EmployedPersonsTable {
  id: string;
  /** A county-level unit, or null for the whole city. */
  unitId: string | null;
  year: number;
  persons: number;
  source: string;
  updatedBy: string | null;
  updatedAt: Timestamp;
}

export interface StatisticsReportsTable {
  id: string;
  kind: ReportKind;
  periodStart: string;
  periodEnd: string;
  trigger: 'schedule' | 'request';
  content: JSONColumnType<Record<string, unknown>, string, string>;
  generatedBy: string | null;
  generatedAt: Timestamp;
}

export interface StatisticsTables {
  statDirtyPersons: StatDirtyPersonsTable;
  statPersonEvents: StatPersonEventsTable;
  statDaily: StatDailyTable;
  statMonthly: StatMonthlyTable;
  employedPersons: EmployedPersonsTable;
  statisticsReports: StatisticsReportsTable;
}
