import { describe, expect, it } from 'vitest';
import {
  batchSkipReason,
  fenToYuan,
  formatBatchNumber,
  parseResultRows,
  runningBalances,
  settleLine,
  type BatchCandidate,
} from './subsidies.payments.rules.js';

const batch = { fundCode: 'employment_subsidy', payerRegionCode: null };
const payable: BatchCandidate = {
  status: 'approved',
  flagged: false,
  fundCode: 'employment_subsidy',
  payerRegionCode: null,
  amountFen: 24_000,
  payeeHasBankAccount: true,
};

describe('batch numbers', () => {
  it('is ZF, the two-digit year and an 8-digit serial', () => {
    expect(formatBatchNumber(2026, 7)).toBe('ZF2600000007');
    expect(formatBatchNumber(2030, 99_999_999)).toBe('ZF3099999999');
    expect(() => formatBatchNumber(2026, 0)).toThrow(RangeError);
    expect(() => formatBatchNumber(2026, 100_000_000)).toThrow(RangeError);
  });
});

describe('which claims go into a batch', () => {
  it('takes an approved, unflagged claim of the fund and payer whose payee has an account', () => {
    expect(batchSkipReason(payable, batch)).toBeNull();
  });

  it('names why a claim is left out', () => {
    expect(batchSkipReason({ ...payable, fundCode: 'fiscal' }, batch)).toBe('OTHER_FUND');
    expect(batchSkipReason({ ...payable, payerRegionCode: '411481' }, batch)).toBe('OTHER_FUND');
    expect(batchSkipReason({ ...payable, status: 'in_batch' }, batch)).toBe('NOT_APPROVED');
    expect(batchSkipReason({ ...payable, status: 'paid' }, batch)).toBe('NOT_APPROVED');
    expect(batchSkipReason({ ...payable, status: 'first_approved', fundCode: null }, batch)).toBe(
      'NOT_APPROVED',
    );
    expect(batchSkipReason({ ...payable, amountFen: 0 }, batch)).toBe('NOT_APPROVED');
    expect(batchSkipReason({ ...payable, flagged: true }, batch)).toBe('FLAGGED');
    expect(batchSkipReason({ ...payable, payeeHasBankAccount: false }, batch)).toBe(
      'NO_BANK_ACCOUNT',
    );
  });
});

describe('a bank result for a line', () => {
  it('settles a pending line, ignores the same outcome again, refuses the other', () => {
    expect(settleLine('pending', 'paid')).toEqual({ ok: true, change: 'settle' });
    expect(settleLine('pending', 'failed')).toEqual({ ok: true, change: 'settle' });
    expect(settleLine('paid', 'paid')).toEqual({ ok: true, change: 'unchanged' });
    expect(settleLine('failed', 'failed')).toEqual({ ok: true, change: 'unchanged' });
    expect(settleLine('paid', 'failed')).toMatchObject({ ok: false, code: 'LINE_ALREADY_SETTLED' });
    expect(settleLine('failed', 'paid')).toMatchObject({ ok: false, code: 'LINE_ALREADY_SETTLED' });
  });
});

describe('amounts and statements', () => {
  it('shows fen as yuan exact to the fen', () => {
    expect(fenToYuan(24_000)).toBe(240);
    expect(fenToYuan(12_345)).toBe(123.45);
    expect(Math.round(fenToYuan(1) * 100)).toBe(1);
    expect(() => fenToYuan(0.5)).toThrow(RangeError);
  });

  it('runs the balance as debits − credits', () => {
    expect(
      runningBalances([{ amountFen: -24_000 }, { amountFen: 24_000 }, { amountFen: 5_000 }]),
    ).toEqual([
      { amountFen: -24_000, debitFen: 0, creditFen: 24_000, balanceFen: -24_000 },
      { amountFen: 24_000, debitFen: 24_000, creditFen: 0, balanceFen: 0 },
      { amountFen: 5_000, debitFen: 5_000, creditFen: 0, balanceFen: 5_000 },
    ]);
  });
});

describe('the bank’s results workbook', () => {
  const row = (rowNumber: number, ...cells: string[]) => ({ rowNumber, cells });

  it('finds the header, reads 成功/失败 and passes over the total row', () => {
    expect(
      parseResultRows([
        row(1, '支付批次 ZF2600000001'),
        row(2, '序号', '结果', '银行流水号', '失败原因'),
        row(3, '1', '成功', 'R1', ''),
        row(4, '2', '失败', '', '户名不符'),
        row(5, '合计', '', '', ''),
      ]),
    ).toEqual({
      ok: true,
      lines: [
        { lineNo: 1, outcome: 'paid', bankReference: 'R1' },
        { lineNo: 2, outcome: 'failed', reason: '户名不符' },
      ],
    });
  });

  it('names the rows it cannot read', () => {
    expect(parseResultRows([row(1, '序号', '金额')])).toMatchObject({ ok: false });
    expect(
      parseResultRows([
        row(1, '序号', '结果', '失败原因'),
        row(2, '1', '失败', ''),
        row(3, '2', '?', ''),
      ]),
    ).toEqual({
      ok: false,
      errors: [
        { path: '/file/rows/2', message: '失败原因 is required for 失败' },
        { path: '/file/rows/3', message: '结果 must be 成功 or 失败, not “?”' },
      ],
    });
    expect(parseResultRows([row(1, '序号', '结果')])).toEqual({
      ok: false,
      errors: [{ path: '/file', message: 'no result rows' }],
    });
  });
});
