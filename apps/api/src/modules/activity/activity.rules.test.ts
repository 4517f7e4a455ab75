import { describe, expect, it } from 'vitest';
import {
  countPersonTimes,
  hoursValid,
  mayReportFor,
  trainingProblems,
  type PersonTime,
} from './activity.rules.js';

function record(overrides: Partial<PersonTime>): PersonTime {
  return {
    source: 'unit_report',
    personId: 'p1',
    occupationCode: '6-01-01-01',
    title: '培训',
    unitId: 'A2-07',
    endOn: '2026-03-06',
    period: '2026-03',
    recordId: '0193a0a0-0000-7000-8000-000000000010',
    ...overrides,
  };
}

describe('training facts', () => {
  it('accepts hours in (0, 5000] with one decimal only', () => {
    expect([0.1, 12.5, 5000].map(hoursValid)).toEqual([true, true, true]);
    expect([0, -1, 12.25, 5000.1, Number.NaN].map(hoursValid)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('refuses an end before the start and an end after today', () => {
    const codes = trainingProblems(
      { startOn: '2026-03-10', endOn: '2026-03-09', hours: 8 },
      '2026-03-08',
    ).map((p) => p.code);
    expect(codes).toEqual(['END_BEFORE_START', 'END_IN_FUTURE']);
    expect(
      trainingProblems({ startOn: '2026-03-01', endOn: '2026-03-08', hours: 8 }, '2026-03-08'),
    ).toEqual([]);
  });
});

describe('who may report for a unit', () => {
  const county = { id: 'A1-02', kind: 'county' as const, regionCode: '411403' };
  const department = { id: 'A2-07', kind: 'department' as const, regionCode: '411400' };
  it('lets a unit report for itself only and a county for its county units', () => {
    expect(mayReportFor({ kind: 'unit', unitId: 'A2-07' }, department)).toBe(true);
    expect(mayReportFor({ kind: 'unit', unitId: 'A2-08' }, department)).toBe(false);
    expect(mayReportFor({ kind: 'region', regionCode: '411403' }, county)).toBe(true);
    expect(mayReportFor({ kind: 'region', regionCode: '411403' }, department)).toBe(false);
    expect(mayReportFor({ kind: 'region', regionCode: '411402' }, county)).toBe(false);
    expect(mayReportFor({ kind: 'city' }, department)).toBe(true);
    expect(mayReportFor({ kind: 'person', personId: 'x' }, department)).toBe(false);
  });
});

describe('counting person-times once whatever the source', () => {
  it('counts a person trained in the voucher loop and reported by a unit once, for the earliest', () => {
    const counted = countPersonTimes([
      record({ recordId: 'b', endOn: '2026-03-06' }),
      record({ source: 'voucher', recordId: 'c', endOn: '2026-03-04', unitId: 'A1-01' }),
    ]);
    expect(counted).toEqual([
      expect.objectContaining({ source: 'voucher', unitId: 'A1-01', records: 2 }),
    ]);
  });

  it('prefers the voucher loop on the same day, then the older record', () => {
    expect(
      countPersonTimes([record({ recordId: 'a' }), record({ source: 'voucher', recordId: 'z' })])[0]
        ?.source,
    ).toBe('voucher');
    expect(
      countPersonTimes([record({ recordId: 'b', unitId: 'X' }), record({ recordId: 'a' })])[0]
        ?.unitId,
    ).toBe('A2-07');
  });

  it('counts separately another occupation, another month, another person, and titles', () => {
    const counted = countPersonTimes([
      record({}),
      record({ occupationCode: '6-01-01-02' }),
      record({ period: '2026-04', endOn: '2026-04-01' }),
      record({ personId: 'p2' }),
      record({ occupationCode: null, title: '低压电工作业' }),
      record({ occupationCode: null, title: ' 低压电工作业 ', recordId: 'x' }),
    ]);
    expect(counted).toHaveLength(5);
    expect(counted.find((c) => c.countingKey === 'title:低压电工作业')?.records).toBe(2);
  });
});
