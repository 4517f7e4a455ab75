// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Claim } from '../../api/evaluations';
import type { Me } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, renderAt, serve, type Handle } from '../../test/fakeServer';

const EMPLOYER_ID = '01a22256-e0e0-7267-86fe-cdd2f59e4c8d';
const CAP_REASON = '企业吸纳就业补贴累计已达上限 ¥2,000,000 (CAP_REACHED)';

const employer: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'hengda',
  displayName: '恒达机械人事',
  role: 'employer',
  scope: { kind: 'organisation', organisationId: EMPLOYER_ID },
  permissions: ['subsidies.read'],
  mustChangePassword: false,
};

const REFUSED = {
  id: '01a22256-c1a2-7267-86fe-cdd2f59e4c8d',
  number: 'BT2600002002',
  kind: 'hiring',
  status: 'rejected',
  payeeOrganisationId: EMPLOYER_ID,
  payeeName: '商丘市恒达机械有限公司',
  personName: '王小红',
  personIdNumberMasked: '411403********0027',
  amountFen: 100_000,
  flagged: false,
  flagReason: null,
  rejectedBy: null,
  rejectedAt: '2026-03-05T01:00:00.000Z',
  rejectionReason: CAP_REASON,
  createdAt: '2026-03-05T01:00:00.000Z',
} as Claim;

function api(queries: URLSearchParams[]): Handle {
  return ({ method, url }) => {
    if (url.pathname === '/api/auth/me') return json(employer);
    if (method === 'GET' && url.pathname === '/api/subsidy-claims') {
      queries.push(url.searchParams);
      return json({ items: [REFUSED], total: 1, page: 1, pageSize: 20 });
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

async function choose(label: string, option: string) {
  fireEvent.mouseDown(await screen.findByLabelText(label));
  const options = await screen.findAllByTitle(option);
  fireEvent.click(options[options.length - 1] as HTMLElement);
}

describe('the claim list', () => {
  it('shows an employer why the system refused a claim', async () => {
    serve(api([]));
    renderAt('/claims');
    const row = (await screen.findByText('BT2600002002')).closest('tr') as HTMLElement;
    expect(within(row).getByText('已驳回')).toBeTruthy();
    expect(within(row).getByText(CAP_REASON)).toBeTruthy();
    expect(within(row).getByText('系统')).toBeTruthy();
  }, 30_000);

  it('filters by kind and by any status, paid and clawed back included', async () => {
    const queries: URLSearchParams[] = [];
    serve(api(queries));
    const { router } = renderAt('/claims');
    await screen.findByText('BT2600002002');
    await choose('补贴类型', '吸纳就业补贴');
    await waitFor(() => expect(queries.at(-1)?.get('kind')).toBe('hiring'));
    await choose('状态', '已追回');
    await waitFor(() => expect(queries.at(-1)?.get('status')).toBe('clawed_back'));
    expect(queries.at(-1)?.get('kind')).toBe('hiring');
    expect(router.state.location.search).toContain('status=clawed_back');
  }, 30_000);
});
