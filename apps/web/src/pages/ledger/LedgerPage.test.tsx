// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrialBalance } from '../../api/evaluations';
import type { Me } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, renderAt, serve } from '../../test/fakeServer';

const finance: Me = {
  id: '01a22256-7655-7267-86fe-cdd2f59e4c8d',
  username: 'caiwu',
  displayName: '财务科',
  role: 'finance',
  scope: { kind: 'city' },
  permissions: ['subsidies.read', 'ledger.read'],
  mustChangePassword: false,
};

const ORG_ID = '01a22256-0000-7267-86fe-cdd2f59e4c8d';

const BALANCED: TrialBalance = {
  accounts: [
    {
      accountId: '01a22256-aa01-7267-86fe-cdd2f59e4c8d',
      kind: 'fund_expense',
      fundCode: 'employment_subsidy',
      organisationId: null,
      organisationName: null,
      name: '就业补助资金 补贴支出',
      debitFen: 144_000,
      creditFen: 0,
      balanceFen: 144_000,
    },
    {
      accountId: '01a22256-aa02-7267-86fe-cdd2f59e4c8d',
      kind: 'payable',
      fundCode: 'employment_subsidy',
      organisationId: ORG_ID,
      organisationName: '商丘市职业培训学校',
      name: '应付 商丘市职业培训学校',
      debitFen: 0,
      creditFen: 144_000,
      balanceFen: -144_000,
    },
  ],
  total: { debitFen: 144_000, creditFen: 144_000, balanceFen: 0 },
};

beforeEach(() => {
  fillJsdomGaps();
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function serveBalance(balance: TrialBalance) {
  return serve(({ url }) => {
    if (url.pathname === '/api/auth/me') return json(finance);
    if (url.pathname === '/api/ledger/trial-balance') return json(balance);
    return undefined;
  });
}

describe('the trial balance', () => {
  it('shows every account in yuan, the totals and that the books balance', async () => {
    serveBalance(BALANCED);
    renderAt('/ledger');
    expect(await screen.findByText('应付 商丘市职业培训学校')).toBeTruthy();
    const payable = screen.getByText('应付 商丘市职业培训学校').closest('tr') as HTMLElement;
    expect(within(payable).getByText('应付款')).toBeTruthy();
    expect(within(payable).getByText('就业补助资金')).toBeTruthy();
    expect(within(payable).getByText('-1440.00')).toBeTruthy();

    const total = screen.getByTestId('ledger-total');
    expect(within(total).getByText('合计')).toBeTruthy();
    expect(within(total).getAllByText('1440.00')).toHaveLength(2);
    expect(within(total).getByText('0.00')).toBeTruthy();
    const tag = screen.getByTestId('ledger-balanced');
    expect(tag.textContent).toBe('借贷平衡');
    expect(tag.className).toMatch(/green/);
  }, 30_000);

  it('says so in red when the totals do not balance', async () => {
    serveBalance({ ...BALANCED, total: { debitFen: 144_000, creditFen: 143_999, balanceFen: 1 } });
    renderAt('/ledger');
    const tag = await screen.findByTestId('ledger-balanced');
    expect(tag.textContent).toBe('借贷不平衡');
    expect(tag.className).toMatch(/red/);
  }, 30_000);
});
