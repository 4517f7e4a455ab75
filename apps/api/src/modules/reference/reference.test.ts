import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { loadReferenceData } from './reference.loader.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('GET /api/units', () => {
  it('lists the 38 responsible units with their 2022 targets in persons', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/units' });
    expect(res.statusCode).toBe(200);
    const { items } = res.json<{ items: Array<Record<string, unknown>> }>();
    expect(items).toHaveLength(38);
    expect(items.filter((u) => u.annex === 1)).toHaveLength(10);
    expect(items.filter((u) => u.annex === 2)).toHaveLength(28);
    const yucheng = items.find((u) => u.canonicalName === '虞城县');
    expect(yucheng).toMatchObject({
      id: 'A1-06',
      kind: 'county',
      regionCode: '411425',
      targets: [
        { year: 2022, trainingPersonTimes: 20000, newSkilled: 16500, newHighSkilled: 4480 },
      ],
    });
  });

  it('keeps the seed spelling and the canonical name with aliases', async () => {
    const { items } = (await t.app.inject({ url: '/api/units' })).json<{
      items: Array<{
        seedName: string;
        canonicalName: string;
        aliases: string[];
        regionCode: string;
      }>;
    }>();
    const housing = items.find((u) => u.seedName === '市房城乡建设局');
    expect(housing?.canonicalName).toBe('市住房城乡建设局');
    expect(housing?.aliases).toContain('市房城乡建设局');
    expect(items.find((u) => u.seedName === '团委')?.canonicalName).toBe('团市委');
    const zone = items.find((u) => u.seedName === '示范区');
    expect(zone).toMatchObject({ canonicalName: '城乡一体化示范区', regionCode: '4114L1' });
  });

  it('sums annex 1 exactly as printed, never via floating point', async () => {
    const { items } = (await t.app.inject({ url: '/api/units' })).json<{
      items: Array<{ annex: number; targets: Array<{ newHighSkilled: number }> }>;
    }>();
    const high = items
      .filter((u) => u.annex === 1)
      .reduce((sum, u) => sum + (u.targets[0]?.newHighSkilled ?? 0), 0);
    // 0.42+0.42+0.32+1+0.44+0.448+0.39+0.42+0.38+0.448 万
    expect(high).toBe(46860);
  });

  it('adds 市城市管理局, which has no annex target, only when asked', async () => {
    const res = await t.app.inject({ url: '/api/units?withoutTarget=true' });
    const { items } = res.json<{ items: Array<{ canonicalName: string; targets: unknown[] }> }>();
    expect(items).toHaveLength(39);
    expect(items.find((u) => u.canonicalName === '市城市管理局')?.targets).toEqual([]);
  });
});

describe('GET /api/plans', () => {
  it('lists the 12 plans with yearly minimums in persons and their units', async () => {
    const res = await t.app.inject({ url: '/api/plans' });
    expect(res.statusCode).toBe(200);
    const { items } = res.json<{
      items: Array<Record<string, unknown> & { units: Array<{ canonicalName: string }> }>;
    }>();
    expect(items).toHaveLength(12);
    expect(items[0]).toMatchObject({
      planNo: 1,
      yearlyTrainingMin: 65000,
      yearlyCertifiedMin: 58000,
      yearlyHighSkilledMin: 17000,
    });
    // Plan 1 belongs to every county-level unit and every city department.
    expect(items[0]?.units).toHaveLength(39);
    const plan10 = items.find((p) => p.planNo === 10);
    expect(plan10).toMatchObject({
      yearlyTrainingMin: 10000,
      yearlyCertifiedMin: null,
      certifiesAllTrained: true,
    });
    const plan12 = items.find((p) => p.planNo === 12);
    expect(plan12).toMatchObject({ yearlyCertifiedMin: 1690, yearlyHighSkilledMin: null });
    const plan5 = items.find((p) => p.planNo === 5);
    expect(plan5?.units.map((u) => u.canonicalName)).toContain('市邮政管理局');
    const plan11 = items.find((p) => p.planNo === 11);
    expect(plan11?.units.map((u) => u.canonicalName)).toEqual([
      '市城市管理局',
      '市交通运输局',
      '市自然资源和规划局',
      '市应急局',
    ]);
  });
});

describe('GET /api/occupations', () => {
  it('finds 中式烹调师 by name', async () => {
    const res = await t.app.inject({
      url: `/api/occupations?q=${encodeURIComponent('中式烹调师')}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      total: 1,
      page: 1,
      items: [{ code: '4-03-02-01', level: 4, levelName: 'occupation', name: '中式烹调师' }],
    });
  });

  it('finds occupations by code with or without dashes', async () => {
    const dashed = (await t.app.inject({ url: '/api/occupations?q=4-03-02-01' })).json<{
      items: Array<{ name: string }>;
    }>();
    expect(dashed.items.map((o) => o.name)).toEqual(['中式烹调师']);
    const digits = (
      await t.app.inject({ url: '/api/occupations?q=40302&level=4&pageSize=50' })
    ).json<{ items: Array<{ code: string }>; total: number }>();
    expect(digits.items.every((o) => o.code.startsWith('4-03-02-'))).toBe(true);
    expect(digits.total).toBe(digits.items.length);
  });

  it('keeps 2-03-01-00 as both a minor group and an occupation', async () => {
    const { items } = (await t.app.inject({ url: '/api/occupations?q=2-03-01-00' })).json<{
      items: Array<{ level: number }>;
    }>();
    expect(items.map((o) => o.level).sort()).toEqual([3, 4]);
  });

  it('pages through all 2,048 rows', async () => {
    const res = (await t.app.inject({ url: '/api/occupations?page=3&pageSize=200' })).json<{
      total: number;
      items: unknown[];
      page: number;
    }>();
    expect(res.total).toBe(2048);
    expect(res.page).toBe(3);
    expect(res.items).toHaveLength(200);
  });

  it('treats % and _ as characters, not wildcards', async () => {
    const res = (await t.app.inject({ url: '/api/occupations?q=%25' })).json<{ total: number }>();
    expect(res.total).toBe(0);
  });

  it('rejects a non-numeric page with a field error', async () => {
    const res = await t.app.inject({ url: '/api/occupations?page=abc' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [{ path: '/querystring/page' }],
    });
  });

  it('rejects a page size over 200', async () => {
    const res = await t.app.inject({ url: '/api/occupations?pageSize=5000' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('/querystring/pageSize');
  });
});

describe('GET /api/regions', () => {
  it('lists Shangqiu with its county-level units, statistics zones and the 示范区', async () => {
    const res = await t.app.inject({ url: '/api/regions?parent=411400' });
    expect(res.statusCode).toBe(200);
    const { items } = res.json<{
      items: Array<{ code: string; name: string; statisticsOnly: boolean; isLocalUnit: boolean }>;
    }>();
    expect(items.map((r) => r.code)).toEqual([
      '411402',
      '411403',
      '411421',
      '411422',
      '411423',
      '411424',
      '411425',
      '411426',
      '411471',
      '411472',
      '411481',
      '4114L1',
    ]);
    expect(items.find((r) => r.code === '411471')?.statisticsOnly).toBe(true);
    expect(items.find((r) => r.code === '4114L1')).toMatchObject({
      name: '城乡一体化示范区',
      isLocalUnit: true,
      statisticsOnly: false,
    });
  });

  it('lists townships of a county', async () => {
    const { items } = (await t.app.inject({ url: '/api/regions?parent=411402' })).json<{
      items: Array<{ level: number; code: string }>;
    }>();
    expect(items.length).toBeGreaterThan(10);
    expect(items.every((r) => r.level === 4 && r.code.startsWith('411402'))).toBe(true);
  });

  it('attributes a township to the 示范区 once an admin assigns it', async () => {
    await t.db
      .insertInto('localUnitTownships')
      .values({ unitCode: '4114L1', townshipCode: '411472009' })
      .execute();
    const { items } = (await t.app.inject({ url: '/api/regions?parent=4114L1' })).json<{
      items: Array<{ code: string; name: string }>;
    }>();
    expect(items).toEqual([expect.objectContaining({ code: '411472009', name: '平台街道' })]);
    await t.db.deleteFrom('localUnitTownships').execute();
  });

  it('answers 404 for an unknown parent', async () => {
    const res = await t.app.inject({ url: '/api/regions?parent=999999' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', errors: [{ path: '/query/parent' }] });
  });

  it('by default lists Henan down to county level', async () => {
    const { items } = (await t.app.inject({ url: '/api/regions' })).json<{
      items: Array<{ level: number }>;
    }>();
    expect(items.length).toBe(1 + 18 + 181 + 1);
    expect(Math.max(...items.map((r) => r.level))).toBe(3);
  });
});

describe('GET /api/skill-levels', () => {
  it('lists five levels and 专项职业能力, 三级 and above high-skilled', async () => {
    const { items } = (await t.app.inject({ url: '/api/skill-levels' })).json<{
      items: Array<{ key: string; levelDigit: number | null; isHighSkilled: boolean }>;
    }>();
    expect(items.map((l) => l.levelDigit)).toEqual([5, 4, 3, 2, 1, null]);
    expect(items.filter((l) => l.isHighSkilled).map((l) => l.levelDigit)).toEqual([3, 2, 1]);
  });
});

describe('reference data loading', () => {
  it('stores policy amounts in fen and goals in persons', async () => {
    const rows = await t.db.selectFrom('policyAmounts').selectAll().execute();
    const get = (kind: string, key: string) => rows.find((r) => r.kind === kind && r.key === key);
    expect(get('evaluation_subsidy', 'level1_senior_technician')).toMatchObject({
      value: 38000,
      unit: 'fen',
    });
    expect(get('hiring_subsidy', 'sme_cap_per_enterprise')).toMatchObject({
      value: 200_000_000,
      unit: 'fen',
    });
    expect(get('goal_2025', 'certified_persons')).toMatchObject({ value: 800400, unit: 'persons' });
  });

  it('keeps the address-code history ID numbers still carry', async () => {
    const row = await t.db
      .selectFrom('addressCodes')
      .selectAll()
      .where('code', '=', '412322')
      .executeTakeFirst();
    expect(row).toMatchObject({ name: '商丘县', sinceYear: 1981, untilYear: 1997, inUse: false });
  });

  it('does nothing the second time, and re-applies everything when forced', async () => {
    const again = await loadReferenceData(t.ownerDb);
    expect(again.loaded).toEqual([]);
    expect(again.unchanged).toHaveLength(8);
    const forced = await loadReferenceData(t.ownerDb, { force: true });
    expect(forced.loaded.find((d) => d.name === 'occupations')?.rows).toBe(2048);
    const count = await t.db
      .selectFrom('occupations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2048);
  });

  it('lets the app role read catalogs but not change them', async () => {
    await expect(
      t.db.updateTable('occupations').set({ name: 'x' }).where('code', '=', '4-03-02-01').execute(),
    ).rejects.toThrow(/permission denied/);
  });
});
