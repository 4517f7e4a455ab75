import { isMobilePhone } from '../../platform/crypto/index.js';
import type { Scope } from '../../platform/auth/roles.js';
import type { FieldError } from '../../platform/errors.js';
import type {
  Affiliation,
  EvaluationType,
  OrganisationKind,
  SizeClass,
} from './organisations.schema.js';

/** The fields whose presence depends on an organisation's kind. */
export interface KindFields {
  uscc: string | null;
  evaluationType: EvaluationType | null;
  institutionCode: string | null;
  sizeClass: SizeClass | null;
  affiliation: Affiliation | null;
  affiliationRegionCode: string | null;
}

type KindField = keyof KindFields;

const EVALUATION_FIELDS: readonly KindField[] = ['evaluationType', 'institutionCode'];
const EMPLOYER_FIELDS: readonly KindField[] = ['sizeClass', 'affiliation'];

/**
 * The kind-specific fields an organisation must have. Employers need their unified social credit
 * code (their identity in social-insurance and subsidy records), size class (the SME rule) and
 * 企业隶属关系 (who pays their subsidies); evaluation institutions their type and code.
 */
export function requiredFields(kind: OrganisationKind): readonly KindField[] {
  switch (kind) {
    case 'employer':
      return ['uscc', ...EMPLOYER_FIELDS];
    case 'evaluation_institution':
      return EVALUATION_FIELDS;
    default:
      return [];
  }
}

/** The kind-specific fields an organisation of `kind` may not have. */
export function forbiddenFields(kind: OrganisationKind): readonly KindField[] {
  const forbidden: KindField[] = [];
  if (kind !== 'evaluation_institution') forbidden.push(...EVALUATION_FIELDS);
  if (kind !== 'employer') forbidden.push(...EMPLOYER_FIELDS, 'affiliationRegionCode');
  return forbidden;
}

/**
 * Field errors for an organisation of `kind` with `fields` (the whole record, after an update is
 * applied), each with its `/body/…` path; empty when the combination is valid. Mirrors the CHECKs
 * in 0006_create_organisations.sql, so a client learns which field is wrong.
 */
export function kindFieldErrors(kind: OrganisationKind, fields: KindFields): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of requiredFields(kind)) {
    if (fields[field] === null)
      errors.push({ path: `/body/${field}`, message: `required for ${kind}` });
  }
  for (const field of forbiddenFields(kind)) {
    if (fields[field] !== null)
      errors.push({ path: `/body/${field}`, message: `not used for ${kind}` });
  }
  if (kind === 'employer') {
    if (fields.affiliation === 'county' && fields.affiliationRegionCode === null) {
      errors.push({
        path: '/body/affiliationRegionCode',
        message: 'required for county affiliation',
      });
    }
    if (fields.affiliation !== 'county' && fields.affiliationRegionCode !== null) {
      errors.push({
        path: '/body/affiliationRegionCode',
        message: 'only for county affiliation',
      });
    }
  }
  if (fields.institutionCode !== null && !isInstitutionCode(fields.institutionCode)) {
    errors.push({ path: '/body/institutionCode', message: 'must be 4 digits' });
  }
  return errors;
}

/** The payee bank account (对公账户) subsidies are paid into: all three fields or none. */
export interface BankAccount {
  bankName: string | null;
  bankAccountName: string | null;
  bankAccountNo: string | null;
}

/** A bank account number as typed (spaces and hyphens between groups dropped). */
export function normalizeBankAccountNo(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/**
 * Field errors of a payee bank account (the whole record, after an update): the three fields
 * together or none of them, the account number 8–32 digits. Mirrors 0013's CHECKs.
 */
export function bankAccountErrors(account: BankAccount): FieldError[] {
  const fields = ['bankName', 'bankAccountName', 'bankAccountNo'] as const;
  const given = fields.filter((f) => account[f] !== null);
  const errors: FieldError[] = [];
  if (given.length > 0 && given.length < fields.length) {
    for (const f of fields) {
      if (account[f] === null) {
        errors.push({ path: `/body/${f}`, message: 'required with the other bank fields' });
      }
    }
  }
  if (account.bankAccountNo !== null && !/^[0-9]{8,32}$/.test(account.bankAccountNo)) {
    errors.push({ path: '/body/bankAccountNo', message: 'must be 8–32 digits' });
  }
  return errors;
}

/** 中小微企业: medium, small and micro employers count as SMEs (the hiring-subsidy rule). */
export function isSme(sizeClass: SizeClass): boolean {
  return sizeClass === 'medium' || sizeClass === 'small' || sizeClass === 'micro';
}

/** An evaluation institution's code: 4 digits. */
export function isInstitutionCode(value: string): boolean {
  return /^[0-9]{4}$/.test(value);
}

/** Institution code 0000: the institution is filed with the province, not given a local code. */
export const PROVINCE_FILED_INSTITUTION_CODE = '0000';

export function isProvinceFiled(institutionCode: string): boolean {
  return institutionCode === PROVINCE_FILED_INSTITUTION_CODE;
}

/** An evaluation site's 序列码, assigned by the province: 6 digits. */
export function isSerialCode(value: string): boolean {
  return /^[0-9]{6}$/.test(value);
}

/** An approval's validity: civil dates (YYYY-MM-DD), both ends included. */
export interface Validity {
  validFrom: string;
  validTo: string;
}

/** Whether an approval is in force on `date` (YYYY-MM-DD): from its first day to its last, inclusive. */
export function isScopeActive(scope: Validity, date: string): boolean {
  return scope.validFrom <= date && date <= scope.validTo;
}

/** Whether two validities share at least one day (the database's exclusion constraint). */
export function validitiesOverlap(a: Validity, b: Validity): boolean {
  return a.validFrom <= b.validTo && b.validFrom <= a.validTo;
}

/**
 * Where an approval may end early: not before it starts (an approval that never started is ended
 * on its first day, the shortest validity there is) and never later than it already ends — ending
 * only shortens; a longer validity is a new approval.
 */
export function endValidityError(scope: Validity, validTo: string): string | null {
  if (validTo < scope.validFrom) return `must not be before validFrom (${scope.validFrom})`;
  if (validTo > scope.validTo) return `must not be after the current validTo (${scope.validTo})`;
  return null;
}

/**
 * Whether an account with `scope` may see an organisation: the city's roles all of them, a
 * county administrator those registered in their region, an organisation's own staff only it.
 */
export function canSeeOrganisation(
  scope: Scope,
  organisation: { id: string; regionCode: string },
): boolean {
  switch (scope.kind) {
    case 'city':
      return true;
    case 'region':
      return organisation.regionCode === scope.regionCode;
    case 'organisation':
      return organisation.id === scope.organisationId;
    default:
      return false;
  }
}

/** Whether an account with `scope` may change an organisation (given the manage permission). */
export function canManageOrganisation(scope: Scope, organisation: { regionCode: string }): boolean {
  if (scope.kind === 'city') return true;
  if (scope.kind === 'region') return organisation.regionCode === scope.regionCode;
  return false;
}

/** What a list or search is narrowed to for `scope`; `none` sees nothing. */
export type OrganisationFilter =
  | { kind: 'all' }
  | { kind: 'region'; regionCode: string }
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'none' };

export function organisationFilterOf(scope: Scope): OrganisationFilter {
  switch (scope.kind) {
    case 'city':
      return { kind: 'all' };
    case 'region':
      return { kind: 'region', regionCode: scope.regionCode };
    case 'organisation':
      return { kind: 'organisation', organisationId: scope.organisationId };
    default:
      return { kind: 'none' };
  }
}

/**
 * A contact phone after normalisation (platform/crypto `normalizePhone`): a mainland mobile
 * number, or a landline with its area code (0370 is Shangqiu's) and 7–8 digit number.
 */
export function isContactPhone(normalised: string): boolean {
  return isMobilePhone(normalised) || /^0[1-9][0-9]{1,2}[0-9]{7,8}$/.test(normalised);
}
