import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { generateInitialPassword, hashPassword } from '../../platform/auth/password.js';
import type { Role, Scope } from '../../platform/auth/roles.js';
import { recordAudit } from '../audit/audit.service.js';
import * as authRepo from '../auth/auth.repository.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import { canAssignRole, canSeeAccount, requiredAnchor } from './users.rules.js';

export function publicUser(user: authRepo.UserRow, now: Date) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    regionCode: user.regionCode,
    unitId: user.unitId,
    organisationId: user.organisationId,
    personId: user.personId,
    status: user.status,
    mustChangePassword: user.mustChangePassword,
    lockedUntil:
      user.lockedUntil && user.lockedUntil.getTime() > now.getTime()
        ? user.lockedUntil.toISOString()
        : null,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

/** An account the caller may not see does not exist, as far as the caller can tell. */
async function visibleUser(db: Db, auth: AuthContext, id: string) {
  const user = await authRepo.findUserById(db, id);
  if (!user || !canSeeAccount(auth.scope, user)) {
    throw new DomainError('NOT_FOUND', 'No such account');
  }
  return user;
}

export async function listUsers(
  db: Db,
  clock: Clock,
  auth: AuthContext,
  search: { q?: string; role?: Role; page: number; pageSize: number },
) {
  const regionCode = auth.scope.kind === 'region' ? auth.scope.regionCode : undefined;
  if (auth.scope.kind !== 'city' && auth.scope.kind !== 'region') return { items: [], total: 0 };
  const { items, total } = await authRepo.searchUsers(db, { ...search, regionCode });
  const now = clock.now();
  return { items: items.map((u) => publicUser(u, now)), total };
}

export async function getUser(db: Db, clock: Clock, auth: AuthContext, id: string) {
  return publicUser(await visibleUser(db, auth, id), clock.now());
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  role: Role;
  regionCode?: string;
  unitId?: string;
  organisationId?: string;
  personId?: string;
}

type AnchorField = 'regionCode' | 'organisationId' | 'personId' | 'unitId';

const ANCHOR_NAMES: Record<AnchorField, string> = {
  regionCode: 'county-level region',
  organisationId: 'organisation',
  personId: 'person',
  unitId: 'responsible unit',
};

/** The region an anchor belongs to, or undefined when there is no such anchor. */
async function regionOfAnchor(db: Db, field: AnchorField, value: string) {
  switch (field) {
    case 'regionCode':
      return (
        await db
          .selectFrom('regions')
          .select('code')
          .where('code', '=', value)
          .where('level', '<=', 3)
          .executeTakeFirst()
      )?.code;
    case 'organisationId':
      return (
        await db
          .selectFrom('organisations')
          .select('regionCode')
          .where('id', '=', value)
          .executeTakeFirst()
      )?.regionCode;
    case 'personId':
      return (
        await db
          .selectFrom('persons')
          .select('regionCode')
          .where('id', '=', value)
          .executeTakeFirst()
      )?.regionCode;
    case 'unitId':
      return (
        await db
          .selectFrom('responsibleUnits')
          .select('regionCode')
          .where('id', '=', value)
          .executeTakeFirst()
      )?.regionCode;
  }
}

/**
 * The anchors the input names exist (a region anchor at county level or above), and a county
 * administrator anchors accounts only to things of their own county: an organisation or unit of
 * another county is refused as outside their region.
 */
async function assertAnchorsExist(db: Db, scope: Scope, input: CreateUserInput): Promise<void> {
  for (const field of Object.keys(ANCHOR_NAMES) as AnchorField[]) {
    const value = input[field];
    if (value === undefined) continue;
    const region = await regionOfAnchor(db, field, value);
    const what = ANCHOR_NAMES[field];
    if (region === undefined) {
      throw new DomainError('VALIDATION_FAILED', `No ${what} has this id`, [
        { path: `/body/${field}`, message: `unknown ${what}` },
      ]);
    }
    if (scope.kind === 'region' && region !== scope.regionCode) {
      throw new DomainError('FORBIDDEN', 'You may create accounts of your own region only', [
        { path: `/body/${field}`, message: 'outside your region' },
      ]);
    }
  }
}

/**
 * Creates a staff account with a random initial password, returned once and changed at first
 * login. A county administrator creates accounts of their own region only.
 */
export async function createUser(
  db: Db,
  clock: Clock,
  auth: AuthContext | null,
  input: CreateUserInput,
  meta: RequestMeta,
) {
  const scope = auth?.scope ?? { kind: 'city' as const };
  if (!canAssignRole(scope, input.role)) {
    throw new DomainError('FORBIDDEN', `You may not create ${input.role} accounts`, [
      { path: '/body/role', message: 'not assignable by you' },
    ]);
  }
  const regionCode = scope.kind === 'region' ? scope.regionCode : input.regionCode;
  if (scope.kind === 'region' && input.regionCode && input.regionCode !== scope.regionCode) {
    throw new DomainError('FORBIDDEN', 'You may create accounts of your own region only', [
      { path: '/body/regionCode', message: 'outside your region' },
    ]);
  }
  const anchored = { ...input, regionCode };
  const anchor = requiredAnchor(input.role);
  if (anchor && !anchored[anchor]) {
    throw new DomainError('VALIDATION_FAILED', `A ${input.role} account needs ${anchor}`, [
      { path: `/body/${anchor}`, message: `required for ${input.role}` },
    ]);
  }
  await assertAnchorsExist(db, scope, anchored);
  if (await authRepo.findUserByUsername(db, input.username)) {
    throw new DomainError('USERNAME_TAKEN', `The username ${input.username} is taken`, [
      { path: '/body/username', message: 'is taken' },
    ]);
  }
  const initialPassword = generateInitialPassword();
  const passwordHash = await hashPassword(initialPassword);
  const now = clock.now();
  const id = uuidv7();
  const user = await db.transaction().execute(async (trx) => {
    try {
      await authRepo.insertUser(trx, {
        id,
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        regionCode: regionCode ?? null,
        unitId: input.unitId ?? null,
        organisationId: input.organisationId ?? null,
        personId: input.personId ?? null,
        passwordHash,
        mustChangePassword: true,
        createdAt: now,
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new DomainError('USERNAME_TAKEN', `The username ${input.username} is taken`, [
          { path: '/body/username', message: 'is taken' },
        ]);
      }
      throw error;
    }
    const row = await authRepo.findUserById(trx, id);
    if (!row) throw new Error('created user vanished');
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'user.created',
      entityType: 'user',
      entityId: id,
      outcome: 'success',
      after: publicUser(row, now),
    });
    return row;
  });
  return { user: publicUser(user, now), initialPassword };
}

export async function updateUser(
  db: Db,
  clock: Clock,
  auth: AuthContext,
  id: string,
  changes: { displayName?: string; status?: 'active' | 'disabled' },
  meta: RequestMeta,
) {
  const before = await visibleUser(db, auth, id);
  if (id === auth.user.id && changes.status === 'disabled') {
    throw new DomainError('CONFLICT', 'You cannot disable your own account', [
      { path: '/body/status', message: 'cannot disable yourself' },
    ]);
  }
  const now = clock.now();
  return db.transaction().execute(async (trx) => {
    await authRepo.updateUser(trx, id, { ...changes, updatedAt: now });
    if (changes.status === 'disabled') await authRepo.revokeUserSessions(trx, id, now);
    const after = await authRepo.findUserById(trx, id);
    if (!after) throw new Error('updated user vanished');
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'user.updated',
      entityType: 'user',
      entityId: id,
      outcome: 'success',
      before: publicUser(before, now),
      after: publicUser(after, now),
    });
    return publicUser(after, now);
  });
}

/** A new initial password, shown once; the account's sessions end and it must change it. */
export async function resetPassword(
  db: Db,
  clock: Clock,
  auth: AuthContext,
  id: string,
  meta: RequestMeta,
) {
  await visibleUser(db, auth, id);
  const initialPassword = generateInitialPassword();
  const passwordHash = await hashPassword(initialPassword);
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    await authRepo.updateUser(trx, id, {
      passwordHash,
      mustChangePassword: true,
      failedLoginCount: 0,
      lockedUntil: null,
      updatedAt: now,
    });
    await authRepo.revokeUserSessions(trx, id, now);
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'user.password.reset',
      entityType: 'user',
      entityId: id,
      outcome: 'success',
    });
  });
  return { initialPassword };
}

export async function unlockUser(
  db: Db,
  clock: Clock,
  auth: AuthContext,
  id: string,
  meta: RequestMeta,
) {
  await visibleUser(db, auth, id);
  const now = clock.now();
  return db.transaction().execute(async (trx) => {
    await authRepo.updateUser(trx, id, { failedLoginCount: 0, lockedUntil: null, updatedAt: now });
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'user.unlocked',
      entityType: 'user',
      entityId: id,
      outcome: 'success',
    });
    const after = await authRepo.findUserById(trx, id);
    if (!after) throw new Error('unlocked user vanished');
    return publicUser(after, now);
  });
}
