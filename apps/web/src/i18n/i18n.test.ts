// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { en } from './en';
import { LOCALE_STORAGE_KEY, readStoredLocale, translate } from './index';
import { zhCN } from './zh-CN';

afterEach(() => localStorage.clear());

describe('messages', () => {
  it('has an English text for every Chinese key and no other', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
    }
  });
});

describe('translate', () => {
  it('fills placeholders', () => {
    expect(translate('zh-CN', 'common.total', { total: 2048 })).toBe('共 2048 条');
    expect(translate('en', 'common.total', { total: 2048 })).toBe('2048 in total');
  });

  it('leaves a placeholder without a value as written', () => {
    expect(translate('en', 'common.total')).toBe('{total} in total');
  });
});

describe('readStoredLocale', () => {
  it('defaults to Chinese', () => {
    expect(readStoredLocale()).toBe('zh-CN');
  });

  it('returns a saved choice', () => {
    localStorage.setItem(LOCALE_STORAGE_KEY, 'en');
    expect(readStoredLocale()).toBe('en');
  });

  it('ignores a value it does not know', () => {
    localStorage.setItem(LOCALE_STORAGE_KEY, 'fr');
    expect(readStoredLocale()).toBe('zh-CN');
  });
});
