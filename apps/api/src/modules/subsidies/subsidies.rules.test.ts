import { describe, expect, it } from 'vitest';
import { formatClaimNumber, isClaimNumber } from './subsidies.rules.js';

describe('claim numbers', () => {
  it('formats BT, the two-digit year and an 8-digit serial', () => {
    expect(formatClaimNumber(2026, 42)).toBe('BT2600000042');
    expect(formatClaimNumber(2030, 99_999_999)).toBe('BT3099999999');
    expect(isClaimNumber('BT2600000042')).toBe(true);
    expect(isClaimNumber('BT26000042')).toBe(false);
  });

  it('refuses a serial that does not fit 8 digits', () => {
    expect(() => formatClaimNumber(2026, 0)).toThrow(RangeError);
    expect(() => formatClaimNumber(2026, 100_000_000)).toThrow(RangeError);
  });
});
