import { describe, expect, it } from 'vitest';
import { mergeSearchParams, readPositiveInt } from './searchParams';

describe('readPositiveInt', () => {
  const params = new URLSearchParams('page=3&bad=x&zero=0&neg=-2&float=1.5');

  it('reads a positive integer', () => {
    expect(readPositiveInt(params, 'page', 1)).toBe(3);
  });

  it('falls back when the value is missing or not a positive integer', () => {
    for (const name of ['missing', 'bad', 'zero', 'neg', 'float']) {
      expect(readPositiveInt(params, name, 1), name).toBe(1);
    }
  });
});

describe('mergeSearchParams', () => {
  it('sets, replaces and keeps values', () => {
    const next = mergeSearchParams(new URLSearchParams('q=厨&page=2&x=1'), { q: '中式烹调师' });
    expect(next.get('q')).toBe('中式烹调师');
    expect(next.get('page')).toBe('2');
    expect(next.get('x')).toBe('1');
  });

  it('drops empty values and values equal to their default, keeping URLs short', () => {
    const next = mergeSearchParams(
      new URLSearchParams('q=厨&page=2&pageSize=50'),
      { q: '', page: undefined, pageSize: 20 },
      { page: 1, pageSize: 20 },
    );
    expect(next.toString()).toBe('');
  });

  it('does not change the params it was given', () => {
    const params = new URLSearchParams('page=2');
    mergeSearchParams(params, { page: 3 });
    expect(params.get('page')).toBe('2');
  });
});
