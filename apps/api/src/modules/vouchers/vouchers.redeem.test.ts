import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  insertBarePerson,
  organisationWithStaff,
  type TestAccount,
} from '../../../test/auth.js';
import {
  insertCertificate,
  insertFinishedClass,
  putVoucherInClass,
} from '../../../test/redemption.js';
import { systemAuditContext } from '../audit/audit.service.js';
import { certifyVouchersForCertificate, onCertificateRevoked } from './vouchers.certify.js';

let t: TestApp;
let city: TestAccount;
let staffA: TestAccount;
let staffB: TestAccount;
let orgA: string;
let evaluator: string;
let classL5: string; // 6-01-01-01 at 五级, ended 2026-03-13 (Shanghai)
let classL4: string; // 6-01-01-01 at 四级

const OCCUPATION = '6-01-01-01';
const VALUE_FEN = 150_000;
const SUBSIDY_FEN = 120_000;
const context = systemAuditContext('evaluations.test');

/** A fresh holder with an issued voucher put into `classId` in `state`. */
async function voucherIn(
  classId = classL5,
  state: 'in_training' | 'completed' = 'completed',
): Promise<{ voucherId: string; personId: string }> {
  const personId = await insertBarePerson(t.db, t.clock.now());
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/vouchers',
    headers: city.headers,
    payload: {
      personId,
      occupationCode: OCCUPATION,
      valueFen: VALUE_FEN,
      validTo: '2026-12-31',
    },
  });
  expect(res.statusCode).toBe(201);
  const voucherId: string = res.json().id;
  await putVoucherInClass(t.db, {
    voucherId,
    classId,
    organisationId: orgA,
    subsidyStandardFen: SUBSIDY_FEN,
    now: t.clock.now(),
    state,
  });
  return { voucherId, personId };
}

function certificate(
  personId: string,
  skillLevelKey = 'level5',
  issuedOn = '2026-03-14',
  occupationCode = OCCUPATION,
) {
  return insertCertificate(t.db, {
    personId,
    organisationId: evaluator,
    occupationCode,
    skillLevelKey,
    issuedOn,
    now: t.clock.now(),
  });
}

/** Issues (inserts) a certificate and runs the issuance hook, as certificates issuance does. */
async function certify(personId: string, skillLevelKey = 'level5', issuedOn = '2026-03-14') {
  const cert = await certificate(personId, skillLevelKey, issuedOn);
  const ids = await t.db
    .transaction()
    .execute((trx) =>
      certifyVouchersForCertificate(
        trx,
        { id: cert.id, personId, occupationCode: OCCUPATION, skillLevelKey, issuedOn },
        context,
        t.clock.now(),
      ),
    );
  return { ...cert, ids };
}

async function voucher(id: string) {
  return t.db
    .selectFrom('vouchers')
    .select(['state', 'certificateId', 'certifiedAt'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function claimsOf(voucherId: string) {
  return t.db.selectFrom('subsidyClaims').selectAll().where('voucherId', '=', voucherId).execute();
}

function redeem(voucherId: string, as: TestAccount = staffA, key?: string) {
  return t.app.inject({
    method: 'POST',
    url: `/api/vouchers/${voucherId}/redeem`,
    headers: { ...as.headers, ...(key ? { 'idempotency-key': key } : {}) },
  });
}

beforeAll(async () => {
  t = await createTestApp('2026-03-15T02:00:00Z');
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { now });
  ({ organisationId: orgA, staff: staffA } = await organisationWithStaff(
    t.db,
    'training_staff',
    now,
  ));
  staffB = (await organisationWithStaff(t.db, 'training_staff', now)).staff;
  evaluator = await insertBareOrganisation(t.db, 'evaluation_institution', { now });
  const cls = { organisationId: orgA, occupationCode: OCCUPATION, now };
  classL5 = await insertFinishedClass(t.db, { ...cls, subsidyStandardFen: SUBSIDY_FEN });
  classL4 = await insertFinishedClass(t.db, {
    ...cls,
    skillLevelKey: 'level4',
    subsidyStandardFen: SUBSIDY_FEN,
  });
});
afterAll(async () => {
  await t.close();
});

describe('certifying vouchers when a certificate is issued (以证换券)', () => {
  it('certifies a completed voucher by a certificate at a higher level, with event and audit', async () => {
    const { voucherId, personId } = await voucherIn(classL5);
    const cert = await certify(personId, 'level4');
    expect(cert.ids).toEqual([voucherId]);
    const row = await voucher(voucherId);
    expect(row.state).toBe('certified');
    expect(row.certificateId).toBe(cert.id);
    expect(row.certifiedAt?.toISOString()).toBe('2026-03-15T02:00:00.000Z');
    const event = await t.db
      .selectFrom('voucherEvents')
      .select(['fromState', 'toState', 'action'])
      .where('voucherId', '=', voucherId)
      .where('action', '=', 'certify')
      .executeTakeFirstOrThrow();
    expect(event).toEqual({ fromState: 'completed', toState: 'certified', action: 'certify' });
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('entityId', '=', voucherId)
      .where('action', '=', 'voucher.certified')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('certifies at the class level itself', async () => {
    const { voucherId, personId } = await voucherIn(classL4);
    expect((await certify(personId, 'level4')).ids).toEqual([voucherId]);
  });

  it('refuses a certificate at a lower level than the class', async () => {
    const { voucherId, personId } = await voucherIn(classL4);
    expect((await certify(personId, 'level5')).ids).toEqual([]);
    expect((await voucher(voucherId)).state).toBe('completed');
  });

  it('refuses a certificate in another occupation', async () => {
    const { voucherId, personId } = await voucherIn(classL5);
    const cert = await certificate(personId, 'level5', '2026-03-14', '6-01-01-02');
    const ids = await t.db.transaction().execute((trx) =>
      certifyVouchersForCertificate(
        trx,
        {
          id: cert.id,
          personId,
          occupationCode: '6-01-01-02',
          skillLevelKey: 'level5',
          issuedOn: '2026-03-14',
        },
        context,
        t.clock.now(),
      ),
    );
    expect(ids).toEqual([]);
    expect((await voucher(voucherId)).state).toBe('completed');
  });

  it('refuses a certificate issued before the class’s last day and accepts one issued on it', async () => {
    const { voucherId, personId } = await voucherIn(classL5);
    expect((await certify(personId, 'level5', '2026-03-12')).ids).toEqual([]);
    expect((await voucher(voucherId)).state).toBe('completed');
    expect((await certify(personId, 'level4', '2026-03-13')).ids).toEqual([voucherId]);
  });

  it('certifies only completed vouchers, and only the holder’s', async () => {
    const training = await voucherIn(classL5, 'in_training');
    const other = await voucherIn(classL5);
    expect((await certify(training.personId)).ids).toEqual([]);
    expect((await voucher(training.voucherId)).state).toBe('in_training');
    expect((await voucher(other.voucherId)).state).toBe('completed');
  });
});

describe('redeeming a voucher (POST /api/vouchers/{id}/redeem)', () => {
  it('claims exactly min(value, subsidy standard) for the institution and redeems the voucher', async () => {
    const { voucherId, personId } = await voucherIn();
    const cert = await certify(personId);
    const res = await redeem(voucherId);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.voucher.state).toBe('redeemed');
    expect(body.claim).toMatchObject({
      kind: 'training',
      status: 'submitted',
      amountFen: 120_000,
      payeeOrganisationId: orgA,
      personId,
      voucherId,
      classId: classL5,
      certificateId: cert.id,
      flagged: false,
      regionCode: '411403',
    });
    expect(body.claim.number).toMatch(/^BT26[0-9]{8}$/);
    expect(body.claim.evidence).toMatchObject({
      valueFen: 150_000,
      subsidyStandardFen: 120_000,
      certificateNumber: cert.number,
      certificateIssuedOn: '2026-03-14',
      classId: classL5,
      completedAt: '2026-03-15T02:00:00.000Z',
    });
    const claims = await claimsOf(voucherId);
    expect(claims).toHaveLength(1);
    expect(Number(claims[0]?.amountFen)).toBe(120_000);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('entityId', 'in', [voucherId, body.claim.id])
      .where('action', 'in', ['voucher.redeemed', 'subsidy_claim.submitted'])
      .orderBy('action')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['subsidy_claim.submitted', 'voucher.redeemed']);

    const again = await redeem(voucherId);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('VOUCHER_STATE_CONFLICT');
    expect(await claimsOf(voucherId)).toHaveLength(1);
  });

  it('refuses to redeem a voucher without a certificate, and no claim exists (无证无价)', async () => {
    const { voucherId } = await voucherIn();
    const res = await redeem(voucherId);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('VOUCHER_NOT_CERTIFIED');
    expect(await claimsOf(voucherId)).toHaveLength(0);
    expect((await voucher(voucherId)).state).toBe('completed');
  });

  it('refuses to redeem on a revoked certificate', async () => {
    const { voucherId, personId } = await voucherIn();
    const cert = await certify(personId);
    await t.db
      .updateTable('certificates')
      .set({ status: 'revoked', revokedAt: t.clock.now(), revocationReason: '考试舞弊' })
      .where('id', '=', cert.id)
      .execute();
    const res = await redeem(voucherId);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CERTIFICATE_REVOKED');
    expect(await claimsOf(voucherId)).toHaveLength(0);
    expect((await voucher(voucherId)).state).toBe('certified');
  });

  it('answers 404 to another institution’s staff and makes no claim', async () => {
    const { voucherId, personId } = await voucherIn();
    await certify(personId);
    const res = await redeem(voucherId, staffB);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
    expect(await claimsOf(voucherId)).toHaveLength(0);
  });

  it('replays the same claim for a repeated Idempotency-Key', async () => {
    const { voucherId, personId } = await voucherIn();
    await certify(personId);
    const first = await redeem(voucherId, staffA, 'redeem-once-1');
    const second = await redeem(voucherId, staffA, 'redeem-once-1');
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().claim.id).toBe(first.json().claim.id);
    expect(await claimsOf(voucherId)).toHaveLength(1);
  });

  it('makes exactly one claim from parallel redemptions', async () => {
    const { voucherId, personId } = await voucherIn();
    await certify(personId);
    const results = await Promise.all(Array.from({ length: 8 }, () => redeem(voucherId)));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) {
      expect(r.json().code).toBe('VOUCHER_STATE_CONFLICT');
    }
    expect(await claimsOf(voucherId)).toHaveLength(1);
  });
});

describe('revoking the certificate behind a voucher', () => {
  it('flags the claim already made on it', async () => {
    const { voucherId, personId } = await voucherIn();
    const cert = await certify(personId);
    expect((await redeem(voucherId)).statusCode).toBe(201);
    await t.db
      .transaction()
      .execute((trx) => onCertificateRevoked(trx, cert.id, '考试舞弊', context, t.clock.now()));
    const [claim] = await claimsOf(voucherId);
    expect(claim?.flagReason).toBe('certificate revoked: 考试舞弊');
    expect(claim?.flaggedAt?.toISOString()).toBe('2026-03-15T02:00:00.000Z');
    expect((await voucher(voucherId)).state).toBe('redeemed');
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('entityId', '=', claim?.id ?? '')
      .where('action', '=', 'subsidy_claim.flagged')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('sends a certified voucher back to completed: refused until a new certificate certifies it', async () => {
    const { voucherId, personId } = await voucherIn();
    const cert = await certify(personId);
    await t.db
      .transaction()
      .execute((trx) => onCertificateRevoked(trx, cert.id, '证书信息有误', context, t.clock.now()));
    const row = await voucher(voucherId);
    expect(row).toEqual({ state: 'completed', certificateId: null, certifiedAt: null });
    const event = await t.db
      .selectFrom('voucherEvents')
      .select(['fromState', 'toState'])
      .where('voucherId', '=', voucherId)
      .where('action', '=', 'decertify')
      .executeTakeFirstOrThrow();
    expect(event).toEqual({ fromState: 'certified', toState: 'completed' });
    const res = await redeem(voucherId);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CERTIFICATE_REVOKED');
    expect(await claimsOf(voucherId)).toHaveLength(0);

    // A new certificate certifies it again, and then it redeems.
    expect((await certify(personId, 'level4')).ids).toEqual([voucherId]);
    expect((await redeem(voucherId)).statusCode).toBe(201);
  });
});
