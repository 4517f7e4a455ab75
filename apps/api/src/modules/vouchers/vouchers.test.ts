import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { insertBareClass } from '../../../test/classes.js';
import {
  accountWithSession,
  administrators,
  insertBarePerson,
  organisationWithStaff,
  type TestAccount,
} from '../../../test/auth.js';
import { FIXTURE_ID_NUMBERS } from '../../../test/fixtures/sensitive.js';
import { expireVouchers } from './vouchers.service.js';
import { isVoucherNumber } from './vouchers.rules.js';

let t: TestApp;
let city: TestAccount;
let county: TestAccount; // 411403
let otherCounty: TestAccount; // 411481
let staffA: TestAccount;
let staffB: TestAccount;
let orgA: string;
let orgB: string;
let classA: string;
let classB: string;
let classOther: string; // another occupation

const OCCUPATION = '6-01-01-01';
const TERMS = { occupationCode: OCCUPATION, valueFen: 150_000, validTo: '2026-12-31' };

/** An approved class starting in a week and running for three. */
async function insertClass(organisationId: string, occupationCode: string, subsidyFen: number) {
  const now = t.clock.now();
  return insertBareClass(t.db, {
    organisationId,
    occupationCode,
    subsidyStandardFen: subsidyFen,
    startsAt: new Date(now.getTime() + 7 * 86_400_000),
    endsAt: new Date(now.getTime() + 30 * 86_400_000),
    now,
  });
}

/** A bare person counted in `region`, with key groups. */
async function person(region = '411403', keyGroups: string[] = []): Promise<string> {
  const id = await insertBarePerson(t.db, t.clock.now());
  await t.db.updateTable('persons').set({ regionCode: region }).where('id', '=', id).execute();
  if (keyGroups.length > 0) {
    await t.db
      .insertInto('personKeyGroups')
      .values(keyGroups.map((keyGroupCode) => ({ personId: id, keyGroupCode })))
      .execute();
  }
  return id;
}

async function issue(personId: string, as: TestAccount = city, extra: object = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/vouchers',
    headers: as.headers,
    payload: { personId, ...TERMS, ...extra },
  });
}

async function issued(personId: string): Promise<{ id: string }> {
  const res = await issue(personId);
  expect(res.statusCode).toBe(201);
  return res.json();
}

async function holderOf(personId: string) {
  return accountWithSession(t.db, 'worker', {
    now: t.clock.now(),
    anchors: { personId },
  });
}

async function qr(holder: TestAccount, voucherId: string): Promise<string> {
  const res = await t.app.inject({
    url: `/api/me/vouchers/${voucherId}/qr`,
    headers: holder.headers,
  });
  expect(res.statusCode).toBe(200);
  return res.json().token;
}

function bind(staff: TestAccount, voucherId: string, payload: object) {
  return t.app.inject({
    method: 'POST',
    url: `/api/vouchers/${voucherId}/bind`,
    headers: staff.headers,
    payload,
  });
}

beforeAll(async () => {
  t = await createTestApp('2026-03-15T02:00:00Z');
  const now = t.clock.now();
  ({ city, county, otherCounty } = await administrators(t.db, now));
  ({ organisationId: orgA, staff: staffA } = await organisationWithStaff(
    t.db,
    'training_staff',
    now,
  ));
  ({ organisationId: orgB, staff: staffB } = await organisationWithStaff(
    t.db,
    'training_staff',
    now,
  ));
  classA = await insertClass(orgA, OCCUPATION, 120_000);
  classB = await insertClass(orgB, OCCUPATION, 120_000);
  classOther = await insertClass(orgA, '6-01-01-02', 120_000);
});
afterAll(async () => {
  await t.close();
});

describe('issuing vouchers', () => {
  it('issues a voucher with a checked number and audits it, and refuses a second live one', async () => {
    const personId = await person();
    const res = await issue(personId, county);
    expect(res.statusCode).toBe(201);
    const voucher = res.json();
    expect(isVoucherNumber(voucher.number)).toBe(true);
    expect(voucher).toMatchObject({
      state: 'issued',
      valueFen: 150_000,
      validFrom: '2026-03-15',
      occupationLevel: 4,
      holderIdNumberMasked: '411402********0011',
      regionCode: '411403',
    });
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('entityId', '=', voucher.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['voucher.issued']);

    const again = await issue(personId, county);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('VOUCHER_LIVE_EXISTS');
  });

  it('issues for a category and refuses an unknown occupation with a field path', async () => {
    const personId = await person();
    const category = await issue(personId, city, {
      occupationCode: '6-01-00-00',
      occupationLevel: 2,
    });
    expect(category.statusCode).toBe(201);
    const bad = await issue(personId, city, { occupationCode: '9-99-99-99' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      {
        path: '/body/occupationCode',
        message: 'no occupation or category with this code and level',
      },
    ]);
  });

  it('hides vouchers and persons of another county (404)', async () => {
    const personId = await person('411403');
    const { id } = await issued(personId);
    expect((await issue(personId, otherCounty, { occupationCode: '6-01-01-02' })).statusCode).toBe(
      404,
    );
    const read = await t.app.inject({ url: `/api/vouchers/${id}`, headers: otherCounty.headers });
    expect(read.statusCode).toBe(404);
    const list = await t.app.inject({ url: '/api/vouchers', headers: otherCounty.headers });
    expect(list.json().items.map((v: { id: string }) => v.id)).not.toContain(id);
    expect(
      (await t.app.inject({ url: `/api/vouchers/${id}`, headers: county.headers })).statusCode,
    ).toBe(200);
  });

  it('previews a batch with the count it then issues, skipping persons with a live voucher', async () => {
    const people = await Promise.all([1, 2, 3, 4].map(() => person('411426', ['rural_transfer'])));
    await person('411426'); // not in the key group
    await issued(people[0] as string);
    const body = {
      filter: { keyGroup: 'rural_transfer', regionCode: '411426' },
      ...TERMS,
    };
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/vouchers/batch',
      headers: city.headers,
      payload: { ...body, preview: true },
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ preview: true, count: 3, issued: 0 });
    expect(preview.json().sample[0]).toEqual({
      name: '测**员',
      idNumberMasked: '411402********0011',
    });

    const run = await t.app.inject({
      method: 'POST',
      url: '/api/vouchers/batch',
      headers: city.headers,
      payload: { ...body, preview: false },
    });
    expect(run.json()).toMatchObject({ preview: false, count: 3, issued: 3 });
    const audited = await t.db
      .selectFrom('auditEvents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'voucher.batch_issued')
      .executeTakeFirstOrThrow();
    expect(Number(audited.n)).toBe(3);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/vouchers/batch',
      headers: city.headers,
      payload: { ...body, preview: true },
    });
    expect(again.json().count).toBe(0);
  });

  it('replays a retried issue with the same Idempotency-Key and issues only once', async () => {
    const personId = await person();
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/vouchers',
        headers: { ...city.headers, 'idempotency-key': `issue-${personId}` },
        payload: { personId, ...TERMS },
      });
    const first = await send();
    const second = await send();
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    const rows = await t.db
      .selectFrom('vouchers')
      .select('id')
      .where('personId', '=', personId)
      .execute();
    expect(rows).toHaveLength(1);
  });
});

describe('binding vouchers', () => {
  it('binds by the holder’s QR, showing the name and masked ID, and stores both amounts', async () => {
    const personId = await person();
    const { id } = await issued(personId);
    const holder = await holderOf(personId);
    const res = await bind(staffA, id, { classId: classA, token: await qr(holder, id) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      pending: false,
      holder: { name: '测试人员', idNumberMasked: '411402********0011' },
      voucher: {
        state: 'bound',
        classId: classA,
        valueFen: 150_000,
        subsidyStandardFen: 120_000,
        amountPayableFen: 120_000,
      },
    });
    // The holder is enrolled in the class with the voucher.
    const trainee = await t.db
      .selectFrom('classTrainees')
      .select(['personId', 'voucherId'])
      .where('classId', '=', classA)
      .where('voucherId', '=', id)
      .executeTakeFirst();
    expect(trainee).toEqual({ personId, voucherId: id });
    // The institution now sees it; the other does not.
    expect(
      (await t.app.inject({ url: `/api/vouchers/${id}`, headers: staffA.headers })).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ url: `/api/vouchers/${id}`, headers: staffB.headers })).statusCode,
    ).toBe(404);
  });

  it('lets exactly one of 8 parallel binds from two institutions win; the rest get 409', async () => {
    const personId = await person();
    const { id } = await issued(personId);
    const token = await qr(await holderOf(personId), id);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        bind(i % 2 === 0 ? staffA : staffB, id, { classId: i % 2 === 0 ? classA : classB, token }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) {
      expect(r.json().code).toBe('VOUCHER_STATE_CONFLICT');
    }
    const events = await t.db
      .selectFrom('voucherEvents')
      .select('action')
      .where('voucherId', '=', id)
      .execute();
    expect(events.map((e) => e.action).sort()).toEqual(['bind', 'issue']);
    const trainees = await t.db
      .selectFrom('classTrainees')
      .select('classId')
      .where('voucherId', '=', id)
      .execute();
    expect(trainees).toHaveLength(1);
  });

  it('answers a retried bind with the same Idempotency-Key with the first answer, not 409', async () => {
    const personId = await person();
    const { id } = await issued(personId);
    const token = await qr(await holderOf(personId), id);
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/vouchers/${id}/bind`,
        headers: { ...staffA.headers, 'idempotency-key': `bind-${id}` },
        payload: { classId: classA, token },
      });
    const first = await send();
    const retry = await send();
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const other = await t.app.inject({
      method: 'POST',
      url: `/api/vouchers/${id}/bind`,
      headers: { ...staffA.headers, 'idempotency-key': `bind-${id}` },
      payload: { classId: classOther, token },
    });
    expect(other.statusCode).toBe(422);
  });

  it('refuses a stale (61 s), foreign or forged QR token', async () => {
    const mine = await person();
    const theirs = await person();
    const { id } = await issued(mine);
    const other = await issued(theirs);
    const holder = await holderOf(mine);
    const token = await qr(holder, id);
    const foreign = await qr(await holderOf(theirs), other.id);

    const wrong = await bind(staffA, id, { classId: classA, token: foreign });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({
      code: 'VOUCHER_TOKEN_INVALID',
      errors: [{ path: '/body/token' }],
    });
    const forged = await bind(staffA, id, {
      classId: classA,
      token: `${token.split('.')[0]}.AAAA`,
    });
    expect(forged.json().code).toBe('VOUCHER_TOKEN_INVALID');

    t.clock.set(new Date(t.clock.now().getTime() + 61_000));
    const stale = await bind(staffA, id, { classId: classA, token });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().code).toBe('VOUCHER_TOKEN_INVALID');
    const fresh = await bind(staffA, id, { classId: classA, token: await qr(holder, id) });
    expect(fresh.statusCode).toBe(200);
  });

  it('refuses a class of another occupation or another institution', async () => {
    const personId = await person();
    const { id } = await issued(personId);
    const token = await qr(await holderOf(personId), id);
    const mismatch = await bind(staffA, id, { classId: classOther, token });
    expect(mismatch.statusCode).toBe(409);
    expect(mismatch.json().code).toBe('VOUCHER_OCCUPATION_MISMATCH');
    const notMine = await bind(staffA, id, { classId: classB, token });
    expect(notMine.statusCode).toBe(404);
  });

  it('cannot bind an expired voucher, before or after the expiry job', async () => {
    const personId = await person();
    const { id } = await issued(personId);
    const holder = await holderOf(personId);
    await t.db
      .updateTable('vouchers')
      .set({ validFrom: '2026-03-01', validTo: '2026-03-14' })
      .where('id', '=', id)
      .execute();
    const token = await qr(holder, id);
    const before = await bind(staffA, id, { classId: classA, token });
    expect(before.statusCode).toBe(409);
    expect(before.json().code).toBe('VOUCHER_EXPIRED');

    expect((await expireVouchers(t.db, t.clock)).expired).toBeGreaterThanOrEqual(1);
    const read = await t.app.inject({ url: `/api/vouchers/${id}`, headers: city.headers });
    expect(read.json().state).toBe('expired');
    const after = await bind(staffA, id, { classId: classA, token });
    expect(after.statusCode).toBe(409);
    expect(after.json().code).toBe('VOUCHER_EXPIRED');
    const qrRefused = await t.app.inject({
      url: `/api/me/vouchers/${id}/qr`,
      headers: holder.headers,
    });
    expect(qrRefused.statusCode).toBe(409);
    expect((await expireVouchers(t.db, t.clock)).expired).toBe(0);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('entityId', '=', id)
      .where('action', '=', 'voucher.expired')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('binds by ID number only once the holder confirms on their phone', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/persons',
      headers: city.headers,
      payload: { idNumber: FIXTURE_ID_NUMBERS[4], name: '李四', residenceRegionCode: '411403' },
    });
    expect(created.statusCode).toBe(201);
    const personId = created.json().person.id as string;
    const { id } = await issued(personId);

    const wrong = await bind(staffA, id, { classId: classA, idNumber: FIXTURE_ID_NUMBERS[5] });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('/body/idNumber');

    const pending = await bind(staffA, id, { classId: classA, idNumber: FIXTURE_ID_NUMBERS[4] });
    expect(pending.statusCode).toBe(202);
    expect(pending.json()).toMatchObject({
      pending: true,
      holder: { name: '李四', idNumberMasked: '411403********0027' },
      voucher: { state: 'issued', pendingBinding: { classId: classA } },
    });

    const holder = await holderOf(personId);
    const stranger = await holderOf(await person());
    const notTheirs = await t.app.inject({
      method: 'POST',
      url: `/api/vouchers/${id}/confirm-binding`,
      headers: stranger.headers,
    });
    expect(notTheirs.statusCode).toBe(404);
    const confirmed = await t.app.inject({
      method: 'POST',
      url: `/api/vouchers/${id}/confirm-binding`,
      headers: holder.headers,
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({
      state: 'bound',
      classId: classA,
      pendingBinding: null,
    });
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('entityId', '=', id)
      .orderBy('id')
      .execute();
    // The holder had no account when the binding was requested: flagged for review at once,
    // and the holder may still confirm.
    expect(audit.map((a) => a.action)).toEqual([
      'voucher.issued',
      'voucher.binding_requested',
      'voucher.binding_flagged',
      'voucher.binding_confirmed',
    ]);
  });
});

describe('cancelling and applying', () => {
  it('cancels an unused voucher with a reason, once', async () => {
    const { id } = await issued(await person());
    const cancel = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/vouchers/${id}/cancel`,
        headers: county.headers,
        payload: { reason: '重复发放' },
      });
    const first = await cancel();
    expect(first.statusCode).toBe(200);
    expect(first.json().state).toBe('cancelled');
    const second = await cancel();
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('VOUCHER_STATE_CONFLICT');
  });

  it('lets a worker apply and a county administrator approve, issuing the voucher', async () => {
    const personId = await person();
    const worker = await holderOf(personId);
    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/me/voucher-applications',
      headers: worker.headers,
      payload: { occupationCode: OCCUPATION, reason: '想学制米' },
    });
    expect(applied.statusCode).toBe(201);
    const application = applied.json();
    expect(application.state).toBe('pending');
    const twice = await t.app.inject({
      method: 'POST',
      url: '/api/me/voucher-applications',
      headers: worker.headers,
      payload: { occupationCode: OCCUPATION },
    });
    expect(twice.statusCode).toBe(409);

    const elsewhere = await t.app.inject({
      method: 'POST',
      url: `/api/voucher-applications/${application.id}/approve`,
      headers: otherCounty.headers,
      payload: { valueFen: 100_000, validTo: '2026-12-31' },
    });
    expect(elsewhere.statusCode).toBe(404);
    const approved = await t.app.inject({
      method: 'POST',
      url: `/api/voucher-applications/${application.id}/approve`,
      headers: county.headers,
      payload: { valueFen: 100_000, validTo: '2026-12-31' },
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      application: { state: 'approved' },
      voucher: { source: 'applied', personId, valueFen: 100_000 },
    });
    const mine = await t.app.inject({ url: '/api/vouchers', headers: worker.headers });
    expect(mine.json().items).toHaveLength(1);
  });

  it('rejects an application with a reason', async () => {
    const worker = await holderOf(await person());
    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/me/voucher-applications',
      headers: worker.headers,
      payload: { occupationCode: OCCUPATION },
    });
    const rejected = await t.app.inject({
      method: 'POST',
      url: `/api/voucher-applications/${applied.json().id}/reject`,
      headers: city.headers,
      payload: { reason: '不符合条件' },
    });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ state: 'rejected', decisionReason: '不符合条件' });
  });
});
