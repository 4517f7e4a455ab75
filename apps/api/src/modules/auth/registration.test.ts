import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { accountWithSession, type TestAccount } from '../../../test/auth.js';
import { FIXTURE_PHONES } from '../../../test/fixtures/sensitive.js';

const XIAYI_M_2001 = '411426200109300058';
const YONGCHENG_M_1998 = '411481199806150031';
const SUIYANG_F_2000 = '411403200002290027';
const PASSWORD = 'Kite-Lamp-93!';

let t: TestApp;
let city: TestAccount;

beforeAll(async () => {
  t = await createTestApp('2026-03-15T02:00:00Z');
  city = await accountWithSession(t.db, 'city_admin', { now: t.clock.now() });
});
afterAll(async () => {
  await t.close();
});

const register = (payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/auth/register', payload });
const login = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('worker self-registration', () => {
  it('registers the person and the account, logs in, and shows the worker only themself', async () => {
    const res = await register({
      idNumber: XIAYI_M_2001,
      name: '赵六',
      phone: FIXTURE_PHONES[1],
      password: PASSWORD,
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user).toMatchObject({
      role: 'worker',
      displayName: '赵六',
      mustChangePassword: false,
      scope: { kind: 'person' },
    });
    expect(String(res.headers['set-cookie'])).toContain('jineng_session=');
    const mine = await t.app.inject({
      url: '/api/persons',
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(mine.json()).toMatchObject({
      total: 1,
      items: [
        {
          name: '赵六',
          idNumberMasked: '411426********0058',
          phoneMasked: '138****1235',
          source: 'self_registration',
        },
      ],
    });
  });

  it('logs the worker in with the phone number or the account name', async () => {
    const byPhone = await login(
      `+86 ${FIXTURE_PHONES[1].slice(0, 3)}-${FIXTURE_PHONES[1].slice(3)}`,
      PASSWORD,
    );
    expect(byPhone.statusCode).toBe(200);
    const username = byPhone.json().user.username;
    expect(username).toMatch(/^w\d{8}$/);
    expect((await login(username, PASSWORD)).statusCode).toBe(200);
    expect((await login(FIXTURE_PHONES[1], 'Wrong-Pass-77')).statusCode).toBe(401);
    // A phone nobody registered is audited masked, never in full.
    expect((await login('13700001111', 'Wrong-Pass-77')).statusCode).toBe(401);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('actorUsername')
      .where('action', '=', 'auth.login.failed')
      .execute();
    expect(JSON.stringify(audit)).not.toContain(FIXTURE_PHONES[1]);
    expect(audit.map((a) => a.actorUsername).sort()).toEqual(['137****1111', username].sort());
  });

  it('refuses a second account for the same ID number or phone', async () => {
    const again = await register({
      idNumber: XIAYI_M_2001,
      name: '赵六',
      phone: FIXTURE_PHONES[2],
      password: PASSWORD,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      code: 'ALREADY_REGISTERED',
      errors: [{ path: '/body/idNumber' }],
    });
    const phone = await register({
      idNumber: YONGCHENG_M_1998,
      name: '周七',
      phone: FIXTURE_PHONES[1],
      password: PASSWORD,
    });
    expect(phone.json()).toMatchObject({
      code: 'ALREADY_REGISTERED',
      errors: [{ path: '/body/phone' }],
    });
  });

  it('matches a registered person by ID number and refuses a different name', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/persons',
      headers: city.headers,
      payload: { idNumber: SUIYANG_F_2000, name: '孙丽', residenceRegionCode: '411403' },
    });
    const personId = created.json().person.id;
    const mismatch = await register({
      idNumber: SUIYANG_F_2000,
      name: '孙莉',
      phone: FIXTURE_PHONES[2],
      password: PASSWORD,
    });
    expect(mismatch.statusCode).toBe(409);
    expect(mismatch.json().code).toBe('REGISTRATION_MISMATCH');
    const ok = await register({
      idNumber: SUIYANG_F_2000,
      name: '孙丽',
      phone: FIXTURE_PHONES[2],
      password: PASSWORD,
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().user.scope).toEqual({ kind: 'person', personId });
    const person = await t.app.inject({ url: `/api/persons/${personId}`, headers: city.headers });
    expect(person.json()).toMatchObject({ phoneMasked: '159****2345', regionCode: '411403' });
  });

  it('refuses a weak password and a bad ID number, naming the field', async () => {
    const weak = await register({
      idNumber: YONGCHENG_M_1998,
      name: '周七',
      phone: '13912345678',
      password: 'password1',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors.every((e: { path: string }) => e.path === '/body/password')).toBe(
      true,
    );
    const bad = await register({
      idNumber: '411481199806150030',
      name: '周七',
      phone: '13912345678',
      password: PASSWORD,
    });
    expect(bad.json().errors[0].path).toBe('/body/idNumber');
  });
});

describe('inviting a registered person', () => {
  it('opens an account with an initial password to change at first login', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/persons',
      headers: city.headers,
      payload: { idNumber: YONGCHENG_M_1998, name: '周七', phone: FIXTURE_PHONES[0] },
    });
    const personId = created.json().person.id;
    const invite = await t.app.inject({
      method: 'POST',
      url: `/api/persons/${personId}/invite`,
      headers: city.headers,
    });
    expect(invite.statusCode).toBe(201);
    const { initialPassword, phoneMasked } = invite.json();
    expect(phoneMasked).toBe('138****1234');
    const res = await login(FIXTURE_PHONES[0], initialPassword);
    expect(res.json().user).toMatchObject({
      role: 'worker',
      mustChangePassword: true,
      scope: { kind: 'person', personId },
    });
    const twice = await t.app.inject({
      method: 'POST',
      url: `/api/persons/${personId}/invite`,
      headers: city.headers,
    });
    expect(twice.statusCode).toBe(409);
  });
});
