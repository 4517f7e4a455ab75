import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import ExcelJS from '../apps/api/src/platform/excel.js';
import { FIXTURE_ID_NUMBERS, FIXTURE_PASSWORDS } from '../apps/api/test/fixtures/sensitive.js';
import { accountPage, evaluationInstitution, logInAsAdmin } from './arrange.js';
import {
  browserPages,
  expectStatus,
  e2eRequired,
  hasChromium,
  logIn,
  shanghai,
} from './browser.js';

/** Used by no other browser test: they all share one server. */
const ID_NUMBER = FIXTURE_ID_NUMBERS[10];
const HOLDER = '郑十';
const STAFF_PASSWORD = FIXTURE_PASSWORDS[0];
const INSTITUTION_CODE = '0523';
const SERIAL_CODE = '641703';
const OCCUPATION = '4-10-01-01';
const ACCOUNT_NO = '6217000099887766554';

interface Claim {
  id: string;
  number: string;
  status: string;
  amountFen: number;
  payerRegionCode: string | null;
}

describe.skipIf(!hasChromium && !e2eRequired)('a subsidy from claim to paid in a browser', () => {
  const { launch, close, newPage, closePages } = browserPages(inject('baseUrl'));

  beforeAll(async () => {
    await launch();
  });

  afterAll(async () => {
    await close();
  });

  afterEach(async () => {
    await closePages();
  });

  it(
    'builds a batch of an approved claim, exports the bank file and records it paid',
    { timeout: 5 * 60_000 },
    async () => {
      // Arranged through the API: an evaluation institution with a bank account evaluates a
      // person free of charge, which claims the evaluation subsidy (¥240 for 四级); the county
      // reviews it first, the city approves it from 就业补助资金.
      const admin = (await newPage()).request;
      await logInAsAdmin(admin);
      const institution = await evaluationInstitution(admin, {
        organisation: {
          name: '商丘市 e2e 支付评价中心',
          regionCode: '411402',
          institutionCode: INSTITUTION_CODE,
          bankName: '中国建设银行商丘分行',
          bankAccountName: '商丘市 e2e 支付评价中心',
          bankAccountNo: ACCOUNT_NO,
        },
        site: { name: 'e2e 支付考点', serialCode: SERIAL_CODE, regionCode: '411402' },
        occupationCode: OCCUPATION,
      });
      await expectStatus(
        await admin.post('/api/persons', {
          data: { idNumber: ID_NUMBER, name: HOLDER, residenceRegionCode: '411402' },
        }),
        201,
      );
      const staff = (
        await accountPage(
          admin,
          await newPage(),
          {
            username: 'e2e_pay_evaluator',
            displayName: '支付评价中心考务',
            role: 'evaluation_staff',
            organisationId: institution.id,
          },
          STAFF_PASSWORD,
        )
      ).request;
      const session = await expectStatus<{ id: string }>(
        await staff.post('/api/evaluation-sessions', {
          data: {
            siteId: institution.siteId,
            occupationCode: OCCUPATION,
            skillLevelKey: 'level4',
            heldOn: shanghai(new Date()).date,
          },
        }),
        201,
      );
      const candidate = await expectStatus<{ id: string }>(
        await staff.post(`/api/evaluation-sessions/${session.id}/candidates`, {
          data: { idNumber: ID_NUMBER, source: 'individual' },
        }),
        201,
      );
      await expectStatus(
        await staff.put(
          `/api/evaluation-sessions/${session.id}/candidates/${candidate.id}/scores`,
          {
            data: { theoryScore: 81, practicalScore: 77 },
          },
        ),
        200,
      );
      await expectStatus(await staff.post(`/api/evaluation-sessions/${session.id}/submit`), 200);
      const claims = await expectStatus<{ items: Claim[] }>(
        await admin.get(`/api/subsidy-claims?payeeOrganisationId=${institution.id}`),
        200,
      );
      expect(claims.items.map((c) => [c.status, c.amountFen])).toEqual([['submitted', 24_000]]);
      const claim = claims.items[0] as Claim;
      const county = (
        await accountPage(
          admin,
          await newPage(),
          {
            username: 'e2e_pay_liangyuan',
            displayName: '梁园区人社局审核员',
            role: 'county_admin',
            regionCode: '411402',
          },
          STAFF_PASSWORD,
        )
      ).request;
      await expectStatus(
        await county.post(`/api/subsidy-claims/${claim.id}/review`, {
          data: { decision: 'approve' },
        }),
        200,
      );
      const approved = await expectStatus<{ status: string }>(
        await admin.post(`/api/subsidy-claims/${claim.id}/review`, {
          data: { decision: 'approve', fundCode: 'employment_subsidy' },
        }),
        200,
      );
      expect(approved.status).toBe('approved');

      // The finance office logs in in the browser …
      await accountPage(
        admin,
        await newPage(),
        { username: 'e2e_caiwu', displayName: '市财务科', role: 'finance' },
        STAFF_PASSWORD,
      );
      const finance = await newPage();
      await logIn(finance, 'e2e_caiwu', STAFF_PASSWORD);
      const paidBefore = await expectStatus<{ items: { fundCode: string; paidFen: number }[] }>(
        await finance.request.get('/api/ledger/funds'),
        200,
      ).then((f) => f.items.find((i) => i.fundCode === 'employment_subsidy')?.paidFen ?? 0);

      // … builds the batch in the batch builder …
      await finance.getByRole('menu').getByRole('link', { name: '补贴支付', exact: true }).click();
      await finance.waitForURL(/\/payments$/);
      await finance.getByRole('button', { name: /新建支付批次/ }).click();
      const builder = finance.getByRole('dialog');
      await builder.getByLabel('支付资金', { exact: true }).click();
      await finance.locator('.ant-select-item-option[title="就业补助资金"]').click();
      await builder.getByLabel('付款方', { exact: true }).click();
      expect(claim.payerRegionCode).toBeNull(); // the city pays
      await finance.locator('.ant-select-item-option[title="市级"]').click();
      const row = builder.locator('tbody tr.ant-table-row', { hasText: claim.number });
      await row.waitFor();
      expect(await row.locator('input[type="checkbox"]').isChecked()).toBe(true);
      await builder.getByRole('button', { name: '创建支付批次' }).click();
      await builder.getByTestId('built-summary').waitFor();
      await builder.getByRole('button', { name: '查看批次' }).click();
      await finance.waitForURL(/\/payments\/[0-9a-f-]{36}$/);
      const heading =
        (await finance.getByRole('heading', { name: /支付批次 ZF/ }).textContent()) ?? '';
      const batchNumber = /ZF\d{10}/.exec(heading)?.[0] ?? '';
      expect(batchNumber).toMatch(/^ZF\d{10}$/);
      expect(await finance.getByTestId('batch-status').textContent()).toBe('待导出');

      // … exports and downloads the bank file, which carries the claim's amount …
      const [download] = await Promise.all([
        finance.waitForEvent('download'),
        finance.getByRole('button', { name: /导出银行文件/ }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`${batchNumber}.xlsx`);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(await download.path());
      const sheet = workbook.worksheets[0];
      if (!sheet) throw new Error('the bank file has no sheet');
      const lines: unknown[][] = [];
      sheet.eachRow((r) => lines.push((r.values as unknown[]).slice(1)));
      const line = lines.find((values) => values[7] === claim.number);
      expect(line?.slice(1, 6)).toEqual([
        '商丘市 e2e 支付评价中心',
        '中国建设银行商丘分行',
        '商丘市 e2e 支付评价中心',
        ACCOUNT_NO,
        240,
      ]);
      await finance.getByTestId('batch-status').getByText('已导出').waitFor();

      // … records the line paid with the bank's reference …
      await finance.getByRole('button', { name: '登记支付结果' }).click();
      const results = finance.getByRole('dialog');
      const pending = results.locator('tbody tr.ant-table-row', { hasText: claim.number });
      await pending.getByLabel('成功').check();
      await pending.getByPlaceholder('银行流水号（选填）').fill('E2E-HX-0001');
      await results.getByRole('button', { name: '提交结果' }).click();
      await results.waitFor({ state: 'detached' });
      const paidLine = finance.locator('tbody tr.ant-table-row', { hasText: claim.number });
      await paidLine.getByText('已支付').waitFor();
      await paidLine.getByText('E2E-HX-0001').waitFor();

      // … and sees the claim paid and the fund's paid amount grown by ¥240.
      await finance.goto('/claims');
      await finance
        .locator('tbody tr.ant-table-row', { hasText: claim.number })
        .getByText('已支付')
        .waitFor();
      await finance.goto('/ledger?tab=funds');
      const fund = finance.locator('tbody tr.ant-table-row', { hasText: '就业补助资金' });
      await fund.waitFor();
      const paidAfter = ((paidBefore + 24_000) / 100).toFixed(2);
      await fund.getByText(paidAfter, { exact: true }).first().waitFor();
    },
  );
});
