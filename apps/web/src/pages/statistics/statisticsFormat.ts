import type { MeasureProgress } from '../../api/statistics';

/*
 * How statistics are written: targets in 万 as the annexes print them (stored in persons), shares
 * as percentages, statuses as coloured tags.
 */

/** Persons as the annexes print targets: 19000 → "1.9", 4480 → "0.448" (up to 4 decimals). */
export function inWan(persons: number): string {
  return String(Math.round(persons) / 10_000);
}

/** A share (1 = 100 %) as a percentage with one decimal: 0.4567 → "45.7%". */
export function percent(share: number): string {
  return `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
}

export const STATUS_COLORS: Record<MeasureProgress['status'], string> = {
  ahead: 'green',
  behind: 'red',
  no_target: 'default',
};

/** The current year in Shanghai. */
export function shanghaiYear(now = new Date()): number {
  return Number(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now),
  );
}

/** The first year with targets (the 2022 annexes). */
export const FIRST_YEAR = 2022;

/**
 * The years one may pick, newest first: this year (plus `ahead` years, for entering targets
 * before a year begins) back to 2022.
 */
export function selectableYears(now = new Date(), ahead = 0): number[] {
  const years: number[] = [];
  for (let year = Math.max(shanghaiYear(now) + ahead, FIRST_YEAR); year >= FIRST_YEAR; year -= 1) {
    years.push(year);
  }
  return years;
}
