import { existsSync } from 'node:fs';
import {
  chromium,
  type APIResponse,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium: `npx playwright install` cannot download a browser here. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
/** `JINENG_E2E=required` (CI) turns a missing Chromium into a failure instead of a skip. */
export const e2eRequired = process.env.JINENG_E2E === 'required';

/** Without the background-networking flags Chromium keeps dialling out on a closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long a step may wait for the page; generous because CI runs on two cores. */
export const STEP_MS = 15_000;

export async function launchChromium(): Promise<Browser> {
  if (!hasChromium) {
    throw new Error(`JINENG_E2E=required but ${CHROMIUM} is missing (apt-get install chromium)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * The pages of one test file's browser: desktop or phone-sized, each in its own context (its own
 * cookies and HTTP cache). `closePages` after each test closes them and fails on any page error.
 */
export function browserPages(baseUrl: string) {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  return {
    async launch() {
      browser = await launchChromium();
    },
    async close() {
      await browser?.close();
    },
    async newPage(phone = false): Promise<Page> {
      if (!browser) throw new Error('launch() the browser first');
      const context = await browser.newContext({
        viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
        isMobile: phone,
        hasTouch: phone,
        baseURL: baseUrl,
      });
      context.setDefaultTimeout(STEP_MS);
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      return page;
    },
    async closePages() {
      for (const context of contexts.splice(0)) await context.close();
      expect(pageErrors.splice(0)).toEqual([]);
    },
  };
}

/** The JSON body of an API answer, after asserting its status (the body explains a failure). */
export async function expectStatus<T>(response: APIResponse, status: number): Promise<T> {
  const body = await response.text();
  expect(response.status(), body).toBe(status);
  return (body ? JSON.parse(body) : undefined) as T;
}

/** An instant as an Asia/Shanghai civil date and HH:mm (UTC+8 all year). */
export function shanghai(instant: Date): { date: string; time: string } {
  const local = new Date(instant.getTime() + 8 * 3_600_000).toISOString();
  return { date: local.slice(0, 10), time: local.slice(11, 16) };
}

/* Steps several browser tests take in the same pages. */

/** Logs in on the log-in page; `next` is where it leads (the home page by default). */
export async function logIn(page: Page, username: string, password: string, next = '/') {
  await page.goto(next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('用户名或手机号').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((url) => url.pathname === next);
}

/** A new account's first log-in: the initial password must be changed before the home page. */
export async function logInFirstTime(
  page: Page,
  username: string,
  initialPassword: string,
  password: string,
) {
  await page.goto('/login');
  await page.getByLabel('用户名或手机号').fill(username);
  await page.getByLabel('密码').fill(initialPassword);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL(/\/account\/password/);
  await page.getByLabel('当前密码').fill(initialPassword);
  await page.getByLabel('新密码', { exact: true }).fill(password);
  await page.getByLabel('确认新密码').fill(password);
  await page.getByRole('button', { name: '确认修改' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** Picks an occupation in the select labelled 职业（工种） inside `scope` by typing its code. */
export async function pickOccupation(page: Page, scope: Locator, code: string) {
  await scope.getByLabel('职业（工种）', { exact: true }).click();
  await page.keyboard.type(code);
  await page.locator(`.ant-select-item-option[title^="${code}"]`).click();
}

/**
 * On 技能评价: schedules an evaluation today at the site for the occupation, adds the candidate by
 * ID number and saves their scores; the candidate's row, once it shows 合格.
 */
export async function evaluateToday(
  page: Page,
  evaluation: { siteName: string; serialCode: string; occupation: string },
  candidate: { idNumber: string; name: string; theory: string; practical: string },
): Promise<Locator> {
  await page
    .getByRole('button', { name: /安排评价/ })
    .click()
    .catch(async (error: unknown) => {
      throw new Error(`${String(error)}\npage: ${await page.locator('body').innerText()}`);
    });
  const schedule = page.getByRole('dialog');
  await schedule.getByLabel('评价站点', { exact: true }).click();
  await page
    .locator(`.ant-select-item-option[title="${evaluation.siteName}（${evaluation.serialCode}）"]`)
    .click();
  await pickOccupation(page, schedule, evaluation.occupation);
  await schedule.getByLabel('评价日期').click();
  await page.keyboard.type(shanghai(new Date()).date);
  await page.keyboard.press('Enter');
  await schedule.getByRole('button', { name: /安\s*排/ }).click();
  await page.waitForURL(/\/evaluations\/[0-9a-f-]{36}$/);

  await page.getByRole('button', { name: /添加考生/ }).click();
  const add = page.getByRole('dialog');
  await add.getByLabel('身份证号', { exact: true }).fill(candidate.idNumber);
  await add.getByRole('button', { name: /添\s*加/ }).click();
  await add.waitFor({ state: 'detached' });
  const row = page.locator('tbody tr.ant-table-row', { hasText: candidate.name });
  await row.waitFor();
  await page.getByLabel(`${candidate.name}的理论成绩`).fill(candidate.theory);
  await page.getByLabel(`${candidate.name}的实操成绩`).fill(candidate.practical);
  await page.getByRole('button', { name: `保存${candidate.name}的成绩` }).click();
  await row.getByText('合格', { exact: true }).waitFor();
  return row;
}

/** Submits the evaluation's results, which locks them; the certificate number issued. */
export async function submitEvaluation(page: Page): Promise<string> {
  await page.getByRole('button', { name: /提交结果/ }).click();
  const confirm = page.getByRole('dialog').filter({ hasText: '提交评价结果？' });
  await confirm.getByRole('button', { name: /提交结果/ }).click();
  await page.getByText('结果已提交并锁定。').waitFor();
  return (await page.getByTestId('certificate-number').textContent())?.trim() ?? '';
}
