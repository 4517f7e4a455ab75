import { describe, expect, it } from 'vitest';
import { isoWeek, rangeParts, reportTitle } from './statistics.reports.rules.js';
import { periodContaining, previousPeriod } from './statistics.rules.js';

describe('report periods', () => {
  it('takes the ISO week, Monday to Sunday, across a year boundary', () => {
    expect(periodContaining('weekly', '2026-01-01')).toEqual({
      start: '2025-12-29',
      end: '2026-01-04',
    });
    expect(periodContaining('weekly', '2026-03-15')).toEqual({
      start: '2026-03-09',
      end: '2026-03-15',
    });
    expect(previousPeriod('weekly', '2026-01-05')).toEqual({
      start: '2025-12-29',
      end: '2026-01-04',
    });
    expect(previousPeriod('weekly', '2027-01-04')).toEqual({
      start: '2026-12-28',
      end: '2027-01-03',
    });
  });

  it('numbers ISO weeks by the year of their Thursday', () => {
    expect(isoWeek('2025-12-29')).toEqual({ year: 2026, week: 1 });
    expect(isoWeek('2026-03-14')).toEqual({ year: 2026, week: 11 });
    expect(isoWeek('2027-01-01')).toEqual({ year: 2026, week: 53 });
    expect(isoWeek('2021-01-03')).toEqual({ year: 2020, week: 53 });
  });

  it('reports yesterday at night and the last complete period of each kind', () => {
    expect(previousPeriod('daily', '2026-03-01')).toEqual({
      start: '2026-02-28',
      end: '2026-02-28',
    });
    expect(previousPeriod('monthly', '2026-01-01')).toEqual({
      start: '2025-12-01',
      end: '2025-12-31',
    });
    expect(periodContaining('monthly', '2028-02-10')).toEqual({
      start: '2028-02-01',
      end: '2028-02-29',
    });
    expect(periodContaining('quarterly', '2026-05-20')).toEqual({
      start: '2026-04-01',
      end: '2026-06-30',
    });
    expect(previousPeriod('quarterly', '2026-01-01')).toEqual({
      start: '2025-10-01',
      end: '2025-12-31',
    });
    expect(previousPeriod('quarterly', '2026-04-01')).toEqual({
      start: '2026-01-01',
      end: '2026-03-31',
    });
    expect(periodContaining('half_year', '2026-07-01')).toEqual({
      start: '2026-07-01',
      end: '2026-12-31',
    });
    expect(previousPeriod('half_year', '2026-07-01')).toEqual({
      start: '2026-01-01',
      end: '2026-06-30',
    });
    expect(previousPeriod('half_year', '2026-01-01')).toEqual({
      start: '2025-07-01',
      end: '2025-12-31',
    });
    expect(previousPeriod('annual', '2027-01-01')).toEqual({
      start: '2026-01-01',
      end: '2026-12-31',
    });
  });
});

describe('report titles', () => {
  it('names each kind as bureaus do', () => {
    const p = '商丘市“人人持证、技能河南”建设';
    expect(reportTitle('daily', { start: '2026-03-14', end: '2026-03-14' })).toBe(
      `${p}日统计表（2026年3月14日）`,
    );
    expect(reportTitle('weekly', { start: '2026-03-09', end: '2026-03-15' })).toBe(
      `${p}周调度表（2026年第11周：2026年3月9日—3月15日）`,
    );
    expect(reportTitle('weekly', { start: '2025-12-29', end: '2026-01-04' })).toBe(
      `${p}周调度表（2026年第1周：2025年12月29日—2026年1月4日）`,
    );
    expect(reportTitle('monthly', periodContaining('monthly', '2026-03-14'))).toBe(
      `${p}2026年3月小结`,
    );
    expect(reportTitle('quarterly', periodContaining('quarterly', '2026-03-14'))).toBe(
      `${p}2026年第一季度通报`,
    );
    expect(reportTitle('quarterly', periodContaining('quarterly', '2026-11-14'))).toBe(
      `${p}2026年第四季度通报`,
    );
    expect(reportTitle('half_year', periodContaining('half_year', '2026-03-14'))).toBe(
      `${p}2026年上半年督导`,
    );
    expect(reportTitle('half_year', periodContaining('half_year', '2026-09-14'))).toBe(
      `${p}2026年下半年督导`,
    );
    expect(reportTitle('annual', periodContaining('annual', '2026-03-14'))).toBe(
      `${p}2026年全年总结`,
    );
  });
});

describe('reading a range of days', () => {
  it('reads whole months from stat_monthly and the partial months from stat_daily', () => {
    expect(rangeParts('2026-01-01', '2026-03-14')).toEqual([
      { table: 'monthly', from: '2026-01-01', to: '2026-02-01' },
      { table: 'daily', from: '2026-03-01', to: '2026-03-14' },
    ]);
    expect(rangeParts('2026-03-01', '2026-03-31')).toEqual([
      { table: 'monthly', from: '2026-03-01', to: '2026-03-01' },
    ]);
    expect(rangeParts('2026-03-09', '2026-03-15')).toEqual([
      { table: 'daily', from: '2026-03-09', to: '2026-03-15' },
    ]);
    expect(rangeParts('2025-12-29', '2026-01-04')).toEqual([
      { table: 'daily', from: '2025-12-29', to: '2025-12-31' },
      { table: 'daily', from: '2026-01-01', to: '2026-01-04' },
    ]);
    expect(rangeParts('2026-01-15', '2026-03-31')).toEqual([
      { table: 'daily', from: '2026-01-15', to: '2026-01-31' },
      { table: 'monthly', from: '2026-02-01', to: '2026-03-01' },
    ]);
    expect(rangeParts('2026-01-01', '2026-12-31')).toEqual([
      { table: 'monthly', from: '2026-01-01', to: '2026-12-01' },
    ]);
    expect(rangeParts('2026-03-02', '2026-03-01')).toEqual([]);
  });
});
