import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { FIXTURE_ID_NUMBERS, FIXTURE_PASSWORDS } from '../apps/api/test/fixtures/sensitive.js';
import { accountPage } from './arrange.js';
import { E2E_ADMIN_PASSWORD } from './global-setup.js';
import {
  browserPages,
  e2eRequired,
  hasChromium,
  logIn,
  pickOccupation,
  shanghai,
} from './browser.js';

/** Used by no other browser test: they all share one server. */
const TRAINEES = [
  { idNumber: FIXTURE_ID_NUMBERS[11], name: '冯十一' },
  { idNumber: FIXTURE_ID_NUMBERS[12], name: '陈十二' },
] as const;
const OFFICER = 'e2e_unit_officer';
const OFFICER_PASSWORD = FIXTURE_PASSWORDS[0];
/** 市人力资源社会保障局 (annex 2, no. 7 of the 38 responsible units). */
const UNIT = 'A2-07';
const TITLE = '人社局 e2e 育婴员技能提升培训';
const OCCUPATION = '4-10-01-01';

/**
 * The month before this one (Asia/Shanghai): finished, so the city may close it, and apart from
 * the current month other browser tests may report in.
 */
function lastMonth(now = new Date()): { period: string; day: (d: number) => string } {
  const [year, month] = shanghai(now).date.split('-').map(Number) as [number, number];
  const previous = month === 1 ? { y: year - 1, m: 12 } : { y: year, m: month - 1 };
  const period = `${previous.y}-${String(previous.m).padStart(2, '0')}`;
  return { period, day: (d) => `${period}-${String(d).padStart(2, '0')}` };
}

describe.skipIf(!hasChromium && !e2eRequired)('unit reporting in a browser', () => {
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

  /** Types a date into the antd date picker labelled `label` in the open dialog. */
  async function pickDate(page: Page, label: string, value: string): Promise<void> {
    await page.getByRole('dialog').getByLabel(label, { exact: true }).click();
    await page.keyboard.type(value);
    await page.keyboard.press('Enter');
  }

  it(
    'a unit reports a training and a certificate, the city closes the month, corrections stop',
    { timeout: 5 * 60_000 },
    async () => {
      const month = lastMonth();
      const certificateNumber = `S000041000123${month.period.slice(2, 4)}4000057`;

      // The city administrator opens the unit officer's account through the API.
      const admin = await newPage();
      await logIn(admin, 'admin', E2E_ADMIN_PASSWORD);
      await accountPage(
        admin.request,
        await newPage(),
        { username: OFFICER, displayName: '市人社局填报员', role: 'unit_officer', unitId: UNIT },
        OFFICER_PASSWORD,
      );

      // The officer logs in and reports last month's training with two trainees.
      const officer = await newPage();
      await logIn(officer, OFFICER, OFFICER_PASSWORD);
      await officer.getByRole('menu').getByRole('link', { name: '单位填报', exact: true }).click();
      await officer.waitForURL(/\/activity$/);
      await officer.getByRole('button', { name: /填报培训/ }).click();
      const form = officer.getByRole('dialog');
      await form.getByLabel('培训名称').fill(TITLE);
      await pickDate(officer, '开始日期', month.day(3));
      await pickDate(officer, '结束日期', month.day(12));
      await form.getByLabel('学时').fill('40');
      await form.getByLabel('第 1 行身份证号').fill(TRAINEES[0].idNumber);
      await form.getByLabel('第 1 行姓名').fill(TRAINEES[0].name);
      await form.getByRole('button', { name: /添加一行/ }).click();
      await form.getByLabel('第 2 行身份证号').fill(TRAINEES[1].idNumber);
      await form.getByLabel('第 2 行姓名').fill(TRAINEES[1].name);
      await form.getByRole('button', { name: /提\s*交/ }).click();
      await form.getByText(`已保存培训记录“${TITLE}”，计入 ${month.period}`).waitFor();
      await form.getByText('匹配人员库 0 人，新登记 2 人，未接收 0 人').waitFor();
      await form.getByRole('button', { name: /完\s*成/ }).click();
      await form.waitFor({ state: 'detached' });
      const report = officer.locator('tbody tr.ant-table-row', { hasText: TITLE });
      await report.waitFor();
      expect(await report.textContent()).toContain(month.period);

      // 本期汇总 for that month: two person-times, as #9 will count them.
      await officer.getByRole('tab', { name: '本期汇总' }).click();
      await officer.getByLabel('月份', { exact: true }).click();
      await officer.keyboard.press('ControlOrMeta+A');
      await officer.keyboard.type(month.period);
      await officer.keyboard.press('Enter');
      await officer.waitForURL((url) => url.searchParams.get('tperiod') === month.period);
      const counted = officer
        .locator('.ant-statistic', { hasText: '培训人次（计入统计）' })
        .locator('.ant-statistic-content-value');
      await expect.poll(async () => (await counted.textContent())?.trim()).toBe('2');
      await officer
        .getByText('共 2 条结业记录，去除重复 0 条，计 2 人次。', { exact: false })
        .waitFor();

      // A skill-level certificate one of them got elsewhere.
      await officer.getByRole('tab', { name: '外部证书' }).click();
      await officer.getByRole('button', { name: /登记外部证书/ }).click();
      const intake = officer.getByRole('dialog');
      await intake.getByLabel('持证人姓名').fill(TRAINEES[0].name);
      await intake.getByLabel('持证人身份证号').fill(TRAINEES[0].idNumber);
      await intake.getByLabel('证书编号').fill(certificateNumber);
      await pickOccupation(officer, intake, OCCUPATION);
      await intake.getByLabel('技能等级', { exact: true }).click();
      await officer.locator('.ant-select-item-option[title="四级/中级工"]').click();
      await intake.getByLabel('发证机构').fill('郑州市 e2e 职业技能等级认定中心');
      await pickDate(officer, '发证日期', month.day(15));
      await intake.getByRole('button', { name: /^登\s*记$/ }).click();
      await intake.getByText(`已登记外部证书 ${certificateNumber}`).waitFor();
      await intake.getByRole('button', { name: /完\s*成/ }).click();
      await intake.waitFor({ state: 'detached' });
      const certificate = officer.locator('tbody tr.ant-table-row', {
        hasText: certificateNumber,
      });
      await certificate.waitFor();
      expect(await certificate.textContent()).toContain('职业技能等级证书');
      expect(await certificate.textContent()).toContain('四级/中级工');
      expect(await officer.content()).not.toContain(TRAINEES[0].idNumber);

      // The city closes that month on the reporting-months page, after the warning.
      await admin.goto('/');
      await admin.getByRole('menu').getByRole('link', { name: '填报关账', exact: true }).click();
      await admin.waitForURL(/\/activity\/periods$/);
      if (month.period.slice(0, 4) !== shanghai(new Date()).date.slice(0, 4)) {
        await admin.goto(`/activity/periods?year=${month.period.slice(0, 4)}`);
      }
      await admin.getByRole('button', { name: `关账 ${month.period}` }).click();
      await admin.getByText('关账不能撤销，也不能重新开账', { exact: false }).waitFor();
      await admin.getByRole('button', { name: '确认关账' }).click();
      const closed = admin.locator('tbody tr.ant-table-row', { hasText: month.period });
      await closed.getByText('已关账').waitFor();
      expect(await closed.textContent()).toContain('系统管理员');

      // The officer's correction of that month's certificate is refused, in words.
      await officer.reload();
      await certificate.getByRole('button', { name: /更\s*正/ }).click();
      const correction = officer.getByRole('dialog');
      await correction.getByLabel('发证机构').fill('河南省 e2e 职业技能鉴定指导中心');
      await correction.getByRole('button', { name: /保存更正/ }).click();
      await correction.getByText('该月已关账，不能再新增、更正或撤回该月的记录。').waitFor();
    },
  );
});
