import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { insertBareClass } from '../../../test/classes.js';
import {
  accountWithSession,
  administrators,
  insertBareOrganisation,
  insertBarePerson,
  organisationWithStaff,
  type TestAccount,
} from '../../../test/auth.js';
import { FIXTURE_ID_NUMBERS } from '../../../test/fixtures/sensitive.js';
import { uuidv7 } from '../../platform/ids.js';
import { formatVoucherNumber } from '../vouchers/vouchers.rules.js';

let t: TestApp;
let city: TestAccount;
let county: TestAccount; // 411403, the sites' county
let otherCounty: TestAccount; // 411481
let staffA: TestAccount;
let staffB: TestAccount;
let auditor: TestAccount;
let orgA: string;
let siteA: string; // 序列码 123456
let siteA2: string; // 序列码 654321
let siteB: string;

const LATHE = '6-18-01-01'; // 车工
const MILLING = '6-18-01-02'; // 铣工
const RICE = '6-01-01-01'; // 制米工
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

async function approve(
  siteId: string,
  occupationCode: string,
  skillLevelKey: string,
  validFrom = '2026-01-01',
  validTo = '2026-12-31',
) {
  await t.db
    .insertInto('evaluationScopes')
    .values({
      id: uuidv7(),
      siteId,
      occupationCode,
      occupationLevel: 4,
      skillLevelKey,
      validFrom,
      validTo,
    })
    .execute();
}

function schedule(as: TestAccount, body: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: '/api/evaluation-sessions',
    headers: as.headers,
    payload: { heldOn: HELD_ON, ...body },
  });
}

async function scheduled(body: Record<string, unknown>, as = staffA): Promise<{ id: string }> {
  const res = await schedule(as, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

function addCandidate(sessionId: string, body: Record<string, unknown>, as = staffA) {
  return t.app.inject({
    method: 'POST',
    url: `/api/evaluation-sessions/${sessionId}/candidates`,
    headers: as.headers,
    payload: body,
  });
}

async function candidate(sessionId: string, personId: string): Promise<{ id: string }> {
  const res = await addCandidate(sessionId, { personId, source: 'individual' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

function score(sessionId: string, candidateId: string, body: Record<string, unknown>) {
  return t.app.inject({
    method: 'PUT',
    url: `/api/evaluation-sessions/${sessionId}/candidates/${candidateId}/scores`,
    headers: staffA.headers,
    payload: body,
  });
}

function submit(sessionId: string, as = staffA) {
  return t.app.inject({
    method: 'POST',
    url: `/api/evaluation-sessions/${sessionId}/submit`,
    headers: as.headers,
  });
}

/** A session with one candidate who passed, ready to submit. */
async function passedSession(siteId: string, skillLevelKey: string, personId?: string) {
  const session = await scheduled({ siteId, occupationCode: LATHE, skillLevelKey });
  const person = personId ?? (await insertBarePerson(t.db, t.clock.now()));
  const c = await candidate(session.id, person);
  const res = await score(session.id, c.id, { theoryScore: 75, practicalScore: 80 });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().result).toBe('pass');
  return { sessionId: session.id, candidateId: c.id, personId: person };
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
  ({ city, county, otherCounty } = await administrators(t.db, now));
  auditor = await accountWithSession(t.db, 'auditor', { now });
  ({ organisationId: orgA, staff: staffA } = await organisationWithStaff(
    t.db,
    'evaluation_staff',
    now,
  ));
  const b = await organisationWithStaff(t.db, 'evaluation_staff', now);
  staffB = b.staff;
  siteA = await insertSite(orgA, '123456');
  siteA2 = await insertSite(orgA, '654321');
  siteB = await insertSite(b.organisationId, '222222');
  for (const level of ['level5', 'level4']) {
    await approve(siteA, LATHE, level);
    await approve(siteA2, LATHE, level);
  }
  await approve(siteA, LATHE, 'level3', '2025-01-01', '2026-02-28');
  await approve(siteA, LATHE, 'special_ability');
  await approve(siteA, RICE, 'level5');
  await approve(siteB, LATHE, 'level4');
});

afterAll(async () => {
  await t.close();
});

describe('scheduling a session', () => {
  it('schedules inside an approved scope and copies the default pass marks', async () => {
    const res = await schedule(staffA, {
      siteId: siteA,
      occupationCode: LATHE,
      skillLevelKey: 'level4',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      organisationId: orgA,
      siteId: siteA,
      siteSerialCode: '123456',
      occupationCode: LATHE,
      occupationName: '车工',
      skillLevelKey: 'level4',
      heldOn: HELD_ON,
      hasTheory: true,
      theoryPassMark: 60,
      practicalPassMark: 60,
      state: 'scheduled',
      regionCode: '411403',
      candidateCount: 0,
      sample: null,
    });
    expect(await auditActions(res.json().id)).toEqual(['evaluation.session.scheduled']);
  });

  it('refuses with 403 an occupation the site is not approved for', async () => {
    const res = await schedule(staffA, {
      siteId: siteA,
      occupationCode: MILLING,
      skillLevelKey: 'level4',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('OUT_OF_SCOPE');
    expect(res.json().detail).toBe(
      `The site is not approved for 铣工 (${MILLING}) at 四级/中级工 on ${HELD_ON}`,
    );
  });

  it('refuses with 403 a level whose approval ended before the day, naming the end', async () => {
    const res = await schedule(staffA, {
      siteId: siteA,
      occupationCode: LATHE,
      skillLevelKey: 'level3',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('OUT_OF_SCOPE');
    expect(res.json().detail).toMatch(/the approval ended on 2026-02-28$/);
    const inside = await schedule(staffA, {
      siteId: siteA,
      occupationCode: LATHE,
      skillLevelKey: 'level3',
      heldOn: '2026-02-28',
    });
    expect(inside.statusCode).toBe(201);
  });

  it('refuses with 403 another institution’s site', async () => {
    const res = await schedule(staffB, {
      siteId: siteA,
      occupationCode: LATHE,
      skillLevelKey: 'level4',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('OUT_OF_SCOPE');
    expect(res.json().detail).toBe('This is not an evaluation site of your institution');
  });

  it('refuses a 专项 session without its catalogue item, and a skill level with one', async () => {
    const res = await schedule(staffA, {
      siteId: siteA,
      occupationCode: LATHE,
      skillLevelKey: 'special_ability',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('/body/specialAbilityId');
  });

  it('shows sessions only in scope: another county’s administrator gets 404', async () => {
    const s = await scheduled({ siteId: siteA, occupationCode: LATHE, skillLevelKey: 'level5' });
    const url = `/api/evaluation-sessions/${s.id}`;
    expect((await t.app.inject({ url, headers: county.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ url, headers: auditor.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ url, headers: otherCounty.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url, headers: staffB.headers })).statusCode).toBe(404);
    const list = await t.app.inject({ url: '/api/evaluation-sessions', headers: staffB.headers });
    expect(list.json().total).toBe(0);
    const own = await t.app.inject({ url: '/api/evaluation-sessions', headers: staffA.headers });
    expect(own.json().items.map((i: { id: string }) => i.id)).toContain(s.id);
  });
});

describe('candidates, scores and submission', () => {
  it('adds a candidate by ID number, scores them, locks the results on submit', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/persons',
      headers: city.headers,
      payload: { idNumber: FIXTURE_ID_NUMBERS[5], name: '张三' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const s = await scheduled({ siteId: siteA, occupationCode: LATHE, skillLevelKey: 'level5' });
    const add = await addCandidate(s.id, {
      idNumber: FIXTURE_ID_NUMBERS[5],
      source: 'school',
      schoolName: '商丘职业技术学院',
      workerPaid: true,
      feePaidFen: 12_000,
    });
    expect(add.statusCode, add.body).toBe(201);
    expect(add.json()).toMatchObject({
      personId: created.json().person.id,
      holderName: '张三',
      holderIdNumberMasked: '411481********0031',
      source: 'school',
      workerPaid: true,
      feePaidFen: 12_000,
      result: null,
    });
    const again = await addCandidate(s.id, {
      personId: created.json().person.id,
      source: 'individual',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CANDIDATE_EXISTS');

    const absentee = await candidate(s.id, await insertBarePerson(t.db, t.clock.now()));
    const early = await submit(s.id);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('SCORES_INCOMPLETE');

    const failed = await score(s.id, add.json().id, { theoryScore: 59, practicalScore: 90 });
    expect(failed.json().result).toBe('fail');
    const passed = await score(s.id, add.json().id, { theoryScore: 60, practicalScore: 60 });
    expect(passed.json()).toMatchObject({ theoryScore: 60, practicalScore: 60, result: 'pass' });
    const shown = await t.app.inject({
      url: `/api/evaluation-sessions/${s.id}`,
      headers: staffA.headers,
    });
    expect(shown.json().candidates.find((c: { id: string }) => c.id === add.json().id)).toEqual(
      passed.json(),
    );
    const absent = await score(s.id, absentee.id, { absent: true });
    expect(absent.json().result).toBe('absent');

    const done = await submit(s.id);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().session.state).toBe('submitted');
    expect(done.json().issued).toHaveLength(1);
    const cert = done.json().issued[0];
    expect(cert).toMatchObject({
      kind: 'skill_level',
      personId: created.json().person.id,
      holderName: '张三',
      holderIdNumberMasked: '411481********0031',
      occupationName: '车工',
      skillLevelName: '五级/初级工',
      issuedOn: '2026-03-15',
      issuingProvinceCode: '41',
      status: 'valid',
      sessionId: s.id,
      candidateId: add.json().id,
      regionCode: created.json().person.regionCode,
    });
    expect(cert.number).toMatch(/^S000041123456265[0-9]{6}$/);

    const locked = await score(s.id, add.json().id, { theoryScore: 10, practicalScore: 10 });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().code).toBe('RESULTS_LOCKED');
    const late = await addCandidate(s.id, {
      personId: await insertBarePerson(t.db, t.clock.now()),
      source: 'individual',
    });
    expect(late.json().code).toBe('RESULTS_LOCKED');

    const replay = await submit(s.id);
    expect(replay.statusCode).toBe(200);
    expect(replay.json().issued.map((c: { number: string }) => c.number)).toEqual([cert.number]);
    expect(await auditActions(s.id)).toEqual([
      'evaluation.session.scheduled',
      'evaluation.session.submitted',
    ]);
    expect(await auditActions(cert.id)).toEqual(['certificate.issued']);

    const detail = await t.app.inject({
      url: `/api/evaluation-sessions/${s.id}`,
      headers: county.headers,
    });
    expect(detail.json().candidates.map((c: { result: string }) => c.result)).toEqual([
      'pass',
      'absent',
    ]);
    expect(detail.json().candidates[0].certificateId).toBe(cert.id);
  });

  it('gives no second certificate for the same person, occupation and level', async () => {
    const first = await passedSession(siteA, 'level4');
    const one = await submit(first.sessionId);
    expect(one.json().issued).toHaveLength(1);
    const second = await passedSession(siteA2, 'level4', first.personId);
    const two = await submit(second.sessionId);
    expect(two.statusCode).toBe(200);
    expect(two.json().issued).toEqual([]);
    expect(two.json().alreadyCertified).toEqual([
      {
        candidateId: second.candidateId,
        personId: first.personId,
        heldCertificateId: one.json().issued[0].id,
        heldNumber: one.json().issued[0].number,
      },
    ]);
    const held = await t.db
      .selectFrom('certificates')
      .select('id')
      .where('personId', '=', first.personId)
      .execute();
    expect(held).toHaveLength(1);
  });

  it('refuses a voucher candidate whose voucher is not a completed one of the occupation', async () => {
    const s = await scheduled({ siteId: siteA, occupationCode: LATHE, skillLevelKey: 'level5' });
    const res = await addCandidate(s.id, {
      personId: await insertBarePerson(t.db, t.clock.now()),
      source: 'voucher',
      voucherId: uuidv7(),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CANDIDATE_NOT_ELIGIBLE');
    const missing = await addCandidate(s.id, {
      personId: await insertBarePerson(t.db, t.clock.now()),
      source: 'enterprise',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].path).toBe('/body/employerOrganisationId');
  });
});

let voucherSerial = 9_000_000;

/** An ended class at `skillLevelKey` with vouchers in the given states, one trainee each. */
async function classWithVouchers(skillLevelKey: string, states: ('completed' | 'in_training')[]) {
  const now = t.clock.now();
  const org = await insertBareOrganisation(t.db, 'training_institution', { now });
  const classId = await insertBareClass(t.db, {
    organisationId: org,
    name: '车工培训班',
    occupationCode: LATHE,
    skillLevelKey,
    startsAt: new Date('2026-02-01T01:00:00Z'),
    endsAt: new Date('2026-03-10T09:00:00Z'),
    now,
  });
  const vouchers: { id: string; personId: string }[] = [];
  for (const state of states) {
    const personId = await insertBarePerson(t.db, now);
    const id = uuidv7();
    await t.db
      .insertInto('vouchers')
      .values({
        id,
        number: formatVoucherNumber(2026, (voucherSerial += 1)),
        personId,
        occupationCode: LATHE,
        occupationLevel: 4,
        valueFen: 150_000,
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
        state,
        classId,
        organisationId: org,
        subsidyStandardFen: 120_000,
        boundAt: now,
        pendingClassId: null,
        pendingOrganisationId: null,
        pendingSubsidyStandardFen: null,
        pendingRequestedBy: null,
        pendingRequestedAt: null,
        issuedBy: null,
        regionCode: '411403',
        source: 'issued',
        batchId: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    vouchers.push({ id, personId });
  }
  return { classId, vouchers };
}

describe('candidates from a class’s completed vouchers', () => {
  it('adds the completed trainees, and their certificates certify the vouchers', async () => {
    const { classId, vouchers } = await classWithVouchers('level5', [
      'completed',
      'completed',
      'in_training',
    ]);
    const s = await scheduled({ siteId: siteA2, occupationCode: LATHE, skillLevelKey: 'level5' });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/evaluation-sessions/${s.id}/candidates/from-class`,
      headers: staffA.headers,
      payload: { classId },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().added).toBe(2);
    expect(res.json().skipped).toEqual([]);
    const added = res.json().candidates as { id: string; voucherId: string; source: string }[];
    expect(added.map((c) => c.voucherId).sort()).toEqual(
      vouchers
        .slice(0, 2)
        .map((v) => v.id)
        .sort(),
    );
    expect(added.every((c) => c.source === 'voucher')).toBe(true);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/evaluation-sessions/${s.id}/candidates/from-class`,
      headers: staffA.headers,
      payload: { classId },
    });
    expect(again.json()).toMatchObject({ added: 0 });
    expect(again.json().skipped.map((k: { reason: string }) => k.reason)).toEqual([
      'already a candidate',
      'already a candidate',
    ]);
    for (const c of added) {
      expect((await score(s.id, c.id, { theoryScore: 88, practicalScore: 90 })).statusCode).toBe(
        200,
      );
    }
    const done = await submit(s.id);
    expect(done.json().issued).toHaveLength(2);
    const states = await t.db
      .selectFrom('vouchers')
      .select(['id', 'state'])
      .where('classId', '=', classId)
      .orderBy('id')
      .execute();
    const byId = new Map(states.map((v) => [v.id, v.state]));
    expect(vouchers.map((v) => byId.get(v.id))).toEqual(['certified', 'certified', 'in_training']);

    const later = await scheduled({
      siteId: siteA2,
      occupationCode: LATHE,
      skillLevelKey: 'level4',
    });
    const certified = await addCandidate(later.id, {
      personId: vouchers[0]?.personId,
      source: 'voucher',
      voucherId: vouchers[0]?.id,
    });
    expect(certified.statusCode).toBe(409);
    expect(certified.json().code).toBe('CANDIDATE_NOT_ELIGIBLE');
  });

  it('refuses a class above the session’s level', async () => {
    const { classId } = await classWithVouchers('level4', ['completed']);
    const s = await scheduled({ siteId: siteA2, occupationCode: LATHE, skillLevelKey: 'level5' });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/evaluation-sessions/${s.id}/candidates/from-class`,
      headers: staffA.headers,
      payload: { classId },
    });
    expect(res.json().added).toBe(0);
    expect(res.json().skipped[0].reason).toBe('the class was at a higher level than the session');
  });
});

describe('certificate numbers', () => {
  it('numbers exactly: S + 0000 + 41 + 序列码 + YY + level + serial, separately per level and site', async () => {
    const site = await insertSite(orgA, '777777');
    await approve(site, LATHE, 'level5');
    await approve(site, LATHE, 'level4');
    const numbers = [];
    for (const level of ['level5', 'level5', 'level4']) {
      const res = await submit((await passedSession(site, level)).sessionId);
      numbers.push(res.json().issued[0].number);
    }
    expect(numbers).toEqual([
      'S000041777777265000001',
      'S000041777777265000002',
      'S000041777777264000001',
    ]);
  });

  it('hands out gapless, unique serials to 20 sessions submitted at once', async () => {
    const before = await t.db
      .selectFrom('certificateSerials')
      .select('lastSerial')
      .where('siteId', '=', siteA)
      .where('year', '=', 2026)
      .where('levelDigit', '=', 4)
      .executeTakeFirst();
    const start = before?.lastSerial ?? 0;
    const sessions = [];
    for (let i = 0; i < 20; i += 1) sessions.push(await passedSession(siteA, 'level4'));
    const answers = await Promise.all(sessions.map((s) => submit(s.sessionId)));
    for (const a of answers) expect(a.statusCode, a.body).toBe(200);
    const numbers = answers.map((a) => a.json().issued[0].number as string);
    for (const n of numbers) expect(n).toMatch(/^S000041123456264[0-9]{6}$/);
    const serials = numbers.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(serials).toEqual(Array.from({ length: 20 }, (_, i) => start + i + 1));
  });
});

describe('serial exhaustion', () => {
  it('refuses past serial 999999 and leaves the session scheduled', async () => {
    const site = await insertSite(orgA, '888888');
    await approve(site, LATHE, 'level5');
    await t.db
      .insertInto('certificateSerials')
      .values({ siteId: site, year: 2026, levelDigit: 5, lastSerial: 999_999 })
      .execute();
    const p = await passedSession(site, 'level5');
    const res = await submit(p.sessionId);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CERTIFICATE_SERIALS_EXHAUSTED');
    const view = await t.app.inject({
      url: `/api/evaluation-sessions/${p.sessionId}`,
      headers: staffA.headers,
    });
    expect(view.json().state).toBe('scheduled');
  });
});

describe('专项职业能力', () => {
  it('has no theory part and a free-form number with the province', async () => {
    const item = await t.app.inject({
      method: 'POST',
      url: '/api/special-abilities',
      headers: city.headers,
      payload: { code: 'ZX-CG-001', name: '数控车削加工', occupationCode: LATHE },
    });
    expect(item.statusCode, item.body).toBe(201);
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/special-abilities',
      headers: city.headers,
      payload: { code: 'ZX-CG-001', name: '另一项', occupationCode: LATHE },
    });
    expect(dup.json().code).toBe('SPECIAL_ABILITY_CODE_TAKEN');
    const listed = await t.app.inject({ url: '/api/special-abilities', headers: staffA.headers });
    expect(listed.json().items.map((i: { code: string }) => i.code)).toContain('ZX-CG-001');

    const s = await scheduled({
      siteId: siteA,
      occupationCode: LATHE,
      skillLevelKey: 'special_ability',
      specialAbilityId: item.json().id,
    });
    const view = await t.app.inject({
      url: `/api/evaluation-sessions/${s.id}`,
      headers: staffA.headers,
    });
    expect(view.json()).toMatchObject({
      hasTheory: false,
      theoryPassMark: null,
      practicalPassMark: 60,
    });
    const c = await candidate(s.id, await insertBarePerson(t.db, t.clock.now()));
    const theory = await score(s.id, c.id, { theoryScore: 80, practicalScore: 80 });
    expect(theory.statusCode).toBe(400);
    expect(theory.json().errors[0].path).toBe('/body/theoryScore');
    expect((await score(s.id, c.id, { practicalScore: 60 })).json().result).toBe('pass');
    const done = await submit(s.id);
    expect(done.json().issued[0]).toMatchObject({
      kind: 'special_ability',
      number: '412612345600001',
      specialAbilityName: '数控车削加工',
      issuingProvinceCode: '41',
    });
  });
});

describe('certificates: list, detail, revocation', () => {
  it('revokes with a reason, audited, visible in the detail; a worker sees their own', async () => {
    const p = await passedSession(siteA, 'level5');
    const cert = (await submit(p.sessionId)).json().issued[0];
    const holder = await accountWithSession(t.db, 'worker', {
      now: t.clock.now(),
      anchors: { personId: p.personId },
    });
    const stranger = await accountWithSession(t.db, 'worker', { now: t.clock.now() });
    const mine = await t.app.inject({ url: '/api/certificates', headers: holder.headers });
    expect(mine.json().items.map((c: { id: string }) => c.id)).toEqual([cert.id]);
    const theirs = await t.app.inject({
      url: `/api/certificates/${cert.id}`,
      headers: stranger.headers,
    });
    expect(theirs.statusCode).toBe(404);
    const byNumber = await t.app.inject({
      url: `/api/certificates?number=${cert.number}`,
      headers: staffA.headers,
    });
    expect(byNumber.json().total).toBe(1);
    expect(
      (
        await t.app.inject({
          url: `/api/certificates?organisationId=${orgA}`,
          headers: staffB.headers,
        })
      ).json().total,
    ).toBe(0);

    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/certificates/${cert.id}/revoke`,
      headers: otherCounty.headers,
      payload: { reason: '考试作弊' },
    });
    expect(refused.statusCode).toBe(404);
    const revoke = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/certificates/${cert.id}/revoke`,
        headers: city.headers,
        payload: { reason: '考试作弊' },
      });
    const res = await revoke();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'revoked',
      revocationReason: '考试作弊',
      revokedAt: t.clock.now().toISOString(),
    });
    const again = await revoke();
    expect(again.statusCode).toBe(200);
    expect(again.json().revokedAt).toBe(res.json().revokedAt);
    expect(await auditActions(cert.id)).toEqual(['certificate.issued', 'certificate.revoked']);
    const detail = await t.app.inject({
      url: `/api/certificates/${cert.id}`,
      headers: holder.headers,
    });
    expect(detail.json()).toMatchObject({
      status: 'revoked',
      revocationReason: '考试作弊',
      issuerName: expect.any(String),
      occupationName: '车工',
      skillLevelName: '五级/初级工',
      sessionId: p.sessionId,
      sessionHeldOn: HELD_ON,
    });
    const revokedList = await t.app.inject({
      url: '/api/certificates?status=revoked',
      headers: city.headers,
    });
    expect(revokedList.json().items.map((c: { id: string }) => c.id)).toContain(cert.id);
  });
});

describe('sampling, pass marks', () => {
  it('lets the site’s county sample a session, audited; another county gets 404', async () => {
    const s = await scheduled({ siteId: siteA, occupationCode: LATHE, skillLevelKey: 'level5' });
    const sample = (as: TestAccount) =>
      t.app.inject({
        method: 'POST',
        url: `/api/evaluation-sessions/${s.id}/sample`,
        headers: as.headers,
        payload: { note: '抽查考场录像' },
      });
    expect((await sample(otherCounty)).statusCode).toBe(404);
    expect((await sample(staffA)).statusCode).toBe(403);
    const res = await sample(county);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().sample).toMatchObject({ note: '抽查考场录像', sampledBy: county.id });
    expect(await auditActions(s.id)).toEqual([
      'evaluation.session.scheduled',
      'evaluation.session.sampled',
    ]);
  });

  it('sets an occupation’s pass marks, which later sessions copy', async () => {
    const url = `/api/evaluation-pass-marks/${RICE}`;
    const before = await t.app.inject({ url, headers: staffA.headers });
    expect(before.json()).toMatchObject({
      theoryPassMark: 60,
      practicalPassMark: 60,
      isDefault: true,
    });
    const denied = await t.app.inject({
      method: 'PUT',
      url,
      headers: county.headers,
      payload: { theoryPassMark: 70, practicalPassMark: 65 },
    });
    expect(denied.statusCode).toBe(403);
    const set = await t.app.inject({
      method: 'PUT',
      url,
      headers: city.headers,
      payload: { theoryPassMark: 70, practicalPassMark: 65 },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({
      theoryPassMark: 70,
      practicalPassMark: 65,
      isDefault: false,
    });
    const s = await scheduled({ siteId: siteA, occupationCode: RICE, skillLevelKey: 'level5' });
    const view = await t.app.inject({
      url: `/api/evaluation-sessions/${s.id}`,
      headers: staffA.headers,
    });
    expect(view.json()).toMatchObject({ theoryPassMark: 70, practicalPassMark: 65 });
    const c = await candidate(s.id, await insertBarePerson(t.db, t.clock.now()));
    expect((await score(s.id, c.id, { theoryScore: 69, practicalScore: 90 })).json().result).toBe(
      'fail',
    );
    expect((await score(s.id, c.id, { theoryScore: 70, practicalScore: 65 })).json().result).toBe(
      'pass',
    );
  });
});
