import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  type TestAccount,
} from '../../../test/auth.js';
import { FIXTURE_ID_NUMBERS } from '../../../test/fixtures/sensitive.js';
import { uuidv7 } from '../../platform/ids.js';
import { maskIdNumber } from '../../platform/crypto/index.js';

// The clock: 2026-03-15 10:00 in Shanghai.
let t: TestApp;
let city: TestAccount;
let officer: TestAccount; // unit A2-07
let otherOfficer: TestAccount; // another department
let county: TestAccount; // 411403
let auditor: TestAccount;
let countyUnit: string; // the county unit of 411403
let otherUnit: string;

// Fixtures with a valid check character; BAD_ID's is wrong.
const [, BAD_ID, , ID0, ID1, ID2, ID3, ID4] = FIXTURE_ID_NUMBERS;
const EVAL_ORG = '0193a0a0-0000-7000-8000-000000000002';
// Henan social organisation, 2026, 四级 (formats.md §1, illustrative).
const SKILL_2026 = 'S000041000123264000057';
const LEGACY = '0941142001400001';

function body(overrides: Record<string, unknown> = {}) {
  return {
    unitId: 'A2-07',
    kind: 'skill_level',
    number: SKILL_2026,
    idNumber: ID0,
    name: '王小明',
    occupationCode: '4-03-02-01',
    skillLevelKey: 'level4',
    issuerName: '郑州市某职业技能等级认定中心',
    issuingProvinceCode: '41',
    issuedOn: '2026-03-02',
    ...overrides,
  };
}

async function post(as: TestAccount, url: string, payload: unknown) {
  return t.app.inject({
    method: 'POST',
    url,
    headers: as.headers,
    payload: payload as Record<string, unknown>,
  });
}

async function closePeriod(period: string) {
  await t.db
    .insertInto('activityPeriods')
    .values({ period, closedAt: t.clock.now(), closedBy: city.id })
    .execute();
}

beforeAll(async () => {
  t = await createTestApp();
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { now });
  officer = await accountWithSession(t.db, 'unit_officer', { now });
  auditor = await accountWithSession(t.db, 'auditor', { now });
  county = await accountWithSession(t.db, 'county_admin', { now });
  const units = await t.db
    .selectFrom('responsibleUnits')
    .select(['id', 'kind', 'regionCode'])
    .orderBy('id')
    .execute();
  const found = units.find((u) => u.kind === 'county' && u.regionCode === '411403');
  const dept = units.find((u) => u.kind === 'department' && u.id !== 'A2-07');
  if (!found || !dept) throw new Error('reference units missing');
  countyUnit = found.id;
  otherUnit = dept.id;
  otherOfficer = await accountWithSession(t.db, 'unit_officer', {
    now,
    anchors: { unitId: otherUnit },
  });
});
afterAll(async () => {
  await t.close();
});

describe('POST /api/activity/certificates', () => {
  it('records a certificate issued elsewhere as external, registering its holder', async () => {
    const res = await post(officer, '/api/activity/certificates', body());
    expect(res.statusCode).toBe(201);
    const record = res.json();
    expect(record).toMatchObject({
      kind: 'skill_level',
      number: SKILL_2026,
      external: true,
      holderName: '王小明',
      holderIdNumberMasked: maskIdNumber(ID0),
      occupationCode: '4-03-02-01',
      occupationName: '中式烹调师',
      skillLevelKey: 'level4',
      unitId: 'A2-07',
      period: '2026-03',
      source: 'unit_report',
      status: 'active',
      duplicateOf: null,
      reportedBy: officer.id,
      version: 1,
    });
    expect(res.body).not.toContain(ID0);
    const person = await t.db
      .selectFrom('persons')
      .select(['source', 'name'])
      .where('id', '=', record.personId)
      .executeTakeFirstOrThrow();
    expect(person).toEqual({ source: 'unit_report', name: '王小明' });
    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'actorUserId'])
      .where('entityId', '=', record.id)
      .execute();
    expect(audit).toEqual([{ action: 'activity.certificate.reported', actorUserId: officer.id }]);
  });

  it('refuses the same kind and number again, naming the record that holds it', async () => {
    const first = await post(
      city,
      '/api/activity/certificates',
      body({
        number: 'S000041000123263000001',
        skillLevelKey: 'level3',
        idNumber: ID1,
        name: '李四',
      }),
    );
    expect(first.statusCode).toBe(201);
    const again = await post(
      officer,
      '/api/activity/certificates',
      body({
        number: 's000041000123263000001',
        skillLevelKey: 'level3',
        idNumber: ID1,
        name: '李四',
      }),
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CERTIFICATE_ALREADY_RECORDED');
    expect(again.json().errors).toEqual([
      { path: '/body/number', message: `already recorded as ${first.json().id}` },
    ]);
  });

  it('records the source api when a system says so', async () => {
    const res = await post(city, '/api/activity/certificates', {
      ...body({ kind: 'qualification_legacy', number: LEGACY, issuedOn: '2009-11-20' }),
      source: 'api',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ source: 'api', issuingProvinceCode: '41' });
  });

  const rejections: [string, Record<string, unknown>, number, string][] = [
    [
      'skill_level malformed',
      { number: 'X000041000123264000057' },
      400,
      'CERTIFICATE_NUMBER_INVALID',
    ],
    ['skill_level level digit', { skillLevelKey: 'level5' }, 400, 'LEVEL_MISMATCH'],
    ['skill_level year digits', { issuedOn: '2025-12-01' }, 400, 'YEAR_MISMATCH'],
    ['skill_level no occupation', { occupationCode: null }, 400, 'OCCUPATION_REQUIRED'],
    [
      'skill_level bad occupation code',
      { occupationCode: '40302' },
      400,
      'OCCUPATION_CODE_INVALID',
    ],
    ['skill_level unknown occupation', { occupationCode: '4-99-99-99' }, 400, 'OCCUPATION_UNKNOWN'],
    ['skill_level no level', { skillLevelKey: null }, 400, 'SKILL_LEVEL_REQUIRED'],
    [
      'skill_level special level',
      { skillLevelKey: 'special_ability' },
      400,
      'SKILL_LEVEL_NOT_APPLICABLE',
    ],
    ['skill_level future', { issuedOn: '2026-03-16' }, 400, 'ISSUED_IN_FUTURE'],
    ['skill_level validity', { validUntil: '2026-03-01' }, 400, 'VALID_UNTIL_BEFORE_ISSUE'],
    ['skill_level province', { issuingProvinceCode: 'HN' }, 400, 'ISSUING_PROVINCE_INVALID'],
    ['unknown unit', { unitId: 'Z9-99' }, 400, 'UNIT_UNKNOWN'],
    ['bad ID number', { idNumber: BAD_ID }, 400, 'ID_NUMBER_INVALID'],
    ['another name', { name: '王大明', number: 'S000041000123264000058' }, 409, 'NAME_MISMATCH'],
    [
      'legacy 15 digits',
      { kind: 'qualification_legacy', number: '094114200140000', issuedOn: '2009-11-20' },
      400,
      'CERTIFICATE_NUMBER_INVALID',
    ],
    [
      'legacy year',
      { kind: 'qualification_legacy', number: LEGACY, issuedOn: '2010-01-05' },
      400,
      'YEAR_MISMATCH',
    ],
    [
      'legacy level',
      {
        kind: 'qualification_legacy',
        number: LEGACY,
        issuedOn: '2009-11-20',
        skillLevelKey: 'level2',
      },
      400,
      'LEVEL_MISMATCH',
    ],
    [
      'special ability too long',
      {
        kind: 'special_ability',
        number: 'Z'.repeat(33),
        occupationCode: null,
        skillLevelKey: null,
        itemName: '豫菜烹饪',
      },
      400,
      'CERTIFICATE_NUMBER_TOO_LONG',
    ],
    [
      'special ability no item',
      { kind: 'special_ability', number: 'ZX-1', occupationCode: null, skillLevelKey: null },
      400,
      'ITEM_NAME_REQUIRED',
    ],
    [
      'special operation with a level',
      {
        kind: 'special_operation',
        number: 'T-1',
        occupationCode: null,
        itemName: '电工作业/低压电工作业',
      },
      400,
      'SKILL_LEVEL_NOT_APPLICABLE',
    ],
    [
      'special operation no category',
      { kind: 'special_operation', number: 'T-1', occupationCode: null, skillLevelKey: null },
      400,
      'ITEM_NAME_REQUIRED',
    ],
  ];
  it.each(rejections)('refuses %s', async (_label, overrides, status, code) => {
    const res = await post(city, '/api/activity/certificates', body(overrides));
    expect(res.json().code).toBe(code);
    expect(res.statusCode).toBe(status);
  });

  it('lets a unit report only for itself and a county only for its county units', async () => {
    const other = await post(officer, '/api/activity/certificates', body({ unitId: otherUnit }));
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('FORBIDDEN');
    const dept = await post(county, '/api/activity/certificates', body({ unitId: 'A2-07' }));
    expect(dept.statusCode).toBe(403);
    const own = await post(
      county,
      '/api/activity/certificates',
      body({
        unitId: countyUnit,
        kind: 'special_ability',
        number: 'ZX-2026-0001',
        occupationCode: null,
        skillLevelKey: null,
        itemName: '豫菜烹饪',
        idNumber: ID2,
        name: '赵六',
      }),
    );
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({ skillLevelKey: 'special_ability', unitId: countyUnit });
  });

  it('stores a 特种作业 number that is the holder’s ID number as a mark, shown masked', async () => {
    const operation = body({
      kind: 'special_operation',
      number: ID3,
      idNumber: ID3,
      name: '钱七',
      occupationCode: null,
      skillLevelKey: null,
      itemName: '电工作业/低压电工作业',
      issuedOn: '2026-03-03',
    });
    const res = await post(officer, '/api/activity/certificates', operation);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ number: maskIdNumber(ID3), validUntil: '2032-03-03' });
    expect(res.body).not.toContain(ID3);
    const stored = await t.db
      .selectFrom('externalCertificates')
      .select('number')
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(stored.number).toMatch(/^ID:[0-9a-f]{29}$/);
    const again = await post(officer, '/api/activity/certificates', operation);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CERTIFICATE_ALREADY_RECORDED');
  });
});

describe('de-duplication against our certificates', () => {
  it('records a certificate we issued too with duplicateOf, and counts the person once', async () => {
    // The holder, registered with ID4, and our certificate of 中式烹调师 四级 (as the
    // certificates tests make one).
    const holder = await post(
      city,
      '/api/activity/certificates',
      body({
        kind: 'special_ability',
        number: 'ZX-2026-0100',
        occupationCode: null,
        skillLevelKey: null,
        itemName: '面点制作',
        idNumber: ID4,
        name: '孙八',
      }),
    );
    expect(holder.statusCode).toBe(201);
    const personId: string = holder.json().personId;
    await insertBareOrganisation(t.db, 'evaluation_institution', { id: EVAL_ORG });
    const ours = { id: uuidv7(), number: 'S000041000001264000123' };
    await t.db
      .insertInto('certificates')
      .values({
        ...ours,
        kind: 'skill_level',
        personId,
        occupationCode: '4-03-02-01',
        occupationLevel: 4,
        skillLevelKey: 'level4',
        specialAbilityId: null,
        holderName: '孙八',
        holderIdNumberMasked: maskIdNumber(ID4),
        organisationId: EVAL_ORG,
        issuerName: '商丘市测试职业技能评价中心',
        issuedOn: '2026-03-05',
        status: 'valid',
        regionCode: '411402',
        createdAt: t.clock.now(),
        updatedAt: t.clock.now(),
      })
      .execute();

    const external = await post(
      officer,
      '/api/activity/certificates',
      body({
        number: 'S000041000999264000001',
        idNumber: ID4,
        name: '孙八',
        issuedOn: '2026-03-05',
      }),
    );
    expect(external.statusCode).toBe(201);
    expect(external.json().duplicateOf).toEqual({ certificateId: ours.id, number: ours.number });

    const counted = await sql<{
      source: string;
      recordId: string;
      records: number;
      firstForPerson: boolean;
      unitId: string | null;
    }>`SELECT source, record_id, records, first_for_person, unit_id
         FROM counted_certifications
        WHERE person_id = ${personId} AND counting_key = '4-03-02-01|level4'`.execute(t.db);
    expect(counted.rows).toEqual([
      { source: 'evaluation', recordId: ours.id, records: 2, firstForPerson: false, unitId: null },
    ]);
    const all = await sql<{ n: number }>`SELECT count(*)::int AS n FROM certifications
        WHERE person_id = ${personId}`.execute(t.db);
    expect(all.rows[0]?.n).toBe(3);
    const persons = await sql<{ n: number }>`SELECT count(DISTINCT person_id)::int AS n
        FROM counted_certifications WHERE person_id = ${personId}`.execute(t.db);
    expect(persons.rows[0]?.n).toBe(1);

    const listed = await t.app.inject({
      url: '/api/activity/certificates?duplicate=true',
      headers: officer.headers,
    });
    expect(listed.json().items.map((i: { id: string }) => i.id)).toEqual([external.json().id]);
  });

  it('is not found by public verification: it is not our credential', async () => {
    const res = await t.app.inject({
      url: `/api/public/certificates/verify?no=${SKILL_2026}&name=${encodeURIComponent('王小明')}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ result: 'not_found' });
  });
});

describe('batch', () => {
  it('answers accepted or rejected per item with its path and code', async () => {
    const res = await post(officer, '/api/activity/certificates/batch', {
      source: 'api',
      items: [
        body({
          number: 'S000041000123262000001',
          skillLevelKey: 'level2',
          idNumber: ID1,
          name: '李四',
        }),
        body({ number: 'S000041000123262000002', skillLevelKey: 'level4' }),
        body({
          number: 'S000041000123262000001',
          skillLevelKey: 'level2',
          idNumber: ID1,
          name: '李四',
        }),
        body({ number: SKILL_2026 }),
        body({ unitId: otherUnit, number: 'S000041000123262000003', skillLevelKey: 'level2' }),
      ],
    });
    expect(res.statusCode).toBe(200);
    const answer = res.json();
    expect(answer).toMatchObject({ accepted: 1, rejected: 4, duplicates: 0 });
    expect(
      answer.results.map((r: { index: number; outcome: string; code?: string; path?: string }) => [
        r.index,
        r.outcome,
        r.code ?? null,
        r.path ?? null,
      ]),
    ).toEqual([
      [0, 'accepted', null, null],
      [1, 'rejected', 'LEVEL_MISMATCH', '/items/1/number'],
      [2, 'rejected', 'DUPLICATE_IN_REQUEST', '/items/2/number'],
      [3, 'rejected', 'CERTIFICATE_ALREADY_RECORDED', '/items/3/number'],
      [4, 'rejected', 'UNIT_NOT_YOURS', '/items/4/unitId'],
    ]);
    const record = await t.app.inject({
      url: `/api/activity/certificates/${answer.results[0].id}`,
      headers: officer.headers,
    });
    expect(record.json()).toMatchObject({ source: 'api', holderName: '李四' });
  });
});

describe('reading, correcting and withdrawing', () => {
  it('lists a unit only its own records, and never a full ID number', async () => {
    const mine = await t.app.inject({
      url: '/api/activity/certificates',
      headers: officer.headers,
    });
    expect(mine.statusCode).toBe(200);
    const items: { unitId: string }[] = mine.json().items;
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((i) => i.unitId))).toEqual(new Set(['A2-07']));
    const theirs = await t.app.inject({
      url: '/api/activity/certificates',
      headers: otherOfficer.headers,
    });
    expect(theirs.json().total).toBe(0);
    const everything = await t.app.inject({
      url: '/api/activity/certificates?pageSize=200',
      headers: auditor.headers,
    });
    for (const id of FIXTURE_ID_NUMBERS) expect(everything.body).not.toContain(id);
    const countyView = await t.app.inject({
      url: '/api/activity/certificates',
      headers: county.headers,
    });
    expect(new Set(countyView.json().items.map((i: { unitId: string }) => i.unitId))).toEqual(
      new Set([countyUnit]),
    );
  });

  it('corrects a record with its version and refuses a stale one', async () => {
    const created = await post(
      officer,
      '/api/activity/certificates',
      body({
        number: 'S000041000123265000009',
        skillLevelKey: 'level5',
      }),
    );
    const id: string = created.json().id;
    const fixed = await t.app.inject({
      method: 'PATCH',
      url: `/api/activity/certificates/${id}`,
      headers: officer.headers,
      payload: { version: 1, number: 'S000041000123263000009', skillLevelKey: 'level3' },
    });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json()).toMatchObject({ skillLevelKey: 'level3', version: 2 });
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/activity/certificates/${id}`,
      headers: officer.headers,
      payload: { version: 1, issuerName: '另一机构' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('CONFLICT');
    const mismatch = await t.app.inject({
      method: 'PATCH',
      url: `/api/activity/certificates/${id}`,
      headers: officer.headers,
      payload: { version: 2, skillLevelKey: 'level2' },
    });
    expect(mismatch.json().code).toBe('LEVEL_MISMATCH');
    const hidden = await t.app.inject({
      method: 'PATCH',
      url: `/api/activity/certificates/${id}`,
      headers: otherOfficer.headers,
      payload: { version: 2, issuerName: '另一机构' },
    });
    expect(hidden.statusCode).toBe(404);
  });

  it('withdraws a record, which frees its number', async () => {
    const created = await post(
      officer,
      '/api/activity/certificates',
      body({
        number: 'S000041000123265000010',
        skillLevelKey: 'level5',
      }),
    );
    const id: string = created.json().id;
    const res = await post(officer, `/api/activity/certificates/${id}/withdraw`, {
      reason: '报送错误',
      version: 1,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'withdrawn', version: 2 });
    const again = await post(officer, `/api/activity/certificates/${id}/withdraw`, {
      reason: '再次撤回',
    });
    expect(again.statusCode).toBe(409);
    const reported = await post(
      officer,
      '/api/activity/certificates',
      body({
        number: 'S000041000123265000010',
        skillLevelKey: 'level5',
      }),
    );
    expect(reported.statusCode).toBe(201);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('entityId', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'activity.certificate.reported',
      'activity.certificate.withdrawn',
    ]);
  });

  it('refuses new records, corrections and withdrawals in a closed month', async () => {
    const february = await post(
      officer,
      '/api/activity/certificates',
      body({
        number: 'S000041000123264000200',
        issuedOn: '2026-02-10',
      }),
    );
    expect(february.statusCode).toBe(201);
    const id: string = february.json().id;
    await closePeriod('2026-02');
    const added = await post(
      officer,
      '/api/activity/certificates',
      body({
        number: 'S000041000123264000201',
        issuedOn: '2026-02-11',
      }),
    );
    expect(added.statusCode).toBe(409);
    expect(added.json().code).toBe('PERIOD_CLOSED');
    const corrected = await t.app.inject({
      method: 'PATCH',
      url: `/api/activity/certificates/${id}`,
      headers: officer.headers,
      payload: { version: 1, issuerName: '另一机构' },
    });
    expect(corrected.statusCode).toBe(409);
    expect(corrected.json().code).toBe('PERIOD_CLOSED');
    const withdrawn = await post(officer, `/api/activity/certificates/${id}/withdraw`, {
      reason: '报送错误',
    });
    expect(withdrawn.statusCode).toBe(409);
    expect(withdrawn.json().code).toBe('PERIOD_CLOSED');
    // Nor may an open month's record move into the closed one.
    const march = await post(
      officer,
      '/api/activity/certificates',
      body({
        number: 'S000041000123264000202',
      }),
    );
    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/api/activity/certificates/${march.json().id}`,
      headers: officer.headers,
      payload: { version: 1, issuedOn: '2026-02-20' },
    });
    expect(moved.json().code).toBe('PERIOD_CLOSED');
  });
});

describe('import external_certificates', () => {
  async function workbook(rows: string[][]): Promise<Buffer> {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('证书');
    sheet.addRow([
      '序号',
      '证书类型',
      '证书编号',
      '身份证号',
      '姓名',
      '职业编码',
      '技能等级',
      '项目名称',
      '发证机构',
      '发证省份代码',
      '发证日期',
      '有效期至',
      '责任单位',
    ]);
    rows.forEach((row, i) => sheet.addRow([String(i + 1), ...row]));
    return Buffer.from(await book.xlsx.writeBuffer());
  }

  async function upload(as: TestAccount, content: Buffer, dryRun = false) {
    const boundary = '----jineng-test';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="证书.xlsx"\r\n` +
          'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n',
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({
      method: 'POST',
      url: `/api/imports/external-certificates${dryRun ? '?dryRun=true' : ''}`,
      headers: { ...officer.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
  }

  const good = (number: string, id: string = ID0, name = '王小明') => [
    '职业技能等级证书',
    number,
    id,
    name,
    '4-03-02-01',
    '四级/中级工',
    '',
    '某认定中心',
    '',
    '2026-03-04',
    '',
    '',
  ];

  it('reports every row code, keeps a failed-rows workbook and commits the valid rows', async () => {
    const file = await workbook([
      good('S000041000555264000001'),
      good('S000041000555264000001'),
      ['证书', 'S1', ID0, '王小明', '', '', '', '某机构', '', '2026-03-04', '', ''],
      [
        '职业技能等级证书',
        'S000041000555264000002',
        ID0,
        '王小明',
        '4-03-02-01',
        '九级',
        '',
        '某机构',
        '',
        '2026-03-04',
        '',
        '',
      ],
      [
        '职业技能等级证书',
        'S000041000555264000003',
        ID0,
        '王小明',
        '4-03-02-01',
        '四级',
        '',
        '某机构',
        '',
        '2026/13/40',
        '',
        '',
      ],
      [
        '职业技能等级证书',
        'S000041000555265000004',
        ID0,
        '王小明',
        '4-03-02-01',
        '四级',
        '',
        '某机构',
        '',
        '2026-03-04',
        '',
        '',
      ],
      [
        '职业资格证书',
        '0941142001400002',
        ID0,
        '王小明',
        '4-03-02-01',
        '四级',
        '',
        '某机构',
        '',
        '2010-03-04',
        '',
        '',
      ],
      [
        '专项职业能力证书',
        'Z'.repeat(40),
        ID0,
        '王小明',
        '',
        '',
        '豫菜',
        '某机构',
        '',
        '2026-03-04',
        '',
        '',
      ],
      ['特种作业操作证', 'T-9', ID0, '王小明', '', '', '', '应急管理局', '', '2026-03-04', '', ''],
      good('S000041000555264000005', BAD_ID),
      good('S000041000555264000006', ID0, '别名'),
      [...good('S000041000555264000007').slice(0, 11), otherUnit],
      [...good('S000041000555264000008').slice(0, 11), '不存在的单位'],
      [
        '职业技能等级证书',
        '',
        ID0,
        '王小明',
        '4-03-02-01',
        '四级',
        '',
        '某机构',
        '',
        '2026-03-04',
        '',
        '',
      ],
      good('S000041000555264000009', ID1, '李四'),
    ]);
    const dry = await upload(officer, file, true);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ status: 'dry_run', imported: 2, rejectedRows: 13 });

    const res = await upload(officer, file);
    expect(res.statusCode).toBe(200);
    const summary = res.json();
    expect(summary).toMatchObject({
      kind: 'external_certificates',
      status: 'committed',
      imported: 2,
      rejectedRows: 13,
    });
    expect(
      summary.rejected.map((r: { row: number; column: string; code: string }) => [
        r.row,
        r.column,
        r.code,
      ]),
    ).toEqual([
      [3, '证书编号', 'DUPLICATE_IN_FILE'],
      [4, '证书类型', 'KIND_UNKNOWN'],
      [5, '技能等级', 'SKILL_LEVEL_UNKNOWN'],
      [6, '发证日期', 'DATE_INVALID'],
      [7, '证书编号', 'LEVEL_MISMATCH'],
      [8, '证书编号', 'YEAR_MISMATCH'],
      [9, '证书编号', 'CERTIFICATE_NUMBER_TOO_LONG'],
      [10, '项目名称', 'ITEM_NAME_REQUIRED'],
      [13, '责任单位', 'UNIT_NOT_YOURS'],
      [14, '责任单位', 'UNIT_UNKNOWN'],
      [15, '证书编号', 'REQUIRED'],
      [11, '身份证号', 'ID_NUMBER_INVALID'],
      [12, '姓名', 'NAME_MISMATCH'],
    ]);
    expect(summary.failedRowsUrl).toBe(`/api/imports/${summary.importId}/failed-rows.xlsx`);
    const failed = await t.app.inject({ url: summary.failedRowsUrl, headers: officer.headers });
    expect(failed.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(failed.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]?.rowCount).toBe(14);

    const imported = await t.db
      .selectFrom('externalCertificates')
      .select(['source', 'importRunId', 'unitId'])
      .where('importRunId', '=', summary.importId)
      .execute();
    expect(imported).toEqual([
      { source: 'import', importRunId: summary.importId, unitId: 'A2-07' },
      { source: 'import', importRunId: summary.importId, unitId: 'A2-07' },
    ]);
  });

  it('serves the template', async () => {
    const res = await t.app.inject({
      url: '/api/imports/templates/external-certificates.xlsx',
      headers: officer.headers,
    });
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]?.getRow(1).getCell(2).value).toBe('*证书类型');
  });
});
