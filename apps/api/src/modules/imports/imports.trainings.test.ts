import { randomBytes } from 'node:crypto';
import ExcelJS from '../../platform/excel.js';
import type * as Excel from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { accountWithSession, type TestAccount } from '../../../test/auth.js';
import { FIXTURE_ID_NUMBERS } from '../../../test/fixtures/sensitive.js';

// Valid fixture ID numbers (the first three of the list have a wrong check digit on purpose).
const [BAD, , , ID1, ID2, ID3, ID4, ID5, ID6, ID7, ID8] = FIXTURE_ID_NUMBERS;

let t: TestApp;
let city: TestAccount;
let unit: TestAccount;

beforeAll(async () => {
  t = await createTestApp('2026-03-15T02:00:00Z');
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { now });
  unit = await accountWithSession(t.db, 'unit_officer', { now, anchors: { unitId: 'A2-07' } });
  await t.db
    .insertInto('activityPeriods')
    .values({ period: '2026-01', closedAt: now, closedBy: null })
    .execute();
});
afterAll(async () => {
  await t.close();
});

function multipart(fileName: string, content: Buffer) {
  const boundary = `----jineng${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, content, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(account: TestAccount, rows: string[][], query = '') {
  const csv = Buffer.from(rows.map((r) => r.join(',')).join('\r\n'), 'utf8');
  const body = multipart('培训报送.csv', csv);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/imports/training-reports${query}`,
    headers: { ...account.headers, ...body.headers },
    payload: body.payload,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{
    importId: string;
    kind: string;
    status: string;
    imported: number;
    rejectedRows: number;
    rejected: { row: number; column: string; code: string }[];
    failedRowsUrl?: string;
  }>();
}

const HEADER = [
  '培训名称',
  '责任单位',
  '职业编码',
  '技能等级',
  '计划编号',
  '开始日期',
  '结束日期',
  '学时',
  '身份证号',
  '姓名',
  '是否结业',
];

function row(overrides: Partial<Record<string, string>>): string[] {
  const base: Record<string, string> = {
    培训名称: '安全生产培训',
    责任单位: 'A2-07',
    职业编码: '6-01-01-01',
    技能等级: '五级/初级工',
    计划编号: '1',
    开始日期: '2026-03-02',
    结束日期: '2026-03-06',
    学时: '40',
    身份证号: ID1 ?? '',
    姓名: '王芳',
    是否结业: '是',
  };
  return HEADER.map((h) => overrides[h] ?? base[h] ?? '');
}

describe('importing training reports', () => {
  it('groups rows into reports and reports every row problem with its code', async () => {
    const unitName = (
      await t.db
        .selectFrom('responsibleUnits')
        .select('canonicalName')
        .where('id', '=', 'A2-07')
        .executeTakeFirstOrThrow()
    ).canonicalName;
    // Registered earlier under another name: a row naming them otherwise is refused at commit.
    await upload(city, [HEADER, row({ 身份证号: ID8, 姓名: '钱一', 培训名称: '登记' })]);

    const rows = [
      HEADER,
      row({}), // 2: report A, trainee 1
      row({ 责任单位: unitName, 身份证号: ID2, 姓名: '李四', 是否结业: '否' }), // 3: A, by name
      row({ 培训名称: '', 身份证号: ID3 }), // 4
      row({ 责任单位: '不存在的局', 身份证号: ID3 }), // 5
      row({ 责任单位: 'A2-08', 身份证号: ID3 }), // 6
      row({ 职业编码: '6-01-00-00', 身份证号: ID3 }), // 7
      row({ 技能等级: '九级', 身份证号: ID3 }), // 8
      row({ 计划编号: '77', 身份证号: ID3 }), // 9
      row({ 开始日期: '三月', 身份证号: ID3 }), // 10
      row({ 开始日期: '2026-03-07', 身份证号: ID3 }), // 11
      row({ 结束日期: '2026-03-20', 身份证号: ID3 }), // 12
      row({ 学时: '12.25', 身份证号: ID3 }), // 13
      row({ 开始日期: '2026-01-05', 结束日期: '2026-01-09', 身份证号: ID3 }), // 14
      row({ 身份证号: BAD ?? '' }), // 15
      row({ 是否结业: '也许', 身份证号: ID3 }), // 16
      row({ 学时: '32', 身份证号: ID4, 姓名: '孙七' }), // 17: report A with other hours
      row({}), // 18: same trainee again
      row({ 身份证号: ID8, 姓名: '钱二' }), // 19: registered as 钱一
      row({ 培训名称: '电工作业', 职业编码: '', 技能等级: '', 身份证号: ID5, 姓名: '周八' }), // 20: B
      row({ 培训名称: '电工作业', 职业编码: '', 技能等级: '', 身份证号: ID6, 姓名: '吴九' }), // 21: B
    ];
    const dry = await upload(unit, rows, '?dryRun=true');
    expect(dry.status).toBe('dry_run');
    expect(await t.db.selectFrom('trainingReports').select('id').execute()).toHaveLength(1);

    const summary = await upload(unit, rows);
    expect(summary).toMatchObject({ kind: 'training_reports', status: 'committed', imported: 4 });
    expect(summary.rejected.map((r) => [r.row, r.code])).toEqual([
      [4, 'REQUIRED'],
      [5, 'UNIT_UNKNOWN'],
      [6, 'UNIT_NOT_YOURS'],
      [7, 'OCCUPATION_UNKNOWN'],
      [8, 'SKILL_LEVEL_UNKNOWN'],
      [9, 'PLAN_UNKNOWN'],
      [10, 'DATE_INVALID'],
      [11, 'END_BEFORE_START'],
      [12, 'END_IN_FUTURE'],
      [13, 'HOURS_INVALID'],
      [14, 'PERIOD_CLOSED'],
      [15, 'ID_CHECKSUM'],
      [16, 'COMPLETED_INVALID'],
      [17, 'GROUP_MISMATCH'],
      [18, 'DUPLICATE_IN_FILE'],
      [19, 'NAME_MISMATCH'],
    ]);
    expect(summary.rejectedRows).toBe(16);

    const reports = await t.db
      .selectFrom('trainingReports as r')
      .select((eb) => [
        'r.title',
        'r.unitId',
        'r.source',
        'r.importRunId',
        'r.occupationCode',
        'r.hours',
        eb
          .selectFrom('trainingReportTrainees as x')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('x.reportId', '=', 'r.id')
          .as('trainees'),
      ])
      .where('r.importRunId', '=', summary.importId)
      .orderBy('r.title')
      .execute();
    expect(reports).toEqual([
      {
        title: '安全生产培训',
        unitId: 'A2-07',
        source: 'import',
        importRunId: summary.importId,
        occupationCode: '6-01-01-01',
        hours: '40.0',
        trainees: 2,
      },
      {
        title: '电工作业',
        unitId: 'A2-07',
        source: 'import',
        importRunId: summary.importId,
        occupationCode: null,
        hours: '40.0',
        trainees: 2,
      },
    ]);

    const download = await t.app.inject({
      url: summary.failedRowsUrl ?? '',
      headers: unit.headers,
    });
    expect(download.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(download.rawPayload as unknown as Excel.Buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.rowCount).toBe(17);
    expect(String(sheet?.getRow(1).values)).toContain('失败原因');
    void ID7;
  });

  it('serves the template', async () => {
    const res = await t.app.inject({
      url: '/api/imports/templates/training-reports.xlsx',
      headers: unit.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
  });
});
