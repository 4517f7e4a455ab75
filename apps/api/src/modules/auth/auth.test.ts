import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { FIXTURE_PASSWORD, accountWithSession } from '../../../test/auth.js';
import { bootstrapAdmin } from './auth.service.js';

let t: TestApp;
const START = '2026-03-15T02:00:00Z';

beforeAll(async () => {
  t = await createTestApp(START);
});
afterAll(async () => {
  await t.close();
});

function login(username: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
}

async function auditActions(entityId: string) {
  const rows = await t.db
    .selectFrom('auditEvents')
    .select(['action', 'outcome', 'details'])
    .where('entityId', '=', entityId)
    .orderBy('occurredAt')
    .execute();
  return rows;
}

describe('login', () => {
  it('returns a token and sets an HttpOnly SameSite session cookie', async () => {
    t.clock.set(START);
    const account = await accountWithSession(t.db, 'city_admin', {
      username: 'wang.li',
      now: t.clock.now(),
    });
    const res = await login('Wang.Li', FIXTURE_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      token: string;
      user: { username: string; role: string; scope: unknown; permissions: string[] };
    }>();
    expect(body.user).toMatchObject({
      username: 'wang.li',
      role: 'city_admin',
      scope: { kind: 'city' },
    });
    expect(body.user.permissions).toContain('users.manage');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^jineng_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');

    const viaBearer = await t.app.inject({
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(viaBearer.json()).toMatchObject({ id: account.id, username: 'wang.li' });
    const viaCookie = await t.app.inject({
      url: '/api/auth/me',
      cookies: { jineng_session: body.token },
    });
    expect(viaCookie.statusCode).toBe(200);
    expect(await auditActions(account.id)).toEqual([]);
    const sessionAudit = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'actorUsername'])
      .where('action', '=', 'auth.login.succeeded')
      .execute();
    expect(sessionAudit).toEqual([{ action: 'auth.login.succeeded', actorUsername: 'wang.li' }]);
  });

  it('answers an unknown username exactly like a wrong password, and audits it', async () => {
    const unknown = await login('nobody-here', 'whatever-Pass-1');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      detail: 'The username or password is wrong',
    });
    const failed = await t.db
      .selectFrom('auditEvents')
      .select(['actorUsername', 'details', 'outcome'])
      .where('action', '=', 'auth.login.failed')
      .where('actorUsername', '=', 'nobody-here')
      .execute();
    expect(failed).toEqual([
      { actorUsername: 'nobody-here', details: { reason: 'unknown_username' }, outcome: 'failed' },
    ]);
  });

  it('locks the account for 15 minutes after 5 wrong passwords', async () => {
    t.clock.set(START);
    const account = await accountWithSession(t.db, 'auditor', {
      username: 'zhao.min',
      now: t.clock.now(),
    });
    for (let i = 1; i <= 4; i++) {
      const res = await login('zhao.min', `Wrong-Pass-${i}`);
      expect(res.statusCode).toBe(401);
    }
    const fifth = await login('zhao.min', 'Wrong-Pass-5');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json()).toMatchObject({ code: 'ACCOUNT_LOCKED', status: 423 });
    expect(fifth.headers['retry-after']).toBe('900');

    // Even the right password is refused while locked.
    t.clock.set(new Date(Date.parse(START) + 10 * 60_000));
    const locked = await login('zhao.min', FIXTURE_PASSWORD);
    expect(locked.statusCode).toBe(423);
    expect(locked.headers['retry-after']).toBe('300');

    t.clock.set(new Date(Date.parse(START) + 15 * 60_000 + 1000));
    expect((await login('zhao.min', FIXTURE_PASSWORD)).statusCode).toBe(200);

    const actions = (await auditActions(account.id)).map((a) => a.action);
    expect(actions.filter((a) => a === 'auth.login.failed')).toHaveLength(6);
    expect(actions).toContain('user.locked');
  });

  it('refuses a disabled account with the same answer as a wrong password', async () => {
    await accountWithSession(t.db, 'finance', { username: 'qian.fei' });
    await t.db
      .updateTable('users')
      .set({ status: 'disabled' })
      .where('username', '=', 'qian.fei')
      .execute();
    const res = await login('qian.fei', FIXTURE_PASSWORD);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a login body with extra or missing fields', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { path: '/body/password', message: "must have required property 'password'" },
    ]);
  });
});

describe('sessions', () => {
  it('end after 30 minutes without a request', async () => {
    t.clock.set(START);
    const account = await accountWithSession(t.db, 'auditor', { now: t.clock.now() });
    const me = () => t.app.inject({ url: '/api/auth/me', headers: account.headers });
    t.clock.set(new Date(Date.parse(START) + 29 * 60_000));
    expect((await me()).statusCode).toBe(200);
    // That request kept it alive for another 30 minutes.
    t.clock.set(new Date(Date.parse(START) + 58 * 60_000));
    expect((await me()).statusCode).toBe(200);
    t.clock.set(new Date(Date.parse(START) + 89 * 60_000));
    const expired = await me();
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('UNAUTHENTICATED');
  });

  it('end 12 hours after login however active', async () => {
    t.clock.set(START);
    const account = await accountWithSession(t.db, 'auditor', { now: t.clock.now() });
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      t.clock.set(new Date(Date.parse(START) + minutes * 60_000));
      expect(
        (await t.app.inject({ url: '/api/auth/me', headers: account.headers })).statusCode,
      ).toBe(200);
    }
    t.clock.set(new Date(Date.parse(START) + 12 * 3600_000));
    expect((await t.app.inject({ url: '/api/auth/me', headers: account.headers })).statusCode).toBe(
      401,
    );
  });

  it('end at logout', async () => {
    t.clock.set(START);
    const account = await accountWithSession(t.db, 'auditor', { now: t.clock.now() });
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: account.headers,
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('jineng_session=;');
    expect((await t.app.inject({ url: '/api/auth/me', headers: account.headers })).statusCode).toBe(
      401,
    );
  });

  it('ignore a made-up token', async () => {
    const res = await t.app.inject({
      url: '/api/auth/me',
      headers: { authorization: 'Bearer not-a-real-token-at-all-000000' },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('initial passwords', () => {
  it('must be changed before anything else, to one that meets the policy', async () => {
    t.clock.set(START);
    const account = await accountWithSession(t.db, 'city_admin', {
      username: 'sun.hao',
      mustChangePassword: true,
      now: t.clock.now(),
    });
    const blocked = await t.app.inject({ url: '/api/users', headers: account.headers });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(
      (await t.app.inject({ url: '/api/auth/me', headers: account.headers })).json()
        .mustChangePassword,
    ).toBe(true);

    const change = (newPassword: string, currentPassword = FIXTURE_PASSWORD) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: account.headers,
        payload: { currentPassword, newPassword },
      });
    const weak = await change('password1');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors.map((e: { message: string }) => e.message)).toEqual([
      'must mix at least 3 of: lower-case, upper-case, digits, symbols',
      'is a common or breached password',
    ]);
    const withName = await change('Sun.Hao-2026x');
    expect(withName.json().errors).toEqual([
      { path: '/body/newPassword', message: 'must not contain the username' },
    ]);
    const wrongCurrent = await change('Kite-Lamp-93!', 'not-my-password');
    expect(wrongCurrent.json().errors).toEqual([
      { path: '/body/currentPassword', message: 'is wrong' },
    ]);

    expect((await change('Kite-Lamp-93!')).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/users', headers: account.headers })).statusCode).toBe(
      200,
    );
    const relogin = await login('sun.hao', 'Kite-Lamp-93!');
    expect(relogin.json().user.mustChangePassword).toBe(false);
  });
});

describe('bootstrapAdmin', () => {
  it('refuses a weak JINENG_ADMIN_PASSWORD and creates nothing', async () => {
    const fresh = await createTestApp(START);
    try {
      await expect(bootstrapAdmin(fresh.db, fresh.clock, { password: 'admin123' })).rejects.toThrow(
        /JINENG_ADMIN_PASSWORD/,
      );
      const first = await bootstrapAdmin(fresh.db, fresh.clock, {});
      expect(first.created).toBe(true);
      const generated = first.created ? first.generatedPassword : undefined;
      expect(generated).toMatch(/^.{16,}$/);
      expect(await bootstrapAdmin(fresh.db, fresh.clock, {})).toEqual({ created: false });
      const res = await fresh.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: generated },
      });
      expect(res.json().user).toMatchObject({ role: 'city_admin', mustChangePassword: true });
    } finally {
      await fresh.close();
    }
  });
});
