import type { ColumnType, Generated } from 'kysely';

export type EmploymentStatus =
  'employed' | 'unemployed' | 'flexible' | 'student' | 'farming' | 'retired' | 'unknown';

export type Education =
  | 'primary'
  | 'junior_high'
  | 'senior_high'
  | 'secondary_vocational'
  | 'college'
  | 'bachelor'
  | 'postgraduate';

export type PersonSource = 'manual' | 'import' | 'self_registration' | 'unit_report' | 'api';

export interface KeyGroupsTable {
  code: string;
  name: string;
  nameEn: string;
  aliases: ColumnType<string[], string[] | undefined, string[]>;
  sortOrder: number;
}

export interface PersonsTable {
  id: string;
  idNumberEnc: string;
  idNumberBidx: string;
  idNumberMasked: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: ColumnType<string, string, string>;
  idRegionCode: string;
  phoneEnc: string | null;
  phoneBidx: string | null;
  phoneMasked: string | null;
  householdRegionCode: string | null;
  residenceRegionCode: string | null;
  regionCode: string;
  education: Education | null;
  employmentStatus: ColumnType<EmploymentStatus, EmploymentStatus | undefined, EmploymentStatus>;
  reviewWarnings: ColumnType<string[], string[] | undefined, string[]>;
  note: string | null;
  source: PersonSource;
  version: Generated<number>;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PersonKeyGroupsTable {
  personId: string;
  keyGroupCode: string;
}

export interface PersonLinksTable {
  personId: string;
  scopeKind: 'unit' | 'organisation';
  scopeId: string;
  createdAt: Date;
}

export interface PersonTables {
  keyGroups: KeyGroupsTable;
  persons: PersonsTable;
  personKeyGroups: PersonKeyGroupsTable;
  personLinks: PersonLinksTable;
}
