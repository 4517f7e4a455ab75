import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  insertBarePerson,
  type TestAccount,
} from '../../../test/auth.js';
import { insertBareClass } from '../../../test/classes.js';
import { insertCertificate } from '../../../test/redemption.js';
import { uuidv7 } from '../../platform/ids.js';
import { statisticsJobs } from './statistics.jobs.js';
import { foldStatistics, rebuildStatistics } from './statistics.rollup.js';

/*
 * A small fixed city in 2026, every figure computed by hand:
 *   A  trained in a voucher class of 市人社局 (A2-07, plan 2) held in 睢阳区, ending 10 March; the
 *      市教育体育局 (A2-01) reported the same occupation for A ending 20 March (a duplicate: once);
 *      A2-01 reported A again in April in another occupation (counts). A lives in 梁园区.
 *   B  an external 四级 reported by A2-01 (25 March) and our own 四级 of the same occupation
 *      (1 April, 睢阳区): certified once, on 25 March, for A2-01; our 三级 on 10 May makes B a new
 *      high-skilled talent (no unit: no voucher led to it; county 睢阳区 where it was issued).
 *   C  an external 五级 in 2025 (new skilled in 2025) and another 五级 in 2026: not higher, so not
 *      new in 2026.
 *   D  a report's trainee who did not finish: not counted.
 * So in 2026: training 2 (A2-07 1, A2-01 1; 睢阳区 1, 梁园区 1), new skilled 1 (B: A2-01, 梁园区),
 * new high-skilled 1 (B: 睢阳区).
 */

const NOW = '2026-07-01T02:00:00Z'; // 10:00 on 1 July in Shanghai: 182 of 365 days elapsed
const OCCUPATION_X = '6-01-01-01';
const OCCUPATION_Y = '6-01-01-02';

let t: TestApp;
let city: TestAccount;
let county: TestAccount;
let persons: Record<'A' | 'B' | 'C' | 'D', string>;
let reportApril: string;
let ourLevel3: string;

async function reportTraining(input: {
  unitId: string;
  occupationCode: string;
  endOn: string;
  trainees: Array<{ personId: string; completed: boolean }>;
}): Promise<string> {
  const id = uuidv7();
  const now = new Date(NOW);
  await t.db
    .insertInto('trainingReports')
    .values({
      id,
      unitId: input.unitId,
      organisationId: null,
      planNo: null,
      title: '职业技能培训',
      occupationCode: input.occupationCode,
      skillLevelKey: null,
      startOn: input.endOn.slice(0, 8) + '01',
      endOn: input.endOn,
      hours: 40,
      period: input.endOn.slice(0, 7),
      source: 'unit_report',
      reportedBy: null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  await t.db
    .insertInto('trainingReportTrainees')
    .values(input.trainees.map((tr) => ({ reportId: id, ...tr })))
    .execute();
  return id;
}

async function externalCertificate(input: {
  personId: string;
  skillLevelKey: string;
  issuedOn: string;
  number: string;
}): Promise<string> {
  const id = uuidv7();
  const now = new Date(NOW);
  await t.db
    .insertInto('externalCertificates')
    .values({
      id,
      kind: 'skill_level',
      number: input.number,
      personId: input.personId,
      occupationCode: OCCUPATION_X,
      skillLevelKey: input.skillLevelKey,
      itemName: null,
      issuerName: '外省评价机构',
      issuingProvinceCode: '32',
      issuedOn: input.issuedOn,
      validUntil: null,
      unitId: 'A2-01',
      period: input.issuedOn.slice(0, 7),
      source: 'unit_report',
      reportedBy: null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return id;
}

async function get<T>(url: string, account: TestAccount = city) {
  const res = await t.app.inject({ url, headers: account.headers });
  return { status: res.statusCode, body: res.json<T>() };
}

type MeasureKey = 'training' | 'skilled' | 'high_skilled';

interface ProgressBody {
  elapsedShare: number;
  city: Record<MeasureKey, { actual: number }>;
  units: Array<{
    unitId: string;
    annex: number | null;
    measures: Record<
      MeasureKey,
      {
        target: number | null;
        actual: number;
        progress: number | null;
        status: string;
        projected: number;
        rank: number | null;
      }
    >;
  }>;
  plans: Array<{
    planNo: number;
    measures: Record<string, { target: number | null; actual: number }>;
  }>;
}

beforeAll(async () => {
  t = await createTestApp(NOW);
  const now = new Date(NOW);
  city = await accountWithSession(t.db, 'city_admin', { now });
  county = await accountWithSession(t.db, 'county_admin', {
    now,
    anchors: { regionCode: '411402' },
  });
  persons = {
    A: await insertBarePerson(t.db, now),
    B: await insertBarePerson(t.db, now),
    C: await insertBarePerson(t.db, now),
    D: await insertBarePerson(t.db, now),
  };
  const institution = await insertBareOrganisation(t.db, 'training_institution', { now });
  const evaluator = await insertBareOrganisation(t.db, 'evaluation_institution', { now });

  // A's voucher class: 市人社局, plan 2, in 睢阳区, ending 10 March 2026 (Shanghai).
  const classId = await insertBareClass(t.db, {
    organisationId: institution,
    occupationCode: OCCUPATION_X,
    startsAt: new Date('2026-02-20T01:00:00Z'),
    endsAt: new Date('2026-03-10T09:00:00Z'),
    now,
  });
  await t.db
    .updateTable('classes')
    .set({ planNo: 2, unitId: 'A2-07' })
    .where('id', '=', classId)
    .execute();
  await t.db
    .insertInto('classTrainees')
    .values({
      id: uuidv7(),
      classId,
      personId: persons.A,
      voucherId: null,
      enrolledAt: now,
      enrolledBy: null,
      completionResult: 'passed',
      completionScore: 90,
      completionNote: null,
      attendedMinutes: 600,
      completedAt: now,
      completedBy: null,
    })
    .execute();
  await reportTraining({
    unitId: 'A2-01',
    occupationCode: OCCUPATION_X,
    endOn: '2026-03-20',
    trainees: [{ personId: persons.A, completed: true }],
  });
  reportApril = await reportTraining({
    unitId: 'A2-01',
    occupationCode: OCCUPATION_Y,
    endOn: '2026-04-15',
    trainees: [
      { personId: persons.A, completed: true },
      { personId: persons.D, completed: false },
    ],
  });

  await externalCertificate({
    personId: persons.B,
    skillLevelKey: 'level4',
    issuedOn: '2026-03-25',
    number: 'S000032000001264000001',
  });
  const certificate = { organisationId: evaluator, occupationCode: OCCUPATION_X, now };
  await insertCertificate(t.db, {
    ...certificate,
    personId: persons.B,
    skillLevelKey: 'level4',
    issuedOn: '2026-04-01',
  });
  ourLevel3 = (
    await insertCertificate(t.db, {
      ...certificate,
      personId: persons.B,
      skillLevelKey: 'level3',
      issuedOn: '2026-05-10',
    })
  ).id;

  await externalCertificate({
    personId: persons.C,
    skillLevelKey: 'level5',
    issuedOn: '2025-06-01',
    number: 'S000032000001255000002',
  });
  await insertCertificate(t.db, {
    ...certificate,
    occupationCode: OCCUPATION_Y,
    personId: persons.C,
    skillLevelKey: 'level5',
    issuedOn: '2026-02-01',
  });
  // Targets for 2026 where the test needs them (the annexes give 2022's).
  await t.db
    .insertInto('unitTargets')
    .values([
      {
        unitId: 'A2-01',
        year: 2026,
        trainingPersonTimes: 4,
        newSkilled: 2,
        newHighSkilled: 1,
        source: 'test',
      },
      {
        unitId: 'A2-07',
        year: 2026,
        trainingPersonTimes: 1,
        newSkilled: 0,
        newHighSkilled: 0,
        source: 'test',
      },
    ])
    .execute();
});

afterAll(async () => {
  await t?.close();
});

describe('counting (stat_events via the fold)', () => {
  it('marks every person whose facts changed, and folds them', async () => {
    const marked = await t.db.selectFrom('statDirtyPersons').select('personId').execute();
    expect(new Set(marked.map((m) => m.personId))).toEqual(new Set(Object.values(persons)));
    expect(await foldStatistics(t.db)).toBe(4);
    expect(await t.db.selectFrom('statDirtyPersons').select('personId').execute()).toEqual([]);
  });

  it('folds on the minute job too', async () => {
    await t.db.insertInto('statDirtyPersons').values({ personId: persons.D }).execute();
    const fold = statisticsJobs({ db: t.db, clock: t.clock }).handlers['statistics.fold']!;
    expect(await fold({}, {} as Parameters<typeof fold>[1])).toEqual({ persons: 1 });
    expect(await t.db.selectFrom('statDirtyPersons').select('personId').execute()).toEqual([]);
  });

  it('gives each person the events computed by hand', async () => {
    const events = await t.db
      .selectFrom('statPersonEvents')
      .select(['personId', 'measure', 'onDate', 'unitId', 'countyUnitId', 'planNo', 'source'])
      .orderBy('personId')
      .orderBy('measure')
      .orderBy('onDate')
      .execute();
    const of = (p: string) =>
      events.filter((e) => e.personId === p).map(({ personId: _, ...e }) => e);
    expect(of(persons.A)).toEqual([
      {
        measure: 'training',
        onDate: '2026-03-10',
        unitId: 'A2-07',
        countyUnitId: 'A1-02',
        planNo: 2,
        source: 'voucher',
      },
      {
        measure: 'training',
        onDate: '2026-04-15',
        unitId: 'A2-01',
        countyUnitId: 'A1-01',
        planNo: null,
        source: 'unit_report',
      },
    ]);
    expect(of(persons.B)).toEqual([
      {
        measure: 'high_skilled',
        onDate: '2026-05-10',
        unitId: null,
        countyUnitId: 'A1-02',
        planNo: null,
        source: 'evaluation',
      },
      {
        measure: 'skilled',
        onDate: '2026-03-25',
        unitId: 'A2-01',
        countyUnitId: 'A1-01',
        planNo: null,
        source: 'unit_report',
      },
    ]);
    expect(of(persons.C)).toEqual([
      {
        measure: 'skilled',
        onDate: '2025-06-01',
        unitId: 'A2-01',
        countyUnitId: 'A1-01',
        planNo: null,
        source: 'unit_report',
      },
    ]);
    expect(of(persons.D)).toEqual([]);
  });

  it('keeps the counts equal to a rebuild from the facts', async () => {
    const snapshot = async () => ({
      daily: await sql`SELECT * FROM stat_daily WHERE training + skilled + high_skilled > 0
                        ORDER BY on_date, unit_id, county_unit_id`.execute(t.ownerDb),
      monthly: await sql`SELECT * FROM stat_monthly WHERE training + skilled + high_skilled > 0
                          ORDER BY month, unit_id, county_unit_id`.execute(t.ownerDb),
    });
    const incremental = await snapshot();
    await rebuildStatistics(t.ownerDb);
    expect((await snapshot()).daily.rows).toEqual(incremental.daily.rows);
    expect((await snapshot()).monthly.rows).toEqual(incremental.monthly.rows);
    // 2025-06 C; 2026-03 A (A2-07) and B (A2-01); 2026-04 A (A2-01); 2026-05 B (high-skilled).
    expect(incremental.monthly.rows).toHaveLength(5);
    // Folding everyone again from four connections at once changes nothing.
    await t.db
      .insertInto('statDirtyPersons')
      .values(Object.values(persons).map((personId) => ({ personId })))
      .execute();
    const folded = await Promise.all([1, 2, 3, 4].map(() => foldStatistics(t.db, { batch: 1 })));
    expect(folded.reduce((a, b) => a + b, 0)).toBe(4);
    expect((await snapshot()).daily.rows).toEqual(incremental.daily.rows);
    expect((await snapshot()).monthly.rows).toEqual(incremental.monthly.rows);
  });
});

describe('GET /api/targets/progress', () => {
  it('returns all 38 annex units of 2022 with the annex targets, never summed', async () => {
    const { status, body } = await get<ProgressBody>('/api/targets/progress?year=2022');
    expect(status).toBe(200);
    const annexed = body.units.filter((u) => u.annex !== null);
    expect(annexed).toHaveLength(38);
    expect(annexed.filter((u) => u.annex === 1)).toHaveLength(10);
    expect(annexed.filter((u) => u.annex === 2)).toHaveLength(28);
    const liangyuan = body.units.find((u) => u.unitId === 'A1-01')!;
    expect(liangyuan.measures.training).toEqual({
      target: 19_000,
      actual: 0,
      progress: 0,
      status: 'behind',
      projected: 0,
      rank: 1,
    });
    expect(liangyuan.measures.high_skilled.target).toBe(4_200);
    const sfq = body.units.find((u) => u.unitId === 'A1-03')!;
    expect(sfq.measures.skilled.target).toBe(13_500);
    expect(body.elapsedShare).toBe(1);
  });

  it('shows 2026 actuals, progress against the year elapsed, rank and the projection', async () => {
    const { body } = await get<ProgressBody>('/api/targets/progress?year=2026');
    expect(body.elapsedShare).toBeCloseTo(182 / 365, 10);
    expect(body.city.training.actual).toBe(2);
    expect(body.city.skilled.actual).toBe(1);
    expect(body.city.high_skilled.actual).toBe(1);
    const unit = (id: string) => body.units.find((u) => u.unitId === id)!.measures;
    // 市教育体育局: 1 of 4 person-times while 49.9 % of the year is gone: behind; 1 ÷ 0.4986 → 2.
    expect(unit('A2-01').training).toEqual({
      target: 4,
      actual: 1,
      progress: 0.25,
      status: 'behind',
      projected: 2,
      rank: 2,
    });
    // 市人社局: 1 of 1: ahead, first among departments.
    expect(unit('A2-07').training).toMatchObject({
      actual: 1,
      progress: 1,
      status: 'ahead',
      rank: 1,
    });
    expect(unit('A2-01').skilled).toMatchObject({
      target: 2,
      actual: 1,
      progress: 0.5,
      status: 'ahead',
    });
    // Counties count by attribution: 梁园区 has A's April training and B's certification.
    expect(unit('A1-01').training).toMatchObject({ target: null, actual: 1, status: 'no_target' });
    expect(unit('A1-01').skilled.actual).toBe(1);
    expect(unit('A1-02').training.actual).toBe(1);
    expect(unit('A1-02').high_skilled.actual).toBe(1);
    const plan2 = body.plans.find((p) => p.planNo === 2)!;
    expect(plan2.measures.training).toMatchObject({ target: 50_000, actual: 1 });
  });

  it('moves with the facts: a withdrawn report and a revoked certificate no longer count', async () => {
    await t.db
      .updateTable('trainingReports')
      .set({ status: 'withdrawn' })
      .where('id', '=', reportApril)
      .execute();
    await t.db
      .updateTable('certificates')
      .set({ status: 'revoked', revokedAt: new Date(NOW), revocationReason: '测试撤销' })
      .where('id', '=', ourLevel3)
      .execute();
    const { body } = await get<ProgressBody>('/api/targets/progress?year=2026');
    expect(body.city.training.actual).toBe(1);
    expect(body.city.high_skilled.actual).toBe(0);
    const unit = (id: string) => body.units.find((u) => u.unitId === id)!.measures;
    expect(unit('A2-01').training.actual).toBe(0);
    expect(unit('A1-02').high_skilled.actual).toBe(0);
  });

  it('refuses a malformed year and a worker', async () => {
    const malformed = await get<{ code: string; errors: Array<{ path: string }> }>(
      '/api/targets/progress?year=20x6',
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: '/querystring/year' }],
    });
    const worker = await accountWithSession(t.db, 'worker', {
      now: new Date(NOW),
      anchors: { personId: persons.D },
    });
    const denied = await get<{ code: string }>('/api/targets/progress?year=2026', worker);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('FORBIDDEN');
  });
});

describe('GET /api/statistics/records', () => {
  it('lists the records behind a department’s figure', async () => {
    const { status, body } = await get<{ total: number; items: Array<Record<string, unknown>> }>(
      '/api/statistics/records?measure=training&year=2026&unitId=A2-07',
    );
    expect(status).toBe(200);
    expect(body.total).toBe(1);
    expect(body.items[0]).toMatchObject({
      personId: persons.A,
      name: '测试人员',
      idNumberMasked: '411402********0011',
      onDate: '2026-03-10',
      unitName: '市人力资源社会保障局',
      countyUnitId: 'A1-02',
      source: 'voucher',
    });
  });

  it('keeps a county administrator to its county', async () => {
    const own = await get<{ total: number; items: Array<{ personId: string }> }>(
      '/api/statistics/records?measure=skilled&year=2026',
      county,
    );
    expect(own.body.items.map((i) => i.personId)).toEqual([persons.B]);
    const other = await get(
      '/api/statistics/records?measure=training&year=2026&countyUnitId=A1-02',
      county,
    );
    expect(other.status).toBe(403);
  });

  it('asks for a year or a range', async () => {
    const res = await get<{ code: string }>('/api/statistics/records?measure=training');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});
