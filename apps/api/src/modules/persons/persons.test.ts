import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { accountWithSession, type TestAccount } from '../../../test/auth.js';
import { FIXTURE_ID_NUMBERS, FIXTURE_PHONES } from '../../../test/fixtures/sensitive.js';

// Synthetic, checksum-valid Shangqiu numbers (see shared/data/id_number_test_vectors.csv).
const LIANGYUAN_M_2005 = '411402200501010011';
const SUIYANG_F_2000 = '411403200002290027';
const YONGCHENG_M_1998 = '411481199806150031';
const XIAYI_M_2001 = '411426200109300058';
const STATS_ONLY_2005 = '411471200501010014';

let t: TestApp;
let city: TestAccount;
let suiyang: TestAccount;
let unitA: TestAccount;
let unitB: TestAccount;

beforeAll(async () => {
  t = await createTestApp('2026-03-15T02:00:00Z');
  const now = t.clock.now();
  city = await accountWithSession(t.db, 'city_admin', { now });
  suiyang = await accountWithSession(t.db, 'county_admin', {
    now,
    anchors: { regionCode: '411403' },
  });
  unitA = await accountWithSession(t.db, 'unit_officer', { now, anchors: { unitId: 'A2-16' } });
  unitB = await accountWithSession(t.db, 'unit_officer', { now, anchors: { unitId: 'A2-11' } });
  expect(FIXTURE_ID_NUMBERS).toEqual(expect.arrayContaining([LIANGYUAN_M_2005, STATS_ONLY_2005]));
});
afterAll(async () => {
  await t.close();
});

const create = (who: TestAccount, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/persons', headers: who.headers, payload });

describe('registering a person', () => {
  it('stores the ID number encrypted, answers masked and derives sex and birth date', async () => {
    const res = await create(city, {
      idNumber: ` ${LIANGYUAN_M_2005.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))} `,
      name: '张 伟',
      phone: FIXTURE_PHONES[0],
      residenceRegionCode: '411402001',
      keyGroups: ['rural_transfer', 'veteran'],
      employmentStatus: 'unemployed',
    });
    expect(res.statusCode).toBe(201);
    const { person, warnings } = res.json();
    expect(person).toMatchObject({
      name: '张伟',
      idNumberMasked: '411402********0011',
      sex: 'M',
      birthDate: '2005-01-01',
      phoneMasked: '138****1234',
      residenceRegionCode: '411402001',
      regionCode: '411402',
      keyGroups: ['rural_transfer', 'veteran'],
      employmentStatus: 'unemployed',
      version: 1,
    });
    expect(warnings).toEqual([]);
    const row = await t.db
      .selectFrom('persons')
      .selectAll()
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(row.idNumberEnc).not.toContain(LIANGYUAN_M_2005);
    expect(row.idNumberEnc).toMatch(/^v1\.a1\.k/);
    expect(JSON.stringify(row)).not.toContain(FIXTURE_PHONES[0]);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select(['action', 'after'])
      .where('entityId', '=', person.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['person.created']);
    expect(JSON.stringify(audit)).not.toContain(LIANGYUAN_M_2005);
  });

  it('refuses a second person with the same ID number, however it is typed', async () => {
    const res = await create(city, { idNumber: LIANGYUAN_M_2005.toLowerCase(), name: '张伟' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'PERSON_EXISTS',
      errors: [{ path: '/body/idNumber' }],
    });
  });

  it('accepts a statistics-only address code with a review warning', async () => {
    const res = await create(city, { idNumber: STATS_ONLY_2005, name: '李四' });
    expect(res.statusCode).toBe(201);
    expect(res.json().warnings.map((w: { code: string }) => w.code)).toEqual([
      'REGION_STATISTICS_ONLY',
    ]);
    expect(res.json().person.reviewWarnings).toEqual(['REGION_STATISTICS_ONLY']);
  });

  it('rejects a bad check digit and a 15-digit number with the 18-digit suggestion', async () => {
    const bad = await create(city, { idNumber: '411402200501010010', name: '王五' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/body/idNumber');
    const legacy = await create(city, { idNumber: '110105491231002', name: '王五' });
    expect(legacy.statusCode).toBe(400);
    expect(legacy.json().errors[0].message).toContain('11010519491231002X');
  });

  it('rejects unknown key groups, regions and malformed phones, naming the field', async () => {
    const res = await create(city, {
      idNumber: XIAYI_M_2001,
      name: '赵六',
      keyGroups: ['astronaut'],
    });
    expect(res.json().errors).toEqual([{ path: '/body/keyGroups', message: 'unknown: astronaut' }]);
    const region = await create(city, {
      idNumber: XIAYI_M_2001,
      name: '赵六',
      residenceRegionCode: '999999',
    });
    expect(region.json().errors).toEqual([
      { path: '/body/residenceRegionCode', message: 'unknown region code' },
    ]);
    const phone = await create(city, { idNumber: XIAYI_M_2001, name: '赵六', phone: '12345' });
    expect(phone.json().errors[0].path).toBe('/body/phone');
  });
});

describe('finding persons', () => {
  it('finds a person by ID number sent in the body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/persons/lookup',
      headers: city.headers,
      payload: { idNumber: LIANGYUAN_M_2005 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '张伟', idNumberMasked: '411402********0011' });
  });

  it('searches by name, exact phone, key group and employment status', async () => {
    const get = async (query: string) =>
      (await t.app.inject({ url: `/api/persons?${query}`, headers: city.headers })).json<{
        items: Array<{ name: string }>;
        total: number;
      }>();
    expect((await get(`name=${encodeURIComponent('张')}`)).items.map((p) => p.name)).toEqual([
      '张伟',
    ]);
    expect((await get(`phone=${FIXTURE_PHONES[0]}`)).total).toBe(1);
    expect((await get('phone=13900000000')).total).toBe(0);
    expect((await get('keyGroup=veteran')).items.map((p) => p.name)).toEqual(['张伟']);
    expect((await get('employmentStatus=unemployed')).total).toBe(1);
    expect((await get('regionCode=411402')).total).toBe(1);
  });
});

describe('scope', () => {
  it('keeps a 睢阳区 admin to 睢阳区: lists, lookups and details', async () => {
    const own = await create(suiyang, { idNumber: SUIYANG_F_2000, name: '孙丽' });
    expect(own.statusCode).toBe(201);
    expect(own.json().person).toMatchObject({
      regionCode: '411403',
      sex: 'F',
      birthDate: '2000-02-29',
    });

    const list = (
      await t.app.inject({ url: '/api/persons?pageSize=100', headers: suiyang.headers })
    ).json<{ items: Array<{ regionCode: string }> }>();
    expect(list.items.every((p) => p.regionCode === '411403')).toBe(true);
    const lookup = await t.app.inject({
      method: 'POST',
      url: '/api/persons/lookup',
      headers: suiyang.headers,
      payload: { idNumber: LIANGYUAN_M_2005 },
    });
    expect(lookup.statusCode).toBe(404);
    const zhang = (
      await t.app.inject({
        url: `/api/persons?name=${encodeURIComponent('张伟')}`,
        headers: city.headers,
      })
    ).json().items[0];
    expect(
      (await t.app.inject({ url: `/api/persons/${zhang.id}`, headers: suiyang.headers }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/persons/${zhang.id}/reveal`,
          headers: suiyang.headers,
        })
      ).statusCode,
    ).toBe(404);

    const elsewhere = await create(suiyang, {
      idNumber: YONGCHENG_M_1998,
      name: '周七',
      residenceRegionCode: '411481',
    });
    expect(elsewhere.statusCode).toBe(403);
  });

  it('shows a unit officer the persons their unit registered, not another unit’s', async () => {
    const res = await create(unitA, { idNumber: YONGCHENG_M_1998, name: '周七' });
    expect(res.statusCode).toBe(201);
    const id = res.json().person.id;
    expect(
      (await t.app.inject({ url: `/api/persons/${id}`, headers: unitA.headers })).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ url: `/api/persons/${id}`, headers: unitB.headers })).statusCode,
    ).toBe(404);
    expect((await t.app.inject({ url: '/api/persons', headers: unitB.headers })).json().total).toBe(
      0,
    );
  });
});

describe('changing and revealing', () => {
  it('changes a person with the version read, and refuses a stale version', async () => {
    const person = (
      await t.app.inject({
        method: 'POST',
        url: '/api/persons/lookup',
        headers: city.headers,
        payload: { idNumber: LIANGYUAN_M_2005 },
      })
    ).json();
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `/api/persons/${person.id}`,
      headers: city.headers,
      payload: { version: person.version, employmentStatus: 'employed', keyGroups: ['veteran'] },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      employmentStatus: 'employed',
      keyGroups: ['veteran'],
      version: person.version + 1,
    });
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/persons/${person.id}`,
      headers: city.headers,
      payload: { version: person.version, note: 'x' },
    });
    expect(stale.statusCode).toBe(409);
  });

  it('reveals the full number to a city admin, audits it without storing the number', async () => {
    const person = (
      await t.app.inject({
        method: 'POST',
        url: '/api/persons/lookup',
        headers: city.headers,
        payload: { idNumber: LIANGYUAN_M_2005 },
      })
    ).json();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/persons/${person.id}/reveal`,
      headers: city.headers,
    });
    expect(res.json()).toEqual({ idNumber: LIANGYUAN_M_2005, phone: FIXTURE_PHONES[0] });
    const history = await t.app.inject({
      url: `/api/persons/${person.id}/history`,
      headers: city.headers,
    });
    expect(history.json().items.map((e: { action: string }) => e.action)).toEqual([
      'person.id_number.revealed',
      'person.updated',
      'person.created',
    ]);
    const rows = await t.db
      .selectFrom('auditEvents')
      .selectAll()
      .where('entityId', '=', person.id)
      .execute();
    expect(JSON.stringify(rows)).not.toContain(LIANGYUAN_M_2005);
  });

  it('shows a worker only themself', async () => {
    const worker = await accountWithSession(t.db, 'worker', { now: t.clock.now() });
    const list = (await t.app.inject({ url: '/api/persons', headers: worker.headers })).json();
    expect(list.total).toBe(1);
    expect(list.items[0].name).toBe('测试人员');
  });
});
