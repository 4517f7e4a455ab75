import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  // The generator keeps per-process state (last millisecond, counter); a fresh module per test
  // keeps one test's mocked clock from leaking into the next.
  let ids: typeof import('./ids.js');
  beforeEach(async () => {
    vi.resetModules();
    ids = await import('./ids.js');
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('makes RFC 9562 version 7, variant 10 ids', () => {
    for (let i = 0; i < 1000; i += 1) {
      expect(ids.uuidv7()).toMatch(UUID_V7);
    }
  });

  it('encodes the current Unix millisecond in the first 48 bits', () => {
    const ms = Date.UTC(2030, 0, 2, 3, 4, 5, 678);
    vi.spyOn(Date, 'now').mockReturnValue(ms);
    const id = ids.uuidv7();
    expect(id.replace(/-/g, '').slice(0, 12)).toBe(ms.toString(16).padStart(12, '0'));
    expect(ids.uuidv7Timestamp(id).toISOString()).toBe('2030-01-02T03:04:05.678Z');
  });

  it('keeps ids unique and strictly increasing within one millisecond', () => {
    const ms = Date.UTC(2031, 5, 1);
    vi.spyOn(Date, 'now').mockReturnValue(ms);
    const made = Array.from({ length: 5000 }, () => ids.uuidv7());
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
    expect(made.every((id) => ids.uuidv7Timestamp(id).getTime() === ms)).toBe(true);
  });

  it('never goes backwards when the system clock steps back', () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2032, 0, 1, 12));
    const before = ids.uuidv7();
    now.mockReturnValue(Date.UTC(2032, 0, 1, 11));
    const after = ids.uuidv7();
    expect(after > before).toBe(true);
  });

  it('sorts ids made in later milliseconds after earlier ones', () => {
    const now = vi.spyOn(Date, 'now');
    const made: string[] = [];
    for (let ms = 0; ms < 100; ms += 1) {
      now.mockReturnValue(Date.UTC(2033, 0, 1) + ms);
      made.push(ids.uuidv7(), ids.uuidv7());
    }
    expect([...made].sort()).toEqual(made);
  });
});
