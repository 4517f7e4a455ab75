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
import { uuidv7 } from '../../platform/ids.js';
import { voucherJobs } from './vouchers.jobs.js';
import { expireVouchers } from './vouchers.service.js';

/*
 * Binding extras of issue #5: the lookup before binding, the review of bindings requested by ID
 * number, un-enrolment on cancel / expiry / unbind, and a worker's own classes.
 */

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

async function insertClass(
  organisationId: string,
  occupationCode: string,
  subsidyFen: number,
  capacity = 30,
  window: { startsAt?: Date; endsAt?: Date } = {},
) {
  const now = t.clock.now();
  return insertBareClass(t.db, {
    organisationId,
    occupationCode,
    subsidyStandardFen: subsidyFen,
    capacity,
    startsAt: window.startsAt ?? new Date(now.getTime() + 7 * 86_400_000),
    endsAt: window.endsAt ?? new Date(now.getTime() + 30 * 86_400_000),
    now,
  });
}

async function person(region = '411403'): Promise<string> {
  const id = await insertBarePerson(t.db, t.clock.now());
  await t.db.updateTable('persons').set({ regionCode: region }).where('id', '=', id).execute();
  return id;
}

/** A person registered with a real (fixture) ID number in `region`. */
async function registered(idNumber: string, name: string, region = '411403'): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/persons',
    headers: city.headers,
    payload: { idNumber, name, residenceRegionCode: region },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().person.id as string;
}

async function issued(personId: string, extra: object = {}): Promise<{ id: string }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/vouchers',
    headers: city.headers,
    payload: { personId, ...TERMS, ...extra },
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

async function holderOf(personId: string) {
  return accountWithSession(t.db, 'worker', { now: t.clock.now(), anchors: { personId } });
}

async function qr(holder: TestAccount, voucherId: string): Promise<string> {
  const res = await t.app.inject({
    url: `/api/me/vouchers/${voucherId}/qr`,
    headers: holder.headers,
  });
  expect(res.statusCode).toBe(200);
  return res.json().token;
}

function post(as: TestAccount, url: string, payload?: object) {
  return t.app.inject({ method: 'POST', url, headers: as.headers, payload });
}

function lookup(staff: TestAccount, payload: object) {
  return post(staff, '/api/vouchers/lookup', payload);
}

function bind(staff: TestAccount, voucherId: string, payload: object) {
  return post(staff, `/api/vouchers/${voucherId}/bind`, payload);
}

function get(as: TestAccount, url: string) {
  return t.app.inject({ url, headers: as.headers });
}

async function voucher(as: TestAccount, id: string) {
  return (await get(as, `/api/vouchers/${id}`)).json();
}

async function traineeOf(voucherId: string) {
  return t.db
    .selectFrom('classTrainees')
    .select(['classId', 'personId'])
    .where('voucherId', '=', voucherId)
    .executeTakeFirst();
}

/** Binds a fresh person's fresh voucher to `classId` by QR; returns the response and voucher. */
async function bindFresh(classId: string, terms: object = {}) {
  const personId = await person();
  const { id } = await issued(personId, terms);
  const holder = await holderOf(personId);
  const token = await qr(holder, id);
  return { id, personId, holder, res: await bind(staffA, id, { classId, token }) };
}

const START = '2026-03-15T02:00:00Z';

const later = (ms: number) => new Date(new Date(START).getTime() + ms);

async function auditActions(entityId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('auditEvents')
    .select('action')
    .where('entityId', '=', entityId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
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

describe('POST /api/vouchers/lookup', () => {
  it('finds the voucher a QR token names, with the masked holder and whether it binds', async () => {
    const personId = await person();
    const { id } = await issued(personId);
    const token = await qr(await holderOf(personId), id);
    const res = await lookup(staffA, { classId: classA, token });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      voucher: { id, state: 'issued' },
      holder: { name: '测试人员', idNumberMasked: '411402********0011' },
      bindable: true,
      reason: null,
    });
    // The occupation of another class does not match: found, but not bindable.
    const other = await lookup(staffA, { classId: classOther, token });
    expect(other.statusCode).toBe(200);
    expect(other.json()).toMatchObject({
      bindable: false,
      reason: 'VOUCHER_OCCUPATION_MISMATCH',
    });
    // A foreign institution's class is 404; a forged token 400.
    expect((await lookup(staffA, { classId: classB, token })).statusCode).toBe(404);
    const forged = await lookup(staffA, { classId: classA, token: `${token}x` });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('VOUCHER_TOKEN_INVALID');
    // An expired token is refused too.
    t.clock.set(new Date(t.clock.now().getTime() + 61_000));
    const stale = await lookup(staffA, { classId: classA, token });
    expect(stale.json().code).toBe('VOUCHER_TOKEN_INVALID');
    t.clock.set('2026-03-15T02:00:00Z');
  });

  it('finds the holder’s matching voucher by ID number, audits it, and answers 404 alike', async () => {
    const personId = await registered(FIXTURE_ID_NUMBERS[3], '张三');
    const { id } = await issued(personId);
    const res = await lookup(staffA, { classId: classA, idNumber: FIXTURE_ID_NUMBERS[3] });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      voucher: { id, personId },
      holder: { name: '张三' },
      bindable: true,
      reason: null,
    });
    expect(JSON.stringify(body)).not.toContain(FIXTURE_ID_NUMBERS[3]);
    expect(await auditActions(id)).toEqual(['voucher.issued', 'voucher.looked_up']);

    // No voucher for the other class's occupation, and nobody with this ID number: both 404.
    const wrongClass = await lookup(staffA, {
      classId: classOther,
      idNumber: FIXTURE_ID_NUMBERS[3],
    });
    expect(wrongClass.statusCode).toBe(404);
    expect(wrongClass.json().code).toBe('NOT_FOUND');
    const nobody = await lookup(staffA, { classId: classA, idNumber: FIXTURE_ID_NUMBERS[7] });
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().code).toBe('NOT_FOUND');
    // Another institution's class: 404 before anything is looked up.
    const foreign = await lookup(staffA, { classId: classB, idNumber: FIXTURE_ID_NUMBERS[3] });
    expect(foreign.statusCode).toBe(404);
    expect(await auditActions(id)).toEqual(['voucher.issued', 'voucher.looked_up']);

    // Then the same ID number binds (awaiting the holder), and a second lookup says why not.
    const pending = await bind(staffA, id, { classId: classA, idNumber: FIXTURE_ID_NUMBERS[3] });
    expect(pending.statusCode).toBe(202);
    const again = await lookup(staffA, { classId: classA, idNumber: FIXTURE_ID_NUMBERS[3] });
    expect(again.json()).toMatchObject({ bindable: false, reason: 'VOUCHER_STATE_CONFLICT' });
  });

  it('refuses both or neither of token and ID number', async () => {
    const both = await lookup(staffA, { classId: classA, token: 'a.b', idNumber: 'x' });
    expect(both.statusCode).toBe(400);
    expect(both.json().code).toBe('VALIDATION_FAILED');
    const neither = await lookup(staffA, { classId: classA });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('review of bindings requested by ID number', () => {
  it('flags at once when the holder has no account; a county administrator approves', async () => {
    const personId = await registered(FIXTURE_ID_NUMBERS[4], '李四');
    const { id } = await issued(personId);
    const requested = await bind(staffA, id, { classId: classA, idNumber: FIXTURE_ID_NUMBERS[4] });
    expect(requested.statusCode).toBe(202);
    expect(requested.json().voucher.pendingBinding).toEqual({
      classId: classA,
      requestedAt: START.replace('Z', '.000Z'),
      flaggedAt: START.replace('Z', '.000Z'),
      flagReason: 'no_account',
    });

    const queue = await get(county, '/api/vouchers?pendingReview=true');
    expect(queue.statusCode).toBe(200);
    const queued = queue.json().items as { id: string; pendingBinding: unknown }[];
    expect(queued.map((v) => v.id)).toContain(id);
    expect(queued.every((v) => v.pendingBinding !== null)).toBe(true);
    expect((await get(otherCounty, '/api/vouchers?pendingReview=true')).json().items).toEqual([]);

    const review = (as: TestAccount, body: object) =>
      post(as, `/api/vouchers/${id}/review-binding`, body);
    const elsewhere = await review(otherCounty, { approve: true, reason: '核实无误' });
    expect(elsewhere.statusCode).toBe(404);
    expect((await review(staffA, { approve: true, reason: '核实无误' })).statusCode).toBe(403);

    const approved = await review(county, { approve: true, reason: '核实无误' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      state: 'bound',
      classId: classA,
      organisationId: orgA,
      subsidyStandardFen: 120_000,
      amountPayableFen: 120_000,
      pendingBinding: null,
    });
    expect(await traineeOf(id)).toEqual({ classId: classA, personId });
    const again = await review(county, { approve: true, reason: '核实无误' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('VOUCHER_STATE_CONFLICT');
    expect(await auditActions(id)).toEqual([
      'voucher.issued',
      'voucher.binding_requested',
      'voucher.binding_flagged',
      'voucher.binding_approved',
    ]);
  });

  it('rejects: the pending binding is cleared and the reason kept in the history', async () => {
    const personId = await registered(FIXTURE_ID_NUMBERS[6], '赵六');
    const { id } = await issued(personId);
    const requested = await bind(staffA, id, { classId: classA, idNumber: FIXTURE_ID_NUMBERS[6] });
    expect(requested.statusCode).toBe(202);
    const rejected = await post(county, `/api/vouchers/${id}/review-binding`, {
      approve: false,
      reason: '非本人办理',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ state: 'issued', classId: null, pendingBinding: null });
    expect(await traineeOf(id)).toBeUndefined();
    const events = await t.db
      .selectFrom('voucherEvents')
      .select(['action', 'fromState', 'toState', 'details'])
      .where('voucherId', '=', id)
      .orderBy('id')
      .execute();
    expect(events.at(-1)).toMatchObject({
      action: 'reject_binding',
      fromState: 'issued',
      toState: 'issued',
      details: { classId: classA, reason: '非本人办理' },
    });
    expect(await auditActions(id)).toEqual([
      'voucher.issued',
      'voucher.binding_requested',
      'voucher.binding_flagged',
      'voucher.binding_rejected',
    ]);
    const queue = (await get(county, '/api/vouchers?pendingReview=true')).json().items;
    expect(queue.map((v: { id: string }) => v.id)).not.toContain(id);
    const nothing = await post(county, `/api/vouchers/${id}/review-binding`, {
      approve: false,
      reason: '非本人办理',
    });
    expect(nothing.statusCode).toBe(409);
  });

  it('the hourly job flags a binding unconfirmed for 24 h, not before; the holder may still confirm', async () => {
    const jobs = voucherJobs({ db: t.db, clock: t.clock });
    expect(jobs.schedules).toContainEqual({
      name: 'vouchers-flag-pending',
      cron: '15 * * * *',
      jobName: 'vouchers.flag-pending',
      payload: {},
    });
    const run = jobs.handlers['vouchers.flag-pending'];
    if (!run) throw new Error('no flagging job');
    const personId = await registered(FIXTURE_ID_NUMBERS[5], '王五');
    const holder = await holderOf(personId);
    const { id } = await issued(personId);
    const requested = await bind(staffA, id, { classId: classA, idNumber: FIXTURE_ID_NUMBERS[5] });
    expect(requested.statusCode).toBe(202);
    expect(requested.json().voucher.pendingBinding).toMatchObject({ flaggedAt: null });
    try {
      await t.moveClock(later(23 * 3_600_000 + 59 * 60_000));
      await run({}, {} as never);
      expect((await voucher(city, id)).pendingBinding).toMatchObject({ flaggedAt: null });
      await t.moveClock(later(24 * 3_600_000));
      await run({}, {} as never);
      expect((await voucher(city, id)).pendingBinding).toEqual({
        classId: classA,
        requestedAt: START.replace('Z', '.000Z'),
        flaggedAt: later(24 * 3_600_000).toISOString(),
        flagReason: 'unconfirmed',
      });
      await run({}, {} as never);
      const confirmed = await post(holder, `/api/vouchers/${id}/confirm-binding`);
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json()).toMatchObject({ state: 'bound', pendingBinding: null });
      expect(await auditActions(id)).toEqual([
        'voucher.issued',
        'voucher.binding_requested',
        'voucher.binding_flagged',
        'voucher.binding_confirmed',
      ]);
    } finally {
      await t.moveClock(START);
    }
  });
});

describe('releasing a bound voucher frees its place', () => {
  it('cancelling a bound voucher withdraws the trainee (capacity 1: bind A, cancel A, bind B)', async () => {
    const small = await insertClass(orgA, OCCUPATION, 120_000, 1);
    const a = await bindFresh(small);
    expect(a.res.statusCode).toBe(200);
    const b = await bindFresh(small);
    expect(b.res.statusCode).toBe(409);
    expect(b.res.json().code).toBe('CLASS_FULL');
    const cancelled = await post(county, `/api/vouchers/${a.id}/cancel`, { reason: '重复发放' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().state).toBe('cancelled');
    expect(await traineeOf(a.id)).toBeUndefined();
    const token = await qr(b.holder, b.id);
    const retry = await bind(staffA, b.id, { classId: small, token });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(await auditActions(small)).toEqual([
      'class.trainee.enrolled',
      'class.trainee.withdrawn',
      'class.trainee.enrolled',
    ]);
  });

  it('expiry of a bound voucher withdraws the trainee', async () => {
    const small = await insertClass(orgA, OCCUPATION, 120_000, 1);
    const a = await bindFresh(small, { validTo: '2026-03-20' });
    expect(a.res.statusCode).toBe(200);
    try {
      await t.moveClock('2026-03-21T02:00:00Z');
      expect((await expireVouchers(t.db, t.clock)).expired).toBeGreaterThanOrEqual(1);
      expect((await voucher(city, a.id)).state).toBe('expired');
      expect(await traineeOf(a.id)).toBeUndefined();
      const b = await bindFresh(small);
      expect(b.res.statusCode, b.res.body).toBe(200);
    } finally {
      await t.moveClock(START);
    }
  });

  it('the institution unbinds a voucher from its class (bound → issued), once', async () => {
    const small = await insertClass(orgA, OCCUPATION, 120_000, 1);
    const a = await bindFresh(small);
    expect(a.res.statusCode).toBe(200);
    const unbind = (as: TestAccount) =>
      post(as, `/api/vouchers/${a.id}/unbind`, { reason: '绑错班级' });
    expect((await unbind(staffB)).statusCode).toBe(404);
    expect((await unbind(county)).statusCode).toBe(403);
    const released = await unbind(staffA);
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({
      state: 'issued',
      classId: null,
      organisationId: null,
      subsidyStandardFen: null,
      amountPayableFen: null,
      boundAt: null,
    });
    expect(await traineeOf(a.id)).toBeUndefined();
    const again = await unbind(staffA);
    expect(again.statusCode).toBe(404); // no longer the institution's voucher
    const b = await bindFresh(small);
    expect(b.res.statusCode).toBe(200);
    expect(await auditActions(a.id)).toEqual([
      'voucher.issued',
      'voucher.bound',
      'voucher.unbound',
    ]);
    // The holder can bind the voucher again, to the right class.
    const token = await qr(a.holder, a.id);
    expect((await bind(staffA, a.id, { classId: classA, token })).statusCode).toBe(200);
  });
});

describe('GET /api/me/classes', () => {
  it('shows a worker their classes with sessions, their attendance, hours and completion', async () => {
    const now = t.clock.now();
    const running = await insertClass(orgA, OCCUPATION, 120_000, 30, {
      startsAt: new Date(now.getTime() - 30 * 60_000),
      endsAt: new Date(now.getTime() + 2 * 86_400_000),
    });
    const s1 = uuidv7();
    const s2 = uuidv7();
    await t.db
      .insertInto('classSessions')
      .values([
        {
          id: s1,
          classId: running,
          seq: 1,
          startsAt: new Date(now.getTime() - 30 * 60_000),
          endsAt: new Date(now.getTime() + 90 * 60_000),
        },
        {
          id: s2,
          classId: running,
          seq: 2,
          startsAt: new Date(now.getTime() + 86_400_000),
          endsAt: new Date(now.getTime() + 86_400_000 + 120 * 60_000),
        },
      ])
      .execute();
    const a = await bindFresh(running);
    expect(a.res.statusCode, a.res.body).toBe(200);
    const worker = a.holder;
    const checkin = await post(staffA, `/api/classes/${running}/sessions/${s1}/checkins`, {
      method: 'manual',
      personId: a.personId,
      reason: '手机没电',
    });
    expect(checkin.statusCode, checkin.body).toBe(201);
    try {
      await t.moveClock(new Date(now.getTime() + 60 * 60_000));
      const out = await post(staffA, `/api/classes/${running}/sessions/${s1}/checkouts`, {
        method: 'manual',
        personId: a.personId,
        reason: '手机没电',
      });
      expect(out.statusCode, out.body).toBe(200);
      const res = await get(worker, '/api/me/classes');
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items;
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        id: running,
        status: 'in_progress',
        requiredHours: 8,
        trainee: {
          voucherId: a.id,
          attendedHours: 1,
          requiredHours: 8,
          completionResult: null,
        },
      });
      expect(items[0].sessions).toMatchObject([
        {
          id: s1,
          seq: 1,
          running: true,
          attendance: {
            checkInMethod: 'manual',
            checkOutMethod: 'manual',
            creditedHours: 1,
          },
        },
        { id: s2, seq: 2, running: false, checkInOpen: false, attendance: null },
      ]);
      // Once the holder has attended, the institution can no longer release the voucher.
      const unbind = await post(staffA, `/api/vouchers/${a.id}/unbind`, { reason: '绑错班级' });
      expect(unbind.statusCode).toBe(409);
      expect(unbind.json().code).toBe('VOUCHER_STATE_CONFLICT');
    } finally {
      await t.moveClock(START);
    }
    const nobody = await holderOf(await person());
    expect((await get(nobody, '/api/me/classes')).json()).toEqual({ items: [] });
    expect((await get(staffA, '/api/me/classes')).statusCode).toBe(403);
  });
});
