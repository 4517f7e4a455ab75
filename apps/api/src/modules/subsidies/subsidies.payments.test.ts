import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  insertBarePerson,
  type TestAccount,
} from '../../../test/auth.js';
import { insertCertificate } from '../../../test/redemption.js';
import ExcelJS from '../../platform/excel.js';
import { uuidv7 } from '../../platform/ids.js';
import { formatClaimNumber } from './subsidies.rules.js';

let t: TestApp;
let city: TestAccount; // the final reviewer
let county: TestAccount; // the first reviewer (claims are inserted first-approved by it)
let finance: TestAccount;
let auditor: TestAccount;
let payee: string; // an evaluation institution with a bank account
let noBank: string; // one without

const LATHE = '6-18-01-01';
const ACCOUNT_NO = '6217000012345678901'; // 19 digits: a number would lose the last ones
const EMPLOYMENT = 'employment_subsidy';

async function withBank(organisationId: string, accountNo = ACCOUNT_NO): Promise<void> {
  await t.db
    .updateTable('organisations')
    .set({
      bankName: '中国建设银行商丘分行',
      bankAccountName: '商丘市测试评价中心',
      bankAccountNo: accountNo,
    })
    .where('id', '=', organisationId)
    .execute();
}

/** A first-approved evaluation claim (by the county account) on a fresh certificate. */
async function firstApprovedClaim(
  payeeId: string,
  amountFen: number,
  options: { payerRegionCode?: string | null } = {},
): Promise<{ id: string; number: string; certificateId: string }> {
  const now = t.clock.now();
  const personId = await insertBarePerson(t.db, now);
  const certificate = await insertCertificate(t.db, {
    personId,
    organisationId: payeeId,
    occupationCode: LATHE,
    skillLevelKey: 'level4',
    issuedOn: '2026-03-01',
    now,
  });
  const serial = await sql<{
    s: string;
  }>`SELECT nextval('subsidy_claim_serial_seq') AS s`.execute(t.db);
  const id = uuidv7();
  const number = formatClaimNumber(2026, Number(serial.rows[0]?.s));
  await t.db
    .insertInto('subsidyClaims')
    .values({
      id,
      number,
      kind: 'evaluation',
      payeeOrganisationId: payeeId,
      personId,
      amountFen,
      voucherId: null,
      classId: null,
      certificateId: certificate.id,
      occupationCode: LATHE,
      skillLevelKey: 'level4',
      specialAbilityId: null,
      evidence: '{}',
      status: 'first_approved',
      flaggedAt: null,
      flagReason: null,
      regionCode: '411403',
      createdBy: null,
      createdAt: now,
      updatedAt: now,
      firstReviewedBy: county.id,
      firstReviewedAt: now,
      payerRegionCode: options.payerRegionCode ?? null,
    })
    .execute();
  return { id, number, certificateId: certificate.id };
}

function approve(claimId: string, fundCode = EMPLOYMENT) {
  return t.app.inject({
    method: 'POST',
    url: `/api/subsidy-claims/${claimId}/review`,
    headers: city.headers,
    payload: { decision: 'approve', fundCode },
  });
}

async function approvedClaim(
  payeeId: string,
  amountFen: number,
  options: { fundCode?: string; payerRegionCode?: string | null } = {},
) {
  const claim = await firstApprovedClaim(payeeId, amountFen, options);
  const res = await approve(claim.id, options.fundCode);
  expect(res.statusCode, res.body).toBe(200);
  return claim;
}

function post(as: TestAccount, url: string, payload?: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url, headers: as.headers, payload: payload ?? {} });
}

function get(as: TestAccount, url: string) {
  return t.app.inject({ url, headers: as.headers });
}

function build(claimIds: string[], fundCode = EMPLOYMENT, payerRegionCode: string | null = null) {
  return post(finance, '/api/payment-batches', { fundCode, payerRegionCode, claimIds });
}

async function exportedBatch(claimIds: string[], fundCode = EMPLOYMENT) {
  const built = await build(claimIds, fundCode);
  expect(built.statusCode, built.body).toBe(201);
  const id: string = built.json().id;
  expect((await post(finance, `/api/payment-batches/${id}/export`)).statusCode).toBe(200);
  return built.json() as { id: string; number: string; lines: { lineNo: number }[] };
}

function results(batchId: string, lines: Record<string, unknown>[]) {
  return post(finance, `/api/payment-batches/${batchId}/results`, { lines });
}

async function payAll(claimIds: string[], fundCode = EMPLOYMENT) {
  const batch = await exportedBatch(claimIds, fundCode);
  const res = await results(
    batch.id,
    batch.lines.map((l) => ({ lineNo: l.lineNo, outcome: 'paid' })),
  );
  expect(res.statusCode, res.body).toBe(200);
  return batch;
}

async function claimStatus(id: string) {
  return t.db
    .selectFrom('subsidyClaims')
    .select(['status', 'paidAt', 'clawedBackAt', 'flaggedAt'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** The claim's ledger entries: kind and the signed amount per account kind. */
async function entriesOf(claimId: string) {
  const rows = await t.db
    .selectFrom('ledgerEntries as e')
    .innerJoin('ledgerLines as l', 'l.entryId', 'e.id')
    .innerJoin('ledgerAccounts as a', 'a.id', 'l.accountId')
    .select(['e.kind', 'a.kind as account', 'l.amountFen'])
    .where('e.claimId', '=', claimId)
    .orderBy('e.postedAt')
    .orderBy('e.id')
    .orderBy('l.amountFen', 'desc')
    .execute();
  return rows.map((r) => `${r.kind} ${r.account} ${Number(r.amountFen)}`);
}

async function events(claimId: string) {
  const rows = await t.db
    .selectFrom('claimEvents')
    .select(['action', 'toStatus'])
    .where('claimId', '=', claimId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => `${r.action}:${r.toStatus}`);
}

beforeAll(async () => {
  t = await createTestApp('2026-03-15T02:00:00Z');
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { now });
  county = await accountWithSession(t.db, 'county_admin', { now });
  finance = await accountWithSession(t.db, 'finance', { now });
  auditor = await accountWithSession(t.db, 'auditor', { now });
  payee = await insertBareOrganisation(t.db, 'evaluation_institution', {
    now,
    name: '商丘市测试评价中心',
  });
  await withBank(payee);
  noBank = await insertBareOrganisation(t.db, 'evaluation_institution', { now });
});

afterEach(async () => {
  const res = await get(auditor, '/api/ledger/trial-balance');
  expect(res.statusCode).toBe(200);
  expect(res.json().total.balanceFen).toBe(0);
});

afterAll(async () => {
  await t.close();
});

describe('payment batches and the bank file', () => {
  it('batches approved claims, leaves out a payee without an account, and writes the bank file', async () => {
    const a = await approvedClaim(payee, 24_000);
    const b = await approvedClaim(payee, 12_345);
    const c = await approvedClaim(noBank, 20_000);
    const built = await build([a.id, b.id, c.id]);
    expect(built.statusCode, built.body).toBe(201);
    const batch = built.json();
    expect(batch).toMatchObject({
      number: expect.stringMatching(/^ZF26[0-9]{8}$/),
      fundCode: EMPLOYMENT,
      fundName: '就业补助资金',
      payerRegionCode: null,
      payerName: '商丘市',
      status: 'open',
      lineCount: 2,
      totalFen: 36_345,
      pendingCount: 2,
      skipped: [{ claimId: c.id, number: c.number, reason: 'NO_BANK_ACCOUNT' }],
    });
    expect(
      batch.lines.map((l: Record<string, unknown>) => [
        l.lineNo,
        l.claimNumber,
        l.amountFen,
        l.bankAccountNo,
        l.status,
        l.personIdNumberMasked,
      ]),
    ).toEqual([
      [1, a.number, 24_000, ACCOUNT_NO, 'pending', '411402********0011'],
      [2, b.number, 12_345, ACCOUNT_NO, 'pending', '411402********0011'],
    ]);
    expect((await claimStatus(a.id)).status).toBe('in_batch');
    expect((await claimStatus(c.id)).status).toBe('approved');
    expect(await events(a.id)).toEqual(['approve:approved', 'batch:in_batch']);

    const file = await get(auditor, `/api/payment-batches/${batch.id}/bank-file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain(`filename="${batch.number}.xlsx"`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect(String(sheet.getRow(1).getCell(1).value)).toBe(
      `支付批次 ${batch.number}  资金：就业补助资金  付款方：商丘市`,
    );
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual([
      '序号',
      '收款单位',
      '开户银行',
      '账户名称',
      '银行账号',
      '金额(元)',
      '用途',
      '补贴单号',
    ]);
    const first = sheet.getRow(3);
    expect((first.values as unknown[]).slice(1)).toEqual([
      1,
      '商丘市测试评价中心',
      '中国建设银行商丘分行',
      '商丘市测试评价中心',
      ACCOUNT_NO,
      240,
      `${a.number} 职业技能评价补贴`,
      a.number,
    ]);
    expect(typeof first.getCell(5).value).toBe('string');
    expect(first.getCell(5).numFmt).toBe('@');
    expect(first.getCell(6).numFmt).toBe('0.00');
    expect(sheet.getRow(4).getCell(6).value).toBe(123.45);
    expect(Math.round(Number(sheet.getRow(4).getCell(6).value) * 100)).toBe(12_345);
    const total = sheet.getRow(5);
    expect(total.getCell(1).value).toBe('合计');
    expect(Math.round(Number(total.getCell(6).value) * 100)).toBe(36_345);
    expect(sheet.rowCount).toBe(5);
  });

  it('refuses results before export, exports once, and pays or fails each line', async () => {
    const a = await approvedClaim(payee, 24_000);
    const b = await approvedClaim(payee, 10_000);
    const built = await build([a.id, b.id]);
    const id: string = built.json().id;
    const early = await results(id, [{ lineNo: 1, outcome: 'paid' }]);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('BATCH_NOT_EXPORTED');

    const exported = await post(finance, `/api/payment-batches/${id}/export`);
    expect(exported.json()).toMatchObject({ status: 'exported', exportedBy: finance.id });
    await t.moveClock('2026-03-15T03:00:00Z');
    const again = await post(finance, `/api/payment-batches/${id}/export`);
    expect(again.statusCode).toBe(200);
    expect(again.json().exportedAt).toBe(exported.json().exportedAt);
    const audits = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('entityId', '=', id)
      .orderBy('occurredAt')
      .execute();
    expect(audits.map((r) => r.action)).toEqual([
      'payment_batch.created',
      'payment_batch.exported',
    ]);

    const noReason = await results(id, [{ lineNo: 2, outcome: 'failed' }]);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([
      { path: '/body/lines/0/reason', message: 'required for a failed line' },
    ]);
    const unknownLine = await results(id, [{ lineNo: 3, outcome: 'paid' }]);
    expect(unknownLine.statusCode).toBe(400);

    const settled = await results(id, [
      { lineNo: 1, outcome: 'paid', bankReference: 'CCB20260315001' },
      { lineNo: 2, outcome: 'failed', reason: '账户名称不符' },
    ]);
    expect(settled.statusCode, settled.body).toBe(200);
    expect(settled.json()).toMatchObject({
      status: 'settled',
      paid: 1,
      failed: 1,
      unchanged: 0,
      paidCount: 1,
      failedCount: 1,
      pendingCount: 0,
      paidFen: 24_000,
    });
    expect(settled.json().lines[0]).toMatchObject({
      status: 'paid',
      bankReference: 'CCB20260315001',
      claimStatus: 'paid',
    });
    expect(settled.json().lines[1]).toMatchObject({
      status: 'failed',
      failureReason: '账户名称不符',
      claimStatus: 'approved',
    });
    expect(await entriesOf(a.id)).toEqual([
      'claim_approved fund_expense 24000',
      'claim_approved payable -24000',
      'claim_paid payable 24000',
      'claim_paid fund_cash -24000',
    ]);
    expect((await claimStatus(a.id)).paidAt?.toISOString()).toBe('2026-03-15T03:00:00.000Z');
    expect(await events(b.id)).toEqual(['approve:approved', 'batch:in_batch', 'fail:approved']);

    const resent = await results(id, [
      { lineNo: 1, outcome: 'paid' },
      { lineNo: 2, outcome: 'failed', reason: '账户名称不符' },
    ]);
    expect(resent.json()).toMatchObject({ paid: 0, failed: 0, unchanged: 2 });
    const flipped = await results(id, [{ lineNo: 1, outcome: 'failed', reason: '退票' }]);
    expect(flipped.statusCode).toBe(409);
    expect(flipped.json().code).toBe('LINE_ALREADY_SETTLED');
    expect(await entriesOf(a.id)).toHaveLength(4);

    // The failed claim goes into a later batch and is paid there; the paid one cannot go again.
    const later = await build([b.id, a.id]);
    expect(later.statusCode, later.body).toBe(201);
    expect(later.json().skipped).toEqual([
      { claimId: a.id, number: a.number, reason: 'NOT_APPROVED' },
    ]);
    const laterId: string = later.json().id;
    await post(finance, `/api/payment-batches/${laterId}/export`);
    const paid = await results(laterId, [{ lineNo: 1, outcome: 'paid' }]);
    expect(paid.json()).toMatchObject({ status: 'settled', paid: 1 });
    expect((await claimStatus(b.id)).status).toBe('paid');
    expect(await events(b.id)).toEqual([
      'approve:approved',
      'batch:in_batch',
      'fail:approved',
      'batch:in_batch',
      'pay:paid',
    ]);
    await t.moveClock('2026-03-15T02:00:00Z');
  });

  it('answers NOTHING_TO_PAY when no claim can go, naming why', async () => {
    const c = await approvedClaim(noBank, 20_000);
    const other = await approvedClaim(payee, 24_000, { fundCode: 'fiscal' });
    const res = await build([c.id, other.id]);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('NOTHING_TO_PAY');
    expect(res.json().errors).toEqual([
      { path: `/claims/${c.number}`, message: 'NO_BANK_ACCOUNT' },
      { path: `/claims/${other.number}`, message: 'OTHER_FUND' },
    ]);
    const none = await post(finance, '/api/payment-batches', {
      fundCode: 'unemployment_insurance',
      payerRegionCode: '411426',
    });
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('NOTHING_TO_PAY');
    const unknown = await post(finance, '/api/payment-batches', {
      fundCode: 'nope',
      payerRegionCode: '999999',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors.map((e: { path: string }) => e.path)).toEqual([
      '/body/fundCode',
      '/body/payerRegionCode',
    ]);
    expect((await claimStatus(other.id)).status).toBe('approved');
  });

  it('lists batches and hides them from roles without the permission', async () => {
    const older = await payAll([(await approvedClaim(payee, 3_000)).id]);
    const newer = await payAll([(await approvedClaim(payee, 4_000)).id]);
    const list = await get(auditor, '/api/payment-batches?status=settled&pageSize=50');
    expect(list.statusCode).toBe(200);
    const items: { id: string; status: string }[] = list.json().items;
    expect(list.json().total).toBe(items.length);
    expect(items.every((b) => b.status === 'settled')).toBe(true);
    // Newest first, each as its own page shows it (without the lines).
    const ids = items.map((b) => b.id);
    expect(ids.indexOf(newer.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
    const { lines: _lines, ...detail } = (
      await get(auditor, `/api/payment-batches/${newer.id}`)
    ).json();
    expect(items[ids.indexOf(newer.id)]).toEqual(detail);
    expect(detail).toMatchObject({
      number: newer.number,
      fundCode: EMPLOYMENT,
      payerName: '商丘市',
      lineCount: 1,
      totalFen: 4_000,
      paidCount: 1,
      failedCount: 0,
      pendingCount: 0,
      paidFen: 4_000,
    });
    const county403 = await get(county, '/api/payment-batches');
    expect(county403.statusCode).toBe(403);
    const auditorBuild = await post(auditor, '/api/payment-batches', {
      fundCode: EMPLOYMENT,
      payerRegionCode: null,
    });
    expect(auditorBuild.statusCode).toBe(403);
    expect((await get(finance, `/api/payment-batches/${uuidv7()}`)).statusCode).toBe(404);
  });

  it('lists the approved claims of one fund and payer for the batch builder', async () => {
    const own = await insertBareOrganisation(t.db, 'evaluation_institution', {
      now: t.clock.now(),
    });
    await withBank(own);
    const cityPaid = await approvedClaim(own, 10_000);
    const countyPaid = await approvedClaim(own, 11_000, { payerRegionCode: '411403' });
    const fiscal = await approvedClaim(own, 12_000, { fundCode: 'fiscal' });
    const numbers = async (query: string) => {
      const res = await get(finance, `/api/subsidy-claims?payeeOrganisationId=${own}&${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res
        .json()
        .items.map((c: { number: string }) => c.number)
        .sort();
    };
    expect(await numbers(`status=approved&fundCode=${EMPLOYMENT}&payerRegionCode=city`)).toEqual([
      cityPaid.number,
    ]);
    expect(await numbers(`fundCode=${EMPLOYMENT}&payerRegionCode=411403`)).toEqual([
      countyPaid.number,
    ]);
    expect(await numbers('fundCode=fiscal')).toEqual([fiscal.number]);
    expect(await numbers('payerRegionCode=city')).toEqual([cityPaid.number, fiscal.number].sort());
    const bad = await get(finance, '/api/subsidy-claims?payerRegionCode=county');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('the bank’s results workbook', () => {
  function uploadResults(batchId: string, content: Buffer) {
    const boundary = `----jineng${randomBytes(8).toString('hex')}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="results.xlsx"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({
      method: 'POST',
      url: `/api/payment-batches/${batchId}/results-file`,
      headers: { ...finance.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
  }

  async function workbook(rows: (string | number)[][]): Promise<Buffer> {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('结果');
    for (const row of rows) sheet.addRow(row);
    return Buffer.from(await book.xlsx.writeBuffer());
  }

  it('pays and fails lines from the bank’s workbook, and names unreadable rows', async () => {
    const a = await approvedClaim(payee, 24_000);
    const b = await approvedClaim(payee, 8_800);
    const batch = await exportedBatch([a.id, b.id]);
    const bad = await uploadResults(
      batch.id,
      await workbook([
        ['序号', '结果', '银行流水号', '失败原因'],
        [1, '成功', 'CCB001', ''],
        [2, '待定', '', ''],
      ]),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      { path: '/file/rows/3', message: '结果 must be 成功 or 失败, not “待定”' },
    ]);
    const res = await uploadResults(
      batch.id,
      await workbook([
        [`支付批次 ${batch.number}`],
        ['序号', '收款单位', '结果', '银行流水号', '失败原因'],
        [1, '商丘市测试评价中心', '成功', 'CCB001', ''],
        [2, '商丘市测试评价中心', '失败', '', '户名不符'],
        ['合计', '', '', '', ''],
      ]),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'settled', paid: 1, failed: 1, unchanged: 0 });
    expect(res.json().lines.map((l: { status: string }) => l.status)).toEqual(['paid', 'failed']);
    expect(res.json().lines[0].bankReference).toBe('CCB001');
    expect((await claimStatus(b.id)).status).toBe('approved');
  });
});

describe('paying each claim exactly once under concurrency', () => {
  it('pays 10 claims once through 50 parallel approvals, batch builds and results', async () => {
    const payer = '411481';
    const claims = [];
    for (let i = 0; i < 10; i += 1) {
      claims.push(await firstApprovedClaim(payee, 10_000 + i * 1_111, { payerRegionCode: payer }));
    }
    const expectedFen = claims.reduce((s, _c, i) => s + 10_000 + i * 1_111, 0);
    const buildAll = () =>
      post(finance, '/api/payment-batches', { fundCode: EMPLOYMENT, payerRegionCode: payer });
    const batchIds = new Set<string>();
    const remember = (res: { statusCode: number; json: () => { id?: string } }) => {
      if (res.statusCode === 201) batchIds.add(res.json().id as string);
    };
    // Round 1: 40 approvals (4 per claim) and 10 batch builds, all at once.
    const round1 = await Promise.all([
      ...claims.flatMap((c) => [approve(c.id), approve(c.id), approve(c.id), approve(c.id)]),
      ...Array.from({ length: 10 }, buildAll),
    ]);
    const approvals = round1.slice(0, 40);
    expect(approvals.filter((r) => r.statusCode === 200)).toHaveLength(10);
    expect(approvals.every((r) => r.statusCode === 200 || r.statusCode === 409)).toBe(true);
    for (const r of round1.slice(40)) {
      expect([201, 409], r.body).toContain(r.statusCode);
      remember(r);
    }
    // Later rounds: more builds, exports and results — each result three times — in parallel.
    for (let round = 0; round < 4; round += 1) {
      const batches = await Promise.all(
        [...batchIds].map(async (id) => (await get(finance, `/api/payment-batches/${id}`)).json()),
      );
      const requests = [
        ...Array.from({ length: 5 }, buildAll),
        ...batches
          .filter((b) => b.status === 'open')
          .flatMap((b) => [
            post(finance, `/api/payment-batches/${b.id}/export`),
            post(finance, `/api/payment-batches/${b.id}/export`),
          ]),
        ...batches
          .filter((b) => b.status === 'exported')
          .flatMap((b) =>
            [1, 2, 3].map(() =>
              results(
                b.id,
                b.lines.map((l: { lineNo: number }) => ({ lineNo: l.lineNo, outcome: 'paid' })),
              ),
            ),
          ),
      ];
      const answers = await Promise.all(requests);
      for (const r of answers) expect([200, 201, 409], r.body).toContain(r.statusCode);
      answers.forEach(remember);
    }
    const statuses = await t.db
      .selectFrom('subsidyClaims')
      .select('status')
      .where(
        'id',
        'in',
        claims.map((c) => c.id),
      )
      .execute();
    expect(statuses.map((s) => s.status)).toEqual(Array(10).fill('paid'));
    const paidEntries = await t.db
      .selectFrom('ledgerEntries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('kind', '=', 'claim_paid')
      .where(
        'claimId',
        'in',
        claims.map((c) => c.id),
      )
      .executeTakeFirstOrThrow();
    expect(Number(paidEntries.n)).toBe(10);
    const cash = await t.db
      .selectFrom('ledgerLines as l')
      .innerJoin('ledgerEntries as e', 'e.id', 'l.entryId')
      .innerJoin('ledgerAccounts as a', 'a.id', 'l.accountId')
      .select(sql<string>`sum(l.amount_fen)`.as('fen'))
      .where('a.kind', '=', 'fund_cash')
      .where(
        'e.claimId',
        'in',
        claims.map((c) => c.id),
      )
      .executeTakeFirstOrThrow();
    expect(Number(cash.fen)).toBe(-expectedFen);
    const lines = await t.db
      .selectFrom('paymentLines')
      .select(['claimId', 'status'])
      .where(
        'claimId',
        'in',
        claims.map((c) => c.id),
      )
      .execute();
    expect(lines.filter((l) => l.status === 'paid')).toHaveLength(10);
    expect(new Set(lines.map((l) => l.claimId)).size).toBe(10);
  });
});

describe('clawback, repayment, statements and fund balances', () => {
  it('claws back a paid claim whose certificate is revoked; the repayment clears it', async () => {
    const claim = await approvedClaim(payee, 24_000);
    await payAll([claim.id]);
    const revoked = await post(city, `/api/certificates/${claim.certificateId}/revoke`, {
      reason: '考评作弊',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const after = await claimStatus(claim.id);
    expect(after.status).toBe('clawed_back');
    expect(after.clawedBackAt).not.toBeNull();
    expect(await entriesOf(claim.id)).toEqual([
      'claim_approved fund_expense 24000',
      'claim_approved payable -24000',
      'claim_paid payable 24000',
      'claim_paid fund_cash -24000',
      'claim_reversed payable 24000',
      'claim_reversed fund_expense -24000',
      'receivable_recognised receivable 24000',
      'receivable_recognised payable -24000',
    ]);
    expect(await events(claim.id)).toEqual([
      'approve:approved',
      'batch:in_batch',
      'pay:paid',
      'flag:paid',
      'claw_back:clawed_back',
    ]);
    const repay = (body: Record<string, unknown>) =>
      post(finance, `/api/subsidy-claims/${claim.id}/repayment`, body);
    const part = await repay({ amountFen: 5_000, bankReference: 'TH001' });
    expect(part.statusCode, part.body).toBe(200);
    expect(part.json()).toMatchObject({ repaidFen: 5_000, outstandingFen: 19_000 });
    const over = await repay({ amountFen: 19_001 });
    expect(over.statusCode).toBe(409);
    expect(over.json().code).toBe('OVERPAYMENT');
    const rest = await repay({});
    expect(rest.json()).toMatchObject({ repaidFen: 19_000, outstandingFen: 0 });
    const nothing = await repay({});
    expect(nothing.json().code).toBe('OVERPAYMENT');
    const notClawed = await approvedClaim(payee, 1_000);
    const wrong = await post(finance, `/api/subsidy-claims/${notClawed.id}/repayment`, {});
    expect(wrong.json().code).toBe('CLAIM_STATE_CONFLICT');
    const audits = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('entityId', '=', claim.id)
      .where('action', 'in', ['subsidy_claim.clawed_back', 'subsidy_claim.repaid'])
      .execute();
    expect(audits.map((a) => a.action).sort()).toEqual([
      'subsidy_claim.clawed_back',
      'subsidy_claim.repaid',
      'subsidy_claim.repaid',
    ]);
  });

  it('settles a claim flagged while in a batch: paid then clawed back, failed then reversed', async () => {
    const a = await approvedClaim(payee, 24_000);
    const b = await approvedClaim(payee, 12_000);
    const batch = await exportedBatch([a.id, b.id]);
    for (const c of [a, b]) {
      const res = await post(city, `/api/certificates/${c.certificateId}/revoke`, {
        reason: '证书信息有误',
      });
      expect(res.statusCode).toBe(200);
    }
    expect((await claimStatus(a.id)).status).toBe('in_batch');
    expect((await claimStatus(a.id)).flaggedAt).not.toBeNull();
    const res = await results(batch.id, [
      { lineNo: 1, outcome: 'paid' },
      { lineNo: 2, outcome: 'failed', reason: '账户冻结' },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect((await claimStatus(a.id)).status).toBe('clawed_back');
    expect((await claimStatus(b.id)).status).toBe('reversed');
    expect(await entriesOf(a.id)).toEqual([
      'claim_approved fund_expense 24000',
      'claim_approved payable -24000',
      'claim_paid payable 24000',
      'claim_paid fund_cash -24000',
      'claim_reversed payable 24000',
      'claim_reversed fund_expense -24000',
      'receivable_recognised receivable 24000',
      'receivable_recognised payable -24000',
    ]);
    expect(await entriesOf(b.id)).toEqual([
      'claim_approved fund_expense 12000',
      'claim_approved payable -12000',
      'claim_reversed payable 12000',
      'claim_reversed fund_expense -12000',
    ]);
    expect(await events(a.id)).toEqual([
      'approve:approved',
      'batch:in_batch',
      'flag:in_batch',
      'pay:paid',
      'claw_back:clawed_back',
    ]);
    expect(await events(b.id)).toEqual([
      'approve:approved',
      'batch:in_batch',
      'flag:in_batch',
      'fail:approved',
      'reverse:reversed',
    ]);
    const reversedView = (await get(city, `/api/subsidy-claims/${b.id}`)).json();
    expect(reversedView).toMatchObject({
      status: 'reversed',
      reversalReason: 'certificate revoked: 证书信息有误',
    });
    const repaid = await post(finance, `/api/subsidy-claims/${a.id}/repayment`, {});
    expect(repaid.json()).toMatchObject({ repaidFen: 24_000, outstandingFen: 0 });
  });

  it('shows a payee its statement with running balances, and nobody else’s', async () => {
    const now = t.clock.now();
    const own = await insertBareOrganisation(t.db, 'evaluation_institution', { now });
    await withBank(own, '12345678');
    const staff = await accountWithSession(t.db, 'evaluation_staff', {
      now,
      anchors: { organisationId: own },
    });
    const first = await approvedClaim(own, 24_000);
    const second = await approvedClaim(own, 10_000);
    await payAll([first.id]);
    await post(city, `/api/certificates/${first.certificateId}/revoke`, { reason: '作弊' });
    await post(finance, `/api/subsidy-claims/${first.id}/repayment`, { amountFen: 4_000 });

    const res = await get(staff, '/api/ledger/statement');
    expect(res.statusCode, res.body).toBe(200);
    const statement = res.json();
    expect(statement.organisationId).toBe(own);
    expect(
      statement.movements.map(
        (m: Record<string, unknown>) =>
          `${m.entryKind} ${m.account} ${m.claimNumber} ${m.debitFen} ${m.creditFen} ${m.balanceFen}`,
      ),
    ).toEqual([
      `claim_approved payable ${first.number} 0 24000 -24000`,
      `claim_approved payable ${second.number} 0 10000 -34000`,
      `claim_paid payable ${first.number} 24000 0 -10000`,
      `claim_reversed payable ${first.number} 24000 0 14000`,
      `receivable_recognised payable ${first.number} 0 24000 -10000`,
      `receivable_recognised receivable ${first.number} 24000 0 14000`,
      `receivable_repaid receivable ${first.number} 0 4000 10000`,
    ]);
    expect(statement.movements[0]).toMatchObject({
      date: '2026-03-15',
      claimKind: 'evaluation',
      fundCode: EMPLOYMENT,
    });
    expect(statement.closing).toEqual({
      payableFen: 10_000,
      receivableFen: 20_000,
      balanceFen: 10_000,
    });

    expect((await get(staff, `/api/ledger/statement?organisationId=${payee}`)).statusCode).toBe(
      404,
    );
    expect((await get(finance, `/api/ledger/statement?organisationId=${own}`)).statusCode).toBe(
      200,
    );
    expect((await get(finance, '/api/ledger/statement')).statusCode).toBe(400);
    const otherCounty = await accountWithSession(t.db, 'county_admin', {
      now,
      anchors: { regionCode: '411481' },
    });
    expect((await get(otherCounty, `/api/ledger/statement?organisationId=${own}`)).statusCode).toBe(
      404,
    );
    expect((await get(county, `/api/ledger/statement?organisationId=${own}`)).statusCode).toBe(200);
  });

  it('reports fund balances: approved, paid, payable, receivable and cash out', async () => {
    const fund = 'fiscal';
    const before = (await get(finance, '/api/ledger/funds')).json();
    const base = before.items.find((f: { fundCode: string }) => f.fundCode === fund);
    const paid = await approvedClaim(payee, 24_000, { fundCode: fund });
    await approvedClaim(payee, 10_000, { fundCode: fund });
    const clawed = await approvedClaim(payee, 30_000, { fundCode: fund });
    await payAll([paid.id, clawed.id], fund);
    await post(city, `/api/certificates/${clawed.certificateId}/revoke`, { reason: '冒名' });
    await post(finance, `/api/subsidy-claims/${clawed.id}/repayment`, { amountFen: 10_000 });
    const res = await get(finance, '/api/ledger/funds');
    expect(res.statusCode).toBe(200);
    const f = res.json().items.find((x: { fundCode: string }) => x.fundCode === fund);
    expect({
      approvedFen: f.approvedFen - base.approvedFen,
      paidFen: f.paidFen - base.paidFen,
      payableFen: f.payableFen - base.payableFen,
      receivableFen: f.receivableFen - base.receivableFen,
      cashOutFen: f.cashOutFen - base.cashOutFen,
      approved: f.claims.approved - base.claims.approved,
      paid: f.claims.paid - base.claims.paid,
      clawedBack: f.claims.clawed_back - base.claims.clawed_back,
    }).toEqual({
      approvedFen: 34_000,
      paidFen: 54_000,
      payableFen: 10_000,
      receivableFen: 20_000,
      cashOutFen: 44_000,
      approved: 1,
      paid: 1,
      clawedBack: 1,
    });
    expect(f.fundName).toBe('财政资金');
  });
});
