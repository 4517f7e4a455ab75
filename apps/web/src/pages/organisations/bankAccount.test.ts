import { describe, expect, it } from 'vitest';
import { accountDigits, bankAccountProblem } from './OrganisationForm';

describe('the payee bank account as typed', () => {
  const full = { bankName: '中国建设银行商丘分行', bankAccountName: '商丘市测试评价中心' };

  it('accepts all three fields or none', () => {
    expect(bankAccountProblem({})).toBeNull();
    expect(
      bankAccountProblem({ bankName: ' ', bankAccountName: '', bankAccountNo: '' }),
    ).toBeNull();
    expect(bankAccountProblem({ ...full, bankAccountNo: '6217 0000 1234 5678 901' })).toBeNull();
  });

  it('refuses some fields without the others', () => {
    expect(bankAccountProblem({ bankName: '中国建设银行商丘分行' })).toBe('allOrNone');
    expect(bankAccountProblem({ ...full })).toBe('allOrNone');
  });

  it('wants 8 to 32 digits, spaces and hyphens between groups dropped', () => {
    expect(accountDigits('6217-0000 1234')).toBe('621700001234');
    expect(bankAccountProblem({ ...full, bankAccountNo: '1234567' })).toBe('accountNoInvalid');
    expect(bankAccountProblem({ ...full, bankAccountNo: '12345678' })).toBeNull();
    expect(bankAccountProblem({ ...full, bankAccountNo: '1'.repeat(33) })).toBe('accountNoInvalid');
    expect(bankAccountProblem({ ...full, bankAccountNo: '6217A000123456' })).toBe(
      'accountNoInvalid',
    );
  });
});
