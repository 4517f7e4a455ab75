import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { AccountTables } from '../modules/auth/auth.schema.js';
import type { PersonTables } from '../modules/persons/persons.schema.js';
import type { AuditTables } from '../modules/audit/audit.schema.js';
import type { OrganisationTables } from '../modules/organisations/organisations.schema.js';
import type { ImportTables } from '../modules/imports/imports.schema.js';
import type { VoucherTables } from '../modules/vouchers/vouchers.schema.js';
import type { ClassTables } from '../modules/classes/classes.schema.js';
import type { EvaluationTables } from '../modules/evaluations/evaluations.schema.js';
import type { CertificateTables } from '../modules/certificates/certificates.schema.js';
import type { SubsidyTables } from '../modules/subsidies/subsidies.schema.js';
import type { EmploymentTables } from '../modules/employment/employment.schema.js';
import type { ActivityTables } from '../modules/activity/activity.schema.js';
import type { StatisticsTables } from '../modules/statistics/statistics.schema.js';

/**
 * Kysely's view of the schema (camelCase; CamelCasePlugin maps to snake_case). It mirrors the
 * SQL in apps/api/migrations; keep the two in step when a migration changes a table.
 */
export interface Database
  extends
    AccountTables,
    AuditTables,
    PersonTables,
    OrganisationTables,
    ImportTables,
    ClassTables,
    EvaluationTables,
    CertificateTables,
    SubsidyTables,
    EmploymentTables,
    ActivityTables,
    StatisticsTables,
    VoucherTables {
  jobs: JobsTable;
  jobSchedules: JobSchedulesTable;
  referenceDatasets: ReferenceDatasetsTable;
  regions: RegionsTable;
  localUnitTownships: LocalUnitTownshipsTable;
  addressCodes: AddressCodesTable;
  occupations: OccupationsTable;
  skillLevels: SkillLevelsTable;
  responsibleUnits: ResponsibleUnitsTable;
  unitTargets: UnitTargetsTable;
  plans: PlansTable;
  planUnits: PlanUnitsTable;
  policyAmounts: PolicyAmountsTable;
  idempotencyKeys: IdempotencyKeysTable;
}

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = JSONColumnType<Record<string, unknown>, string, string>;

export type JobState = 'queued' | 'running' | 'completed' | 'failed';

export interface JobsTable {
  id: string;
  name: string;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  state: ColumnType<JobState, JobState | undefined, JobState>;
  runAt: DefaultTimestamp;
  attempts: Generated<number>;
  maxAttempts: Generated<number>;
  dedupeKey: string | null;
  lockedBy: string | null;
  lockedUntil: Timestamp | null;
  lastError: string | null;
  result: Json | null;
  createdAt: DefaultTimestamp;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
}

export interface JobSchedulesTable {
  name: string;
  cron: string;
  jobName: string;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  enabled: Generated<boolean>;
  lastScheduledFor: Timestamp | null;
  updatedAt: DefaultTimestamp;
}

export interface ReferenceDatasetsTable {
  name: string;
  sha256: string;
  rowCount: number;
  loadedAt: DefaultTimestamp;
}

export type RegionLevelName = 'province' | 'prefecture' | 'county' | 'township';

export interface RegionsTable {
  code: string;
  name: string;
  level: number;
  levelName: RegionLevelName;
  parentCode: string | null;
  inGbt2260: boolean | null;
  statisticsOnly: Generated<boolean>;
  isLocalUnit: Generated<boolean>;
}

export interface LocalUnitTownshipsTable {
  unitCode: string;
  townshipCode: string;
}

export interface AddressCodesTable {
  code: string;
  sinceYear: number;
  untilYear: number | null;
  name: string;
  province: string;
  prefecture: string | null;
  level: string;
  inUse: boolean;
  newCodes: string | null;
}

export type OccupationLevelName = 'major' | 'medium' | 'minor' | 'occupation';

export interface OccupationsTable {
  code: string;
  level: number;
  levelName: OccupationLevelName;
  name: string;
  isGreen: Generated<boolean>;
  isDigital: Generated<boolean>;
  minorIsOccupation: Generated<boolean>;
  parentCode: string | null;
  majorCode: string;
  mediumCode: string | null;
  minorCode: string | null;
  definition: string | null;
}

export interface SkillLevelsTable {
  key: string;
  name: string;
  nameEn: string;
  shortName: string;
  levelDigit: number | null;
  isHighSkilled: boolean;
  sortOrder: number;
}

export type UnitKind = 'county' | 'department';

export interface ResponsibleUnitsTable {
  id: string;
  annex: number | null;
  seq: number | null;
  seedName: string;
  canonicalName: string;
  aliases: ColumnType<string[], string[] | undefined, string[]>;
  kind: UnitKind;
  regionCode: string;
}

export interface UnitTargetsTable {
  unitId: string;
  year: number;
  trainingPersonTimes: number;
  newSkilled: number;
  newHighSkilled: number;
  source: string;
  updatedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface PlansTable {
  planNo: number;
  name: string;
  yearlyTrainingMin: number | null;
  yearlyCertifiedMin: number | null;
  yearlyHighSkilledMin: number | null;
  certifiesAllTrained: Generated<boolean>;
  trainingCountsGraduates: Generated<boolean>;
  extra: string | null;
  responsibleUnitsText: string;
}

export interface PlanUnitsTable {
  planNo: number;
  unitId: string;
  position: number;
}

export type PolicyUnit = 'fen' | 'persons' | 'percent' | 'count';

export interface PolicyAmountsTable {
  kind: string;
  key: string;
  value: number;
  unit: PolicyUnit;
  rule: string;
  seedSection: string;
}

/** The first answer to a POST with an Idempotency-Key (platform/idempotency.ts). */
export interface IdempotencyKeysTable {
  userId: string;
  key: string;
  method: string;
  route: string;
  requestHash: string;
  statusCode: ColumnType<number | null, number | null | undefined, number | null>;
  responseBody: ColumnType<unknown, string | null | undefined, string | null>;
  contentType: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: Timestamp;
}
