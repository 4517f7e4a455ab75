import type { ColumnType, Generated } from 'kysely';

/*
 * Kysely's view of the certificate tables of migrations/0010_create_evaluations_certificates.sql,
 * merged into `Database` in platform/db-schema.ts.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A civil date (YYYY-MM-DD): pg hands `date` back as a string (see platform/db.ts). */
type CivilDate = ColumnType<string, string, string>;

export const CERTIFICATE_KINDS = ['skill_level', 'special_ability'] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];

export const CERTIFICATE_STATUSES = ['valid', 'revoked'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export interface CertificateSerialsTable {
  siteId: string;
  year: number;
  levelDigit: number;
  lastSerial: number;
}

export interface CertificatesTable {
  id: string;
  number: string;
  kind: CertificateKind;
  personId: string;
  occupationCode: string;
  occupationLevel: number;
  skillLevelKey: string;
  specialAbilityId: string | null;
  holderName: string;
  holderIdNumberMasked: string;
  organisationId: string;
  siteId: string | null;
  issuerName: string;
  issuingProvinceCode: ColumnType<string, string | undefined, string>;
  sessionId: string | null;
  candidateId: string | null;
  issuedOn: CivilDate;
  status: CertificateStatus;
  revokedAt: Timestamp | null;
  revokedBy: string | null;
  revocationReason: string | null;
  /** Position in the revocation status list, from a sequence; never reused. */
  statusListIndex: Generated<number>;
  regionCode: string;
  source: ColumnType<'evaluation', 'evaluation' | undefined, 'evaluation'>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** The certificate tables, merged into `Database` in platform/db-schema.ts. */
export interface CertificateTables {
  certificateSerials: CertificateSerialsTable;
  certificates: CertificatesTable;
}
