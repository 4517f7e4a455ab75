/**
 * Pure rules of certificate numbers. No I/O: the serial comes from certificate_serials in the
 * issuing transaction.
 */

/** Henan (GB/T 2260): the province part of every number we issue. */
export const PROVINCE_CODE = '41';

/** The national 22-character skill-level number: `^[YS][0-9]{14}[1-5][0-9]{6}$`. */
export const SKILL_LEVEL_NUMBER = /^[YS][0-9]{14}[1-5][0-9]{6}$/;

/** The largest serial of a site, year and level (6 digits). */
export const MAX_SKILL_LEVEL_SERIAL = 999_999;
/** The largest serial of a site's 专项职业能力 certificates in a year (5 digits). */
export const MAX_SPECIAL_ABILITY_SERIAL = 99_999;

export interface SkillLevelNumberParts {
  /** Y = 企业自主评价 (an employer evaluating its staff), S = 社会培训评价组织. */
  evaluationType: 'Y' | 'S';
  /** 4 digits assigned by 人社部 (0000 for a provincially filed institution). */
  institutionCode: string;
  /** The site's 6-digit 序列码. */
  siteSerialCode: string;
  /** The issue year (Asia/Shanghai). */
  year: number;
  /** 5 五级/初级工 … 1 一级/高级技师. */
  levelDigit: number;
  serial: number;
}

function digits(value: string, length: number, what: string): string {
  if (!new RegExp(`^[0-9]{${length}}$`).test(value)) {
    throw new RangeError(`${what} must be ${length} digits`);
  }
  return value;
}

function serialOf(serial: number, max: number, width: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > max) {
    throw new RangeError(`A certificate serial runs from 1 to ${max}`);
  }
  return String(serial).padStart(width, '0');
}

function yearOf(year: number): string {
  if (!Number.isInteger(year) || year < 2000 || year > 2099) throw new RangeError('bad year');
  return String(year % 100).padStart(2, '0');
}

/**
 * The 职业技能等级证书 number (formats.md §1): type letter + institution code + province `41` +
 * site 序列码 + 2-digit issue year + level digit + 6-digit serial, e.g. `S000041123456264000001`.
 */
export function formatSkillLevelNumber(parts: SkillLevelNumberParts): string {
  if (parts.evaluationType !== 'Y' && parts.evaluationType !== 'S') {
    throw new RangeError('The evaluation type is Y or S');
  }
  if (!Number.isInteger(parts.levelDigit) || parts.levelDigit < 1 || parts.levelDigit > 5) {
    throw new RangeError('The level digit runs from 1 to 5');
  }
  return (
    parts.evaluationType +
    digits(parts.institutionCode, 4, 'The institution code') +
    PROVINCE_CODE +
    digits(parts.siteSerialCode, 6, 'The site serial code') +
    yearOf(parts.year) +
    String(parts.levelDigit) +
    serialOf(parts.serial, MAX_SKILL_LEVEL_SERIAL, 6)
  );
}

/**
 * A 专项职业能力 certificate number. No national rule was found (formats.md §3), so ours is
 * free-form with the issuing province first: `41` + 2-digit issue year + the site's 序列码 +
 * 5-digit serial per site and year, 15 digits, e.g. `412612345600001`. It never matches the
 * skill-level pattern (no letter), so the two kinds cannot collide.
 */
export function formatSpecialAbilityNumber(parts: {
  siteSerialCode: string;
  year: number;
  serial: number;
}): string {
  return (
    PROVINCE_CODE +
    yearOf(parts.year) +
    digits(parts.siteSerialCode, 6, 'The site serial code') +
    serialOf(parts.serial, MAX_SPECIAL_ABILITY_SERIAL, 5)
  );
}

/** Whether a string is a well-formed skill-level certificate number (no check digit exists). */
export function isSkillLevelNumber(value: string): boolean {
  return SKILL_LEVEL_NUMBER.test(value);
}
