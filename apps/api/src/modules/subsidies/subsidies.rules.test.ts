import { describe, expect, it } from 'vitest';
import {
  formatClaimNumber,
  isBalanced,
  isClaimNumber,
  reviewTransition,
} from './subsidies.rules.js';

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

describe('the review workflow', () => {
  const county = { userId: 'u-county', role: 'county_admin' };
  const city = { userId: 'u-city', role: 'city_admin' };
  const submitted = { status: 'submitted', flagged: false, firstReviewedBy: null };
  const firstApproved = { status: 'first_approved', flagged: false, firstReviewedBy: 'u-county' };

  it('moves submitted → first_approved → approved, rejecting at either stage', () => {
    expect(reviewTransition(submitted, county, 'approve')).toEqual({
      ok: true,
      stage: 'first',
      action: 'first_approve',
      to: 'first_approved',
    });
    expect(reviewTransition(firstApproved, city, 'approve')).toEqual({
      ok: true,
      stage: 'final',
      action: 'approve',
      to: 'approved',
    });
    expect(reviewTransition(submitted, county, 'reject')).toMatchObject({
      ok: true,
      to: 'rejected',
    });
    expect(reviewTransition(firstApproved, city, 'reject')).toMatchObject({
      ok: true,
      stage: 'final',
      to: 'rejected',
    });
  });

  it('keeps four eyes and leaves the final review to the city', () => {
    const byCity = { ...firstApproved, firstReviewedBy: 'u-city' };
    expect(reviewTransition(byCity, city, 'approve')).toMatchObject({ code: 'SAME_REVIEWER' });
    expect(reviewTransition(byCity, city, 'reject')).toMatchObject({ code: 'SAME_REVIEWER' });
    const otherCounty = { userId: 'u-county-2', role: 'county_admin' };
    expect(reviewTransition(firstApproved, otherCounty, 'approve')).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('never approves a flagged claim, and reviews nothing past approval', () => {
    expect(reviewTransition({ ...submitted, flagged: true }, county, 'approve')).toMatchObject({
      code: 'CLAIM_FLAGGED',
    });
    expect(reviewTransition({ ...submitted, flagged: true }, county, 'reject')).toMatchObject({
      ok: true,
    });
    for (const status of ['approved', 'rejected', 'reversed']) {
      expect(reviewTransition({ ...submitted, status }, city, 'approve')).toMatchObject({
        code: 'CLAIM_STATE_CONFLICT',
      });
    }
  });
});

describe('balanced ledger entries', () => {
  it('needs two or more non-zero integer lines summing to zero', () => {
    expect(isBalanced([24_000, -24_000])).toBe(true);
    expect(isBalanced([100, 50, -150])).toBe(true);
    expect(isBalanced([100, -99])).toBe(false);
    expect(isBalanced([0, 0])).toBe(false);
    expect(isBalanced([])).toBe(false);
    expect(isBalanced([0.5, -0.5])).toBe(false);
  });
});
