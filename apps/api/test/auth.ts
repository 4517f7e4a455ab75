import { randomBytes } from 'node:crypto';
import type { Db } from '../src/platform/db.js';
import { uuidv7 } from '../src/platform/ids.js';
import { hashPassword } from '../src/platform/auth/password.js';
import type { Role } from '../src/platform/auth/roles.js';
import { hashToken } from '../src/modules/auth/auth.service.js';
import type { OrganisationKind } from '../src/modules/organisations/organisations.schema.js';
import {
  organisationCodeCheckChar,
  usccCheckChar,
} from '../src/modules/organisations/uscc.rules.js';
import { FIXTURE_PASSWORDS } from './fixtures/sensitive.js';

export interface TestAccount {
  id: string;
  username: string;
  token: string;
  headers: { authorization: string };
}

/** The kind of organisation each organisation role's default anchor is (made on first use). */
const ORGANISATION_KIND_OF: Partial<Record<Role, OrganisationKind>> = {
  training_staff: 'training_institution',
  evaluation_staff: 'evaluation_institution',
  employer: 'employer',
  hr_agency: 'hr_agency',
};

const ANCHORS: Partial<Record<Role, Record<string, string>>> = {
  county_admin: { regionCode: '411403' },
  unit_officer: { unitId: 'A2-07' },
  training_staff: { organisationId: '0193a0a0-0000-7000-8000-000000000001' },
  evaluation_staff: { organisationId: '0193a0a0-0000-7000-8000-000000000002' },
  employer: { organisationId: '0193a0a0-0000-7000-8000-000000000003' },
  hr_agency: { organisationId: '0193a0a0-0000-7000-8000-000000000004' },
};

// One real scrypt hash reused by every fixture account: hashing costs ~0.25 s each.
let sharedHash: Promise<string> | undefined;
export const FIXTURE_PASSWORD: string = FIXTURE_PASSWORDS[0];

/**
 * An account of `role` with a live session, made directly in the database (no login round trip),
 * for tests about what a role may do.
 */
export async function accountWithSession(
  db: Db,
  role: Role,
  options: {
    username?: string;
    now?: Date;
    mustChangePassword?: boolean;
    anchors?: Record<string, string>;
  } = {},
): Promise<TestAccount> {
  sharedHash ??= hashPassword(FIXTURE_PASSWORD);
  const now = options.now ?? new Date();
  const id = uuidv7();
  const anchors = { ...(options.anchors ?? ANCHORS[role] ?? {}) };
  if (role === 'worker' && !anchors.personId) anchors.personId = await insertBarePerson(db, now);
  const kind = ORGANISATION_KIND_OF[role];
  // Tests that pass their own anchors made that organisation themselves.
  if (kind && !options.anchors && anchors.organisationId) {
    await insertBareOrganisation(db, kind, { id: anchors.organisationId, now });
  }
  const username =
    options.username ?? `${role.replace('_', '-')}-${randomBytes(3).toString('hex')}`;
  await db
    .insertInto('users')
    .values({
      id,
      username,
      displayName: username,
      role,
      ...anchors,
      passwordHash: await sharedHash,
      mustChangePassword: options.mustChangePassword ?? false,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      id: uuidv7(),
      tokenHash: hashToken(token),
      userId: id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + 12 * 3600_000),
      ip: null,
      userAgent: 'test',
    })
    .execute();
  return { id, username, token, headers: { authorization: `Bearer ${token}` } };
}

/**
 * A person row with placeholder ciphertexts, for tests that need a person to exist but never
 * read its ID number (a worker account's anchor).
 */
export async function insertBarePerson(db: Db, now = new Date()): Promise<string> {
  const id = uuidv7();
  await db
    .insertInto('persons')
    .values({
      id,
      idNumberEnc: 'v1.a1.ktest.placeholder',
      idNumberBidx: randomBytes(32).toString('hex'),
      idNumberMasked: '411402********0011',
      name: '测试人员',
      sex: 'M',
      birthDate: '2000-01-01',
      idRegionCode: '411402',
      regionCode: '411402',
      source: 'manual',
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return id;
}

/** A random unified social credit code that passes the GB 32100 and GB 11714 checks. */
export function randomUscc(regionCode = '411400'): string {
  const body = Array.from(randomBytes(8), (b) => String(b % 10)).join('');
  const first17 = `91${regionCode}${body}${organisationCodeCheckChar(body)}`;
  return first17 + usccCheckChar(first17);
}

/**
 * An organisation of `kind` with the fields its kind requires (an employer gets a random valid
 * USCC), in 睢阳区 unless told; does nothing when `id` exists already. Returns the id.
 */
export async function insertBareOrganisation(
  db: Db,
  kind: OrganisationKind,
  options: { id?: string; regionCode?: string; name?: string; now?: Date } = {},
): Promise<string> {
  const id = options.id ?? uuidv7();
  const now = options.now ?? new Date();
  await db
    .insertInto('organisations')
    .values({
      id,
      kind,
      name: options.name ?? `测试${kind}-${id.slice(-6)}`,
      regionCode: options.regionCode ?? '411403',
      ...(kind === 'employer'
        ? { uscc: randomUscc(), sizeClass: 'small', affiliation: 'city' }
        : {}),
      ...(kind === 'evaluation_institution'
        ? { evaluationType: 'S', institutionCode: '0000' }
        : {}),
      createdAt: now,
      updatedAt: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return id;
}

/**
 * A new organisation of the kind `role` works for (in 睢阳区), with one account of `role`
 * anchored to it: an institution and its staff.
 */
export async function organisationWithStaff(
  db: Db,
  role: 'training_staff' | 'evaluation_staff' | 'employer' | 'hr_agency',
  now: Date,
): Promise<{ organisationId: string; staff: TestAccount }> {
  const kind = ORGANISATION_KIND_OF[role];
  if (!kind) throw new Error(`no organisation kind for ${role}`);
  const organisationId = await insertBareOrganisation(db, kind, { now });
  const staff = await accountWithSession(db, role, { now, anchors: { organisationId } });
  return { organisationId, staff };
}

/** The administrators most tests act as: the city, the county 411403 and the county 411481. */
export async function administrators(db: Db, now: Date) {
  return {
    city: await accountWithSession(db, 'city_admin', { now }),
    county: await accountWithSession(db, 'county_admin', { now }),
    otherCounty: await accountWithSession(db, 'county_admin', {
      now,
      anchors: { regionCode: '411481' },
    }),
  };
}
