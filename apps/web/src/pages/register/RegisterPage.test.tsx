// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me, Person } from '../../api/types';
import { fillJsdomGaps } from '../../test/jsdomGaps';
import { json, problem, renderAt, serve, type Handle } from '../../test/fakeServer';

const worker: Me = {
  id: '01a22270-2efb-741e-9418-4e419c1f9d98',
  username: 'w62567316',
  displayName: '赵六',
  role: 'worker',
  scope: { kind: 'person', personId: '01a22270-2ef8-75ea-ad81-59732fd0dcd7' },
  permissions: ['persons.read'],
  mustChangePassword: false,
};

const zhaoLiu: Person = {
  id: '01a22270-2ef8-75ea-ad81-59732fd0dcd7',
  name: '赵六',
  idNumberMasked: '411426********0058',
  sex: 'M',
  birthDate: '2001-09-30',
  phoneMasked: '138****1235',
  householdRegionCode: null,
  residenceRegionCode: null,
  regionCode: '411400',
  education: null,
  employmentStatus: 'unknown',
  keyGroups: [],
  reviewWarnings: [],
  note: null,
  source: 'self_registration',
  version: 1,
  createdAt: '2026-11-28T13:55:07.128Z',
  updatedAt: '2026-11-28T13:55:07.128Z',
};

const PASSWORD = 'Kite-Lamp-93!';

/** Nobody logged in; POST /api/auth/register answers with `register` and logs the worker in. */
function registrationApi(register: () => Response): Handle {
  let me: Me | null = null;
  return ({ method, url }) => {
    switch (`${method} ${url.pathname}`) {
      case 'GET /api/auth/me':
        return me ? json(me) : problem(401, 'UNAUTHENTICATED', 'Log in first');
      case 'POST /api/auth/register': {
        const response = register();
        if (response.ok) me = worker;
        return response;
      }
      case 'GET /api/persons':
        return me ? json({ items: [zhaoLiu], total: 1, page: 1, pageSize: 1 }) : undefined;
      case 'GET /api/regions':
      case 'GET /api/key-groups':
        return json({ items: [] });
    }
    return undefined;
  };
}

async function fillIn(values: Record<string, string>) {
  for (const [label, value] of Object.entries(values)) {
    fireEvent.change(await screen.findByLabelText(label), { target: { value } });
  }
  fireEvent.click(screen.getByRole('button', { name: /注册并登录/ }));
}

const FORM = {
  身份证号: '411426200109300058',
  '姓名（与身份证一致）': '赵六',
  手机号: '138 1234 1235',
  设置密码: PASSWORD,
  确认密码: PASSWORD,
};

beforeEach(() => {
  fillJsdomGaps();
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('worker registration', { timeout: 20_000 }, () => {
  it('registers a worker, logs them in and shows their own record', async () => {
    const sent = serve(
      registrationApi(() =>
        json({ token: 'x', expiresAt: '2026-11-29T01:55:07.125Z', user: worker }, 201),
      ),
    );
    const { router } = renderAt('/register');

    await fillIn(FORM);

    await waitFor(() => expect(router.state.location.pathname).toBe('/me'));
    expect(await screen.findByText('411426********0058')).toBeTruthy();
    expect(screen.getByRole('heading', { name: '我的信息' })).toBeTruthy();
    expect(sent.find((r) => r.path === '/api/auth/register')?.body).toEqual({
      idNumber: '411426200109300058',
      name: '赵六',
      phone: '13812341235',
      password: PASSWORD,
    });
  });

  it('puts the server’s objections on the fields they concern', async () => {
    serve(
      registrationApi(() =>
        problem(400, 'VALIDATION_FAILED', 'The new password must …', [
          { path: '/body/password', message: 'must not contain the phone number' },
          { path: '/body/password', message: 'is a common or breached password' },
        ]),
      ),
    );
    renderAt('/register');

    await fillIn(FORM);

    expect(await screen.findByText('不能包含手机号')).toBeTruthy();
    expect(screen.getByText('这是常见或已泄露的密码，请换一个')).toBeTruthy();
    expect(document.querySelector('.ant-alert')).toBeNull();
  });

  it('tells someone whose phone already has an account to log in instead', async () => {
    serve(
      registrationApi(() =>
        problem(409, 'ALREADY_REGISTERED', 'An account already uses this phone number', [
          { path: '/body/phone', message: 'already has an account' },
        ]),
      ),
    );
    renderAt('/register');

    await fillIn(FORM);

    expect(await screen.findByText('该手机号已注册账号，请直接登录')).toBeTruthy();
  });

  it('checks the confirmation before sending anything', async () => {
    const sent = serve(registrationApi(() => json({}, 500)));
    renderAt('/register');

    await fillIn({ ...FORM, 确认密码: 'Kite-Lamp-94!' });

    expect(await screen.findByText('两次输入的新密码不一致')).toBeTruthy();
    expect(sent.some((r) => r.path === '/api/auth/register')).toBe(false);
  });
});
