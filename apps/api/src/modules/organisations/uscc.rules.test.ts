import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  normalizeUscc,
  organisationCodeCheckChar,
  usccCheckChar,
  validateUscc,
  type UsccErrorCode,
  type UsccResult,
} from './uscc.rules.js';

type Row = Record<string, string>;

const vectors = parse(
  readFileSync(new URL('../../../test/fixtures/uscc_test_vectors.csv', import.meta.url), 'utf8'),
  { columns: true, skip_empty_lines: true },
) as Row[];

function expectError(result: UsccResult, code: UsccErrorCode): void {
  expect(result.ok ? 'ok' : result.code).toBe(code);
  if (!result.ok) {
    expect(result.message).toMatch(/[\u4e00-\u9fff]/);
    expect(result.messageEn).not.toBe('');
  }
}

/** A code whose outer check character is right, whatever its first 17 characters. */
const withCheck = (first17: string): string => first17 + usccCheckChar(first17);

describe('uscc_test_vectors.csv (every row)', () => {
  // The vector's reason → our code. `format+checksum` (A1110000600037341L): python-stdnum rejects
  // the letter in position 1 as a format error, but GB 32100 amendments allow letters there, so
  // for us it is a well-formed code whose check character is wrong.
  const errorFor: Record<string, UsccErrorCode> = {
    'format+checksum': 'USCC_CHECKSUM',
    format: 'USCC_FORMAT',
    checksum: 'USCC_CHECKSUM',
    length: 'USCC_FORMAT',
  };

  it('has all 207 rows', () => {
    expect(vectors).toHaveLength(207);
  });

  it.each(vectors.map((v) => [v.value ?? '', v] as const))('%s', (value, v) => {
    const result = validateUscc(value);
    if (v.expected === 'valid' || v.expected === 'valid_after_normalize') {
      expect(result).toEqual({
        ok: true,
        uscc: value.replace(/\s/g, ''),
        registrationAuthority: v.registration_authority,
        entityType: v.entity_type,
        regionCode: v.region_code,
        organisationCode: v.org_code,
      });
    } else {
      expect(v.expected).toBe('invalid');
      const code = errorFor[v.reason ?? ''];
      expect(code, `unmapped reason ${v.reason}`).toBeDefined();
      expectError(result, code as UsccErrorCode);
    }
  });
});

describe('normalisation', () => {
  it.each([
    ['lower case', '91110000600037341l'],
    ['spaces', ' 91 110000 600037341L '],
    ['dashes, as on some forms', '91-110000-60003734-1L'],
    ['full-width, ideographic space', '９１１１００００\u3000６０００３７３４１Ｌ'],
    ['zero-width space and en dash', '9111\u200b0000\u2013600037341L'],
  ])('%s', (_label, raw) => {
    expect(normalizeUscc(raw)).toBe('91110000600037341L');
    expect(validateUscc(raw)).toMatchObject({ ok: true, uscc: '91110000600037341L' });
  });

  it('accepts the Shangqiu government office code', () => {
    expect(validateUscc('11411400005837168X')).toMatchObject({
      ok: true,
      registrationAuthority: '1',
      entityType: '1',
      regionCode: '411400',
      organisationCode: '005837168',
    });
  });
});

describe('errors', () => {
  it('rejects excluded letters and hints at O/0 and I/1', () => {
    const result = validateUscc('91110000600O37341L');
    expectError(result, 'USCC_FORMAT');
    expect(!result.ok && result.message).toContain('字母 O');
  });

  it('rejects a letter in the region code', () => {
    expectError(validateUscc(withCheck('9111A000600037341')), 'USCC_FORMAT');
  });

  it('rejects wrong lengths', () => {
    expectError(validateUscc(''), 'USCC_FORMAT');
    expectError(validateUscc('91110000600037341'), 'USCC_FORMAT');
    expectError(validateUscc('91110000600037341LL'), 'USCC_FORMAT');
  });

  it('accepts letters as registration authority when the check character agrees', () => {
    expect(validateUscc(withCheck('A1110000600037341'))).toMatchObject({
      ok: true,
      registrationAuthority: 'A',
    });
  });

  it('reports a typo as USCC_CHECKSUM even when it also breaks the organisation code', () => {
    expectError(validateUscc('91110000600037351L'), 'USCC_CHECKSUM');
  });

  it('rejects a self-consistent code whose organisation code fails GB 11714', () => {
    // 60003734-1 is right; -2 with a recomputed outer check character is internally consistent
    const forged = withCheck('91110000600037342');
    expectError(validateUscc(forged), 'USCC_ORG_CODE_CHECKSUM');
  });
});

describe('check characters', () => {
  it('computes the GB 32100 check character', () => {
    expect(usccCheckChar('91110000600037341')).toBe('L');
    expect(usccCheckChar('11411400005837168')).toBe('X');
    expect(() => usccCheckChar('9111000060003734I')).toThrow(RangeError);
  });

  it('computes the GB 11714 check character with A = 10 … Z = 35', () => {
    expect(organisationCodeCheckChar('60003734')).toBe('1');
    expect(organisationCodeCheckChar('MA2UK2BU')).toBe('8');
    expect(organisationCodeCheckChar('MA2UK2GJ')).toBe('X');
    expect(() => organisationCodeCheckChar('6000373')).toThrow(RangeError);
  });
});
