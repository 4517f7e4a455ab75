// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';

const newCountyAdmin: Me = {
  id: '01a22256-aa9a-7366-b9b3-8ea9791b11d3',
  username: 'sy_admin',
  displayName: '睢阳区管理员',
  role: 'county_admin',
  scope: { kind: 'region', regionCode: '411403' },
  permissions: ['users.read', 'users.manage'],
  mustChangePassword: true,
};

/** Nobody is logged in; POST /api/auth/login answers with `login`. */
function loggedOut(login: () => Response): Handle {
  let me: Me | null = null;
  return ({ method, url }) => {
    if (url.pathname === '/api/auth/me') {
      return me ? json(me) : problem(401, 'UNAUTHENTICATED', 'Log in first');
    }
    if (method === 'POST' && url.pathname === '/api/auth/login') {
      const response = login();
      if (response.ok) me = newCountyAdmin;
      return response;
    }
    return undefined;
  };
}

async function submitLogin(username: string, password: string) {
  fireEvent.change(await screen.findByLabelText('用户名或手机号'), { target: { value: username } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
}

beforeEach(() => {
  fillJsdomGaps();
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('login page', { timeout: 20_000 }, () => {
  it('says in Chinese that the username or password is wrong, and clears the password', async () => {
    const sent = serve(
      loggedOut(() => problem(401, 'INVALID_CREDENTIALS', 'The username or password is wrong')),
    );
    renderAt('/login');

    await submitLogin('admin', 'not-the-password');

    expect((await screen.findByRole('alert')).textContent).toContain('用户名或密码错误。');
    expect(sent.find((r) => r.path === '/api/auth/login')?.body).toEqual({
      username: 'admin',
      password: 'not-the-password',
    });
    expect((screen.getByLabelText('密码') as HTMLInputElement).value).toBe('');
  });

  it('tells a locked-out user how many minutes to wait, from Retry-After', async () => {
    serve(
      loggedOut(() =>
        problem(
          423,
          'ACCOUNT_LOCKED',
          'Too many wrong passwords: the account is locked for 14 more minute(s)',
          [],
          { 'Retry-After': '821' },
        ),
      ),
    );
    renderAt('/login');

    await submitLogin('admin', 'still-wrong');

    expect((await screen.findByRole('alert')).textContent).toBe(
      '密码错误次数过多，账号已锁定，请 14 分钟后再试。',
    );
  });

  it('sends an account with an initial password to change it, keeping where it was going', async () => {
    serve(
      loggedOut(() =>
        json({ token: 'x', expiresAt: '2026-11-29T01:27:11.119Z', user: newCountyAdmin }),
      ),
    );
    const { router } = renderAt('/login?next=%2Fusers');

    await submitLogin('sy_admin', 'xzLQCydZrafe-A7b');

    expect(await screen.findByText(/您正在使用管理员设置的初始密码/)).toBeTruthy();
    await waitFor(() => expect(router.state.location.pathname).toBe('/account/password'));
    expect(router.state.location.search).toBe('?next=%2Fusers');
  });

  it('asks for the username and password before sending anything', async () => {
    const sent = serve(loggedOut(() => json({})));
    renderAt('/login');

    fireEvent.click(await screen.findByRole('button', { name: /登\s*录/ }));

    expect(await screen.findByText('请输入用户名或手机号')).toBeTruthy();
    expect(screen.getByText('请输入密码')).toBeTruthy();
    expect(sent.some((r) => r.path === '/api/auth/login')).toBe(false);
  });
});
