import { describe, expect, it } from 'vitest';
import {
  candidateResult,
  coveringScope,
  levelQualifies,
  scoreFieldErrors,
  sessionPassMarks,
  voucherOccupationMatches,
} from './evaluations.rules.js';

const SKILL = { theory: 60, practical: 60 };
const SPECIAL = { theory: null, practical: 60 };
const scores = (theoryScore: number | null, practicalScore: number | null, absent = false) => ({
  theoryScore,
  practicalScore,
  absent,
});

describe('candidateResult', () => {
  it.each([
    // [marks, theory, practical, absent, expected]
    [SKILL, 60, 60, false, 'pass'],
    [SKILL, 59, 60, false, 'fail'],
    [SKILL, 60, 59, false, 'fail'],
    [SKILL, 100, 0, false, 'fail'],
    [SKILL, 0, 100, false, 'fail'],
    [SKILL, 100, 100, false, 'pass'],
    [SKILL, null, 80, false, null],
    [SKILL, 80, null, false, null],
    [SKILL, null, null, false, null],
    [SKILL, null, null, true, 'absent'],
    [SPECIAL, null, 60, false, 'pass'],
    [SPECIAL, null, 59, false, 'fail'],
    [SPECIAL, null, null, false, null],
    [{ theory: 70, practical: 50 }, 70, 50, false, 'pass'],
    [{ theory: 70, practical: 50 }, 69, 90, false, 'fail'],
  ] as const)('marks %o, theory %s practical %s absent %s → %s', (marks, t, p, a, expected) => {
    expect(candidateResult(marks, scores(t, p, a))).toBe(expected);
  });
});

describe('scoreFieldErrors', () => {
  it('refuses a theory score where the session has no theory part', () => {
    expect(scoreFieldErrors(SPECIAL, scores(70, 80))).toEqual([
      { path: '/body/theoryScore', message: 'this session has no theory part' },
    ]);
  });
  it('refuses scores for an absent candidate', () => {
    expect(scoreFieldErrors(SKILL, scores(null, 80, true))).toHaveLength(1);
  });
  it('accepts a complete entry', () => {
    expect(scoreFieldErrors(SKILL, scores(70, 80))).toEqual([]);
  });
});

describe('sessionPassMarks', () => {
  it('uses 60/60 without configured marks', () => {
    expect(sessionPassMarks('level4', undefined)).toEqual({ theory: 60, practical: 60 });
  });
  it('copies configured marks', () => {
    expect(sessionPassMarks('level3', { theoryPassMark: 70, practicalPassMark: 65 })).toEqual({
      theory: 70,
      practical: 65,
    });
  });
  it('drops the theory part of 专项职业能力', () => {
    expect(
      sessionPassMarks('special_ability', { theoryPassMark: 70, practicalPassMark: 65 }),
    ).toEqual({ theory: null, practical: 65 });
  });
});

describe('coveringScope', () => {
  const what = { occupation: '车工 (6-18-01-01)', level: '四级/中级工' };
  const a = { id: 'a', validFrom: '2026-01-01', validTo: '2026-06-30' };
  const b = { id: 'b', validFrom: '2027-01-01', validTo: '2027-12-31' };

  it('finds the approval covering the day, both ends included', () => {
    expect(coveringScope([a, b], '2026-01-01', what)).toEqual({ ok: true, scopeId: 'a' });
    expect(coveringScope([a, b], '2026-06-30', what)).toEqual({ ok: true, scopeId: 'a' });
    expect(coveringScope([a, b], '2027-03-01', what)).toEqual({ ok: true, scopeId: 'b' });
  });
  it('says when there is no approval at all', () => {
    expect(coveringScope([], '2026-03-01', what)).toEqual({
      ok: false,
      message: 'The site is not approved for 车工 (6-18-01-01) at 四级/中级工 on 2026-03-01',
    });
  });
  it('names the day the last approval ended', () => {
    const d = coveringScope([a, b], '2026-07-01', what);
    expect(d).toEqual({
      ok: false,
      message:
        'The site is not approved for 车工 (6-18-01-01) at 四级/中级工 on 2026-07-01: ' +
        'the approval ended on 2026-06-30',
    });
  });
  it('names the day a future approval starts', () => {
    const d = coveringScope([b], '2026-03-01', what);
    expect(d.ok).toBe(false);
    expect(!d.ok && d.message).toMatch(/starts on 2027-01-01$/);
  });
});

describe('levelQualifies', () => {
  it('lets a class qualify for its own level and higher ones, not lower', () => {
    expect(levelQualifies(4, 4)).toBe(true);
    expect(levelQualifies(5, 4)).toBe(true);
    expect(levelQualifies(4, 5)).toBe(false);
    expect(levelQualifies(null, 4)).toBe(false);
  });
});

describe('voucherOccupationMatches', () => {
  it('matches the class occupation, the voucher occupation or its category', () => {
    const v = {
      occupationCode: '6-18-00-00',
      occupationLevel: 2,
      classOccupationCode: '6-18-01-02',
    };
    expect(voucherOccupationMatches(v, '6-18-01-02')).toBe(true);
    expect(voucherOccupationMatches(v, '6-18-01-01')).toBe(true);
    expect(voucherOccupationMatches(v, '6-19-01-01')).toBe(false);
    const exact = {
      occupationCode: '6-18-01-01',
      occupationLevel: 4,
      classOccupationCode: '6-18-01-01',
    };
    expect(voucherOccupationMatches(exact, '6-18-01-02')).toBe(false);
  });
});
