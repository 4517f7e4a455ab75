// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Claim } from '../../api/evaluations';
import type { BatchDetail, BuiltBatch, PaymentLine } from '../../api/payments';
import type { Me, Region } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, renderAt, serve, type Handle, type Sent } from '../../test/fakeServer';

const finance: Me = {
  id: '01a22256-7655-7267-86fe-cdd2f59e4c8d',
  username: 'caiwu',
  displayName: '财务科',
  role: 'finance',
  scope: { kind: 'city' },
  permissions: [
    'subsidies.read',
    'ledger.read',
    'ledger.statement',
    'payments.read',
    'payments.manage',
  ],
  mustChangePassword: false,
};

const county = (code: string, name: string): Region => ({
  code,
  name,
  level: 3,
  levelName: 'county',
  parentCode: '411400',
  statisticsOnly: false,
  isLocalUnit: false,
  hasChildren: true,
});

const PAYEE = '01a22256-0000-7267-86fe-cdd2f59e4c8d';
const BATCH_ID = '01a22256-ba01-7267-86fe-cdd2f59e4c8d';
const ids = [
  '01a22256-c101-7267-86fe-cdd2f59e4c8d',
  '01a22256-c102-7267-86fe-cdd2f59e4c8d',
  '01a22256-c103-7267-86fe-cdd2f59e4c8d',
];

function claim(index: number, amountFen: number, overrides: Partial<Claim> = {}): Claim {
  return {
    id: ids[index] as string,
    number: `BT260000010${index + 1}`,
    kind: 'evaluation',
    status: 'approved',
    payeeOrganisationId: PAYEE,
    payeeName: '商丘市测试评价中心',
    personId: '01a22256-9999-7267-86fe-cdd2f59e4c8d',
    personName: `劳动者${index + 1}`,
    personIdNumberMasked: '411402********0011',
    amountFen,
    voucherId: null,
    classId: null,
    certificateId: null,
    evidence: {},
    flagged: false,
    flaggedAt: null,
    flagReason: null,
    regionCode: '411403',
    occupationCode: '6-18-01-01',
    skillLevelKey: 'level4',
    specialAbilityId: null,
    firstReviewedBy: null,
    firstReviewedAt: null,
    approvedBy: null,
    approvedAt: '2026-04-02T01:00:00.000Z',
    fundCode: 'employment_subsidy',
    rejectedBy: null,
    rejectedAt: null,
    rejectionReason: null,
    reversedAt: null,
    reversalReason: null,
    employmentId: null,
    placementId: null,
    basisDate: null,
    payerRegionCode: null,
    paidAt: null,
    clawedBackAt: null,
    clawbackReason: null,
    version: 3,
    createdAt: '2026-04-01T01:00:00.000Z',
    updatedAt: '2026-04-02T01:00:00.000Z',
    ...overrides,
  };
}

const APPROVED = [claim(0, 24_000), claim(1, 12_345), claim(2, 20_000, { flagged: true })];

function line(
  lineNo: number,
  amountFen: number,
  overrides: Partial<PaymentLine> = {},
): PaymentLine {
  return {
    id: `01a22256-11${lineNo}0-7267-86fe-cdd2f59e4c8d`,
    lineNo,
    claimId: ids[lineNo - 1] as string,
    claimNumber: `BT260000010${lineNo}`,
    claimKind: 'evaluation',
    claimStatus: 'in_batch',
    payeeOrganisationId: PAYEE,
    payeeName: '商丘市测试评价中心',
    personName: `劳动者${lineNo}`,
    personIdNumberMasked: '411402********0011',
    amountFen,
    bankName: '中国建设银行商丘分行',
    bankAccountName: '商丘市测试评价中心',
    bankAccountNo: '6217000012345678901',
    status: 'pending',
    bankReference: null,
    failureReason: null,
    settledAt: null,
    ...overrides,
  };
}

const BATCH: BatchDetail = {
  id: BATCH_ID,
  number: 'ZF2600000007',
  fundCode: 'employment_subsidy',
  fundName: '就业补助资金',
  payerRegionCode: null,
  payerName: '商丘市',
  status: 'exported',
  lineCount: 2,
  totalFen: 36_345,
  pendingCount: 2,
  paidCount: 0,
  failedCount: 0,
  paidFen: 0,
  note: null,
  createdBy: finance.id,
  createdAt: '2026-04-03T01:00:00.000Z',
  exportedAt: '2026-04-03T02:00:00.000Z',
  exportedBy: finance.id,
  settledAt: null,
  lines: [line(1, 24_000), line(2, 12_345)],
};

function paymentsApi(extra: Handle = () => undefined): Handle {
  return (request) => {
    const answered = extra(request);
    if (answered) return answered;
    const { method, url } = request;
    const path = url.pathname;
    if (path === '/api/auth/me') return json(finance);
    if (path === '/api/regions') return json({ items: [county('411403', '睢阳区')] });
    if (method === 'GET' && path === '/api/payment-batches') {
      return json({ items: [], total: 0, page: 1, pageSize: 20 });
    }
    if (method === 'GET' && path === '/api/subsidy-claims') {
      const q = url.searchParams;
      const match =
        q.get('status') === 'approved' &&
        q.get('fundCode') === 'employment_subsidy' &&
        q.get('payerRegionCode') === 'city';
      return json({ items: match ? APPROVED : [], total: match ? 3 : 0, page: 1, pageSize: 100 });
    }
    if (method === 'GET' && path === `/api/payment-batches/${BATCH_ID}`) return json(BATCH);
    return undefined;
  };
}

beforeEach(() => {
  fillJsdomGaps();
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function choose(container: HTMLElement, label: string, option: string) {
  fireEvent.mouseDown(await within(container).findByLabelText(label));
  const options = await screen.findAllByTitle(option);
  fireEvent.click(options[options.length - 1] as HTMLElement);
}

const posts = (sent: Sent[]) =>
  sent.filter((r) => r.method === 'POST').map((r) => ({ path: r.path, body: r.body }));

describe('the batch builder', () => {
  it('lists the approved claims of the fund and payer, totals the ticked ones and names the skipped', async () => {
    const built: BuiltBatch = {
      ...BATCH,
      status: 'open',
      exportedAt: null,
      exportedBy: null,
      lineCount: 1,
      totalFen: 24_000,
      pendingCount: 1,
      lines: [line(1, 24_000)],
      skipped: [
        { claimId: ids[2] as string, number: 'BT2600000103', reason: 'FLAGGED' },
        { claimId: ids[1] as string, number: 'BT2600000102', reason: 'NO_BANK_ACCOUNT' },
      ],
    };
    const sent = serve(
      paymentsApi(({ method, url }) =>
        method === 'POST' && url.pathname === '/api/payment-batches' ? json(built, 201) : undefined,
      ),
    );
    renderAt('/payments');
    fireEvent.click(await screen.findByRole('button', { name: /新建支付批次/ }));
    const drawer = await screen.findByRole('dialog');
    await choose(drawer, '支付资金', '就业补助资金');
    await choose(drawer, '付款方', '市级');

    await within(drawer).findByText('BT2600000101');
    const total = within(drawer).getByTestId('builder-total');
    await waitFor(() => expect(total.textContent).toBe('已选 3 笔，合计 ¥563.45'));
    const flaggedRow = within(drawer).getByText('BT2600000103').closest('tr') as HTMLElement;
    expect(within(flaggedRow).getByText('已标记')).toBeTruthy();

    // Untick the second claim: the total follows.
    const second = within(drawer).getByText('BT2600000102').closest('tr') as HTMLElement;
    fireEvent.click(within(second).getByRole('checkbox'));
    await waitFor(() => expect(total.textContent).toBe('已选 2 笔，合计 ¥440.00'));
    fireEvent.click(within(second).getByRole('checkbox'));
    await waitFor(() => expect(total.textContent).toBe('已选 3 笔，合计 ¥563.45'));

    fireEvent.click(within(drawer).getByRole('button', { name: '创建支付批次' }));
    const summary = await within(drawer).findByTestId('built-summary');
    expect(
      within(summary).getByText('已创建支付批次 ZF2600000007：1 笔，合计 ¥240.00。'),
    ).toBeTruthy();
    const skipped = within(summary).getByTestId('skipped');
    expect(
      within(skipped)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'BT2600000103：已标记（如证书已撤销），不能支付',
      'BT2600000102：收款单位缺少收款账户',
    ]);
    expect(posts(sent)).toEqual([
      {
        path: '/api/payment-batches',
        body: { fundCode: 'employment_subsidy', payerRegionCode: null, claimIds: ids },
      },
    ]);
  }, 30_000);

  it('asks for the fund and payer before listing anything, and sends a county as the payer', async () => {
    const sent = serve(paymentsApi());
    renderAt('/payments');
    fireEvent.click(await screen.findByRole('button', { name: /新建支付批次/ }));
    const drawer = await screen.findByRole('dialog');
    expect(
      within(drawer).getByText('请选择支付资金和付款方，列出可支付的已审核申请。'),
    ).toBeTruthy();
    await choose(drawer, '支付资金', '就业补助资金');
    await choose(drawer, '付款方', '睢阳区');
    expect(await within(drawer).findByText('该资金和付款方暂无已审核待支付的申请。')).toBeTruthy();
    expect(sent.filter((r) => r.path.startsWith('/api/subsidy-claims')).map((r) => r.path)).toEqual(
      [
        '/api/subsidy-claims?status=approved&fundCode=employment_subsidy&payerRegionCode=411403&page=1&pageSize=100',
      ],
    );
    fireEvent.click(within(drawer).getByRole('button', { name: '创建支付批次' }));
    expect(await within(drawer).findByText('请至少勾选一笔申请。')).toBeTruthy();
    expect(posts(sent)).toEqual([]);
  }, 30_000);
});

describe('recording payment results', () => {
  it('requires a reason for a failed line and sends each outcome', async () => {
    const answer = {
      ...BATCH,
      status: 'settled' as const,
      pendingCount: 0,
      paidCount: 1,
      failedCount: 1,
      paidFen: 24_000,
      lines: [
        line(1, 24_000, { status: 'paid', bankReference: 'HX001' }),
        line(2, 12_345, { status: 'failed', failureReason: '账户已销户' }),
      ],
      paid: 1,
      failed: 1,
      unchanged: 0,
    };
    let recorded = false;
    const sent = serve(
      paymentsApi(({ method, url }) => {
        if (url.pathname === `/api/payment-batches/${BATCH_ID}/results` && method === 'POST') {
          recorded = true;
          return json(answer);
        }
        if (url.pathname === `/api/payment-batches/${BATCH_ID}` && recorded) return json(answer);
        return undefined;
      }),
    );
    renderAt(`/payments/${BATCH_ID}`);
    expect((await screen.findByTestId('batch-status')).textContent).toBe('已导出');
    fireEvent.click(screen.getByRole('button', { name: '登记支付结果' }));
    const dialog = await screen.findByRole('dialog');
    const row = (no: string) =>
      within(dialog).getByText(`BT260000010${no}`).closest('tr') as HTMLElement;
    fireEvent.click(within(row('1')).getByLabelText('成功'));
    fireEvent.change(within(dialog).getByLabelText('银行流水号（选填） 1'), {
      target: { value: ' HX001 ' },
    });
    fireEvent.click(within(row('2')).getByLabelText('失败'));
    fireEvent.click(within(dialog).getByRole('button', { name: '提交结果' }));
    expect(await within(dialog).findByText('支付失败须填写原因')).toBeTruthy();
    expect(posts(sent)).toEqual([]);

    fireEvent.change(within(dialog).getByLabelText('失败原因 2'), {
      target: { value: '账户已销户' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: '提交结果' }));
    await waitFor(() => expect(screen.getByTestId('batch-status').textContent).toBe('已结清'));
    expect(posts(sent)).toEqual([
      {
        path: `/api/payment-batches/${BATCH_ID}/results`,
        body: {
          lines: [
            { lineNo: 1, outcome: 'paid', bankReference: 'HX001' },
            { lineNo: 2, outcome: 'failed', reason: '账户已销户' },
          ],
        },
      },
    ]);
    expect(screen.getByText('账户已销户')).toBeTruthy();
  }, 30_000);

  it('marks every pending line paid at once', async () => {
    const sent = serve(
      paymentsApi(({ method, url }) =>
        method === 'POST' && url.pathname === `/api/payment-batches/${BATCH_ID}/results`
          ? json({ ...BATCH, paid: 2, failed: 0, unchanged: 0 })
          : undefined,
      ),
    );
    renderAt(`/payments/${BATCH_ID}`);
    fireEvent.click(await screen.findByRole('button', { name: '登记支付结果' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: '全部成功' }));
    fireEvent.click(within(dialog).getByRole('button', { name: '提交结果' }));
    await waitFor(() =>
      expect(posts(sent)).toEqual([
        {
          path: `/api/payment-batches/${BATCH_ID}/results`,
          body: {
            lines: [
              { lineNo: 1, outcome: 'paid' },
              { lineNo: 2, outcome: 'paid' },
            ],
          },
        },
      ]),
    );
  }, 30_000);
});
