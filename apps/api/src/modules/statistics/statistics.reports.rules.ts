import type { Period } from './statistics.rules.js';
import type { ReportKind } from './statistics.schema.js';

/*
 * Pure rules of the reports (R-TGT-3): their titles and how a date range is read from the count
 * tables. Periods themselves are statistics.rules.ts (periodContaining, previousPeriod).
 */

const DAY_MS = 86_400_000;

function ms(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

function isoDate(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** The ISO 8601 week of a civil date: the week's year is the year of its Thursday. */
export function isoWeek(date: string): { year: number; week: number } {
  const at = ms(date);
  const weekday = (new Date(at).getUTCDay() + 6) % 7; // Monday 0
  const thursday = at + (3 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { year, week };
}

/** 2026年3月14日 */
export function chineseDate(date: string, withYear = true): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${withYear ? `${y}年` : ''}${m}月${d}日`;
}

const PROGRAMME = '商丘市“人人持证、技能河南”建设';
const QUARTERS = ['一', '二', '三', '四'];

/** The title bureaus know each report by, e.g. 商丘市“人人持证、技能河南”建设2026年第一季度通报. */
export function reportTitle(kind: ReportKind, period: Period): string {
  const year = Number(period.start.slice(0, 4));
  const month = Number(period.start.slice(5, 7));
  switch (kind) {
    case 'daily':
      return `${PROGRAMME}日统计表（${chineseDate(period.start)}）`;
    case 'weekly': {
      const week = isoWeek(period.start);
      const sameYear = period.start.slice(0, 4) === period.end.slice(0, 4);
      return (
        `${PROGRAMME}周调度表（${week.year}年第${week.week}周：` +
        `${chineseDate(period.start)}—${chineseDate(period.end, !sameYear)}）`
      );
    }
    case 'monthly':
      return `${PROGRAMME}${year}年${month}月小结`;
    case 'quarterly':
      return `${PROGRAMME}${year}年第${QUARTERS[Math.floor((month - 1) / 3)]}季度通报`;
    case 'half_year':
      return `${PROGRAMME}${year}年${month <= 6 ? '上' : '下'}半年督导`;
    case 'annual':
      return `${PROGRAMME}${year}年全年总结`;
  }
}

export type RangePart = { table: 'monthly' | 'daily'; from: string; to: string };

function monthStartOf(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

function monthEndOf(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return isoDate(Date.UTC(y, m, 1) - DAY_MS);
}

function addMonths(monthStart: string, months: number): string {
  const y = Number(monthStart.slice(0, 4));
  const m = Number(monthStart.slice(5, 7)) - 1;
  return isoDate(Date.UTC(y, m + months, 1));
}

/**
 * The days `from`..`to` as the fewest reads: whole months from stat_monthly (a few hundred rows a
 * month) and the partial months at either end from stat_daily. Monthly parts carry first days.
 */
export function rangeParts(from: string, to: string): RangePart[] {
  if (to < from) return [];
  const startsMonth = from === monthStartOf(from);
  const endsMonth = to === monthEndOf(to);
  if (monthStartOf(from) === monthStartOf(to)) {
    return startsMonth && endsMonth
      ? [{ table: 'monthly', from: monthStartOf(from), to: monthStartOf(from) }]
      : [{ table: 'daily', from, to }];
  }
  const parts: RangePart[] = [];
  if (!startsMonth) parts.push({ table: 'daily', from, to: monthEndOf(from) });
  const firstWhole = startsMonth ? from : addMonths(monthStartOf(from), 1);
  const lastWhole = endsMonth ? monthStartOf(to) : addMonths(monthStartOf(to), -1);
  if (firstWhole <= lastWhole) parts.push({ table: 'monthly', from: firstWhole, to: lastWhole });
  if (!endsMonth) parts.push({ table: 'daily', from: monthStartOf(to), to });
  return parts;
}

/** Laggards are highlighted from the weekly dispatch on; the daily sheet only states figures. */
export function highlightsLaggards(kind: ReportKind): boolean {
  return kind !== 'daily';
}
