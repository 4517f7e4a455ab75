import { describe, expect, it } from 'vitest';
import {
  checkContribution,
  checkRegistration,
  contributionRuns,
  parseCivilDate,
  parseMonth,
  yuanToFen,
} from './employment.rules.js';
import { organisationCodeCheckChar, usccCheckChar } from '../organisations/uscc.rules.js';
import { FIXTURE_ID_NUMBERS } from '../../../test/fixtures/sensitive.js';

// A valid USCC built with the organisation rules' own check characters.
const body = '12345678';
const first17 = `91411400${body}${organisationCodeCheckChar(body)}`;
const USCC = first17 + usccCheckChar(first17);
const ID = FIXTURE_ID_NUMBERS[0];

describe('parsing what clerks write', () => {
  it('reads days in the usual spellings and refuses impossible ones', () => {
    expect(parseCivilDate('2026-03-01')).toBe('2026-03-01');
    expect(parseCivilDate('2026/3/1')).toBe('2026-03-01');
    expect(parseCivilDate('2026.03.01')).toBe('2026-03-01');
    expect(parseCivilDate('20260301')).toBe('2026-03-01');
    expect(parseCivilDate('2026年3月1日')).toBe('2026-03-01');
    expect(parseCivilDate('2026-03-01 00:00')).toBe('2026-03-01');
    expect(parseCivilDate('2026-02-29')).toBeUndefined();
    expect(parseCivilDate('3月1日')).toBeUndefined();
  });

  it('reads months as their first day', () => {
    expect(parseMonth('202603')).toBe('2026-03-01');
    expect(parseMonth('2026-03')).toBe('2026-03-01');
    expect(parseMonth('2026/3')).toBe('2026-03-01');
    expect(parseMonth('2026年3月')).toBe('2026-03-01');
    expect(parseMonth('2026-03-15')).toBe('2026-03-01');
    expect(parseMonth('202613')).toBeUndefined();
    expect(parseMonth('2026-00')).toBeUndefined();
  });

  it('turns yuan into integer fen, at most two decimals', () => {
    expect(yuanToFen('3500')).toBe(350_000);
    expect(yuanToFen('3,500.5')).toBe(350_050);
    expect(yuanToFen('¥3500.05')).toBe(350_005);
    expect(yuanToFen('3500元')).toBe(350_000);
    expect(yuanToFen('0.01')).toBe(1);
    expect(yuanToFen('3500.123')).toBeUndefined();
    expect(yuanToFen('-3500')).toBeUndefined();
    expect(yuanToFen('abc')).toBeUndefined();
  });
});

describe('checking rows', () => {
  it('normalises a registration and refuses a future hire or an end before it', () => {
    expect(
      checkRegistration(
        {
          idNumber: ID.toLowerCase(),
          employerUscc: ` ${USCC.toLowerCase()} `,
          hiredOn: '2026-03-15',
        },
        '2026-03-15',
      ),
    ).toEqual({
      ok: true,
      row: { idNumber: ID, employerUscc: USCC, hiredOn: '2026-03-15', endedOn: null },
    });
    const bad = checkRegistration(
      { idNumber: '123', employerUscc: USCC, hiredOn: '2026-03-16', endedOn: '2026-03-01' },
      '2026-03-15',
    );
    expect(bad.ok ? [] : bad.problems.map((p) => p.code)).toEqual([
      'ID_NUMBER_INVALID',
      'HIRED_IN_FUTURE',
      'ENDED_BEFORE_HIRED',
    ]);
  });

  it('accepts this month and refuses the next, and a wage base of zero', () => {
    const item = { idNumber: ID, employerUscc: USCC, wageBaseFen: 350_000 };
    expect(checkContribution({ ...item, month: '2026-03-01' }, '2026-03-15').ok).toBe(true);
    const next = checkContribution({ ...item, month: '2026-04-01' }, '2026-03-31');
    expect(next.ok ? [] : next.problems.map((p) => p.code)).toEqual(['MONTH_IN_FUTURE']);
    const zero = checkContribution({ ...item, month: '2026-01-01', wageBaseFen: 0 }, '2026-03-15');
    expect(zero.ok ? [] : zero.problems.map((p) => p.code)).toEqual(['WAGE_BASE_INVALID']);
  });
});

describe('contribution runs', () => {
  it('groups consecutive months per employer; a gap or a year boundary is handled', () => {
    const month = (uscc: string, m: string, wageBaseFen = 1) => ({
      employerUscc: uscc,
      month: `${m}-01`,
      wageBaseFen,
    });
    expect(
      contributionRuns([
        month('B', '2025-12', 7),
        month('A', '2025-11'),
        month('A', '2025-12'),
        month('A', '2026-01', 5),
        month('A', '2026-03', 6),
        month('B', '2026-01', 8),
      ]),
    ).toEqual([
      { employerUscc: 'A', from: '2025-11', to: '2026-01', months: 3, latestWageBaseFen: 5 },
      { employerUscc: 'A', from: '2026-03', to: '2026-03', months: 1, latestWageBaseFen: 6 },
      { employerUscc: 'B', from: '2025-12', to: '2026-01', months: 2, latestWageBaseFen: 8 },
    ]);
  });
});
