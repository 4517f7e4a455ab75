import type { ColumnType, JSONColumnType } from 'kysely';

/*
 * Kysely's view of migrations/0007_create_imports.sql, merged into `Database` in
 * platform/db-schema.ts.
 */

export type ImportKind =
  | 'persons'
  | 'organisations'
  | 'employments'
  | 'contributions'
  | 'training_reports'
  | 'external_certificates';
export type ImportStatus = 'running' | 'committed' | 'dry_run' | 'failed';
export type ImportScopeKind = 'city' | 'region' | 'unit' | 'organisation';

/** One rejected problem as the report shows it. */
export interface RejectedCell {
  /** The row number Excel shows (the header is row 1). */
  row: number;
  /** The column's header as written in the file. */
  column: string;
  code: string;
  message: string;
}

type Counter = ColumnType<number, number | undefined, number>;

export interface ImportRunsTable {
  id: string;
  kind: ImportKind;
  status: ImportStatus;
  fileName: string;
  fileFormat: 'xlsx' | 'csv';
  fileSha256: string;
  fileSize: number;
  overwrite: ColumnType<boolean, boolean | undefined, boolean>;
  rowsRead: Counter;
  imported: Counter;
  updated: Counter;
  unchanged: Counter;
  rejectedRows: Counter;
  rejectedTotal: Counter;
  rejected: JSONColumnType<RejectedCell[], string | undefined, string>;
  errorCode: string | null;
  createdBy: string | null;
  scopeKind: ImportScopeKind;
  scopeId: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface ImportFailedFilesTable {
  importRunId: string;
  contentEnc: string;
  sizeBytes: number;
  rowCount: number;
  createdAt: Date;
  expiresAt: Date;
}

/** The import tables, merged into `Database` in platform/db-schema.ts. */
export interface ImportTables {
  importRuns: ImportRunsTable;
  importFailedFiles: ImportFailedFilesTable;
}
