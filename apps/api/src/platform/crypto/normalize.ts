/*
 * Canonical forms for values that are blind-indexed. A blind index matches only identical bytes,
 * so every spelling a clerk or an Excel import can produce for one ID number must collapse to one
 * string first, or the same person is registered twice. Validation (GB 11643 checksum, length) is
 * deliberately not done here: these functions never reject, they only canonicalise.
 */

// Whitespace of every kind (incl. U+3000 ideographic space and NBSP) and invisible format
// characters (U+200B zero-width space, U+FEFF BOM) that ride along when text is copied out of
// Word, WeChat or spreadsheets.
const INVISIBLE = /[\s\p{Cf}]+/gu;
// Dashes and brackets people put in phone numbers: 138-1234-1234, (010) 1234 5678.
const PHONE_PUNCTUATION = /[\p{Pd}()]+/gu;

/**
 * Canonical form of a resident ID number: NFKC (full-width `４１１４…ｘ` becomes `4114…x`), all
 * whitespace and invisible characters removed, a lowercase check character `x` made `X`.
 */
export function normalizeIdNumber(raw: string): string {
  return raw.normalize('NFKC').replace(INVISIBLE, '').replace(/x/g, 'X');
}

/**
 * Canonical form of a phone number: NFKC, whitespace, dashes and brackets removed, and a leading
 * country code `+86` or `0086` dropped, so `+86 138-1234-1234` and `13812341234` index alike.
 */
export function normalizePhone(raw: string): string {
  const compact = raw.normalize('NFKC').replace(INVISIBLE, '').replace(PHONE_PUNCTUATION, '');
  if (compact.startsWith('+86')) return compact.slice(3);
  if (compact.startsWith('0086')) return compact.slice(4);
  return compact;
}

/** A mainland mobile number (11 digits from 13–19), after `normalizePhone`. */
export function isMobilePhone(normalized: string): boolean {
  return /^1[3-9][0-9]{9}$/.test(normalized);
}
