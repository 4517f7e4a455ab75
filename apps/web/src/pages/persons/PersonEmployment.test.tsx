// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PersonEmployment } from '../../api/employment';
import type { Claim } from '../../api/evaluations';
import type { Me, Person } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, renderAt, serve, type Handle } from '../../test/fakeServer';

const PERSON_ID = '01a22270-2058-7659-80f6-661594599ce1';
const EMPLOYER_ID = '01a22256-e0e0-7267-86fe-cdd2f59e4c8d';
const USCC = '91110000600037341L';

const cityAdmin: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'admin',
  displayName: '系统管理员',
  role: 'city_admin',
  scope: { kind: 'city' },
  permissions: ['persons.read', 'employment.read', 'subsidies.read'],
  mustChangePassword: false,
};

const worker: Person = {
  id: PERSON_ID,
  name: '王小红',
  idNumberMasked: '411403********0027',
  sex: 'F',
  birthDate: '2000-02-29',
  phoneMasked: null,
  householdRegionCode: null,
  residenceRegionCode: null,
  regionCode: '411403',
  education: null,
  employmentStatus: 'employed',
  keyGroups: [],
  reviewWarnings: [],
  note: null,
  source: 'manual',
  version: 1,
  createdAt: '2025-01-02T03:00:00.000Z',
  updatedAt: '2025-01-02T03:00:00.000Z',
} as Person;

const EMPLOYMENT: PersonEmployment = {
  personId: PERSON_ID,
  registrations: [
    {
      id: '01a22256-e001-7267-86fe-cdd2f59e4c8d',
      employerUscc: USCC,
      organisationId: EMPLOYER_ID,
      organisationName: '商丘市恒达机械有限公司',
      hiredOn: '2025-03-10',
      endedOn: null,
      source: 'import',
      updatedAt: '2025-03-11T02:00:00.000Z',
    },
  ],
  contributions: [
    {
      employerUscc: USCC,
      organisationName: '商丘市恒达机械有限公司',
      from: '2025-03',
      to: '2026-02',
      months: 12,
      latestWageBaseFen: 420_000,
    },
  ],
};

const PAID = {
  id: '01a22256-c1a1-7267-86fe-cdd2f59e4c8d',
  number: 'BT2600002001',
  kind: 'hiring',
  status: 'paid',
  payeeName: '商丘市恒达机械有限公司',
  amountFen: 100_000,
  rejectionReason: null,
  rejectedBy: null,
  rejectedAt: null,
  approvedAt: '2026-03-10T02:00:00.000Z',
  paidAt: '2026-03-20T02:00:00.000Z',
  createdAt: '2026-03-05T02:00:00.000Z',
} as Claim;

function api(me: Me, sent: string[]): Handle {
  return ({ method, url }) => {
    const path = url.pathname;
    if (path === '/api/auth/me') return json(me);
    if (path === '/api/regions' || path === '/api/key-groups') return json({ items: [] });
    if (method === 'GET' && path === `/api/persons/${PERSON_ID}`) return json(worker);
    if (method === 'GET' && path === `/api/persons/${PERSON_ID}/employment`) {
      return json(EMPLOYMENT);
    }
    if (method === 'GET' && path === '/api/subsidy-claims') {
      sent.push(url.search);
      return json({ items: [PAID], total: 1, page: 1, pageSize: 100 });
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

describe('a person’s employment and subsidies', () => {
  it('shows registrations, insured-month runs and the subsidy history', async () => {
    const claimQueries: string[] = [];
    serve(api(cityAdmin, claimQueries));
    renderAt(`/persons/${PERSON_ID}`);

    const employment = (await screen.findByText('就业与社保')).closest('.ant-card') as HTMLElement;
    const registration = (await within(employment).findByText('2025-03-10')).closest('tr');
    expect(registration?.textContent).toContain('商丘市恒达机械有限公司');
    expect(registration?.textContent).toContain('在职');
    expect(registration?.textContent).toContain('文件导入');
    const run = within(employment).getByText('2025-03 至 2026-02').closest('tr');
    expect(run?.textContent).toContain('12 个月');
    expect(run?.textContent).toContain('4200.00');

    const history = screen.getByText('补贴记录').closest('.ant-card') as HTMLElement;
    const row = (await within(history).findByText('BT2600002001')).closest('tr');
    expect(row?.textContent).toContain('吸纳就业补贴');
    expect(row?.textContent).toContain('1000.00');
    expect(row?.textContent).toContain('已支付');
    expect(claimQueries.some((q) => new URLSearchParams(q).get('personId') === PERSON_ID)).toBe(
      true,
    );
  }, 30_000);

  it('shows neither section without the permissions', async () => {
    serve(api({ ...cityAdmin, permissions: ['persons.read'] }, []));
    renderAt(`/persons/${PERSON_ID}`);
    await screen.findByRole('heading', { name: '王小红' });
    expect(screen.queryByText('就业与社保')).toBeNull();
    expect(screen.queryByText('补贴记录')).toBeNull();
  }, 30_000);
});
