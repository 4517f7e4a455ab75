import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';
import { accountWithSession, type TestAccount } from '../test/auth.js';
import { FIXTURE_ID_NUMBERS } from '../test/fixtures/sensitive.js';
import ExcelJS from './platform/excel.js';

/*
 * The whole closed loop of the policy (发券—培训—评价—持证—兑现) through the API, as its users
 * drive it: a roster import registers the worker, the county issues a voucher, the institution
 * files a class that the county approves, binds the voucher with the QR the holder shows, the
 * holder checks in and out by scanning the session QR, the institution records the pass, an
 * evaluation institution evaluates and certifies, and the institution redeems the voucher for a
 * training-subsidy claim of min(voucher value, class subsidy standard), which the county and the
 * city review and finance pays through a bank file. Anyone can verify the certificate. Each step
 * asserts what its user would see.
 */

const ID_NUMBER = FIXTURE_ID_NUMBERS[6]; // 411426200109300058, born in 夏邑县
const NAME = '王芳';
const LATHE = '6-18-01-01'; // 车工

let t: TestApp;
let city: TestAccount;
let county: TestAccount; // 睢阳区 411403
let worker: TestAccount; // the imported person's own account
let trainer: TestAccount; // the training institution's staff
let personId: string; // the imported worker
let planUnit: { planNo: number; unitId: string }; // the plan and unit classes are filed under

type Json = Record<string, unknown>;

async function call(account: TestAccount | null, method: string, url: string, payload?: Json) {
  const response = await t.app.inject({
    method: method as 'GET',
    url,
    headers: account?.headers ?? {},
    ...(payload ? { payload } : {}),
  });
  return { status: response.statusCode, body: response.json<Json>() };
}

function csvUpload(text: string) {
  const boundary = `----jineng${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="花名册.csv"\r\n` +
        'Content-Type: text/csv\r\n\r\n',
    ),
    Buffer.from(text, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

beforeAll(async () => {
  t = await createTestApp('2026-03-15T02:00:00Z'); // 10:00 in Shanghai
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { now });
  county = await accountWithSession(t.db, 'county_admin', {
    now,
    anchors: { regionCode: '411403' },
  });
  planUnit = await t.db
    .selectFrom('planUnits')
    .select(['planNo', 'unitId'])
    .where('planNo', '=', 1)
    .executeTakeFirstOrThrow();
});

afterAll(async () => {
  await t.close();
});

describe('the closed voucher loop, roster import to the subsidy paid', () => {
  it('issues, binds, trains, completes, certifies, redeems, pays and verifies', async () => {
    // 1. The county imports its roster: the worker is registered in 睢阳区.
    const upload = csvUpload(`姓名,身份证号码,现居住地\n${NAME},${ID_NUMBER},睢阳区\n`);
    const imported = await t.app.inject({
      method: 'POST',
      url: '/api/imports/persons',
      headers: { ...county.headers, ...upload.headers },
      payload: upload.payload,
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ imported: 1, rejectedRows: 0 });
    const person = await t.db
      .selectFrom('persons')
      .select(['id', 'regionCode', 'idNumberMasked'])
      .where('name', '=', NAME)
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({ regionCode: '411403', idNumberMasked: '411426********0058' });
    personId = person.id;
    worker = await accountWithSession(t.db, 'worker', {
      now: t.clock.now(),
      anchors: { personId: person.id },
    });

    // 2. The county issues a ¥1,500 voucher for 车工.
    const issued = await call(county, 'POST', '/api/vouchers', {
      personId: person.id,
      occupationCode: LATHE,
      valueFen: 150_000,
      validTo: '2026-12-31',
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const voucherId = issued.body.id as string;
    expect(issued.body).toMatchObject({ state: 'issued', holderName: NAME, valueFen: 150_000 });

    // 3. A training institution files a class (¥1,200 subsidy standard); the county approves it.
    const school = await call(city, 'POST', '/api/organisations', {
      kind: 'training_institution',
      name: '睢阳区阳光职业培训学校',
      regionCode: '411403',
    });
    expect(school.status, JSON.stringify(school.body)).toBe(201);
    const schoolId = school.body.id as string;
    trainer = await accountWithSession(t.db, 'training_staff', {
      now: t.clock.now(),
      anchors: { organisationId: schoolId },
    });
    const filed = await call(trainer, 'POST', '/api/classes', {
      name: '车工岗前培训班',
      occupationCode: LATHE,
      skillLevelKey: 'level5',
      planNo: planUnit.planNo,
      unitId: planUnit.unitId,
      trainingType: 'pre_job',
      regionCode: '411403',
      address: '睢阳区文化路1号',
      capacity: 30,
      subsidyStandardFen: 120_000,
      sessions: [{ date: '2026-03-20', startTime: '09:00', endTime: '12:00' }],
      submit: true,
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const classId = filed.body.id as string;
    const approved = await call(county, 'POST', `/api/classes/${classId}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const sessionId = (approved.body.sessions as unknown as { id: string }[])[0]?.id ?? '';

    // 4. The holder shows the voucher QR; the institution looks it up and binds it.
    const qr = await call(worker, 'GET', `/api/me/vouchers/${voucherId}/qr`);
    expect(qr.status, JSON.stringify(qr.body)).toBe(200);
    const token = qr.body.token as string;
    const lookup = await call(trainer, 'POST', '/api/vouchers/lookup', { classId, token });
    expect(lookup.status, JSON.stringify(lookup.body)).toBe(200);
    expect(lookup.body).toMatchObject({
      holder: { name: NAME, idNumberMasked: '411426********0058' },
      bindable: true,
    });
    const bound = await call(trainer, 'POST', `/api/vouchers/${voucherId}/bind`, {
      classId,
      token,
    });
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    expect(bound.body.voucher).toMatchObject({
      state: 'bound',
      classId,
      subsidyStandardFen: 120_000,
      amountPayableFen: 120_000,
    });

    // 5. On the day, the holder scans the session QR to check in and out.
    await t.moveClock('2026-03-20T00:55:00Z'); // 08:55
    const screen = await call(trainer, 'GET', `/api/classes/${classId}/sessions/${sessionId}/qr`);
    expect(screen.status, JSON.stringify(screen.body)).toBe(200);
    const checkIn = await call(
      worker,
      'POST',
      `/api/classes/${classId}/sessions/${sessionId}/checkins`,
      { method: 'qr', token: screen.body.token as string },
    );
    expect(checkIn.status, JSON.stringify(checkIn.body)).toBe(201);
    expect((await call(county, 'GET', `/api/vouchers/${voucherId}`)).body.state).toBe(
      'in_training',
    );
    await t.moveClock('2026-03-20T04:05:00Z'); // 12:05
    const screenLater = await call(
      trainer,
      'GET',
      `/api/classes/${classId}/sessions/${sessionId}/qr`,
    );
    expect(screenLater.status, JSON.stringify(screenLater.body)).toBe(200);
    const checkOut = await call(
      worker,
      'POST',
      `/api/classes/${classId}/sessions/${sessionId}/checkouts`,
      { method: 'qr', token: screenLater.body.token as string },
    );
    expect(checkOut.status, JSON.stringify(checkOut.body)).toBe(200);

    // 6. The institution records the pass: the voucher is completed, but nothing is payable
    //    without a certificate (无证无价).
    const completed = await call(trainer, 'POST', `/api/classes/${classId}/completions`, {
      results: [{ personId: person.id, result: 'passed', score: 88 }],
    });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    expect((await call(county, 'GET', `/api/vouchers/${voucherId}`)).body.state).toBe('completed');
    const tooEarly = await call(trainer, 'POST', `/api/vouchers/${voucherId}/redeem`);
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.code).toBe('VOUCHER_NOT_CERTIFIED');
    expect(await t.db.selectFrom('subsidyClaims').select('id').execute()).toEqual([]);

    // 7. An evaluation institution approved for 车工 五级 evaluates the class and certifies.
    const evaluator = await call(city, 'POST', '/api/organisations', {
      kind: 'evaluation_institution',
      name: '商丘市技能评价中心',
      regionCode: '411403',
      evaluationType: 'S',
      institutionCode: '0000',
    });
    expect(evaluator.status, JSON.stringify(evaluator.body)).toBe(201);
    const evaluatorId = evaluator.body.id as string;
    const site = await call(city, 'POST', `/api/organisations/${evaluatorId}/sites`, {
      name: '睢阳考点',
      serialCode: '100001',
      regionCode: '411403',
    });
    expect(site.status, JSON.stringify(site.body)).toBe(201);
    const siteId = site.body.id as string;
    const scope = await call(
      city,
      'POST',
      `/api/organisations/${evaluatorId}/sites/${siteId}/scopes`,
      {
        occupationCode: LATHE,
        skillLevelKey: 'level5',
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
      },
    );
    expect(scope.status, JSON.stringify(scope.body)).toBe(201);
    const examiner = await accountWithSession(t.db, 'evaluation_staff', {
      now: t.clock.now(),
      anchors: { organisationId: evaluatorId },
    });
    await t.moveClock('2026-03-25T01:00:00Z');
    const session = await call(examiner, 'POST', '/api/evaluation-sessions', {
      siteId,
      occupationCode: LATHE,
      skillLevelKey: 'level5',
      heldOn: '2026-03-25',
    });
    expect(session.status, JSON.stringify(session.body)).toBe(201);
    const evaluationId = session.body.id as string;
    const fromClass = await call(
      examiner,
      'POST',
      `/api/evaluation-sessions/${evaluationId}/candidates/from-class`,
      { classId },
    );
    expect(fromClass.status, JSON.stringify(fromClass.body)).toBe(200);
    expect(fromClass.body.added).toBe(1);
    const candidateId = (fromClass.body.candidates as unknown as { id: string }[])[0]?.id ?? '';
    const scored = await call(
      examiner,
      'PUT',
      `/api/evaluation-sessions/${evaluationId}/candidates/${candidateId}/scores`,
      { theoryScore: 82, practicalScore: 90 },
    );
    expect(scored.status, JSON.stringify(scored.body)).toBe(200);
    expect(scored.body.result).toBe('pass');
    const submitted = await call(
      examiner,
      'POST',
      `/api/evaluation-sessions/${evaluationId}/submit`,
    );
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    const certificate = (submitted.body.issued as unknown as Json[])[0] ?? {};
    // S + institution 0000 + Henan 41 + site 100001 + 2026 + 五级 + serial 1.
    expect(certificate).toMatchObject({
      number: 'S000041100001265000001',
      holderName: NAME,
      holderIdNumberMasked: '411426********0058',
      status: 'valid',
    });
    const certified = await call(county, 'GET', `/api/vouchers/${voucherId}`);
    expect(certified.body.state).toBe('certified');

    // 8. The institution redeems: one claim for min(¥1,500, ¥1,200) = ¥1,200, payable to it.
    const redeemed = await call(trainer, 'POST', `/api/vouchers/${voucherId}/redeem`);
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(201);
    expect(redeemed.body.voucher).toMatchObject({ state: 'redeemed' });
    expect(redeemed.body.claim).toMatchObject({
      kind: 'training',
      status: 'submitted',
      amountFen: 120_000,
      payeeOrganisationId: schoolId,
      personId: person.id,
      voucherId,
      certificateId: certificate.id,
    });
    const claims = await call(trainer, 'GET', '/api/subsidy-claims');
    expect(claims.body.total).toBe(1);

    // 9. Anyone can verify the certificate, without logging in.
    const verified = await call(
      null,
      'GET',
      `/api/public/certificates/verify?no=${String(certificate.number)}&name=${encodeURIComponent(NAME)}`,
    );
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      result: 'valid',
      certificate: { number: 'S000041100001265000001', holderNameMasked: '王*' },
    });

    // 10. The county reviews first, the city approves naming the fund, finance pays it in a
    // batch: the bank file goes out, the bank pays the line, the claim is paid and the books
    // balance.
    const claimId = String((redeemed.body.claim as Json).id);
    const firstReview = await call(county, 'POST', `/api/subsidy-claims/${claimId}/review`, {
      decision: 'approve',
    });
    expect(firstReview.body.status).toBe('first_approved');
    const finalReview = await call(city, 'POST', `/api/subsidy-claims/${claimId}/review`, {
      decision: 'approve',
      fundCode: 'employment_subsidy',
    });
    expect(finalReview.body).toMatchObject({ status: 'approved', fundCode: 'employment_subsidy' });
    const account = await call(city, 'PATCH', `/api/organisations/${schoolId}`, {
      bankName: '中国工商银行商丘分行',
      bankAccountName: '商丘市职业技能培训学校',
      bankAccountNo: '1716020109000012345',
    });
    expect(account.status, JSON.stringify(account.body)).toBe(200);
    const finance = await accountWithSession(t.db, 'finance', { now: t.clock.now() });
    const batch = await call(finance, 'POST', '/api/payment-batches', {
      fundCode: 'employment_subsidy',
      payerRegionCode: null,
      claimIds: [claimId],
    });
    expect(batch.status, JSON.stringify(batch.body)).toBe(201);
    expect(batch.body).toMatchObject({ status: 'open', lineCount: 1, totalFen: 120_000 });
    const batchId = String(batch.body.id);
    expect((await call(finance, 'POST', `/api/payment-batches/${batchId}/export`)).status).toBe(
      200,
    );
    const bankFile = await t.app.inject({
      url: `/api/payment-batches/${batchId}/bank-file`,
      headers: finance.headers,
    });
    expect(bankFile.statusCode).toBe(200);
    expect(bankFile.headers['content-disposition']).toContain(`${String(batch.body.number)}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bankFile.rawPayload as unknown as ArrayBuffer);
    const line = (workbook.worksheets[0]?.getRow(3).values as unknown[] | undefined)?.slice(1);
    // The school's account, ¥1,200, and the claim's number for the bank's remittance.
    expect(line?.slice(0, 6)).toEqual([
      1,
      '睢阳区阳光职业培训学校',
      '中国工商银行商丘分行',
      '商丘市职业技能培训学校',
      '1716020109000012345',
      1200,
    ]);
    expect(line?.[7]).toBe((redeemed.body.claim as Json).number);
    const results = await call(finance, 'POST', `/api/payment-batches/${batchId}/results`, {
      lines: [{ lineNo: 1, outcome: 'paid', bankReference: 'ICBC20260315000001' }],
    });
    expect(results.body).toMatchObject({ status: 'settled', paid: 1 });
    const paid = await call(trainer, 'GET', `/api/subsidy-claims/${claimId}`);
    expect(paid.body).toMatchObject({ status: 'paid', amountFen: 120_000 });
    const books = await call(city, 'GET', '/api/ledger/trial-balance');
    expect(books.body.total).toMatchObject({ balanceFen: 0 });
    const statement = await call(trainer, 'GET', '/api/ledger/statement');
    expect(statement.body.closing).toMatchObject({ payableFen: 0, receivableFen: 0 });

    // The voucher's history tells the whole story, one transition at a time.
    const history = await t.db
      .selectFrom('voucherEvents')
      .select(['fromState', 'toState'])
      .where('voucherId', '=', voucherId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    expect(history.map((e) => `${e.fromState ?? '—'}→${e.toState}`)).toEqual([
      '—→issued',
      'issued→bound',
      'bound→in_training',
      'in_training→completed',
      'completed→certified',
      'certified→redeemed',
    ]);
  });

  it('forfeits the voucher of a trainee who fails the completion assessment', async () => {
    // A second voucher in another occupation, bound to a fresh class of the same institution.
    const issued = await call(county, 'POST', '/api/vouchers', {
      personId,
      occupationCode: '6-18-01-02', // 铣工
      valueFen: 100_000,
      validTo: '2026-12-31',
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const filed = await call(trainer, 'POST', '/api/classes', {
      name: '铣工培训班',
      occupationCode: '6-18-01-02',
      skillLevelKey: 'level5',
      planNo: planUnit.planNo,
      unitId: planUnit.unitId,
      trainingType: 'pre_job',
      regionCode: '411403',
      address: '睢阳区文化路1号',
      capacity: 30,
      subsidyStandardFen: 90_000,
      sessions: [{ date: '2026-04-10', startTime: '09:00', endTime: '12:00' }],
      submit: true,
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const classId = filed.body.id as string;
    expect((await call(county, 'POST', `/api/classes/${classId}/approve`)).status).toBe(200);
    const qr = await call(worker, 'GET', `/api/me/vouchers/${String(issued.body.id)}/qr`);
    expect(qr.status, JSON.stringify(qr.body)).toBe(200);
    const bound = await call(trainer, 'POST', `/api/vouchers/${String(issued.body.id)}/bind`, {
      classId,
      token: qr.body.token as string,
    });
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    await t.moveClock('2026-04-10T03:30:00Z');
    const failed = await call(trainer, 'POST', `/api/classes/${classId}/completions`, {
      results: [{ personId, result: 'failed', note: '未参加' }],
    });
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    const after = await call(county, 'GET', `/api/vouchers/${String(issued.body.id)}`);
    expect(after.body.state).toBe('forfeited');
  });
});
