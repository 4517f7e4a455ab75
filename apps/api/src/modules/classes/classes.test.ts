import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  insertBarePerson,
  type TestAccount,
} from '../../../test/auth.js';
import { enrolTrainee } from './classes.service.js';

// createTestApp's clock: 2026-03-15T02:00:00Z (10:00 in Shanghai).
const NOW = '2026-03-15T02:00:00.000Z';

let t: TestApp;
let city: TestAccount;
let suiyang: TestAccount;
let liangyuan: TestAccount;
let staffA: TestAccount;
let staffB: TestAccount;
let orgA: string;
let orgB: string;
let occupationCode: string;
let planNo: number;
let unitId: string;
let foreignUnitId: string;

type Json = Record<string, unknown>;

async function post(account: TestAccount, url: string, payload: Json = {}) {
  return t.app.inject({ method: 'POST', url, headers: account.headers, payload });
}

async function get(account: TestAccount, url: string) {
  return t.app.inject({ url, headers: account.headers });
}

function classBody(overrides: Json = {}): Json {
  return {
    name: '电工岗前培训班',
    occupationCode,
    skillLevelKey: 'level5',
    planNo,
    unitId,
    trainingType: 'pre_job',
    regionCode: '411403',
    address: '睢阳区文化路1号',
    capacity: 10,
    subsidyStandardFen: 120_000,
    sessions: [
      { date: '2026-03-20', startTime: '09:00', endTime: '12:00' },
      { date: '2026-03-20', startTime: '14:00', endTime: '17:00' },
    ],
    ...overrides,
  };
}

/** Files (and by default submits and approves) a class; returns its detail. */
async function approvedClass(staff: TestAccount, overrides: Json = {}) {
  const filed = await post(staff, '/api/classes', classBody({ submit: true, ...overrides }));
  expect(filed.statusCode, filed.body).toBe(201);
  const id = filed.json().id as string;
  const approved = await post(city, `/api/classes/${id}/approve`);
  expect(approved.statusCode, approved.body).toBe(200);
  return approved.json() as { id: string; sessions: { id: string; startsAt: string }[] };
}

async function enrol(staff: TestAccount, classId: string, personId: string) {
  return post(staff, `/api/classes/${classId}/trainees`, { personId });
}

/** A person the institution registered (linked to it), so its staff can enrol them. */
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

async function auditActions(entityId: string) {
  const rows = await t.db
    .selectFrom('auditEvents')
    .select('action')
    .where('entityId', '=', entityId)
    .orderBy('occurredAt')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

beforeAll(async () => {
  t = await createTestApp(NOW);
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { now });
  suiyang = await accountWithSession(t.db, 'county_admin', {
    now,
    anchors: { regionCode: '411403' },
  });
  liangyuan = await accountWithSession(t.db, 'county_admin', {
    now,
    anchors: { regionCode: '411402' },
  });
  orgA = await insertBareOrganisation(t.db, 'training_institution', { now });
  orgB = await insertBareOrganisation(t.db, 'training_institution', { now });
  staffA = await accountWithSession(t.db, 'training_staff', {
    now,
    anchors: { organisationId: orgA },
  });
  staffB = await accountWithSession(t.db, 'training_staff', {
    now,
    anchors: { organisationId: orgB },
  });
  const occupation = await t.db
    .selectFrom('occupations')
    .select('code')
    .where('level', '=', 4)
    .orderBy('code')
    .executeTakeFirstOrThrow();
  occupationCode = occupation.code;
  const link = await t.db
    .selectFrom('planUnits')
    .select(['planNo', 'unitId'])
    .where('planNo', '=', 2)
    .orderBy('position')
    .executeTakeFirstOrThrow();
  planNo = link.planNo;
  unitId = link.unitId;
  const foreign = await t.db
    .selectFrom('responsibleUnits')
    .select('id')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('planUnits as p')
            .select('p.unitId')
            .whereRef('p.unitId', '=', 'responsibleUnits.id')
            .where('p.planNo', '=', planNo),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  foreignUnitId = foreign.id;
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await t.moveClock(NOW);
});

describe('filing and approving a class', () => {
  it('files a draft, submits it and approves it, auditing each step', async () => {
    const filed = await post(staffA, '/api/classes', classBody());
    expect(filed.statusCode, filed.body).toBe(201);
    const cls = filed.json();
    expect(cls).toMatchObject({
      state: 'draft',
      status: 'draft',
      organisationId: orgA,
      offlineHours: 6,
      onlineHours: 0,
      requiredHours: 4.8,
      attendanceThresholdPercent: 80,
      enrolled: 0,
      startsAt: '2026-03-20T01:00:00.000Z',
      endsAt: '2026-03-20T09:00:00.000Z',
    });
    expect(cls.sessions).toHaveLength(2);
    expect(cls.sessions[0]).toMatchObject({ seq: 1, date: '2026-03-20', startTime: '09:00' });

    const submitted = await post(staffA, `/api/classes/${cls.id}/submit`);
    expect(submitted.json()).toMatchObject({ state: 'submitted', status: 'submitted' });
    const approved = await post(suiyang, `/api/classes/${cls.id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'approved', status: 'approved' });

    await t.moveClock('2026-03-20T02:00:00Z');
    expect((await get(staffA, `/api/classes/${cls.id}`)).json().status).toBe('in_progress');
    await t.moveClock('2026-03-20T09:00:00Z');
    expect((await get(staffA, `/api/classes/${cls.id}`)).json().status).toBe('finished');

    expect(await auditActions(cls.id)).toEqual([
      'class.filed',
      'class.submitted',
      'class.approved',
    ]);
  });

  it('returns a submitted class with its reason, and takes it back when resubmitted', async () => {
    const filed = await post(staffA, '/api/classes', classBody({ submit: true }));
    const id = filed.json().id as string;
    expect(filed.json().state).toBe('submitted');
    const returned = await post(suiyang, `/api/classes/${id}/return`, {
      reason: '培训地址不详',
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({ state: 'returned', returnReason: '培训地址不详' });
    const again = await post(staffA, `/api/classes/${id}/submit`);
    expect(again.json()).toMatchObject({ state: 'submitted', returnReason: null });
    expect(await auditActions(id)).toEqual([
      'class.filed',
      'class.submitted',
      'class.returned',
      'class.submitted',
    ]);
  });

  it('refuses to approve a draft', async () => {
    const id = (await post(staffA, '/api/classes', classBody())).json().id as string;
    const res = await post(city, `/api/classes/${id}/approve`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'CLASS_STATE_CONFLICT',
      detail: 'A draft class cannot be approved',
    });
  });

  it('refuses to approve a class whose first session has begun', async () => {
    const id = (await post(staffA, '/api/classes', classBody({ submit: true }))).json()
      .id as string;
    await t.moveClock('2026-03-20T01:00:00Z');
    const res = await post(suiyang, `/api/classes/${id}/approve`);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CLASS_ALREADY_STARTED');
    expect((await get(staffA, `/api/classes/${id}`)).json().state).toBe('submitted');
  });

  it('refuses a responsible unit that is not one of the plan’s units', async () => {
    const res = await post(staffA, '/api/classes', classBody({ unitId: foreignUnitId }));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
    expect(res.json().errors).toEqual([
      { path: '/body/unitId', message: `is not one of plan ${planNo}'s responsible units` },
    ]);
  });

  it('refuses sessions in the past, overlapping sessions and a wrong offline total', async () => {
    const past = await post(
      staffA,
      '/api/classes',
      classBody({ sessions: [{ date: '2026-03-14', startTime: '09:00', endTime: '12:00' }] }),
    );
    expect(past.statusCode).toBe(400);
    const overlapping = await post(
      staffA,
      '/api/classes',
      classBody({
        sessions: [
          { date: '2026-03-20', startTime: '09:00', endTime: '12:00' },
          { date: '2026-03-20', startTime: '11:00', endTime: '13:00' },
        ],
      }),
    );
    expect(overlapping.json().errors).toEqual([
      { path: '/body/sessions/1', message: 'overlaps another session' },
    ]);
    const total = await post(staffA, '/api/classes', classBody({ offlineHours: 5 }));
    expect(total.json().errors).toEqual([
      { path: '/body/offlineHours', message: 'the sessions add up to 6 hours' },
    ]);
  });
});

describe('scope', () => {
  it('hides a class from another institution and another county (404), in lists too', async () => {
    const cls = await approvedClass(staffA, { name: '范围测试班' });
    expect((await get(staffB, `/api/classes/${cls.id}`)).statusCode).toBe(404);
    expect((await get(liangyuan, `/api/classes/${cls.id}`)).statusCode).toBe(404);
    expect((await get(suiyang, `/api/classes/${cls.id}`)).statusCode).toBe(200);
    expect((await get(city, `/api/classes/${cls.id}/trainees`)).statusCode).toBe(200);
    expect((await get(staffB, `/api/classes/${cls.id}/trainees`)).statusCode).toBe(404);

    const ids = async (account: TestAccount) =>
      ((await get(account, '/api/classes?pageSize=200')).json().items as { id: string }[]).map(
        (c) => c.id,
      );
    expect(await ids(staffA)).toContain(cls.id);
    expect(await ids(suiyang)).toContain(cls.id);
    expect(await ids(staffB)).not.toContain(cls.id);
    expect(await ids(liangyuan)).not.toContain(cls.id);
    const approvedOnly = await get(city, `/api/classes?state=approved&planNo=${planNo}`);
    expect(
      (approvedOnly.json().items as { status: string }[]).every((c) => c.status === 'approved'),
    ).toBe(true);
  });

  it('lets only the class’s county (or the city) decide, answering 404 to another county', async () => {
    const id = (await post(staffA, '/api/classes', classBody({ submit: true }))).json()
      .id as string;
    const res = await post(liangyuan, `/api/classes/${id}/approve`);
    expect(res.statusCode).toBe(404);
    expect((await post(staffB, `/api/classes/${id}/submit`)).statusCode).toBe(404);
  });
});

describe('enrolment', () => {
  it('enforces capacity: the N+1th enrolment is refused', async () => {
    const cls = await approvedClass(staffA, { capacity: 2 });
    const [p1, p2, p3] = [
      await institutionPerson(orgA),
      await institutionPerson(orgA),
      await institutionPerson(orgA),
    ];
    expect((await enrol(staffA, cls.id, p1)).statusCode).toBe(201);
    const second = await enrol(staffA, cls.id, p2);
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({ personId: p2, voucherId: null, attendedHours: 0 });
    const third = await enrol(staffA, cls.id, p3);
    expect(third.statusCode).toBe(409);
    expect(third.json()).toMatchObject({
      code: 'CLASS_FULL',
      detail: 'The class is full: 2 of 2 places taken',
    });
    const again = await enrol(staffA, cls.id, p1);
    expect(again.json().code).toBe('ALREADY_ENROLLED');
    expect((await get(staffA, `/api/classes/${cls.id}`)).json().enrolled).toBe(2);
  });

  it('lets exactly capacity of N concurrent enrolments through', async () => {
    const cls = await approvedClass(staffA, { capacity: 3 });
    const persons = await Promise.all(Array.from({ length: 8 }, () => institutionPerson(orgA)));
    const answers = await Promise.all(persons.map((p) => enrol(staffA, cls.id, p)));
    const codes = answers.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    expect((await get(staffA, `/api/classes/${cls.id}`)).json().enrolled).toBe(3);
  });

  it('refuses enrolment in a class that is not approved, and persons the institution cannot see', async () => {
    const draft = (await post(staffA, '/api/classes', classBody())).json().id as string;
    const person = await institutionPerson(orgA);
    expect((await enrol(staffA, draft, person)).json().code).toBe('CLASS_NOT_OPEN');
    const cls = await approvedClass(staffA);
    const stranger = await insertBarePerson(t.db);
    expect((await enrol(staffA, cls.id, stranger)).statusCode).toBe(404);
  });

  it('enrols through enrolTrainee (the vouchers module’s entry) and links the person to the institution', async () => {
    const cls = await approvedClass(staffA);
    const person = await insertBarePerson(t.db);
    const trainee = await t.db
      .transaction()
      .execute((trx) => enrolTrainee(trx, cls.id, person, { at: t.clock.now() }));
    expect(trainee).toMatchObject({
      classId: cls.id,
      personId: person,
      voucherId: null,
      organisationId: orgA,
      subsidyStandardFen: 120_000,
    });
    const link = await t.db
      .selectFrom('personLinks')
      .selectAll()
      .where('personId', '=', person)
      .executeTakeFirst();
    expect(link).toMatchObject({ scopeKind: 'organisation', scopeId: orgA });
    const finished = await t.db
      .transaction()
      .execute((trx) => enrolTrainee(trx, cls.id, person, { at: new Date('2026-03-21T00:00:00Z') }))
      .catch((e: unknown) => e);
    expect((finished as { code?: string }).code).toBe('CLASS_NOT_OPEN');
  });
});

describe('attendance', () => {
  let cls: { id: string; sessions: { id: string; startsAt: string }[] };
  let overlapping: { id: string; sessions: { id: string }[] };
  let worker: TestAccount;
  let worker2: TestAccount;
  let workerPerson: string;
  let worker2Person: string;
  const S1_RUNNING = '2026-03-22T01:05:00Z';

  beforeAll(async () => {
    await t.moveClock(NOW);
    const sessions = [
      { date: '2026-03-22', startTime: '09:00', endTime: '12:00' },
      { date: '2026-03-22', startTime: '14:00', endTime: '17:00' },
    ];
    cls = await approvedClass(staffA, { sessions });
    overlapping = await approvedClass(staffB, {
      sessions: [{ date: '2026-03-22', startTime: '10:00', endTime: '11:00' }],
    });
    workerPerson = await institutionPerson(orgA);
    worker2Person = await institutionPerson(orgA);
    worker = await accountWithSession(t.db, 'worker', {
      now: t.clock.now(),
      anchors: { personId: workerPerson },
    });
    worker2 = await accountWithSession(t.db, 'worker', {
      now: t.clock.now(),
      anchors: { personId: worker2Person },
    });
    for (const p of [workerPerson, worker2Person]) {
      expect((await enrol(staffA, cls.id, p)).statusCode).toBe(201);
    }
    await t.db
      .insertInto('personLinks')
      .values({
        personId: workerPerson,
        scopeKind: 'organisation',
        scopeId: orgB,
        createdAt: new Date(NOW),
      })
      .execute();
    expect((await enrol(staffB, overlapping.id, workerPerson)).statusCode).toBe(201);
  });

  async function qr(staff: TestAccount, classId: string, sessionId: string): Promise<string> {
    const res = await get(staff, `/api/classes/${classId}/sessions/${sessionId}/qr`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().token as string;
  }

  const checkin = (account: TestAccount, classId: string, sessionId: string, body: Json) =>
    post(account, `/api/classes/${classId}/sessions/${sessionId}/checkins`, body);

  it('checks a worker in with the current token, once', async () => {
    await t.moveClock(S1_RUNNING);
    const s1 = cls.sessions[0]?.id ?? '';
    const token = await qr(staffA, cls.id, s1);
    const res = await checkin(worker, cls.id, s1, { method: 'qr', token, place: '教室101' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      personId: workerPerson,
      checkInMethod: 'qr',
      checkedInAt: '2026-03-22T01:05:00.000Z',
      checkInPlace: '教室101',
      checkedOutAt: null,
    });
    const twice = await checkin(worker, cls.id, s1, {
      method: 'qr',
      token: await qr(staffA, cls.id, s1),
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('ALREADY_CHECKED_IN');
    expect(await auditActions(cls.id)).toContain('attendance.checked_in');
  });

  it('refuses a check-in to another class’s session overlapping in time', async () => {
    await t.moveClock('2026-03-22T02:05:00Z');
    const session = overlapping.sessions[0]?.id ?? '';
    const token = await qr(staffB, overlapping.id, session);
    const res = await checkin(worker, overlapping.id, session, { method: 'qr', token });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('ATTENDANCE_OVERLAP');
  });

  it('refuses a token two steps old, but accepts the previous step', async () => {
    await t.moveClock(S1_RUNNING);
    const s1 = cls.sessions[0]?.id ?? '';
    const token = await qr(staffA, cls.id, s1);
    await t.moveClock(new Date(new Date(S1_RUNNING).getTime() + 60_000));
    const stale = await checkin(worker2, cls.id, s1, { method: 'qr', token });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      code: 'QR_TOKEN_INVALID',
      detail: 'The QR token has expired; scan the code on the screen again',
    });
    await t.moveClock(new Date(new Date(S1_RUNNING).getTime() + 30_000));
    const previous = await checkin(worker2, cls.id, s1, { method: 'qr', token });
    expect(previous.statusCode, previous.body).toBe(201);
  });

  it('refuses the token of another session, and a session that is not running', async () => {
    await t.moveClock(S1_RUNNING);
    const [s1, s2] = [cls.sessions[0]?.id ?? '', cls.sessions[1]?.id ?? ''];
    const s2Token = await qr(staffA, cls.id, s2);
    const foreign = await checkin(worker, cls.id, s1, { method: 'qr', token: s2Token });
    expect(foreign.json()).toMatchObject({
      code: 'QR_TOKEN_INVALID',
      detail: 'The QR token belongs to another session',
    });
    const early = await checkin(worker, cls.id, s2, { method: 'qr', token: s2Token });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('SESSION_NOT_RUNNING');
  });

  it('needs a reason for a manual check-in and a verified face for a face check-in', async () => {
    await t.moveClock('2026-03-22T05:45:00Z');
    const s2 = cls.sessions[1]?.id ?? '';
    const noReason = await checkin(staffA, cls.id, s2, {
      method: 'manual',
      personId: worker2Person,
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([
      { path: '/body/reason', message: 'a manual record needs a reason' },
    ]);
    const unverified = await checkin(staffA, cls.id, s2, {
      method: 'face',
      personId: worker2Person,
      deviceVerified: false,
    });
    expect(unverified.json().code).toBe('DEVICE_NOT_VERIFIED');
    const manual = await checkin(staffA, cls.id, s2, {
      method: 'manual',
      personId: worker2Person,
      reason: '手机没电',
    });
    expect(manual.statusCode, manual.body).toBe(201);
    const face = await checkin(staffA, cls.id, s2, {
      method: 'face',
      personId: workerPerson,
      deviceVerified: true,
      deviceId: 'gate-1',
    });
    expect(face.statusCode, face.body).toBe(201);
    await t.moveClock('2026-03-22T09:10:00Z');
    const out = await post(staffA, `/api/classes/${cls.id}/sessions/${s2}/checkouts`, {
      method: 'face',
      personId: workerPerson,
      deviceVerified: true,
    });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toMatchObject({ checkOutMethod: 'face' });
    const trainees = (await get(staffA, `/api/classes/${cls.id}/trainees`)).json().items as {
      personId: string;
      attendedHours: number;
    }[];
    // Session 2 (3 h) with a check-out; session 1 without one counts nothing.
    expect(trainees.find((x) => x.personId === workerPerson)?.attendedHours).toBe(3);
  });

  it('shows a worker the classes they are in, and only themself in the roster', async () => {
    const list = (await get(worker, '/api/classes')).json().items as { id: string }[];
    expect(list.map((c) => c.id).sort()).toEqual([cls.id, overlapping.id].sort());
    const roster = (await get(worker, `/api/classes/${cls.id}/trainees`)).json().items as {
      personId: string;
    }[];
    expect(roster.map((x) => x.personId)).toEqual([workerPerson]);
  });

  it('answers 404 to a worker who is not a trainee of the class', async () => {
    await t.moveClock(S1_RUNNING);
    const outsider = await accountWithSession(t.db, 'worker', { now: t.clock.now() });
    const s1 = cls.sessions[0]?.id ?? '';
    const res = await checkin(outsider, cls.id, s1, {
      method: 'qr',
      token: await qr(staffA, cls.id, s1),
    });
    expect(res.statusCode).toBe(404);
    expect((await get(outsider, `/api/classes/${cls.id}`)).statusCode).toBe(404);
  });

  it('lets a worker check themself out with the session QR, once, after check-in has closed', async () => {
    const s1 = cls.sessions[0]?.id ?? '';
    await t.moveClock('2026-03-22T04:10:00Z'); // 10 minutes after session 1 ended
    const closed = await checkin(worker2, cls.id, s1, {
      method: 'qr',
      token: await qr(staffA, cls.id, s1),
    });
    expect(closed.json().code).toBe('SESSION_NOT_RUNNING');
    const url = `/api/classes/${cls.id}/sessions/${s1}/checkouts`;
    const out = await post(worker2, url, { method: 'qr', token: await qr(staffA, cls.id, s1) });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toMatchObject({
      personId: worker2Person,
      checkedOutAt: '2026-03-22T04:10:00.000Z',
      checkOutMethod: 'qr',
    });
    const twice = await post(worker2, url, { method: 'qr', token: await qr(staffA, cls.id, s1) });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('ALREADY_CHECKED_IN');
  });
});

describe('completion', () => {
  it('refuses a pass below the threshold with the numbers, and accepts one at it', async () => {
    const cls = await approvedClass(staffA, {
      onlineHours: 1,
      sessions: [{ date: '2026-03-25', startTime: '09:00', endTime: '12:00' }],
    });
    const session = cls.sessions[0]?.id ?? '';
    const [short, enough] = [await institutionPerson(orgA), await institutionPerson(orgA)];
    for (const p of [short, enough]) expect((await enrol(staffA, cls.id, p)).statusCode).toBe(201);
    const url = `/api/classes/${cls.id}/sessions/${session}`;
    await t.moveClock('2026-03-25T01:00:00Z');
    for (const p of [short, enough]) {
      const res = await post(staffA, `${url}/checkins`, {
        method: 'manual',
        personId: p,
        reason: '签到机故障',
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    await t.moveClock('2026-03-25T03:00:00Z');
    await post(staffA, `${url}/checkouts`, { method: 'manual', personId: short, reason: '早退' });
    await t.moveClock('2026-03-25T03:12:00Z');
    await post(staffA, `${url}/checkouts`, { method: 'manual', personId: enough, reason: '签退' });
    const online = await post(staffA, `/api/classes/${cls.id}/online-hours`, {
      entries: [{ personId: enough, hours: 1 }],
    });
    expect(online.statusCode, online.body).toBe(200);
    const tooMuch = await post(staffA, `/api/classes/${cls.id}/online-hours`, {
      entries: [{ personId: enough, hours: 2 }],
    });
    expect(tooMuch.statusCode).toBe(400);

    await t.moveClock('2026-03-25T04:00:00Z');
    const refused = await post(staffA, `/api/classes/${cls.id}/completions`, {
      results: [{ personId: short, result: 'passed', score: 90 }],
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'ATTENDANCE_BELOW_THRESHOLD',
      detail: `${short} attended 2 of 4 hours; completion needs 3.2 hours (80 %)`,
    });
    const accepted = await post(staffA, `/api/classes/${cls.id}/completions`, {
      results: [
        { personId: enough, result: 'passed', score: 86 },
        { personId: short, result: 'failed' },
      ],
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const byPerson = new Map(
      (accepted.json().items as { personId: string }[]).map((x) => [x.personId, x]),
    );
    expect(byPerson.get(enough)).toMatchObject({
      completionResult: 'passed',
      completionScore: 86,
      attendedHours: 3.2,
      requiredHours: 3.2,
    });
    expect(byPerson.get(short)).toMatchObject({ completionResult: 'failed' });
    const twice = await post(staffA, `/api/classes/${cls.id}/completions`, {
      results: [{ personId: enough, result: 'failed' }],
    });
    expect(twice.json().code).toBe('COMPLETION_NOT_ALLOWED');
    expect(await auditActions(cls.id)).toEqual(
      expect.arrayContaining([
        'attendance.online_hours_posted',
        'attendance.checked_out',
        'class.completion.recorded',
      ]),
    );
  });

  it('refuses completion before the last session has begun', async () => {
    const cls = await approvedClass(staffA, {
      sessions: [{ date: '2026-03-26', startTime: '09:00', endTime: '12:00' }],
    });
    const person = await institutionPerson(orgA);
    await enrol(staffA, cls.id, person);
    const res = await post(staffA, `/api/classes/${cls.id}/completions`, {
      results: [{ personId: person, result: 'failed' }],
    });
    expect(res.json().code).toBe('COMPLETION_NOT_ALLOWED');
  });
});
