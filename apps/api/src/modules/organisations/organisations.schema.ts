import type { ColumnType } from 'kysely';

/*
 * Kysely's view of migrations/0006_create_organisations.sql, merged into `Database` in
 * platform/db-schema.ts.
 */

type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A civil date (YYYY-MM-DD): pg hands `date` back as a string (see platform/db.ts). */
type CivilDate = ColumnType<string, string, string>;

export const ORGANISATION_KINDS = [
  'training_institution',
  'evaluation_institution',
  'employer',
  'hr_agency',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_STATUSES = ['active', 'suspended'] as const;
export type OrganisationStatus = (typeof ORGANISATION_STATUSES)[number];

/** Y = 企业自主评价 (employer self-evaluation), S = 社会培训评价组织. */
export const EVALUATION_TYPES = ['Y', 'S'] as const;
export type EvaluationType = (typeof EVALUATION_TYPES)[number];

/** 大 / 中 / 小 / 微. */
export const SIZE_CLASSES = ['large', 'medium', 'small', 'micro'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

/** 企业隶属关系: the level of government an employer belongs to. */
export const AFFILIATIONS = ['central', 'provincial', 'city', 'county'] as const;
export type Affiliation = (typeof AFFILIATIONS)[number];

export interface OrganisationsTable {
  id: string;
  kind: ColumnType<OrganisationKind, OrganisationKind, never>;
  name: string;
  uscc: string | null;
  regionCode: string;
  address: string | null;
  contactName: string | null;
  contactPhoneEnc: string | null;
  contactPhoneMasked: string | null;
  status: ColumnType<OrganisationStatus, OrganisationStatus | undefined, OrganisationStatus>;
  evaluationType: EvaluationType | null;
  institutionCode: string | null;
  sizeClass: SizeClass | null;
  affiliation: Affiliation | null;
  affiliationRegionCode: string | null;
  /** The payee bank account (0013): all three or none. */
  bankName: ColumnType<string | null, string | null | undefined, string | null>;
  bankAccountName: ColumnType<string | null, string | null | undefined, string | null>;
  bankAccountNo: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
}

export interface EvaluationSitesTable {
  id: string;
  organisationId: ColumnType<string, string, never>;
  organisationKind: ColumnType<'evaluation_institution', undefined, never>;
  name: string;
  serialCode: string;
  regionCode: string;
  address: string | null;
  status: ColumnType<OrganisationStatus, OrganisationStatus | undefined, OrganisationStatus>;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
}

export interface EvaluationScopesTable {
  id: string;
  siteId: ColumnType<string, string, never>;
  occupationCode: ColumnType<string, string, never>;
  occupationLevel: ColumnType<number, number, never>;
  skillLevelKey: ColumnType<string, string, never>;
  validFrom: CivilDate;
  validTo: CivilDate;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
}

/** The organisation tables, merged into `Database` in platform/db-schema.ts. */
export interface OrganisationTables {
  organisations: OrganisationsTable;
  evaluationSites: EvaluationSitesTable;
  evaluationScopes: EvaluationScopesTable;
}
