import { describe, expect, it } from 'vitest';
import {
  VOUCHER_ACTIONS,
  VOUCHER_STATES,
  amountPayableFen,
  certificateLevelSatisfies,
  formatVoucherNumber,
  isVoucherNumber,
  isWithinValidity,
  occupationMatches,
  transition,
  type VoucherAction,
  type VoucherState,
} from './vouchers.rules.js';

/*
 * Every (state, action) pair with its exact outcome: a state name is the next state, `EXP` is a
 * refusal with VOUCHER_EXPIRED, `—` a refusal with VOUCHER_STATE_CONFLICT. Written out by hand,
 * not derived from the rules, so a change to the rules must change this table too.
 */
const COLUMNS: VoucherAction[] = [
  'bind',
  'unbind',
  'start_training',
  'complete',
  'fail_completion',
  'drop_out',
  'certify',
  'decertify',
  'redeem',
  'expire',
  'cancel',
];
// prettier-ignore
const TABLE: Record<VoucherState, string[]> = {
  //            bind     unbind    start_training complete     fail_completion drop_out     certify      decertify    redeem      expire     cancel
  issued:      ['bound', '—',      '—',           '—',         '—',            '—',         '—',         '—',         '—',        'expired', 'cancelled'],
  bound:       ['—',     'issued', 'in_training', '—',         '—',            'forfeited', '—',         '—',         '—',        'expired', 'cancelled'],
  in_training: ['—',     '—',      '—',           'completed', 'forfeited',    'forfeited', '—',         '—',         '—',        '—',       '—'],
  completed:   ['—',     '—',      '—',           '—',         '—',            '—',         'certified', '—',         '—',        '—',       '—'],
  certified:   ['—',     '—',      '—',           '—',         '—',            '—',         '—',         'completed', 'redeemed', '—',       '—'],
  redeemed:    ['—',     '—',      '—',           '—',         '—',            '—',         '—',         '—',         '—',        '—',       '—'],
  expired:     ['EXP',   'EXP',    'EXP',         'EXP',       'EXP',          'EXP',       'EXP',       'EXP',       'EXP',      'EXP',     'EXP'],
  cancelled:   ['—',     '—',      '—',           '—',         '—',            '—',         '—',         '—',         '—',        '—',       '—'],
  forfeited:   ['—',     '—',      '—',           '—',         '—',            '—',         '—',         '—',         '—',        '—',       '—'],
};

const cases = VOUCHER_STATES.flatMap((state) =>
  COLUMNS.map((action, i) => ({ state, action, expected: TABLE[state][i] as string })),
);

describe('the voucher state machine', () => {
  it('has a table row for every state and a column for every action', () => {
    expect([...COLUMNS].sort()).toEqual([...VOUCHER_ACTIONS].sort());
    expect(Object.keys(TABLE).sort()).toEqual([...VOUCHER_STATES].sort());
    expect(cases).toHaveLength(VOUCHER_STATES.length * VOUCHER_ACTIONS.length);
  });

  it.each(cases)('$state + $action → $expected', ({ state, action, expected }) => {
    const result = transition(state, action);
    if (expected === '—') {
      expect(result).toMatchObject({ ok: false, code: 'VOUCHER_STATE_CONFLICT' });
    } else if (expected === 'EXP') {
      expect(result).toMatchObject({ ok: false, code: 'VOUCHER_EXPIRED' });
    } else {
      expect(result).toEqual({ ok: true, to: expected });
    }
  });
});

describe('voucher numbers', () => {
  it('formats SQ, the year, a 7-digit serial and a Luhn check digit', () => {
    const n = formatVoucherNumber(2026, 1);
    expect(n).toMatch(/^SQ260000001[0-9]$/);
    expect(isVoucherNumber(n)).toBe(true);
  });

  it('catches a mistyped digit', () => {
    const n = formatVoucherNumber(2026, 1234567);
    const typo = n.slice(0, 6) + String((Number(n[6]) + 1) % 10) + n.slice(7);
    expect(isVoucherNumber(typo)).toBe(false);
    expect(isVoucherNumber('SQ26')).toBe(false);
  });

  it('refuses a serial that does not fit 7 digits', () => {
    expect(() => formatVoucherNumber(2026, 10_000_000)).toThrow(RangeError);
  });
});

describe('validity, matching and amounts', () => {
  it('is valid from its first to its last day inclusive', () => {
    const v = { validFrom: '2026-03-01', validTo: '2026-12-31' };
    expect(isWithinValidity(v, '2026-02-28')).toBe(false);
    expect(isWithinValidity(v, '2026-03-01')).toBe(true);
    expect(isWithinValidity(v, '2026-12-31')).toBe(true);
    expect(isWithinValidity(v, '2027-01-01')).toBe(false);
  });

  it('matches an occupation exactly and a category by its groups', () => {
    expect(occupationMatches({ code: '6-01-01-01', level: 4 }, '6-01-01-01')).toBe(true);
    expect(occupationMatches({ code: '6-01-01-01', level: 4 }, '6-01-01-02')).toBe(false);
    expect(occupationMatches({ code: '6-01-01-00', level: 3 }, '6-01-01-02')).toBe(true);
    expect(occupationMatches({ code: '6-01-01-00', level: 3 }, '6-01-02-01')).toBe(false);
    expect(occupationMatches({ code: '6-01-00-00', level: 2 }, '6-01-02-01')).toBe(true);
    expect(occupationMatches({ code: '6-01-00-00', level: 2 }, '6-02-01-01')).toBe(false);
  });

  it('pays the smaller of the voucher value and the class subsidy standard', () => {
    expect(amountPayableFen(150_000, 120_000)).toBe(120_000);
    expect(amountPayableFen(100_000, 120_000)).toBe(100_000);
  });
});

describe('which certificate level satisfies a class (以证换券)', () => {
  const level = (digit: number) => ({ key: `level${digit}`, levelDigit: digit });
  const special = { key: 'special_ability', levelDigit: null };

  it('accepts the class level and any higher one, refuses a lower one', () => {
    expect(certificateLevelSatisfies(level(5), level(5))).toBe(true);
    expect(certificateLevelSatisfies(level(5), level(4))).toBe(true);
    expect(certificateLevelSatisfies(level(4), level(1))).toBe(true);
    expect(certificateLevelSatisfies(level(4), level(5))).toBe(false);
    expect(certificateLevelSatisfies(level(1), level(2))).toBe(false);
  });

  it('matches 专项职业能力 only with 专项职业能力', () => {
    expect(certificateLevelSatisfies(special, special)).toBe(true);
    expect(certificateLevelSatisfies(special, level(1))).toBe(false);
    expect(certificateLevelSatisfies(level(5), special)).toBe(false);
  });
});
