import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
