/**
 * Hand-written shapes of the API contract, used until `schema.d.ts` is generated from the
 * server's OpenAPI document (`npm run gen:api -w @jineng/web`). Only `client.ts` and the query
 * hooks import these names, so the switch stays inside `src/api/`.
 */

export type HealthStatus = 'ok' | 'degraded';

export interface Health {
  status: HealthStatus;
  database: { status: 'up' | 'down'; latencyMs: number };
  version: string;
}

export type RegionLevelName = 'province' | 'prefecture' | 'county' | 'township';

export interface Region {
  /** GB/T 2260 code (6 digits), township code (9 digits) or a local code such as `4114L1`. */
  code: string;
  name: string;
  level: 1 | 2 | 3 | 4;
  levelName: RegionLevelName;
  parentCode: string | null;
  statisticsOnly: boolean;
  isLocalUnit: boolean;
  hasChildren: boolean;
}

export interface RegionQuery {
  parent?: string;
  level?: 1 | 2 | 3 | 4;
}

export type OccupationLevelName = 'major' | 'medium' | 'minor' | 'occupation';

export interface Occupation {
  code: string;
  level: 1 | 2 | 3 | 4;
  levelName: OccupationLevelName;
  name: string;
  isGreen: boolean;
  isDigital: boolean;
  parentCode: string | null;
  definition: string | null;
}

export interface OccupationQuery {
  q?: string;
  page?: number;
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface UnitTarget {
  year: number;
  trainingPersonTimes: number;
  newSkilled: number;
  newHighSkilled: number;
}

export interface Unit {
  id: string;
  annex: 1 | 2 | null;
  seq: number | null;
  seedName: string;
  canonicalName: string;
  aliases: string[];
  kind: 'county' | 'department';
  regionCode: string;
  targets: UnitTarget[];
}

export interface PlanUnit {
  id: string;
  canonicalName: string;
}

export interface Plan {
  planNo: number;
  name: string;
  yearlyTrainingMin: number | null;
  yearlyCertifiedMin: number | null;
  yearlyHighSkilledMin: number | null;
  certifiesAllTrained: boolean;
  extra: string | null;
  responsibleUnitsText: string;
  units: PlanUnit[];
}

export interface SkillLevel {
  key: string;
  name: string;
  nameEn: string;
  shortName: string;
  levelDigit: number | null;
  isHighSkilled: boolean;
}

export interface ItemList<T> {
  items: T[];
}

/** RFC 9457 problem details, as every error response of the API is shaped. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { path: string; message: string }[];
}
