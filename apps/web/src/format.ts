import dayjs from 'dayjs';
import type { Locale } from './i18n';

const formatters = new Map<Locale, Intl.NumberFormat>();

/** A count of persons or person-times with thousands separators, e.g. 4480 → "4,480". */
export function formatCount(value: number, locale: Locale): string {
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { maximumFractionDigits: 0, useGrouping: true });
    formatters.set(locale, formatter);
  }
  return formatter.format(value);
}

/** An instant in the browser's time zone, to the minute (or second): 2026-11-28 21:27. */
export function formatDateTime(iso: string, withSeconds = false): string {
  return dayjs(iso).format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm');
}

/** Today in Shanghai, `YYYY-MM-DD`: the API's civil dates are Shanghai's. */
export function shanghaiToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** This month in Shanghai, `YYYY-MM`, as the API counts reporting months. */
export function shanghaiMonth(now = new Date()): string {
  return shanghaiToday(now).slice(0, 7);
}
