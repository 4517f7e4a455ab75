import { randomBytes } from 'node:crypto';
import ExcelJS from '../../platform/excel.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  insertBarePerson,
  type TestAccount,
} from '../../../test/auth.js';
import { FIXTURE_ID_NUMBERS } from '../../../test/fixtures/sensitive.js';

// The clock: 2026-03-15 10:00 in Shanghai.
let t: TestApp;
let city: TestAccount;
let auditor: TestAccount;
let employerUscc: string;
const persons: string[] = [];
const [ID0, ID1, , , , UNKNOWN_ID] = FIXTURE_ID_NUMBERS;

type Cell = string | number | Date | null;

async function xlsxOf(rows: Cell[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('数据');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

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

interface Summary {
  importId: string;
  kind: string;
  status: string;
  imported: number;
  updated: number;
  unchanged: number;
  rejectedRows: number;
  rejected: { row: number; column: string; code: string; message: string }[];
  failedRowsUrl?: string;
  claims: { created: number; refused: number };
}

async function upload(
  kind: 'employments' | 'contributions',
  content: Buffer,
  query = '',
  as: TestAccount = city,
) {
  const body = multipart(`${kind}.xlsx`, content);
  return t.app.inject({
    method: 'POST',
    url: `/api/imports/${kind}${query}`,
    headers: { ...as.headers, ...body.headers },
    payload: body.payload,
  });
}

async function summary(kind: 'employments' | 'contributions', content: Buffer, query = '') {
  const res = await upload(kind, content, query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Summary>();
}

beforeAll(async () => {
  t = await createTestApp();
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { now });
  auditor = await accountWithSession(t.db, 'auditor', { now });
  const employerId = await insertBareOrganisation(t.db, 'employer', { now });
  const employer = await t.db
    .selectFrom('organisations')
    .select('uscc')
    .where('id', '=', employerId)
    .executeTakeFirstOrThrow();
  employerUscc = employer.uscc ?? '';
  for (const idNumber of [ID0, ID1]) {
    const id = await insertBarePerson(t.db, now);
    await t.db
      .updateTable('persons')
      .set({ idNumberBidx: t.app.deps.pii.blindIndex('id_number', idNumber) })
      .where('id', '=', id)
      .execute();
    persons.push(id);
  }
});
afterAll(async () => {
  await t.close();
});

describe('importing employment registrations', () => {
  const file = () =>
    xlsxOf([
      ['序号', '*身份证号', '用人单位统一社会信用代码', '入职日期', '离职日期(选填)'],
      ['示例', '11010519491231002X', employerUscc, '2026-03-01', ''],
      [1, ID0, employerUscc.toLowerCase(), '2026-01-05', ''], // row 3
      [2, UNKNOWN_ID, employerUscc, '2026-01-05', ''], // row 4: nobody
      [3, ID1, employerUscc, '2026/4/1', ''], // row 5: after today
      [4, ID1, employerUscc, '20250301', '2025-02-01'], // row 6: ended before hired
      [5, ID0, employerUscc, '2026-01-05', ''], // row 7: repeats row 3
      [6, ID1, employerUscc, '2025年3月1日', '2025年12月31日'], // row 8
      [7, ID1, employerUscc, new Date(Date.UTC(2024, 5, 1)), null], // row 9: an Excel date
      [8, ID1, employerUscc, '3月1日', ''], // row 10: no year
    ]);

  it('validates only on a dry run: the report, nothing stored, no claims checked', async () => {
    const dry = await summary('employments', await file(), '?dryRun=true');
    expect(dry).toMatchObject({
      kind: 'employments',
      status: 'dry_run',
      imported: 3,
      rejectedRows: 5,
      claims: { created: 0, refused: 0 },
    });
    const rows = await t.db.selectFrom('employmentRegistrations').select('id').execute();
    expect(rows).toHaveLength(0);
  });

  it('commits valid rows and reports each refused one with its row, column and code', async () => {
    const result = await summary('employments', await file());
    expect(result).toMatchObject({
      status: 'committed',
      imported: 3,
      updated: 0,
      unchanged: 0,
      rejectedRows: 5,
      claims: { created: 0, refused: 0 },
    });
    expect(result.rejected.map((r) => [r.row, r.column, r.code])).toEqual([
      [5, '入职日期', 'HIRED_IN_FUTURE'],
      [6, '离职日期(选填)', 'ENDED_BEFORE_HIRED'],
      [7, '入职日期', 'DUPLICATE_IN_FILE'],
      [10, '入职日期', 'DATE_INVALID'],
      [4, '*身份证号', 'PERSON_NOT_FOUND'],
    ]);
    expect(result.failedRowsUrl).toBe(`/api/imports/${result.importId}/failed-rows.xlsx`);
    const rows = await t.db
      .selectFrom('employmentRegistrations')
      .select(['personId', 'hiredOn', 'endedOn', 'source', 'importRunId'])
      .orderBy('hiredOn')
      .execute();
    expect(rows).toEqual([
      {
        personId: persons[1],
        hiredOn: '2024-06-01',
        endedOn: null,
        source: 'import',
        importRunId: result.importId,
      },
      {
        personId: persons[1],
        hiredOn: '2025-03-01',
        endedOn: '2025-12-31',
        source: 'import',
        importRunId: result.importId,
      },
      {
        personId: persons[0],
        hiredOn: '2026-01-05',
        endedOn: null,
        source: 'import',
        importRunId: result.importId,
      },
    ]);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'import.committed')
      .where('entityId', '=', result.importId)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ kind: 'employments', imported: 3, rejectedRows: 5 });

    const again = await summary('employments', await file());
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 3, rejectedRows: 5 });
  });

  it('is refused to roles without employment.write', async () => {
    const res = await upload('employments', await file(), '', auditor);
    expect(res.statusCode).toBe(403);
  });
});

describe('importing contribution months', () => {
  it('reads English headers, YYYYMM and YYYY-MM months and yuan, and refuses bad rows', async () => {
    const file = await xlsxOf([
      ['ID number', 'Employer USCC', 'Month', 'Wage base (yuan)'],
      [ID0, employerUscc, '202501', '3500'], // row 2
      [ID0, employerUscc, '2025-02', '3,500.5'], // row 3
      [ID0, employerUscc, '202604', '3500'], // row 4: next month
      [ID0, employerUscc, '202503', '3500.123'], // row 5: a fraction of a fen
      [ID0, employerUscc, '2025-13', '3500'], // row 6: no such month
      [UNKNOWN_ID, employerUscc, '202501', '3500'], // row 7: nobody
      [ID0, employerUscc, 202503, 4200], // row 8: numbers as typed in Excel
      [ID0, employerUscc, '202504', '0'], // row 9: nothing paid (refused by the rules)
    ]);
    const result = await summary('contributions', file);
    expect(result).toMatchObject({
      kind: 'contributions',
      status: 'committed',
      imported: 3,
      updated: 0,
      unchanged: 0,
      rejectedRows: 5,
    });
    expect(result.rejected.map((r) => [r.row, r.column, r.code])).toEqual([
      [4, 'Month', 'MONTH_IN_FUTURE'],
      [5, 'Wage base (yuan)', 'WAGE_BASE_INVALID'],
      [6, 'Month', 'MONTH_INVALID'],
      [9, 'Wage base (yuan)', 'WAGE_BASE_INVALID'],
      [7, 'ID number', 'PERSON_NOT_FOUND'],
    ]);
    const stored = await t.db
      .selectFrom('insuranceContributions')
      .select(['month', 'wageBaseFen', 'source'])
      .where('personId', '=', persons[0] ?? '')
      .orderBy('month')
      .execute();
    expect(stored).toEqual([
      { month: '2025-01-01', wageBaseFen: 350_000, source: 'import' },
      { month: '2025-02-01', wageBaseFen: 350_050, source: 'import' },
      { month: '2025-03-01', wageBaseFen: 420_000, source: 'import' },
    ]);

    const changed = await xlsxOf([
      ['身份证号', '统一社会信用代码', '缴费月份', '缴费基数(元)'],
      [ID0, employerUscc, '2025-01', '3500.00'],
      [ID0, employerUscc, '2025-02', '3600'],
    ]);
    expect(await summary('contributions', changed)).toMatchObject({
      imported: 0,
      updated: 1,
      unchanged: 1,
      rejectedRows: 0,
    });
  });
});
