import { sql } from 'kysely';
import { containsPattern, type DbOrTrx } from '../../platform/db.js';
import type { Role } from '../../platform/auth/roles.js';

const USER_COLUMNS = [
  'id',
  'username',
  'displayName',
  'role',
  'regionCode',
  'unitId',
  'organisationId',
  'personId',
  'passwordHash',
  'mustChangePassword',
  'passwordChangedAt',
  'status',
  'failedLoginCount',
  'lockedUntil',
  'lastLoginAt',
  'createdAt',
  'updatedAt',
] as const;

export async function findUserByUsername(db: DbOrTrx, username: string) {
  return db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
}

/** A worker's account by the blind index of their phone (workers log in by phone). */
export async function findUserByPhoneBidx(db: DbOrTrx, phoneBidx: string) {
  return db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('phoneBidx', '=', phoneBidx)
    .executeTakeFirst();
}

export async function findUserByPersonId(db: DbOrTrx, personId: string) {
  return db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('personId', '=', personId)
    .executeTakeFirst();
}

/** Locks the row: concurrent wrong passwords must each count. */
export async function findUserForUpdate(db: DbOrTrx, id: string) {
  return db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function findUserById(db: DbOrTrx, id: string) {
  return db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export type UserRow = NonNullable<Awaited<ReturnType<typeof findUserById>>>;

export async function countUsers(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NewUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string | null;
  unitId: string | null;
  organisationId: string | null;
  personId: string | null;
  passwordHash: string;
  mustChangePassword: boolean;
  phoneBidx?: string | null;
  createdAt: Date;
}

export async function insertUser(db: DbOrTrx, user: NewUser): Promise<void> {
  await db
    .insertInto('users')
    .values({ ...user, updatedAt: user.createdAt })
    .execute();
}

export async function updateUser(
  db: DbOrTrx,
  id: string,
  changes: Partial<{
    displayName: string;
    role: Role;
    regionCode: string | null;
    unitId: string | null;
    status: 'active' | 'disabled';
    passwordHash: string;
    mustChangePassword: boolean;
    passwordChangedAt: Date;
    failedLoginCount: number;
    lockedUntil: Date | null;
    lastLoginAt: Date;
    updatedAt: Date;
  }>,
): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

export interface UserSearch {
  q?: string;
  role?: Role;
  regionCode?: string;
  page: number;
  pageSize: number;
}

export async function searchUsers(db: DbOrTrx, search: UserSearch) {
  let query = db.selectFrom('users');
  if (search.q) {
    const like = containsPattern(search.q);
    query = query.where((eb) =>
      eb.or([eb('username', 'ilike', like), eb('displayName', 'like', like)]),
    );
  }
  if (search.role) query = query.where('role', '=', search.role);
  if (search.regionCode) query = query.where('regionCode', '=', search.regionCode);
  const { n } = await query
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const items = await query
    .select(USER_COLUMNS)
    .orderBy('username')
    .limit(search.pageSize)
    .offset((search.page - 1) * search.pageSize)
    .execute();
  return { items, total: Number(n) };
}

export async function insertSession(
  db: DbOrTrx,
  session: {
    id: string;
    tokenHash: string;
    userId: string;
    createdAt: Date;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ ...session, lastSeenAt: session.createdAt })
    .execute();
}

export async function findSessionByTokenHash(db: DbOrTrx, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'userId', 'createdAt', 'lastSeenAt', 'expiresAt', 'revokedAt'])
    .where('tokenHash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: DbOrTrx, id: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ lastSeenAt: at }).where('id', '=', id).execute();
}

export async function revokeSession(db: DbOrTrx, id: string, at: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revokedAt: at })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .execute();
}

/** Ends every live session of a user, optionally but one (the one changing its password). */
export async function revokeUserSessions(
  db: DbOrTrx,
  userId: string,
  at: Date,
  exceptSessionId?: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revokedAt: at })
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null)
    .$if(exceptSessionId !== undefined, (q) => q.where('id', '<>', exceptSessionId ?? ''))
    .execute();
}
