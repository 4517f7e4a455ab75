import type { ColumnType } from 'kysely';

/*
 * Kysely's view of migrations/0008_create_classes.sql, merged into `Database` in
 * platform/db-schema.ts.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** 岗前培训, 岗位技能提升, 创业培训(马兰花), 企业新型学徒制, other. */
export const TRAINING_TYPES = [
  'pre_job',
  'on_the_job_upgrade',
  'entrepreneurship',
  'new_apprenticeship',
  'other',
] as const;
export type TrainingType = (typeof TRAINING_TYPES)[number];

/** The stored states of a class; `in_progress` and `finished` are derived from the dates. */
export const CLASS_STATES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type ClassState = (typeof CLASS_STATES)[number];

/** What a class is now: its stored state, with an approved class's dates taken into account. */
export const CLASS_STATUSES = [...CLASS_STATES, 'in_progress', 'finished'] as const;
export type ClassStatus = (typeof CLASS_STATUSES)[number];

export const ATTENDANCE_METHODS = ['qr', 'face', 'manual'] as const;
export type AttendanceMethod = (typeof ATTENDANCE_METHODS)[number];

export const COMPLETION_RESULTS = ['passed', 'failed'] as const;
export type CompletionResult = (typeof COMPLETION_RESULTS)[number];

export interface ClassesTable {
  id: string;
  organisationId: ColumnType<string, string, never>;
  organisationKind: ColumnType<'training_institution', undefined, never>;
  name: string;
  occupationCode: string;
  occupationLevel: number;
  skillLevelKey: string;
  planNo: number;
  unitId: string;
  trainingType: TrainingType;
  regionCode: string;
  address: string;
  capacity: number;
  offlineMinutes: number;
  onlineMinutes: number;
  subsidyStandardFen: number;
  attendanceThresholdPercent: number;
  state: ClassState;
  returnReason: string | null;
  startsAt: Timestamp;
  endsAt: Timestamp;
  createdBy: string | null;
  submittedAt: Timestamp | null;
  decidedAt: Timestamp | null;
  decidedBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface ClassSessionsTable {
  id: string;
  classId: string;
  seq: number;
  startsAt: Timestamp;
  endsAt: Timestamp;
}

export interface ClassTraineesTable {
  id: string;
  classId: string;
  personId: string;
  voucherId: string | null;
  enrolledAt: Timestamp;
  enrolledBy: string | null;
  onlineMinutes: ColumnType<number, number | undefined, number>;
  completionResult: CompletionResult | null;
  /** numeric comes back as a string (see platform/db.ts). */
  completionScore: ColumnType<string | null, number | null | undefined, number | null>;
  completionNote: string | null;
  attendedMinutes: number | null;
  completedAt: Timestamp | null;
  completedBy: string | null;
}

export interface ClassAttendanceTable {
  id: string;
  classId: string;
  sessionId: string;
  personId: string;
  /** A tstzrange literal, written by the repository from the session's times. */
  sessionRange: ColumnType<string, string, never>;
  checkedInAt: Timestamp;
  checkInMethod: AttendanceMethod;
  checkInPlace: string | null;
  checkInReason: string | null;
  checkInBy: string | null;
  checkedOutAt: Timestamp | null;
  checkOutMethod: AttendanceMethod | null;
  checkOutPlace: string | null;
  checkOutReason: string | null;
  checkOutBy: string | null;
}

/** The class tables, merged into `Database` in platform/db-schema.ts. */
export interface ClassTables {
  classes: ClassesTable;
  classSessions: ClassSessionsTable;
  classTrainees: ClassTraineesTable;
  classAttendance: ClassAttendanceTable;
}
