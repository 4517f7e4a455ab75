// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me, Region, User } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';

const cityAdmin: Me = {
  id: '01a22256-7653-7267-86fe-cdd2f59e4c8d',
  username: 'admin',
  displayName: '系统管理员',
  role: 'city_admin',
  scope: { kind: 'city' },
  permissions: ['users.read', 'users.manage', 'audit.read'],
  mustChangePassword: false,
};

const auditor: Me = {
  ...cityAdmin,
  id: '01a22256-9999-7267-86fe-cdd2f59e4c8d',
  username: 'audit01',
  displayName: '审计员',
  role: 'auditor',
  permissions: ['users.read', 'audit.read'],
};

const adminRow: User = {
  id: cityAdmin.id,
  username: 'admin',
  displayName: '系统管理员',
  role: 'city_admin',
  regionCode: null,
  unitId: null,
  organisationId: null,
  personId: null,
  status: 'active',
  mustChangePassword: false,
  lockedUntil: null,
  lastLoginAt: '2026-11-28T13:27:11.119Z',
  createdAt: '2026-11-28T13:27:01.459Z',
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

const INITIAL_PASSWORD = 'xzLQCydZrafe-A7b';

/** An API holding one account, `admin`, logged in as `me`; new accounts are kept. */
function accountsApi(me: Me, created: { username?: string } = {}): Handle {
  const users: User[] = [adminRow];
  return ({ method, url, body }) => {
    switch (`${method} ${url.pathname}`) {
      case 'GET /api/auth/me':
        return json(me);
      case 'GET /api/regions':
        return json({ items: [county('411402', '梁园区'), county('411403', '睢阳区')] });
      case 'GET /api/units':
        return json({ items: [] });
      case 'GET /api/users':
        return json({ items: users, total: users.length, page: 1, pageSize: 20 });
      case 'POST /api/users': {
        const input = body as { username: string; displayName: string; role: User['role'] };
        if (input.username === created.username) {
          return problem(409, 'USERNAME_TAKEN', `The username ${input.username} is taken`, [
            { path: '/body/username', message: 'is taken' },
          ]);
        }
        const user: User = {
          ...adminRow,
          ...input,
          id: '01a22256-aa9a-7366-b9b3-8ea9791b11d3',
          regionCode: '411403',
          mustChangePassword: true,
          lastLoginAt: null,
        };
        users.push(user);
        return json({ user, initialPassword: INITIAL_PASSWORD }, 201);
      }
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

// Forms with selects and drawers: slow-ish in jsdom on a busy machine.
describe('users page', { timeout: 20_000 }, () => {
  it('creates a county administrator and shows the initial password once', async () => {
    const sent = serve(accountsApi(cityAdmin));
    renderAt('/users');

    fireEvent.click(await screen.findByRole('button', { name: /新建账号/ }));
    const drawer = await screen.findByRole('dialog');
    fireEvent.change(within(drawer).getByLabelText('用户名'), {
      target: { value: 'sy_admin' },
    });
    fireEvent.change(within(drawer).getByLabelText('姓名'), { target: { value: '睢阳区管理员' } });
    await choose(drawer, '角色', '县级管理员');
    await choose(drawer, '所属县（市、区）', '睢阳区（411403）');
    fireEvent.click(within(drawer).getByRole('button', { name: /创\s*建/ }));

    const password = await screen.findByText(INITIAL_PASSWORD);
    expect(screen.getByText(/此密码只显示这一次/)).toBeTruthy();
    expect(sent.find((r) => r.method === 'POST' && r.path === '/api/users')?.body).toEqual({
      username: 'sy_admin',
      displayName: '睢阳区管理员',
      role: 'county_admin',
      regionCode: '411403',
    });
    expect(password.closest('.ant-modal')?.textContent).toContain('账号 sy_admin 的初始密码');

    fireEvent.click(screen.getByRole('button', { name: '我已记下，关闭' }));

    await waitFor(() => expect(screen.queryByText(INITIAL_PASSWORD)).toBeNull());
    expect(await screen.findByText('sy_admin')).toBeTruthy();
    expect(document.body.textContent).not.toContain(INITIAL_PASSWORD);
  });

  it('puts a taken username on the username field', async () => {
    serve(accountsApi(cityAdmin, { username: 'admin' }));
    renderAt('/users');

    fireEvent.click(await screen.findByRole('button', { name: /新建账号/ }));
    const drawer = await screen.findByRole('dialog');
    fireEvent.change(within(drawer).getByLabelText('用户名'), { target: { value: 'admin' } });
    fireEvent.change(within(drawer).getByLabelText('姓名'), { target: { value: '重名' } });
    await choose(drawer, '角色', '审计人员');
    fireEvent.click(within(drawer).getByRole('button', { name: /创\s*建/ }));

    expect(await within(drawer).findByText('该用户名已被使用')).toBeTruthy();
    expect(screen.queryByText(INITIAL_PASSWORD)).toBeNull();
  });

  it('shows an auditor the accounts without any way to change them', async () => {
    serve(accountsApi(auditor));
    renderAt('/users');

    expect(await screen.findByText('系统管理员')).toBeTruthy();
    expect(screen.getByText('您可以查看账号，但无权修改。')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /新建账号/ })).toBeNull();
    expect(screen.queryByRole('button', { name: '改名' })).toBeNull();
  });

  it('sends a visitor to the login page, coming back here afterwards', async () => {
    serve(({ url }) =>
      url.pathname === '/api/auth/me' ? problem(401, 'UNAUTHENTICATED', 'Log in first') : undefined,
    );
    const { router } = renderAt('/users?q=sy');

    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/users?q=sy')}`);
  });
});
