import { describe, expect, it } from 'vitest';
import {
  formatSkillLevelNumber,
  formatSpecialAbilityNumber,
  isSkillLevelNumber,
} from './certificates.rules.js';

const parts = {
  evaluationType: 'S' as const,
  institutionCode: '0000',
  siteSerialCode: '123456',
  year: 2026,
  levelDigit: 4,
  serial: 1,
};

describe('formatSkillLevelNumber', () => {
  it('builds the 22-character national number', () => {
    const n = formatSkillLevelNumber(parts);
    expect(n).toBe('S000041123456264000001');
    expect(n).toHaveLength(22);
    expect(isSkillLevelNumber(n)).toBe(true);
  });
  it('matches the illustrative example of formats.md', () => {
    expect(
      formatSkillLevelNumber({
        ...parts,
        siteSerialCode: '000123',
        year: 2022,
        serial: 57,
      }),
    ).toBe('S000041000123224000057');
  });
  it('puts Y, the institution code, the level and the last serial in place', () => {
    expect(
      formatSkillLevelNumber({
        ...parts,
        evaluationType: 'Y',
        institutionCode: '0001',
        levelDigit: 1,
        serial: 999_999,
      }),
    ).toBe('Y000141123456261999999');
  });
  it('refuses a serial past 999999, a bad level, a short code', () => {
    expect(() => formatSkillLevelNumber({ ...parts, serial: 1_000_000 })).toThrow(RangeError);
    expect(() => formatSkillLevelNumber({ ...parts, serial: 0 })).toThrow(RangeError);
    expect(() => formatSkillLevelNumber({ ...parts, levelDigit: 6 })).toThrow(RangeError);
    expect(() => formatSkillLevelNumber({ ...parts, siteSerialCode: '12345' })).toThrow(RangeError);
    expect(() => formatSkillLevelNumber({ ...parts, institutionCode: '00A0' })).toThrow(RangeError);
  });
});

describe('formatSpecialAbilityNumber', () => {
  it('is 41 + year + site 序列码 + 5-digit serial, never a skill-level number', () => {
    const n = formatSpecialAbilityNumber({ siteSerialCode: '123456', year: 2026, serial: 1 });
    expect(n).toBe('412612345600001');
    expect(isSkillLevelNumber(n)).toBe(false);
  });
});
