import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { FIXTURE_PASSWORDS } from '../apps/api/test/fixtures/sensitive.js';
import {
  createAccount,
  logInAsAdmin,
  planWithUnit,
  registerHolder,
  voucherQrToken,
} from './arrange.js';
import {
  browserPages,
  e2eRequired,
  expectStatus,
  hasChromium,
  logInFirstTime,
  shanghai,
} from './browser.js';

/**
 * From the fixtures the leak scan knows (apps/api/test/fixtures/sensitive.ts), and used by no
 * other browser test: they all share one server.
 */
const ID_NUMBER = '411471200501010014';
const MASKED_ID_NUMBER = '411471********0014';
const PHONE = '15937012345';
const WORKER_PASSWORD = FIXTURE_PASSWORDS[1];
const STAFF_PASSWORD = FIXTURE_PASSWORDS[0];
const STAFF_USERNAME = 'e2e_trainer';
const HOLDER = '钱七';
const CLASS_NAME = '家政服务员（四级）e2e 班';

/**
 * A session that starts in about ten minutes: the class can still be approved (nobody approves a
 * class that has begun) while check-in is already open (it opens 30 minutes before the start).
 */
function sessionSoon(now = Date.now()) {
  const start = shanghai(new Date(Math.ceil(now / 60_000) * 60_000 + 10 * 60_000));
  const startMinutes = Number(start.time.slice(0, 2)) * 60 + Number(start.time.slice(3, 5));
  const endMinutes = Math.min(startMinutes + 120, 23 * 60 + 59);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    date: start.date,
    startTime: start.time,
    endTime: `${pad(Math.floor(endMinutes / 60))}:${pad(endMinutes % 60)}`,
  };
}

describe.skipIf(!hasChromium && !e2eRequired)('classes, binding and check-in in a browser', () => {
  const { launch, close, newPage, closePages } = browserPages(inject('baseUrl'));

  beforeAll(async () => {
    await launch();
  });

  afterAll(async () => {
    await close();
  });

  afterEach(async () => {
    await closePages();
  });

  it('binds a voucher by the holder’s QR code, and the holder checks in by scanning the screen', async () => {
    // The city administrator sets the scene through the API: an institution and its staff
    // account, a registered person with a voucher.
    const admin = (await newPage()).request;
    await logInAsAdmin(admin);
    const organisation = await expectStatus<{ id: string }>(
      await admin.post('/api/organisations', {
        data: {
          kind: 'training_institution',
          name: '商丘市 e2e 职业培训学校',
          regionCode: '411402',
        },
      }),
      201,
    );
    const initialPassword = await createAccount(admin, {
      username: STAFF_USERNAME,
      displayName: '培训学校教务',
      role: 'training_staff',
      organisationId: organisation.id,
    });
    const { person } = await expectStatus<{ person: { id: string } }>(
      await admin.post('/api/persons', {
        data: { idNumber: ID_NUMBER, name: HOLDER, residenceRegionCode: '411402' },
      }),
      201,
    );
    await expectStatus(
      await admin.post('/api/vouchers', {
        data: {
          personId: person.id,
          occupationCode: '4-10-01-01',
          valueFen: 150_000,
          validTo: '2099-12-31',
        },
        headers: { 'Idempotency-Key': `e2e-classes-${person.id}` },
      }),
      201,
    );
    const plan = await planWithUnit(admin);

    // The institution's staff log in (in the browser: the initial password must be changed) …
    const staff = await newPage();
    await logInFirstTime(staff, STAFF_USERNAME, initialPassword, STAFF_PASSWORD);

    // … and file a class whose session starts soon, which the administrator approves.
    const filed = await expectStatus<{ id: string; sessions: { id: string }[] }>(
      await staff.request.post('/api/classes', {
        data: {
          name: CLASS_NAME,
          occupationCode: '4-10-01-01',
          skillLevelKey: 'level4',
          planNo: plan.planNo,
          unitId: plan.unitId,
          trainingType: 'on_the_job_upgrade',
          regionCode: '411402',
          address: '梁园区 e2e 路 1 号',
          capacity: 20,
          subsidyStandardFen: 120_000,
          sessions: [sessionSoon()],
          submit: true,
        },
      }),
      201,
    );
    await expectStatus(await admin.post(`/api/classes/${filed.id}/approve`), 200);

    // The holder registers on their phone and shows the voucher's QR code; its content is what
    // a scanner types into the institution's box.
    const phone = await newPage(true);
    const voucherId = await registerHolder(phone.request, {
      idNumber: ID_NUMBER,
      name: HOLDER,
      phone: PHONE,
      password: WORKER_PASSWORD,
    });
    const token = await voucherQrToken(phone.request, voucherId);

    // The staff find the class from the menu and bind the voucher with the scanned code.
    await staff.getByRole('menu').getByRole('link', { name: '培训班管理', exact: true }).click();
    await staff.waitForURL(/\/classes$/);
    await staff.getByRole('link', { name: CLASS_NAME }).click();
    await staff.waitForURL(new RegExp(`/classes/${filed.id}$`));
    await staff.getByRole('tab', { name: '学员名单' }).click();
    await staff.getByRole('button', { name: /绑定培训券/ }).click();
    const dialog = staff.getByRole('dialog');
    await dialog.getByLabel('二维码内容').fill(token);
    await dialog.getByRole('button', { name: /查\s*询/ }).click();
    await dialog.getByText(`${HOLDER}（${MASKED_ID_NUMBER}）`).waitFor();
    await dialog.getByText('可以绑定').waitFor();
    await dialog.getByRole('button', { name: /确认绑定/ }).click();
    await staff.getByText(`已绑定，${HOLDER} 已报名本班`).waitFor();
    await dialog.waitFor({ state: 'detached' });
    await staff.locator('tbody tr.ant-table-row', { hasText: HOLDER }).waitFor();

    // The session's code on the classroom screen …
    await staff.getByRole('tab', { name: '课次与签到' }).click();
    await staff.getByRole('button', { name: /签到二维码/ }).click();
    const url = (await staff.getByTestId('check-in-url').textContent())?.trim() ?? '';
    expect(url).toContain(`/me/check-in?class=${filed.id}&session=${filed.sessions[0]?.id}`);
    await staff.keyboard.press('Escape');

    // … opened by the holder's phone camera checks them in.
    await phone.goto(url);
    await phone.getByText('签到成功').waitFor();
    await phone.goto('/me/classes');
    await phone.getByText(CLASS_NAME).waitFor();
    await phone.getByText(/已签到 /).waitFor();

    // The attendance sheet shows the scan.
    await staff.getByRole('button', { name: /签到表/ }).click();
    const sheet = staff.getByRole('dialog');
    const row = sheet.locator('tbody tr.ant-table-row', { hasText: HOLDER });
    await row.getByText('扫码').waitFor();
    expect(await row.textContent()).toContain(MASKED_ID_NUMBER);
    expect(await staff.content()).not.toContain(ID_NUMBER);
    expect(await phone.content()).not.toContain(ID_NUMBER);
  });
});
