import { normalizeIdNumber, normalizePhone } from './normalize.js';

/**
 * Keeps `prefix` and `suffix` characters and stars the rest, when at least `minHidden` would be
 * starred. Shorter (malformed) values keep at most a quarter at each end, so half of any value
 * stays hidden and a broken value never reveals more characters than a well-formed one.
 * Works on code points so a surrogate pair is never split.
 */
function maskMiddle(value: string, prefix: number, suffix: number, minHidden: number): string {
  const chars = Array.from(value);
  const n = chars.length;
  let keepStart = prefix;
  let keepEnd = suffix;
  if (n < prefix + suffix + minHidden) {
    keepStart = Math.min(prefix, Math.floor(n / 4));
    keepEnd = Math.min(suffix, Math.floor(n / 4));
  }
  return (
    chars.slice(0, keepStart).join('') +
    '*'.repeat(n - keepStart - keepEnd) +
    chars.slice(n - keepEnd).join('')
  );
}

/**
 * Masks a resident ID number for display and logs: the 6-digit region code and the last 4
 * (sequence and check character) stay, the 8-digit birth date is starred —
 * `41140219900307123X` → `411402********123X`. The input is normalised first, so full-width or
 * spaced input masks the same way. Never throws.
 */
export function maskIdNumber(value: string): string {
  return maskMiddle(normalizeIdNumber(value), 6, 4, 8);
}

/**
 * Masks a phone number the way Chinese apps conventionally do: `13812341234` → `138****1234`.
 * The input is normalised first (a `+86` prefix is dropped). Never throws.
 */
export function maskPhone(value: string): string {
  return maskMiddle(normalizePhone(value), 3, 4, 4);
}

/**
 * Masks a personal name for public pages such as certificate verification: the first and last
 * characters stay, the middle is starred (`张三丰` → `张*丰`); a two-character name keeps only the
 * surname (`张三` → `张*`), and a single character is returned unchanged.
 */
export function maskName(value: string): string {
  const chars = Array.from(value.trim());
  if (chars.length <= 1) return chars.join('');
  const first = chars[0] ?? '';
  if (chars.length === 2) return `${first}*`;
  return `${first}${'*'.repeat(chars.length - 2)}${chars.at(-1) ?? ''}`;
}
