import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBarePerson,
  organisationWithStaff,
  type TestAccount,
} from '../../../test/auth.js';

// createTestApp's clock: 2026-03-15T02:00:00Z (10:00 in Shanghai).
const NOW = '2026-03-15T02:00:00.000Z';

let t: TestApp;
let city: TestAccount;
let staffA: TestAccount;
let staffB: TestAccount;
let orgA: string;
let classId: string;
let sessionIds: string[];
let first: string;
let second: string;

type Json = Record<string, unknown>;

async function post(account: TestAccount, url: string, payload: Json = {}) {
  return t.app.inject({ method: 'POST', url, headers: account.headers, payload });
}

async function get(account: TestAccount, url: string) {
  return t.app.inject({ url, headers: account.headers });
}

async function institutionPerson(organisationId: string): Promise<string> {
  const id = await insertBarePerson(t.db, t.clock.now());
  await t.db
    .insertInto('personLinks')
    .values({
      personId: id,
      scopeKind: 'organisation',
      scopeId: organisationId,
      createdAt: new Date(NOW),
    })
    .execute();
  return id;
}

beforeAll(async () => {
  t = await createTestApp(NOW);
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { now });
  ({ organisationId: orgA, staff: staffA } = await organisationWithStaff(
    t.db,
    'training_staff',
    now,
  ));
  staffB = (await organisationWithStaff(t.db, 'training_staff', now)).staff;
  const occupation = await t.db
    .selectFrom('occupations')
    .select('code')
    .where('level', '=', 4)
    .orderBy('code')
    .executeTakeFirstOrThrow();
  const link = await t.db
    .selectFrom('planUnits')
    .select(['planNo', 'unitId'])
    .orderBy('planNo')
    .orderBy('position')
    .executeTakeFirstOrThrow();
  const filed = await post(staffA, '/api/classes', {
    name: '电工岗前培训班',
    occupationCode: occupation.code,
    skillLevelKey: 'level5',
    planNo: link.planNo,
    unitId: link.unitId,
    trainingType: 'pre_job',
    regionCode: '411403',
    address: '睢阳区文化路1号',
    capacity: 10,
    subsidyStandardFen: 120_000,
    sessions: [
      { date: '2026-03-20', startTime: '09:00', endTime: '12:00' },
      { date: '2026-03-20', startTime: '14:00', endTime: '17:00' },
    ],
    submit: true,
  });
  expect(filed.statusCode, filed.body).toBe(201);
  classId = filed.json().id as string;
  const approved = await post(city, `/api/classes/${classId}/approve`);
  expect(approved.statusCode, approved.body).toBe(200);
  sessionIds = (approved.json().sessions as { id: string }[]).map((s) => s.id);
  first = await institutionPerson(orgA);
  second = await institutionPerson(orgA);
  for (const personId of [first, second]) {
    const enrolled = await post(staffA, `/api/classes/${classId}/trainees`, { personId });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
  }
});
afterAll(async () => {
  await t.close();
});

describe('the attendance sheet of a session', () => {
  it('lists the session’s check-ins and check-outs in the order they came', async () => {
    const [morning, afternoon] = sessionIds;
    const sheet = (session: string | undefined) =>
      get(staffA, `/api/classes/${classId}/sessions/${session}/attendance`);
    expect((await sheet(morning)).json()).toEqual({ items: [] });

    await t.moveClock('2026-03-20T01:05:00.000Z');
    const url = `/api/classes/${classId}/sessions/${morning}`;
    const late = { method: 'manual', reason: '扫码失败' };
    expect((await post(staffA, `${url}/checkins`, { ...late, personId: second })).statusCode).toBe(
      201,
    );
    await t.moveClock('2026-03-20T01:10:00.000Z');
    expect((await post(staffA, `${url}/checkins`, { ...late, personId: first })).statusCode).toBe(
      201,
    );
    await t.moveClock('2026-03-20T04:00:00.000Z');
    expect((await post(staffA, `${url}/checkouts`, { ...late, personId: second })).statusCode).toBe(
      200,
    );

    const res = await sheet(morning);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        classId,
        sessionId: morning,
        personId: second,
        checkedInAt: '2026-03-20T01:05:00.000Z',
        checkInMethod: 'manual',
        checkedOutAt: '2026-03-20T04:00:00.000Z',
        checkOutMethod: 'manual',
      }),
      expect.objectContaining({
        personId: first,
        checkedInAt: '2026-03-20T01:10:00.000Z',
        checkedOutAt: null,
        checkOutMethod: null,
      }),
    ]);
    expect((await sheet(afternoon)).json()).toEqual({ items: [] });
  });

  it('is the running institution’s only: another institution and administrators get 404', async () => {
    const url = `/api/classes/${classId}/sessions/${sessionIds[0]}/attendance`;
    const other = await get(staffB, url);
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('NOT_FOUND');
    expect((await get(city, url)).statusCode).toBe(403);
    const unknown = await get(staffA, `/api/classes/${classId}/sessions/${classId}/attendance`);
    expect(unknown.statusCode).toBe(404);
  });
});
