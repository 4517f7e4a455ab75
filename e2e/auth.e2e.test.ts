import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { FIXTURE_PASSWORDS } from '../apps/api/test/fixtures/sensitive.js';
import { E2E_ADMIN_PASSWORD } from './global-setup.js';
import { e2eRequired, hasChromium, launchChromium, STEP_MS } from './browser.js';

const PUBLIC_MENU = ['首页', '行政区划', '责任单位', '专项计划', '职业目录'];
const COUNTY_ADMIN = 'suiyang_admin';
/** From the fixtures the leak scan knows, so it proves this password is stored only hashed. */
const NEW_PASSWORD = FIXTURE_PASSWORDS[1];

describe.skipIf(!hasChromium && !e2eRequired)('accounts in a browser', () => {
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
  const menuLabels = async () =>
    (await menu().getByRole('link').allTextContents()).map((s) => s.trim());

  async function logIn(username: string, password: string): Promise<void> {
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: /登\s*录/ }).click();
  }

  async function logOut(): Promise<void> {
    await page.getByRole('button', { name: '账号菜单' }).click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();
  }

  /** Picks `option` in the antd select labelled `label`. */
  async function choose(label: string, option: string): Promise<void> {
    await page.getByLabel(label, { exact: true }).click();
    await page.locator(`.ant-select-item-option[title="${option}"]`).click();
  }

  it('lets an administrator open a county account, whose holder must change the password first', async () => {
    await page.goto('/');
    await menu().getByRole('link', { name: '首页', exact: true }).waitFor();
    expect(await menuLabels()).toEqual(PUBLIC_MENU);

    // The city administrator logs in and gets the administration pages.
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(/\/login$/);
    await logIn('admin', E2E_ADMIN_PASSWORD);
    await page.waitForURL((url) => url.pathname === '/');
    await menu().getByRole('link', { name: '审计日志', exact: true }).waitFor();
    expect(await menuLabels()).toEqual([
      '首页',
      '目标进度',
      '目标管理',
      '数据看板',
      '统计报表',
      ...PUBLIC_MENU.slice(1),
      '人员信息',
      '批量导入',
      '机构管理',
      '培训券',
      '培训班审核',
      '技能评价',
      '证书管理',
      '单位填报',
      '填报关账',
      '职业介绍',
      '补贴申领',
      '资金账务',
      '补贴支付',
      '账号管理',
      '审计日志',
    ]);

    // … and opens an account for a county administrator of 睢阳区.
    await menu().getByRole('link', { name: '账号管理', exact: true }).click();
    await page.waitForURL(/\/users$/);
    await page.getByRole('button', { name: /新建账号/ }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('用户名').fill(COUNTY_ADMIN);
    await drawer.getByLabel('姓名').fill('睢阳区人社局管理员');
    await choose('角色', '县级管理员');
    await choose('所属县（市、区）', '睢阳区（411403）');
    await drawer.getByRole('button', { name: /创\s*建/ }).click();

    const shown = page.getByTestId('initial-password');
    const initialPassword = (await shown.textContent())?.trim() ?? '';
    expect(initialPassword.length).toBeGreaterThanOrEqual(12);
    await page.getByText('此密码只显示这一次').waitFor();
    await page.getByRole('button', { name: '我已记下，关闭' }).click();
    await shown.waitFor({ state: 'detached' });
    const row = page.locator('tbody tr.ant-table-row', { hasText: COUNTY_ADMIN });
    await row.getByText('待改初始密码').waitFor();
    expect(await page.getByText(initialPassword).count()).toBe(0);

    // The creation is in the audit log.
    await menu().getByRole('link', { name: '审计日志', exact: true }).click();
    await page.waitForURL(/\/audit$/);
    const created = page.locator('tbody tr.ant-table-row', { hasText: 'user.created' }).first();
    await created.getByRole('button').first().click();
    await page.locator('pre', { hasText: COUNTY_ADMIN }).waitFor();

    await logOut();
    expect(await menuLabels()).toEqual(PUBLIC_MENU);

    // The new account logs in with the initial password and is held on the password page.
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await logIn(COUNTY_ADMIN, initialPassword);
    await page.waitForURL(/\/account\/password/);
    await page.getByText('您正在使用管理员设置的初始密码').waitFor();
    await page.goto('/users');
    await page.waitForURL(/\/account\/password/);

    await page.getByLabel('当前密码').fill(initialPassword);
    await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('确认新密码').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: '确认修改' }).click();

    // Done: back where it was going, with account management for its own region only.
    await page.waitForURL(/\/users$/);
    await page.locator('tbody tr.ant-table-row', { hasText: COUNTY_ADMIN }).waitFor();
    expect(await page.locator('tbody tr.ant-table-row', { hasText: '系统管理员' }).count()).toBe(0);
    expect(await menuLabels()).toEqual([
      '首页',
      '目标进度',
      '数据看板',
      '统计报表',
      ...PUBLIC_MENU.slice(1),
      '人员信息',
      '批量导入',
      '机构管理',
      '培训券',
      '培训班审核',
      '技能评价',
      '证书管理',
      '单位填报',
      '职业介绍',
      '补贴申领',
      '对账单',
      '账号管理',
    ]);

    await logOut();
    expect(await menuLabels()).toEqual(PUBLIC_MENU);
  });

  it('refuses a wrong password on the login page, in Chinese', async () => {
    await page.goto('/login');
    await logIn('admin', 'Not-The-Password-1');

    await page.getByRole('alert').getByText('用户名或密码错误。').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});
