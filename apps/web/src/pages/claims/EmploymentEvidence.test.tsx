// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Claim } from '../../api/evaluations';
import type { Me } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, renderAt, serve, type Handle } from '../../test/fakeServer';
import { groupedYuan } from './EmploymentEvidence';

const cityAdmin: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'admin',
  displayName: '市人社局管理员',
  role: 'city_admin',
  scope: { kind: 'city' },
  permissions: ['subsidies.read', 'subsidies.review'],
  mustChangePassword: false,
};

const EMPLOYER_ID = '01a22256-e0e0-7267-86fe-cdd2f59e4c8d';
const HIRING_ID = '01a22256-c1a1-7267-86fe-cdd2f59e4c8d';
const REFUSED_ID = '01a22256-c1a2-7267-86fe-cdd2f59e4c8d';
const PLACEMENT_ID = '01a22256-c1a3-7267-86fe-cdd2f59e4c8d';
const CAP_REASON = '企业吸纳就业补贴累计已达上限 ¥2,000,000 (CAP_REACHED)';

function claim(overrides: Partial<Claim>): Claim {
  return {
    id: HIRING_ID,
    number: 'BT2600002001',
    kind: 'hiring',
    status: 'submitted',
    payeeOrganisationId: EMPLOYER_ID,
    payeeName: '商丘市恒达机械有限公司',
    personId: '01a22256-9999-7267-86fe-cdd2f59e4c8d',
    personName: '王小红',
    personIdNumberMasked: '411403********0027',
    amountFen: 50_000,
    voucherId: null,
    classId: null,
    certificateId: '01a22256-d001-7267-86fe-cdd2f59e4c8d',
    evidence: {
      employerUscc: '91110000600037341L',
      employerName: '商丘市恒达机械有限公司',
      hiredOn: '2025-03-10',
      endedOn: null,
      claimYear: 2025,
      certificateNumber: 'S000041140325400001',
      certificateIssuedOn: '2025-02-20',
      insuredMonths: { from: '2025-03', to: '2026-02', count: 12 },
      priorMonthsChecked: { from: '2024-03', to: '2025-02' },
      policy: { key: 'sme_per_hire', amountFen: 100_000, effectiveFrom: '2022-04-15' },
      cap: {
        key: 'sme_cap_per_enterprise',
        amountFen: 200_000_000,
        effectiveFrom: '2022-04-15',
        usedFen: 199_950_000,
      },
      sizeClass: 'small',
      affiliation: 'county',
      capCut: { policyAmountFen: 100_000, remainingFen: 50_000 },
    },
    flagged: false,
    flaggedAt: null,
    flagReason: null,
    regionCode: '411403',
    occupationCode: null,
    skillLevelKey: null,
    specialAbilityId: null,
    firstReviewedBy: null,
    firstReviewedAt: null,
    approvedBy: null,
    approvedAt: null,
    fundCode: null,
    rejectedBy: null,
    rejectedAt: null,
    rejectionReason: null,
    reversedAt: null,
    reversalReason: null,
    employmentId: '01a22256-e001-7267-86fe-cdd2f59e4c8d',
    placementId: null,
    basisDate: '2025-03-10',
    payerRegionCode: '411403',
    paidAt: null,
    clawedBackAt: null,
    clawbackReason: null,
    version: 1,
    createdAt: '2026-03-05T01:00:00.000Z',
    updatedAt: '2026-03-05T01:00:00.000Z',
    ...overrides,
  };
}

const HIRING = claim({});
const REFUSED = claim({
  id: REFUSED_ID,
  number: 'BT2600002002',
  status: 'rejected',
  amountFen: 100_000,
  payerRegionCode: null,
  rejectedBy: null,
  rejectedAt: '2026-03-05T01:00:00.000Z',
  rejectionReason: CAP_REASON,
  evidence: { ...HIRING.evidence, affiliation: 'city', capCut: undefined },
});
const PLACEMENT = claim({
  id: PLACEMENT_ID,
  number: 'BT2600002003',
  kind: 'placement',
  payeeName: '商丘人力资源服务公司',
  amountFen: 30_000,
  employmentId: null,
  placementId: '01a22256-9a9a-7267-86fe-cdd2f59e4c8d',
  payerRegionCode: null,
  evidence: {
    agencyName: '商丘人力资源服务公司',
    placedOn: '2025-09-01',
    employerUscc: '91110000600037341L',
    employerName: '郑州市宏图电子有限公司',
    employerRegionCode: '410102',
    certificateNumber: 'S000041140325400001',
    certificateIssuedOn: '2025-02-20',
    insuredMonths: { from: '2025-09', to: '2026-02', count: 6 },
    policy: { key: 'per_placement', amountFen: 30_000, effectiveFrom: '2022-04-15' },
  },
});

function evidenceApi(listed: Claim[]): Handle {
  return ({ method, url }) => {
    const path = url.pathname;
    if (path === '/api/auth/me') return json(cityAdmin);
    if (path === '/api/skill-levels') return json({ items: [] });
    if (path === '/api/regions') {
      const parent = url.searchParams.get('parent');
      const county = (code: string, name: string, parentCode: string) => ({
        code,
        name,
        level: 3,
        levelName: 'county',
        parentCode,
        statisticsOnly: false,
        isLocalUnit: false,
        hasChildren: false,
      });
      if (parent === '411400') return json({ items: [county('411403', '睢阳区', '411400')] });
      if (parent === '410100') return json({ items: [county('410102', '中原区', '410100')] });
      return json({ items: [] });
    }
    if (method === 'GET' && path === '/api/subsidy-claims') {
      return json({ items: listed, total: listed.length, page: 1, pageSize: 20 });
    }
    const one = listed.find((c) => path.startsWith(`/api/subsidy-claims/${c.id}`));
    if (!one) return undefined;
    if (path === `/api/subsidy-claims/${one.id}`) return json(one);
    if (path === `/api/subsidy-claims/${one.id}/events`) return json({ items: [] });
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

/** The value cell next to the label `label` in the drawer's descriptions. */
function valueOf(drawer: HTMLElement, label: string): string {
  const th = within(drawer)
    .getAllByText(label)
    .find((element) => element.closest('th')) as HTMLElement;
  return th.closest('tr')?.querySelector('td')?.textContent ?? '';
}

describe('hiring and placement evidence', () => {
  it('formats yuan with thousands separators for sentences', () => {
    expect(groupedYuan(200_000_000)).toBe('2,000,000.00');
    expect(groupedYuan(100_000)).toBe('1,000.00');
    expect(groupedYuan(50_000)).toBe('500.00');
    expect(groupedYuan(0)).toBe('0.00');
  });

  it('shows a hire’s evidence and warns that the enterprise cap cut the amount', async () => {
    serve(evidenceApi([HIRING]));
    renderAt('/claims?tab=review');
    const drawer = await openReview('BT2600002001');

    expect(within(drawer).getByTestId('cap-cut').textContent).toContain(
      '按企业累计上限核减：政策金额 ¥1,000.00，剩余额度 ¥500.00',
    );
    expect(valueOf(drawer, '用人单位')).toBe('商丘市恒达机械有限公司');
    expect(valueOf(drawer, '统一社会信用代码')).toBe('91110000600037341L');
    expect(valueOf(drawer, '入职日期')).toBe('2025-03-10');
    expect(valueOf(drawer, '申领年度')).toBe('2025 年');
    expect(valueOf(drawer, '证书编号')).toBe('S000041140325400001');
    expect(valueOf(drawer, '发证日期')).toBe('2025-02-20');
    expect(valueOf(drawer, '连续参保月份')).toBe('2025-03 至 2026-02（12 个月）');
    expect(valueOf(drawer, '入职前 12 个月')).toBe('2024-03 至 2025-02 未由该单位参保（已核查）');
    expect(valueOf(drawer, '企业规模')).toBe('小型');
    expect(valueOf(drawer, '隶属关系')).toBe('县（市、区）属');
    expect(valueOf(drawer, '补贴标准')).toBe('1,000.00 元（2022-04-15 起执行）');
    expect(valueOf(drawer, '企业累计上限')).toBe('2,000,000.00 元，此前已用 1,999,500.00 元');
    expect(valueOf(drawer, '金额（元）')).toBe('500.00 元');
    // A county-affiliated employer's county pays.
    await within(drawer).findAllByText('睢阳区');
    expect(valueOf(drawer, '支付方')).toBe('睢阳区');
  }, 30_000);

  it('names the system as the reviewer of a claim refused at the cap, with the reason', async () => {
    serve(evidenceApi([REFUSED]));
    renderAt('/claims?tab=review');
    const drawer = await openReview('BT2600002002');
    expect(valueOf(drawer, '驳回人')).toBe('系统');
    expect(valueOf(drawer, '驳回原因')).toBe(CAP_REASON);
    expect(valueOf(drawer, '支付方')).toBe('市级');
    expect(within(drawer).queryByTestId('cap-cut')).toBeNull();
  }, 30_000);

  it('shows a placement’s agency, employer, region, day and insured months', async () => {
    serve(evidenceApi([PLACEMENT]));
    renderAt('/claims?tab=review');
    const drawer = await openReview('BT2600002003');
    expect(valueOf(drawer, '人力资源服务机构')).toBe('商丘人力资源服务公司');
    expect(valueOf(drawer, '用人单位')).toBe('郑州市宏图电子有限公司');
    expect(valueOf(drawer, '介绍就业日期')).toBe('2025-09-01');
    expect(valueOf(drawer, '连续参保月份')).toBe('2025-09 至 2026-02（6 个月）');
    expect(valueOf(drawer, '补贴标准')).toBe('300.00 元（2022-04-15 起执行）');
    await within(drawer).findByText('中原区（410102）');
    expect(within(drawer).queryByText('支付方')).toBeNull();
  }, 30_000);
});
