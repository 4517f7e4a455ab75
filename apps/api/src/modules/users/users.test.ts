import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  type TestAccount,
} from '../../../test/auth.js';

let t: TestApp;
let city: TestAccount;
let suiyang: TestAccount;
let liangyuanClerk: TestAccount;

beforeAll(async () => {
  t = await createTestApp();
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { username: 'city.admin', now });
  suiyang = await accountWithSession(t.db, 'county_admin', {
    username: 'suiyang.admin',
    now,
    anchors: { regionCode: '411403' },
  });
  liangyuanClerk = await accountWithSession(t.db, 'county_admin', {
    username: 'liangyuan.admin',
    now,
    anchors: { regionCode: '411402' },
  });
});
afterAll(async () => {
  await t.close();
});

describe('creating accounts', () => {
  it('returns an initial password once, which works and must be changed', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: city.headers,
      payload: {
        username: 'li.officer',
        displayName: '李经办',
        role: 'unit_officer',
        unitId: 'A2-16',
      },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ user: Record<string, unknown>; initialPassword: string }>();
    expect(body.user).toMatchObject({
      username: 'li.officer',
      role: 'unit_officer',
      unitId: 'A2-16',
      mustChangePassword: true,
      status: 'active',
    });
    expect(body.user).not.toHaveProperty('passwordHash');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'li.officer', password: body.initialPassword },
    });
    expect(login.json().user).toMatchObject({
      scope: { kind: 'unit', unitId: 'A2-16' },
      mustChangePassword: true,
    });
    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'actorUsername', 'after'])
      .where('entityId', '=', body.user.id as string)
      .execute();
    expect(audit[0]).toMatchObject({ action: 'user.created', actorUsername: 'city.admin' });
    expect(JSON.stringify(audit)).not.toContain(body.initialPassword);
  });

  it('refuses a role without the anchor it needs, naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: city.headers,
      payload: { username: 'no.unit', displayName: 'x', role: 'unit_officer' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { path: '/body/unitId', message: 'required for unit_officer' },
    ]);
  });

  it('refuses an unknown organisation or person with a field error, not a 500', async () => {
    const org = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: city.headers,
      payload: {
        username: 'x.staff',
        displayName: 'x',
        role: 'training_staff',
        organisationId: '0193a0a0-0000-7000-8000-00000000ffff',
      },
    });
    expect(org.statusCode).toBe(400);
    expect(org.json().errors).toEqual([
      { path: '/body/organisationId', message: 'unknown organisation' },
    ]);
    const person = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: city.headers,
      payload: {
        username: 'x.worker',
        displayName: 'x',
        role: 'worker',
        personId: '0193a0a0-0000-7000-8000-00000000ffff',
      },
    });
    expect(person.json().errors).toEqual([{ path: '/body/personId', message: 'unknown person' }]);
  });

  it('refuses an unknown unit and a taken username (any case)', async () => {
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: city.headers,
      payload: { username: 'x.unit', displayName: 'x', role: 'unit_officer', unitId: 'A9-99' },
    });
    expect(unknown.json().errors).toEqual([
      { path: '/body/unitId', message: 'unknown responsible unit' },
    ]);
    const taken = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: city.headers,
      payload: { username: 'CITY.ADMIN', displayName: 'x', role: 'auditor' },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('USERNAME_TAKEN');
  });

  it('lets a county admin create accounts of their own region only, and no city-wide roles', async () => {
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: suiyang.headers,
      payload: { username: 'suiyang.deputy', displayName: '睢阳副管', role: 'county_admin' },
    });
    expect(own.statusCode).toBe(201);
    expect(own.json().user.regionCode).toBe('411403');
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: suiyang.headers,
      payload: { username: 'sneaky', displayName: 'x', role: 'county_admin', regionCode: '411402' },
    });
    expect(other.statusCode).toBe(403);
    const auditor = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: suiyang.headers,
      payload: { username: 'sneaky2', displayName: 'x', role: 'auditor' },
    });
    expect(auditor.statusCode).toBe(403);
    expect(auditor.json().errors).toEqual([
      { path: '/body/role', message: 'not assignable by you' },
    ]);
  });

  it('lets a county admin create staff of organisations in their own county only', async () => {
    const now = t.clock.now();
    const ownOrg = await insertBareOrganisation(t.db, 'training_institution', {
      regionCode: '411403',
      now,
    });
    const otherOrg = await insertBareOrganisation(t.db, 'training_institution', {
      regionCode: '411402',
      now,
    });
    const staff = (username: string, organisationId: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: suiyang.headers,
        payload: { username, displayName: '机构人员', role: 'training_staff', organisationId },
      });
    const own = await staff('suiyang.school.staff', ownOrg);
    expect(own.statusCode).toBe(201);
    expect(own.json().user.organisationId).toBe(ownOrg);
    const other = await staff('liangyuan.school.staff', otherOrg);
    expect(other.statusCode).toBe(403);
    expect(other.json().errors).toEqual([
      { path: '/body/organisationId', message: 'outside your region' },
    ]);
    const unknown = await staff('ghost.staff', '01890000-0000-7000-8000-000000000000');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([
      { path: '/body/organisationId', message: 'unknown organisation' },
    ]);
    const ownCountyUnit = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: suiyang.headers,
      payload: {
        username: 'city.dept.officer',
        displayName: '部门经办',
        role: 'unit_officer',
        unitId: 'A2-16',
      },
    });
    expect(ownCountyUnit.statusCode).toBe(403);
  });
});

describe('scope', () => {
  it('shows a 睢阳区 admin only 睢阳区 accounts in lists and searches', async () => {
    const res = await t.app.inject({ url: '/api/users?pageSize=200', headers: suiyang.headers });
    const { items, total } = res.json<{ items: Array<{ regionCode: string }>; total: number }>();
    expect(total).toBe(items.length);
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.every((u) => u.regionCode === '411403')).toBe(true);
    const search = await t.app.inject({ url: '/api/users?q=liangyuan', headers: suiyang.headers });
    expect(search.json()).toMatchObject({ items: [], total: 0 });
  });

  it('answers 404 for a 梁园区 account, as if it did not exist', async () => {
    for (const [method, url] of [
      ['GET', `/api/users/${liangyuanClerk.id}`],
      ['PATCH', `/api/users/${liangyuanClerk.id}`],
      ['POST', `/api/users/${liangyuanClerk.id}/reset-password`],
      ['POST', `/api/users/${liangyuanClerk.id}/unlock`],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        headers: suiyang.headers,
        ...(method === 'PATCH' ? { payload: { status: 'disabled' } } : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect(
      (await t.app.inject({ url: `/api/users/${liangyuanClerk.id}`, headers: city.headers }))
        .statusCode,
    ).toBe(200);
  });
});

describe('managing accounts', () => {
  it('disabling an account ends its sessions', async () => {
    const target = await accountWithSession(t.db, 'finance', { now: t.clock.now() });
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${target.id}`,
      headers: city.headers,
      payload: { status: 'disabled' },
    });
    expect(res.json().status).toBe('disabled');
    expect((await t.app.inject({ url: '/api/auth/me', headers: target.headers })).statusCode).toBe(
      401,
    );
  });

  it('refuses to let an admin disable themselves', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${city.id}`,
      headers: city.headers,
      payload: { status: 'disabled' },
    });
    expect(res.statusCode).toBe(409);
  });

  it('unlocks a locked account and resets a password with a new initial one', async () => {
    const target = await accountWithSession(t.db, 'auditor', { now: t.clock.now() });
    await t.db
      .updateTable('users')
      .set({ lockedUntil: new Date(t.clock.now().getTime() + 600_000), failedLoginCount: 0 })
      .where('id', '=', target.id)
      .execute();
    const seen = await t.app.inject({ url: `/api/users/${target.id}`, headers: city.headers });
    expect(seen.json().lockedUntil).not.toBeNull();
    const unlocked = await t.app.inject({
      method: 'POST',
      url: `/api/users/${target.id}/unlock`,
      headers: city.headers,
    });
    expect(unlocked.json().lockedUntil).toBeNull();
    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/users/${target.id}/reset-password`,
      headers: city.headers,
    });
    const { initialPassword } = reset.json<{ initialPassword: string }>();
    expect((await t.app.inject({ url: '/api/auth/me', headers: target.headers })).statusCode).toBe(
      401,
    );
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: target.username, password: initialPassword },
    });
    expect(login.json().user.mustChangePassword).toBe(true);
  });
});
