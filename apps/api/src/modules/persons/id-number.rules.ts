/*
 * 公民身份号码 (GB 11643-1999) validation: pure rules, no I/O and no clock. The address-code
 * history is injected (RegionHistory) and "today" is a parameter, so the same function runs in
 * the import pipeline, the API and the tests with identical results.
 *
 * Policy (issue #4; the `expected` column of shared/data/id_number_test_vectors.csv):
 * - reject what cannot be a real number: bad format, bad check digit, impossible or future birth
 *   date, an address code that GB/T 2260 never had between 1981 and 2024;
 * - accept, with a review warning, what is odd but real: an address code not in use when the
 *   number was assigned (residents keep their number when counties are renamed or merged) and
 *   the statistics-only codes of development zones such as 411471;
 * - reject 15-digit legacy numbers, suggesting the 18-digit form;
 * - recognise numbers damaged by Excel and say how to fix the spreadsheet, because "wrong check
 *   digit" would send the clerk hunting for a typo that is not there.
 */
import { normalizeIdNumber } from '../../platform/crypto/normalize.js';

/** Why a value is not an acceptable ID number. */
export const ID_NUMBER_ERROR_CODES = [
  'ID_FORMAT',
  'ID_CHECKSUM',
  'ID_BIRTH_DATE',
  'ID_REGION_UNKNOWN',
  'ID_LEGACY_15',
  'ID_EXCEL_MANGLED',
] as const;
export type IdNumberErrorCode = (typeof ID_NUMBER_ERROR_CODES)[number];

/** Why an accepted ID number should still be looked at by a person. */
export const ID_NUMBER_WARNING_CODES = [
  'REGION_NOT_IN_USE_AT_BIRTH',
  'REGION_STATISTICS_ONLY',
] as const;
export type IdNumberWarningCode = (typeof ID_NUMBER_WARNING_CODES)[number];

export interface IdNumberWarning {
  code: IdNumberWarningCode;
  /** Chinese, for the clerk. */
  message: string;
  messageEn: string;
}

export interface IdNumberValid {
  ok: true;
  /** Canonical form (normalizeIdNumber): 18 characters, upper-case X. */
  idNumber: string;
  /** From the 17th digit: odd = male. */
  sex: 'M' | 'F';
  /** YYYY-MM-DD. */
  birthDate: string;
  /** The 6-digit address code (first 6 digits). */
  regionCode: string;
  /** Empty when nothing needs review. */
  warnings: IdNumberWarning[];
}

export interface IdNumberInvalid {
  ok: false;
  code: IdNumberErrorCode;
  /** Chinese, clear to a clerk. */
  message: string;
  messageEn: string;
  /** ID_LEGACY_15 only: the 18-digit form the legacy number converts to. */
  suggestion?: string;
}

export type IdNumberResult = IdNumberValid | IdNumberInvalid;

/** What the address-code history knows about one 6-digit code. */
export interface RegionFacts {
  /** The code appears in GB/T 2260 at some point between 1981 and 2024. */
  everUsed: boolean;
  /** The code was in use in that year (end-of-year snapshots, period [since, until)). */
  inUseInYear(year: number): boolean;
  /** A 统计用区划代码 (e.g. 411471) that is not in GB/T 2260 at all. */
  statisticsOnly: boolean;
}

/**
 * Address-code history, injected so the rules stay pure. The app builds it once from the
 * `address_codes` and `regions` tables with createRegionHistory; tests build it from the CSVs.
 */
export interface RegionHistory {
  /** Facts for a 6-digit code; a code nobody knows gets everUsed = statisticsOnly = false. */
  lookup(code: string): RegionFacts;
}

/** One row of the GB/T 2260 history (the `address_codes` table, gbt2260_history_1981_2024.csv). */
export interface AddressCodePeriod {
  code: string;
  /** First year-end snapshot that lists the code. */
  sinceYear: number;
  /** First year-end snapshot that no longer lists it; null while still in use. */
  untilYear: number | null;
}

const UNKNOWN_REGION: RegionFacts = {
  everUsed: false,
  inUseInYear: () => false,
  statisticsOnly: false,
};

/**
 * Builds a RegionHistory from plain arrays (pure, so the app and the tests share it).
 * A code may have several rows (120110 was 东郊区 1981–1992, then 东丽区): it is in use in a year
 * when any of its periods covers that year. `statisticsOnly` lists the codes of
 * `regions.statistics_only` (levels 1–3 missing from GB/T 2260, e.g. 411471, 411472).
 */
export function createRegionHistory(
  rows: Iterable<AddressCodePeriod>,
  statisticsOnly: Iterable<string>,
): RegionHistory {
  const periods = new Map<string, Array<[since: number, until: number]>>();
  for (const row of rows) {
    const list = periods.get(row.code) ?? [];
    list.push([row.sinceYear, row.untilYear ?? Number.POSITIVE_INFINITY]);
    periods.set(row.code, list);
  }
  const statistics = new Set(statisticsOnly);
  return {
    lookup(code) {
      const list = periods.get(code);
      const isStatistics = statistics.has(code);
      if (!list && !isStatistics) return UNKNOWN_REGION;
      return {
        everUsed: list !== undefined,
        inUseInYear: (year) => (list ?? []).some(([since, until]) => since <= year && year < until),
        statisticsOnly: isStatistics,
      };
    },
  };
}

/** The GB/T 2260 history we hold starts with the 1981 year-end list. */
export const REGION_HISTORY_FIRST_YEAR = 1981;

/**
 * Resident ID numbers were first issued in 1984 (居民身份证 trial issue; the 条例 followed in
 * 1985). Someone born earlier received a number no earlier than that, carrying the address code
 * in force at the time, which may be a code created in the 1983 地改市 reorganisation (e.g. the
 * standard's own example 440524 潮阳县, listed from 1983, on a person born 1880).
 */
export const ID_NUMBERS_FIRST_ISSUED_YEAR = 1984;

/**
 * No living person, and no real record, has an earlier birth year; the standard's own example is
 * born 1880. Earlier years are typing errors.
 */
const MIN_BIRTH_YEAR = 1800;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/**
 * GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits.
 * @throws RangeError when `first17` is not 17 digits.
 */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected the first 17 digits of an ID');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

/**
 * The 18-digit form of a 15-digit GB 11643-1989 number: `19` goes before the 6-digit birth date
 * (the 15-digit form was only ever issued to people born in the 1900s) and the check character
 * is appended. 110105491231002 → 11010519491231002X.
 * @throws RangeError when `legacy` is not 15 digits.
 */
export function upgradeLegacyIdNumber(legacy: string): string {
  if (!/^\d{15}$/.test(legacy)) throw new RangeError('expected a 15-digit legacy ID number');
  const first17 = `${legacy.slice(0, 6)}19${legacy.slice(6)}`;
  return first17 + idNumberCheckChar(first17);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** YYYYMMDD → YYYY-MM-DD when it is a real Gregorian date, else null. */
function civilDate(yyyymmdd: string): string | null {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/*
 * Excel damage. Excel stores a number typed or pasted into a General/Number cell as a double
 * and keeps 15 significant digits; it then shows numbers over 11 digits in scientific notation.
 * An 18-digit ID therefore comes back in one of these shapes, none of which can be an ID:
 * - scientific notation, `4.11402E+17` or `4.11402200501010E+17` (also `e`, and `,` as the
 *   decimal separator in some locales);
 * - thousands separators or a decimal part from a Number format or a float export:
 *   `411,402,200,501,010,000`, `411402200501010000.0`;
 * - 18 plain digits whose last three (the 16th–18th significant digits) became 0 — but only
 *   when the check digit then fails: 1 in 11 genuine numbers ending in 000 pass it, and a valid
 *   number is never reported as damaged.
 * A number ending in X never reaches Excel's number parser, so it is never damaged this way; a
 * 15-digit legacy number fits in 15 digits and survives unchanged (it is ID_LEGACY_15).
 */
const EXCEL_SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?E[+-]?\d+$/i;
const EXCEL_THOUSANDS = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const EXCEL_DECIMAL = /^\d{15,18}\.\d+$/;
const EXCEL_ZEROED_TAIL = /^\d{15}000$/;

function looksLikeExcelNumber(value: string): boolean {
  return EXCEL_SCIENTIFIC.test(value) || EXCEL_THOUSANDS.test(value) || EXCEL_DECIMAL.test(value);
}

function fail(
  code: IdNumberErrorCode,
  message: string,
  messageEn: string,
  suggestion?: string,
): IdNumberInvalid {
  return suggestion === undefined
    ? { ok: false, code, message, messageEn }
    : { ok: false, code, message, messageEn, suggestion };
}

function excelMangled(): IdNumberInvalid {
  return fail(
    'ID_EXCEL_MANGLED',
    '该身份证号码已被 Excel 当作数字处理（显示成科学计数法如 4.11402E+17、末尾几位变成 0，' +
      '或带有小数点、千分位），后几位数字已经丢失，无法自动恢复。请在 Excel 中把该列单元格格式' +
      '设置为“文本”，再按身份证原件重新录入号码。',
    'Excel has turned this ID number into a number (scientific notation, trailing digits ' +
      'replaced by 0, or decimal/thousands separators); its last digits are lost. Format the ' +
      'column as Text in Excel and re-enter the number from the ID card.',
  );
}

function assertCivilDate(today: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || civilDate(today.replaceAll('-', '')) === null) {
    throw new RangeError(`today must be a civil date YYYY-MM-DD, got "${today}"`);
  }
}

/** Options for validateIdNumber. */
export interface ValidateIdNumberOptions {
  /** The current civil date, YYYY-MM-DD (Asia/Shanghai); birth dates after it are rejected. */
  today: string;
  regions: RegionHistory;
}

/**
 * Validates a resident ID number as typed, pasted or imported. The value is normalised first
 * (normalizeIdNumber: full-width digits, lower-case x, spaces); the result carries the
 * canonical form, sex, birth date and address code, or an error code with a message for the
 * clerk. Checks run from the cheapest signal to the most specific, so each value gets the one
 * message that tells the clerk what to do: Excel damage, legacy form, format, check digit,
 * birth date, address code.
 *
 * The address code must have been in use when the number was assigned. That is taken as the
 * birth year; for people born before ID numbers existed it is any year from
 * max(birthYear, 1981) to 1984 (see ID_NUMBERS_FIRST_ISSUED_YEAR). A code outside that is a
 * warning, never a rejection.
 *
 * @throws RangeError when `today` is not a valid YYYY-MM-DD date (a programming error).
 */
export function validateIdNumber(raw: string, options: ValidateIdNumberOptions): IdNumberResult {
  const { today, regions } = options;
  assertCivilDate(today);
  const value = normalizeIdNumber(raw);

  if (looksLikeExcelNumber(value)) return excelMangled();

  if (/^\d{15}$/.test(value)) {
    // Only suggest a conversion that yields a real date; otherwise just ask for the 18 digits.
    const upgraded = upgradeLegacyIdNumber(value);
    const usable = civilDate(upgraded.slice(6, 14)) !== null;
    return usable
      ? fail(
          'ID_LEGACY_15',
          `这是 15 位的旧身份证号码，已停止使用，请录入 18 位号码。按国家标准换算应为 ${upgraded}，` +
            '请与本人身份证核对后录入。',
          `This is a 15-digit legacy ID number; enter the 18-digit number. By the standard ` +
            `conversion it is ${upgraded}; check it against the ID card.`,
          upgraded,
        )
      : fail(
          'ID_LEGACY_15',
          '这是 15 位的旧身份证号码，已停止使用，请按本人身份证录入 18 位号码。',
          'This is a 15-digit legacy ID number; enter the 18-digit number from the ID card.',
        );
  }

  if (!/^\d{17}[\dX]$/.test(value)) {
    return fail(
      'ID_FORMAT',
      `身份证号码格式不正确：应为 18 位，前 17 位是数字，最后一位是数字或字母 X` +
        `（当前为 ${[...value].length} 位）。`,
      `An ID number has 18 characters: 17 digits, then a digit or X ` +
        `(this value has ${[...value].length}).`,
    );
  }

  if (idNumberCheckChar(value.slice(0, 17)) !== value.charAt(17)) {
    if (EXCEL_ZEROED_TAIL.test(value)) return excelMangled();
    return fail(
      'ID_CHECKSUM',
      '身份证号码校验位（最后一位）与前 17 位不符，号码中可能有输错或颠倒的数字，请对照身份证原件核对。',
      'The check character (last character) does not match the first 17 digits; a digit is ' +
        'probably mistyped or swapped. Compare with the ID card.',
    );
  }

  const digits = value.slice(6, 14);
  const birthDate = civilDate(digits);
  const shown = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  if (birthDate === null || Number(digits.slice(0, 4)) < MIN_BIRTH_YEAR) {
    return fail(
      'ID_BIRTH_DATE',
      `身份证号码第 7—14 位的出生日期 ${shown} 不是有效日期，请对照身份证原件核对。`,
      `The birth date in digits 7–14 (${shown}) is not a real date. Compare with the ID card.`,
    );
  }
  if (birthDate > today) {
    return fail(
      'ID_BIRTH_DATE',
      `身份证号码中的出生日期 ${birthDate} 晚于今天（${today}），请对照身份证原件核对。`,
      `The birth date ${birthDate} is after today (${today}). Compare with the ID card.`,
    );
  }

  const regionCode = value.slice(0, 6);
  const region = regions.lookup(regionCode);
  const warnings: IdNumberWarning[] = [];
  if (region.statisticsOnly) {
    warnings.push({
      code: 'REGION_STATISTICS_ONLY',
      message:
        `地址码 ${regionCode} 是统计用区划代码（开发区、产业集聚区等），不在国家标准 GB/T 2260 中。` +
        '号码可以使用，但请人工核对身份证原件。',
      messageEn:
        `Address code ${regionCode} is a statistics-only code (development zone), not in ` +
        'GB/T 2260. The number is accepted; please check it against the ID card.',
    });
  } else if (!region.everUsed) {
    return fail(
      'ID_REGION_UNKNOWN',
      `身份证号码前 6 位地址码 ${regionCode} 不是有效的行政区划代码（1981—2024 年的国家标准` +
        ' GB/T 2260 中都没有这个代码），请对照身份证原件核对。',
      `The address code ${regionCode} (first 6 digits) was never a GB/T 2260 code between 1981 ` +
        'and 2024. Compare with the ID card.',
    );
  } else {
    const birthYear = Number(digits.slice(0, 4));
    const from = Math.max(birthYear, REGION_HISTORY_FIRST_YEAR);
    const to = Math.max(birthYear, ID_NUMBERS_FIRST_ISSUED_YEAR);
    let inUse = false;
    for (let year = from; year <= to && !inUse; year++) inUse = region.inUseInYear(year);
    if (!inUse) {
      const when = from === to ? `${from} 年` : `${from}—${to} 年`;
      const whenEn = from === to ? `${from}` : `${from}–${to}`;
      warnings.push({
        code: 'REGION_NOT_IN_USE_AT_BIRTH',
        message:
          `地址码 ${regionCode} 在 ${when}（号码编发时）不是在用的行政区划代码，` +
          '可能是区划调整或号码有误。号码可以使用，但请人工核对身份证原件。',
        messageEn:
          `Address code ${regionCode} was not in use in ${whenEn}, when the number would have ` +
          'been assigned. The number is accepted; please check it against the ID card.',
      });
    }
  }

  return {
    ok: true,
    idNumber: value,
    sex: Number(value.charAt(16)) % 2 === 1 ? 'M' : 'F',
    birthDate,
    regionCode,
    warnings,
  };
}
