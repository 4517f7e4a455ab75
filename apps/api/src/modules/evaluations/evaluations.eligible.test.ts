import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { insertBareClass } from '../../../test/classes.js';
import {
  accountWithSession,
  insertBareOrganisation,
  insertBarePerson,
  organisationWithStaff,
  type TestAccount,
} from '../../../test/auth.js';
import { uuidv7 } from '../../platform/ids.js';
import { formatVoucherNumber } from '../vouchers/vouchers.rules.js';

let t: TestApp;
let staffA: TestAccount;
let staffB: TestAccount;
let city: TestAccount;
let siteA: string;
let specialAbilityId: string;

const LATHE = '6-18-01-01'; // 车工
const RICE = '6-01-01-01'; // 制米工
const NOW = '2026-03-15T02:00:00Z';
const ENDED = new Date('2026-03-10T09:00:00Z');
let voucherSerial = 9_500_000;

interface ClassSpec {
  name: string;
  occupationCode?: string;
  skillLevelKey: string;
  endsAt?: Date;
  state?: 'approved' | 'submitted';
  vouchers: ('completed' | 'in_training')[];
}

/** A class inserted as its module would leave it, with one trainee (and voucher) per state. */
async function classWith(spec: ClassSpec) {
  const now = t.clock.now();
  const org = await insertBareOrganisation(t.db, 'training_institution', {
    now,
    name: `${spec.name}机构`,
  });
  const occupationCode = spec.occupationCode ?? LATHE;
  const endsAt = spec.endsAt ?? ENDED;
  const classId = await insertBareClass(t.db, {
    organisationId: org,
    name: spec.name,
    occupationCode,
    skillLevelKey: spec.skillLevelKey,
    state: spec.state,
    startsAt: new Date(endsAt.getTime() - 30 * 86_400_000),
    endsAt,
    now,
  });
  const vouchers: { id: string; personId: string }[] = [];
  for (const state of spec.vouchers) {
    const personId = await insertBarePerson(t.db, now);
    const id = uuidv7();
    await t.db
      .insertInto('vouchers')
      .values({
        id,
        number: formatVoucherNumber(2026, (voucherSerial += 1)),
        personId,
        occupationCode,
        occupationLevel: 4,
        valueFen: 150_000,
        validFrom: '2025-01-01',
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

async function scheduled(skillLevelKey: string, extra: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/evaluation-sessions',
    headers: staffA.headers,
    payload: {
      siteId: siteA,
      occupationCode: LATHE,
      skillLevelKey,
      heldOn: '2026-03-20',
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

interface EligibleClass {
  id: string;
  name: string;
  organisationName: string;
  regionCode: string;
  startDate: string;
  endDate: string;
  pendingTrainees: number;
}

async function eligible(sessionId: string, as = staffA) {
  return t.app.inject({
    url: `/api/evaluation-sessions/${sessionId}/eligible-classes`,
    headers: as.headers,
  });
}

async function eligibleItems(sessionId: string): Promise<EligibleClass[]> {
  const res = await eligible(sessionId);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

let lower: Awaited<ReturnType<typeof classWith>>;
let same: Awaited<ReturnType<typeof classWith>>;
let special: Awaited<ReturnType<typeof classWith>>;

beforeAll(async () => {
  t = await createTestApp(NOW);
  const now = t.clock.now();
  const a = await organisationWithStaff(t.db, 'evaluation_staff', now);
  const orgA = a.organisationId;
  staffA = a.staff;
  staffB = (await organisationWithStaff(t.db, 'evaluation_staff', now)).staff;
  city = await accountWithSession(t.db, 'city_admin', { now });
  siteA = uuidv7();
  await t.db
    .insertInto('evaluationSites')
    .values({
      id: siteA,
      organisationId: orgA,
      name: '考点一',
      serialCode: '345678',
      regionCode: '411403',
      address: null,
    })
    .execute();
  for (const skillLevelKey of ['level5', 'level4', 'special_ability']) {
    await t.db
      .insertInto('evaluationScopes')
      .values({
        id: uuidv7(),
        siteId: siteA,
        occupationCode: LATHE,
        occupationLevel: 4,
        skillLevelKey,
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
      })
      .execute();
  }
  specialAbilityId = uuidv7();
  await t.db
    .insertInto('specialAbilities')
    .values({
      id: specialAbilityId,
      code: 'ZX-ELIG-1',
      name: '数控车削加工',
      occupationCode: LATHE,
      occupationLevel: 4,
      createdAt: now,
      updatedAt: now,
    })
    .execute();

  lower = await classWith({
    name: '车工初级班',
    skillLevelKey: 'level5',
    vouchers: ['completed', 'completed', 'in_training'],
  });
  same = await classWith({
    name: '车工中级班',
    skillLevelKey: 'level4',
    endsAt: new Date('2025-04-01T09:00:00Z'),
    vouchers: ['completed'],
  });
  special = await classWith({
    name: '数控车削专项班',
    skillLevelKey: 'special_ability',
    vouchers: ['completed'],
  });
  // None of these qualify a level-4 lathe session:
  await classWith({ name: '车工高级班', skillLevelKey: 'level3', vouchers: ['completed'] });
  await classWith({
    name: '制米工班',
    occupationCode: RICE,
    skillLevelKey: 'level5',
    vouchers: ['completed'],
  });
  await classWith({
    name: '车工旧班',
    skillLevelKey: 'level5',
    endsAt: new Date('2025-03-10T09:00:00Z'),
    vouchers: ['completed'],
  });
  await classWith({
    name: '车工在训班',
    skillLevelKey: 'level5',
    endsAt: new Date('2026-04-10T09:00:00Z'),
    vouchers: ['completed'],
  });
  await classWith({
    name: '车工待审班',
    skillLevelKey: 'level5',
    state: 'submitted',
    vouchers: ['completed'],
  });
  await classWith({ name: '车工未结业班', skillLevelKey: 'level5', vouchers: ['in_training'] });
});

afterAll(async () => {
  await t.close();
});

describe('classes eligible for a session', () => {
  it('lists the same occupation at the session’s level or lower, ended within 12 months', async () => {
    const sessionId = await scheduled('level4');
    const items = await eligibleItems(sessionId);
    expect(items).toEqual([
      {
        id: lower.classId,
        name: '车工初级班',
        organisationName: '车工初级班机构',
        regionCode: '411403',
        regionName: expect.any(String),
        skillLevelKey: 'level5',
        startsAt: '2026-02-08T09:00:00.000Z',
        endsAt: '2026-03-10T09:00:00.000Z',
        startDate: '2026-02-08',
        endDate: '2026-03-10',
        pendingTrainees: 2,
      },
      expect.objectContaining({
        id: same.classId,
        name: '车工中级班',
        endDate: '2025-04-01',
        pendingTrainees: 1,
      }),
    ]);
  });

  it('offers a level-5 session only the level-5 class', async () => {
    const sessionId = await scheduled('level5');
    expect((await eligibleItems(sessionId)).map((c) => c.name)).toEqual(['车工初级班']);
  });

  it('offers a 专项职业能力 session only the 专项 class of its occupation', async () => {
    const sessionId = await scheduled('special_ability', { specialAbilityId });
    expect(await eligibleItems(sessionId)).toEqual([
      expect.objectContaining({ id: special.classId, pendingTrainees: 1 }),
    ]);
  });

  it('counts down as trainees become candidates and drops the class once all are', async () => {
    const sessionId = await scheduled('level4');
    const first = lower.vouchers[0];
    const one = await t.app.inject({
      method: 'POST',
      url: `/api/evaluation-sessions/${sessionId}/candidates`,
      headers: staffA.headers,
      payload: { personId: first?.personId, source: 'voucher', voucherId: first?.id },
    });
    expect(one.statusCode, one.body).toBe(201);
    const after = await eligibleItems(sessionId);
    expect(after.find((c) => c.id === lower.classId)?.pendingTrainees).toBe(1);

    const rest = await t.app.inject({
      method: 'POST',
      url: `/api/evaluation-sessions/${sessionId}/candidates/from-class`,
      headers: staffA.headers,
      payload: { classId: lower.classId },
    });
    expect(rest.statusCode, rest.body).toBe(200);
    expect(rest.json().added).toBe(1);
    expect((await eligibleItems(sessionId)).map((c) => c.id)).toEqual([same.classId]);
  });

  it('answers 404 to another institution’s staff and 403 to a role without the permission', async () => {
    const sessionId = await scheduled('level4');
    const other = await eligible(sessionId, staffB);
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('NOT_FOUND');
    const admin = await eligible(sessionId, city);
    expect(admin.statusCode).toBe(403);
    expect(admin.json().code).toBe('FORBIDDEN');
    expect((await eligible(uuidv7())).statusCode).toBe(404);
  });
});
