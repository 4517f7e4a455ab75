import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone } from './mask.js';
import { normalizeIdNumber, normalizePhone } from './normalize.js';

describe('maskIdNumber', () => {
  it.each([
    ['41140219900307123X', '411402********123X'],
    ['411402199003071231', '411402********1231'],
    ['41140219900307123x', '411402********123X'],
    ['４１１４０２１９９００３０７１２３Ｘ', '411402********123X'],
    [' 411402 19900307 123X ', '411402********123X'],
    // malformed values never show more than a well-formed one, and at least half stays hidden
    ['411402900307123', '411*********123'],
    ['41140219900307123', '4114*********7123'],
    ['4114021990030712345', '411402*********2345'],
    ['12345', '1***5'],
    ['123', '***'],
    ['1', '*'],
    ['', ''],
  ])('%j → %j', (input, masked) => {
    expect(maskIdNumber(input)).toBe(masked);
  });
});

describe('maskPhone', () => {
  it.each([
    ['13812341234', '138****1234'],
    ['+86 138-1234-1234', '138****1234'],
    ['0086 13812341234', '138****1234'],
    ['１３８１２３４１２３４', '138****1234'],
    ['010-12345678', '010****5678'],
    ['12345678', '12****78'],
    ['1381234123', '13******23'],
    ['138123412345', '138*****2345'],
    ['1234', '1**4'],
    ['12', '**'],
    ['', ''],
  ])('%j → %j', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });
});

describe('maskName', () => {
  it.each([
    ['张三丰', '张*丰'],
    ['张三', '张*'],
    ['张', '张'],
    ['欧阳娜娜', '欧**娜'],
    ['迪丽热巴·迪力木拉提', '迪********提'],
    [' 李四 ', '李*'],
    ['𠀀𠀁𠀂', '𠀀*𠀂'],
    ['', ''],
  ])('%j → %j', (input, masked) => {
    expect(maskName(input)).toBe(masked);
  });
});

describe('normalizeIdNumber', () => {
  it.each([
    ['41140219900307123X', '41140219900307123X'],
    ['41140219900307123x', '41140219900307123X'],
    ['４１１４０２１９９００３０７１２３ｘ', '41140219900307123X'],
    [' 411402 1990\u30000307\u00a0123X\n', '41140219900307123X'],
    ['\ufeff41140219900307123X\u200b', '41140219900307123X'],
    ['not an id', 'notanid'],
  ])('%j → %j', (input, normalized) => {
    expect(normalizeIdNumber(input)).toBe(normalized);
  });

  it('is idempotent', () => {
    const once = normalizeIdNumber(' ４１１４０２ １９９００３０７１２３ｘ ');
    expect(normalizeIdNumber(once)).toBe(once);
  });
});

describe('normalizePhone', () => {
  it.each([
    ['13812341234', '13812341234'],
    ['138 1234 1234', '13812341234'],
    ['138-1234-1234', '13812341234'],
    ['+86 138 1234 1234', '13812341234'],
    ['+8613812341234', '13812341234'],
    ['008613812341234', '13812341234'],
    ['＋８６ １３８－１２３４－１２３４', '13812341234'],
    ['(010) 1234-5678', '01012345678'],
    ['138—1234—1234', '13812341234'],
  ])('%j → %j', (input, normalized) => {
    expect(normalizePhone(input)).toBe(normalized);
  });

  it('is idempotent', () => {
    const once = normalizePhone('+86 138-1234-1234');
    expect(normalizePhone(once)).toBe(once);
  });
});
