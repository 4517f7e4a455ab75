/*
 * Employment registrations and social-insurance contributions: pure rules (no I/O). The same
 * checks serve the provincial system's API and the file imports; each problem names the field
 * and carries a stable code, with the message in Chinese (the clerk's file) and English (the API).
 */
import { normalizeIdNumber } from '../../platform/crypto/index.js';
import { validateUscc } from '../organisations/uscc.rules.js';

export type RegistrationField = 'idNumber' | 'employerUscc' | 'hiredOn' | 'endedOn';
export type ContributionField = 'idNumber' | 'employerUscc' | 'month' | 'wageBaseFen';

export interface ItemProblem<F extends string> {
  field: F;
  code: string;
  zh: string;
  en: string;
}

/** The largest wage base accepted: ¥1,000,000 a month (a typo guard, far above any real cap). */
export const MAX_WAGE_BASE_FEN = 100_000_000;

const ID_SHAPE = /^[0-9]{17}[0-9X]$/;
const CIVIL_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** The normalised ID number, or undefined when it cannot be one (18 characters, X last). */
export function idNumberShape(raw: string): string | undefined {
  const normalised = normalizeIdNumber(raw);
  return ID_SHAPE.test(normalised) ? normalised : undefined;
}

/** Whether YYYY-MM-DD names a real day. */
export function isCivilDate(value: string): boolean {
  const match = CIVIL_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * A day as clerks write it — 2026-03-01, 2026/3/1, 2026.03.01, 20260301, 2026年3月1日, or an
 * Excel date read as 2026-03-01 00:00 — as YYYY-MM-DD; undefined when it is none of these.
 */
export function parseCivilDate(raw: string): string | undefined {
  const text = raw.normalize('NFKC').trim();
  const match =
    /^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?(?:[ T][0-9:.]+)?$/.exec(text) ??
    /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(text);
  if (!match) return undefined;
  const [, y = '', m = '', d = ''] = match;
  const value = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isCivilDate(value) ? value : undefined;
}

/**
 * A contribution month — 202603, 2026-03, 2026/3, 2026.03, 2026年3月, or a day of it (an Excel
 * date) — as its first day, YYYY-MM-01; undefined otherwise.
 */
export function parseMonth(raw: string): string | undefined {
  const text = raw.normalize('NFKC').trim();
  const match =
    /^([0-9]{4})([0-9]{2})$/.exec(text) ??
    /^([0-9]{4})[-/.年]([0-9]{1,2})月?$/.exec(text) ??
    /^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月][0-9]{1,2}日?(?:[ T][0-9:.]+)?$/.exec(text);
  if (!match) return undefined;
  const [, y = '', m = ''] = match;
  const month = Number(m);
  if (month < 1 || month > 12) return undefined;
  return `${y}-${m.padStart(2, '0')}-01`;
}

/**
 * Yuan as written (3500, 3,500.50, ¥3500.5, 3500元) → integer fen; undefined for anything else,
 * more than two decimals included (a wage base is never a fraction of a fen).
 */
export function yuanToFen(raw: string): number | undefined {
  const text = raw
    .normalize('NFKC')
    .trim()
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '')
    .replace(/,/g, '')
    .trim();
  const match = /^([0-9]{1,9})(?:\.([0-9]{1,2}))?$/.exec(text);
  if (!match) return undefined;
  const [, whole = '0', fraction = ''] = match;
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

function usccProblem<F extends string>(field: F, raw: string): ItemProblem<F> | string {
  const checked = validateUscc(raw);
  if (checked.ok) return checked.uscc;
  return { field, code: checked.code, zh: checked.message, en: checked.messageEn };
}

export interface RegistrationInput {
  idNumber: string;
  employerUscc: string;
  hiredOn: string;
  endedOn?: string | null;
}

export interface CheckedRegistration {
  idNumber: string;
  employerUscc: string;
  hiredOn: string;
  endedOn: string | null;
}

/**
 * Checks one employment registration: an ID number's shape, a valid USCC (normalised), a hire
 * day not after today and an end not before the hire. Returns the normalised row or every
 * problem of it.
 */
export function checkRegistration(
  input: RegistrationInput,
  today: string,
):
  | { ok: true; row: CheckedRegistration }
  | { ok: false; problems: ItemProblem<RegistrationField>[] } {
  const problems: ItemProblem<RegistrationField>[] = [];
  const idNumber = idNumberShape(input.idNumber);
  if (!idNumber) {
    problems.push({
      field: 'idNumber',
      code: 'ID_NUMBER_INVALID',
      zh: '身份证号码应为 18 位（末位可为 X）。',
      en: 'An ID number has 18 characters (the last may be X)',
    });
  }
  const uscc = usccProblem('employerUscc' as const, input.employerUscc);
  if (typeof uscc !== 'string') problems.push(uscc);
  const hiredOn = input.hiredOn;
  if (!isCivilDate(hiredOn)) {
    problems.push({
      field: 'hiredOn',
      code: 'DATE_INVALID',
      zh: '入职日期应为有效日期，如 2026-03-01。',
      en: 'hiredOn must be a real day, YYYY-MM-DD',
    });
  } else if (hiredOn > today) {
    problems.push({
      field: 'hiredOn',
      code: 'HIRED_IN_FUTURE',
      zh: `入职日期 ${hiredOn} 晚于今天，请核对。`,
      en: `hiredOn ${hiredOn} is after today`,
    });
  }
  const endedOn = input.endedOn ?? null;
  if (endedOn !== null) {
    if (!isCivilDate(endedOn)) {
      problems.push({
        field: 'endedOn',
        code: 'DATE_INVALID',
        zh: '离职日期应为有效日期，如 2026-03-01。',
        en: 'endedOn must be a real day, YYYY-MM-DD',
      });
    } else if (isCivilDate(hiredOn) && endedOn < hiredOn) {
      problems.push({
        field: 'endedOn',
        code: 'ENDED_BEFORE_HIRED',
        zh: `离职日期 ${endedOn} 早于入职日期 ${hiredOn}。`,
        en: `endedOn ${endedOn} is before hiredOn ${hiredOn}`,
      });
    }
  }
  if (problems.length > 0 || !idNumber || typeof uscc !== 'string') return { ok: false, problems };
  return { ok: true, row: { idNumber, employerUscc: uscc, hiredOn, endedOn } };
}

export interface ContributionInput {
  idNumber: string;
  employerUscc: string;
  /** YYYY-MM-01, the first day of the month paid for. */
  month: string;
  wageBaseFen: number;
}

/**
 * Checks one contribution month: ID number shape, USCC, a month not after the current one
 * (`today`'s), a wage base of whole fen above zero.
 */
export function checkContribution(
  input: ContributionInput,
  today: string,
):
  { ok: true; row: ContributionInput } | { ok: false; problems: ItemProblem<ContributionField>[] } {
  const problems: ItemProblem<ContributionField>[] = [];
  const idNumber = idNumberShape(input.idNumber);
  if (!idNumber) {
    problems.push({
      field: 'idNumber',
      code: 'ID_NUMBER_INVALID',
      zh: '身份证号码应为 18 位（末位可为 X）。',
      en: 'An ID number has 18 characters (the last may be X)',
    });
  }
  const uscc = usccProblem('employerUscc' as const, input.employerUscc);
  if (typeof uscc !== 'string') problems.push(uscc);
  if (!isCivilDate(input.month) || !input.month.endsWith('-01')) {
    problems.push({
      field: 'month',
      code: 'MONTH_INVALID',
      zh: '缴费月份应为 YYYYMM 或 YYYY-MM，如 202603。',
      en: 'month must be YYYY-MM',
    });
  } else if (input.month.slice(0, 7) > today.slice(0, 7)) {
    problems.push({
      field: 'month',
      code: 'MONTH_IN_FUTURE',
      zh: `缴费月份 ${input.month.slice(0, 7)} 晚于本月，请核对。`,
      en: `month ${input.month.slice(0, 7)} is after the current month`,
    });
  }
  if (
    !Number.isSafeInteger(input.wageBaseFen) ||
    input.wageBaseFen <= 0 ||
    input.wageBaseFen > MAX_WAGE_BASE_FEN
  ) {
    problems.push({
      field: 'wageBaseFen',
      code: 'WAGE_BASE_INVALID',
      zh: '缴费基数应为大于 0 的金额（元，最多两位小数），且不超过 1,000,000 元。',
      en: 'wageBaseFen must be an integer above 0 and at most 100,000,000',
    });
  }
  if (problems.length > 0 || !idNumber || typeof uscc !== 'string') return { ok: false, problems };
  return { ok: true, row: { ...input, idNumber, employerUscc: uscc } };
}

/** A run of consecutive insured months with one employer. */
export interface ContributionRun {
  employerUscc: string;
  /** YYYY-MM */
  from: string;
  to: string;
  months: number;
  /** The wage base of the run's last month. */
  latestWageBaseFen: number;
}

function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/**
 * Groups contribution months into runs of consecutive months per employer (a gap starts a new
 * run): the evidence a reviewer reads for the 12- and 6-month rules. Employers in code order,
 * runs in time order.
 */
export function contributionRuns(
  rows: readonly { employerUscc: string; month: string; wageBaseFen: number }[],
): ContributionRun[] {
  const sorted = [...rows].sort((a, b) =>
    a.employerUscc === b.employerUscc
      ? a.month.localeCompare(b.month)
      : a.employerUscc.localeCompare(b.employerUscc),
  );
  const runs: ContributionRun[] = [];
  let current: (ContributionRun & { last: number }) | undefined;
  for (const row of sorted) {
    const index = monthIndex(row.month);
    const month = row.month.slice(0, 7);
    if (current && current.employerUscc === row.employerUscc && index === current.last + 1) {
      current.to = month;
      current.months += 1;
      current.last = index;
      current.latestWageBaseFen = row.wageBaseFen;
      continue;
    }
    if (current && current.employerUscc === row.employerUscc && index === current.last) continue;
    if (current) runs.push(strip(current));
    current = {
      employerUscc: row.employerUscc,
      from: month,
      to: month,
      months: 1,
      latestWageBaseFen: row.wageBaseFen,
      last: index,
    };
  }
  if (current) runs.push(strip(current));
  return runs;
}

function strip(run: ContributionRun & { last: number }): ContributionRun {
  const { last: _last, ...rest } = run;
  return rest;
}
