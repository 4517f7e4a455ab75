import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from '../../platform/excel.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountWithSession } from '../../../test/auth.js';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { idNumberCheckChar } from '../persons/id-number.rules.js';

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let database: TestDatabase;
let dir: string;
const env = () => ({
  ...process.env,
  DATABASE_URL: database.appUrl,
  MIGRATION_DATABASE_URL: database.ownerUrl,
  JINENG_DATA_DIR: dir,
  JINENG_PII_KEY: randomKey,
  JINENG_INDEX_KEY: indexKey,
  LOG_LEVEL: 'warn',
});
const randomKey = randomBytes(32).toString('hex');
const indexKey = randomBytes(32).toString('hex');

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: apiDir,
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function idOf(seq: number): string {
  const first17 = `41140219870202${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

async function roster(rows: (string | number)[][]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  for (const row of rows) sheet.addRow(row);
  const file = path.join(dir, `${randomBytes(4).toString('hex')}.xlsx`);
  await writeFile(file, Buffer.from(await workbook.xlsx.writeBuffer()));
  return file;
}

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'jineng-cli-import-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await database.drop();
});

describe('jineng import persons FILE', () => {
  it('imports as an account, prints the report, exits 2 when rows were rejected', async () => {
    const officer = await accountWithSession(database.db, 'county_admin', {
      anchors: { regionCode: '411402' },
    });
    const file = await roster([
      ['姓名', '身份证号码', '现居住地'],
      ['命令行甲', idOf(11), '梁园区'],
      ['命令行乙', '4.11402E+17', ''],
      ['命令行丙', idOf(13), '永城市'],
    ]);
    const failed = path.join(dir, 'failed.xlsx');
    const run = await runCli([
      'import',
      'persons',
      file,
      '--as',
      officer.username,
      '--failed-rows',
      failed,
    ]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toContain('导入完成');
    expect(run.stdout).toMatch(/新增 imported 1/);
    expect(run.stdout).toContain('第 3 行 [身份证号码] ID_EXCEL_MANGLED');
    expect(run.stdout).toContain('第 4 行 [现居住地] OUT_OF_SCOPE');
    expect((await stat(failed)).mode & 0o777).toBe(0o600);
    const person = await database.db
      .selectFrom('persons')
      .select(['regionCode', 'createdBy'])
      .where('name', '=', '命令行甲')
      .executeTakeFirst();
    expect(person).toEqual({ regionCode: '411402', createdBy: officer.id });
  });

  it('changes nothing with --dry-run and exits 0 when every row is valid; --json prints the summary', async () => {
    const file = await roster([
      ['姓名', '身份证号码'],
      ['试导入', idOf(15)],
    ]);
    const dry = await runCli(['import', 'persons', file, '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ status: 'dry_run', imported: 1 });
    const none = await database.db
      .selectFrom('persons')
      .select('id')
      .where('name', '=', '试导入')
      .execute();
    expect(none).toEqual([]);
  });

  it('exits 1 with one line for a file it refuses', async () => {
    const file = path.join(dir, 'fake.xlsx');
    await writeFile(file, '姓名,身份证号\n');
    const run = await runCli(['import', 'persons', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^jineng: .*xlsx/m);
  });
});
