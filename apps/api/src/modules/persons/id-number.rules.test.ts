import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  createRegionHistory,
  idNumberCheckChar,
  upgradeLegacyIdNumber,
  validateIdNumber,
  type IdNumberErrorCode,
  type IdNumberResult,
  type IdNumberWarningCode,
} from './id-number.rules.js';

type Row = Record<string, string>;

function readCsv(relative: string): Row[] {
  return parse(readFileSync(new URL(relative, import.meta.url), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  }) as Row[];
}

// The same data the app loads into address_codes and regions.
const history = readCsv('../../../reference/gbt2260_history_1981_2024.csv').map((r) => ({
  code: r.code ?? '',
  sinceYear: Number(r.since_year),
  untilYear: r.until_year ? Number(r.until_year) : null,
}));
const statisticsOnly = readCsv('../../../reference/henan_admin_divisions.csv')
  .filter((r) => Number(r.level) <= 3 && r.in_gbt2260_2024 === 'N')
  .map((r) => r.code ?? '');
const regions = createRegionHistory(history, statisticsOnly);

const TODAY = '2025-06-30';
const check = (raw: string, today = TODAY): IdNumberResult =>
  validateIdNumber(raw, { today, regions });

/** A synthetic number with a correct check character. */
const withCheck = (first17: string): string => first17 + idNumberCheckChar(first17);

function expectError(result: IdNumberResult, code: IdNumberErrorCode): void {
  expect(result.ok ? 'ok' : result.code).toBe(code);
  if (!result.ok) {
    expect(result.message).toMatch(/[\u4e00-\u9fff]/);
    expect(result.messageEn).not.toBe('');
  }
}

function expectWarnings(result: IdNumberResult, codes: IdNumberWarningCode[]): void {
  expect(result.ok ? result.warnings.map((w) => w.code) : result.code).toEqual(codes);
}

describe('id_number_test_vectors.csv (every row; `expected` is our policy)', () => {
  const vectors = readCsv('../../../test/fixtures/id_number_test_vectors.csv');

  const errorFor: Record<string, IdNumberErrorCode> = {
    checksum: 'ID_CHECKSUM',
    legacy_15_digit: 'ID_LEGACY_15',
    unknown_region: 'ID_REGION_UNKNOWN',
    format: 'ID_FORMAT',
    birth_date: 'ID_BIRTH_DATE',
  };
  const warningFor: Record<string, IdNumberWarningCode> = {
    region_not_yet_registered: 'REGION_NOT_IN_USE_AT_BIRTH',
    region_deregistered: 'REGION_NOT_IN_USE_AT_BIRTH',
    non_gbt2260_region: 'REGION_STATISTICS_ONLY',
  };
  // The one row our data cannot honour. The vector comes from python-stdnum, whose code list
  // (NBS, via cn/GB2260) has 110201 until before 1993. The national history we hold
  // (yescallop/areacodes, the address_codes table) never lists 110201 in 1981–2024, so under
  // the rule "never in GB/T 2260 1981–2024 → ID_REGION_UNKNOWN" it is rejected. The policy the
  // row stands for (a deregistered code is only a warning) is tested below with 110225 房山县.
  const dataGap: Record<string, IdNumberErrorCode> = {
    '110201199312010077': 'ID_REGION_UNKNOWN',
  };

  it('has all 25 rows', () => {
    expect(vectors).toHaveLength(25);
  });

  it.each(vectors.map((v) => [v.value ?? '', v] as const))('%s', (value, v) => {
    const result = check(value);
    const gap = dataGap[value];
    if (gap) {
      expectError(result, gap);
      return;
    }
    switch (v.expected) {
      case 'valid':
      case 'valid_after_normalize':
      case 'valid_with_warning': {
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.idNumber).toBe(value.toUpperCase());
        expect(result.regionCode).toBe(v.region_code);
        expect(result.birthDate).toBe(v.birth_date);
        expect(result.sex).toBe(v.sex);
        const warning = warningFor[v.reason ?? ''];
        if (v.expected === 'valid_with_warning') {
          expect(warning, `unmapped reason ${v.reason}`).toBeDefined();
          expectWarnings(result, [warning as IdNumberWarningCode]);
        } else {
          expectWarnings(result, []);
        }
        break;
      }
      case 'invalid': {
        const code = errorFor[v.reason ?? ''];
        expect(code, `unmapped reason ${v.reason}`).toBeDefined();
        expectError(result, code as IdNumberErrorCode);
        break;
      }
      default:
        throw new Error(`unknown expected value ${v.expected}`);
    }
  });
});

describe('normalisation', () => {
  it.each([
    ['full-width digits', '４１１４０２２００５０１０１００１１', '411402200501010011'],
    ['full-width x', '１１０１０５１９４９１２３１００２ｘ', '11010519491231002X'],
    ['lower-case x', '11010519491231002x', '11010519491231002X'],
    ['spaces around and inside', ' 411402 20050101 0011 ', '411402200501010011'],
    ['ideographic space and tab', '\u3000411402200501010011\t', '411402200501010011'],
    ['zero-width space from WeChat', '4114022005\u200b01010011', '411402200501010011'],
  ])('%s', (_label, raw, canonical) => {
    const result = check(raw);
    expect(result.ok && result.idNumber).toBe(canonical);
  });
});

describe('birth dates', () => {
  it('accepts a leap day and rejects 29 February in a common year', () => {
    expect(check('411403200002290027')).toMatchObject({ ok: true, birthDate: '2000-02-29' });
    expect(check(withCheck('41140220040229001'))).toMatchObject({ birthDate: '2004-02-29' });
    // 1900 is not a leap year (divisible by 100, not by 400)
    expectError(check(withCheck('41232219000229001')), 'ID_BIRTH_DATE');
    expectError(check(withCheck('41140220050230001')), 'ID_BIRTH_DATE');
    expectError(check(withCheck('41140220050431001')), 'ID_BIRTH_DATE');
    expectError(check(withCheck('41140220050001001')), 'ID_BIRTH_DATE');
    expectError(check(withCheck('41140220050100001')), 'ID_BIRTH_DATE');
  });

  it('accepts 1900-01-01 with a code in use in 1981 (商丘县 412322) without a warning', () => {
    const result = check(withCheck('41232219000101001'));
    expect(result).toMatchObject({ ok: true, birthDate: '1900-01-01', regionCode: '412322' });
    expectWarnings(result, []);
  });

  it('warns for 1900-01-01 with a code created in 1997 (梁园区 411402)', () => {
    expectWarnings(check(withCheck('41140219000101001')), ['REGION_NOT_IN_USE_AT_BIRTH']);
  });

  it('rejects a birth date after today, and accepts one born today', () => {
    const tomorrow = check(withCheck('41140220250701001'), '2025-06-30');
    expectError(tomorrow, 'ID_BIRTH_DATE');
    expect(!tomorrow.ok && tomorrow.message).toContain('晚于今天');
    expect(check(withCheck('41140220250630001'), '2025-06-30')).toMatchObject({ ok: true });
    // the same number is fine once that day has come: the clock is a parameter, never read
    expect(check(withCheck('41140220250701001'), '2025-07-01')).toMatchObject({ ok: true });
  });

  it('rejects birth years before 1800 as typing errors', () => {
    expectError(check(withCheck('41232217990101001')), 'ID_BIRTH_DATE');
  });

  it('refuses a malformed today (a programming error)', () => {
    expect(() => check('411402200501010011', '2025-02-30')).toThrow(RangeError);
    expect(() => check('411402200501010011', '20250630')).toThrow(RangeError);
  });
});

describe('address codes', () => {
  it('accepts a code abolished before the birth year with a warning (房山县 110225, 1981–1986)', () => {
    const result = check(withCheck('11022519931201007'));
    expect(result).toMatchObject({ ok: true, regionCode: '110225' });
    expectWarnings(result, ['REGION_NOT_IN_USE_AT_BIRTH']);
    expect(result.ok && result.warnings[0]?.message).toContain('人工核对');
  });

  it('accepts a historical code used in the birth year (商丘县 412322 in 1985)', () => {
    expectWarnings(check('412322198506150049'), []);
  });

  it('treats a code as in use at the year-end boundary [since, until)', () => {
    // 412322 is listed 1981 to 1996 and gone from the 1997 list
    expectWarnings(check(withCheck('41232219961231002')), []);
    expectWarnings(check(withCheck('41232219970101002')), ['REGION_NOT_IN_USE_AT_BIRTH']);
  });

  it('checks births before numbers were issued against 1981–1984', () => {
    // 潮阳县 440524 is listed from 1983: the standard's own example, born 1880
    expectWarnings(check('440524188001010014'), []);
    // 房山区 110111 is listed from 1986: too late for anyone born before 1984
    expectWarnings(check('110111198012010078'), ['REGION_NOT_IN_USE_AT_BIRTH']);
  });

  it('accepts statistics-only codes with a warning (411471, 411472)', () => {
    expectWarnings(check('411471200501010014'), ['REGION_STATISTICS_ONLY']);
    expectWarnings(check(withCheck('41147219900101002')), ['REGION_STATISTICS_ONLY']);
  });

  it('rejects codes never in GB/T 2260', () => {
    expectError(check('990426199112010074'), 'ID_REGION_UNKNOWN');
    expectError(check(withCheck('41149920050101001')), 'ID_REGION_UNKNOWN');
    // the 示范区 local unit code has a letter, so it can never appear in an ID number
    expectError(check('4114L1200501010011'), 'ID_FORMAT');
  });
});

describe('15-digit legacy numbers', () => {
  it('rejects the standard example with its exact 18-digit form', () => {
    const result = check('110105491231002');
    expectError(result, 'ID_LEGACY_15');
    expect(!result.ok && result.suggestion).toBe('11010519491231002X');
    expect(!result.ok && result.message).toContain('11010519491231002X');
  });

  it('upgrades by inserting 19 and computing the check character', () => {
    expect(upgradeLegacyIdNumber('110105491231002')).toBe('11010519491231002X');
    expect(upgradeLegacyIdNumber('412322850615004')).toBe('412322198506150049');
    expect(() => upgradeLegacyIdNumber('11010549123100')).toThrow(RangeError);
  });

  it('normalises before recognising the legacy form', () => {
    const result = check(' １１０１０５ ４９１２３１ ００２ ');
    expect(!result.ok && result.suggestion).toBe('11010519491231002X');
  });

  it('gives no suggestion when the legacy date is impossible', () => {
    const result = check('110105491331002');
    expectError(result, 'ID_LEGACY_15');
    expect(!result.ok && result.suggestion).toBeUndefined();
  });
});

describe('Excel damage', () => {
  it.each([
    ['scientific notation, short', '4.11402E+17'],
    ['scientific notation, 15 digits', '4.11402200501010E+17'],
    ['lower-case e, no plus', '4.11402e17'],
    ['decimal comma locale', '4,11402E+17'],
    ['full-width', '４．１１４０２Ｅ＋１７'],
    ['legacy number in scientific notation', '1.10105E+14'],
    ['thousands separators', '411,402,200,501,010,000'],
    ['float export', '411402200501010000.0'],
    ['float export of intact digits', '411402200501010011.0'],
    ['last three digits zeroed, check digit fails', '411402200501010000'],
    ['zeroed number of a woman born 1949', '110105194912310000'],
  ])('%s: %s', (_label, raw) => {
    const result = check(raw);
    expectError(result, 'ID_EXCEL_MANGLED');
    expect(!result.ok && result.message).toContain('文本');
  });

  it('never flags a valid number that happens to end in 000', () => {
    // 411402200501060000: check character 0, sequence 000
    expect(idNumberCheckChar('41140220050106000')).toBe('0');
    expect(check('411402200501060000')).toMatchObject({ ok: true, sex: 'F', warnings: [] });
  });

  it('reports an ordinary typo as a checksum error, not as Excel damage', () => {
    expectError(check('411402200501010010'), 'ID_CHECKSUM');
    expectError(check('411402200501010100'), 'ID_CHECKSUM');
  });

  it('leaves other digit counts to ID_FORMAT', () => {
    expectError(check('41140220050101000'), 'ID_FORMAT');
    expectError(check('4114022005010100000'), 'ID_FORMAT');
    expectError(check(''), 'ID_FORMAT');
    expectError(check('41140220050101001Y'), 'ID_FORMAT');
  });
});

describe('check character and sex', () => {
  it('computes ISO 7064 MOD 11-2', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(idNumberCheckChar('44052418800101001')).toBe('4');
    expect(() => idNumberCheckChar('1101051949123100X')).toThrow(RangeError);
  });

  it('derives sex from the 17th digit: odd male, even female', () => {
    for (let digit = 0; digit <= 9; digit++) {
      const result = check(withCheck(`4114022005010100${digit}`));
      expect(result.ok && result.sex).toBe(digit % 2 === 1 ? 'M' : 'F');
    }
  });
});

describe('createRegionHistory', () => {
  const small = createRegionHistory(
    [
      { code: '120110', sinceYear: 1981, untilYear: 1992 },
      { code: '120110', sinceYear: 1992, untilYear: null },
      { code: '412322', sinceYear: 1981, untilYear: 1997 },
    ],
    ['411471'],
  );

  it('uses half-open periods and joins several rows of one code', () => {
    const shangqiuCounty = small.lookup('412322');
    expect(shangqiuCounty.everUsed).toBe(true);
    expect([1980, 1981, 1996, 1997].map((y) => shangqiuCounty.inUseInYear(y))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    const dongli = small.lookup('120110');
    expect([1981, 1992, 2030].map((y) => dongli.inUseInYear(y))).toEqual([true, true, true]);
  });

  it('knows statistics-only and unknown codes', () => {
    expect(small.lookup('411471')).toMatchObject({ everUsed: false, statisticsOnly: true });
    expect(small.lookup('411471').inUseInYear(2005)).toBe(false);
    expect(small.lookup('990426')).toMatchObject({ everUsed: false, statisticsOnly: false });
  });

  it('loads the reference data: 411471 and 411472 are statistics-only', () => {
    expect(statisticsOnly).toEqual(expect.arrayContaining(['411471', '411472', '419000']));
    expect(statisticsOnly).toHaveLength(25);
  });
});
