import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  insertBarePerson,
  randomUscc,
  type TestAccount,
} from '../../../test/auth.js';
import { FIXTURE_ID_NUMBERS } from '../../../test/fixtures/sensitive.js';
import { insertCertificate } from '../../../test/redemption.js';

// The clock: 2026-03-15 10:00 in Shanghai.
let t: TestApp;
let city: TestAccount;
let county: TestAccount; // 411403
let auditor: TestAccount;
let finance: TestAccount;
let agencyStaff: TestAccount; // agency A, 411403
let otherAgencyStaff: TestAccount; // agency B, 411481
let otherCounty: TestAccount; // 411481
let agencyA: string;
let agencyB: string;
let employerId: string;
let employerUscc: string;
const persons: string[] = [];

const [ID0, ID1, ID2, HOLDER_ID, , UNKNOWN_ID] = FIXTURE_ID_NUMBERS;

/** A bare person whose ID number is `idNumber` (its blind index), counted in 411402. */
async function personWithId(idNumber: string): Promise<string> {
  const id = await insertBarePerson(t.db, t.clock.now());
  await t.db
    .updateTable('persons')
    .set({ idNumberBidx: t.app.deps.pii.blindIndex('id_number', idNumber) })
    .where('id', '=', id)
    .execute();
  return id;
}

/** A valid USCC with its check character changed: USCC_CHECKSUM. */
function brokenUscc(uscc: string): string {
  const last = uscc.at(-1) === '0' ? '1' : '0';
  return uscc.slice(0, -1) + last;
}

async function post(url: string, as: TestAccount, payload: unknown, key?: string) {
  return t.app.inject({
    method: 'POST',
    url,
    headers: key ? { ...as.headers, 'idempotency-key': key } : as.headers,
    payload: payload as Record<string, unknown>,
  });
}

async function auditCount(action: string): Promise<number> {
  const rows = await t.db
    .selectFrom('auditEvents')
    .select('id')
    .where('action', '=', action)
    .execute();
  return rows.length;
}

beforeAll(async () => {
  t = await createTestApp();
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { now });
  county = await accountWithSession(t.db, 'county_admin', { now });
  otherCounty = await accountWithSession(t.db, 'county_admin', {
    now,
    anchors: { regionCode: '411481' },
  });
  auditor = await accountWithSession(t.db, 'auditor', { now });
  finance = await accountWithSession(t.db, 'finance', { now });
  agencyStaff = await accountWithSession(t.db, 'hr_agency', { now });
  agencyA = '0193a0a0-0000-7000-8000-000000000004';
  agencyB = await insertBareOrganisation(t.db, 'hr_agency', { regionCode: '411481', now });
  otherAgencyStaff = await accountWithSession(t.db, 'hr_agency', {
    now,
    anchors: { organisationId: agencyB },
  });
  employerId = await insertBareOrganisation(t.db, 'employer', {
    name: '商丘测试制造有限公司',
    now,
  });
  const employer = await t.db
    .selectFrom('organisations')
    .select('uscc')
    .where('id', '=', employerId)
    .executeTakeFirstOrThrow();
  employerUscc = employer.uscc ?? '';
  for (const idNumber of [ID0, ID1, ID2]) persons.push(await personWithId(idNumber));
});
afterAll(async () => {
  await t.close();
});

describe('POST /api/employment/registrations', () => {
  it('stores good rows and refuses the others row by row, with codes and paths', async () => {
    const unregistered = randomUscc('411402');
    const res = await post('/api/employment/registrations', city, {
      items: [
        // 0: lower case and spaces in the code are normalised; the employer is registered.
        { idNumber: ID0, employerUscc: ` ${employerUscc.toLowerCase()}`, hiredOn: '2026-01-10' },
        // 1: nobody has this ID number
        { idNumber: UNKNOWN_ID, employerUscc, hiredOn: '2026-01-10' },
        // 2: a wrong check character
        { idNumber: ID1, employerUscc: brokenUscc(employerUscc), hiredOn: '2026-01-10' },
        // 3: tomorrow in Shanghai
        { idNumber: ID1, employerUscc, hiredOn: '2026-03-16' },
        // 4: ended before hired
        { idNumber: ID1, employerUscc, hiredOn: '2026-02-01', endedOn: '2026-01-31' },
        // 5: an employer not registered here is kept, with its code only
        { idNumber: ID1, employerUscc: unregistered, hiredOn: '2026-03-15', endedOn: null },
        // 6: the same key as item 0
        { idNumber: ID0, employerUscc, hiredOn: '2026-01-10' },
        // 7: today, ended the same day
        { idNumber: ID2, employerUscc, hiredOn: '2025-06-01', endedOn: '2025-06-01' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ inserted: 3, updated: 0, unchanged: 0 });
    expect(body.claims).toEqual({ created: [], refused: [] });
    expect(
      body.rejected.map((r: { index: number; path: string; code: string }) => [
        r.index,
        r.path,
        r.code,
      ]),
    ).toEqual([
      [1, '/body/items/1/idNumber', 'PERSON_NOT_FOUND'],
      [2, '/body/items/2/employerUscc', 'USCC_CHECKSUM'],
      [3, '/body/items/3/hiredOn', 'HIRED_IN_FUTURE'],
      [4, '/body/items/4/endedOn', 'ENDED_BEFORE_HIRED'],
      [6, '/body/items/6/hiredOn', 'DUPLICATE_IN_REQUEST'],
    ]);

    const rows = await t.db
      .selectFrom('employmentRegistrations')
      .select([
        'personId',
        'employerUscc',
        'employerOrganisationId',
        'hiredOn',
        'endedOn',
        'source',
      ])
      .orderBy('hiredOn')
      .execute();
    expect(rows).toEqual([
      {
        personId: persons[2],
        employerUscc,
        employerOrganisationId: employerId,
        hiredOn: '2025-06-01',
        endedOn: '2025-06-01',
        source: 'api',
      },
      {
        personId: persons[0],
        employerUscc,
        employerOrganisationId: employerId,
        hiredOn: '2026-01-10',
        endedOn: null,
        source: 'api',
      },
      {
        personId: persons[1],
        employerUscc: unregistered,
        employerOrganisationId: null,
        hiredOn: '2026-03-15',
        endedOn: null,
        source: 'api',
      },
    ]);
    expect(await auditCount('employment.registrations.received')).toBe(1);
  });

  it('counts a changed end day as updated and the same one as unchanged', async () => {
    const res = await post('/api/employment/registrations', county, {
      items: [
        { idNumber: ID0, employerUscc, hiredOn: '2026-01-10', endedOn: '2026-03-01' },
        { idNumber: ID2, employerUscc, hiredOn: '2025-06-01', endedOn: '2025-06-01' },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      inserted: 0,
      updated: 1,
      unchanged: 1,
      rejected: [],
      claims: { created: [], refused: [] },
    });
    const row = await t.db
      .selectFrom('employmentRegistrations')
      .select('endedOn')
      .where('personId', '=', persons[0] ?? '')
      .executeTakeFirstOrThrow();
    expect(row.endedOn).toBe('2026-03-01');
  });

  it('replays a retried post with the same Idempotency-Key, writing and auditing once', async () => {
    const before = await auditCount('employment.registrations.received');
    const payload = { items: [{ idNumber: ID1, employerUscc, hiredOn: '2024-05-06' }] };
    const first = await post('/api/employment/registrations', city, payload, 'emp-reg-1');
    const second = await post('/api/employment/registrations', city, payload, 'emp-reg-1');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ inserted: 1, updated: 0, unchanged: 0 });
    expect(second.json()).toEqual(first.json());
    expect(await auditCount('employment.registrations.received')).toBe(before + 1);
    const again = await post('/api/employment/registrations', city, payload);
    expect(again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
  });

  it('refuses an empty list, and roles without employment.write', async () => {
    expect((await post('/api/employment/registrations', city, { items: [] })).statusCode).toBe(400);
    const res = await post('/api/employment/registrations', auditor, {
      items: [{ idNumber: ID0, employerUscc, hiredOn: '2026-01-10' }],
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
  });
});

describe('POST /api/employment/contributions', () => {
  const months = (from: number, to: number, year = 2025, wageBaseFen = 450_000) =>
    Array.from({ length: to - from + 1 }, (_, i) => ({
      idNumber: ID0,
      employerUscc,
      month: `${year}-${String(from + i).padStart(2, '0')}`,
      wageBaseFen,
    }));

  it('stores months, refuses a future month and an unknown person, keeps the rest', async () => {
    const res = await post('/api/employment/contributions', city, {
      items: [
        ...months(1, 6),
        ...months(8, 9),
        { idNumber: ID0, employerUscc, month: '2026-03', wageBaseFen: 480_000 },
        { idNumber: ID0, employerUscc, month: '2026-04', wageBaseFen: 480_000 },
        { idNumber: UNKNOWN_ID, employerUscc, month: '2026-01', wageBaseFen: 480_000 },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ inserted: 9, updated: 0, unchanged: 0 });
    expect(body.rejected).toEqual([
      {
        index: 9,
        path: '/body/items/9/month',
        code: 'MONTH_IN_FUTURE',
        message: 'month 2026-04 is after the current month',
      },
      {
        index: 10,
        path: '/body/items/10/idNumber',
        code: 'PERSON_NOT_FOUND',
        message: 'No person is registered with this ID number',
      },
    ]);
    const stored = await t.db
      .selectFrom('insuranceContributions')
      .select(['month', 'wageBaseFen'])
      .where('personId', '=', persons[0] ?? '')
      .orderBy('month')
      .execute();
    expect(stored).toHaveLength(9);
    expect(stored[0]).toEqual({ month: '2025-01-01', wageBaseFen: 450_000 });
    expect(stored[8]).toEqual({ month: '2026-03-01', wageBaseFen: 480_000 });
  });

  it('leaves the same wage base unchanged and replaces a different one', async () => {
    const res = await post('/api/employment/contributions', county, {
      items: [
        ...months(1, 2),
        { idNumber: ID0, employerUscc, month: '2025-03', wageBaseFen: 460_000 },
      ],
    });
    expect(res.json()).toMatchObject({ inserted: 0, updated: 1, unchanged: 2, rejected: [] });
  });

  it('refuses a wage base of zero at the edge', async () => {
    const res = await post('/api/employment/contributions', city, {
      items: [{ idNumber: ID0, employerUscc, month: '2025-03', wageBaseFen: 0 }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('a hire becomes a claim when its data arrives', () => {
  it('answers the 12th insured month with the hiring claim the employer then sees', async () => {
    const now = t.clock.now();
    const holder = await personWithId(HOLDER_ID);
    const evaluator = await insertBareOrganisation(t.db, 'evaluation_institution', { now });
    const certificate = await insertCertificate(t.db, {
      personId: holder,
      organisationId: evaluator,
      occupationCode: '6-01-01-01',
      skillLevelKey: 'level5',
      issuedOn: '2024-12-01',
      now,
    });
    const hired = await post('/api/employment/registrations', city, {
      items: [{ idNumber: HOLDER_ID, employerUscc, hiredOn: '2025-01-10' }],
    });
    expect(hired.json()).toMatchObject({ inserted: 1, claims: { created: [], refused: [] } });
    const months = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => ({
        idNumber: HOLDER_ID,
        employerUscc,
        month: `2025-${String(from + i).padStart(2, '0')}`,
        wageBaseFen: 420_000,
      }));
    // Eleven months: nothing yet.
    const eleven = await post('/api/employment/contributions', city, { items: months(1, 11) });
    expect(eleven.json()).toMatchObject({ inserted: 11, claims: { created: [], refused: [] } });
    // The twelfth: the claim, in the answer and in the employer's list.
    const twelfth = await post('/api/employment/contributions', city, { items: months(12, 12) });
    expect(twelfth.statusCode).toBe(200);
    expect(twelfth.json().claims.created).toEqual([
      expect.objectContaining({ kind: 'hiring', amountFen: 100_000, capCut: false }),
    ]);
    const staff = await accountWithSession(t.db, 'employer', {
      now,
      anchors: { organisationId: employerId },
    });
    const listed = await t.app.inject({
      url: `/api/subsidy-claims?personId=${holder}`,
      headers: staff.headers,
    });
    expect(listed.json()).toMatchObject({
      total: 1,
      items: [
        {
          kind: 'hiring',
          status: 'submitted',
          amountFen: 100_000,
          payeeOrganisationId: employerId,
          certificateId: certificate.id,
          basisDate: '2025-01-10',
        },
      ],
    });
  });
});

describe('GET /api/persons/{id}/employment', () => {
  it('shows registrations and the insured months as runs per employer', async () => {
    const res = await t.app.inject({
      url: `/api/persons/${persons[0]}/employment`,
      headers: auditor.headers,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.registrations).toEqual([
      expect.objectContaining({
        employerUscc,
        organisationId: employerId,
        organisationName: '商丘测试制造有限公司',
        hiredOn: '2026-01-10',
        endedOn: '2026-03-01',
      }),
    ]);
    expect(body.contributions).toEqual([
      {
        employerUscc,
        organisationName: '商丘测试制造有限公司',
        from: '2025-01',
        to: '2025-06',
        months: 6,
        latestWageBaseFen: 450_000,
      },
      {
        employerUscc,
        organisationName: '商丘测试制造有限公司',
        from: '2025-08',
        to: '2025-09',
        months: 2,
        latestWageBaseFen: 450_000,
      },
      {
        employerUscc,
        organisationName: '商丘测试制造有限公司',
        from: '2026-03',
        to: '2026-03',
        months: 1,
        latestWageBaseFen: 480_000,
      },
    ]);
    const byFinance = await t.app.inject({
      url: `/api/persons/${persons[0]}/employment`,
      headers: finance.headers,
    });
    expect(byFinance.statusCode).toBe(200);
  });

  it('answers 404 for a person outside a county administrator’s county', async () => {
    // Bare persons are counted in 411402; this administrator has 411403.
    const res = await t.app.inject({
      url: `/api/persons/${persons[0]}/employment`,
      headers: county.headers,
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('placements', () => {
  const placement = (extra: object = {}) => ({
    idNumber: ID1,
    employerUscc,
    employerName: '商丘测试制造有限公司',
    employerRegionCode: '411403',
    placedOn: '2026-03-01',
    ...extra,
  });
  let placementId: string;

  it('records an agency’s placement with the person’s masked ID number only', async () => {
    const res = await post('/api/placements', agencyStaff, placement());
    expect(res.statusCode).toBe(201);
    const body = res.json();
    placementId = body.placement.id;
    expect(body.placement).toMatchObject({
      agencyOrganisationId: agencyA,
      personId: persons[1],
      personName: '测试人员',
      personIdNumberMasked: '411402********0011',
      employerUscc,
      employerRegionCode: '411403',
      employerRegionName: '睢阳区',
      placedOn: '2026-03-01',
      claim: null,
    });
    expect(body.claims).toEqual({ created: [], refused: [] });
    expect(res.body).not.toContain(ID1);
    expect(await auditCount('placement.recorded')).toBe(1);
  });

  it('refuses the same placement twice with 409 PLACEMENT_EXISTS', async () => {
    const res = await post('/api/placements', agencyStaff, placement());
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('PLACEMENT_EXISTS');
  });

  it('refuses an employer region outside Henan, or not a county', async () => {
    for (const code of ['110105', '410100']) {
      const res = await post(
        '/api/placements',
        agencyStaff,
        placement({ employerRegionCode: code, placedOn: '2026-03-02' }),
      );
      expect(res.statusCode, code).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().errors[0].path).toBe('/body/employerRegionCode');
    }
  });

  it('refuses an unknown person (404) and a day after today', async () => {
    const unknown = await post('/api/placements', agencyStaff, placement({ idNumber: UNKNOWN_ID }));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('PERSON_NOT_FOUND');
    const future = await post(
      '/api/placements',
      agencyStaff,
      placement({ placedOn: '2026-03-16' }),
    );
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].path).toBe('/body/placedOn');
  });

  it('lets an administrator record for a named agency in scope, and only then', async () => {
    const missing = await post('/api/placements', city, placement({ placedOn: '2026-03-03' }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].path).toBe('/body/agencyOrganisationId');
    const outOfCounty = await post(
      '/api/placements',
      county,
      placement({ placedOn: '2026-03-03', agencyOrganisationId: agencyB }),
    );
    expect(outOfCounty.statusCode).toBe(400);
    const byCity = await post(
      '/api/placements',
      city,
      placement({ placedOn: '2026-03-03', agencyOrganisationId: agencyB }),
    );
    expect(byCity.statusCode).toBe(201);
    expect(byCity.json().placement.agencyOrganisationId).toBe(agencyB);
    const notMine = await post(
      '/api/placements',
      agencyStaff,
      placement({ placedOn: '2026-03-04', agencyOrganisationId: agencyB }),
    );
    expect(notMine.statusCode).toBe(403);
  });

  it('shows placements in scope only: another agency’s staff get 404 and an empty list', async () => {
    const other = await t.app.inject({
      url: `/api/placements/${placementId}`,
      headers: otherAgencyStaff.headers,
    });
    expect(other.statusCode).toBe(404);
    const list = async (as: TestAccount) => {
      const res = await t.app.inject({ url: '/api/placements', headers: as.headers });
      expect(res.statusCode).toBe(200);
      return res.json() as { total: number; items: { agencyOrganisationId: string }[] };
    };
    expect((await list(agencyStaff)).items.map((p) => p.agencyOrganisationId)).toEqual([agencyA]);
    expect((await list(otherAgencyStaff)).items.map((p) => p.agencyOrganisationId)).toEqual([
      agencyB,
    ]);
    expect((await list(county)).total).toBe(1); // agency A is in 411403
    expect((await list(otherCounty)).items.map((p) => p.agencyOrganisationId)).toEqual([agencyB]);
    expect((await list(city)).total).toBe(2);
    expect((await list(auditor)).total).toBe(2);
    const own = await t.app.inject({
      url: `/api/placements/${placementId}`,
      headers: agencyStaff.headers,
    });
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain(ID1);
  });
});
