import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from '../../platform/excel.js';
import type * as Excel from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { accountWithSession, randomUscc, type TestAccount } from '../../../test/auth.js';
import { FIXTURE_PHONES } from '../../../test/fixtures/sensitive.js';
import { idNumberCheckChar } from '../persons/id-number.rules.js';
import { importJobs } from './imports.jobs.js';
import {
  zipBombWithLyingSizes,
  zipDeclaringHugeSheet,
  zipWithEntries,
  zipWithoutWorkbook,
} from '../../../test/fixtures/imports/zip.js';

const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/fixtures/imports',
);

let t: TestApp;
let city: TestAccount;
let county: TestAccount;
let otherCounty: TestAccount;
let unit: TestAccount;

beforeAll(async () => {
  t = await createTestApp();
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { now });
  county = await accountWithSession(t.db, 'county_admin', {
    now,
    anchors: { regionCode: '411402' },
  });
  otherCounty = await accountWithSession(t.db, 'county_admin', {
    now,
    anchors: { regionCode: '411481' },
  });
  unit = await accountWithSession(t.db, 'unit_officer', { now });
});
afterAll(async () => {
  await t.close();
});

/** A valid ID number: region, birth date (YYYYMMDD), 3-digit sequence (odd = male). */
function idOf(region: string, birth: string, seq: number): string {
  const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}
/** A fresh valid ID number of Liangyuan (411402), male unless `female`. */
let serial = 100;
function freshId(female = false, region = '411402'): string {
  serial += 1;
  return idOf(region, '19880101', serial * 2 + (female ? 0 : 1));
}

type Cell = string | number | null;

async function xlsxOf(rows: Cell[][], sheetName = '花名册'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function multipart(fileName: string, content: Buffer, field = 'file') {
  const boundary = `----jineng${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, content, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

interface Summary {
  importId: string;
  status: string;
  imported: number;
  updated: number;
  unchanged: number;
  rejectedRows: number;
  rejectedTotal: number;
  rejected: { row: number; column: string; code: string; message: string }[];
  failedRowsUrl?: string;
}

async function upload(
  account: TestAccount,
  fileName: string,
  content: Buffer,
  query = '',
  kind: 'persons' | 'organisations' = 'persons',
) {
  const body = multipart(fileName, content);
  return t.app.inject({
    method: 'POST',
    url: `/api/imports/${kind}${query}`,
    headers: { ...account.headers, ...body.headers },
    payload: body.payload,
  });
}

async function imported(account: TestAccount, fileName: string, content: Buffer, query = '') {
  const res = await upload(account, fileName, content, query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Summary>();
}

async function personByName(name: string) {
  return t.db.selectFrom('persons').selectAll().where('name', '=', name).executeTakeFirst();
}

async function personCount(): Promise<number> {
  const row = await t.db
    .selectFrom('persons')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const codes = (summary: Summary) =>
  summary.rejected.map(({ row, column, code }) => ({ row, column, code }));

describe('POST /api/imports/persons', () => {
  it('reads headers in any order by their usual names, ignoring 序号, unknown columns and empty rows', async () => {
    const [a, b] = [freshId(), freshId(true)];
    const file = await xlsxOf([
      ['商丘市2026年春季培训花名册'],
      [],
      [
        '序号',
        '公民身份号码（必填）',
        '微信号',
        ' 姓 名 ',
        '＊联系电话',
        '性别',
        '户籍所在地',
        '现居住地',
        '人员类别',
        '学历',
        '就业状态',
        '备注',
      ],
      [
        1,
        a,
        'wx1',
        '王 建国',
        '+86 138-1234-1234',
        '男',
        '河南省商丘市梁园区谢集镇',
        '梁园',
        '脱贫人口、退役军人',
        '高中',
        '未就业',
        '春季班',
      ],
      [2, null, null, null, null, null, null, null, null, null, null, null],
      [3],
      [4, b, '', '李秀英', '', '', '示范区', '', '农村劳动力', '大专', '灵活就业', ''],
    ]);
    const summary = await imported(city, 'roster.xlsx', file);
    expect(summary).toMatchObject({
      status: 'committed',
      imported: 2,
      updated: 0,
      unchanged: 0,
      rejectedRows: 0,
      rejected: [],
    });
    expect(summary.failedRowsUrl).toBeUndefined();
    const wang = await personByName('王建国');
    expect(wang).toMatchObject({
      sex: 'M',
      householdRegionCode: '411402',
      residenceRegionCode: '411402',
      regionCode: '411402',
      education: 'senior_high',
      employmentStatus: 'unemployed',
      note: '春季班',
      source: 'import',
      phoneMasked: '138****1234',
    });
    expect(wang?.idNumberEnc).not.toContain(a);
    const groups = await t.db
      .selectFrom('personKeyGroups')
      .select('keyGroupCode')
      .where('personId', '=', wang?.id ?? '')
      .orderBy('keyGroupCode')
      .execute();
    expect(groups.map((g) => g.keyGroupCode)).toEqual(['poverty_lifted', 'veteran']);
    expect(await personByName('李秀英')).toMatchObject({
      sex: 'F',
      householdRegionCode: '4114L1',
      regionCode: '4114L1',
      education: 'college',
      employmentStatus: 'flexible',
    });
  });

  it('reports every rejection with the row Excel shows, the file’s column and a code', async () => {
    const valid = freshId();
    const female = freshId(true);
    const badChecksum = `${valid.slice(0, 17)}${valid[17] === '1' ? '2' : '1'}`;
    const unknownRegion = idOf('000000', '19900101', 11);
    const badBirth = `41140219901332001`;
    const ids = Array.from({ length: 9 }, () => freshId());
    const rows: Cell[][] = [
      [
        '序号',
        '姓名',
        '身份证号码',
        '性别',
        '手机号码',
        '户籍地',
        '人员类别',
        '文化程度',
        '就业状态',
        '备注',
      ],
      [1, '赵一', valid, '男', '', '', '', '', '', ''],
      [2, '', freshId(), '', '', '', '', '', '', ''],
      [3, '张三3', freshId(), '', '', '', '', '', '', ''],
      [4, '钱二', '', '', '', '', '', '', '', ''],
      [5, '孙三', '41140219900307', '', '', '', '', '', '', ''],
      [6, '李四', badChecksum, '', '', '', '', '', '', ''],
      [7, '周五', badBirth + idNumberCheckChar(badBirth), '', '', '', '', '', '', ''],
      [8, '吴六', unknownRegion, '', '', '', '', '', '', ''],
      [9, '郑七', '411402900307123', '', '', '', '', '', '', ''],
      [10, '王八', 411402200501010000, '', '', '', '', '', '', ''],
      [11, '冯九', '411402200501010000', '', '', '', '', '', '', ''],
      [12, '陈十', ids[0] ?? '', '未知', '', '', '', '', '', ''],
      [13, '褚一', female, '男', '', '', '', '', '', ''],
      [14, '卫二', ids[1] ?? '', '', '12345', '', '', '', '', ''],
      [15, '蒋三', ids[2] ?? '', '', '1.38123E+10', '', '', '', '', ''],
      [16, '沈四', ids[3] ?? '', '', '', '火星', '', '', '', ''],
      [17, '韩五', ids[4] ?? '', '', '', '', '外星人、退役军人', '', '', ''],
      [18, '杨六', ids[5] ?? '', '', '', '', '', '幼儿园', '', ''],
      [19, '朱七', ids[6] ?? '', '', '', '', '', '', '摸鱼', ''],
      [20, '秦八', ids[7] ?? '', '', '', '', '', '', '', '长'.repeat(501)],
      [],
      [22, '赵一', valid, '', '', '', '', '', '', ''],
      [23],
      [24, '尤九', ids[8] ?? '', '女', '', '', '', '', '', ''],
    ];
    const summary = await imported(city, 'rejections.xlsx', await xlsxOf(rows));
    expect(summary.imported).toBe(1);
    expect(codes(summary)).toEqual([
      { row: 3, column: '姓名', code: 'NAME_REQUIRED' },
      { row: 4, column: '姓名', code: 'NAME_INVALID' },
      { row: 5, column: '身份证号码', code: 'ID_REQUIRED' },
      { row: 6, column: '身份证号码', code: 'ID_FORMAT' },
      { row: 7, column: '身份证号码', code: 'ID_CHECKSUM' },
      { row: 8, column: '身份证号码', code: 'ID_BIRTH_DATE' },
      { row: 9, column: '身份证号码', code: 'ID_REGION_UNKNOWN' },
      { row: 10, column: '身份证号码', code: 'ID_LEGACY_15' },
      { row: 11, column: '身份证号码', code: 'ID_EXCEL_MANGLED' },
      { row: 12, column: '身份证号码', code: 'ID_EXCEL_MANGLED' },
      { row: 13, column: '性别', code: 'SEX_INVALID' },
      { row: 14, column: '性别', code: 'SEX_MISMATCH' },
      { row: 15, column: '手机号码', code: 'PHONE_INVALID' },
      { row: 16, column: '手机号码', code: 'PHONE_EXCEL_MANGLED' },
      { row: 17, column: '户籍地', code: 'REGION_UNKNOWN' },
      { row: 18, column: '人员类别', code: 'UNKNOWN_KEY_GROUP' },
      { row: 19, column: '文化程度', code: 'EDUCATION_UNKNOWN' },
      { row: 20, column: '就业状态', code: 'EMPLOYMENT_STATUS_UNKNOWN' },
      { row: 21, column: '备注', code: 'NOTE_TOO_LONG' },
      { row: 23, column: '身份证号码', code: 'DUPLICATE_IN_FILE' },
      { row: 25, column: '性别', code: 'SEX_MISMATCH' },
    ]);
    expect(summary).toMatchObject({ rejectedRows: 21, rejectedTotal: 21 });
    const byRow = new Map(summary.rejected.map((r) => [r.row, r.message]));
    expect(byRow.get(11)).toMatch(/Excel/);
    expect(byRow.get(11)).toMatch(/文本/);
    expect(byRow.get(23)).toContain('第 2 行');
    // The legacy-number suggestion carries an ID number; the stored report masks it.
    expect(byRow.get(10)).not.toMatch(/\d{18}/);
    expect(summary.failedRowsUrl).toMatch(/^\/api\/imports\/.+\/failed-rows\.xlsx$/);
  });

  it('changes nothing on a dry run, and changes nothing when the same file comes again', async () => {
    const rows: Cell[][] = [
      ['姓名', '身份证号'],
      ['何甲', freshId()],
      ['吕乙', freshId(true)],
    ];
    const file = await xlsxOf(rows);
    const before = await personCount();
    const dry = await imported(city, 'again.xlsx', file, '?dryRun=true');
    expect(dry).toMatchObject({ status: 'dry_run', imported: 2 });
    expect(await personCount()).toBe(before);
    const report = await t.app.inject({
      url: `/api/imports/${dry.importId}`,
      headers: city.headers,
    });
    expect(report.json()).toMatchObject({ status: 'dry_run', imported: 2 });

    expect(await imported(city, 'again.xlsx', file)).toMatchObject({ imported: 2 });
    expect(await personCount()).toBe(before + 2);
    const again = await imported(city, 'again.xlsx', file);
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 2, rejectedRows: 0 });
    expect(await personCount()).toBe(before + 2);
  });

  it('fills empty fields without overwrite, refuses to change a name or recorded field, and changes them with overwrite', async () => {
    const id = freshId();
    await imported(
      city,
      'first.xlsx',
      await xlsxOf([
        ['姓名', '身份证号码'],
        ['施丙', id],
      ]),
    );
    const filled = await imported(
      city,
      'fill.xlsx',
      await xlsxOf([
        ['姓名', '身份证号码', '文化程度', '人员类别'],
        ['施丙', id, '初中', '残疾人'],
      ]),
    );
    expect(filled).toMatchObject({ updated: 1 });
    expect(await personByName('施丙')).toMatchObject({ education: 'junior_high' });

    const changed = await xlsxOf([
      ['身份证号码', '姓名', '学历'],
      [id, '施丁', '初中'],
    ]);
    const refused = await imported(city, 'rename.xlsx', changed);
    expect(codes(refused)).toEqual([{ row: 2, column: '姓名', code: 'NAME_CONFLICT' }]);
    const otherField = await imported(
      city,
      'edu.xlsx',
      await xlsxOf([
        ['身份证号码', '姓名', '学历'],
        [id, '施丙', '本科'],
      ]),
    );
    expect(codes(otherField)).toEqual([{ row: 2, column: '学历', code: 'FIELD_CONFLICT' }]);
    expect(await personByName('施丁')).toBeUndefined();

    const overwritten = await imported(city, 'rename.xlsx', changed, '?overwrite=true');
    expect(overwritten).toMatchObject({ updated: 1, rejectedRows: 0 });
    expect(await personByName('施丁')).toBeDefined();
  });

  it('gives back the failed rows as a workbook to fix and upload again, neutralising formulas', async () => {
    const id = freshId();
    const file = await xlsxOf([
      ['序号', '姓名', '身份证号码', '备注', '其他'],
      [
        1,
        '许戊',
        `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`,
        "=cmd|' /C calc'!A0",
        '@SUM(1)',
      ],
      [2, '何己', freshId(), '', ''],
    ]);
    const summary = await imported(city, 'formula.xlsx', file);
    expect(summary).toMatchObject({ imported: 1, rejectedRows: 1 });
    const download = await t.app.inject({
      url: summary.failedRowsUrl ?? '',
      headers: city.headers,
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toContain('spreadsheetml');
    expect(download.headers['cache-control']).toBe('no-store');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(download.rawPayload as unknown as Excel.Buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.getRow(1).values).toEqual([
      undefined,
      '序号',
      '姓名',
      '身份证号码',
      '备注',
      '其他',
      '失败原因',
    ]);
    const failedRow = sheet?.getRow(2);
    expect(failedRow?.getCell(2).value).toBe('许戊');
    expect(failedRow?.getCell(4).value).toBe("'=cmd|' /C calc'!A0");
    expect(failedRow?.getCell(5).value).toBe("'@SUM(1)");
    expect(String(failedRow?.getCell(6).value)).toContain('身份证号码：');
    expect(sheet?.rowCount).toBe(2);

    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'entityId'])
      .where('action', '=', 'import.failed_rows.downloaded')
      .execute();
    expect(audit).toEqual([
      { action: 'import.failed_rows.downloaded', entityId: summary.importId },
    ]);

    // The clerk fixes the ID number and uploads the same workbook again.
    if (!failedRow) throw new Error('no failed row');
    failedRow.getCell(3).value = id;
    const fixed = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(await imported(city, 'formula-失败行.xlsx', fixed)).toMatchObject({
      imported: 1,
      rejectedRows: 0,
    });
    expect(await personByName('许戊')).toMatchObject({ note: "=cmd|' /C calc'!A0" });
  });

  it('keeps the failed rows 7 days, then answers 410 and the nightly job deletes them', async () => {
    const file = await xlsxOf([
      ['姓名', '身份证号码'],
      ['过期', '123'],
    ]);
    const summary = await imported(city, 'expire.xlsx', file);
    const url = summary.failedRowsUrl ?? '';
    expect((await t.app.inject({ url, headers: city.headers })).statusCode).toBe(200);
    const start = t.clock.now();
    try {
      const later = new Date(start.getTime() + 7 * 24 * 3600_000 + 1000);
      t.clock.set(later);
      const admin = await accountWithSession(t.db, 'city_admin', { now: later });
      const gone = await t.app.inject({ url, headers: admin.headers });
      expect(gone.statusCode).toBe(410);
      expect(gone.json().code).toBe('IMPORT_FILE_EXPIRED');
      const report = await t.app.inject({
        url: `/api/imports/${summary.importId}`,
        headers: admin.headers,
      });
      expect(report.json().failedRowsUrl).toBeUndefined();
      const jobs = importJobs({ db: t.db, clock: t.clock });
      const purge = jobs.handlers['imports.purge-failed-files'];
      const result = await purge?.({}, { signal: new AbortController().signal } as never);
      expect((result as { deleted: number }).deleted).toBeGreaterThanOrEqual(1);
      const left = await t.db
        .selectFrom('importFailedFiles')
        .select('importRunId')
        .where('importRunId', '=', summary.importId)
        .execute();
      expect(left).toEqual([]);
      expect((await t.app.inject({ url, headers: admin.headers })).statusCode).toBe(410);
    } finally {
      t.clock.set(start);
    }
  });

  it('reads GBK CSV as Chinese Excel saves it, and says so when Excel turned an ID into a number', async () => {
    const id = freshId();
    const csv = iconv.encode(
      [
        '序号,姓名,身份证号码,性别,户籍地',
        `1,欧阳娜娜,${id},男,商丘市睢阳区`,
        '2,司马光,4.11402E+17,男,',
      ].join('\r\n'),
      'gbk',
    );
    const summary = await imported(city, '名单.csv', csv);
    expect(summary.imported).toBe(1);
    expect(codes(summary)).toEqual([{ row: 3, column: '身份证号码', code: 'ID_EXCEL_MANGLED' }]);
    expect(await personByName('欧阳娜娜')).toMatchObject({ householdRegionCode: '411403' });
    const utf8 = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`姓名,身份证号\n上官婉儿,${freshId(true)}\n`),
    ]);
    expect(await imported(city, 'utf8.csv', utf8)).toMatchObject({ imported: 1 });
  });

  it('imports the committed workbook made by LibreOffice', async () => {
    const content = await readFile(path.join(FIXTURES, 'persons-libreoffice.xlsx'));
    const summary = await imported(city, 'persons-libreoffice.xlsx', content);
    expect(summary.imported).toBe(3);
    expect(codes(summary)).toEqual([
      { row: 5, column: '公民身份号码', code: 'ID_EXCEL_MANGLED' },
      { row: 6, column: '性别', code: 'SEX_MISMATCH' },
    ]);
    expect(await personByName('黄河')).toMatchObject({
      phoneMasked: `${FIXTURE_PHONES[2].slice(0, 3)}****${FIXTURE_PHONES[2].slice(7)}`,
      residenceRegionCode: '411481',
    });
  });

  it('refuses a file without the 姓名 and 身份证号码 columns', async () => {
    const res = await upload(
      city,
      'no-headers.xlsx',
      await xlsxOf([
        ['名字', '号码'],
        ['甲', '1'],
      ]),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'IMPORT_HEADERS_MISSING' });
    expect(res.json().detail).toContain('身份证号码');
  });
});

describe('upload hygiene', () => {
  it('refuses a zip bomb whose headers lie, within the memory budget', async () => {
    const bomb = await zipBombWithLyingSizes(300 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const before = process.memoryUsage().rss;
    const res = await upload(city, 'bomb.xlsx', bomb);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('WORKBOOK_INVALID');
    expect(res.json().detail).toContain('压缩炸弹');
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a zip with too many entries or a declared size over the cap', async () => {
    const many = await upload(city, 'many.xlsx', await zipWithEntries(1001));
    expect(many.statusCode).toBe(413);
    expect(many.json().code).toBe('WORKBOOK_TOO_LARGE');
    const huge = await upload(city, 'huge.xlsx', await zipDeclaringHugeSheet(500 * 1024 * 1024));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('WORKBOOK_TOO_LARGE');
  });

  it('judges the type by content: a CSV or a PDF renamed .xlsx is refused', async () => {
    const csv = await upload(city, 'fake.xlsx', Buffer.from('姓名,身份证号\n甲,1\n'));
    expect(csv.statusCode).toBe(415);
    expect(csv.json().code).toBe('UNSUPPORTED_FILE_TYPE');
    const pdf = await upload(
      city,
      'fake.xlsx',
      Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2000)]),
    );
    expect(pdf.statusCode).toBe(415);
    const notWorkbook = await upload(city, 'fake.xlsx', await zipWithoutWorkbook());
    expect(notWorkbook.json().code).toBe('UNSUPPORTED_FILE_TYPE');
    const xls = await upload(city, 'old.xls', Buffer.from('anything'));
    expect(xls.statusCode).toBe(415);
  });

  it('refuses an upload over the size cap with 413', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x41);
    const res = await upload(city, 'big.csv', big);
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('IMPORT_FILE_TOO_LARGE');
  });

  it('wants multipart with a file field', async () => {
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/imports/persons',
      headers: city.headers,
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
    const body = multipart('roster.xlsx', Buffer.from('x'), 'other');
    const wrongField = await t.app.inject({
      method: 'POST',
      url: '/api/imports/persons',
      headers: { ...city.headers, ...body.headers },
      payload: body.payload,
    });
    expect(wrongField.statusCode).toBe(400);
  });
});

describe('scope', () => {
  it('lets a county administrator import their county’s people only; no region means theirs', async () => {
    const file = await xlsxOf([
      ['姓名', '身份证号码', '现居住地', '户籍地'],
      ['县内', freshId(), '梁园区', ''],
      ['县外', freshId(), '永城市', '梁园区'],
      ['户籍外县', freshId(), '', '夏邑县'],
      ['无地区', freshId(), '', ''],
    ]);
    const summary = await imported(county, 'county.xlsx', file);
    expect(summary.imported).toBe(2);
    expect(codes(summary)).toEqual([
      { row: 3, column: '现居住地', code: 'OUT_OF_SCOPE' },
      { row: 4, column: '户籍地', code: 'OUT_OF_SCOPE' },
    ]);
    expect(await personByName('无地区')).toMatchObject({ regionCode: '411402' });

    // The report and the failed rows are the county's: another county gets 404.
    for (const url of [`/api/imports/${summary.importId}`, summary.failedRowsUrl ?? '']) {
      expect((await t.app.inject({ url, headers: county.headers })).statusCode).toBe(200);
      const other = await t.app.inject({ url, headers: otherCounty.headers });
      expect(other.statusCode).toBe(404);
      expect(other.json().code).toBe('NOT_FOUND');
      expect((await t.app.inject({ url, headers: city.headers })).statusCode).toBe(200);
    }
  });

  it('links a unit officer’s imports to their unit', async () => {
    const summary = await imported(
      unit,
      'unit.xlsx',
      await xlsxOf([
        ['姓名', '身份证号码'],
        ['单位人员', freshId()],
      ]),
    );
    expect(summary.imported).toBe(1);
    const person = await personByName('单位人员');
    const links = await t.db
      .selectFrom('personLinks')
      .select(['scopeKind', 'scopeId'])
      .where('personId', '=', person?.id ?? '')
      .execute();
    expect(links).toEqual([{ scopeKind: 'unit', scopeId: 'A2-07' }]);
    expect(
      (await t.app.inject({ url: `/api/imports/${summary.importId}`, headers: county.headers }))
        .statusCode,
    ).toBe(404);
  });

  it('audits a committed import, never a dry run', async () => {
    const summary = await imported(
      city,
      'audit.xlsx',
      await xlsxOf([
        ['姓名', '身份证号码'],
        ['审计', freshId()],
      ]),
    );
    const events = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'details'])
      .where('entityId', '=', summary.importId)
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.action).toBe('import.committed');
  });
});

describe('templates', () => {
  it('serves a template whose example row imports nothing', async () => {
    const res = await t.app.inject({
      url: '/api/imports/templates/persons.xlsx',
      headers: unit.headers,
    });
    expect(res.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as Excel.Buffer);
    const header = workbook.worksheets[0]?.getRow(1).values as string[];
    expect(header).toEqual(expect.arrayContaining(['序号', '*姓名', '*身份证号码', '人员类别']));
    const summary = await imported(unit, 'template.xlsx', res.rawPayload);
    expect(summary).toMatchObject({ imported: 0, updated: 0, unchanged: 0, rejectedRows: 0 });
  });
});

describe('POST /api/imports/organisations', () => {
  it('imports organisations by their usual headers and reports bad rows', async () => {
    const file = await xlsxOf([
      [
        '序号',
        '单位名称',
        '机构类型',
        '所属区县',
        '联系人',
        '联系电话',
        '统一社会信用代码',
        '企业规模',
        '隶属关系',
      ],
      [1, '商丘市启航职业培训学校', '培训机构', '梁园区', '王老师', '0370-3221234', '', '', ''],
      [2, '无类型单位', '', '梁园区', '', '', '', '', ''],
      [3, '外县企业', '培训机构', '火星县', '', '', '', '', ''],
      [4, '缺代码企业', '用人单位', '睢阳区', '', '', '', '小型', '市属'],
    ]);
    const res = await upload(city, 'orgs.xlsx', file, '', 'organisations');
    expect(res.statusCode, res.body).toBe(200);
    const summary = res.json<Summary>();
    expect(summary.imported).toBe(1);
    expect(codes(summary)).toEqual([
      { row: 3, column: '机构类型', code: 'ORG_KIND_REQUIRED' },
      { row: 4, column: '所属区县', code: 'REGION_UNKNOWN' },
      { row: 5, column: '统一社会信用代码', code: 'ORG_FIELD_REQUIRED' },
    ]);
    const again = await upload(city, 'orgs.xlsx', file, '', 'organisations');
    expect(again.json()).toMatchObject({ imported: 0, unchanged: 1 });
  });
  it('reports every organisation rejection with its column and code', async () => {
    const [taken, good] = [randomUscc(), randomUscc()];
    const bad = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`;
    const header = [
      '单位名称',
      '单位类型',
      '所在地',
      '统一社会信用代码',
      '企业规模',
      '隶属关系',
      '评价机构类型',
      '机构代码',
      '联系人',
      '联系电话',
      '地址',
    ];
    const employer = (name: string, extra: Partial<Record<string, string>> = {}): Cell[] =>
      header.map(
        (h) =>
          extra[h] ??
          {
            单位名称: name,
            单位类型: '用人单位',
            所在地: '睢阳区',
            统一社会信用代码: randomUscc(),
            企业规模: '小型',
            隶属关系: '县属',
          }[h] ??
          '',
      );
    const rows: Cell[][] = [
      header,
      employer('登记企业', { 统一社会信用代码: taken }),
      employer('', {}),
      employer('未知类型', { 单位类型: '外星机构' }),
      employer('校验错', { 统一社会信用代码: bad }),
      employer('规模错', { 企业规模: '巨型' }),
      employer('隶属错', { 隶属关系: '火星属' }),
      employer('评价错', {
        单位类型: '评价机构',
        统一社会信用代码: '',
        企业规模: '',
        隶属关系: '',
        评价机构类型: 'Z',
        机构代码: '0001',
      }),
      employer('不适用', { 评价机构类型: '企业自主评价' }),
      employer('电话错', { 联系电话: '12345' }),
      employer('地址长', { 地址: '路'.repeat(301) }),
      employer('联系人长', { 联系人: '人'.repeat(101) }),
      employer('无地区', { 所在地: '' }),
      employer('重复', { 统一社会信用代码: taken }),
    ];
    const res = await upload(city, 'orgs-bad.xlsx', await xlsxOf(rows), '', 'organisations');
    expect(res.statusCode, res.body).toBe(200);
    const summary = res.json<Summary>();
    expect(summary.imported).toBe(1);
    expect(codes(summary)).toEqual([
      { row: 3, column: '单位名称', code: 'NAME_REQUIRED' },
      { row: 4, column: '单位类型', code: 'ORG_KIND_UNKNOWN' },
      { row: 5, column: '统一社会信用代码', code: 'USCC_CHECKSUM' },
      { row: 6, column: '企业规模', code: 'SIZE_CLASS_UNKNOWN' },
      { row: 7, column: '隶属关系', code: 'AFFILIATION_UNKNOWN' },
      { row: 8, column: '评价机构类型', code: 'EVALUATION_TYPE_UNKNOWN' },
      { row: 9, column: '评价机构类型', code: 'ORG_FIELD_NOT_USED' },
      { row: 10, column: '联系电话', code: 'PHONE_INVALID' },
      { row: 11, column: '地址', code: 'ADDRESS_TOO_LONG' },
      { row: 12, column: '联系人', code: 'CONTACT_NAME_TOO_LONG' },
      { row: 13, column: '所在地', code: 'REGION_REQUIRED' },
      { row: 14, column: '统一社会信用代码', code: 'DUPLICATE_IN_FILE' },
    ]);

    // Known codes: a new name is a conflict unless overwrite; a county sees its own only.
    const renamed = await xlsxOf([header, employer('改名企业', { 统一社会信用代码: taken })]);
    const conflict = await upload(city, 'rename.xlsx', renamed, '', 'organisations');
    expect(codes(conflict.json<Summary>())).toEqual([
      { row: 2, column: '单位名称', code: 'NAME_CONFLICT' },
    ]);
    const overwritten = await upload(
      city,
      'rename.xlsx',
      renamed,
      '?overwrite=true',
      'organisations',
    );
    expect(overwritten.json()).toMatchObject({ updated: 1 });
    const outside = await upload(otherCounty, 'rename.xlsx', renamed, '', 'organisations');
    expect(codes(outside.json<Summary>())).toEqual([
      { row: 2, column: '所在地', code: 'OUT_OF_SCOPE' },
    ]);
  });
});
