import type { APIRequestContext, Page } from 'playwright-core';
import { expectStatus } from './browser.js';
import { E2E_ADMIN_PASSWORD } from './global-setup.js';

/*
 * Arrangement through the API for the browser tests: what other tests already cover in the
 * browser, set up in a few requests. `request` is a page's API context: it shares the page's
 * cookies, so a log-in here logs the page in too.
 */

/** Logs `request` in as the first administrator. */
export async function logInAsAdmin(request: APIRequestContext): Promise<void> {
  await expectStatus(
    await request.post('/api/auth/login', {
      data: { username: 'admin', password: E2E_ADMIN_PASSWORD },
    }),
    200,
  );
}

/** A new account the administrator creates; its initial password. */
export async function createAccount(
  admin: APIRequestContext,
  body: Record<string, string>,
): Promise<string> {
  const created = await expectStatus<{ initialPassword: string }>(
    await admin.post('/api/users', { data: body }),
    201,
  );
  return created.initialPassword;
}

/** A new account, `page` logged in as it through the API with its initial password changed. */
export async function accountPage(
  admin: APIRequestContext,
  page: Page,
  body: Record<string, string>,
  password: string,
): Promise<Page> {
  const initialPassword = await createAccount(admin, body);
  await expectStatus(
    await page.request.post('/api/auth/login', {
      data: { username: body.username, password: initialPassword },
    }),
    200,
  );
  await expectStatus(
    await page.request.post('/api/auth/password', {
      data: { currentPassword: initialPassword, newPassword: password },
    }),
    204,
  );
  return page;
}

/**
 * An evaluation institution (type S) with one site approved for `occupationCode` at 四级 until
 * 2099; `organisation` adds to or overrides the institution's fields (its bank account, say).
 */
export async function evaluationInstitution(
  admin: APIRequestContext,
  options: {
    organisation: { name: string; regionCode: string; institutionCode: string } & Record<
      string,
      string
    >;
    site: { name: string; serialCode: string; regionCode: string };
    occupationCode: string;
  },
): Promise<{ id: string; siteId: string }> {
  const organisation = await expectStatus<{ id: string }>(
    await admin.post('/api/organisations', {
      data: { kind: 'evaluation_institution', evaluationType: 'S', ...options.organisation },
    }),
    201,
  );
  const site = await expectStatus<{ id: string }>(
    await admin.post(`/api/organisations/${organisation.id}/sites`, { data: options.site }),
    201,
  );
  await expectStatus(
    await admin.post(`/api/organisations/${organisation.id}/sites/${site.id}/scopes`, {
      data: {
        occupationCode: options.occupationCode,
        skillLevelKey: 'level4',
        validFrom: '2020-01-01',
        validTo: '2099-12-31',
      },
    }),
    201,
  );
  return { id: organisation.id, siteId: site.id };
}

/** A training plan with a responsible unit, for a class to be filed under. */
export async function planWithUnit(
  request: APIRequestContext,
): Promise<{ planNo: number; unitId: string }> {
  const plans = await expectStatus<{ items: { planNo: number; units: { id: string }[] }[] }>(
    await request.get('/api/plans'),
    200,
  );
  const plan = plans.items.find((p) => p.units.length > 0);
  if (!plan?.units[0]) throw new Error('no plan with a responsible unit');
  return { planNo: plan.planNo, unitId: plan.units[0].id };
}

/** A worker registers (`request` logged in as them) and holds one voucher: its id. */
export async function registerHolder(
  request: APIRequestContext,
  body: { idNumber: string; name: string; phone: string; password: string },
): Promise<string> {
  await expectStatus(await request.post('/api/auth/register', { data: body }), 201);
  const mine = await expectStatus<{ items: { id: string }[] }>(
    await request.get('/api/vouchers'),
    200,
  );
  const voucherId = mine.items[0]?.id;
  if (!voucherId) throw new Error(`${body.name} holds no voucher`);
  return voucherId;
}

/** The content of the voucher's QR code on the holder's phone (valid 60 s). */
export async function voucherQrToken(
  holder: APIRequestContext,
  voucherId: string,
): Promise<string> {
  const qr = await expectStatus<{ token: string }>(
    await holder.get(`/api/me/vouchers/${voucherId}/qr`),
    200,
  );
  return qr.token;
}
