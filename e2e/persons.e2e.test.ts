import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { E2E_ADMIN_PASSWORD } from './global-setup.js';
import { e2eRequired, hasChromium, launchChromium, STEP_MS } from './browser.js';

/** From the fixtures the leak scan knows (apps/api/test/fixtures/sensitive.ts). */
const ID_NUMBER = '411402200501010011';
const MASKED_ID_NUMBER = '411402********0011';
const PHONE = '13812341234';

describe.skipIf(!hasChromium && !e2eRequired)('the persons register in a browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Uncaught exceptions in the page: any of them fails the test that caused it. */
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

  const menu = () => page.getByRole('menu');

  /** Picks `option` in the antd select labelled `label` inside `scope`. */
  async function choose(label: string, option: string): Promise<void> {
    await page.getByRole('dialog').getByLabel(label, { exact: true }).click();
    await page.locator(`.ant-select-item-option[title="${option}"]`).click();
  }

  it('registers a person, finds them by ID number and shows the full number to an administrator', async () => {
    await page.goto('/login');
    await page.getByLabel('用户名或手机号').fill('admin');
    await page.getByLabel('密码').fill(E2E_ADMIN_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL((url) => url.pathname === '/');

    await menu().getByRole('link', { name: '人员信息', exact: true }).click();
    await page.waitForURL(/\/persons$/);

    // 登记人员: the drawer, with the county of residence picked from the list.
    await page.getByRole('button', { name: /登记人员/ }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('身份证号').fill(ID_NUMBER);
    await drawer.getByLabel('姓名').fill('张伟');
    await drawer.getByLabel('手机号').fill(PHONE);
    await choose('常住地', '梁园区');
    await drawer.getByRole('button', { name: /^登\s*记$/ }).click();
    await page.getByText('已登记 张伟').waitFor();
    await drawer.waitFor({ state: 'hidden' });

    const row = page.locator('tbody tr.ant-table-row', { hasText: '张伟' });
    await row.waitFor();
    expect(await row.textContent()).toContain(MASKED_ID_NUMBER);
    expect(await row.textContent()).toContain('梁园区');
    expect(await page.content()).not.toContain(ID_NUMBER);

    // Find by ID number: the number goes in a request body, never in the address.
    await page.getByLabel('按身份证号查找').fill(ID_NUMBER);
    await page.getByRole('button', { name: /查\s*找/ }).click();
    await page.waitForURL(/\/persons\/[0-9a-f-]{36}$/);
    expect(page.url()).not.toContain(ID_NUMBER);
    await page.getByRole('heading', { name: '张伟' }).waitFor();
    await page.getByTestId('masked-id-number').getByText(MASKED_ID_NUMBER).waitFor();

    // The full number, with the warning that the view is logged; gone once closed.
    await page.getByRole('button', { name: /查看完整证件号/ }).click();
    const revealed = page.getByTestId('revealed-id-number');
    await revealed.waitFor();
    expect((await revealed.textContent())?.trim()).toBe(ID_NUMBER);
    await page.getByText('本次查看已记入审计日志').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: '关 闭' }).click();
    await revealed.waitFor({ state: 'detached' });
    expect(await page.getByText(ID_NUMBER).count()).toBe(0);

    // … and the view is in the record's history.
    await page.locator('tbody tr', { hasText: '查看完整身份证号' }).waitFor();

    await page.getByRole('button', { name: '账号菜单' }).click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();
  });
});
