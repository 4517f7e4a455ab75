import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  insertBarePerson,
  type TestAccount,
} from '../../../test/auth.js';
import {
  insertCertificate,
  insertFinishedClass,
  putVoucherInClass,
} from '../../../test/redemption.js';
import { systemAuditContext } from '../audit/audit.service.js';
import { certifyVouchersForCertificate } from '../vouchers/vouchers.certify.js';

let t: TestApp;
let city: TestAccount;
let county: TestAccount; // 411403
let otherCounty: TestAccount; // 411481
let auditor: TestAccount;
let finance: TestAccount;
let worker: TestAccount;
let staffA: TestAccount;
let staffB: TestAccount;
let orgA: string; // 411403
let orgB: string; // 411481
let claimA: { id: string; number: string };
let claimB: { id: string; number: string };

const OCCUPATION = '6-01-01-01';

/** A claim of `organisationId` made the real way: voucher, certificate, redeem. */
async function redeemedClaim(organisationId: string, staff: TestAccount, subsidyFen: number) {
  const now = t.clock.now();
  const classId = await insertFinishedClass(t.db, {
    organisationId,
    occupationCode: OCCUPATION,
    subsidyStandardFen: subsidyFen,
    now,
  });
  const personId = await insertBarePerson(t.db, now);
  const issued = await t.app.inject({
    method: 'POST',
    url: '/api/vouchers',
    headers: city.headers,
    payload: { personId, occupationCode: OCCUPATION, valueFen: 100_000, validTo: '2026-12-31' },
  });
  expect(issued.statusCode).toBe(201);
  const voucherId: string = issued.json().id;
  await putVoucherInClass(t.db, {
    voucherId,
    classId,
    organisationId,
    subsidyStandardFen: subsidyFen,
    now,
  });
  const evaluator = await insertBareOrganisation(t.db, 'evaluation_institution', { now });
  const cert = await insertCertificate(t.db, {
    personId,
    organisationId: evaluator,
    occupationCode: OCCUPATION,
    skillLevelKey: 'level5',
    issuedOn: '2026-03-14',
    now,
  });
  await t.db.transaction().execute((trx) =>
    certifyVouchersForCertificate(
      trx,
      {
        id: cert.id,
        personId,
        occupationCode: OCCUPATION,
        skillLevelKey: 'level5',
        issuedOn: '2026-03-14',
      },
      systemAuditContext('subsidies.test'),
      now,
    ),
  );
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/vouchers/${voucherId}/redeem`,
    headers: staff.headers,
  });
  expect(res.statusCode).toBe(201);
  return res.json().claim as { id: string; number: string };
}

function list(as: TestAccount, query = '') {
  return t.app.inject({ url: `/api/subsidy-claims${query}`, headers: as.headers });
}

function ids(res: { json(): { items: { id: string }[] } }): string[] {
  return res
    .json()
    .items.map((c) => c.id)
    .sort();
}

beforeAll(async () => {
  t = await createTestApp('2026-03-15T02:00:00Z');
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { now });
  county = await accountWithSession(t.db, 'county_admin', { now });
  otherCounty = await accountWithSession(t.db, 'county_admin', {
    now,
    anchors: { regionCode: '411481' },
  });
  auditor = await accountWithSession(t.db, 'auditor', { now });
  finance = await accountWithSession(t.db, 'finance', { now });
  worker = await accountWithSession(t.db, 'worker', { now });
  orgA = await insertBareOrganisation(t.db, 'training_institution', { now });
  orgB = await insertBareOrganisation(t.db, 'training_institution', {
    now,
    regionCode: '411481',
  });
  staffA = await accountWithSession(t.db, 'training_staff', {
    now,
    anchors: { organisationId: orgA },
  });
  staffB = await accountWithSession(t.db, 'training_staff', {
    now,
    anchors: { organisationId: orgB },
  });
  claimA = await redeemedClaim(orgA, staffA, 80_000);
  claimB = await redeemedClaim(orgB, staffB, 120_000);
  await t.db
    .updateTable('subsidyClaims')
    .set({ flaggedAt: now, flagReason: 'certificate revoked: 考试舞弊' })
    .where('id', '=', claimB.id)
    .execute();
});
afterEach(async () => {
  const res = await t.app.inject({ url: '/api/ledger/trial-balance', headers: auditor.headers });
  expect(res.json().total.balanceFen).toBe(0);
});
afterAll(async () => {
  await t.close();
});

describe('subsidy claims (GET /api/subsidy-claims)', () => {
  it('numbers claims BT, the year and an 8-digit serial', () => {
    expect(claimA.number).toMatch(/^BT26[0-9]{8}$/);
    expect(claimB.number).not.toBe(claimA.number);
  });

  it('shows the city, auditors and finance every claim', async () => {
    const all = [claimA.id, claimB.id].sort();
    for (const as of [city, auditor, finance]) {
      const res = await list(as);
      expect(res.statusCode).toBe(200);
      expect(ids(res)).toEqual(all);
      expect(res.json().total).toBe(2);
    }
  });

  it('scopes an institution to claims payable to it and a county to its payees', async () => {
    expect(ids(await list(staffA))).toEqual([claimA.id]);
    expect(ids(await list(staffB))).toEqual([claimB.id]);
    expect(ids(await list(county))).toEqual([claimA.id]);
    expect(ids(await list(otherCounty))).toEqual([claimB.id]);
  });

  it('filters by kind, status, flag and payee', async () => {
    expect(ids(await list(city, '?flagged=true'))).toEqual([claimB.id]);
    expect(ids(await list(city, '?flagged=false'))).toEqual([claimA.id]);
    expect(ids(await list(city, `?payeeOrganisationId=${orgA}`))).toEqual([claimA.id]);
    expect(ids(await list(city, '?kind=training&status=submitted'))).toHaveLength(2);
    // Both claims are submitted training claims: another kind or status matches neither.
    expect(ids(await list(city, '?kind=evaluation'))).toEqual([]);
    expect(ids(await list(city, '?status=approved'))).toEqual([]);
    // The total counts the filtered claims, not all of them.
    expect((await list(city, '?flagged=true')).json().total).toBe(1);
    expect((await list(city, '?status=settled')).statusCode).toBe(400);
  });

  it('shows one claim with its evidence, and 404 outside the scope', async () => {
    const res = await t.app.inject({
      url: `/api/subsidy-claims/${claimA.id}`,
      headers: staffA.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: claimA.id,
      kind: 'training',
      status: 'submitted',
      amountFen: 80_000,
      payeeOrganisationId: orgA,
      flagged: false,
      flagReason: null,
      regionCode: '411403',
      evidence: { valueFen: 100_000, subsidyStandardFen: 80_000 },
    });
    expect(res.json().personIdNumberMasked).toContain('*');
    const flagged = await t.app.inject({
      url: `/api/subsidy-claims/${claimB.id}`,
      headers: otherCounty.headers,
    });
    expect(flagged.json()).toMatchObject({
      flagged: true,
      flagReason: 'certificate revoked: 考试舞弊',
      amountFen: 100_000,
      regionCode: '411481',
    });
    const hidden = await t.app.inject({
      url: `/api/subsidy-claims/${claimA.id}`,
      headers: staffB.headers,
    });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('NOT_FOUND');
  });

  it('refuses a worker', async () => {
    const res = await list(worker);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
  });
});
