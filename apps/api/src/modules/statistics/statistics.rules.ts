/*
 * Progress against targets (R-TGT-2): pure arithmetic over counts the repository has summed.
 * What the counts are is said once, in statistics.measures.ts and migrations/0016.
 */

import type { Measure, ReportKind } from './statistics.schema.js';

export type Counts = Record<Measure, number>;

export const ZERO_COUNTS: Readonly<Counts> = { training: 0, skilled: 0, high_skilled: 0 };

export type ProgressStatus = 'ahead' | 'behind' | 'no_target';

export interface MeasureProgress {
  target: number | null;
  actual: number;
  /** actual ÷ target (1 = met); null without a target. */
  progress: number | null;
  /** ahead when progress ≥ the share of the year elapsed. */
  status: ProgressStatus;
  /** Year-end at the current pace: actual ÷ share elapsed (the actual itself once the year ended). */
  projected: number;
  /** 1 = best progress among peers (same annex); null without a target. */
  rank: number | null;
}

function daysInYear(year: number): number {
  return (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000;
}

/**
 * The share of `year` elapsed on the Shanghai civil date `today` (YYYY-MM-DD), counting today as
 * elapsed: 1 January is 1/365, 31 December 1. 0 before the year, 1 after it.
 */
export function elapsedShare(year: number, today: string): number {
  const todayYear = Number(today.slice(0, 4));
  if (todayYear < year) return 0;
  if (todayYear > year) return 1;
  const dayOfYear = (Date.parse(`${today}T00:00:00Z`) - Date.UTC(year, 0, 1)) / 86_400_000 + 1;
  return dayOfYear / daysInYear(year);
}

export function measureProgress(
  target: number | null,
  actual: number,
  elapsed: number,
): Omit<MeasureProgress, 'rank'> {
  const projected = elapsed >= 1 || elapsed <= 0 ? actual : Math.round(actual / elapsed);
  if (target === null) return { target, actual, progress: null, status: 'no_target', projected };
  // A target of 0 is met by anything.
  const progress = target === 0 ? 1 : actual / target;
  return { target, actual, progress, status: progress >= elapsed ? 'ahead' : 'behind', projected };
}

/**
 * Ranks by progress, best first, among the rows with a target; equal progress shares a rank
 * (1, 2, 2, 4). Rows without a target get null.
 */
export function rankByProgress(progress: ReadonlyArray<number | null>): Array<number | null> {
  const ranked = progress.filter((p): p is number => p !== null).sort((a, b) => b - a);
  return progress.map((p) => (p === null ? null : ranked.indexOf(p) + 1));
}

/** Report periods (R-TGT-3), as Shanghai civil dates [start, end]. */
export interface Period {
  start: string;
  end: string;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function monthStart(year: number, month0: number): number {
  return Date.UTC(year, month0, 1);
}

/**
 * The period of `kind` that contains `date`: the day; the ISO week (Monday to Sunday); the month;
 * the quarter; the half year; the year.
 */
export function periodContaining(kind: ReportKind, date: string): Period {
  const ms = Date.parse(`${date}T00:00:00Z`);
  const year = Number(date.slice(0, 4));
  const month0 = Number(date.slice(5, 7)) - 1;
  const span = (firstMonth0: number, months: number): Period => ({
    start: isoDate(monthStart(year, firstMonth0)),
    end: isoDate(monthStart(year, firstMonth0 + months) - 86_400_000),
  });
  switch (kind) {
    case 'daily':
      return { start: date, end: date };
    case 'weekly': {
      const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0
      const start = ms - weekday * 86_400_000;
      return { start: isoDate(start), end: isoDate(start + 6 * 86_400_000) };
    }
    case 'monthly':
      return span(month0, 1);
    case 'quarterly':
      return span(month0 - (month0 % 3), 3);
    case 'half_year':
      return span(month0 < 6 ? 0 : 6, 6);
    case 'annual':
      return span(0, 12);
  }
}

/** The last complete period of `kind` before `today`: what a schedule reports on. */
export function previousPeriod(kind: ReportKind, today: string): Period {
  const current = periodContaining(kind, today);
  const dayBefore = isoDate(Date.parse(`${current.start}T00:00:00Z`) - 86_400_000);
  return periodContaining(kind, dayBefore);
}
