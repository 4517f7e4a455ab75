import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { accountWithSession, type TestAccount } from '../../../test/auth.js';
import ExcelJS from '../../platform/excel.js';
import { ANNEX_SOURCE } from './statistics.targets.js';

let t: TestApp;
let city: TestAccount;
let county: TestAccount;

beforeAll(async () => {
  t = await createTestApp('2026-03-15T02:00:00Z');
  city = await accountWithSession(t.db, 'city_admin', { now: t.clock.now() });
  county = await accountWithSession(t.db, 'county_admin', { now: t.clock.now() });
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

/** A targets workbook: a title row, the header row, then `rows` (name and three 万 values). */
async function workbook(rows: Array<Array<string | number>>): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('目标');
  sheet.addRow(['2023年目标任务']);
  sheet.addRow([
    '序号',
    '责任单位',
    '职业技能培训（万人次）',
    '新增技能人才（万人）',
    '新增高技能人才（万人）',
  ]);
  rows.forEach((row, index) => sheet.addRow([index + 1, ...row]));
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function upload(year: number, content: Buffer, query = '') {
  const body = multipart('targets.xlsx', content);
  return t.app.inject({
    method: 'POST',
    url: `/api/targets/${year}/upload${query}`,
    payload: body.payload,
    headers: { ...body.headers, ...city.headers },
  });
}

async function targetsOf(year: number) {
  const res = await t.app.inject({ url: `/api/targets?year=${year}`, headers: county.headers });
  expect(res.statusCode).toBe(200);
  return res.json() as {
    units: Array<{
      unitId: string;
      name: string;
      targets: { trainingPersonTimes: number; newSkilled: number; newHighSkilled: number } | null;
      source: string | null;
      fromAnnex: boolean;
      updatedAt: string | null;
    }>;
  };
}

describe('GET /api/targets', () => {
  it('lists every responsible unit with the 2022 annex targets in persons', async () => {
    const { units } = await targetsOf(2022);
    expect(units).toHaveLength(39);
    expect(units.filter((u) => u.fromAnnex)).toHaveLength(38);
    expect(units[0]).toMatchObject({
      unitId: 'A1-01',
      name: '梁园区',
      targets: { trainingPersonTimes: 19000, newSkilled: 15500, newHighSkilled: 4200 },
      source: ANNEX_SOURCE,
      fromAnnex: true,
    });
    expect(units.find((u) => u.unitId === 'X-01')).toMatchObject({ targets: null, source: null });
  });
});

describe('PUT /api/targets/{year}', () => {
  it('enters a later year’s targets, audits old and new per unit, and changes nothing else', async () => {
    const put = (units: unknown[]) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/targets/2023',
        headers: city.headers,
        payload: { units, source: '商政办〔2023〕5号' },
      });
    const first = await put([
      { unitId: 'A1-01', trainingPersonTimes: 20000, newSkilled: 16000, newHighSkilled: 4500 },
      { unitId: 'A2-07', trainingPersonTimes: 4480, newSkilled: 3000, newHighSkilled: 0 },
    ]);
    expect(first.statusCode).toBe(200);
    const second = await put([
      { unitId: 'A1-01', trainingPersonTimes: 21000, newSkilled: 16000, newHighSkilled: 4500 },
    ]);
    expect(second.statusCode).toBe(200);
    const { units } = await targetsOf(2023);
    expect(units.find((u) => u.unitId === 'A1-01')).toMatchObject({
      targets: { trainingPersonTimes: 21000, newSkilled: 16000, newHighSkilled: 4500 },
      source: '商政办〔2023〕5号',
      fromAnnex: false,
      updatedAt: '2026-03-15T02:00:00.000Z',
    });
    expect(units.find((u) => u.unitId === 'A2-07')?.targets).toEqual({
      trainingPersonTimes: 4480,
      newSkilled: 3000,
      newHighSkilled: 0,
    });
    expect(units.filter((u) => u.targets !== null)).toHaveLength(2);

    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['entityId', 'before', 'after'])
      .where('action', '=', 'targets.updated')
      .where('entityId', '=', 'A1-01/2023')
      .orderBy('occurredAt')
      .orderBy('id')
      .execute();
    expect(audit).toHaveLength(2);
    expect(audit[1]?.before).toMatchObject({ trainingPersonTimes: 20000 });
    expect(audit[1]?.after).toMatchObject({
      trainingPersonTimes: 21000,
      source: '商政办〔2023〕5号',
    });
  });

  it('refuses to change a 2022 annex row with 409 TARGETS_FROM_ANNEX', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/targets/2022',
      headers: city.headers,
      payload: {
        units: [{ unitId: 'A1-02', trainingPersonTimes: 1, newSkilled: 1, newHighSkilled: 0 }],
        source: '改动',
      },
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      code: 'TARGETS_FROM_ANNEX',
      errors: [{ path: '/body/units/0/unitId' }],
    });
    const { units } = await targetsOf(2022);
    expect(units.find((u) => u.unitId === 'A1-02')?.targets?.trainingPersonTimes).toBe(19000);
  });

  it('lets 2022 targets be entered for a unit without an annex row', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/targets/2022',
      headers: city.headers,
      payload: {
        units: [{ unitId: 'X-01', trainingPersonTimes: 500, newSkilled: 100, newHighSkilled: 10 }],
        source: '市城管局报送',
      },
    });
    expect(res.statusCode).toBe(200);
  });

  it('answers an unknown unit with 400 and the row path, and writes nothing', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/targets/2024',
      headers: city.headers,
      payload: {
        units: [
          { unitId: 'A1-04', trainingPersonTimes: 10, newSkilled: 5, newHighSkilled: 1 },
          { unitId: 'A9-99', trainingPersonTimes: 10, newSkilled: 5, newHighSkilled: 1 },
        ],
        source: '测试',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'UNIT_UNKNOWN',
      errors: [{ path: '/body/units/1/unitId' }],
    });
    expect((await targetsOf(2024)).units.every((u) => u.targets === null)).toBe(true);
  });

  it('refuses more new high-skilled than new skilled, and negative numbers', async () => {
    const high = await t.app.inject({
      method: 'PUT',
      url: '/api/targets/2024',
      headers: city.headers,
      payload: {
        units: [{ unitId: 'A1-04', trainingPersonTimes: 10, newSkilled: 5, newHighSkilled: 6 }],
        source: '测试',
      },
    });
    expect(high.statusCode).toBe(400);
    expect(high.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: '/body/units/0/newHighSkilled' }],
    });
    const negative = await t.app.inject({
      method: 'PUT',
      url: '/api/targets/2024',
      headers: city.headers,
      payload: {
        units: [{ unitId: 'A1-04', trainingPersonTimes: -1, newSkilled: 5, newHighSkilled: 1 }],
        source: '测试',
      },
    });
    expect(negative.statusCode).toBe(400);
  });

  it('is for the city administrator only', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/targets/2024',
      headers: county.headers,
      payload: {
        units: [{ unitId: 'A1-04', trainingPersonTimes: 10, newSkilled: 5, newHighSkilled: 1 }],
        source: '测试',
      },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('the targets workbook', () => {
  it('downloads a template with every unit and its targets in 万', async () => {
    const res = await t.app.inject({ url: '/api/targets/2022/template', headers: city.headers });
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      '附件',
      '序号',
      '责任单位',
      '职业技能培训（万人次）',
      '新增技能人才（万人）',
      '新增高技能人才（万人）',
    ]);
    expect(sheet.getRow(3).values).toEqual([undefined, '1', '1', '梁园区', '1.9', '1.55', '0.42']);
    expect(sheet.rowCount).toBe(2 + 39);
  });

  it('reads 万 into persons (0.448 → 4480) and matches units by alias; a dry run writes nothing', async () => {
    const content = await workbook([
      ['示范区', 0.448, '0.3', '0.0125'],
      ['市住建局', 1, 0.5, 0.1],
      ['合计', 1.448, 0.8, 0.1125],
    ]);
    const dry = await upload(2025, content, '?dryRun=true&source=2025年目标文件');
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({
      status: 'dry_run',
      written: 0,
      errors: [],
      rows: [
        {
          row: 3,
          unitId: 'A1-03',
          trainingPersonTimes: 4480,
          newSkilled: 3000,
          newHighSkilled: 125,
        },
        {
          row: 4,
          unitId: 'A2-09',
          trainingPersonTimes: 10000,
          newSkilled: 5000,
          newHighSkilled: 1000,
        },
      ],
    });
    expect((await targetsOf(2025)).units.every((u) => u.targets === null)).toBe(true);

    const real = await upload(2025, content, '?source=2025年目标文件');
    expect(real.json()).toMatchObject({ status: 'committed', written: 2 });
    const sfq = (await targetsOf(2025)).units.find((u) => u.unitId === 'A1-03');
    expect(sfq).toMatchObject({
      targets: { trainingPersonTimes: 4480, newSkilled: 3000, newHighSkilled: 125 },
      source: '2025年目标文件',
    });
  });

  it('reports a bad row with its number and column and writes nothing', async () => {
    const content = await workbook([
      ['梁园区', 2, 1.5, 0.4],
      ['不存在局', 1, 1, 0],
      ['睢阳区', '0.12345', 1, 2],
    ]);
    const res = await upload(2026, content);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.status).toBe('failed');
    expect(report.written).toBe(0);
    expect(report.errors).toEqual([
      { row: 4, column: '责任单位', message: '“不存在局”不是责任单位的名称或别名' },
      {
        row: 5,
        column: '职业技能培训（万人次）',
        message: '“0.12345”超过 4 位小数：以万为单位时最小为 0.0001 万（1 人）',
      },
      { row: 5, column: '新增高技能人才（万人）', message: '新增高技能人才不能多于新增技能人才' },
    ]);
    expect((await targetsOf(2026)).units.every((u) => u.targets === null)).toBe(true);
  });

  it('refuses an upload over 2022’s annex rows', async () => {
    const res = await upload(2022, await workbook([['梁园区', 2, 1.5, 0.4]]));
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('TARGETS_FROM_ANNEX');
  });
});

describe('employed persons', () => {
  it('enters the city’s and a county’s employed persons, audited, and lists every county', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/targets/employed/2025',
      headers: city.headers,
      payload: {
        rows: [
          { unitId: null, persons: 4_200_000, source: '2025年统计年鉴' },
          { unitId: 'A1-01', persons: 380_000, source: '梁园区统计局' },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    const again = await t.app.inject({
      method: 'PUT',
      url: '/api/targets/employed/2025',
      headers: city.headers,
      payload: { rows: [{ unitId: 'A1-01', persons: 390_000, source: '梁园区统计局' }] },
    });
    expect(again.statusCode).toBe(200);
    const list = await t.app.inject({
      url: '/api/targets/employed?year=2025',
      headers: county.headers,
    });
    const rows = list.json().rows as Array<{ unitId: string | null; persons: number | null }>;
    expect(rows).toHaveLength(11);
    expect(rows[0]).toMatchObject({ unitId: null, name: '商丘市', persons: 4_200_000 });
    expect(rows[1]).toMatchObject({ unitId: 'A1-01', persons: 390_000, source: '梁园区统计局' });
    expect(rows[2]).toMatchObject({ unitId: 'A1-02', persons: null });
    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['entityId'])
      .where('action', '=', 'targets.employed.updated')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.entityId)).toEqual(['city/2025', 'A1-01/2025', 'A1-01/2025']);
  });

  it('takes county-level units or the city only', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/targets/employed/2025',
      headers: city.headers,
      payload: { rows: [{ unitId: 'A2-07', persons: 10, source: 'x' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'UNIT_UNKNOWN',
      errors: [{ path: '/body/rows/0/unitId' }],
    });
  });
});
