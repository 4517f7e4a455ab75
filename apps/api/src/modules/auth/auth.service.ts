import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import { ConfigError } from '../../platform/config.js';
import {
  isMobilePhone,
  maskPhone,
  normalizePhone,
  type PiiCipher,
} from '../../platform/crypto/index.js';
import type { Db, Trx } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import {
  burnVerificationTime,
  generateInitialPassword,
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../../platform/auth/password.js';
import {
  DEFAULT_PASSWORD_POLICY,
  checkPassword,
  describePasswordProblem,
  type PasswordPolicy,
} from '../../platform/auth/password-policy.js';
import {
  permissionsOf,
  scopeOf,
  type Permission,
  type Role,
  type Scope,
} from '../../platform/auth/roles.js';
import {
  SESSION_ABSOLUTE_MS,
  afterFailedLogin,
  lockSecondsLeft,
  sessionStatus,
  shouldTouch,
} from '../../platform/auth/session.rules.js';
import { recordAudit, systemAuditContext, type AuditContext } from '../audit/audit.service.js';
import * as repo from './auth.repository.js';

/** Who is calling, resolved once per request from the session. */
export interface AuthContext {
  sessionId: string;
  user: {
    id: string;
    username: string;
    displayName: string;
    role: Role;
    regionCode: string | null;
    unitId: string | null;
    organisationId: string | null;
    personId: string | null;
    mustChangePassword: boolean;
  };
  scope: Scope;
  permissions: Permission[];
}

/** Where a request came from, for sessions and the audit trail. */
export interface RequestMeta {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

export function auditContextOf(auth: AuthContext | null, meta: RequestMeta): AuditContext {
  return {
    actor: {
      userId: auth?.user.id ?? null,
      username: auth?.user.username ?? null,
      role: auth?.user.role ?? null,
    },
    requestId: meta.requestId,
    ip: meta.ip,
  };
}

/** Sessions are looked up by the SHA-256 of the token; the token itself is never stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function toAuthContext(sessionId: string, user: repo.UserRow): AuthContext {
  return {
    sessionId,
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      regionCode: user.regionCode,
      unitId: user.unitId,
      organisationId: user.organisationId,
      personId: user.personId,
      mustChangePassword: user.mustChangePassword,
    },
    scope: scopeOf(user),
    permissions: permissionsOf(user.role),
  };
}

const INVALID = () => new DomainError('INVALID_CREDENTIALS', 'The username or password is wrong');

function lockedError(seconds: number): DomainError {
  const minutes = Math.ceil(seconds / 60);
  return new DomainError(
    'ACCOUNT_LOCKED',
    `Too many wrong passwords: the account is locked for ${minutes} more minute(s)`,
    [],
    { 'Retry-After': String(seconds) },
  );
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  auth: AuthContext;
}

/**
 * Password login. Wrong passwords are counted and audited even though the request fails; the
 * fifth in a row locks the account for 15 minutes (423 with Retry-After). An unknown username
 * costs the same time as a known one and gets the same answer.
 */
/**
 * Finds the account a login names: an account name, or — for workers, as the provincial portal
 * does — a mobile number, matched through its blind index.
 */
async function findLoginAccount(db: Db, pii: PiiCipher | undefined, login: string) {
  const trimmed = login.trim();
  const phone = normalizePhone(trimmed);
  if (pii && isMobilePhone(phone)) {
    const byPhone = await repo.findUserByPhoneBidx(db, pii.blindIndex('phone', phone));
    if (byPhone) return byPhone;
  }
  return repo.findUserByUsername(db, trimmed);
}

/** How a failed login names its target in the audit trail: a phone only masked. */
function loginLabel(login: string): string {
  const phone = normalizePhone(login.trim());
  return isMobilePhone(phone) ? maskPhone(phone) : login.trim().slice(0, 64);
}

export async function login(
  db: Db,
  clock: Clock,
  input: { username: string; password: string },
  meta: RequestMeta,
  pii?: PiiCipher,
): Promise<LoginResult> {
  const found = await findLoginAccount(db, pii, input.username);
  const failAudit = (reason: string, userId: string | null) =>
    db.transaction().execute((trx) =>
      recordAudit(trx, {
        context: {
          ...auditContextOf(null, meta),
          actor: {
            userId,
            username: loginLabel(input.username),
            role: found?.role ?? null,
          },
        },
        action: 'auth.login.failed',
        entityType: 'user',
        entityId: userId,
        outcome: 'failed',
        details: { reason },
      }),
    );
  if (!found) {
    await burnVerificationTime(input.password);
    await failAudit('unknown_username', null);
    throw INVALID();
  }

  const now = clock.now();
  const lockedFor = lockSecondsLeft(found, now);
  if (lockedFor > 0) {
    await failAudit('locked', found.id);
    throw lockedError(lockedFor);
  }
  const ok = await verifyPassword(input.password, found.passwordHash);
  if (!ok || found.status !== 'active') {
    const outcome = await db.transaction().execute(async (trx) => {
      const user = await repo.findUserForUpdate(trx, found.id);
      if (!user) return { locked: 0 };
      const next = afterFailedLogin(user, now);
      await repo.updateUser(trx, user.id, { ...next, updatedAt: now });
      await recordAudit(trx, {
        context: {
          ...auditContextOf(null, meta),
          actor: { userId: user.id, username: user.username, role: user.role },
        },
        action: 'auth.login.failed',
        entityType: 'user',
        entityId: user.id,
        outcome: 'failed',
        details: { reason: ok ? 'disabled' : 'wrong_password' },
      });
      if (next.lockedUntil && !user.lockedUntil) {
        await recordAudit(trx, {
          context: {
            ...auditContextOf(null, meta),
            actor: { userId: null, username: null, role: null },
          },
          action: 'user.locked',
          entityType: 'user',
          entityId: user.id,
          outcome: 'success',
          after: { lockedUntil: next.lockedUntil.toISOString() },
        });
      }
      return { locked: lockSecondsLeft(next, now) };
    });
    if (outcome.locked > 0) throw lockedError(outcome.locked);
    throw INVALID();
  }

  const rehash = needsRehash(found.passwordHash) ? await hashPassword(input.password) : undefined;
  return db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, found.id, {
      failedLoginCount: 0,
      lockedUntil: null,
      lastLoginAt: now,
      updatedAt: now,
      ...(rehash ? { passwordHash: rehash } : {}),
    });
    return openSession(trx, found, meta, now);
  });
}

/** Starts a session for an account inside the caller's transaction (login, registration). */
export async function openSession(
  trx: Trx,
  user: repo.UserRow,
  meta: RequestMeta,
  now: Date,
): Promise<LoginResult> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  const sessionId = uuidv7();
  await repo.insertSession(trx, {
    id: sessionId,
    tokenHash: hashToken(token),
    userId: user.id,
    createdAt: now,
    expiresAt,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  await recordAudit(trx, {
    context: {
      ...auditContextOf(null, meta),
      actor: { userId: user.id, username: user.username, role: user.role },
    },
    action: 'auth.login.succeeded',
    entityType: 'session',
    entityId: sessionId,
    outcome: 'success',
    occurredAt: now,
  });
  return { token, expiresAt, auth: toAuthContext(sessionId, user) };
}

/**
 * Resolves a bearer token or cookie to the caller; null when the session is unknown, revoked,
 * idle for 30 minutes or past its 12 hours, or the account is disabled.
 */
export async function authenticate(
  db: Db,
  clock: Clock,
  token: string,
): Promise<AuthContext | null> {
  if (token.length < 20 || token.length > 200) return null;
  const session = await repo.findSessionByTokenHash(db, hashToken(token));
  if (!session) return null;
  const now = clock.now();
  if (sessionStatus(session, now) !== 'active') return null;
  const user = await repo.findUserById(db, session.userId);
  if (!user || user.status !== 'active') return null;
  if (shouldTouch(session, now)) await repo.touchSession(db, session.id, now);
  return toAuthContext(session.id, user);
}

export async function logout(db: Db, clock: Clock, auth: AuthContext, meta: RequestMeta) {
  await db.transaction().execute(async (trx) => {
    await repo.revokeSession(trx, auth.sessionId, clock.now());
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'auth.logout',
      entityType: 'session',
      entityId: auth.sessionId,
      outcome: 'success',
    });
  });
}

export function assertPasswordAcceptable(
  password: string,
  username: string,
  field: string,
  policy: PasswordPolicy,
): void {
  const problems = checkPassword(password, username, policy);
  if (problems.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `The new password ${problems.map((p) => describePasswordProblem(p, policy)).join('; ')}`,
      problems.map((p) => ({ path: field, message: describePasswordProblem(p, policy) })),
    );
  }
}

/**
 * Changes the caller's own password (also how an initial password is replaced at first login).
 * Every other session of the account ends.
 */
export async function changePassword(
  db: Db,
  clock: Clock,
  auth: AuthContext,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): Promise<void> {
  const user = await repo.findUserById(db, auth.user.id);
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new DomainError('VALIDATION_FAILED', 'The current password is wrong', [
      { path: '/body/currentPassword', message: 'is wrong' },
    ]);
  }
  assertPasswordAcceptable(input.newPassword, user.username, '/body/newPassword', policy);
  if (input.newPassword === input.currentPassword) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'The new password must differ from the current one',
      [{ path: '/body/newPassword', message: 'must differ from the current password' }],
    );
  }
  const passwordHash = await hashPassword(input.newPassword);
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, user.id, {
      passwordHash,
      mustChangePassword: false,
      passwordChangedAt: now,
      updatedAt: now,
    });
    await repo.revokeUserSessions(trx, user.id, now, auth.sessionId);
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'auth.password.changed',
      entityType: 'user',
      entityId: user.id,
      outcome: 'success',
    });
  });
}

/**
 * Creates the first city administrator, `admin`, when there is no account at all. The password
 * comes from JINENG_ADMIN_PASSWORD (which must satisfy the policy), or is generated and must be
 * changed at first login; the caller prints a generated one once.
 */
export async function bootstrapAdmin(
  db: Db,
  clock: Clock,
  options: { password?: string; policy?: PasswordPolicy },
): Promise<{ created: false } | { created: true; generatedPassword?: string }> {
  if ((await repo.countUsers(db)) > 0) return { created: false };
  const policy = options.policy ?? DEFAULT_PASSWORD_POLICY;
  if (options.password !== undefined) {
    const problems = checkPassword(options.password, 'admin', policy);
    if (problems.length > 0) {
      throw new ConfigError(
        `JINENG_ADMIN_PASSWORD ${problems.map((p) => describePasswordProblem(p, policy)).join('; ')}`,
      );
    }
  }
  const password = options.password ?? generateInitialPassword();
  const now = clock.now();
  const id = uuidv7();
  const passwordHash = await hashPassword(password);
  const created = await db.transaction().execute(async (trx) => {
    // Two processes starting together: the unique username index lets only one insert.
    const inserted = await trx
      .insertInto('users')
      .values({
        id,
        username: 'admin',
        displayName: '系统管理员',
        role: 'city_admin',
        passwordHash,
        mustChangePassword: options.password === undefined,
        createdAt: now,
        updatedAt: now,
      })
      .onConflict((oc) => oc.expression(sqlLowerUsername()).doNothing())
      .executeTakeFirst();
    if (!inserted.numInsertedOrUpdatedRows) return false;
    await recordAudit(trx, {
      context: systemAuditContext('bootstrap'),
      action: 'user.created',
      entityType: 'user',
      entityId: id,
      outcome: 'success',
      after: { username: 'admin', role: 'city_admin' },
    });
    return true;
  });
  if (!created) return { created: false };
  return options.password === undefined
    ? { created: true, generatedPassword: password }
    : { created: true };
}

function sqlLowerUsername() {
  return sql`lower(username)`;
}
