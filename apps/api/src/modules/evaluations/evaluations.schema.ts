import type { ColumnType } from 'kysely';

/*
 * Kysely's view of the evaluation tables of migrations/0010_create_evaluations_certificates.sql,
 * merged into `Database` in platform/db-schema.ts.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A civil date (YYYY-MM-DD): pg hands `date` back as a string (see platform/db.ts). */
type CivilDate = ColumnType<string, string, string>;

export const SESSION_STATES = ['scheduled', 'submitted'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export const CANDIDATE_SOURCES = ['voucher', 'enterprise', 'school', 'individual'] as const;
export type CandidateSource = (typeof CANDIDATE_SOURCES)[number];

export const CANDIDATE_RESULTS = ['pass', 'fail', 'absent'] as const;
export type CandidateResult = (typeof CANDIDATE_RESULTS)[number];

export interface SpecialAbilitiesTable {
  id: string;
  code: string;
  name: string;
  occupationCode: string;
  occupationLevel: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface EvaluationPassMarksTable {
  occupationCode: string;
  occupationLevel: number;
  theoryPassMark: number;
  practicalPassMark: number;
  updatedBy: string | null;
  updatedAt: Timestamp;
}

export interface EvaluationSessionsTable {
  id: string;
  organisationId: string;
  siteId: string;
  scopeId: string;
  occupationCode: string;
  occupationLevel: number;
  skillLevelKey: string;
  specialAbilityId: string | null;
  heldOn: CivilDate;
  theoryPassMark: number | null;
  practicalPassMark: number;
  state: SessionState;
  regionCode: string;
  createdBy: string | null;
  submittedBy: string | null;
  submittedAt: Timestamp | null;
  sampledBy: string | null;
  sampledAt: Timestamp | null;
  sampleNote: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface EvaluationCandidatesTable {
  id: string;
  sessionId: string;
  personId: string;
  source: CandidateSource;
  voucherId: string | null;
  employerOrganisationId: string | null;
  schoolName: string | null;
  workerPaid: ColumnType<boolean, boolean | undefined, boolean>;
  feePaidFen: number | null;
  theoryScore: number | null;
  practicalScore: number | null;
  result: CandidateResult | null;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** The evaluation tables, merged into `Database` in platform/db-schema.ts. */
export interface EvaluationTables {
  specialAbilities: SpecialAbilitiesTable;
  evaluationPassMarks: EvaluationPassMarksTable;
  evaluationSessions: EvaluationSessionsTable;
  evaluationCandidates: EvaluationCandidatesTable;
}
