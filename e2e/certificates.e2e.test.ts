import { type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { FIXTURE_ID_NUMBERS, FIXTURE_PASSWORDS } from '../apps/api/test/fixtures/sensitive.js';
import { createAccount, evaluationInstitution, logInAsAdmin } from './arrange.js';
import {
  browserPages,
  e2eRequired,
  evaluateToday,
  expectStatus,
  hasChromium,
  logInFirstTime,
  submitEvaluation,
} from './browser.js';

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
      await logInAsAdmin(admin);
      const organisation = await evaluationInstitution(admin, {
        organisation: {
          name: '商丘市 e2e 职业技能评价中心',
          regionCode: '411402',
          institutionCode: INSTITUTION_CODE,
        },
        site: { name: SITE_NAME, serialCode: SERIAL_CODE, regionCode: '411402' },
        occupationCode: OCCUPATION,
      });
      const initialPassword = await createAccount(admin, {
        username: STAFF_USERNAME,
        displayName: '评价中心考务',
        role: 'evaluation_staff',
        organisationId: organisation.id,
      });
      await expectStatus(
        await admin.post('/api/persons', {
          data: { idNumber: ID_NUMBER, name: HOLDER, residenceRegionCode: '411402' },
        }),
        201,
      );

      // The institution's staff log in; the initial password must be changed first.
      const staff = await newPage();
      await logInFirstTime(staff, STAFF_USERNAME, initialPassword, STAFF_PASSWORD);

      // They schedule a session at their site, today, inside the approval, add the candidate by
      // ID number, and score them.
      await staff.getByRole('menu').getByRole('link', { name: '技能评价', exact: true }).click();
      await staff.waitForURL(/\/evaluations$/);
      const row = await evaluateToday(
        staff,
        { siteName: SITE_NAME, serialCode: SERIAL_CODE, occupation: OCCUPATION },
        { idNumber: ID_NUMBER, name: HOLDER, theory: '82', practical: '76' },
      );
      expect(await row.textContent()).toContain(MASKED_ID_NUMBER);
      expect(await staff.content()).not.toContain(ID_NUMBER);

      // Submitting locks the results and issues the certificate.
      const number = await submitEvaluation(staff);
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
