import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { accountWithSession } from '../../../test/auth.js';
import type { AuthContext } from '../auth/auth.service.js';
import { checkIdNumber } from './persons.id.js';
import { importPersonRows, type PersonImportRow } from './persons.import.js';
import type { IdNumberValid } from './id-number.rules.js';

const LIANGYUAN_M_2005 = '411402200501010011';
const SUIYANG_F_2000 = '411403200002290027';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp('2026-03-15T02:00:00Z');
  const city = await accountWithSession(t.db, 'city_admin', { now: t.clock.now() });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/persons',
    headers: city.headers,
    payload: { idNumber: LIANGYUAN_M_2005, name: '张伟', residenceRegionCode: '411402' },
  });
  expect(res.statusCode).toBe(201);
});
afterAll(async () => {
  await t.close();
});

async function row(
  idNumber: string,
  name: string,
  extra: Partial<PersonImportRow> = {},
): Promise<PersonImportRow> {
  const checked = await checkIdNumber(t.db, idNumber, '2026-03-15');
  if (!checked.ok) throw new Error(checked.message);
  return { id: checked as IdNumberValid, name, keyGroups: [], ...extra };
}

const suiyangAdmin: AuthContext = {
  sessionId: 'test',
  user: {
    id: '0193a0a0-0000-7000-8000-0000000000c1',
    username: 'suiyang.admin',
    displayName: '睢阳',
    role: 'county_admin',
    regionCode: '411403',
    unitId: null,
    organisationId: null,
    personId: null,
    mustChangePassword: false,
  },
  scope: { kind: 'region', regionCode: '411403' },
  permissions: [],
};

describe('importPersonRows', () => {
  it('lets a county import its own people and not touch another county’s, even without a region', async () => {
    const outcomes = await t.db
      .transaction()
      .execute(async (trx) =>
        importPersonRows(
          trx,
          { pii: t.app.deps.pii, clock: t.clock },
          suiyangAdmin,
          [
            await row(LIANGYUAN_M_2005, '张伟', { keyGroups: ['veteran'] }),
            await row(SUIYANG_F_2000, '孙丽'),
          ],
          { overwrite: false },
        ),
      );
    expect(outcomes[0]).toMatchObject({ kind: 'rejected', code: 'OUT_OF_SCOPE' });
    expect(outcomes[1]).toMatchObject({ kind: 'imported' });
    const tags = await t.db.selectFrom('personKeyGroups').selectAll().execute();
    expect(tags).toEqual([]);
    const sunli = await t.db
      .selectFrom('persons')
      .select(['regionCode', 'source'])
      .where('name', '=', '孙丽')
      .executeTakeFirstOrThrow();
    expect(sunli).toEqual({ regionCode: '411403', source: 'import' });
  });

  it('counts a second pass of the same rows as unchanged and writes no audit rows for them', async () => {
    const rows = [await row(SUIYANG_F_2000, '孙丽')];
    const before = await t.db
      .selectFrom('auditEvents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const outcomes = await t.db.transaction().execute(async (trx) =>
      importPersonRows(trx, { pii: t.app.deps.pii, clock: t.clock }, suiyangAdmin, rows, {
        overwrite: false,
      }),
    );
    expect(outcomes).toEqual([{ kind: 'unchanged', personId: expect.any(String) }]);
    const after = await t.db
      .selectFrom('auditEvents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
