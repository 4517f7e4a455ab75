import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBarePerson,
  randomUscc,
  type TestAccount,
} from '../../../test/auth.js';
import { uuidv7 } from '../../platform/ids.js';
import { medianOf, quarterAfter } from './statistics.outcomes.js';

/*
 * A fixed cohort of 2024, seen on 2025-11-15 (Shanghai), with hand-computed outcomes:
 *   梁园区 (A1-01) L0..L10: L0..L9 exit 2024-02-20 (Q1: Q−1 = 2023Q4, Q+2 = 2024Q3, Q+4 = 2025Q1);
 *     L0 is trained twice that quarter (one exit); L10 exits 2024-11-10 (Q4: its Q+2 = 2025Q2
 *     has ended, its Q+4 = 2025Q4 has not).
 *   睢阳区 (A1-02) S0..S8: exit 2024-02-20 — 9 persons, so every cell is suppressed.
 * Q+2 employed: L0..L6 and L10 (8 of 11), S0..S4 (5 of 9) → city 13 of 20.
 * Q+4 employed: L0..L4 (5 of 10: L10's Q+4 has not ended), S0..S1 → city 7 of 19.
 * Earnings change Q+2 − Q−1 for L0..L5 and S0..S3 (10 persons):
 *   −50000, 0, 10000, 20000, 30000, 45001 | 60000, 70000, 80000, 100000 → median 37500.5 → 37501.
 * Certificate holders by 2024-12-31: L0..L9 (10) and S0..S8 (9); L10's comes in 2025.
 */

let t: TestApp;
let reader: TestAccount;
const L: string[] = [];
const S: string[] = [];
const USCC = randomUscc();
const DIFFS_L = [-50000, 0, 10000, 20000, 30000, 45001];
const DIFFS_S = [60000, 70000, 80000, 100000];

async function training(personIds: string[], endOn: string, title: string) {
  const now = t.clock.now();
  const reportId = uuidv7();
  await t.db
    .insertInto('trainingReports')
    .values({
      id: reportId,
      unitId: 'A2-07',
      title,
      startOn: endOn,
      endOn,
      hours: '16',
      period: endOn.slice(0, 7),
      source: 'unit_report',
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  await t.db
    .insertInto('trainingReportTrainees')
    .values(personIds.map((personId) => ({ reportId, personId, completed: true })))
    .execute();
}

async function certificate(personId: string, issuedOn: string) {
  const now = t.clock.now();
  await t.db
    .insertInto('externalCertificates')
    .values({
      id: uuidv7(),
      kind: 'special_operation',
      number: `T${randomBytes(6).toString('hex')}`,
      personId,
      itemName: '低压电工作业',
      issuerName: '商丘市应急管理局',
      issuingProvinceCode: '41',
      issuedOn,
      unitId: 'A2-16',
      period: issuedOn.slice(0, 7),
      source: 'unit_report',
      createdAt: now,
      updatedAt: now,
    })
    .execute();
}

async function paid(personId: string, month: string, wageBaseFen: number) {
  await t.db
    .insertInto('insuranceContributions')
    .values({
      personId,
      employerUscc: USCC,
      month,
      wageBaseFen,
      source: 'import',
      recordedAt: t.clock.now(),
    })
    .execute();
}

beforeAll(async () => {
  t = await createTestApp('2025-11-15T02:00:00Z');
  reader = await accountWithSession(t.db, 'county_admin', { now: t.clock.now() });
  for (let i = 0; i < 11; i += 1) L.push(await insertBarePerson(t.db, t.clock.now()));
  for (let i = 0; i < 9; i += 1) {
    const id = await insertBarePerson(t.db, t.clock.now());
    await t.db
      .updateTable('persons')
      .set({ residenceRegionCode: '411403' })
      .where('id', '=', id)
      .execute();
    S.push(id);
  }
  await training([...L.slice(0, 10), ...S], '2024-02-20', '电工培训');
  await training([L[0]!], '2024-01-10', '焊工培训');
  await training([L[10]!], '2024-11-10', '电工培训');
  // Trained in 2023 only: not in the 2024 cohort.
  await training([await insertBarePerson(t.db, t.clock.now())], '2023-06-30', '电工培训');

  // Q−1 (2023Q4) earnings of those with an earnings change, and their Q+2 (2024Q3) earnings.
  const changes: Array<[string, number]> = [
    ...DIFFS_L.map((d, i) => [L[i]!, d] as [string, number]),
    ...DIFFS_S.map((d, i) => [S[i]!, d] as [string, number]),
  ];
  for (const [person, diff] of changes) {
    await paid(person, '2023-12-01', 300000);
    await paid(person, '2024-07-01', 150000);
    await paid(person, '2024-08-01', 150000 + diff);
  }
  // Employed in Q+2 without Q−1 earnings.
  await paid(L[6]!, '2024-09-01', 200000);
  await paid(S[4]!, '2024-09-01', 200000);
  await paid(L[10]!, '2025-05-01', 200000);
  // The exit quarter and Q+1 do not count.
  await paid(L[7]!, '2024-03-01', 999999);
  await paid(L[7]!, '2024-05-01', 999999);
  // Q+4 (2025Q1).
  for (const person of [...L.slice(0, 5), ...S.slice(0, 2)])
    await paid(person, '2025-02-01', 310000);

  for (const person of [...L.slice(0, 10), ...S]) await certificate(person, '2024-06-01');
  await certificate(L[10]!, '2025-01-05');

  const city = await accountWithSession(t.db, 'city_admin', { now: t.clock.now() });
  const put = await t.app.inject({
    method: 'PUT',
    url: '/api/targets/employed/2024',
    headers: city.headers,
    payload: {
      rows: [
        { unitId: null, persons: 4_000_000, source: '2024年统计公报' },
        { unitId: 'A1-01', persons: 400_000, source: '梁园区统计局' },
      ],
    },
  });
  expect(put.statusCode).toBe(200);
});
afterAll(async () => {
  await t.close();
});

async function outcomes(year: number) {
  const res = await t.app.inject({
    url: `/api/targets/outcomes?year=${year}`,
    headers: reader.headers,
  });
  expect(res.statusCode).toBe(200);
  return res.json();
}

describe('GET /api/targets/outcomes', () => {
  it('gives the Q+2 and Q+4 employment rates with their n, 10 persons shown, 9 suppressed', async () => {
    const body = await outcomes(2024);
    expect(body.asOf).toBe('2025-11-15');
    expect(body.suppressionThreshold).toBe(10);
    const liangyuan = body.units.find((u: { unitId: string }) => u.unitId === 'A1-01');
    const suiyang = body.units.find((u: { unitId: string }) => u.unitId === 'A1-02');
    expect(liangyuan.employmentQ2).toEqual({
      numerator: 8,
      n: 11,
      rate: 8 / 11,
      suppressed: false,
    });
    expect(liangyuan.employmentQ4).toEqual({ numerator: 5, n: 10, rate: 0.5, suppressed: false });
    expect(suiyang.employmentQ2).toEqual({
      numerator: null,
      n: null,
      rate: null,
      suppressed: true,
    });
    expect(suiyang.employmentQ4).toEqual({
      numerator: null,
      n: null,
      rate: null,
      suppressed: true,
    });
    expect(body.city.employmentQ2).toEqual({ numerator: 13, n: 20, rate: 0.65, suppressed: false });
    expect(body.city.employmentQ4).toEqual({
      numerator: 7,
      n: 19,
      rate: 7 / 19,
      suppressed: false,
    });
    expect(body.units).toHaveLength(10);
  });

  it('gives the median earnings change of an even n, rounded to the fen', async () => {
    const body = await outcomes(2024);
    expect(body.city.earningsChangeQ2).toEqual({ medianFen: 37501, n: 10, suppressed: false });
    const liangyuan = body.units.find((u: { unitId: string }) => u.unitId === 'A1-01');
    expect(liangyuan.earningsChangeQ2).toEqual({ medianFen: null, n: null, suppressed: true });
  });

  it('counts certificate holders by year end among the entered employed persons', async () => {
    const body = await outcomes(2024);
    const liangyuan = body.units.find((u: { unitId: string }) => u.unitId === 'A1-01');
    const suiyang = body.units.find((u: { unitId: string }) => u.unitId === 'A1-02');
    expect(liangyuan.certificateHolders).toEqual({
      holders: 10,
      employed: 400_000,
      employedSource: '梁园区统计局',
      rate: 10 / 400_000,
      n: 10,
      suppressed: false,
    });
    expect(suiyang.certificateHolders).toEqual({
      holders: null,
      employed: null,
      employedSource: null,
      rate: null,
      n: null,
      suppressed: true,
    });
    expect(body.city.certificateHolders).toMatchObject({
      holders: 19,
      employed: 4_000_000,
      rate: 19 / 4_000_000,
      suppressed: false,
    });
    // A year later L10's certificate counts too; nobody was trained in 2025.
    const next = await outcomes(2025);
    expect(next.city.certificateHolders).toMatchObject({ holders: 20, employed: null, rate: null });
    expect(next.city.employmentQ2).toEqual({
      numerator: null,
      n: null,
      rate: null,
      suppressed: true,
    });
  });

  it('explains every measure in Chinese and English', async () => {
    const body = await outcomes(2024);
    expect(body.definitions.map((d: { measure: string }) => d.measure)).toEqual([
      'certificate_holders',
      'employment_q2',
      'employment_q4',
      'earnings_change_q2',
      'attribution',
    ]);
    for (const d of body.definitions) {
      expect(d.definition.zh.length).toBeGreaterThan(10);
      expect(d.definition.en.length).toBeGreaterThan(10);
    }
  });
});

describe('outcome rules', () => {
  it('takes the median of an even n as the mean of the middle two, halves up', () => {
    expect(medianOf([])).toBeNull();
    expect(medianOf([5, 1, 3])).toBe(3);
    expect(medianOf([1, 2])).toBe(2);
    expect(medianOf([-3, -2])).toBe(-2);
    expect(medianOf([10, 20, 30, 40])).toBe(25);
  });

  it('counts quarters across years', () => {
    expect(quarterAfter('2024-10-01', 2)).toBe('2025-04-01');
    expect(quarterAfter('2024-01-01', -1)).toBe('2023-10-01');
  });
});
