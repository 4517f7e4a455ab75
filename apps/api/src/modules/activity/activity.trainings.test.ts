import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  type TestAccount,
} from '../../../test/auth.js';
import { FIXTURE_ID_NUMBERS } from '../../../test/fixtures/sensitive.js';
import { uuidv7 } from '../../platform/ids.js';

// Valid (check digit right) fixture ID numbers; the first three of the list are deliberately not.
const [BAD_A, , , ID1, ID2, ID3, ID4, ID5, ID6, ID7] = FIXTURE_ID_NUMBERS;
const OCCUPATION = '6-01-01-01';

let t: TestApp;
let city: TestAccount;
let county: TestAccount;
let unit: TestAccount;
let otherUnit: TestAccount;
let staff: TestAccount;
let auditor: TestAccount;
let organisationId: string;

beforeAll(async () => {
  t = await createTestApp('2026-03-15T02:00:00Z');
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { now });
  county = await accountWithSession(t.db, 'county_admin', {
    now,
    anchors: { regionCode: '411403' },
  });
  unit = await accountWithSession(t.db, 'unit_officer', { now, anchors: { unitId: 'A2-07' } });
  otherUnit = await accountWithSession(t.db, 'unit_officer', {
    now,
    anchors: { unitId: 'A2-08' },
  });
  organisationId = await insertBareOrganisation(t.db, 'training_institution', { now });
  staff = await accountWithSession(t.db, 'training_staff', {
    now,
    anchors: { organisationId },
  });
  auditor = await accountWithSession(t.db, 'auditor', { now });
});
afterAll(async () => {
  await t.close();
});

interface Outcome {
  index: number;
  outcome: string;
  code: string | null;
  personId: string | null;
  idNumberMasked: string | null;
}
interface Report {
  id: string;
  unitId: string;
  period: string;
  hours: number;
  source: string;
  status: string;
  version: number;
  traineeCount: number;
  completedCount: number;
  organisationId: string | null;
}

function training(overrides: Record<string, unknown> = {}) {
  return {
    unitId: 'A2-07',
    title: '高危行业安全生产培训',
    occupationCode: OCCUPATION,
    skillLevelKey: 'level5',
    planNo: 1,
    startOn: '2026-03-02',
    endOn: '2026-03-06',
    hours: 12.5,
    trainees: [{ idNumber: ID1, name: '王芳' }],
    ...overrides,
  };
}

async function post(account: TestAccount, body: unknown) {
  return t.app.inject({
    method: 'POST',
    url: '/api/activity/trainings',
    headers: account.headers,
    payload: body as Record<string, unknown>,
  });
}

async function report(account: TestAccount, body: unknown) {
  const res = await post(account, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ report: Report; trainees: Outcome[] }>();
}

async function totals(account: TestAccount, query: string) {
  const res = await t.app.inject({
    url: `/api/activity/totals?${query}`,
    headers: account.headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{
    trainingPersonTimes: number;
    trainingRecords: number;
    trainingDuplicatesRemoved: number;
    certifiedPersons: number | null;
  }>();
}

describe('reporting a training', () => {
  it('records the report and matches, registers or rejects each trainee', async () => {
    const first = await report(unit, training());
    expect(first.report).toMatchObject({
      unitId: 'A2-07',
      period: '2026-03',
      hours: 12.5,
      source: 'unit_report',
      status: 'active',
      version: 1,
      traineeCount: 1,
      completedCount: 1,
    });
    expect(first.trainees[0]).toMatchObject({ outcome: 'created', code: null });
    expect(first.trainees[0]?.idNumberMasked).not.toContain(ID1?.slice(6, 14));

    const second = await report(
      unit,
      training({
        title: '第二期',
        trainees: [
          { idNumber: ID1, name: '王芳' },
          { idNumber: ID2, name: '李四', completed: false },
          { idNumber: BAD_A, name: '错号' },
          { idNumber: ID2, name: '李四' },
          { idNumber: ID1 === undefined ? '' : ID1.toLowerCase(), name: '王芳' },
        ],
      }),
    );
    expect(second.trainees.map((o) => [o.outcome, o.code])).toEqual([
      ['matched', null],
      ['created', null],
      ['rejected', 'ID_NUMBER_INVALID'],
      ['rejected', 'DUPLICATE_IN_REQUEST'],
      ['rejected', 'DUPLICATE_IN_REQUEST'],
    ]);
    expect(second.report).toMatchObject({ traineeCount: 2, completedCount: 1 });
    expect(second.trainees[0]?.personId).toBe(first.trainees[0]?.personId);

    const mismatch = await report(
      unit,
      training({
        title: '第三期',
        trainees: [
          { idNumber: ID1, name: '王芬' },
          { idNumber: ID3, name: '赵六' },
        ],
      }),
    );
    expect(mismatch.trainees.map((o) => [o.outcome, o.code])).toEqual([
      ['rejected', 'NAME_MISMATCH'],
      ['created', null],
    ]);

    const audits = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('entityId', '=', first.report.id)
      .execute();
    expect(audits.map((a) => a.action)).toEqual(['activity.training.reported']);
    const created = await t.db
      .selectFrom('persons')
      .select(['source', 'regionCode'])
      .where('id', '=', first.trainees[0]?.personId ?? '')
      .executeTakeFirstOrThrow();
    expect(created).toEqual({ source: 'unit_report', regionCode: '411400' });
  });

  it('refuses a request none of whose trainees can be recorded', async () => {
    const res = await post(unit, training({ trainees: [{ idNumber: BAD_A, name: '错号' }] }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: '/body/trainees/0/idNumber' }],
    });
  });

  it('marks a system-to-system call as source api', async () => {
    const { report: r } = await report(
      unit,
      training({ title: '接口报送', source: 'api', trainees: [{ idNumber: ID4, name: '孙七' }] }),
    );
    expect(r.source).toBe('api');
  });

  it.each([
    [
      'an occupation that is not at occupation level',
      { occupationCode: '6-01-00-00' },
      '/body/occupationCode',
    ],
    ['an unknown skill level', { skillLevelKey: 'level9' }, '/body/skillLevelKey'],
    ['an unknown plan', { planNo: 77 }, '/body/planNo'],
    ['an end before the start', { startOn: '2026-03-07' }, '/body/endOn'],
    ['an end in the future', { endOn: '2026-03-16' }, '/body/endOn'],
    ['zero hours', { hours: 0 }, '/body/hours'],
    ['hours with two decimals', { hours: 12.25 }, '/body/hours'],
    ['over 5000 hours', { hours: 5000.1 }, '/body/hours'],
    ['an unknown unit', { unitId: 'Z9-99' }, '/body/unitId'],
  ])('refuses %s', async (_what, overrides, path) => {
    const res = await post(city, training(overrides));
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json<{ code: string; errors: { path: string }[] }>();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e) => e.path)).toContain(path);
  });

  it('lets a unit report only for itself and a county only for its county units', async () => {
    const other = await post(unit, training({ unitId: 'A2-08' }));
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('FORBIDDEN');
    const department = await post(county, training({ unitId: 'A2-07' }));
    expect(department.statusCode).toBe(403);
    const own = await report(county, training({ unitId: 'A1-02', title: '睢阳区培训' }));
    expect(own.report.unitId).toBe('A1-02');
    const anyUnit = await report(city, training({ unitId: 'A2-08', title: '市级代报' }));
    expect(anyUnit.report.unitId).toBe('A2-08');
  });

  it('records an institution’s report as held by it, and refuses another institution', async () => {
    const held = await report(staff, training({ unitId: 'A2-08', title: '机构报送' }));
    expect(held.report.organisationId).toBe(organisationId);
    const other = await post(staff, training({ organisationId: uuidv7(), title: '冒名' }));
    expect(other.statusCode).toBe(403);
  });
});

describe('reading reports', () => {
  it('lists and shows reports in scope only', async () => {
    const list = await t.app.inject({ url: '/api/activity/trainings', headers: unit.headers });
    expect(list.statusCode).toBe(200);
    const items = list.json<{ items: Report[]; total: number }>().items;
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((r) => r.unitId))).toEqual(new Set(['A2-07']));

    const countyList = await t.app.inject({
      url: '/api/activity/trainings',
      headers: county.headers,
    });
    expect(countyList.json<{ items: Report[] }>().items.map((r) => r.unitId)).toEqual(['A1-02']);

    const staffList = await t.app.inject({
      url: '/api/activity/trainings?unitId=A2-08',
      headers: staff.headers,
    });
    expect(staffList.json<{ total: number }>().total).toBe(1);

    const id = items[0]?.id ?? '';
    const detail = await t.app.inject({
      url: `/api/activity/trainings/${id}`,
      headers: auditor.headers,
    });
    expect(detail.statusCode).toBe(200);
    const trainees = detail.json<{ trainees: { idNumberMasked: string; name: string }[] }>()
      .trainees;
    expect(trainees.length).toBeGreaterThan(0);
    for (const trainee of trainees) expect(trainee.idNumberMasked).toMatch(/\*/);

    const hidden = await t.app.inject({
      url: `/api/activity/trainings/${id}`,
      headers: otherUnit.headers,
    });
    expect(hidden.statusCode).toBe(404);
  });
});

describe('corrections, withdrawals and closed months', () => {
  it('corrects fields and trainees with the version read, and refuses a stale one', async () => {
    const { report: r } = await report(unit, training({ title: '待更正' }));
    const patch = (body: Record<string, unknown>) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/activity/trainings/${r.id}`,
        headers: unit.headers,
        payload: body,
      });
    const ok = await patch({
      version: 1,
      hours: 16,
      trainees: [
        { idNumber: ID1, name: '王芳' },
        { idNumber: ID5, name: '周八' },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().report).toMatchObject({ hours: 16, version: 2, traineeCount: 2 });
    const stale = await patch({ version: 1, hours: 20 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('CONFLICT');
    const other = await t.app.inject({
      method: 'PATCH',
      url: `/api/activity/trainings/${r.id}`,
      headers: otherUnit.headers,
      payload: { version: 2, hours: 20 },
    });
    expect(other.statusCode).toBe(404);
  });

  it('refuses a new report, a correction and a withdrawal in a closed month', async () => {
    const feb = await report(
      unit,
      training({ title: '二月培训', startOn: '2026-02-02', endOn: '2026-02-10' }),
    );
    const march = await report(unit, training({ title: '三月培训' }));

    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/activity/periods/2026-02/close',
      headers: unit.headers,
    });
    expect(denied.statusCode).toBe(403);
    const close = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/activity/periods/2026-02/close',
        headers: city.headers,
      });
    const closed = await close();
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ period: '2026-02', closed: true, changed: true });
    const again = await close();
    expect(again.json()).toMatchObject({
      changed: false,
      closedAt: closed.json().closedAt,
    });
    const future = await t.app.inject({
      method: 'POST',
      url: '/api/activity/periods/2026-04/close',
      headers: city.headers,
    });
    expect(future.statusCode).toBe(400);

    const periods = await t.app.inject({
      url: '/api/activity/periods?year=2026',
      headers: unit.headers,
    });
    const months = periods.json<{ months: { period: string; closed: boolean }[] }>().months;
    expect(months).toHaveLength(12);
    expect(months.filter((m) => m.closed).map((m) => m.period)).toEqual(['2026-02']);

    const late = await post(
      unit,
      training({ title: '迟报', startOn: '2026-02-20', endOn: '2026-02-21' }),
    );
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('PERIOD_CLOSED');

    const correction = await t.app.inject({
      method: 'PATCH',
      url: `/api/activity/trainings/${feb.report.id}`,
      headers: unit.headers,
      payload: { version: 1, hours: 8 },
    });
    expect(correction.statusCode).toBe(409);
    expect(correction.json().code).toBe('PERIOD_CLOSED');

    const intoClosed = await t.app.inject({
      method: 'PATCH',
      url: `/api/activity/trainings/${march.report.id}`,
      headers: unit.headers,
      payload: { version: 1, startOn: '2026-02-02', endOn: '2026-02-03' },
    });
    expect(intoClosed.statusCode).toBe(409);
    expect(intoClosed.json().code).toBe('PERIOD_CLOSED');

    const withdraw = (id: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/activity/trainings/${id}/withdraw`,
        headers: unit.headers,
        payload: { reason: '重复报送' },
      });
    const refused = await withdraw(feb.report.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('PERIOD_CLOSED');

    const withdrawn = await withdraw(march.report.id);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', version: 2 });
    const twice = await withdraw(march.report.id);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('CONFLICT');

    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('action', 'in', ['activity.period.closed', 'activity.training.withdrawn'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'activity.period.closed',
      'activity.training.withdrawn',
    ]);
  });
});

describe('counting person-times (shared with #9)', () => {
  it('counts once a person trained in the voucher loop and reported by a unit', async () => {
    const now = t.clock.now();
    // A voucher-loop class of the same occupation, ended in January, with one passed trainee.
    const institution = await insertBareOrganisation(t.db, 'training_institution', { now });
    const plan = await t.db
      .selectFrom('planUnits')
      .select('planNo')
      .where('unitId', '=', 'A2-07')
      .orderBy('planNo')
      .executeTakeFirstOrThrow();
    const classId = uuidv7();
    await t.db
      .insertInto('classes')
      .values({
        id: classId,
        organisationId: institution,
        name: '制米工培训班',
        occupationCode: OCCUPATION,
        occupationLevel: 4,
        skillLevelKey: 'level5',
        planNo: plan.planNo,
        unitId: 'A2-07',
        trainingType: 'pre_job',
        regionCode: '411403',
        address: '睢阳区某路 1 号',
        capacity: 30,
        offlineMinutes: 2400,
        onlineMinutes: 0,
        attendanceThresholdPercent: 80,
        subsidyStandardFen: 100000,
        state: 'approved',
        startsAt: new Date('2026-01-05T01:00:00Z'),
        endsAt: new Date('2026-01-09T09:00:00Z'),
        submittedAt: new Date('2026-01-01T01:00:00Z'),
        decidedAt: new Date('2026-01-02T01:00:00Z'),
        createdAt: new Date('2026-01-01T01:00:00Z'),
        updatedAt: new Date('2026-01-02T01:00:00Z'),
      })
      .execute();
    // The person is registered by a first unit report (February would be closed: use January).
    const first = await report(
      unit,
      training({
        title: '制米工',
        startOn: '2026-01-20',
        endOn: '2026-01-22',
        trainees: [
          { idNumber: ID6, name: '吴九' },
          { idNumber: ID7, name: '郑十', completed: false },
        ],
      }),
    );
    const personId = first.trainees[0]?.personId ?? '';
    await t.db
      .insertInto('classTrainees')
      .values({
        id: uuidv7(),
        classId,
        personId,
        enrolledAt: new Date('2026-01-04T01:00:00Z'),
        completionResult: 'passed',
        attendedMinutes: 2400,
        completedAt: new Date('2026-01-09T10:00:00Z'),
      })
      .execute();

    const january = await totals(city, 'unitId=A2-07&period=2026-01');
    expect(january).toMatchObject({
      trainingPersonTimes: 1,
      trainingRecords: 2,
      trainingDuplicatesRemoved: 1,
      certifiedPersons: 0,
    });
    // The unit sees the same figure for itself; a year sums the months.
    expect(await totals(unit, 'period=2026-01')).toMatchObject({ trainingPersonTimes: 1 });
    const year = await totals(city, 'unitId=A2-07&year=2026');
    expect(year.trainingPersonTimes).toBeGreaterThanOrEqual(1);
    expect(year.trainingRecords - year.trainingPersonTimes).toBe(year.trainingDuplicatesRemoved);

    // The earliest record (the class, ended 2026-01-09) is the one counted.
    const counted = await t.db
      .selectFrom('countedTrainingPersonTimes' as never)
      .selectAll()
      .where('personId' as never, '=', personId as never)
      .execute();
    expect(counted).toEqual([
      expect.objectContaining({ source: 'voucher', unitId: 'A2-07', records: 2 }),
    ]);

    // Another unit may not read A2-07's figures.
    const denied = await t.app.inject({
      url: '/api/activity/totals?unitId=A2-07',
      headers: otherUnit.headers,
    });
    expect(denied.statusCode).toBe(403);

    // Withdrawing the report leaves the class's person-time alone.
    const withdrawn = await t.app.inject({
      method: 'POST',
      url: `/api/activity/trainings/${first.report.id}/withdraw`,
      headers: unit.headers,
      payload: { reason: '已在券内培训' },
    });
    expect(withdrawn.statusCode).toBe(200);
    expect(await totals(city, 'unitId=A2-07&period=2026-01')).toMatchObject({
      trainingPersonTimes: 1,
      trainingRecords: 1,
      trainingDuplicatesRemoved: 0,
    });
  });
});
