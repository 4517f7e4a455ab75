import { describe, expect, it } from 'vitest';
import { bindRefusal, type BindCheck } from './vouchers.rules.js';

const OK: BindCheck = {
  state: 'issued',
  validity: { validFrom: '2026-01-01', validTo: '2026-12-31' },
  occupation: { code: '6-01-01-01', level: 4 },
  today: '2026-03-15',
  cls: { occupationCode: '6-01-01-01', open: true },
};

describe('bindRefusal: the checks every binding and the lookup make', () => {
  it('passes an issued voucher inside its window for an open class of its occupation', () => {
    expect(bindRefusal(OK)).toBeNull();
    expect(bindRefusal({ ...OK, today: '2026-12-31' })).toBeNull();
    expect(bindRefusal({ ...OK, occupation: { code: '6-01-00-00', level: 2 } })).toBeNull();
  });

  it.each([
    [{ state: 'bound' as const }, 'VOUCHER_STATE_CONFLICT'],
    [{ state: 'expired' as const }, 'VOUCHER_EXPIRED'],
    [{ today: '2027-01-01' }, 'VOUCHER_EXPIRED'],
    [{ today: '2025-12-31' }, 'VOUCHER_STATE_CONFLICT'],
    [{ pendingBlocks: true }, 'VOUCHER_STATE_CONFLICT'],
    [{ cls: undefined }, 'NOT_FOUND'],
    [{ cls: { occupationCode: '6-01-01-01', open: false } }, 'CLASS_NOT_BINDABLE'],
    [{ cls: { occupationCode: '6-01-01-02', open: true } }, 'VOUCHER_OCCUPATION_MISMATCH'],
  ])('refuses %o with %s', (change, code) => {
    expect(bindRefusal({ ...OK, ...change })?.code).toBe(code);
  });

  it('checks the voucher before the class, and names the class field when it is about it', () => {
    expect(bindRefusal({ ...OK, state: 'cancelled', cls: undefined })?.code).toBe(
      'VOUCHER_STATE_CONFLICT',
    );
    expect(bindRefusal({ ...OK, cls: undefined })?.classIdError).toBe(
      'not a class of your institution',
    );
    expect(bindRefusal({ ...OK, today: '2027-01-01' })?.classIdError).toBeUndefined();
  });
});
