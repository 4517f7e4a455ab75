import { describe, expect, it } from 'vitest';
import {
  addYears,
  certificationKey,
  checkCertificate,
  countCertifications,
  displayNumber,
  levelDigitOf,
  type CertificateDraft,
  type CertificationRecord,
} from './activity.certificates.rules.js';

const TODAY = '2026-03-15';
// Henan social organisation, 2022, 四级 (formats.md §1, illustrative).
const SKILL = 'S000041000123224000057';
// 2009, Henan, Shangqiu, 地方鉴定站 001, 四级, serial 00001 (formats.md §2, illustrative).
const LEGACY = '0941142001400001';

function draft(overrides: Partial<CertificateDraft>): CertificateDraft {
  return {
    kind: 'skill_level',
    number: SKILL,
    occupationCode: '4-03-02-01',
    skillLevelKey: 'level4',
    issuingProvinceCode: '41',
    issuedOn: '2022-06-01',
    ...overrides,
  };
}

function codes(d: CertificateDraft): string[] {
  const result = checkCertificate(d, TODAY);
  return result.ok ? [] : result.problems.map((p) => p.code);
}

describe('checkCertificate: 职业技能等级证书 (skill_level)', () => {
  it('accepts a 22-character number whose level and year match, upper-cased and unspaced', () => {
    const result = checkCertificate(draft({ number: ' s0000410001232 24000057 ' }), TODAY);
    expect(result).toEqual({
      ok: true,
      certificate: {
        kind: 'skill_level',
        number: SKILL,
        occupationCode: '4-03-02-01',
        skillLevelKey: 'level4',
        itemName: null,
        issuingProvinceCode: '41',
        issuedOn: '2022-06-01',
        validUntil: null,
      },
    });
  });

  it('refuses a malformed number', () => {
    expect(codes(draft({ number: 'X000041000123224000057' }))).toEqual([
      'CERTIFICATE_NUMBER_INVALID',
    ]);
    expect(codes(draft({ number: 'S00004100012322400005' }))).toEqual([
      'CERTIFICATE_NUMBER_INVALID',
    ]);
    expect(codes(draft({ number: 'S000041000123226000057' }))).toEqual([
      'CERTIFICATE_NUMBER_INVALID',
    ]);
  });

  it('refuses a level digit that is not the level reported', () => {
    expect(codes(draft({ skillLevelKey: 'level3' }))).toEqual(['LEVEL_MISMATCH']);
  });

  it('refuses year digits that are not the issue year', () => {
    expect(codes(draft({ issuedOn: '2023-01-10' }))).toEqual(['YEAR_MISMATCH']);
  });

  it('needs an occupation and a level', () => {
    expect(codes(draft({ occupationCode: null }))).toEqual(['OCCUPATION_REQUIRED']);
    expect(codes(draft({ occupationCode: '4030201' }))).toEqual(['OCCUPATION_CODE_INVALID']);
    expect(codes(draft({ skillLevelKey: null }))).toEqual(['SKILL_LEVEL_REQUIRED']);
    expect(codes(draft({ skillLevelKey: 'special_ability' }))).toEqual([
      'SKILL_LEVEL_NOT_APPLICABLE',
    ]);
  });

  it('refuses an issue date after today and a validity ending before the issue', () => {
    const future = draft({ number: 'S000041000123264000057', issuedOn: '2026-03-16' });
    expect(codes(future)).toEqual(['ISSUED_IN_FUTURE']);
    expect(codes(draft({ validUntil: '2022-05-31' }))).toEqual(['VALID_UNTIL_BEFORE_ISSUE']);
  });

  it('refuses a province code that is not one', () => {
    expect(codes(draft({ issuingProvinceCode: '4' }))).toEqual(['ISSUING_PROVINCE_INVALID']);
    expect(codes(draft({ issuingProvinceCode: '99' }))).toEqual(['ISSUING_PROVINCE_INVALID']);
  });

  it('reports every problem at once', () => {
    expect(codes(draft({ skillLevelKey: 'level2', issuedOn: '2021-01-01' }))).toEqual([
      'YEAR_MISMATCH',
      'LEVEL_MISMATCH',
    ]);
  });
});

describe('checkCertificate: 职业资格证书 (qualification_legacy)', () => {
  const legacy = (o: Partial<CertificateDraft>) =>
    draft({ kind: 'qualification_legacy', number: LEGACY, issuedOn: '2009-11-20', ...o });

  it('accepts 16 digits with year digits 1–2 and level digit 11 matching', () => {
    expect(codes(legacy({}))).toEqual([]);
  });

  it('refuses another length, year or level', () => {
    expect(codes(legacy({ number: '094114200140000' }))).toEqual(['CERTIFICATE_NUMBER_INVALID']);
    expect(codes(legacy({ number: '09411420014000A1' }))).toEqual(['CERTIFICATE_NUMBER_INVALID']);
    expect(codes(legacy({ issuedOn: '2010-01-05' }))).toEqual(['YEAR_MISMATCH']);
    expect(codes(legacy({ skillLevelKey: 'level5' }))).toEqual(['LEVEL_MISMATCH']);
  });

  it('stores an old 13-digit Shanghai number with the 000 prefix', () => {
    const result = checkCertificate(
      legacy({ number: '0123456789012', issuingProvinceCode: '31' }),
      TODAY,
    );
    expect(result.ok && result.certificate.number).toBe('0000123456789012');
    expect(codes(legacy({ number: '0123456789012' }))).toEqual(['CERTIFICATE_NUMBER_INVALID']);
  });
});

describe('checkCertificate: 专项职业能力 and 特种作业', () => {
  const special = (o: Partial<CertificateDraft>) =>
    draft({
      kind: 'special_ability',
      number: 'ZX-2025-豫-000123',
      occupationCode: null,
      skillLevelKey: null,
      itemName: '豫菜烹饪',
      issuedOn: '2025-05-01',
      ...o,
    });
  const operation = (o: Partial<CertificateDraft>) =>
    draft({
      kind: 'special_operation',
      number: 'T411402199001011234',
      occupationCode: null,
      skillLevelKey: null,
      itemName: '电工作业/低压电工作业',
      issuedOn: '2024-02-29',
      ...o,
    });

  it('takes a free-form 专项 number with its item, level special_ability', () => {
    const result = checkCertificate(special({}), TODAY);
    expect(result.ok && result.certificate.skillLevelKey).toBe('special_ability');
    expect(codes(special({ number: 'A'.repeat(33) }))).toEqual(['CERTIFICATE_NUMBER_TOO_LONG']);
    expect(codes(special({ itemName: ' ' }))).toEqual(['ITEM_NAME_REQUIRED']);
    expect(codes(special({ itemName: '菜'.repeat(101) }))).toEqual(['ITEM_NAME_TOO_LONG']);
    expect(codes(special({ skillLevelKey: 'level4' }))).toEqual(['SKILL_LEVEL_NOT_APPLICABLE']);
    expect(codes(special({ number: '   ' }))).toEqual(['CERTIFICATE_NUMBER_REQUIRED']);
  });

  it('gives a 特种作业操作证 six years when no validity is given', () => {
    const result = checkCertificate(operation({}), TODAY);
    expect(result.ok && result.certificate.validUntil).toBe('2030-02-28');
    const told = checkCertificate(operation({ validUntil: '2027-02-28' }), TODAY);
    expect(told.ok && told.certificate.validUntil).toBe('2027-02-28');
    expect(codes(operation({ itemName: null }))).toEqual(['ITEM_NAME_REQUIRED']);
    expect(codes(operation({ skillLevelKey: 'level3' }))).toEqual(['SKILL_LEVEL_NOT_APPLICABLE']);
    expect(codes(operation({ number: '1'.repeat(33) }))).toEqual(['CERTIFICATE_NUMBER_TOO_LONG']);
  });

  it('masks a 特种作业 number like an ID number, and no other kind', () => {
    expect(displayNumber('special_operation', '411402199001011234')).toBe('411402********1234');
    expect(displayNumber('special_operation', 'AB12')).toBe('****');
    expect(displayNumber('skill_level', SKILL)).toBe(SKILL);
  });
});

describe('helpers', () => {
  it('reads level digits and adds years', () => {
    expect(levelDigitOf('level1')).toBe(1);
    expect(levelDigitOf('special_ability')).toBeUndefined();
    expect(addYears('2026-01-31', 6)).toBe('2032-01-31');
  });
});

describe('counting certifications (mirror of counted_certifications)', () => {
  const base: CertificationRecord = {
    source: 'unit_report',
    personId: 'p1',
    occupationCode: '4-03-02-01',
    skillLevelKey: 'level4',
    itemKey: null,
    isHighSkilled: false,
    unitId: 'A2-07',
    issuedOn: '2026-03-01',
    recordId: '0002',
  };

  it('keys by occupation and level, or by item for 专项 and 特种作业', () => {
    expect(certificationKey(base)).toBe('4-03-02-01|level4');
    expect(
      certificationKey({
        occupationCode: '4-03-02-01',
        skillLevelKey: 'special_ability',
        itemKey: ' 豫菜烹饪 ',
      }),
    ).toBe('item:豫菜烹饪|special_ability');
    expect(
      certificationKey({ occupationCode: null, skillLevelKey: null, itemKey: '电工作业' }),
    ).toBe('item:电工作业|');
  });

  it('counts a certificate of ours and the same one reported elsewhere once, ours first on a tie', () => {
    const ours: CertificationRecord = {
      ...base,
      source: 'evaluation',
      unitId: null,
      recordId: '0009',
    };
    const counted = countCertifications([base, ours]);
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({ source: 'evaluation', records: 2, recordId: '0009' });
  });

  it('keeps the earliest issue and counts other levels and persons apart', () => {
    const earlier = { ...base, issuedOn: '2025-12-01', recordId: '0003', unitId: 'A1-02' };
    const higher = { ...base, skillLevelKey: 'level3', isHighSkilled: true, recordId: '0004' };
    const other = { ...base, personId: 'p2', recordId: '0005' };
    const counted = countCertifications([base, earlier, higher, other]);
    expect(counted).toHaveLength(3);
    expect(
      counted.find((c) => c.countingKey === '4-03-02-01|level4' && c.personId === 'p1'),
    ).toMatchObject({ unitId: 'A1-02', records: 2 });
  });
});
