// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeyGroup, Me, Person, Region } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';

const PERSON_PERMISSIONS = [
  'persons.read',
  'persons.write',
  'persons.reveal',
  'persons.history',
  'persons.invite',
];

const cityAdmin: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'admin',
  displayName: '系统管理员',
  role: 'city_admin',
  scope: { kind: 'city' },
  permissions: ['users.read', 'users.manage', 'audit.read', ...PERSON_PERMISSIONS],
  mustChangePassword: false,
};

const auditor: Me = {
  ...cityAdmin,
  id: '01a22256-9999-7267-86fe-cdd2f59e4c8d',
  username: 'audit01',
  displayName: '审计员',
  role: 'auditor',
  permissions: ['users.read', 'audit.read', 'persons.read', 'persons.history'],
};

const ID_NUMBER = '411402200501010011';
const LEGACY_MESSAGE =
  '这是 15 位的旧身份证号码，已停止使用，请录入 18 位号码。按国家标准换算应为 411402190501010015，请与本人身份证核对后录入。';

const zhangWei: Person = {
  id: '01a22270-2058-7659-80f6-661594599ce1',
  name: '张伟',
  idNumberMasked: '411402********0011',
  sex: 'M',
  birthDate: '2005-01-01',
  phoneMasked: '138****1234',
  householdRegionCode: null,
  residenceRegionCode: '411402001',
  regionCode: '411402',
  education: 'college',
  employmentStatus: 'unemployed',
  keyGroups: ['veteran'],
  reviewWarnings: [],
  note: null,
  source: 'manual',
  version: 1,
  createdAt: '2026-11-28T13:55:03.383Z',
  updatedAt: '2026-11-28T13:55:03.383Z',
};

const region = (code: string, name: string, level: 3 | 4): Region => ({
  code,
  name,
  level,
  levelName: level === 3 ? 'county' : 'township',
  parentCode: level === 3 ? '411400' : code.slice(0, 6),
  statisticsOnly: false,
  isLocalUnit: false,
  hasChildren: level === 3,
});

const keyGroups: KeyGroup[] = [
  { code: 'veteran', name: '退役军人', nameEn: 'Veteran', aliases: [] },
  { code: 'disabled', name: '残疾人', nameEn: 'Person with a disability', aliases: [] },
];

/** The persons API, logged in as `me`, holding 张伟. */
function personsApi(me: Me): Handle {
  return ({ method, url, body }) => {
    const path = url.pathname;
    if (path === '/api/auth/me') return json(me);
    if (path === '/api/health') return json({ status: 'ok', version: '0.1.0' });
    if (path === '/api/regions') {
      const parent = url.searchParams.get('parent');
      if (parent === '411400') {
        return json({ items: [region('411402', '梁园区', 3), region('411403', '睢阳区', 3)] });
      }
      if (parent === '411402') return json({ items: [region('411402001', '平原街道', 4)] });
      return json({ items: [] });
    }
    if (path === '/api/key-groups') return json({ items: keyGroups });
    if (method === 'GET' && path === '/api/persons') {
      return json({ items: [zhangWei], total: 1, page: 1, pageSize: 20 });
    }
    if (method === 'POST' && path === '/api/persons') {
      const { idNumber } = body as { idNumber: string };
      if (idNumber.length === 15) {
        return problem(400, 'VALIDATION_FAILED', LEGACY_MESSAGE, [
          { path: '/body/idNumber', message: LEGACY_MESSAGE },
        ]);
      }
      return json({ person: zhangWei, warnings: [] }, 201);
    }
    if (method === 'POST' && path === '/api/persons/lookup') {
      const { idNumber } = body as { idNumber: string };
      return idNumber === ID_NUMBER
        ? json(zhangWei)
        : problem(404, 'NOT_FOUND', 'No person with this ID number in your scope');
    }
    if (method === 'GET' && path === `/api/persons/${zhangWei.id}`) return json(zhangWei);
    if (method === 'GET' && path === `/api/persons/${zhangWei.id}/history`) {
      return json({ items: [], total: 0, page: 1, pageSize: 10 });
    }
    if (method === 'POST' && path === `/api/persons/${zhangWei.id}/reveal`) {
      return json({ idNumber: ID_NUMBER, phone: '13812341234' });
    }
    return undefined;
  };
}

/** Opens an antd select by its label and picks an option by its text. */
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

describe('persons page', { timeout: 20_000 }, () => {
  it('keeps the filters in the address and sends them to the server', async () => {
    const sent = serve(personsApi(cityAdmin));
    const { router } = renderAt('/persons');
    const filters = (await screen.findByRole('button', { name: /搜\s*索/ })).closest(
      'form',
    ) as HTMLElement;

    fireEvent.change(within(filters).getByLabelText('姓名'), { target: { value: '张伟' } });
    fireEvent.change(within(filters).getByLabelText('手机号（精确）'), {
      target: { value: '138 1234 1234' },
    });
    await choose(filters, '所属县区', '梁园区');
    await choose(filters, '重点群体', '退役军人');
    await choose(filters, '就业状态', '失业');
    fireEvent.click(within(filters).getByRole('button', { name: /搜\s*索/ }));

    await waitFor(() =>
      expect(Object.fromEntries(new URLSearchParams(router.state.location.search))).toEqual({
        name: '张伟',
        phone: '13812341234',
        region: '411402',
        keyGroup: 'veteran',
        status: 'unemployed',
      }),
    );
    await waitFor(() =>
      expect(sent.map((r) => r.path)).toContain(
        '/api/persons?name=%E5%BC%A0%E4%BC%9F&phone=13812341234&regionCode=411402&keyGroup=veteran&employmentStatus=unemployed&page=1&pageSize=20',
      ),
    );
  });

  it('reads the filters and the page from the address', async () => {
    const sent = serve(personsApi(cityAdmin));
    renderAt('/persons?status=unemployed&page=2');

    expect(await screen.findByText('张伟')).toBeTruthy();
    expect(sent.map((r) => r.path)).toContain(
      '/api/persons?employmentStatus=unemployed&page=2&pageSize=20',
    );
    expect(screen.getByTitle('失业')).toBeTruthy();
  });

  it('puts the server’s Chinese message about a legacy ID number on the ID-number field', async () => {
    const sent = serve(personsApi(cityAdmin));
    renderAt('/persons');

    fireEvent.click(await screen.findByRole('button', { name: /登记人员/ }));
    const drawer = await screen.findByRole('dialog');
    fireEvent.change(within(drawer).getByLabelText('身份证号'), {
      target: { value: '411402050101001' },
    });
    fireEvent.change(within(drawer).getByLabelText('姓名'), { target: { value: '张伟' } });
    await choose(drawer, '常住地', '梁园区');
    fireEvent.click(within(drawer).getByRole('button', { name: /登\s*记/ }));

    const message = await within(drawer).findByText(LEGACY_MESSAGE);
    expect(message.closest('.ant-form-item')?.textContent).toContain('身份证号');
    // On the field, not in an alert above the form.
    expect(drawer.querySelector('.ant-alert')).toBeNull();
    expect(sent.find((r) => r.method === 'POST' && r.path === '/api/persons')?.body).toEqual({
      idNumber: '411402050101001',
      name: '张伟',
      phone: null,
      householdRegionCode: null,
      residenceRegionCode: '411402',
      education: null,
      employmentStatus: 'unknown',
      keyGroups: [],
      note: null,
    });
  });

  it('finds a person by ID number without putting the number in any address', async () => {
    const sent = serve(personsApi(cityAdmin));
    const { router } = renderAt('/persons');

    fireEvent.change(await screen.findByLabelText('按身份证号查找'), {
      target: { value: ID_NUMBER },
    });
    fireEvent.click(screen.getByRole('button', { name: /查\s*找/ }));

    await waitFor(() => expect(router.state.location.pathname).toBe(`/persons/${zhangWei.id}`));
    expect(await screen.findByRole('heading', { name: '张伟' })).toBeTruthy();
    expect(sent.find((r) => r.path === '/api/persons/lookup')?.body).toEqual({
      idNumber: ID_NUMBER,
    });
    expect(sent.filter((r) => r.path.includes(ID_NUMBER))).toEqual([]);
    expect(router.state.location.search).not.toContain(ID_NUMBER);
  });

  it('says so when nobody in the scope has the ID number', async () => {
    serve(personsApi(cityAdmin));
    renderAt('/persons');

    fireEvent.change(await screen.findByLabelText('按身份证号查找'), {
      target: { value: '411403200002290027' },
    });
    fireEvent.click(screen.getByRole('button', { name: /查\s*找/ }));

    expect((await screen.findByRole('alert')).textContent).toBe(
      '在您的管辖范围内没有这个身份证号的人员。',
    );
  });
});

describe('person page', { timeout: 30_000 }, () => {
  it('shows the full ID number once, after warning that the view is logged, and forgets it', async () => {
    const sent = serve(personsApi(cityAdmin));
    renderAt(`/persons/${zhangWei.id}`);

    expect(await screen.findByText('411402********0011')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /查看完整证件号/ }));

    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(ID_NUMBER)).toBeTruthy();
    expect(within(dialog).getByText(/本次查看已记入审计日志/)).toBeTruthy();
    expect(sent.filter((r) => r.path.endsWith('/reveal'))).toHaveLength(1);

    fireEvent.click(within(dialog).getByRole('button', { name: '关 闭' }));
    await waitFor(() => expect(screen.queryByText(ID_NUMBER)).toBeNull());
    expect(document.body.textContent).not.toContain(ID_NUMBER);
  });

  it('says when someone else saved first, and saves again on the version it reloads', async () => {
    let current: Person = zhangWei;
    const base = personsApi(cityAdmin);
    const sent = serve((request) => {
      const { method, url, body } = request;
      if (url.pathname === `/api/persons/${zhangWei.id}` && method === 'GET') return json(current);
      if (url.pathname === `/api/persons/${zhangWei.id}` && method === 'PATCH') {
        const { version } = body as { version: number };
        if (version !== current.version) {
          return problem(
            409,
            'CONFLICT',
            'Someone else changed this person; reload and try again',
            [{ path: '/body/version', message: `is ${current.version} now` }],
          );
        }
        current = { ...current, ...(body as Partial<Person>), version: current.version + 1 };
        return json(current);
      }
      return base(request);
    });
    renderAt(`/persons/${zhangWei.id}`);

    fireEvent.click(await screen.findByRole('button', { name: /修\s*改/ }));
    const drawer = await screen.findByRole('dialog');
    // Meanwhile a colleague records a note.
    current = { ...zhangWei, note: '同事补充的备注', version: 2 };
    await choose(drawer, '就业状态', '已就业');
    fireEvent.click(within(drawer).getByRole('button', { name: /保\s*存/ }));

    expect(await within(drawer).findByText(/其他人修改了这条记录/)).toBeTruthy();
    fireEvent.click(within(drawer).getByRole('button', { name: /重新加载/ }));
    await waitFor(() =>
      expect((within(drawer).getByLabelText('备注') as HTMLTextAreaElement).value).toBe(
        '同事补充的备注',
      ),
    );
    await choose(drawer, '就业状态', '已就业');
    fireEvent.click(within(drawer).getByRole('button', { name: /保\s*存/ }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const patches = sent.filter((r) => r.method === 'PATCH').map((r) => r.body);
    expect(patches).toEqual([
      { version: 1, employmentStatus: 'employed' },
      { version: 2, employmentStatus: 'employed' },
    ]);
    expect(await screen.findByText('已就业')).toBeTruthy();
  });

  it('offers an auditor no way to see the full ID number, but shows the history', async () => {
    const sent = serve(personsApi(auditor));
    renderAt(`/persons/${zhangWei.id}`);

    expect(await screen.findByText('411402********0011')).toBeTruthy();
    expect(await screen.findByText('操作记录')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /查看完整证件号/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /开通账号/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /修\s*改/ })).toBeNull();
    expect(sent.some((r) => r.path.endsWith('/reveal'))).toBe(false);
  });
});
