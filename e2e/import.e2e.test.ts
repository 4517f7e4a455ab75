import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { E2E_ADMIN_PASSWORD } from './global-setup.js';
import { e2eRequired, hasChromium, launchChromium, STEP_MS } from './browser.js';

/**
 * Three people; the second has a wrong check digit, so it is row 3 as Excel counts (the header
 * is row 1). The valid numbers are fixtures the leak scan knows.
 */
const ROSTER = [
  '姓名,身份证号,性别',
  '李娜,411403200002290027,女',
  '王五,411402200501010010,男',
  '王强,411481199806150031,男',
].join('\r\n');

describe.skipIf(!hasChromium && !e2eRequired)('bulk import in a browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Uncaught exceptions in the page: any of them fails the test that caused it. */
  let pageErrors: string[];
  let dir: string;
  const baseUrl = inject('baseUrl');

  beforeAll(async () => {
    browser = await launchChromium();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jineng-import-e2e-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    pageErrors = [];
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      baseURL: baseUrl,
      acceptDownloads: true,
    });
    context.setDefaultTimeout(STEP_MS);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterEach(async () => {
    await context?.close();
    expect(pageErrors).toEqual([]);
  });

  const count = (name: string) =>
    page.getByTestId(`import-count-${name}`).locator('.ant-statistic-content-value');

  it('imports the valid rows of a roster and lists the rejected one with its row number', async () => {
    const file = path.join(dir, '花名册.csv');
    await writeFile(file, ROSTER, 'utf8');

    await page.goto('/login?next=%2Fimports');
    await page.getByLabel('用户名或手机号').fill('admin');
    await page.getByLabel('密码').fill(E2E_ADMIN_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(/\/imports$/);

    // The template is there to download.
    const template = page.getByRole('link', { name: /下载人员导入模板/ });
    expect(await template.getAttribute('href')).toBe('/api/imports/templates/persons.xlsx');

    await page.locator('input[type="file"]').setInputFiles(file);

    await page.getByText('已导入', { exact: true }).waitFor();
    expect((await count('imported').textContent())?.trim()).toBe('2');
    expect((await count('rejected').textContent())?.trim()).toBe('1');
    expect((await count('updated').textContent())?.trim()).toBe('0');

    const rejected = page.locator('tbody tr.ant-table-row');
    expect(await rejected.count()).toBe(1);
    const cells = (await rejected.first().locator('td').allTextContents()).map((s) => s.trim());
    expect(cells[0]).toBe('3');
    expect(cells[1]).toBe('身份证号');
    expect(cells.join(' ')).toContain('校验位');

    // The failed rows come back as a workbook.
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /下载失败行/ }).click();
    expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);

    // The two imported people are in the register now.
    await page.getByRole('menu').getByRole('link', { name: '人员信息', exact: true }).click();
    await page.locator('tbody tr.ant-table-row', { hasText: '李娜' }).waitFor();
    await page.locator('tbody tr.ant-table-row', { hasText: '王强' }).waitFor();
  });
});
