import { describe, expect, it } from 'vitest';
import {
  MAX_ERROR_LENGTH,
  describeJobError,
  latestOccurrence,
  parseCron,
  retryDelayMs,
  scheduleDedupeKey,
} from './jobs.rules.js';

describe('retryDelayMs', () => {
  it('doubles the wait after each failed attempt', () => {
    const policy = { baseMs: 1000, maxMs: 1_000_000 };
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, policy))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('never waits longer than the ceiling', () => {
    expect(retryDelayMs(50, { baseMs: 1000, maxMs: 60_000 })).toBe(60_000);
    expect(retryDelayMs(10_000)).toBe(60 * 60_000);
  });
});

describe('describeJobError', () => {
  it('keeps the error name and message but not the stack', () => {
    const error = new TypeError('payload.voucherId is missing');
    const text = describeJobError(error);
    expect(text).toBe('TypeError: payload.voucherId is missing');
    expect(text).not.toContain('at ');
  });

  it('includes the error code and the cause', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    expect(describeJobError(new Error('report failed', { cause }))).toBe(
      'Error: report failed ← caused by: Error [ECONNREFUSED]: connect ECONNREFUSED 127.0.0.1:5432',
    );
  });

  it('blanks credentials in URLs and secret parameters', () => {
    const text = describeJobError(
      new Error('cannot reach postgres://jineng:s3cret@db.example:5432/x?password=hunter2'),
    );
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('hunter2');
    expect(text).toBe('Error: cannot reach postgres://***@db.example:5432/x?password=***');
  });

  it(`cuts long messages to ${MAX_ERROR_LENGTH} characters`, () => {
    const text = describeJobError(new Error('x'.repeat(10_000)));
    expect(text).toHaveLength(MAX_ERROR_LENGTH);
    expect(text.endsWith('…')).toBe(true);
  });

  it('describes thrown values that are not errors', () => {
    expect(describeJobError('plain string')).toBe('plain string');
    expect(describeJobError({ reason: 'quota' })).toBe('{"reason":"quota"}');
    expect(describeJobError(undefined)).toBe('Unknown error');
  });
});

describe('latestOccurrence', () => {
  // 02:00 in Shanghai (UTC+8, no daylight saving) is 18:00 UTC the previous day.
  const daily = parseCron('0 2 * * *');

  it('finds nothing before the next occurrence', () => {
    expect(
      latestOccurrence(daily, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T17:59:59Z')),
    ).toBeUndefined();
  });

  it('counts an occurrence exactly at now as due', () => {
    expect(
      latestOccurrence(daily, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T18:00:00Z')),
    ).toEqual(new Date('2030-01-01T18:00:00Z'));
  });

  it('does not return the occurrence it was last scheduled for', () => {
    expect(
      latestOccurrence(daily, new Date('2030-01-01T18:00:00Z'), new Date('2030-01-02T17:00:00Z')),
    ).toBeUndefined();
  });

  it('returns only the most recent of several missed occurrences', () => {
    expect(
      latestOccurrence(daily, new Date('2030-01-01T18:00:00Z'), new Date('2030-01-05T03:00:00Z')),
    ).toEqual(new Date('2030-01-04T18:00:00Z'));
  });

  it('reads monthly and quarterly expressions in Shanghai time', () => {
    // 06:00 on the 1st of each quarter in Shanghai is 22:00 UTC on the last day of the month before.
    const quarterly = parseCron('0 6 1 1,4,7,10 *');
    expect(
      latestOccurrence(
        quarterly,
        new Date('2030-01-15T00:00:00Z'),
        new Date('2030-08-01T00:00:00Z'),
      ),
    ).toEqual(new Date('2030-06-30T22:00:00Z'));
  });
});

describe('parseCron', () => {
  it('refuses an invalid expression with a readable message', () => {
    expect(() => parseCron('every day')).toThrow(/Invalid cron expression "every day"/);
    expect(() => parseCron('0 25 * * *')).toThrow(/Invalid cron expression/);
  });
});

describe('scheduleDedupeKey', () => {
  it('names the schedule and the occurrence instant', () => {
    expect(scheduleDedupeKey('voucher-expiry', new Date('2030-01-01T18:00:00Z'))).toBe(
      'schedule:voucher-expiry:2030-01-01T18:00:00.000Z',
    );
  });
});
