// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Claim, ClaimEvent } from '../../api/evaluations';
import type { Me } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';

const cityAdmin: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'admin',
  displayName: '市人社局管理员',
  role: 'city_admin',
  scope: { kind: 'city' },
  permissions: ['subsidies.read', 'subsidies.review', 'ledger.read'],
  mustChangePassword: false,
};

const countyAdmin: Me = {
  ...cityAdmin,
  id: '01a22256-7654-7267-86fe-cdd2f59e4c8d',
  username: 'suiyang',
  displayName: '睢阳区人社局管理员',
  role: 'county_admin',
  scope: { kind: 'region', regionCode: '411403' },
  permissions: ['subsidies.read', 'subsidies.review'],
};

const TRAINING_ID = '01a22256-c1a1-7267-86fe-cdd2f59e4c8d';
const EVALUATION_ID = '01a22256-c1a2-7267-86fe-cdd2f59e4c8d';

function claim(overrides: Partial<Claim>): Claim {
  return {
    id: TRAINING_ID,
    number: 'BT2600000042',
    kind: 'training',
    status: 'first_approved',
    payeeOrganisationId: '01a22256-0000-7267-86fe-cdd2f59e4c8d',
    payeeName: '商丘市职业培训学校',
    personId: '01a22256-9999-7267-86fe-cdd2f59e4c8d',
    personName: '张三明',
    personIdNumberMasked: '411402********1234',
    amountFen: 120_000,
    voucherId: '01a22256-a001-7267-86fe-cdd2f59e4c8d',
    classId: '01a22256-b001-7267-86fe-cdd2f59e4c8d',
    certificateId: '01a22256-d001-7267-86fe-cdd2f59e4c8d',
    evidence: {
      voucherNumber: 'SQ2600000001',
      valueFen: 150_000,
      subsidyStandardFen: 120_000,
      rule: 'min(valueFen, subsidyStandardFen)',
      classId: '01a22256-b001-7267-86fe-cdd2f59e4c8d',
      className: '家政服务员（中级）第 3 期',
      classEndsAt: '2026-03-20T10:00:00.000Z',
      completedAt: '2026-03-21T02:00:00.000Z',
      completionResult: 'completed',
      certificateId: '01a22256-d001-7267-86fe-cdd2f59e4c8d',
      certificateNumber: 'S000041140326400001',
      certificateIssuedOn: '2026-03-28',
      certificateSkillLevelKey: 'level4',
    },
    flagged: false,
    flaggedAt: null,
    flagReason: null,
    regionCode: '411403',
    occupationCode: '4-10-01-01',
    skillLevelKey: 'level4',
    specialAbilityId: null,
    firstReviewedBy: '01a22256-7654-7267-86fe-cdd2f59e4c8d',
    firstReviewedAt: '2026-04-02T01:00:00.000Z',
    approvedBy: null,
    approvedAt: null,
    fundCode: null,
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
    version: 2,
    createdAt: '2026-04-01T01:00:00.000Z',
    updatedAt: '2026-04-02T01:00:00.000Z',
    ...overrides,
  };
}

const TRAINING = claim({});
const EVALUATION = claim({
  id: EVALUATION_ID,
  number: 'BT2600000043',
  kind: 'evaluation',
  status: 'submitted',
  payeeName: '商丘市职业技能鉴定中心',
  personName: '李四',
  amountFen: 24_000,
  voucherId: null,
  classId: null,
  firstReviewedBy: null,
  firstReviewedAt: null,
  version: 1,
  evidence: {
    certificateNumber: 'S000041140326400002',
    issuedOn: '2026-03-28',
    skillLevelKey: 'level4',
    sessionId: '01a22256-e001-7267-86fe-cdd2f59e4c8d',
    candidateId: '01a22256-e002-7267-86fe-cdd2f59e4c8d',
    policyEffectiveFrom: '2022-04-15',
    policySource: '商丘 2022 四(二)1 中级工',
  },
});

const EVENTS: ClaimEvent[] = [
  {
    id: '01a22256-f001-7267-86fe-cdd2f59e4c8d',
    fromStatus: null,
    toStatus: 'submitted',
    action: 'submit',
    actorUserId: null,
    at: '2026-04-01T01:00:00.000Z',
    reason: null,
    details: {},
  },
  {
    id: '01a22256-f002-7267-86fe-cdd2f59e4c8d',
    fromStatus: 'submitted',
    toStatus: 'first_approved',
    action: 'first_approve',
    actorUserId: countyAdmin.id,
    at: '2026-04-02T01:00:00.000Z',
    reason: null,
    details: {},
  },
];

interface Options {
  me: Me;
  /** The claims the queue lists, whatever the filter. */
  listed: Claim[];
  /** The answer to the review, if not a success. */
  refuse?: () => Response;
}

function reviewApi({ me, listed, refuse }: Options): Handle {
  return ({ method, url, body }) => {
    const path = url.pathname;
    if (path === '/api/auth/me') return json(me);
    if (path === '/api/skill-levels') {
      return json({ items: [{ key: 'level4', name: '四级/中级工', nameEn: 'Level 4' }] });
    }
    if (method === 'GET' && path === '/api/subsidy-claims') {
      return json({ items: listed, total: listed.length, page: 1, pageSize: 20 });
    }
    const one = listed.find((c) => path.startsWith(`/api/subsidy-claims/${c.id}`));
    if (!one) return undefined;
    if (method === 'GET' && path === `/api/subsidy-claims/${one.id}`) return json(one);
    if (method === 'GET' && path === `/api/subsidy-claims/${one.id}/events`) {
      return json({ items: one.status === 'submitted' ? EVENTS.slice(0, 1) : EVENTS });
    }
    if (method === 'POST' && path === `/api/subsidy-claims/${one.id}/review`) {
      if (refuse) return refuse();
      const decision = (body as { decision: string }).decision;
      const status =
        decision === 'reject'
          ? 'rejected'
          : one.status === 'submitted'
            ? 'first_approved'
            : 'approved';
      return json({ ...one, status });
    }
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

async function openReview(number: string): Promise<HTMLElement> {
  fireEvent.click(await screen.findByRole('button', { name: `审核 ${number}` }));
  const drawer = await screen.findByRole('dialog');
  await within(drawer).findByText(number);
  return drawer;
}

async function chooseFund(drawer: HTMLElement, name: string) {
  fireEvent.mouseDown(await within(drawer).findByLabelText('支付资金'));
  const options = await screen.findAllByTitle(name);
  fireEvent.click(options[options.length - 1] as HTMLElement);
}

const posts = (sent: { method: string; path: string; body: unknown }[]) =>
  sent.filter((r) => r.method === 'POST').map((r) => ({ path: r.path, body: r.body }));
const listCalls = (sent: { method: string; path: string }[]) =>
  sent.filter((r) => r.method === 'GET' && r.path.startsWith('/api/subsidy-claims?'));

describe('the review queue', () => {
  it('lists a city administrator the claims awaiting the final review', async () => {
    const sent = serve(reviewApi({ me: cityAdmin, listed: [TRAINING] }));
    renderAt('/claims?tab=review');
    expect(await screen.findByText('BT2600000042')).toBeTruthy();
    const row = screen.getByText('BT2600000042').closest('tr') as HTMLElement;
    expect(within(row).getByText('培训补贴')).toBeTruthy();
    expect(within(row).getByText('1200.00')).toBeTruthy();
    expect(within(row).getByText('张三明')).toBeTruthy();
    expect(
      listCalls(sent).map((r) => new URL(r.path, 'http://x').searchParams.get('status')),
    ).toContain('first_approved');
  }, 30_000);

  it('shows the evidence and the history, and approves at the final stage with the fund', async () => {
    const sent = serve(reviewApi({ me: cityAdmin, listed: [TRAINING] }));
    renderAt('/claims?tab=review');
    const drawer = await openReview('BT2600000042');

    expect(within(drawer).getByText('SQ2600000001')).toBeTruthy();
    expect(within(drawer).getByText('1500.00 元')).toBeTruthy();
    expect(within(drawer).getAllByText('1200.00 元').length).toBeGreaterThan(0);
    expect(within(drawer).getByText('取培训券面额与补贴标准中的较低者')).toBeTruthy();
    expect(within(drawer).getByText('家政服务员（中级）第 3 期')).toBeTruthy();
    expect(within(drawer).getByText('S000041140326400001')).toBeTruthy();
    expect(await within(drawer).findByText('四级/中级工')).toBeTruthy();
    expect(await within(drawer).findByText('提交申请')).toBeTruthy();
    expect(within(drawer).getByText('已提交 → 初审通过')).toBeTruthy();

    // No fund chosen: refused here, nothing sent.
    fireEvent.click(within(drawer).getByRole('button', { name: /通\s*过/ }));
    expect(await within(drawer).findByText('终审通过须选择支付资金')).toBeTruthy();
    expect(posts(sent)).toEqual([]);

    const before = listCalls(sent).length;
    await chooseFund(drawer, '就业补助资金');
    fireEvent.click(within(drawer).getByRole('button', { name: /通\s*过/ }));
    await waitFor(() =>
      expect(posts(sent)).toEqual([
        {
          path: `/api/subsidy-claims/${TRAINING_ID}/review`,
          body: { decision: 'approve', fundCode: 'employment_subsidy' },
        },
      ]),
    );
    // The list is asked again once the decision is made.
    await waitFor(() => expect(listCalls(sent).length).toBeGreaterThan(before));
  }, 30_000);

  it('offers only the funds that may pay the claim’s kind', async () => {
    serve(reviewApi({ me: cityAdmin, listed: [{ ...EVALUATION, status: 'first_approved' }] }));
    renderAt('/claims?tab=review');
    const drawer = await openReview('BT2600000043');
    fireEvent.mouseDown(await within(drawer).findByLabelText('支付资金'));
    expect((await screen.findAllByTitle('就业补助资金')).length).toBeGreaterThan(0);
    expect(screen.getAllByTitle('财政资金').length).toBeGreaterThan(0);
    expect(screen.queryAllByTitle('失业保险基金')).toEqual([]);
  }, 30_000);

  it('sends no fund at the first review, and shows the evaluation evidence', async () => {
    const sent = serve(reviewApi({ me: countyAdmin, listed: [EVALUATION] }));
    renderAt('/claims?tab=review');
    const drawer = await openReview('BT2600000043');
    expect(within(drawer).getByText('S000041140326400002')).toBeTruthy();
    expect(within(drawer).getByText('商丘 2022 四(二)1 中级工')).toBeTruthy();
    expect(within(drawer).getByText('2022-04-15')).toBeTruthy();
    expect(within(drawer).queryByLabelText('支付资金')).toBeNull();

    fireEvent.click(within(drawer).getByRole('button', { name: /通\s*过/ }));
    await waitFor(() =>
      expect(posts(sent)).toEqual([
        { path: `/api/subsidy-claims/${EVALUATION_ID}/review`, body: { decision: 'approve' } },
      ]),
    );
    expect(
      listCalls(sent).every(
        (r) => new URL(r.path, 'http://x').searchParams.get('status') === 'submitted',
      ),
    ).toBe(true);
  }, 30_000);

  it('rejects only with a reason, and sends it', async () => {
    const sent = serve(reviewApi({ me: countyAdmin, listed: [EVALUATION] }));
    renderAt('/claims?tab=review');
    const drawer = await openReview('BT2600000043');

    fireEvent.click(within(drawer).getByRole('button', { name: /驳\s*回/ }));
    expect(await within(drawer).findByText('驳回须填写原因')).toBeTruthy();
    expect(posts(sent)).toEqual([]);

    fireEvent.change(within(drawer).getByLabelText('驳回原因'), {
      target: { value: '  证书与考生不符  ' },
    });
    fireEvent.click(within(drawer).getByRole('button', { name: /驳\s*回/ }));
    await waitFor(() =>
      expect(posts(sent)).toEqual([
        {
          path: `/api/subsidy-claims/${EVALUATION_ID}/review`,
          body: { decision: 'reject', reason: '证书与考生不符' },
        },
      ]),
    );
  }, 30_000);

  it('says in Chinese that the same person cannot review a claim twice', async () => {
    serve(
      reviewApi({
        me: cityAdmin,
        listed: [TRAINING],
        refuse: () => problem(409, 'SAME_REVIEWER', 'The final reviewer must not be the first'),
      }),
    );
    renderAt('/claims?tab=review');
    const drawer = await openReview('BT2600000042');
    await chooseFund(drawer, '财政资金');
    fireEvent.click(within(drawer).getByRole('button', { name: /通\s*过/ }));
    expect(
      await within(drawer).findByText('同一人不能对同一申请审核两次，终审须由初审以外的人员办理。'),
    ).toBeTruthy();
  }, 30_000);
});
