import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { E2E_ADMIN_PASSWORD } from './global-setup.js';
import { e2eRequired, hasChromium, launchChromium, STEP_MS } from './browser.js';

// Not 411403200002290027: e2e/import.e2e.test.ts imports that number (as 李娜) on the same server.
const ID_NUMBER = '411403199903010066';
const MASKED_ID_NUMBER = '411403********0066';

describe.skipIf(!hasChromium && !e2eRequired)('training vouchers in a browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  const baseUrl = inject('baseUrl');

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    pageErrors = [];
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      baseURL: baseUrl,
    });
    context.setDefaultTimeout(STEP_MS);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterEach(async () => {
    await context?.close();
    expect(pageErrors).toEqual([]);
  });

  it('lets an administrator issue a voucher to a registered person', async () => {
    await page.goto('/login');
    await page.getByLabel('用户名或手机号').fill('admin');
    await page.getByLabel('密码').fill(E2E_ADMIN_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL((url) => url.pathname === '/');

    // The person is registered through the API, with the administrator's session cookie.
    const created = await page.request.post('/api/persons', {
      data: { idNumber: ID_NUMBER, name: '孙丽', residenceRegionCode: '411403' },
    });
    expect(created.status()).toBe(201);

    await page.getByRole('menu').getByRole('link', { name: '培训券', exact: true }).click();
    await page.waitForURL(/\/vouchers$/);

    await page.getByRole('button', { name: /发放给一人/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('按身份证号查找').fill(ID_NUMBER);
    await dialog.getByRole('button', { name: /搜\s*索/ }).click();
    await dialog.getByText(`持券人: 孙丽（${MASKED_ID_NUMBER}）`).waitFor();

    await dialog.getByLabel('职业（工种）', { exact: true }).click();
    await page.keyboard.type('4-10-01-01');
    await page.locator('.ant-select-item-option[title^="4-10-01-01"]').click();
    await dialog.getByLabel('面额（元）').fill('1000');
    await dialog.getByLabel('有效期至').click();
    await page.keyboard.type('2027-12-31');
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: /发\s*放/ }).click();
    await page.getByText(/已发放培训券 SQ\d{10}/).waitFor();
    await dialog.waitFor({ state: 'detached' });

    const row = page.locator('tbody tr.ant-table-row', { hasText: '孙丽' });
    await row.waitFor();
    expect(await row.textContent()).toContain(MASKED_ID_NUMBER);
    expect(await row.textContent()).toContain('已发放');
    expect(await page.content()).not.toContain(ID_NUMBER);
  });
});
