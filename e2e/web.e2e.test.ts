import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { e2eRequired, hasChromium, launchChromium, STEP_MS } from './browser.js';

describe.skipIf(!hasChromium && !e2eRequired)('web app in a browser', () => {
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

  async function openPage(viewport = { width: 1280, height: 800 }): Promise<void> {
    context = await browser.newContext({ viewport, baseURL: baseUrl });
    context.setDefaultTimeout(STEP_MS);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }

  beforeEach(() => {
    pageErrors = [];
  });

  afterEach(async () => {
    await context?.close();
    expect(pageErrors).toEqual([]);
  });

  it('finds 中式烹调师 after reaching the occupation page through the side menu', async () => {
    await openPage();
    await page.goto('/');
    await page.getByRole('heading', { level: 3 }).waitFor();

    await page.getByRole('menu').getByRole('link', { name: '职业目录', exact: true }).click();
    await page.waitForURL(/\/occupations$/);

    const search = page.getByPlaceholder('职业编码或名称');
    await search.fill('中式烹调师');
    await search.press('Enter');
    await page.waitForURL(/[?&]q=/);

    const row = page.locator('tbody tr', { hasText: '4-03-02-01' });
    await row.waitFor();
    expect(await row.textContent()).toContain('中式烹调师');
    expect(new URL(page.url()).searchParams.get('q')).toBe('中式烹调师');
  });

  it('switches the interface to English and keeps it after a reload', async () => {
    await openPage();
    await page.goto('/');
    const menu = page.getByRole('menu');
    await menu.getByRole('link', { name: '职业目录', exact: true }).waitFor();

    await page.getByText('English', { exact: true }).click();

    await menu.getByRole('link', { name: 'Occupations', exact: true }).waitFor();
    expect(await menu.getByRole('link', { name: '职业目录', exact: true }).count()).toBe(0);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await page.reload();
    await menu.getByRole('link', { name: 'Regions', exact: true }).waitFor();
  });

  it('opens the menu from the header on a phone-sized screen', async () => {
    await openPage({ width: 390, height: 844 });
    await page.goto('/');

    await page.getByRole('button', { name: '打开菜单' }).click();
    await page.getByRole('menu').getByRole('link', { name: '专项计划', exact: true }).click();
    await page.waitForURL(/\/plans$/);

    await page.locator('tbody tr', { hasText: '大众创业培训计划' }).waitFor();
    expect(await page.getByText('培训后取证率100%').count()).toBeGreaterThan(0);
  });

  it('answers an unknown address with the not-found page, not a blank screen', async () => {
    await openPage();
    await page.goto('/no/such/page');

    await page.getByText('页面不存在').waitFor();
  });
});
