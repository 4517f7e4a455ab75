import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Excel from 'exceljs';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  insertBarePerson,
  type TestAccount,
} from '../../../test/auth.js';
import { insertBareClass } from '../../../test/classes.js';
import { insertCertificate } from '../../../test/redemption.js';
import ExcelJS from '../../platform/excel.js';
import { uuidv7 } from '../../platform/ids.js';
import { statisticsJobs } from './statistics.jobs.js';
import type { Report, ReportContent } from './statistics.reports.js';
import { FORMATS, LAGGARD_FILL } from './statistics.reports.xlsx.js';

/*
 * A small fixed city in 2026, every figure computed by hand. Persons live in 梁园区 (A1-01).
 *   P1  trained twice in March in the same occupation, both in voucher classes of 市人社局
 *       (A2-07, plan 2) held in 睢阳区 (A1-02), ending 10 and 12 March: one person-time, on 10 March.
 *   P2  reported by 市教育体育局 (A2-01) as trained on 10 February (occupation Y) and 14 March
 *       (occupation X): two person-times; no place, so 梁园区 by residence.
 *   P3  an external 四级 reported by A2-01 issued 13 March and our own 四级 of the same occupation
 *       issued 14 March (睢阳区): one new skilled talent, on 13 March, A2-01, 梁园区 (residence).
 *   P4  our 三级 issued 14 March in 睢阳区, no voucher behind it: new skilled and new
 *       high-skilled, no unit, 睢阳区.
 * 2026 targets (persons): A1-01 4/2/1, A1-02 2/4/1, A2-01 10/1/0, A2-07 1/2/1; no other unit has
 * 2026 targets. Today is Sunday 15 March 2026 (Shanghai).
 */

const NOW = '2026-03-15T02:00:00Z';
const X = '6-01-01-01';
const Y = '6-01-01-02';
const TITLE = '商丘市“人人持证、技能河南”建设';
/** Days of 2026 elapsed on 14 March (73) and 15 March (74). */
const ELAPSED_14 = 73 / 365;
const ELAPSED_15 = 74 / 365;

let t: TestApp;
let city: TestAccount;
let auditor: TestAccount;
let worker: TestAccount;

async function voucherClass(endsAt: string): Promise<string> {
  const now = new Date(NOW);
  const organisationId = await insertBareOrganisation(t.db, 'training_institution', { now });
  const classId = await insertBareClass(t.db, {
    organisationId,
    occupationCode: X,
    startsAt: new Date(Date.parse(endsAt) - 5 * 86_400_000),
    endsAt: new Date(endsAt),
    now,
  });
  await t.db
    .updateTable('classes')
    .set({ planNo: 2, unitId: 'A2-07', regionCode: '411403' })
    .where('id', '=', classId)
    .execute();
  return classId;
}

async function passed(classId: string, personId: string) {
  const now = new Date(NOW);
  await t.db
    .insertInto('classTrainees')
    .values({
      id: uuidv7(),
      classId,
      personId,
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
}

async function reportTraining(personId: string, occupationCode: string, endOn: string) {
  const id = uuidv7();
  const now = new Date(NOW);
  await t.db
    .insertInto('trainingReports')
    .values({
      id,
      unitId: 'A2-01',
      organisationId: null,
      planNo: null,
      title: '职业技能培训',
      occupationCode,
      skillLevelKey: null,
      startOn: `${endOn.slice(0, 8)}01`,
      endOn,
      hours: 40,
      period: endOn.slice(0, 7),
      source: 'unit_report',
      reportedBy: null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  await t.db
    .insertInto('trainingReportTrainees')
    .values({ reportId: id, personId, completed: true })
    .execute();
}

beforeAll(async () => {
  t = await createTestApp(NOW);
  const now = new Date(NOW);
  city = await accountWithSession(t.db, 'city_admin', { now });
  auditor = await accountWithSession(t.db, 'auditor', { now });
  worker = await accountWithSession(t.db, 'worker', { now });
  const [p1, p2, p3, p4] = [
    await insertBarePerson(t.db, now),
    await insertBarePerson(t.db, now),
    await insertBarePerson(t.db, now),
    await insertBarePerson(t.db, now),
  ] as [string, string, string, string];

  await passed(await voucherClass('2026-03-10T09:00:00Z'), p1);
  await passed(await voucherClass('2026-03-12T09:00:00Z'), p1);
  await reportTraining(p2, Y, '2026-02-10');
  await reportTraining(p2, X, '2026-03-14');

  const evaluator = await insertBareOrganisation(t.db, 'evaluation_institution', { now });
  await t.db
    .insertInto('externalCertificates')
    .values({
      id: uuidv7(),
      kind: 'skill_level',
      number: 'S000032000001264000007',
      personId: p3,
      occupationCode: X,
      skillLevelKey: 'level4',
      itemName: null,
      issuerName: '外省评价机构',
      issuingProvinceCode: '32',
      issuedOn: '2026-03-13',
      validUntil: null,
      unitId: 'A2-01',
      period: '2026-03',
      source: 'unit_report',
      reportedBy: null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  const ours = { organisationId: evaluator, occupationCode: X, now, issuedOn: '2026-03-14' };
  await insertCertificate(t.db, { ...ours, personId: p3, skillLevelKey: 'level4' });
  await insertCertificate(t.db, { ...ours, personId: p4, skillLevelKey: 'level3' });

  const target = (unitId: string, training: number, skilled: number, high: number) => ({
    unitId,
    year: 2026,
    trainingPersonTimes: training,
    newSkilled: skilled,
    newHighSkilled: high,
    source: 'test',
  });
  await t.db
    .insertInto('unitTargets')
    .values([
      target('A1-01', 4, 2, 1),
      target('A1-02', 2, 4, 1),
      target('A2-01', 10, 1, 0),
      target('A2-07', 1, 2, 1),
    ])
    .execute();
});

afterAll(async () => {
  await t.close();
});

async function generate(body: Record<string, unknown>, account = city, key?: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/reports',
    headers: { ...account.headers, ...(key ? { 'idempotency-key': key } : {}) },
    payload: body,
  });
}

function row(content: ReportContent, table: 'annex1' | 'annex2', unitId: string) {
  const found = content[table].rows.find((r) => r.unitId === unitId);
  if (!found) throw new Error(`no row ${unitId}`);
  return found;
}

let daily: Report;
let weekly: Report;

describe('generating a report on demand', () => {
  it('snapshots the daily sheet: the day’s values, the year to date, targets, progress, ranks', async () => {
    const res = await generate({ kind: 'daily', date: '2026-03-14' });
    expect(res.statusCode).toBe(201);
    daily = res.json<Report>();
    expect(daily).toMatchObject({
      kind: 'daily',
      title: `${TITLE}日统计表（2026年3月14日）`,
      periodStart: '2026-03-14',
      periodEnd: '2026-03-14',
      trigger: 'request',
      generatedByName: city.username,
    });
    const c = daily.content;
    expect(c.period).toEqual({ start: '2026-03-14', end: '2026-03-14' });
    expect(c.asOf).toBe('2026-03-14');
    expect(c.year).toBe(2026);
    expect(c.elapsedShare).toBe(ELAPSED_14);
    expect(c.definitions.map((d) => d.measure)).toEqual(['training', 'skilled', 'high_skilled']);
    expect(c.annex1.rows.map((r) => r.unitId)).toEqual(
      ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'].map((n) => `A1-${n}`),
    );
    expect(c.annex2.rows).toHaveLength(29);
    expect(c.annex2.rows.at(-1)).toMatchObject({ unitId: 'X-01', annex: null, rank: null });

    // 梁园区: P2 on 14 March (training); YTD P2 twice, P3 (skilled). 2/4, 1/2, 0/1.
    expect(row(c, 'annex1', 'A1-01')).toMatchObject({
      name: '梁园区',
      rank: 1,
      laggard: true,
      measures: {
        training: { period: 1, ytd: 2, target: 4, progress: 0.5, rank: 1, status: 'ahead' },
        skilled: { period: 0, ytd: 1, target: 2, progress: 0.5, rank: 1, status: 'ahead' },
        high_skilled: { period: 0, ytd: 0, target: 1, progress: 0, rank: 2, status: 'behind' },
      },
    });
    // 睢阳区: P1 (10 March, counted once), P4 on 14 March (skilled and high-skilled).
    expect(row(c, 'annex1', 'A1-02')).toMatchObject({
      rank: 1,
      laggard: false,
      measures: {
        training: { period: 0, ytd: 1, target: 2, progress: 0.5, rank: 1, status: 'ahead' },
        skilled: { period: 1, ytd: 1, target: 4, progress: 0.25, rank: 2, status: 'ahead' },
        high_skilled: { period: 1, ytd: 1, target: 1, progress: 1, rank: 1, status: 'ahead' },
      },
    });
    expect(row(c, 'annex1', 'A1-04').measures.training).toEqual({
      period: 0,
      ytd: 0,
      target: null,
      progress: null,
      rank: null,
      status: 'no_target',
    });
    expect(c.annex1.total).toEqual({
      name: '合计',
      measures: {
        training: { period: 1, ytd: 3, target: 6, progress: 0.5, status: 'ahead' },
        skilled: { period: 1, ytd: 2, target: 6, progress: 2 / 6, status: 'ahead' },
        high_skilled: { period: 1, ytd: 1, target: 2, progress: 0.5, status: 'ahead' },
      },
    });

    // 市教育体育局: P2 twice, P3 once (the external certificate, before ours). 2/10 is exactly
    // the share elapsed on 14 March: ahead. A target of 0 is met.
    expect(row(c, 'annex2', 'A2-01')).toMatchObject({
      rank: 2,
      laggard: false,
      measures: {
        training: { period: 1, ytd: 2, target: 10, progress: 0.2, rank: 2, status: 'ahead' },
        skilled: { period: 0, ytd: 1, target: 1, progress: 1, rank: 1, status: 'ahead' },
        high_skilled: { period: 0, ytd: 0, target: 0, progress: 1, rank: 1, status: 'ahead' },
      },
    });
    expect(row(c, 'annex2', 'A2-07')).toMatchObject({
      rank: 1,
      laggard: true,
      measures: {
        training: { period: 0, ytd: 1, target: 1, progress: 1, rank: 1, status: 'ahead' },
        skilled: { period: 0, ytd: 0, target: 2, progress: 0, rank: 2, status: 'behind' },
        high_skilled: { period: 0, ytd: 0, target: 1, progress: 0, rank: 2, status: 'behind' },
      },
    });
    expect(c.annex2.total.measures).toEqual({
      training: { period: 1, ytd: 3, target: 11, progress: 3 / 11, status: 'ahead' },
      skilled: { period: 0, ytd: 1, target: 3, progress: 1 / 3, status: 'ahead' },
      high_skilled: { period: 0, ytd: 0, target: 1, progress: 0, status: 'behind' },
    });

    expect(c.city).toEqual({
      period: { training: 1, skilled: 1, high_skilled: 1 },
      ytd: { training: 3, skilled: 2, high_skilled: 1 },
      ytdUnattributedToCounty: { training: 0, skilled: 0, high_skilled: 0 },
    });
    expect(c.plans.rows).toHaveLength(12);
    // Plan 2 (yearly minimums 5.0万 / 4.47万 / 1.31万): P1 only.
    expect(c.plans.rows[1]).toMatchObject({
      planNo: 2,
      measures: {
        training: { period: 0, ytd: 1, target: 50_000, progress: 1 / 50_000, rank: 1 },
        skilled: { period: 0, ytd: 0, target: 44_700, progress: 0 },
        high_skilled: { period: 0, ytd: 0, target: 13_100, progress: 0 },
      },
    });
    // Plan 10 certifies all it trains: its certified target is its trained count (none yet).
    expect(c.plans.rows[9]).toMatchObject({
      planNo: 10,
      certifiesAllTrained: true,
      measures: { skilled: { ytd: 0, target: 0, progress: 1 } },
    });
  });

  it('reports the current week up to today, against today’s share of the year', async () => {
    const res = await generate({ kind: 'weekly', date: '2026-03-14' });
    expect(res.statusCode).toBe(201);
    weekly = res.json<Report>();
    expect(weekly.title).toBe(`${TITLE}周调度表（2026年第11周：2026年3月9日—3月15日）`);
    expect(weekly.content.period).toEqual({ start: '2026-03-09', end: '2026-03-15' });
    expect(weekly.content.asOf).toBe('2026-03-15');
    expect(weekly.content.elapsedShare).toBe(ELAPSED_15);
    expect(row(weekly.content, 'annex1', 'A1-02').measures.training).toMatchObject({
      period: 1,
      ytd: 1,
    });
    // 2/10 is now behind 74/365.
    expect(row(weekly.content, 'annex2', 'A2-01')).toMatchObject({
      laggard: true,
      measures: { training: { period: 1, ytd: 2, progress: 0.2, status: 'behind' } },
    });
    expect(weekly.content.city.period).toEqual({ training: 2, skilled: 2, high_skilled: 1 });
  });

  it('audits the generation', async () => {
    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'entityType', 'actorUserId'])
      .where('entityId', '=', daily.id)
      .execute();
    expect(audit).toEqual([
      {
        action: 'statistics.report.generated',
        entityType: 'statistics_report',
        actorUserId: city.id,
      },
    ]);
  });

  it('replays a repeated Idempotency-Key without a second report', async () => {
    const first = await generate({ kind: 'monthly', date: '2026-02-02' }, city, 'report-key-1');
    const again = await generate({ kind: 'monthly', date: '2026-02-02' }, city, 'report-key-1');
    expect(first.statusCode).toBe(201);
    expect(again.json<Report>().id).toBe(first.json<Report>().id);
    const rows = await t.db
      .selectFrom('statisticsReports')
      .select('id')
      .where('periodStart', '=', '2026-02-01')
      .execute();
    expect(rows).toHaveLength(1);
    // February: P2's 10 February training, nothing else.
    expect(first.json<Report>().content.city).toMatchObject({
      period: { training: 1, skilled: 0, high_skilled: 0 },
      ytd: { training: 1, skilled: 0, high_skilled: 0 },
    });
  });

  it('refuses a future date, a malformed one and an unknown kind', async () => {
    const future = await generate({ kind: 'daily', date: '2026-03-16' });
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: '/body/date' }],
    });
    expect((await generate({ kind: 'daily', date: '2026-3-1' })).statusCode).toBe(400);
    expect((await generate({ kind: 'hourly' })).json().code).toBe('VALIDATION_FAILED');
  });

  it('lets only the city generate, and refuses workers the reports', async () => {
    const res = await generate({ kind: 'daily' }, auditor);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
    for (const url of [
      '/api/reports',
      `/api/reports/${daily.id}`,
      `/api/reports/${daily.id}/download`,
    ]) {
      const denied = await t.app.inject({ url, headers: worker.headers });
      expect(denied.statusCode, url).toBe(403);
    }
  });
});

describe('reading reports', () => {
  it('lists them newest first without content, filtered by kind and year', async () => {
    const res = await t.app.inject({ url: '/api/reports?year=2026', headers: auditor.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: Array<Record<string, unknown>>; total: number }>();
    expect(body.total).toBe(3);
    expect(body.items.map((i) => i.kind)).toEqual(['monthly', 'weekly', 'daily']);
    expect(body.items[2]).toEqual({
      id: daily.id,
      kind: 'daily',
      title: daily.title,
      periodStart: '2026-03-14',
      periodEnd: '2026-03-14',
      trigger: 'request',
      generatedAt: '2026-03-15T02:00:00.000Z',
      generatedByName: city.username,
    });
    const weeklies = await t.app.inject({
      url: '/api/reports?kind=weekly',
      headers: auditor.headers,
    });
    expect(weeklies.json().items.map((i: { id: string }) => i.id)).toEqual([weekly.id]);
    const other = await t.app.inject({ url: '/api/reports?year=2025', headers: auditor.headers });
    expect(other.json().total).toBe(0);
  });

  it('answers a report with its content, and 404 for an unknown id', async () => {
    const res = await t.app.inject({ url: `/api/reports/${daily.id}`, headers: auditor.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(daily);
    for (const url of [
      '/api/reports/00000000-0000-7000-8000-000000000000',
      '/api/reports/00000000-0000-7000-8000-000000000000/download',
    ]) {
      const missing = await t.app.inject({ url, headers: auditor.headers });
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['content-type']).toContain('application/problem+json');
      expect(missing.json().code).toBe('NOT_FOUND');
    }
  });
});

describe('the xlsx', () => {
  let sheets: Excel.Worksheet[];
  let file: { headers: Record<string, unknown> };

  beforeAll(async () => {
    const res = await t.app.inject({
      url: `/api/reports/${weekly.id}/download`,
      headers: auditor.headers,
    });
    expect(res.statusCode).toBe(200);
    file = res;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    sheets = workbook.worksheets;
  });

  it('is named by the report’s title', () => {
    expect(file.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const disposition = String(file.headers['content-disposition']);
    expect(disposition).toContain('filename="report-weekly-2026-03-09.xlsx"');
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(`${weekly.title}.xlsx`)}`);
  });

  it('has the counties, departments and plans sheets with a merged title and two header rows', () => {
    expect(sheets.map((s) => s.name)).toEqual(['县区', '市直部门', '十二项计划']);
    const s = sheets[0]!;
    expect(s.getCell('A1').value).toBe(`${weekly.title}\u3000附件1 各县（市、区）`);
    expect(s.getCell('A1').isMerged).toBe(true);
    expect(s.getCell('Q1').master.address).toBe('A1');
    expect(String(s.getCell('A2').value)).toContain(
      '统计时间：2026年3月9日—2026年3月15日\u3000截至：2026年3月15日\u3000时间进度：20.3%',
    );
    expect(String(s.getCell('A2').value)).toContain('年度目标为万人次、万人');
    expect(s.getCell('A3').value).toBe('序号');
    expect(s.getCell('A4').master.address).toBe('A3');
    expect(s.getCell('B3').value).toBe('县（市、区）');
    expect(s.getCell('C3').value).toBe('培训人次');
    expect(s.getCell('G3').master.address).toBe('C3');
    expect(s.getCell('H3').value).toBe('新增技能人才');
    expect(s.getCell('M3').value).toBe('新增高技能人才');
    expect(['C4', 'D4', 'E4', 'F4', 'G4', 'O4'].map((a) => s.getCell(a).value)).toEqual([
      '本期（人次）',
      '累计（人次）',
      '年度目标（万人次）',
      '完成率',
      '排名',
      '年度目标（万人）',
    ]);
    expect(s.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 4 });
  });

  it('prints a county row: integers, targets in 万, percent, rank, laggards filled', () => {
    const s = sheets[0]!;
    // Row 5: 梁园区. Training 1 this week, 2 this year, target 4 (0.0004万), 50.0 %, rank 1.
    const values = ['A5', 'B5', 'C5', 'D5', 'E5', 'F5', 'G5', 'N5', 'O5', 'P5', 'Q5'].map(
      (a) => s.getCell(a).value,
    );
    expect(values).toEqual([1, '梁园区', 1, 2, 0.0004, 0.5, 1, 0, 0.0001, 0, 2]);
    expect(s.getCell('C5').numFmt).toBe(FORMATS.count);
    expect(s.getCell('E5').numFmt).toBe(FORMATS.target10k);
    expect(s.getCell('F5').numFmt).toBe(FORMATS.percent);
    expect(FORMATS).toMatchObject({ target10k: '0.0###', percent: '0.0%', count: '0' });
    // High-skilled 0 of 1 is behind: the progress cell and the name are filled.
    const fill = (a: string) => (s.getCell(a).fill as Excel.FillPattern | undefined)?.fgColor?.argb;
    expect(fill('P5')).toBe(LAGGARD_FILL);
    expect(fill('B5')).toBe(LAGGARD_FILL);
    expect(fill('F5')).toBeUndefined();
    expect(s.getCell('C5').border.top?.style).toBe('thin');
    // A county without a 2026 target: no target, progress or rank.
    expect(['E8', 'F8', 'G8'].map((a) => s.getCell(a).value)).toEqual([null, null, null]);
  });

  it('closes each annex with a totals row and the definitions', () => {
    const s = sheets[0]!;
    // Row 15 = 4 header rows + 10 counties + 1.
    expect(
      ['B15', 'C15', 'D15', 'E15', 'F15', 'G15', 'N15', 'O15'].map((a) => s.getCell(a).value),
    ).toEqual(['合计', 2, 3, 0.0006, 0.5, null, 1, 0.0002]);
    expect(s.getCell('B15').font.bold).toBe(true);
    expect(s.getCell('A16').value).toBe('口径说明：');
    expect(String(s.getCell('A17').value)).toMatch(/^职业技能培训（人次）：/);
    const notes = [16, 17, 18, 19, 20, 21, 22].map((r) => String(s.getCell(`A${r}`).value));
    expect(notes.some((n) => n.includes('两表合计不可相加'))).toBe(true);
    const departments = sheets[1]!;
    // 4 header rows + 29 rows; 市教育体育局 first, behind on training this week.
    expect(departments.getCell('B5').value).toBe('市教育体育局');
    expect(departments.getCell('F5').value).toBe(0.2);
    expect((departments.getCell('F5').fill as Excel.FillPattern).fgColor?.argb).toBe(LAGGARD_FILL);
    expect(departments.getCell('B33').value).toBe('市城市管理局');
    expect(departments.getCell('B34').value).toBe('合计');
    expect(departments.getCell('D34').value).toBe(3);
    const plans = sheets[2]!;
    expect(plans.getCell('A6').value).toBe(2);
    expect(plans.getCell('E6').value).toBe(5);
    expect(plans.getCell('B17').value).toBe('全市');
    expect(plans.getCell('D17').value).toBe(3);
  });

  it('does not highlight laggards on the daily sheet', async () => {
    const res = await t.app.inject({
      url: `/api/reports/${daily.id}/download`,
      headers: auditor.headers,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.getCell('P5').value).toBe(0);
    const fill = workbook.worksheets[0]!.getCell('P5').fill as Excel.FillPattern | undefined;
    expect(fill?.fgColor?.argb).toBeUndefined();
  });
});

describe('the schedule', () => {
  it('makes each report of the previous period once, however often the job runs', async () => {
    await t.moveClock('2026-04-01T02:00:00Z'); // 10:00, Wednesday 1 April in Shanghai
    const jobs = statisticsJobs({ db: t.db, clock: t.clock });
    expect(jobs.schedules.map((s) => [s.cron, s.payload?.kind])).toEqual([
      ['* * * * *', undefined],
      ['30 0 * * *', 'daily'],
      ['0 1 * * 1', 'weekly'],
      ['30 1 1 * *', 'monthly'],
      ['0 2 1 1,4,7,10 *', 'quarterly'],
      ['30 2 1 1,7 *', 'half_year'],
      ['0 3 1 1 *', 'annual'],
    ]);
    const handler = jobs.handlers['statistics.report']!;
    const ctx = {} as Parameters<typeof handler>[1];
    const first = await handler({ kind: 'monthly' }, ctx);
    const second = await handler({ kind: 'monthly' }, ctx);
    expect(first).toMatchObject({
      created: true,
      period: { start: '2026-03-01', end: '2026-03-31' },
    });
    expect(second).toMatchObject({ created: false });
    await handler({ kind: 'quarterly' }, ctx);
    await handler({ kind: 'quarterly' }, ctx);
    const rows = await t.db
      .selectFrom('statisticsReports')
      .select(['id', 'kind', 'periodStart', 'periodEnd', 'generatedBy'])
      .where('trigger', '=', 'schedule')
      .orderBy('kind')
      .execute();
    expect(rows.map(({ id: _id, ...r }) => r)).toEqual([
      { kind: 'monthly', periodStart: '2026-03-01', periodEnd: '2026-03-31', generatedBy: null },
      { kind: 'quarterly', periodStart: '2026-01-01', periodEnd: '2026-03-31', generatedBy: null },
    ]);
    // March: P2's February training is in the year to date only; Q1 holds both.
    const monthly = (
      await t.app.inject({ url: `/api/reports/${rows[0]!.id}`, headers: auditor.headers })
    ).json<Report>();
    expect(monthly).toMatchObject({
      title: `${TITLE}2026年3月小结`,
      trigger: 'schedule',
      generatedByName: null,
    });
    expect(monthly.content.asOf).toBe('2026-03-31');
    expect(monthly.content.elapsedShare).toBe(90 / 365);
    expect(row(monthly.content, 'annex1', 'A1-01').measures.training).toMatchObject({
      period: 1,
      ytd: 2,
    });
    const quarterly = (
      await t.app.inject({ url: `/api/reports/${rows[1]!.id}`, headers: auditor.headers })
    ).json<Report>();
    expect(quarterly.title).toBe(`${TITLE}2026年第一季度通报`);
    expect(row(quarterly.content, 'annex1', 'A1-01').measures.training).toMatchObject({
      period: 2,
      ytd: 2,
    });
    // Scheduled generation is the system's: nothing audited.
    const audited = await t.db
      .selectFrom('auditEvents')
      .select('entityId')
      .where('action', '=', 'statistics.report.generated')
      .execute();
    expect(audited.map((a) => a.entityId).sort()).not.toContain(rows[0]!.id);
  });
});
