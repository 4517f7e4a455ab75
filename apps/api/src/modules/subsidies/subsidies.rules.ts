/**
 * Pure rules of subsidy claims. #7 adds review, payment and the other kinds of claim here.
 */

const CLAIM_NUMBER_PATTERN = /^BT[0-9]{10}$/;

/**
 * The claim number shown to institutions and reviewers: `BT` (补贴), the two-digit year and an
 * 8-digit serial from subsidy_claim_serial_seq, e.g. `BT2600000042`.
 */
export function formatClaimNumber(year: number, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > 99_999_999) {
    throw new RangeError('A claim serial has 8 digits');
  }
  return `BT${String(year % 100).padStart(2, '0')}${String(serial).padStart(8, '0')}`;
}

/** Whether a string is a well-formed claim number. */
export function isClaimNumber(value: string): boolean {
  return CLAIM_NUMBER_PATTERN.test(value);
}
