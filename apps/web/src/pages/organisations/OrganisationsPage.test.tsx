// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApprovedScope, Me, Organisation, Region, Site } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';

const cityAdmin: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'admin',
  displayName: '系统管理员',
  role: 'city_admin',
  scope: { kind: 'city' },
  permissions: ['organisations.read', 'organisations.manage', 'organisations.scopes.approve'],
  mustChangePassword: false,
};

const auditor: Me = {
  ...cityAdmin,
  username: 'audit01',
  role: 'auditor',
  permissions: ['organisations.read'],
};

const centre: Organisation = {
  id: '01a22276-b913-7090-b6f3-369837974dca',
  kind: 'evaluation_institution',
  name: '商丘市职业技能评价中心',
  uscc: null,
  regionCode: '411402',
  address: null,
  contactName: null,
  contactPhone: null,
  status: 'active',
  evaluationType: 'S',
  institutionCode: '0123',
  sizeClass: null,
  isSme: null,
  affiliation: null,
  affiliationRegionCode: null,
  bankName: null,
  bankAccountName: null,
  bankAccountNo: null,
  createdAt: '2026-11-28T14:02:15.699Z',
  updatedAt: '2026-11-28T14:02:15.699Z',
};

const site: Site = {
  id: '01a22276-b98f-7799-aae1-a7f44bbd4e7a',
  organisationId: centre.id,
  name: '梁园区考点',
  serialCode: '411001',
  regionCode: '411402',
  address: null,
  status: 'active',
  createdAt: '2026-11-28T14:02:15.822Z',
  updatedAt: '2026-11-28T14:02:15.822Z',
};

const cook: ApprovedScope = {
  id: '01a22276-b9fc-7023-875d-f511ad465921',
  siteId: site.id,
  occupationCode: '4-03-02-01',
  occupationLevel: 4,
  occupationName: '中式烹调师',
  skillLevelKey: 'level4',
  skillLevelName: '四级/中级工',
  validFrom: '2026-01-01',
  validTo: '2099-12-31',
  createdAt: '2026-11-28T14:02:15.929Z',
  updatedAt: '2026-11-28T14:02:15.929Z',
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

function organisationsApi(me: Me): Handle {
  return ({ method, url, body }) => {
    const path = url.pathname;
    if (path === '/api/auth/me') return json(me);
    if (path === '/api/regions') {
      return json({ items: [county('411402', '梁园区'), county('411403', '睢阳区')] });
    }
    if (path === '/api/organisations' && method === 'GET') {
      return json({ items: [centre], total: 1, page: 1, pageSize: 20 });
    }
    if (path === '/api/organisations' && method === 'POST') {
      const input = body as Partial<Organisation>;
      if (input.uscc === '91110000600037341X') {
        return problem(400, 'VALIDATION_FAILED', 'uscc: 校验位不符', [
          { path: '/body/uscc', message: '统一社会信用代码校验位（第 18 位）与前 17 位不符。' },
        ]);
      }
      return json({ ...centre, ...input, id: '01a22276-c7fe-73e9-9230-108555ca3a3f' }, 201);
    }
    if (path === `/api/organisations/${centre.id}`) return json(centre);
    if (path === `/api/organisations/${centre.id}/sites`) return json({ items: [site] });
    if (path === `/api/organisations/${centre.id}/sites/${site.id}/scopes`) {
      return json({ items: [cook] });
    }
    if (path === '/api/skill-levels') return json({ items: [] });
    return undefined;
  };
}

async function choose(container: HTMLElement, label: string, option: string) {
  fireEvent.mouseDown(await within(container).findByLabelText(label));
  const options = await screen.findAllByTitle(option);
  fireEvent.click(options[options.length - 1] as HTMLElement);
}

beforeEach(() => {
  fillJsdomGaps();
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('organisations', { timeout: 30_000 }, () => {
  it('asks an employer for its USCC, size and affiliation, and sends only those', async () => {
    const sent = serve(organisationsApi(cityAdmin));
    const { router } = renderAt('/organisations');

    fireEvent.click(await screen.findByRole('button', { name: /登记机构/ }));
    const drawer = await screen.findByRole('dialog');
    expect(within(drawer).queryByLabelText('企业规模')).toBeNull();
    await choose(drawer, '机构类型', '用人单位');
    fireEvent.change(within(drawer).getByLabelText('机构名称'), {
      target: { value: '河南商丘某某食品有限公司' },
    });
    fireEvent.change(within(drawer).getByLabelText('统一社会信用代码'), {
      target: { value: '91110000600037341X' },
    });
    await choose(drawer, '所在县区', '睢阳区');
    await choose(drawer, '企业规模', '小型');
    await choose(drawer, '隶属关系', '县（市、区）属');
    await choose(drawer, '隶属县（市、区）', '睢阳区');
    fireEvent.click(within(drawer).getByRole('button', { name: /登\s*记/ }));

    // The USCC check answers in Chinese, on the field.
    expect(
      await within(drawer).findByText('统一社会信用代码校验位（第 18 位）与前 17 位不符。'),
    ).toBeTruthy();
    fireEvent.change(within(drawer).getByLabelText('统一社会信用代码'), {
      target: { value: '91110000600037341L' },
    });
    fireEvent.click(within(drawer).getByRole('button', { name: /登\s*记/ }));

    await waitFor(() =>
      expect(router.state.location.pathname).toBe(
        '/organisations/01a22276-c7fe-73e9-9230-108555ca3a3f',
      ),
    );
    const posts = sent.filter((r) => r.method === 'POST').map((r) => r.body);
    expect(posts[1]).toEqual({
      kind: 'employer',
      name: '河南商丘某某食品有限公司',
      uscc: '91110000600037341L',
      regionCode: '411403',
      sizeClass: 'small',
      affiliation: 'county',
      affiliationRegionCode: '411403',
    });
  });

  it('keeps the kind filter and the search in the address', async () => {
    const sent = serve(organisationsApi(cityAdmin));
    const { router } = renderAt('/organisations');

    fireEvent.mouseDown(await screen.findByLabelText('按类型筛选'));
    fireEvent.click((await screen.findAllByTitle('评价机构')).at(-1) as HTMLElement);
    fireEvent.change(screen.getByLabelText('机构名称'), { target: { value: '评价' } });
    fireEvent.click(screen.getByRole('button', { name: /搜\s*索/ }));

    await waitFor(() =>
      expect(router.state.location.search).toBe(
        '?kind=evaluation_institution&q=%E8%AF%84%E4%BB%B7',
      ),
    );
    expect(sent.map((r) => r.path)).toContain(
      '/api/organisations?q=%E8%AF%84%E4%BB%B7&kind=evaluation_institution&page=1&pageSize=20',
    );
  });

  it('shows a site’s approved scope with the approval form to an administrator', async () => {
    serve(organisationsApi(cityAdmin));
    renderAt(`/organisations/${centre.id}`);

    expect(await screen.findByText('中式烹调师')).toBeTruthy();
    expect(screen.getByText('411001')).toBeTruthy();
    expect(screen.getByRole('button', { name: /提前终止/ })).toBeTruthy();
    expect(screen.getByText('批准新的职业（工种）')).toBeTruthy();
  });

  it('shows an auditor the approved scope read-only', async () => {
    serve(organisationsApi(auditor));
    renderAt(`/organisations/${centre.id}`);

    expect(await screen.findByText('中式烹调师')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /提前终止/ })).toBeNull();
    expect(screen.queryByText('批准新的职业（工种）')).toBeNull();
    expect(screen.queryByRole('button', { name: /新增考点/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /修\s*改/ })).toBeNull();
  });
});
