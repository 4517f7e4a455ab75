import { type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { FIXTURE_ID_NUMBERS, FIXTURE_PASSWORDS } from '../apps/api/test/fixtures/sensitive.js';
import { E2E_ADMIN_PASSWORD } from './global-setup.js';
import { browserPages, e2eRequired, expectStatus, hasChromium, shanghai } from './browser.js';

/**
 * From the fixtures the leak scan knows (apps/api/test/fixtures/sensitive.ts), and used by no
 * other browser test: they all share one server.
 */
const ID_NUMBER = FIXTURE_ID_NUMBERS[8];
const MASKED_ID_NUMBER = '411402********0041';
const HOLDER = '周八';
const STAFF_USERNAME = 'e2e_evaluator';
const STAFF_PASSWORD = FIXTURE_PASSWORDS[0];
const INSTITUTION_CODE = '0417';
const SERIAL_CODE = '641702';
const SITE_NAME = 'e2e 梁园考点';
const OCCUPATION = '4-10-01-01';

describe.skipIf(!hasChromium && !e2eRequired)(
  'evaluation, certificate and check in a browser',
  () => {
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

    /** What anyone sees after scanning the certificate's QR code, without logging in. */
    async function publicCheck(url: string): Promise<Page> {
      const phone = await newPage(true);
      await phone.goto(url);
      return phone;
    }

    it('evaluates a candidate, issues a certificate anyone can check, and shows its revocation', async () => {
      // The city administrator sets the scene through the API: an evaluation institution with a
      // site approved for the occupation, its staff account, and a registered person.
      const adminPage = await newPage();
      const admin = adminPage.request;
      await expectStatus(
        await admin.post('/api/auth/login', {
          data: { username: 'admin', password: E2E_ADMIN_PASSWORD },
        }),
        200,
      );
      const organisation = await expectStatus<{ id: string }>(
        await admin.post('/api/organisations', {
          data: {
            kind: 'evaluation_institution',
            name: '商丘市 e2e 职业技能评价中心',
            regionCode: '411402',
            evaluationType: 'S',
            institutionCode: INSTITUTION_CODE,
          },
        }),
        201,
      );
      const site = await expectStatus<{ id: string }>(
        await admin.post(`/api/organisations/${organisation.id}/sites`, {
          data: { name: SITE_NAME, serialCode: SERIAL_CODE, regionCode: '411402' },
        }),
        201,
      );
      await expectStatus(
        await admin.post(`/api/organisations/${organisation.id}/sites/${site.id}/scopes`, {
          data: {
            occupationCode: OCCUPATION,
            skillLevelKey: 'level4',
            validFrom: '2020-01-01',
            validTo: '2099-12-31',
          },
        }),
        201,
      );
      const staffAccount = await expectStatus<{ initialPassword: string }>(
        await admin.post('/api/users', {
          data: {
            username: STAFF_USERNAME,
            displayName: '评价中心考务',
            role: 'evaluation_staff',
            organisationId: organisation.id,
          },
        }),
        201,
      );
      await expectStatus(
        await admin.post('/api/persons', {
          data: { idNumber: ID_NUMBER, name: HOLDER, residenceRegionCode: '411402' },
        }),
        201,
      );

      // The institution's staff log in; the initial password must be changed first.
      const staff = await newPage();
      await staff.goto('/login');
      await staff.getByLabel('用户名或手机号').fill(STAFF_USERNAME);
      await staff.getByLabel('密码').fill(staffAccount.initialPassword);
      await staff.getByRole('button', { name: /登\s*录/ }).click();
      await staff.waitForURL(/\/account\/password/);
      await staff.getByLabel('当前密码').fill(staffAccount.initialPassword);
      await staff.getByLabel('新密码', { exact: true }).fill(STAFF_PASSWORD);
      await staff.getByLabel('确认新密码').fill(STAFF_PASSWORD);
      await staff.getByRole('button', { name: '确认修改' }).click();
      await staff.waitForURL((url) => url.pathname === '/');

      // They schedule a session at their site, today, inside the approval.
      await staff.getByRole('menu').getByRole('link', { name: '技能评价', exact: true }).click();
      await staff.waitForURL(/\/evaluations$/);
      await staff.getByRole('button', { name: /安排评价/ }).click();
      const schedule = staff.getByRole('dialog');
      await schedule.getByLabel('评价站点', { exact: true }).click();
      await staff
        .locator(`.ant-select-item-option[title="${SITE_NAME}（${SERIAL_CODE}）"]`)
        .click();
      await schedule.getByLabel('职业（工种）', { exact: true }).click();
      await staff.keyboard.type(OCCUPATION);
      await staff.locator(`.ant-select-item-option[title^="${OCCUPATION}"]`).click();
      await schedule.getByLabel('评价日期').click();
      await staff.keyboard.type(shanghai(new Date()).date);
      await staff.keyboard.press('Enter');
      await schedule.getByRole('button', { name: /安\s*排/ }).click();
      await staff.waitForURL(/\/evaluations\/[0-9a-f-]{36}$/);

      // The candidate is added by ID number, and scored.
      await staff.getByRole('button', { name: /添加考生/ }).click();
      const add = staff.getByRole('dialog');
      await add.getByLabel('身份证号', { exact: true }).fill(ID_NUMBER);
      await add.getByRole('button', { name: /添\s*加/ }).click();
      await add.waitFor({ state: 'detached' });
      const row = staff.locator('tbody tr.ant-table-row', { hasText: HOLDER });
      await row.waitFor();
      expect(await row.textContent()).toContain(MASKED_ID_NUMBER);
      expect(await staff.content()).not.toContain(ID_NUMBER);
      await staff.getByLabel(`${HOLDER}的理论成绩`).fill('82');
      await staff.getByLabel(`${HOLDER}的实操成绩`).fill('76');
      await staff.getByRole('button', { name: `保存${HOLDER}的成绩` }).click();
      await row.getByText('合格', { exact: true }).waitFor();

      // Submitting locks the results and issues the certificate.
      await staff.getByRole('button', { name: /提交结果/ }).click();
      const confirm = staff.getByRole('dialog').filter({ hasText: '提交评价结果？' });
      await confirm.getByRole('button', { name: /提交结果/ }).click();
      await staff.getByText('结果已提交并锁定。').waitFor();
      const numberCell = staff.getByTestId('certificate-number');
      await numberCell.waitFor();
      const number = (await numberCell.textContent())?.trim() ?? '';
      expect(number).toMatch(new RegExp(`^S${INSTITUTION_CODE}41${SERIAL_CODE}\\d{2}4\\d{6}$`));

      // The print view is an A4 page in Chinese with the QR code of the public check.
      await staff.getByRole('link', { name: '打印证书' }).click();
      await staff.waitForURL(/\/certificates\/[0-9a-f-]{36}\/print$/);
      const sheet = staff.getByTestId('certificate-sheet');
      await sheet.getByText('职业技能等级证书').waitFor();
      await sheet.getByText(number).waitFor();
      await sheet.getByText(MASKED_ID_NUMBER).waitFor();
      await staff.getByTestId('certificate-qr').locator('svg').waitFor();
      const certificateId = /\/certificates\/([0-9a-f-]{36})\/print$/.exec(staff.url())?.[1];
      expect(await staff.content()).not.toContain(ID_NUMBER);

      // Anyone can check it by the link in the QR code, without logging in.
      const verifyUrl = `/verify?no=${number}&name=${encodeURIComponent(HOLDER)}`;
      const before = await publicCheck(verifyUrl);
      await before.getByText('有效', { exact: true }).waitFor();
      await before.getByText('周*').waitFor();
      await before.getByText('商丘市 e2e 职业技能评价中心').waitFor();
      expect(await before.content()).not.toContain(ID_NUMBER);

      // The administrator revokes it, with a reason …
      await adminPage.goto(`/certificates/${certificateId}`);
      await adminPage.getByRole('button', { name: /撤销证书/ }).click();
      const revoke = adminPage.getByRole('dialog');
      await revoke.getByLabel('撤销原因').fill('e2e 考试舞弊');
      await revoke.getByRole('button', { name: /确认撤销/ }).click();
      await revoke.waitFor({ state: 'detached' });
      await adminPage.getByText('e2e 考试舞弊').first().waitFor();

      // … and the public check says so (a fresh phone: nothing cached).
      const after = await publicCheck(verifyUrl);
      await after.getByText('已撤销', { exact: true }).waitFor();
      await after.getByText('e2e 考试舞弊').waitFor();
    });
  },
);
