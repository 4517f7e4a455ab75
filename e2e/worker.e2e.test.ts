import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { e2eRequired, hasChromium, launchChromium, STEP_MS } from './browser.js';

/** From the fixtures the leak scan knows (apps/api/test/fixtures/sensitive.ts). */
const ID_NUMBER = '411426200109300058';
const MASKED_ID_NUMBER = '411426********0058';
const PHONE = '13812341235';
const PASSWORD = 'Kite-Lamp-93!';

describe.skipIf(!hasChromium && !e2eRequired)('a worker on a phone', () => {
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
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
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

  /** The record on /me, masked. */
  async function seeOwnRecord(): Promise<void> {
    await page.getByRole('heading', { name: '我的信息' }).waitFor();
    await page.getByText(MASKED_ID_NUMBER).waitFor();
    expect(await page.getByText('赵六').count()).toBeGreaterThan(0);
    expect(await page.content()).not.toContain(ID_NUMBER);
  }

  async function logOut(): Promise<void> {
    await page.getByRole('button', { name: '账号菜单' }).click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();
  }

  it('registers, lands on their own record, and logs in again with the phone number', async () => {
    await page.goto('/');
    await page.getByRole('button', { name: /注\s*册/ }).click();
    await page.waitForURL(/\/register$/);

    await page.getByLabel('身份证号').fill(ID_NUMBER);
    await page.getByLabel('姓名（与身份证一致）').fill('赵六');
    await page.getByLabel('手机号').fill(PHONE);
    await page.getByLabel('设置密码').fill(PASSWORD);
    await page.getByLabel('确认密码').fill(PASSWORD);
    await page.getByRole('button', { name: /注册并登录/ }).click();

    await page.waitForURL(/\/me$/);
    await seeOwnRecord();
    // The page fits the phone: nothing scrolls sideways.
    const overflow = await page
      .locator('html')
      .evaluate((html) => html.scrollWidth - html.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    await logOut();

    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(/\/login/);
    await page.getByLabel('用户名或手机号').fill(PHONE);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();

    // A worker with nowhere particular to go is taken to their record …
    await page.waitForURL(/\/me$/);
    await seeOwnRecord();

    // … which the menu offers too, and nothing of the register.
    await page.getByRole('button', { name: '打开菜单' }).click();
    const menu = page.getByRole('menu');
    await menu.getByRole('link', { name: '我的信息', exact: true }).waitFor();
    expect(await menu.getByRole('link', { name: '人员信息', exact: true }).count()).toBe(0);
  });
});
