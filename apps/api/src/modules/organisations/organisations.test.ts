import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  type TestAccount,
} from '../../../test/auth.js';
import { FIXTURE_PHONES } from '../../../test/fixtures/sensitive.js';
import { isApprovedAt } from './organisations.service.js';
import { validateUscc } from './uscc.rules.js';

// createTestApp's clock: 2026-03-15T02:00:00Z, a Sunday morning in Shanghai.
const NOW = '2026-03-15T02:00:00.000Z';
const VALID_USCC = '91110000600037341L';

let t: TestApp;
let city: TestAccount;
let suiyang: TestAccount;
let liangyuan: TestAccount;
let auditor: TestAccount;

type Json = Record<string, unknown>;

async function post(account: TestAccount, url: string, payload: Json) {
  return t.app.inject({ method: 'POST', url, headers: account.headers, payload });
}

async function patch(account: TestAccount, url: string, payload: Json) {
  return t.app.inject({ method: 'PATCH', url, headers: account.headers, payload });
}

async function get(account: TestAccount, url: string) {
  return t.app.inject({ url, headers: account.headers });
}

async function auditActions(entityId: string) {
  const rows = await t.db
    .selectFrom('auditEvents')
    .select(['action', 'actorUsername', 'entityType', 'before', 'after'])
    .where('entityId', '=', entityId)
    .orderBy('occurredAt')
    .orderBy('id')
    .execute();
  return rows;
}

beforeAll(async () => {
  t = await createTestApp();
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { username: 'city.admin', now });
  suiyang = await accountWithSession(t.db, 'county_admin', {
    username: 'suiyang.admin',
    now,
    anchors: { regionCode: '411403' },
  });
  liangyuan = await accountWithSession(t.db, 'county_admin', {
    username: 'liangyuan.admin',
    now,
    anchors: { regionCode: '411402' },
  });
  auditor = await accountWithSession(t.db, 'auditor', { username: 'the.auditor', now });
});
afterAll(async () => {
  await t.close();
});

describe('registering organisations', () => {
  it('registers a training institution, showing its contact phone masked only', async () => {
    const res = await post(city, '/api/organisations', {
      kind: 'training_institution',
      name: '商丘市睢阳区技工培训学校',
      regionCode: '411403',
      address: '睢阳区神火大道 1 号',
      contactName: '王老师',
      contactPhone: `+86 ${FIXTURE_PHONES[0]}`,
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<Json>();
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7/),
      kind: 'training_institution',
      name: '商丘市睢阳区技工培训学校',
      uscc: null,
      regionCode: '411403',
      address: '睢阳区神火大道 1 号',
      contactName: '王老师',
      contactPhone: '138****1234',
      status: 'active',
      evaluationType: null,
      institutionCode: null,
      sizeClass: null,
      isSme: null,
      affiliation: null,
      affiliationRegionCode: null,
      bankName: null,
      bankAccountName: null,
      bankAccountNo: null,
      createdAt: NOW,
      updatedAt: NOW,
    });
    const stored = await t.db
      .selectFrom('organisations')
      .select(['contactPhoneEnc', 'contactPhoneMasked'])
      .where('id', '=', body.id as string)
      .executeTakeFirstOrThrow();
    expect(stored.contactPhoneEnc).toMatch(/^v1\./);
    expect(stored.contactPhoneEnc).not.toContain(FIXTURE_PHONES[0]);
    expect(t.app.deps.pii.decrypt('organisation.contact_phone', stored.contactPhoneEnc ?? '')).toBe(
      FIXTURE_PHONES[0],
    );
    const audit = await auditActions(body.id as string);
    expect(audit).toEqual([
      {
        action: 'organisation.created',
        actorUsername: 'city.admin',
        entityType: 'organisation',
        before: null,
        after: body,
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain(FIXTURE_PHONES[0]);
  });

  it('registers an employer with its USCC, size class and county affiliation', async () => {
    const res = await post(city, '/api/organisations', {
      kind: 'employer',
      name: '北京某某有限公司商丘分公司',
      uscc: VALID_USCC,
      regionCode: '411403',
      sizeClass: 'small',
      affiliation: 'county',
      affiliationRegionCode: '411403',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(String),
      kind: 'employer',
      name: '北京某某有限公司商丘分公司',
      uscc: VALID_USCC,
      regionCode: '411403',
      address: null,
      contactName: null,
      contactPhone: null,
      status: 'active',
      evaluationType: null,
      institutionCode: null,
      sizeClass: 'small',
      isSme: true,
      affiliation: 'county',
      affiliationRegionCode: '411403',
      bankName: null,
      bankAccountName: null,
      bankAccountNo: null,
      createdAt: NOW,
      updatedAt: NOW,
    });
  });

  it('registers an evaluation institution with its type and code, and an HR agency', async () => {
    const evaluation = await post(city, '/api/organisations', {
      kind: 'evaluation_institution',
      name: '河南某职业技能评价中心',
      regionCode: '411402',
      evaluationType: 'S',
      institutionCode: '0000',
    });
    expect(evaluation.statusCode).toBe(201);
    expect(evaluation.json()).toMatchObject({
      kind: 'evaluation_institution',
      evaluationType: 'S',
      institutionCode: '0000',
      sizeClass: null,
      isSme: null,
    });
    const agency = await post(city, '/api/organisations', {
      kind: 'hr_agency',
      name: '商丘市人力资源服务有限公司',
      regionCode: '411402',
      uscc: '11411400005837168X',
    });
    expect(agency.statusCode).toBe(201);
    expect(agency.json()).toMatchObject({ kind: 'hr_agency', uscc: '11411400005837168X' });
  });

  it('refuses a USCC failing the GB 32100 check, in Chinese, on /body/uscc', async () => {
    const wrong = '91110000600037341N';
    const expected = validateUscc(wrong);
    if (expected.ok) throw new Error('the vector should be invalid');
    const res = await post(city, '/api/organisations', {
      kind: 'employer',
      name: '校验位错误的公司',
      uscc: wrong,
      regionCode: '411403',
      sizeClass: 'large',
      affiliation: 'city',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: '/body/uscc', message: expected.message }],
    });
    expect(expected.message).toContain('校验位');
    const excluded = await post(city, '/api/organisations', {
      kind: 'hr_agency',
      name: '含禁用字母的机构',
      uscc: '9111000060003IOZSV',
      regionCode: '411403',
    });
    expect(excluded.statusCode).toBe(400);
    expect(excluded.json().errors[0]).toMatchObject({ path: '/body/uscc' });
    expect(excluded.json().errors[0].message).toContain('不使用字母 I、O、Z、S、V');
  });

  it('refuses a USCC another organisation has, however it is spaced', async () => {
    const res = await post(city, '/api/organisations', {
      kind: 'training_institution',
      name: '重复代码的学校',
      uscc: '91 110000 600037341l',
      regionCode: '411403',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'USCC_TAKEN',
      errors: [{ path: '/body/uscc', message: 'is taken' }],
    });
  });

  it('refuses an employer without a size class, naming the field', async () => {
    const res = await post(city, '/api/organisations', {
      kind: 'employer',
      name: '没有规模的公司',
      uscc: '91152201078377449P',
      regionCode: '411403',
      affiliation: 'city',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      detail: 'sizeClass: required for employer',
      errors: [{ path: '/body/sizeClass', message: 'required for employer' }],
    });
  });

  it('refuses the fields of another kind and a malformed institution code', async () => {
    const other = await post(city, '/api/organisations', {
      kind: 'training_institution',
      name: '带评价字段的学校',
      regionCode: '411403',
      evaluationType: 'S',
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().errors).toEqual([
      { path: '/body/evaluationType', message: 'not used for training_institution' },
    ]);
    const code = await post(city, '/api/organisations', {
      kind: 'evaluation_institution',
      name: '代码错误的评价机构',
      regionCode: '411403',
      evaluationType: 'Y',
      institutionCode: '123',
    });
    expect(code.statusCode).toBe(400);
    expect(code.json().errors[0].path).toBe('/body/institutionCode');
  });

  it('wants a county-level region, and the city administrator to name it', async () => {
    const missing = await post(city, '/api/organisations', { kind: 'hr_agency', name: '无区域' });
    expect(missing.json().errors).toEqual([{ path: '/body/regionCode', message: 'required' }]);
    const township = await post(city, '/api/organisations', {
      kind: 'hr_agency',
      name: '乡镇代码',
      regionCode: '411400',
    });
    expect(township.statusCode).toBe(400);
    expect(township.json().errors).toEqual([
      { path: '/body/regionCode', message: 'unknown county-level region' },
    ]);
  });

  it('registers a county administrator’s organisations in their own region only', async () => {
    const own = await post(suiyang, '/api/organisations', {
      kind: 'training_institution',
      name: '睢阳区家政培训学校',
    });
    expect(own.statusCode).toBe(201);
    expect(own.json().regionCode).toBe('411403');
    const other = await post(suiyang, '/api/organisations', {
      kind: 'training_institution',
      name: '梁园区的学校',
      regionCode: '411402',
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().errors).toEqual([
      { path: '/body/regionCode', message: 'outside your region' },
    ]);
  });
});

describe('changing organisations', () => {
  it('suspends an employer and clears its county when the affiliation changes', async () => {
    const created = await post(city, '/api/organisations', {
      kind: 'employer',
      name: '可变更的公司',
      uscc: '911522010783762860',
      regionCode: '411403',
      sizeClass: 'large',
      affiliation: 'county',
      affiliationRegionCode: '411403',
    });
    const id = created.json().id as string;
    t.clock.set('2026-03-15T02:10:00Z');
    const res = await patch(suiyang, `/api/organisations/${id}`, {
      status: 'suspended',
      affiliation: 'city',
      contactPhone: FIXTURE_PHONES[1],
    });
    t.clock.set(NOW);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'suspended',
      affiliation: 'city',
      affiliationRegionCode: null,
      isSme: false,
      contactPhone: '138****1235',
      createdAt: NOW,
      updatedAt: '2026-03-15T02:10:00.000Z',
    });
    const audit = await auditActions(id);
    expect(audit.map((a) => a.action)).toEqual(['organisation.created', 'organisation.updated']);
    expect(audit[1]).toMatchObject({
      actorUsername: 'suiyang.admin',
      before: { status: 'active', affiliation: 'county' },
      after: { status: 'suspended', affiliation: 'city' },
    });
  });

  it('refuses to drop what the kind requires, and to move out of a county’s region', async () => {
    const id = await insertBareOrganisation(t.db, 'employer');
    const drop = await patch(city, `/api/organisations/${id}`, { sizeClass: null });
    expect(drop.statusCode).toBe(400);
    expect(drop.json().errors).toEqual([
      { path: '/body/sizeClass', message: 'required for employer' },
    ]);
    const move = await patch(suiyang, `/api/organisations/${id}`, { regionCode: '411402' });
    expect(move.statusCode).toBe(403);
    const taken = await patch(city, `/api/organisations/${id}`, { uscc: VALID_USCC });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('USCC_TAKEN');
  });

  it('keeps a payee bank account: all three fields or none, the number 8–32 digits', async () => {
    const id = await insertBareOrganisation(t.db, 'training_institution');
    const partial = await patch(city, `/api/organisations/${id}`, { bankName: '中国银行商丘分行' });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().errors).toEqual([
      { path: '/body/bankAccountName', message: 'required with the other bank fields' },
      { path: '/body/bankAccountNo', message: 'required with the other bank fields' },
    ]);
    const short = await patch(city, `/api/organisations/${id}`, {
      bankName: '中国银行商丘分行',
      bankAccountName: '商丘市某培训学校',
      bankAccountNo: '1234567',
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors).toEqual([
      { path: '/body/bankAccountNo', message: 'must be 8–32 digits' },
    ]);
    const set = await patch(city, `/api/organisations/${id}`, {
      bankName: ' 中国银行商丘分行 ',
      bankAccountName: '商丘市某培训学校',
      bankAccountNo: '2500 0123 4567 8901',
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({
      bankName: '中国银行商丘分行',
      bankAccountName: '商丘市某培训学校',
      bankAccountNo: '2500012345678901',
    });
    const changed = await patch(city, `/api/organisations/${id}`, {
      bankAccountNo: '0012345678901234567890',
    });
    expect(changed.json().bankAccountNo).toBe('0012345678901234567890');
    const halfCleared = await patch(city, `/api/organisations/${id}`, { bankName: null });
    expect(halfCleared.statusCode).toBe(400);
    const cleared = await patch(city, `/api/organisations/${id}`, {
      bankName: null,
      bankAccountName: null,
      bankAccountNo: null,
    });
    expect(cleared.json()).toMatchObject({
      bankName: null,
      bankAccountName: null,
      bankAccountNo: null,
    });
    const audits = await auditActions(id);
    expect(audits.map((a) => a.action)).toEqual([
      'organisation.updated',
      'organisation.updated',
      'organisation.updated',
    ]);
    expect(audits[0]?.after).toMatchObject({ bankAccountNo: '2500012345678901' });
    const created = await post(city, '/api/organisations', {
      kind: 'hr_agency',
      name: '商丘某人力资源公司',
      regionCode: '411403',
      bankAccountNo: '2500012345678901',
    });
    expect(created.statusCode).toBe(400);
    expect(created.json().errors).toEqual([
      { path: '/body/bankName', message: 'required with the other bank fields' },
      { path: '/body/bankAccountName', message: 'required with the other bank fields' },
    ]);
  });
});

describe('evaluation sites and approved scopes', () => {
  let institution: string;
  let site: string;
  let otherSite: string;
  let cookScope: string;
  let staff: TestAccount;

  beforeAll(async () => {
    const created = await post(suiyang, '/api/organisations', {
      kind: 'evaluation_institution',
      name: '睢阳区职业技能等级认定中心',
      evaluationType: 'S',
      institutionCode: '4114',
    });
    institution = created.json().id as string;
    staff = await accountWithSession(t.db, 'evaluation_staff', {
      username: 'eval.staff',
      now: t.clock.now(),
      anchors: { organisationId: institution },
    });
  });

  it('adds sites with their 序列码 and lists them', async () => {
    const res = await post(suiyang, `/api/organisations/${institution}/sites`, {
      name: '第一考点',
      serialCode: '000101',
      regionCode: '411403',
      address: '睢阳区文化路 8 号',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(String),
      organisationId: institution,
      name: '第一考点',
      serialCode: '000101',
      regionCode: '411403',
      address: '睢阳区文化路 8 号',
      status: 'active',
      createdAt: NOW,
      updatedAt: NOW,
    });
    site = res.json().id as string;
    const second = await post(city, `/api/organisations/${institution}/sites`, {
      name: '第二考点',
      serialCode: '000102',
      regionCode: '411402',
    });
    otherSite = second.json().id as string;
    const list = await get(staff, `/api/organisations/${institution}/sites`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((s: Json) => s.serialCode)).toEqual(['000101', '000102']);
    expect((await auditActions(site)).map((a) => a.action)).toEqual(['organisation.site.created']);
  });

  it('refuses a taken 序列码, a malformed one, and sites of other kinds', async () => {
    const taken = await post(city, `/api/organisations/${institution}/sites`, {
      name: '重复考点',
      serialCode: '000101',
      regionCode: '411403',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({
      code: 'SERIAL_CODE_TAKEN',
      errors: [{ path: '/body/serialCode', message: 'is taken' }],
    });
    const malformed = await post(city, `/api/organisations/${institution}/sites`, {
      name: '五位考点',
      serialCode: '00010',
      regionCode: '411403',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors[0].path).toBe('/body/serialCode');
    const school = await insertBareOrganisation(t.db, 'training_institution');
    const wrongKind = await post(city, `/api/organisations/${school}/sites`, {
      name: '学校考点',
      serialCode: '000199',
      regionCode: '411403',
    });
    expect(wrongKind.statusCode).toBe(409);
    expect(wrongKind.json().code).toBe('NOT_AN_EVALUATION_INSTITUTION');
    expect((await get(city, `/api/organisations/${school}/sites`)).json()).toEqual({ items: [] });
  });

  it('approves an occupation and level for a period', async () => {
    const res = await post(city, `/api/organisations/${institution}/sites/${site}/scopes`, {
      occupationCode: '4-03-02-01',
      skillLevelKey: 'level4',
      validFrom: '2026-01-01',
      validTo: '2028-12-31',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(String),
      siteId: site,
      occupationCode: '4-03-02-01',
      occupationLevel: 4,
      occupationName: '中式烹调师',
      skillLevelKey: 'level4',
      skillLevelName: '四级/中级工',
      validFrom: '2026-01-01',
      validTo: '2028-12-31',
      createdAt: NOW,
      updatedAt: NOW,
    });
    cookScope = res.json().id as string;
    const special = await post(city, `/api/organisations/${institution}/sites/${site}/scopes`, {
      occupationCode: '4-10-01-06',
      skillLevelKey: 'special_ability',
      validFrom: '2026-03-01',
      validTo: '2027-02-28',
    });
    expect(special.statusCode).toBe(201);
    expect(special.json().skillLevelName).toBe('专项职业能力');
  });

  it('refuses an approval overlapping one of the same site, occupation and level', async () => {
    const url = `/api/organisations/${institution}/sites/${site}/scopes`;
    const overlap = await post(city, url, {
      occupationCode: '4-03-02-01',
      skillLevelKey: 'level4',
      validFrom: '2028-12-31',
      validTo: '2030-12-31',
    });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json()).toMatchObject({
      code: 'SCOPE_OVERLAP',
      errors: [{ path: '/body/validFrom', message: 'overlaps an existing approval' }],
    });
    const next = await post(city, url, {
      occupationCode: '4-03-02-01',
      skillLevelKey: 'level4',
      validFrom: '2029-01-01',
      validTo: '2030-12-31',
    });
    expect(next.statusCode).toBe(201);
    const otherLevel = await post(city, url, {
      occupationCode: '4-03-02-01',
      skillLevelKey: 'level3',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
    });
    expect(otherLevel.statusCode).toBe(201);
  });

  it('leaves the database refusing an overlap even when the service is bypassed', async () => {
    await expect(
      t.ownerDb
        .insertInto('evaluationScopes')
        .values({
          id: '0193a0a0-0000-7000-8000-0000000000f1',
          siteId: site,
          occupationCode: '4-03-02-01',
          occupationLevel: 4,
          skillLevelKey: 'level4',
          validFrom: '2027-01-01',
          validTo: '2027-01-01',
        })
        .execute(),
    ).rejects.toMatchObject({ code: '23P01', constraint: 'evaluation_scopes_no_overlap' });
  });

  it('refuses a reversed period, a group code and an unknown level', async () => {
    const res = await post(city, `/api/organisations/${institution}/sites/${site}/scopes`, {
      occupationCode: '4-03-02-00',
      skillLevelKey: 'level9',
      validFrom: '2026-05-01',
      validTo: '2026-04-30',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { path: '/body/occupationCode', message: 'not an occupation in the catalog' },
      { path: '/body/skillLevelKey', message: 'unknown skill level' },
      { path: '/body/validTo', message: 'must not be before validFrom' },
    ]);
  });

  it('answers whether an occupation and level is approved at a site on a day', async () => {
    const ask = (siteId: string, level: string, date: string, code = '4-03-02-01') =>
      isApprovedAt(t.db, siteId, code, 4, level, date);
    expect(await ask(site, 'level4', '2026-01-01')).toBe(true);
    expect(await ask(site, 'level4', '2026-03-15')).toBe(true);
    expect(await ask(site, 'level4', '2028-12-31')).toBe(true);
    expect(await ask(site, 'level4', '2029-06-01')).toBe(true);
    expect(await ask(site, 'level4', '2025-12-31')).toBe(false);
    expect(await ask(site, 'level4', '2031-01-01')).toBe(false);
    expect(await ask(site, 'level5', '2026-03-15')).toBe(false);
    expect(await ask(site, 'level3', '2027-01-01')).toBe(false);
    expect(await ask(otherSite, 'level4', '2026-03-15')).toBe(false);
    expect(await ask(site, 'level4', '2026-03-15', '6-31-01-03')).toBe(false);
  });

  it('ends an approval early, only shortening it', async () => {
    const url = `/api/organisations/${institution}/sites/${site}/scopes/${cookScope}/end`;
    const longer = await post(city, url, { validTo: '2029-06-30' });
    expect(longer.statusCode).toBe(400);
    expect(longer.json().errors).toEqual([
      { path: '/body/validTo', message: 'must not be after the current validTo (2028-12-31)' },
    ]);
    const res = await post(suiyang, url, { validTo: '2026-06-30', reason: '年度检查不合格' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ validFrom: '2026-01-01', validTo: '2026-06-30' });
    expect(await isApprovedAt(t.db, site, '4-03-02-01', 4, 'level4', '2026-06-30')).toBe(true);
    expect(await isApprovedAt(t.db, site, '4-03-02-01', 4, 'level4', '2026-07-01')).toBe(false);
    const audit = await auditActions(cookScope);
    expect(audit.map((a) => a.action)).toEqual([
      'organisation.scope.approved',
      'organisation.scope.ended',
    ]);
    expect(audit[1]).toMatchObject({
      actorUsername: 'suiyang.admin',
      entityType: 'evaluation_scope',
      before: { validTo: '2028-12-31' },
      after: { validTo: '2026-06-30' },
    });
  });

  it('lists a site’s approvals, or those in force on a day', async () => {
    const url = `/api/organisations/${institution}/sites/${site}/scopes`;
    const all = await get(staff, url);
    expect(all.statusCode).toBe(200);
    expect(all.json().items).toHaveLength(4);
    const today = await get(staff, `${url}?activeOn=2026-03-15`);
    expect(
      today
        .json()
        .items.map((s: Json) => `${s.occupationCode as string} ${s.skillLevelKey as string}`),
    ).toEqual(['4-03-02-01 level4', '4-03-02-01 level3', '4-10-01-06 special_ability']);
    expect((await get(staff, `${url}?activeOn=2026-02-30`)).statusCode).toBe(400);
  });

  it('lets the institution’s staff read its sites and scopes but change nothing', async () => {
    const base = `/api/organisations/${institution}/sites`;
    expect((await get(staff, `/api/organisations/${institution}`)).statusCode).toBe(200);
    const approve = await post(staff, `${base}/${site}/scopes`, {
      occupationCode: '6-31-01-03',
      skillLevelKey: 'level5',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
    });
    expect(approve.statusCode).toBe(403);
    expect(approve.json().code).toBe('FORBIDDEN');
    expect(
      (await post(staff, base, { name: 'x', serialCode: '000999', regionCode: '411403' }))
        .statusCode,
    ).toBe(403);
    expect((await patch(staff, `${base}/${site}`, { status: 'suspended' })).statusCode).toBe(403);
  });

  it('takes a JSON body as sent: null clears a field, a number is no name', async () => {
    const id = await insertBareOrganisation(t.db, 'hr_agency');
    const set = await patch(city, `/api/organisations/${id}`, { address: '睢阳区凯旋路 9 号' });
    expect(set.json()).toMatchObject({ address: '睢阳区凯旋路 9 号' });
    const cleared = await patch(city, `/api/organisations/${id}`, { address: null });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json()).toMatchObject({ address: null });
    const numeric = await patch(city, `/api/organisations/${id}`, { name: 12345 });
    expect(numeric.statusCode).toBe(400);
    expect(numeric.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: '/body/name' })]),
    );
    // Query strings are text and still coerced to their types.
    const page = await get(city, '/api/organisations?page=1&pageSize=5');
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ page: 1, pageSize: 5 });
  });

  it('changes and suspends a site, and hides a site under another institution', async () => {
    const res = await patch(city, `/api/organisations/${institution}/sites/${otherSite}`, {
      name: '第二考点（迁址）',
      status: 'suspended',
      address: null,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '第二考点（迁址）', status: 'suspended' });
    expect((await auditActions(otherSite)).map((a) => a.action)).toEqual([
      'organisation.site.created',
      'organisation.site.updated',
    ]);
    const stranger = await insertBareOrganisation(t.db, 'evaluation_institution');
    expect(
      (await get(city, `/api/organisations/${stranger}/sites/${site}/scopes`)).statusCode,
    ).toBe(404);
    expect(
      (await patch(city, `/api/organisations/${stranger}/sites/${site}`, { name: 'x' })).statusCode,
    ).toBe(404);
  });
});

describe('scope', () => {
  let liangyuanOrg: string;
  let suiyangOrg: string;

  beforeAll(async () => {
    liangyuanOrg = await insertBareOrganisation(t.db, 'training_institution', {
      regionCode: '411402',
      name: '梁园区某培训学校',
    });
    suiyangOrg = await insertBareOrganisation(t.db, 'training_institution', {
      regionCode: '411403',
      name: '睢阳区某培训学校',
    });
  });

  it('hides a 梁园区 organisation from a 睢阳区 administrator, as if it did not exist', async () => {
    for (const [method, url] of [
      ['GET', `/api/organisations/${liangyuanOrg}`],
      ['PATCH', `/api/organisations/${liangyuanOrg}`],
      ['GET', `/api/organisations/${liangyuanOrg}/sites`],
      ['POST', `/api/organisations/${liangyuanOrg}/sites`],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        headers: suiyang.headers,
        ...(method === 'PATCH' ? { payload: { status: 'suspended' } } : {}),
        ...(method === 'POST'
          ? { payload: { name: 'x', serialCode: '000777', regionCode: '411403' } }
          : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    }
    expect((await get(liangyuan, `/api/organisations/${liangyuanOrg}`)).statusCode).toBe(200);
    expect((await get(city, `/api/organisations/${liangyuanOrg}`)).statusCode).toBe(200);
  });

  it('lists and searches only a county administrator’s own region', async () => {
    const res = await get(suiyang, '/api/organisations?pageSize=200');
    const { items, total } = res.json<{ items: Json[]; total: number }>();
    expect(total).toBe(items.length);
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.every((o) => o.regionCode === '411403')).toBe(true);
    expect(items.map((o) => o.id)).toContain(suiyangOrg);
    const search = await get(suiyang, `/api/organisations?q=${encodeURIComponent('梁园区某')}`);
    expect(search.json()).toMatchObject({ items: [], total: 0 });
    const byRegion = await get(suiyang, '/api/organisations?regionCode=411402');
    expect(byRegion.json()).toMatchObject({ items: [], total: 0 });
  });

  it('searches by kind, name, USCC and region, paged', async () => {
    const byUscc = await get(city, `/api/organisations?uscc=${VALID_USCC.toLowerCase()}`);
    expect(byUscc.json()).toMatchObject({ total: 1, items: [{ uscc: VALID_USCC }] });
    const byName = await get(
      city,
      `/api/organisations?kind=training_institution&q=${encodeURIComponent('培训学校')}`,
    );
    expect(byName.json().items.map((o: Json) => o.name)).toEqual(
      expect.arrayContaining(['梁园区某培训学校', '睢阳区某培训学校']),
    );
    const paged = await get(city, '/api/organisations?regionCode=411403&page=2&pageSize=2');
    expect(paged.json()).toMatchObject({ page: 2, pageSize: 2 });
    expect(paged.json().items).toHaveLength(2);
  });

  it('shows training staff their own organisation and nothing else', async () => {
    const staff = await accountWithSession(t.db, 'training_staff', {
      now: t.clock.now(),
      anchors: { organisationId: suiyangOrg },
    });
    const list = await get(staff, '/api/organisations');
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: suiyangOrg }] });
    expect((await get(staff, `/api/organisations/${suiyangOrg}`)).statusCode).toBe(200);
    expect((await get(staff, `/api/organisations/${liangyuanOrg}`)).statusCode).toBe(404);
    const change = await patch(staff, `/api/organisations/${suiyangOrg}`, { name: '改名' });
    expect(change.statusCode).toBe(403);
  });

  it('lets the auditor read every organisation but register none', async () => {
    expect((await get(auditor, `/api/organisations/${liangyuanOrg}`)).statusCode).toBe(200);
    const list = await get(auditor, '/api/organisations?pageSize=200');
    expect(list.json().items.map((o: Json) => o.regionCode)).toEqual(
      expect.arrayContaining(['411402', '411403']),
    );
    const create = await post(auditor, '/api/organisations', { kind: 'hr_agency', name: 'x' });
    expect(create.statusCode).toBe(403);
  });
});
