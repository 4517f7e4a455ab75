import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  insertBarePerson,
  randomUscc,
} from '../../../test/auth.js';
import { insertCertificate } from '../../../test/redemption.js';
import { uuidv7 } from '../../platform/ids.js';
import { systemAuditContext } from '../audit/audit.service.js';
import type { SizeClass } from '../organisations/organisations.schema.js';
import { checkEmploymentSubsidies } from './subsidies.employment.js';
import { addMonths } from './subsidies.employment.rules.js';

let t: TestApp;
let evaluator: string;
let now: Date;

const OCCUPATION = '6-01-01-01';

interface Employer {
  id: string;
  uscc: string;
}

async function employer(
  options: {
    sizeClass?: SizeClass;
    regionCode?: string;
    affiliation?: 'city' | 'county';
    affiliationRegionCode?: string;
  } = {},
): Promise<Employer> {
  const id = uuidv7();
  const uscc = randomUscc();
  await t.db
    .insertInto('organisations')
    .values({
      id,
      kind: 'employer',
      name: `测试企业-${id.slice(-6)}`,
      uscc,
      regionCode: options.regionCode ?? '411403',
      sizeClass: options.sizeClass ?? 'small',
      affiliation: options.affiliation ?? 'city',
      affiliationRegionCode: options.affiliationRegionCode ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return { id, uscc };
}

/** A person holding a valid certificate issued on `certifiedOn` (none when null). */
async function holder(certifiedOn: string | null = '2024-12-01') {
  const personId = await insertBarePerson(t.db, now);
  const certificate = certifiedOn
    ? await insertCertificate(t.db, {
        personId,
        organisationId: evaluator,
        occupationCode: OCCUPATION,
        skillLevelKey: 'level5',
        issuedOn: certifiedOn,
        now,
      })
    : null;
  return { personId, certificate };
}

async function hire(
  personId: string,
  by: Employer,
  hiredOn: string,
  endedOn: string | null = null,
): Promise<string> {
  const id = uuidv7();
  await t.db
    .insertInto('employmentRegistrations')
    .values({
      id,
      personId,
      employerUscc: by.uscc,
      employerOrganisationId: by.id,
      hiredOn,
      endedOn,
      source: 'api',
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return id;
}

/** `count` insured months of the person paid by `uscc` from `from` (YYYY-MM). */
async function insure(personId: string, uscc: string, from: string, count: number) {
  await t.db
    .insertInto('insuranceContributions')
    .values(
      Array.from({ length: count }, (_, i) => ({
        personId,
        employerUscc: uscc,
        month: `${addMonths(from, i)}-01`,
        wageBaseFen: 400_000,
        source: 'api' as const,
        recordedAt: now,
      })),
    )
    .execute();
}

async function place(
  personId: string,
  agencyId: string,
  employerUscc: string,
  placedOn: string,
): Promise<string> {
  const id = uuidv7();
  await t.db
    .insertInto('placements')
    .values({
      id,
      agencyOrganisationId: agencyId,
      personId,
      employerUscc,
      employerName: '安置企业',
      employerRegionCode: '411403',
      placedOn,
      createdBy: null,
      createdAt: now,
    })
    .execute();
  return id;
}

function check(personIds: string[]) {
  return t.db
    .transaction()
    .execute((trx) =>
      checkEmploymentSubsidies(trx, personIds, systemAuditContext('employment.test'), now),
    );
}

async function claimsOfEmployment(employmentId: string) {
  return t.db
    .selectFrom('subsidyClaims')
    .selectAll()
    .where('employmentId', '=', employmentId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

beforeAll(async () => {
  t = await createTestApp('2026-03-15T02:00:00Z');
  now = t.clock.now();
  evaluator = await insertBareOrganisation(t.db, 'evaluation_institution', { now });
});
afterAll(async () => {
  await t.close();
});

describe('hiring subsidy (R-SUB-3)', () => {
  it('claims 100000 fen when the 12th consecutive insured month arrives, not at the 11th', async () => {
    const e = await employer();
    const { personId, certificate } = await holder('2024-12-01');
    const employmentId = await hire(personId, e, '2025-01-10');
    await insure(personId, e.uscc, '2025-01', 11);
    expect(await check([personId])).toEqual({ created: [], refused: [] });
    expect(await claimsOfEmployment(employmentId)).toHaveLength(0);

    await insure(personId, e.uscc, '2025-12', 1);
    const result = await check([personId]);
    expect(result.refused).toEqual([]);
    expect(result.created).toEqual([
      expect.objectContaining({
        kind: 'hiring',
        amountFen: 100_000,
        capCut: false,
        personId,
        employmentId,
      }),
    ]);
    const [claim] = await claimsOfEmployment(employmentId);
    expect(claim).toMatchObject({
      kind: 'hiring',
      status: 'submitted',
      payeeOrganisationId: e.id,
      personId,
      certificateId: certificate?.id,
      basisDate: '2025-01-10',
      payerRegionCode: null,
      regionCode: '411403',
      number: result.created[0]?.number,
    });
    expect(Number(claim?.amountFen)).toBe(100_000);
    expect(claim?.evidence).toMatchObject({
      employerUscc: e.uscc,
      hiredOn: '2025-01-10',
      claimYear: 2025,
      certificateNumber: certificate?.number,
      certificateIssuedOn: '2024-12-01',
      insuredMonths: { from: '2025-01', to: '2025-12', count: 12 },
      priorMonthsChecked: { from: '2024-01', to: '2024-12' },
      policy: { key: 'sme_per_hire', amountFen: 100_000, effectiveFrom: '2022-04-15' },
      sizeClass: 'small',
      affiliation: 'city',
    });
    const events = await t.db
      .selectFrom('claimEvents')
      .select(['action', 'toStatus'])
      .where('claimId', '=', claim!.id)
      .execute();
    expect(events).toEqual([{ action: 'submit', toStatus: 'submitted' }]);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('action')
      .where('entityId', '=', claim!.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['subsidy_claim.submitted']);

    // A re-run (the same data arriving again) makes nothing.
    expect(await check([personId])).toEqual({ created: [], refused: [] });
    expect(await claimsOfEmployment(employmentId)).toHaveLength(1);
  });

  it('refuses a hire the employer insured 12 months before the hire month, not 13', async () => {
    const e = await employer();
    const a = await holder();
    const aHire = await hire(a.personId, e, '2025-01-10');
    await insure(a.personId, e.uscc, '2024-01', 1);
    await insure(a.personId, e.uscc, '2025-01', 12);
    const b = await holder();
    const bHire = await hire(b.personId, e, '2025-01-10');
    await insure(b.personId, e.uscc, '2023-12', 1);
    await insure(b.personId, e.uscc, '2025-01', 12);
    const result = await check([a.personId, b.personId]);
    expect(result.created.map((c) => [c.employmentId, c.amountFen])).toEqual([[bHire, 100_000]]);
    expect(await claimsOfEmployment(aHire)).toHaveLength(0);
  });

  it('needs a certificate issued on or before the hire day', async () => {
    const e = await employer();
    const late = await holder('2025-01-11');
    const lateHire = await hire(late.personId, e, '2025-01-10');
    await insure(late.personId, e.uscc, '2025-01', 12);
    const onTheDay = await holder('2025-01-10');
    const onTheDayHire = await hire(onTheDay.personId, e, '2025-01-10');
    await insure(onTheDay.personId, e.uscc, '2025-01', 12);
    const none = await holder(null);
    await hire(none.personId, e, '2025-01-10');
    await insure(none.personId, e.uscc, '2025-01', 12);
    const result = await check([late.personId, onTheDay.personId, none.personId]);
    expect(result.created.map((c) => c.employmentId)).toEqual([onTheDayHire]);
    expect(await claimsOfEmployment(lateHire)).toHaveLength(0);
  });

  it('makes one claim when the same hire is checked by concurrent arrivals', async () => {
    const e = await employer();
    const { personId } = await holder();
    const employmentId = await hire(personId, e, '2025-01-10');
    await insure(personId, e.uscc, '2025-01', 12);
    const results = await Promise.all(Array.from({ length: 4 }, () => check([personId])));
    expect(results.flatMap((r) => r.created).map((c) => c.employmentId)).toEqual([employmentId]);
    expect(await claimsOfEmployment(employmentId)).toHaveLength(1);
  });

  it('pays nothing to a large employer', async () => {
    const e = await employer({ sizeClass: 'large' });
    const { personId } = await holder();
    await hire(personId, e, '2025-01-10');
    await insure(personId, e.uscc, '2025-01', 12);
    expect(await check([personId])).toEqual({ created: [], refused: [] });
  });

  it('counts only months insured by that employer before the registration ended', async () => {
    const e = await employer({ sizeClass: 'micro' });
    const other = await employer();
    const { personId } = await holder();
    await hire(personId, e, '2025-01-10', '2025-11-30');
    await insure(personId, e.uscc, '2025-01', 11);
    await insure(personId, other.uscc, '2025-12', 1);
    await insure(personId, e.uscc, '2025-12', 1);
    expect(await check([personId])).toEqual({ created: [], refused: [] });
  });

  it('is paid by the county of a county-affiliated employer, else by the city', async () => {
    const countyEmployer = await employer({
      sizeClass: 'medium',
      regionCode: '411403',
      affiliation: 'county',
      affiliationRegionCode: '411481',
    });
    const cityEmployer = await employer({ regionCode: '411402' });
    const a = await holder();
    const aHire = await hire(a.personId, countyEmployer, '2025-02-01');
    await insure(a.personId, countyEmployer.uscc, '2025-02', 12);
    const b = await holder();
    const bHire = await hire(b.personId, cityEmployer, '2025-02-01');
    await insure(b.personId, cityEmployer.uscc, '2025-02', 12);
    expect((await check([a.personId, b.personId])).created).toHaveLength(2);
    expect(await claimsOfEmployment(aHire)).toEqual([
      expect.objectContaining({
        payerRegionCode: '411481',
        regionCode: '411481',
        evidence: expect.objectContaining({ affiliation: 'county', sizeClass: 'medium' }),
      }),
    ]);
    expect(await claimsOfEmployment(bHire)).toEqual([
      expect.objectContaining({ payerRegionCode: null, regionCode: '411402' }),
    ]);
  });

  it('cuts the 2,001st hire to what remains under the cap, refuses the next, and pays again after a clawback', async () => {
    const e = await employer();
    const county = await accountWithSession(t.db, 'county_admin', { now });
    const city = await accountWithSession(t.db, 'city_admin', { now });
    const seedCertificate = await holder();
    // The first 2,000 hires and their claims, by SQL: 1,999 of ¥1,000 and one of ¥500 — used
    // ¥1,999,500 of the ¥2,000,000 cap.
    await sql`
      WITH seed AS (
        SELECT i, gen_random_uuid() AS person_id, gen_random_uuid() AS employment_id
        FROM generate_series(1, 2000) AS i
      ), persons_made AS (
        INSERT INTO persons (id, id_number_enc, id_number_bidx, id_number_masked, name, sex,
          birth_date, id_region_code, region_code, source, created_at, updated_at)
        SELECT person_id, 'v1.a1.ktest.placeholder', encode(sha256(convert_to(person_id::text, 'UTF8')), 'hex'),
          '411402********0011', '测试人员', 'M', '2000-01-01', '411402', '411402', 'manual',
          ${now}, ${now}
        FROM seed RETURNING id
      ), hires_made AS (
        INSERT INTO employment_registrations (id, person_id, employer_uscc,
          employer_organisation_id, hired_on, source, created_at, updated_at)
        SELECT employment_id, person_id, ${e.uscc}, ${e.id}::uuid, '2024-01-10', 'api', ${now}, ${now}
        FROM seed WHERE person_id IN (SELECT id FROM persons_made) RETURNING id, person_id
      )
      INSERT INTO subsidy_claims (id, number, kind, payee_organisation_id, person_id, amount_fen,
        certificate_id, evidence, status, region_code, created_at, updated_at, employment_id,
        basis_date)
      SELECT gen_random_uuid(),
        'BT26' || lpad(nextval('subsidy_claim_serial_seq')::text, 8, '0'), 'hiring', ${e.id}::uuid,
        h.person_id, CASE WHEN s.i = 2000 THEN 50000 ELSE 100000 END,
        ${seedCertificate.certificate!.id}::uuid, '{}'::jsonb, 'submitted', '411403', ${now}, ${now},
        h.id, '2024-01-10'
      FROM hires_made h JOIN seed s ON s.employment_id = h.id
    `.execute(t.db);
    const used = await t.db
      .selectFrom('subsidyClaims')
      .select(sql<string>`sum(amount_fen)`.as('sum'))
      .where('payeeOrganisationId', '=', e.id)
      .executeTakeFirstOrThrow();
    expect(Number(used.sum)).toBe(199_950_000);

    const h2001 = await holder();
    const hire2001 = await hire(h2001.personId, e, '2025-01-10');
    await insure(h2001.personId, e.uscc, '2025-01', 12);
    const cut = await check([h2001.personId]);
    expect(cut.created).toEqual([
      expect.objectContaining({ amountFen: 50_000, capCut: true, employmentId: hire2001 }),
    ]);
    const [cutClaim] = await claimsOfEmployment(hire2001);
    expect(cutClaim).toMatchObject({ status: 'submitted' });
    expect(Number(cutClaim?.amountFen)).toBe(50_000);
    expect(cutClaim?.evidence).toMatchObject({
      capCut: { policyAmountFen: 100_000, remainingFen: 50_000 },
    });

    const h2002 = await holder();
    const hire2002 = await hire(h2002.personId, e, '2025-01-10');
    await insure(h2002.personId, e.uscc, '2025-01', 12);
    const refused = await check([h2002.personId]);
    expect(refused.created).toEqual([]);
    expect(refused.refused).toEqual([
      expect.objectContaining({
        kind: 'hiring',
        reason: 'CAP_REACHED',
        employmentId: hire2002,
        claimId: expect.any(String),
      }),
    ]);
    const [refusal] = await claimsOfEmployment(hire2002);
    expect(refusal).toMatchObject({
      status: 'rejected',
      rejectedBy: null,
      rejectionReason: '企业吸纳就业补贴累计已达上限 ¥2,000,000 (CAP_REACHED)',
    });
    expect(refusal?.rejectedAt).toEqual(now);
    const events = await t.db
      .selectFrom('claimEvents')
      .select(['action', 'toStatus', 'reason'])
      .where('claimId', '=', refusal!.id)
      .execute();
    expect(events).toEqual([
      { action: 'reject', toStatus: 'rejected', reason: refusal?.rejectionReason },
    ]);

    // Checked again while the cap is still full: no second refusal is recorded.
    const again = await check([h2002.personId]);
    expect(again).toEqual({
      created: [],
      refused: [expect.objectContaining({ reason: 'CAP_REACHED', claimId: null })],
    });
    expect(await claimsOfEmployment(hire2002)).toHaveLength(1);

    // A seeded claim, paid, is clawed back: ¥1,000 of room again.
    await sql`
      UPDATE subsidy_claims SET status = 'clawed_back', first_reviewed_by = ${county.id}::uuid,
        first_reviewed_at = ${now}, approved_by = ${city.id}::uuid, approved_at = ${now},
        fund_code = 'employment_subsidy', paid_at = ${now}, clawed_back_at = ${now},
        clawback_reason = 'certificate revoked'
      WHERE id = (SELECT id FROM subsidy_claims WHERE payee_organisation_id = ${e.id}::uuid
        AND amount_fen = 100000 AND employment_id <> ${hire2002}::uuid ORDER BY number LIMIT 1)
    `.execute(t.db);
    const freed = await check([h2002.personId]);
    expect(freed.refused).toEqual([]);
    expect(freed.created).toEqual([
      expect.objectContaining({ amountFen: 100_000, capCut: false, employmentId: hire2002 }),
    ]);
    expect((await claimsOfEmployment(hire2002)).map((c) => c.status)).toEqual([
      'rejected',
      'submitted',
    ]);
  });
});

describe('placement subsidy (R-SUB-4)', () => {
  it('claims 30000 fen at the 6th insured month, once per person per agency in 12 months', async () => {
    const agencyA = await insertBareOrganisation(t.db, 'hr_agency', { now, regionCode: '411481' });
    const agencyB = await insertBareOrganisation(t.db, 'hr_agency', { now });
    const { personId, certificate } = await holder('2023-12-01');
    const [u1, u2, u3] = [randomUscc(), randomUscc(), randomUscc()];

    const first = await place(personId, agencyA, u1, '2024-01-05');
    await insure(personId, u1, '2024-01', 5);
    expect(await check([personId])).toEqual({ created: [], refused: [] });
    await insure(personId, u1, '2024-06', 1);
    const claimed = await check([personId]);
    expect(claimed.created).toEqual([
      expect.objectContaining({ kind: 'placement', amountFen: 30_000, placementId: first }),
    ]);
    const claim = await t.db
      .selectFrom('subsidyClaims')
      .selectAll()
      .where('placementId', '=', first)
      .executeTakeFirstOrThrow();
    expect(claim).toMatchObject({
      kind: 'placement',
      status: 'submitted',
      payeeOrganisationId: agencyA,
      certificateId: certificate?.id,
      basisDate: '2024-01-05',
      payerRegionCode: null,
      regionCode: '411481',
    });
    expect(Number(claim.amountFen)).toBe(30_000);
    expect(claim.evidence).toMatchObject({
      placedOn: '2024-01-05',
      employerUscc: u1,
      employerName: '安置企业',
      employerRegionCode: '411403',
      certificateNumber: certificate?.number,
      insuredMonths: { from: '2024-01', to: '2024-06', count: 6 },
      policy: { key: 'per_placement', amountFen: 30_000, effectiveFrom: '2022-04-15' },
    });

    // 11 months later by the same agency: refused; by another agency: claimed.
    const elevenLater = await place(personId, agencyA, u2, '2024-12-05');
    const byOther = await place(personId, agencyB, u2, '2024-12-05');
    await insure(personId, u2, '2024-12', 6);
    const second = await check([personId]);
    expect(second.created).toEqual([
      expect.objectContaining({ placementId: byOther, amountFen: 30_000 }),
    ]);
    expect(second.refused).toEqual([
      expect.objectContaining({
        placementId: elevenLater,
        reason: 'ALREADY_PLACED_WITHIN_12_MONTHS',
        existingClaimNumber: claim.number,
      }),
    ]);

    // 12 months after the first, by the same agency: claimed.
    const twelveLater = await place(personId, agencyA, u3, '2025-01-05');
    await insure(personId, u3, '2025-01', 6);
    const third = await check([personId]);
    expect(third.created).toEqual([
      expect.objectContaining({ placementId: twelveLater, amountFen: 30_000 }),
    ]);
    const placementClaims = await t.db
      .selectFrom('subsidyClaims')
      .select(['placementId', 'payeeOrganisationId'])
      .where('kind', '=', 'placement')
      .where('personId', '=', personId)
      .orderBy('basisDate')
      .orderBy('number')
      .execute();
    expect(placementClaims).toEqual([
      { placementId: first, payeeOrganisationId: agencyA },
      { placementId: byOther, payeeOrganisationId: agencyB },
      { placementId: twelveLater, payeeOrganisationId: agencyA },
    ]);
  });
});

describe('who reads hiring and placement claims', () => {
  it('lets an employer and an HR agency read their own claims, filtered by person', async () => {
    const e = await employer();
    const other = await employer();
    const agency = await insertBareOrganisation(t.db, 'hr_agency', { now });
    const a = await holder();
    const aHire = await hire(a.personId, e, '2025-03-01');
    await insure(a.personId, e.uscc, '2025-03', 12);
    const b = await holder();
    await hire(b.personId, other, '2025-03-01');
    await insure(b.personId, other.uscc, '2025-03', 12);
    const placed = await place(a.personId, agency, e.uscc, '2025-03-01');
    expect((await check([a.personId, b.personId])).created).toHaveLength(3);

    const employerAccount = await accountWithSession(t.db, 'employer', {
      now,
      anchors: { organisationId: e.id },
    });
    const agencyAccount = await accountWithSession(t.db, 'hr_agency', {
      now,
      anchors: { organisationId: agency },
    });
    const mine = await t.app.inject({
      url: '/api/subsidy-claims',
      headers: employerAccount.headers,
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items).toEqual([
      expect.objectContaining({
        kind: 'hiring',
        payeeOrganisationId: e.id,
        personId: a.personId,
        employmentId: aHire,
        placementId: null,
        basisDate: '2025-03-01',
        payerRegionCode: null,
        paidAt: null,
        clawedBackAt: null,
        clawbackReason: null,
        amountFen: 100_000,
      }),
    ]);
    const agencyClaims = await t.app.inject({
      url: `/api/subsidy-claims?personId=${a.personId}`,
      headers: agencyAccount.headers,
    });
    expect(agencyClaims.statusCode).toBe(200);
    expect(agencyClaims.json().items).toEqual([
      expect.objectContaining({ kind: 'placement', placementId: placed, amountFen: 30_000 }),
    ]);
    const city = await accountWithSession(t.db, 'city_admin', { now });
    const ofB = await t.app.inject({
      url: `/api/subsidy-claims?personId=${b.personId}`,
      headers: city.headers,
    });
    expect(ofB.json()).toMatchObject({ total: 1, items: [{ personId: b.personId }] });
  });
});
