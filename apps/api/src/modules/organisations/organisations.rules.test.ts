import { describe, expect, it } from 'vitest';
import {
  bankAccountErrors,
  canManageOrganisation,
  canSeeOrganisation,
  endValidityError,
  forbiddenFields,
  isContactPhone,
  isInstitutionCode,
  isProvinceFiled,
  isScopeActive,
  isSerialCode,
  isSme,
  kindFieldErrors,
  normalizeBankAccountNo,
  organisationFilterOf,
  requiredFields,
  validitiesOverlap,
  type KindFields,
} from './organisations.rules.js';

const none: KindFields = {
  uscc: null,
  evaluationType: null,
  institutionCode: null,
  sizeClass: null,
  affiliation: null,
  affiliationRegionCode: null,
};

describe('fields by kind', () => {
  it('requires an employer’s USCC, size class and affiliation', () => {
    expect(requiredFields('employer')).toEqual(['uscc', 'sizeClass', 'affiliation']);
    expect(kindFieldErrors('employer', none)).toEqual([
      { path: '/body/uscc', message: 'required for employer' },
      { path: '/body/sizeClass', message: 'required for employer' },
      { path: '/body/affiliation', message: 'required for employer' },
    ]);
  });

  it('requires an evaluation institution’s type and 4-digit code', () => {
    expect(requiredFields('evaluation_institution')).toEqual(['evaluationType', 'institutionCode']);
    expect(kindFieldErrors('evaluation_institution', { ...none, evaluationType: 'S' })).toEqual([
      { path: '/body/institutionCode', message: 'required for evaluation_institution' },
    ]);
    expect(
      kindFieldErrors('evaluation_institution', {
        ...none,
        evaluationType: 'Y',
        institutionCode: '12a4',
      }),
    ).toEqual([{ path: '/body/institutionCode', message: 'must be 4 digits' }]);
  });

  it('requires nothing of training institutions and HR agencies, USCC optional', () => {
    expect(requiredFields('training_institution')).toEqual([]);
    expect(kindFieldErrors('hr_agency', { ...none, uscc: '91110000600037341L' })).toEqual([]);
  });

  it('refuses the fields of another kind', () => {
    expect(forbiddenFields('employer')).toEqual(['evaluationType', 'institutionCode']);
    expect(
      kindFieldErrors('training_institution', { ...none, sizeClass: 'small', evaluationType: 'S' }),
    ).toEqual([
      { path: '/body/evaluationType', message: 'not used for training_institution' },
      { path: '/body/sizeClass', message: 'not used for training_institution' },
    ]);
  });

  it('wants the county of a county-affiliated employer, and only then', () => {
    const employer = { ...none, uscc: '91110000600037341L', sizeClass: 'micro' as const };
    expect(kindFieldErrors('employer', { ...employer, affiliation: 'county' })).toEqual([
      { path: '/body/affiliationRegionCode', message: 'required for county affiliation' },
    ]);
    expect(
      kindFieldErrors('employer', {
        ...employer,
        affiliation: 'city',
        affiliationRegionCode: '411403',
      }),
    ).toEqual([{ path: '/body/affiliationRegionCode', message: 'only for county affiliation' }]);
    expect(
      kindFieldErrors('employer', {
        ...employer,
        affiliation: 'county',
        affiliationRegionCode: '411403',
      }),
    ).toEqual([]);
  });
});

describe('codes', () => {
  it('counts medium, small and micro employers as SMEs, not large ones', () => {
    expect(isSme('large')).toBe(false);
    expect(isSme('medium')).toBe(true);
    expect(isSme('small')).toBe(true);
    expect(isSme('micro')).toBe(true);
  });

  it('accepts a 4-digit institution code; 0000 means filed with the province', () => {
    expect(isInstitutionCode('0000')).toBe(true);
    expect(isInstitutionCode('4114')).toBe(true);
    expect(isInstitutionCode('411')).toBe(false);
    expect(isInstitutionCode('41140')).toBe(false);
    expect(isInstitutionCode('４１１４')).toBe(false);
    expect(isProvinceFiled('0000')).toBe(true);
    expect(isProvinceFiled('0001')).toBe(false);
  });

  it('accepts a 6-digit 序列码 only', () => {
    expect(isSerialCode('000123')).toBe(true);
    expect(isSerialCode('00012')).toBe(false);
    expect(isSerialCode('0001234')).toBe(false);
    expect(isSerialCode('00012a')).toBe(false);
  });

  it('accepts mobile numbers and landlines with an area code', () => {
    expect(isContactPhone('13812341234')).toBe(true);
    expect(isContactPhone('03703221234')).toBe(true);
    expect(isContactPhone('12812341234')).toBe(false);
    expect(isContactPhone('3221234')).toBe(false);
  });
});

describe('approval validity', () => {
  const scope = { validFrom: '2026-01-01', validTo: '2028-12-31' };

  it('is in force from its first day to its last, both included', () => {
    expect(isScopeActive(scope, '2025-12-31')).toBe(false);
    expect(isScopeActive(scope, '2026-01-01')).toBe(true);
    expect(isScopeActive(scope, '2027-06-15')).toBe(true);
    expect(isScopeActive(scope, '2028-12-31')).toBe(true);
    expect(isScopeActive(scope, '2029-01-01')).toBe(false);
  });

  it('overlaps another validity sharing one day, not an adjacent one', () => {
    expect(validitiesOverlap(scope, { validFrom: '2028-12-31', validTo: '2030-12-31' })).toBe(true);
    expect(validitiesOverlap(scope, { validFrom: '2029-01-01', validTo: '2030-12-31' })).toBe(
      false,
    );
    expect(validitiesOverlap(scope, { validFrom: '2020-01-01', validTo: '2030-01-01' })).toBe(true);
  });

  it('ends early only within its validity', () => {
    expect(endValidityError(scope, '2026-06-30')).toBeNull();
    expect(endValidityError(scope, '2026-01-01')).toBeNull();
    expect(endValidityError(scope, '2028-12-31')).toBeNull();
    expect(endValidityError(scope, '2025-12-31')).toBe('must not be before validFrom (2026-01-01)');
    expect(endValidityError(scope, '2029-01-01')).toBe(
      'must not be after the current validTo (2028-12-31)',
    );
  });
});

describe('who sees which organisation', () => {
  const suiyangOrg = { id: 'org-1', regionCode: '411403' };

  it('lets the city see and manage all', () => {
    expect(canSeeOrganisation({ kind: 'city' }, suiyangOrg)).toBe(true);
    expect(canManageOrganisation({ kind: 'city' }, suiyangOrg)).toBe(true);
    expect(organisationFilterOf({ kind: 'city' })).toEqual({ kind: 'all' });
  });

  it('lets a county administrator see and manage their region only', () => {
    const suiyang = { kind: 'region' as const, regionCode: '411403' };
    const liangyuan = { kind: 'region' as const, regionCode: '411402' };
    expect(canSeeOrganisation(suiyang, suiyangOrg)).toBe(true);
    expect(canSeeOrganisation(liangyuan, suiyangOrg)).toBe(false);
    expect(canManageOrganisation(liangyuan, suiyangOrg)).toBe(false);
    expect(organisationFilterOf(liangyuan)).toEqual({ kind: 'region', regionCode: '411402' });
  });

  it('lets an organisation’s staff see it alone and change nothing', () => {
    const staff = { kind: 'organisation' as const, organisationId: 'org-1' };
    expect(canSeeOrganisation(staff, suiyangOrg)).toBe(true);
    expect(canSeeOrganisation(staff, { id: 'org-2', regionCode: '411403' })).toBe(false);
    expect(canManageOrganisation(staff, suiyangOrg)).toBe(false);
    expect(organisationFilterOf(staff)).toEqual({ kind: 'organisation', organisationId: 'org-1' });
  });

  it('shows nothing to units and workers', () => {
    expect(canSeeOrganisation({ kind: 'unit', unitId: 'A2-07' }, suiyangOrg)).toBe(false);
    expect(organisationFilterOf({ kind: 'person', personId: 'p' })).toEqual({ kind: 'none' });
  });
});

describe('payee bank accounts', () => {
  const none = { bankName: null, bankAccountName: null, bankAccountNo: null };
  const full = { bankName: '中国银行', bankAccountName: '某学校', bankAccountNo: '12345678' };

  it('takes all three fields or none', () => {
    expect(bankAccountErrors(none)).toEqual([]);
    expect(bankAccountErrors(full)).toEqual([]);
    expect(bankAccountErrors({ ...none, bankAccountNo: '12345678' })).toEqual([
      { path: '/body/bankName', message: 'required with the other bank fields' },
      { path: '/body/bankAccountName', message: 'required with the other bank fields' },
    ]);
  });

  it('wants 8 to 32 digits, typed with spaces or hyphens between groups', () => {
    expect(normalizeBankAccountNo('6217 0000-1234 5678 901')).toBe('6217000012345678901');
    expect(bankAccountErrors({ ...full, bankAccountNo: '1234567' })).toEqual([
      { path: '/body/bankAccountNo', message: 'must be 8–32 digits' },
    ]);
    expect(bankAccountErrors({ ...full, bankAccountNo: '1'.repeat(32) })).toEqual([]);
    expect(bankAccountErrors({ ...full, bankAccountNo: '1'.repeat(33) })).toHaveLength(1);
    expect(bankAccountErrors({ ...full, bankAccountNo: '1234567X' })).toHaveLength(1);
  });
});
