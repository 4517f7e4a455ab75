import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type APIRequestContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  FIXTURE_ID_NUMBERS,
  FIXTURE_PASSWORDS,
  FIXTURE_PHONES,
} from '../apps/api/test/fixtures/sensitive.js';
import {
  accountPage,
  evaluationInstitution,
  planWithUnit,
  registerHolder,
  voucherQrToken,
} from './arrange.js';
import { E2E_ADMIN_PASSWORD } from './global-setup.js';
import {
  browserPages,
  e2eRequired,
  evaluateToday,
  expectStatus,
  hasChromium,
  logIn,
  pickOccupation,
  shanghai,
  submitEvaluation,
} from './browser.js';

/*
 * The whole closed loop in a browser, on the real server and its real clock: a roster import
 * registers the worker, the administrator issues a voucher and approves the class, the institution
 * binds the voucher with the QR code the worker's phone shows, the worker checks in by opening the
 * classroom QR, the institution checks them out and records the pass, the evaluation institution
 * evaluates and certifies, the institution redeems the voucher, and anyone can check the
 * certificate. Organisations and staff accounts (pages other tests cover) are set up through the
 * API.
 *
 * The class's one session is 10 minutes long with a 10 % attendance threshold, starting about two
 * minutes from now: approval must come before it starts, and the pass needs one attended minute,
 * so the test waits about three minutes of real time.
 */

const ID_NUMBER = FIXTURE_ID_NUMBERS[9]; // used by no other browser test: they share one server
const MASKED_ID_NUMBER = '411421********0035';
const HOLDER = '吴九';
const PHONE = FIXTURE_PHONES[3];
const WORKER_PASSWORD = FIXTURE_PASSWORDS[1];
const STAFF_PASSWORD = FIXTURE_PASSWORDS[0];
const OCCUPATION = '6-18-01-01'; // 车工
const CLASS_NAME = '车工（四级）e2e 闭环班';
const SCHOOL = '商丘市 e2e 闭环培训学校';
const EVALUATOR = '商丘市 e2e 闭环评价中心';
const INSTITUTION_CODE = '0518';
const SERIAL_CODE = '751803';
const SITE_NAME = 'e2e 睢阳闭环考点';

/** A 10-minute session starting at the minute after next, within one Shanghai day. */
function sessionSoon(now = Date.now()) {
  let start = new Date(Math.ceil(now / 60_000) * 60_000 + 60_000);
  if (shanghai(start).date !== shanghai(new Date(start.getTime() + 10 * 60_000)).date) {
    start = new Date(
      Date.parse(`${shanghai(new Date(start.getTime() + 600_000)).date}T00:00+08:00`),
    );
  }
  const end = new Date(start.getTime() + 10 * 60_000);
  return {
    startsAt: start,
    body: {
      date: shanghai(start).date,
      startTime: shanghai(start).time,
      endTime: shanghai(end).time,
    },
  };
}

describe.skipIf(!hasChromium && !e2eRequired)('the closed voucher loop in a browser', () => {
  let dir: string;
  const { launch, close, newPage, closePages } = browserPages(inject('baseUrl'));

  beforeAll(async () => {
    await launch();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jineng-loop-e2e-'));
  });

  afterAll(async () => {
    await close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    await closePages();
  });

  /** A staff account the administrator creates, logged in with its initial password changed. */
  async function staffAccount(admin: APIRequestContext, body: Record<string, string>) {
    return accountPage(admin, await newPage(), body, STAFF_PASSWORD);
  }

  it(
    'imports, issues, binds, trains, evaluates, certifies, redeems and verifies',
    { timeout: 8 * 60_000 },
    async () => {
      // The administrator imports the county's roster in the browser.
      const admin = await newPage();
      await logIn(admin, 'admin', E2E_ADMIN_PASSWORD, '/imports');
      const roster = path.join(dir, '闭环花名册.csv');
      await writeFile(roster, `姓名,身份证号码,现居住地\n${HOLDER},${ID_NUMBER},睢阳区\n`, 'utf8');
      await admin.locator('input[type="file"]').setInputFiles(roster);
      await admin.getByText('已导入', { exact: true }).waitFor();
      expect(
        (
          await admin
            .getByTestId('import-count-imported')
            .locator('.ant-statistic-content-value')
            .textContent()
        )?.trim(),
      ).toBe('1');

      // … and issues the worker a ¥1,500 voucher for 车工.
      await admin.getByRole('menu').getByRole('link', { name: '培训券', exact: true }).click();
      await admin.waitForURL(/\/vouchers$/);
      await admin.getByRole('button', { name: /发放给一人/ }).click();
      const issue = admin.getByRole('dialog');
      await issue.getByLabel('按身份证号查找').fill(ID_NUMBER);
      await issue.getByRole('button', { name: /搜\s*索/ }).click();
      await issue.getByText(`持券人: ${HOLDER}（${MASKED_ID_NUMBER}）`).waitFor();
      await pickOccupation(admin, issue, OCCUPATION);
      await issue.getByLabel('面额（元）').fill('1500');
      await issue.getByLabel('有效期至').click();
      await admin.keyboard.type('2099-12-31');
      await admin.keyboard.press('Enter');
      await issue.getByRole('button', { name: /发\s*放/ }).click();
      await admin.getByText(/已发放培训券 SQ\d{10}/).waitFor();

      // Set-up through the API: a training institution, an evaluation institution approved for
      // 车工 四级 at a site, and their staff.
      const api = admin.request;
      const school = await expectStatus<{ id: string }>(
        await api.post('/api/organisations', {
          data: { kind: 'training_institution', name: SCHOOL, regionCode: '411403' },
        }),
        201,
      );
      const evaluator = await evaluationInstitution(api, {
        organisation: { name: EVALUATOR, regionCode: '411403', institutionCode: INSTITUTION_CODE },
        site: { name: SITE_NAME, serialCode: SERIAL_CODE, regionCode: '411403' },
        occupationCode: OCCUPATION,
      });
      const trainer = await staffAccount(api, {
        username: 'e2e_loop_trainer',
        displayName: '闭环培训学校教务',
        role: 'training_staff',
        organisationId: school.id,
      });
      const examiner = await staffAccount(api, {
        username: 'e2e_loop_examiner',
        displayName: '闭环评价中心考务',
        role: 'evaluation_staff',
        organisationId: evaluator.id,
      });

      // The institution files the class (its form has its own tests); the administrator
      // approves it in the browser.
      const plan = await planWithUnit(api);
      const session = sessionSoon();
      const filed = await expectStatus<{ id: string }>(
        await trainer.request.post('/api/classes', {
          data: {
            name: CLASS_NAME,
            occupationCode: OCCUPATION,
            skillLevelKey: 'level4',
            planNo: plan.planNo,
            unitId: plan.unitId,
            trainingType: 'on_the_job_upgrade',
            regionCode: '411403',
            address: '睢阳区 e2e 路 9 号',
            capacity: 20,
            subsidyStandardFen: 120_000,
            attendanceThresholdPercent: 10,
            sessions: [session.body],
            submit: true,
          },
        }),
        201,
      );
      await admin.getByRole('menu').getByRole('link', { name: '培训班审核', exact: true }).click();
      const pending = admin.locator('tbody tr.ant-table-row', { hasText: CLASS_NAME });
      await pending.getByRole('button', { name: /批\s*准/ }).click();
      await admin.getByText('已批准开班').waitFor();

      // The worker registers on their phone.
      const phone = await newPage(true);
      const voucherId = await registerHolder(phone.request, {
        idNumber: ID_NUMBER,
        name: HOLDER,
        phone: PHONE,
        password: WORKER_PASSWORD,
      });

      // The institution binds the voucher with the code the worker's phone shows.
      await trainer.goto(`/classes/${filed.id}`);
      await trainer.getByRole('tab', { name: '学员名单' }).click();
      await trainer.getByRole('button', { name: /绑定培训券/ }).click();
      const bind = trainer.getByRole('dialog');
      // At the counter the worker shows the voucher's QR code (valid 60 s), which is scanned.
      await bind.getByLabel('二维码内容').fill(await voucherQrToken(phone.request, voucherId));
      await bind.getByRole('button', { name: /查\s*询/ }).click();
      await bind
        .getByText(`${HOLDER}（${MASKED_ID_NUMBER}）`)
        .waitFor()
        .catch(async (error: unknown) => {
          throw new Error(`${String(error)}\ndialog: ${await bind.innerText()}`);
        });
      await bind.getByRole('button', { name: /确认绑定/ }).click();
      await trainer.getByText(`已绑定，${HOLDER} 已报名本班`).waitFor();

      // The worker opens the classroom QR's link and is checked in.
      await trainer.getByRole('tab', { name: '课次与签到' }).click();
      await trainer.getByRole('button', { name: /签到二维码/ }).click();
      const checkInUrl = (await trainer.getByTestId('check-in-url').textContent())?.trim() ?? '';
      await trainer.keyboard.press('Escape');
      await phone.goto(checkInUrl);
      await phone.getByText('签到成功').waitFor();

      // A minute into the session, the institution checks them out by hand …
      const waitMs = session.startsAt.getTime() + 65_000 - Date.now();
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      await trainer.getByRole('button', { name: /签到表/ }).click();
      const sheet = trainer.getByRole('dialog');
      await sheet.getByRole('button', { name: '补签退' }).click();
      const reason = trainer.getByRole('dialog').filter({ hasText: '补签退：' });
      await reason.getByLabel('原因（必填）').fill('e2e 提前离场，签退机故障');
      await reason.getByRole('button', { name: /确\s*定|OK/ }).click();
      await sheet.getByText('补录').waitFor();
      await trainer.keyboard.press('Escape');

      // … and records the pass.
      await trainer.reload();
      await trainer.getByRole('tab', { name: '结业考核' }).click();
      await trainer
        .getByRole('radiogroup', { name: `结业结果 ${HOLDER}` })
        .getByText('合格', { exact: true })
        .click();
      await trainer.getByRole('button', { name: /提交结业考核/ }).click();
      await trainer.getByText('已记录结业考核结果').waitFor();

      // The evaluation institution schedules a session today, adds the worker, scores and submits.
      await examiner.goto('/evaluations');
      await evaluateToday(
        examiner,
        { siteName: SITE_NAME, serialCode: SERIAL_CODE, occupation: OCCUPATION },
        { idNumber: ID_NUMBER, name: HOLDER, theory: '78', practical: '85' },
      );
      const number = await submitEvaluation(examiner);
      expect(number).toMatch(new RegExp(`^S${INSTITUTION_CODE}41${SERIAL_CODE}\\d{2}4000001$`));

      // The institution redeems the now-certified voucher: ¥1,200, the lower of the two.
      await trainer.goto('/claims?tab=redeem');
      await trainer.getByRole('button', { name: /申请兑现/ }).click();
      await trainer
        .getByRole('dialog')
        .filter({ hasText: '兑现培训券' })
        .getByRole('button', { name: /申请兑现/ })
        .click();
      await trainer.getByTestId('claim-number').waitFor();
      const claim = (await trainer.getByTestId('claim-number').textContent())?.trim() ?? '';
      expect(claim).toMatch(/^BT\d{10}$/);
      await trainer.getByText('1200.00 元').first().waitFor();
      await trainer.keyboard.press('Escape');
      await trainer.goto('/claims');
      await trainer.locator('tbody tr.ant-table-row', { hasText: claim }).waitFor();

      // Anyone can check the certificate from its QR link, without logging in.
      const stranger = await newPage(true);
      await stranger.goto(`/verify?no=${number}&name=${encodeURIComponent(HOLDER)}`);
      await stranger.getByText('有效', { exact: true }).waitFor();
      await stranger.getByText('吴*').waitFor();

      for (const page of [admin, trainer, examiner, phone, stranger]) {
        expect(await page.content()).not.toContain(ID_NUMBER);
      }
    },
  );
});
