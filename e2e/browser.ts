import { existsSync } from 'node:fs';
import {
  chromium,
  type APIResponse,
  type Browser,
  type BrowserContext,
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
