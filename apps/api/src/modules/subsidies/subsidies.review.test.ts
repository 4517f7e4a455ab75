import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  insertBarePerson,
  type TestAccount,
} from '../../../test/auth.js';
import { uuidv7 } from '../../platform/ids.js';
import { postEntry } from './subsidies.ledger.js';

let t: TestApp;
let cityA: TestAccount;
let cityB: TestAccount;
let county: TestAccount; // 411403, the institutions' county
let otherCounty: TestAccount; // 411481
let finance: TestAccount;
let auditor: TestAccount;
let staffA: TestAccount;
let staffB: TestAccount;
let orgA: string;
let orgB: string;
let siteA: string;
let siteB: string;
let specialAbilityId: string;

const LATHE = '6-18-01-01'; // 车工
const HELD_ON = '2026-03-20';

async function insertSite(organisationId: string, serialCode: string): Promise<string> {
  const id = uuidv7();
  await t.db
    .insertInto('evaluationSites')
    .values({
      id,
      organisationId,
      name: `考点${serialCode}`,
      serialCode,
      regionCode: '411403',
      address: null,
    })
    .execute();
  return id;
}

async function approveScope(siteId: string, skillLevelKey: string) {
  await t.db
    .insertInto('evaluationScopes')
    .values({
      id: uuidv7(),
      siteId,
      occupationCode: LATHE,
      occupationLevel: 4,
      skillLevelKey,
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
    })
    .execute();
}

interface SubsidyNote {
  certificateId: string;
  claimId: string | null;
  claimNumber: string | null;
  amountFen: number | null;
  reason: string | null;
  existingClaimNumber: string | null;
}

/** One candidate evaluated and passed at a site; the session submitted. */
async function evaluated(
  staff: TestAccount,
  siteId: string,
  skillLevelKey: string,
  options: { personId?: string; workerPaid?: boolean } = {},
) {
  const session = await t.app.inject({
    method: 'POST',
    url: '/api/evaluation-sessions',
    headers: staff.headers,
    payload: {
      heldOn: HELD_ON,
      siteId,
      occupationCode: LATHE,
      skillLevelKey,
      ...(skillLevelKey === 'special_ability' ? { specialAbilityId } : {}),
    },
  });
  expect(session.statusCode, session.body).toBe(201);
  const sessionId: string = session.json().id;
  const personId = options.personId ?? (await insertBarePerson(t.db, t.clock.now()));
  const candidate = await t.app.inject({
    method: 'POST',
    url: `/api/evaluation-sessions/${sessionId}/candidates`,
    headers: staff.headers,
    payload: {
      personId,
      source: 'individual',
      ...(options.workerPaid ? { workerPaid: true, feePaidFen: 15_000 } : {}),
    },
  });
  expect(candidate.statusCode, candidate.body).toBe(201);
  const scores =
    skillLevelKey === 'special_ability'
      ? { practicalScore: 80 }
      : { theoryScore: 75, practicalScore: 80 };
  const scored = await t.app.inject({
    method: 'PUT',
    url: `/api/evaluation-sessions/${sessionId}/candidates/${candidate.json().id}/scores`,
    headers: staff.headers,
    payload: scores,
  });
  expect(scored.json().result).toBe('pass');
  const submitted = await t.app.inject({
    method: 'POST',
    url: `/api/evaluation-sessions/${sessionId}/submit`,
    headers: staff.headers,
  });
  expect(submitted.statusCode, submitted.body).toBe(200);
  const answer = submitted.json();
  expect(answer.issued).toHaveLength(1);
  return {
    personId,
    certificateId: answer.issued[0].id as string,
    note: answer.evaluationSubsidies[0] as SubsidyNote,
  };
}

/** A submitted evaluation claim payable to institution A (四级, 24,000 fen). */
async function submittedClaim(): Promise<{ id: string; certificateId: string }> {
  const { note, certificateId } = await evaluated(staffA, siteA, 'level4');
  expect(note.claimId).not.toBeNull();
  return { id: note.claimId as string, certificateId };
}

function review(as: TestAccount, claimId: string, body: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: `/api/subsidy-claims/${claimId}/review`,
    headers: as.headers,
    payload: body,
  });
}

async function approvedClaim(): Promise<{ id: string; certificateId: string }> {
  const claim = await submittedClaim();
  expect((await review(county, claim.id, { decision: 'approve' })).statusCode).toBe(200);
  const res = await review(cityB, claim.id, {
    decision: 'approve',
    fundCode: 'employment_subsidy',
  });
  expect(res.statusCode, res.body).toBe(200);
  return claim;
}

function revoke(certificateId: string, reason: string) {
  return t.app.inject({
    method: 'POST',
    url: `/api/certificates/${certificateId}/revoke`,
    headers: cityA.headers,
    payload: { reason },
  });
}

/** The claim's ledger lines: entry kind, account kind and payee, signed amount. */
async function ledgerOf(claimId: string) {
  return t.db
    .selectFrom('ledgerEntries as e')
    .innerJoin('ledgerLines as l', 'l.entryId', 'e.id')
    .innerJoin('ledgerAccounts as a', 'a.id', 'l.accountId')
    .select(['e.id as entryId', 'e.kind', 'e.reversesEntryId', 'a.kind as account', 'a.fundCode'])
    .select(['a.organisationId', 'l.amountFen'])
    .where('e.claimId', '=', claimId)
    .orderBy('e.postedAt')
    .orderBy('e.id')
    .orderBy('l.amountFen', 'desc')
    .execute();
}

async function auditActions(entityId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('auditEvents')
    .select('action')
    .where('entityId', '=', entityId)
    .orderBy('occurredAt')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

beforeAll(async () => {
  t = await createTestApp('2026-03-15T02:00:00Z');
  const now = t.clock.now();
  cityA = await accountWithSession(t.db, 'city_admin', { now });
  cityB = await accountWithSession(t.db, 'city_admin', { now });
  county = await accountWithSession(t.db, 'county_admin', { now });
  otherCounty = await accountWithSession(t.db, 'county_admin', {
    now,
    anchors: { regionCode: '411481' },
  });
  finance = await accountWithSession(t.db, 'finance', { now });
  auditor = await accountWithSession(t.db, 'auditor', { now });
  orgA = await insertBareOrganisation(t.db, 'evaluation_institution', { now });
  orgB = await insertBareOrganisation(t.db, 'evaluation_institution', { now });
  staffA = await accountWithSession(t.db, 'evaluation_staff', {
    now,
    anchors: { organisationId: orgA },
  });
  staffB = await accountWithSession(t.db, 'evaluation_staff', {
    now,
    anchors: { organisationId: orgB },
  });
  siteA = await insertSite(orgA, '123456');
  siteB = await insertSite(orgB, '222222');
  for (const level of ['level5', 'level4', 'special_ability']) {
    await approveScope(siteA, level);
    await approveScope(siteB, level);
  }
  const item = await t.app.inject({
    method: 'POST',
    url: '/api/special-abilities',
    headers: cityA.headers,
    payload: { code: 'ZX-CG-001', name: '数控车削加工', occupationCode: LATHE },
  });
  expect(item.statusCode, item.body).toBe(201);
  specialAbilityId = item.json().id;
});

afterEach(async () => {
  // The books balance after every test: by the API and in the database itself.
  const res = await t.app.inject({ url: '/api/ledger/trial-balance', headers: auditor.headers });
  expect(res.statusCode).toBe(200);
  const balance = res.json();
  expect(balance.total.balanceFen).toBe(0);
  expect(balance.total.debitFen).toBe(balance.total.creditFen);
  const sum = balance.accounts.reduce(
    (s: number, a: { balanceFen: number }) => s + a.balanceFen,
    0,
  );
  expect(sum).toBe(0);
  const raw = await sql<{
    total: string;
  }>`SELECT coalesce(sum(amount_fen), 0) AS total FROM ledger_lines`.execute(t.db);
  expect(Number(raw.rows[0]?.total)).toBe(0);
});

afterAll(async () => {
  await t.close();
});

describe('evaluation-subsidy claims (R-SUB-2)', () => {
  it('claims 24,000 fen for a 四级 certificate, payable to the evaluation institution', async () => {
    const { note, certificateId, personId } = await evaluated(staffA, siteA, 'level4');
    expect(note).toMatchObject({ certificateId, amountFen: 24_000, reason: null });
    const res = await t.app.inject({
      url: `/api/subsidy-claims/${note.claimId}`,
      headers: staffA.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      kind: 'evaluation',
      status: 'submitted',
      amountFen: 24_000,
      payeeOrganisationId: orgA,
      personId,
      certificateId,
      occupationCode: LATHE,
      skillLevelKey: 'level4',
      specialAbilityId: null,
      regionCode: '411403',
      voucherId: null,
      flagged: false,
      evidence: { skillLevelKey: 'level4', issuedOn: '2026-03-15' },
    });
    expect(res.json().number).toMatch(/^BT26[0-9]{8}$/);
    expect(await auditActions(note.claimId as string)).toEqual(['subsidy_claim.submitted']);
  });

  it('claims 20,000 fen for 五级 and 10,000 fen for a 专项职业能力 certificate', async () => {
    expect((await evaluated(staffA, siteA, 'level5')).note.amountFen).toBe(20_000);
    const special = await evaluated(staffA, siteA, 'special_ability');
    expect(special.note).toMatchObject({ amountFen: 10_000, reason: null });
    const row = await t.db
      .selectFrom('subsidyClaims')
      .select(['amountFen', 'specialAbilityId', 'skillLevelKey'])
      .where('id', '=', special.note.claimId as string)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      amountFen: 10_000,
      specialAbilityId,
      skillLevelKey: 'special_ability',
    });
  });

  it('makes no claim when the worker paid for the evaluation', async () => {
    const { note, certificateId } = await evaluated(staffA, siteA, 'level4', { workerPaid: true });
    expect(note).toEqual({
      certificateId,
      claimId: null,
      claimNumber: null,
      amountFen: null,
      reason: 'worker_paid',
      existingClaimNumber: null,
    });
    const claims = await t.db
      .selectFrom('subsidyClaims')
      .select('id')
      .where('certificateId', '=', certificateId)
      .execute();
    expect(claims).toEqual([]);
  });

  it('never claims twice for a person, occupation and level, across institutions', async () => {
    const first = await evaluated(staffA, siteA, 'level4');
    expect(first.note.amountFen).toBe(24_000);
    expect((await revoke(first.certificateId, '考试舞弊')).statusCode).toBe(200);
    // Institution B certifies the same person again at the same level: no second subsidy.
    const second = await evaluated(staffB, siteB, 'level4', { personId: first.personId });
    expect(second.certificateId).not.toBe(first.certificateId);
    expect(second.note).toMatchObject({
      claimId: null,
      amountFen: null,
      reason: 'already_claimed',
      existingClaimNumber: first.note.claimNumber,
    });
    // A claim written past the service is refused by the database.
    const now = t.clock.now();
    const duplicate = t.db
      .insertInto('subsidyClaims')
      .values({
        id: uuidv7(),
        number: 'BT2699999999',
        kind: 'evaluation',
        payeeOrganisationId: orgB,
        personId: first.personId,
        amountFen: 24_000,
        voucherId: null,
        classId: null,
        certificateId: second.certificateId,
        occupationCode: LATHE,
        skillLevelKey: 'level4',
        specialAbilityId: null,
        evidence: '{}',
        status: 'submitted',
        flaggedAt: null,
        flagReason: null,
        regionCode: '411403',
        createdBy: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await expect(duplicate).rejects.toMatchObject({
      code: '23505',
      constraint: 'subsidy_claims_evaluation_once',
    });
  });
});

describe('claim review (POST /api/subsidy-claims/{id}/review)', () => {
  it('takes a claim through county and city review, four eyes, naming an allowed fund', async () => {
    const claim = await submittedClaim();
    const first = await review(cityA, claim.id, { decision: 'approve' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      status: 'first_approved',
      firstReviewedBy: cityA.id,
      approvedBy: null,
      fundCode: null,
    });
    const again = await review(cityA, claim.id, {
      decision: 'approve',
      fundCode: 'employment_subsidy',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SAME_REVIEWER');
    const byCounty = await review(county, claim.id, {
      decision: 'approve',
      fundCode: 'employment_subsidy',
    });
    expect(byCounty.statusCode).toBe(403);
    const noFund = await review(cityB, claim.id, { decision: 'approve' });
    expect(noFund.statusCode).toBe(400);
    expect(noFund.json().errors[0].path).toBe('/body/fundCode');
    const wrongFund = await review(cityB, claim.id, {
      decision: 'approve',
      fundCode: 'unemployment_insurance',
    });
    expect(wrongFund.statusCode).toBe(409);
    expect(wrongFund.json().code).toBe('FUND_NOT_ALLOWED');
    const final = await review(cityB, claim.id, {
      decision: 'approve',
      fundCode: 'employment_subsidy',
    });
    expect(final.statusCode, final.body).toBe(200);
    expect(final.json()).toMatchObject({
      status: 'approved',
      firstReviewedBy: cityA.id,
      approvedBy: cityB.id,
      fundCode: 'employment_subsidy',
      amountFen: 24_000,
    });
    const done = await review(cityA, claim.id, { decision: 'reject', reason: '重复' });
    expect(done.json().code).toBe('CLAIM_STATE_CONFLICT');
    const events = await t.app.inject({
      url: `/api/subsidy-claims/${claim.id}/events`,
      headers: auditor.headers,
    });
    expect(events.json().items.map((e: { action: string }) => e.action)).toEqual([
      'submit',
      'first_approve',
      'approve',
    ]);
    expect(await auditActions(claim.id)).toEqual([
      'subsidy_claim.submitted',
      'subsidy_claim.first_approved',
      'subsidy_claim.approved',
    ]);
  });

  it('lets the county of the payee review first, and hides the claim from another county', async () => {
    const claim = await submittedClaim();
    const hidden = await review(otherCounty, claim.id, { decision: 'approve' });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('NOT_FOUND');
    const res = await review(county, claim.id, { decision: 'approve' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'first_approved', firstReviewedBy: county.id });
    expect((await review(finance, claim.id, { decision: 'approve' })).statusCode).toBe(403);
  });

  it('rejects only with a reason, at either review', async () => {
    const claim = await submittedClaim();
    const bare = await review(county, claim.id, { decision: 'reject' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors[0].path).toBe('/body/reason');
    const blank = await review(county, claim.id, { decision: 'reject', reason: '   ' });
    expect(blank.statusCode).toBe(400);
    const res = await review(county, claim.id, { decision: 'reject', reason: '材料不全' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'rejected',
      rejectedBy: county.id,
      rejectionReason: '材料不全',
    });
    expect((await review(cityA, claim.id, { decision: 'approve' })).json().code).toBe(
      'CLAIM_STATE_CONFLICT',
    );
    const other = await submittedClaim();
    await review(county, other.id, { decision: 'approve' });
    const atCity = await review(cityA, other.id, { decision: 'reject', reason: '金额有误' });
    expect(atCity.json()).toMatchObject({
      status: 'rejected',
      firstReviewedBy: county.id,
      rejectedBy: cityA.id,
      rejectionReason: '金额有误',
    });
    expect(await ledgerOf(other.id)).toEqual([]);
  });

  it('refuses to approve a flagged claim, but lets it be rejected', async () => {
    const claim = await submittedClaim();
    expect((await revoke(claim.certificateId, '证书信息错误')).statusCode).toBe(200);
    const res = await review(county, claim.id, { decision: 'approve' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CLAIM_FLAGGED');
    const rejected = await review(county, claim.id, { decision: 'reject', reason: '证书已撤销' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', flagged: true });
  });

  it('passes each stage exactly once under 50 parallel approvals', async () => {
    const claim = await submittedClaim();
    const firsts = await Promise.all(
      Array.from({ length: 50 }, () => review(cityA, claim.id, { decision: 'approve' })),
    );
    expect(firsts.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(firsts.filter((r) => r.statusCode === 409)).toHaveLength(49);
    const finals = await Promise.all(
      Array.from({ length: 50 }, () =>
        review(cityB, claim.id, { decision: 'approve', fundCode: 'fiscal' }),
      ),
    );
    expect(finals.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(finals.filter((r) => r.statusCode === 409)).toHaveLength(49);
    expect(new Set(finals.filter((r) => r.statusCode === 409).map((r) => r.json().code))).toEqual(
      new Set(['CLAIM_STATE_CONFLICT']),
    );
    const lines = await ledgerOf(claim.id);
    expect(lines).toHaveLength(2);
    const events = await t.db
      .selectFrom('claimEvents')
      .select('action')
      .where('claimId', '=', claim.id)
      .execute();
    expect(events).toHaveLength(3);
  });

  it('replays the answer for the same Idempotency-Key', async () => {
    const claim = await submittedClaim();
    const headers = { ...county.headers, 'idempotency-key': `review-${claim.id}` };
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/subsidy-claims/${claim.id}/review`,
        headers,
        payload: { decision: 'approve' },
      });
    const a = await send();
    const b = await send();
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(200);
    expect(b.json()).toEqual(a.json());
  });
});

describe('the ledger', () => {
  it('posts Dr fund expense / Cr payable to the payee on final approval, exact in fen', async () => {
    const payableOfA = async (): Promise<{ creditFen: number; balanceFen: number } | undefined> => {
      const res = await t.app.inject({
        url: '/api/ledger/trial-balance',
        headers: finance.headers,
      });
      expect(res.statusCode).toBe(200);
      return res
        .json()
        .accounts.find(
          (a: { kind: string; fundCode: string; organisationId: string | null }) =>
            a.kind === 'payable' &&
            a.fundCode === 'employment_subsidy' &&
            a.organisationId === orgA,
        );
    };
    const before = (await payableOfA()) ?? { creditFen: 0, balanceFen: 0 };
    const claim = await approvedClaim();
    const lines = await ledgerOf(claim.id);
    expect(lines.map(({ entryId: _e, ...l }) => l)).toEqual([
      {
        kind: 'claim_approved',
        reversesEntryId: null,
        account: 'fund_expense',
        fundCode: 'employment_subsidy',
        organisationId: null,
        amountFen: 24_000,
      },
      {
        kind: 'claim_approved',
        reversesEntryId: null,
        account: 'payable',
        fundCode: 'employment_subsidy',
        organisationId: orgA,
        amountFen: -24_000,
      },
    ]);
    const after = await payableOfA();
    expect(after?.creditFen).toBe(before.creditFen + 24_000);
    expect(after?.balanceFen).toBe(before.balanceFen - 24_000);
    const denied = await t.app.inject({
      url: '/api/ledger/trial-balance',
      headers: county.headers,
    });
    expect(denied.statusCode).toBe(403);
  });

  it('refuses an unbalanced entry at commit, and any change to a posted line', async () => {
    const account = await t.db.selectFrom('ledgerAccounts').select('id').executeTakeFirstOrThrow();
    const unbalanced = t.db.transaction().execute(async (trx) => {
      const id = uuidv7();
      await trx
        .insertInto('ledgerEntries')
        .values({
          id,
          kind: 'claim_approved',
          claimId: null,
          reversesEntryId: null,
          memo: 'unbalanced',
          postedAt: t.clock.now(),
          postedBy: null,
        })
        .execute();
      await trx
        .insertInto('ledgerLines')
        .values({ id: uuidv7(), entryId: id, accountId: account.id, amountFen: 100 })
        .execute();
    });
    await expect(unbalanced).rejects.toMatchObject({
      code: '23514',
      constraint: 'ledger_entry_balanced',
    });
    const viaService = t.db.transaction().execute((trx) =>
      postEntry(
        trx,
        {
          kind: 'claim_approved',
          claimId: null,
          memo: 'unbalanced',
          postedBy: null,
          lines: [
            { accountId: account.id, amountFen: 100 },
            { accountId: account.id, amountFen: -99 },
          ],
        },
        t.clock.now(),
      ),
    );
    await expect(viaService).rejects.toThrow(/unbalanced/);
    await expect(
      t.db
        .updateTable('ledgerLines')
        .set({ amountFen: 1 })
        .where('accountId', '=', account.id)
        .execute(),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(t.db.deleteFrom('ledgerEntries').execute()).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('reverses an approved claim whose certificate is revoked, by a reversing entry', async () => {
    const claim = await approvedClaim();
    const res = await revoke(claim.certificateId, '考试舞弊');
    expect(res.statusCode).toBe(200);
    const view = await t.app.inject({
      url: `/api/subsidy-claims/${claim.id}`,
      headers: cityA.headers,
    });
    expect(view.json()).toMatchObject({
      status: 'reversed',
      flagged: true,
      flagReason: 'certificate revoked: 考试舞弊',
      reversalReason: 'certificate revoked: 考试舞弊',
      fundCode: 'employment_subsidy',
    });
    const lines = await ledgerOf(claim.id);
    expect(lines).toHaveLength(4);
    const [approval, reversal] = [lines.slice(0, 2), lines.slice(2)];
    expect(reversal.every((l) => l.kind === 'claim_reversed')).toBe(true);
    expect(reversal[0]?.reversesEntryId).toBe(approval[0]?.entryId);
    expect(reversal.map((l) => [l.account, l.amountFen]).sort()).toEqual(
      [
        ['fund_expense', -24_000],
        ['payable', 24_000],
      ].sort(),
    );
    expect(await auditActions(claim.id)).toEqual([
      'subsidy_claim.submitted',
      'subsidy_claim.first_approved',
      'subsidy_claim.approved',
      'subsidy_claim.reversed',
      'subsidy_claim.flagged',
    ]);
    const history = await t.db
      .selectFrom('claimEvents')
      .select(['action', 'fromStatus', 'toStatus', 'reason', 'details'])
      .where('claimId', '=', claim.id)
      .orderBy('at')
      .orderBy('id')
      .execute();
    expect(history.slice(-2)).toEqual([
      {
        action: 'flag',
        fromStatus: 'approved',
        toStatus: 'approved',
        reason: 'certificate revoked: 考试舞弊',
        details: { certificateId: claim.certificateId },
      },
      {
        action: 'reverse',
        fromStatus: 'approved',
        toStatus: 'reversed',
        reason: 'certificate revoked: 考试舞弊',
        details: { certificateId: claim.certificateId, ledgerEntryId: reversal[0]?.entryId },
      },
    ]);
    // Revoking is idempotent: nothing is reversed twice.
    await revoke(claim.certificateId, '考试舞弊');
    expect(await ledgerOf(claim.id)).toHaveLength(4);
  });
});
