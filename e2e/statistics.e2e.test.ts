import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { FIXTURE_ID_NUMBERS } from '../apps/api/test/fixtures/sensitive.js';
import {
  browserPages,
  e2eRequired,
  expectStatus,
  hasChromium,
  logIn,
  shanghai,
} from './browser.js';
import { E2E_ADMIN_PASSWORD } from './global-setup.js';

/** Used by no other browser test: they all share one server. */
const TRAINEE = { idNumber: FIXTURE_ID_NUMBERS[13], name: '卫十四' } as const;
const MASKED = '411425********0056';
/** 虞城县 (annex 1, no. 6): no other browser test trains or certifies there. */
const COUNTY = 'A1-06';
const COUNTY_NAME = '虞城县';

describe.skipIf(!hasChromium && !e2eRequired)('statistics in a browser', () => {
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
    'the city sees a county’s training, the trainee behind it, and the dashboard drills down',
    { timeout: 3 * 60_000 },
    async () => {
      const page = await newPage();
      await logIn(page, 'admin', E2E_ADMIN_PASSWORD);
      // A training the county reports today, with one trainee (arranged through the API).
      const today = shanghai(new Date()).date;
      await expectStatus(
        await page.request.post('/api/activity/trainings', {
          headers: { 'Idempotency-Key': randomUUID() },
          data: {
            unitId: COUNTY,
            title: '虞城县 e2e 电工技能培训',
            startOn: today,
            endOn: today,
            hours: 8,
            trainees: [TRAINEE],
          },
        }),
        201,
      );

      // 目标进度: the county's training actual is 1, and it opens the trainee's record.
      await page.getByRole('menu').getByRole('link', { name: '目标进度', exact: true }).click();
      await page.waitForURL(/\/targets$/);
      const counties = page.locator('.ant-card', { hasText: '附件1 各县（市、区）' });
      const figure = counties.getByRole('button', { name: `查看${COUNTY_NAME}职业技能培训记录` });
      await expect.poll(async () => (await figure.textContent())?.trim()).toBe('1');
      await figure.click();
      const drawer = page.getByRole('dialog');
      await drawer.getByText(`${COUNTY_NAME} · 职业技能培训（${today.slice(0, 4)}年）`).waitFor();
      const record = drawer.locator('tbody tr.ant-table-row', { hasText: TRAINEE.name });
      await record.waitFor();
      expect(await record.textContent()).toContain(MASKED);
      expect(await record.textContent()).toContain('单位填报');
      expect(await drawer.locator('tbody tr.ant-table-row').count()).toBe(1);
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });

      // 数据看板: the charts are drawn, and the county's card opens the same records.
      await page.getByRole('menu').getByRole('link', { name: '数据看板', exact: true }).click();
      await page.waitForURL(/\/dashboard$/);
      await page
        .getByRole('img', { name: '县（市、区）职业技能培训完成率' })
        .locator('canvas')
        .waitFor();
      await page.getByRole('img', { name: '月度趋势' }).locator('canvas').waitFor();
      await page.getByRole('img', { name: '培训券漏斗' }).locator('canvas').waitFor();
      await page
        .getByTestId(`county-${COUNTY}`)
        .getByRole('button', { name: `查看${COUNTY_NAME}职业技能培训记录` })
        .click();
      const drill = page.getByRole('dialog');
      await drill.locator('tbody tr.ant-table-row', { hasText: TRAINEE.name }).waitFor();
    },
  );
});
