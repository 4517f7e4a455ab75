import { randomInt } from 'node:crypto';
import type { Db } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { generateInitialPassword, hashPassword } from '../../platform/auth/password.js';
import {
  DEFAULT_PASSWORD_POLICY,
  type PasswordPolicy,
} from '../../platform/auth/password-policy.js';
import { isMobilePhone, normalizePhone } from '../../platform/crypto/index.js';
import { recordAudit } from '../audit/audit.service.js';
import {
  findOrRegisterSelf,
  personForInvitation,
  type PersonDeps,
} from '../persons/persons.service.js';
import * as repo from './auth.repository.js';
import {
  assertPasswordAcceptable,
  auditContextOf,
  openSession,
  type AuthContext,
  type LoginResult,
  type RequestMeta,
} from './auth.service.js';

/** A worker account name nobody chose: `w` and eight digits, retried on the rare collision. */
async function freeWorkerUsername(db: Db): Promise<string> {
  for (;;) {
    const candidate = `w${randomInt(10_000_000, 100_000_000)}`;
    if (!(await repo.findUserByUsername(db, candidate))) return candidate;
  }
}

/**
 * A worker registers themself with ID number, name, phone and password, and is logged in. The
 * account is linked to exactly one person record, matched by ID number; a mismatching name, an
 * ID number that already has an account, or a phone another account uses are refused without
 * saying more than needed.
 */
export async function registerWorker(
  db: Db,
  deps: PersonDeps,
  input: { idNumber: string; name: string; phone: string; password: string; username?: string },
  meta: RequestMeta,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): Promise<LoginResult> {
  const phone = normalizePhone(input.phone);
  if (!isMobilePhone(phone)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'The phone must be an 11-digit mainland mobile number',
      [{ path: '/body/phone', message: 'must be an 11-digit mobile number starting with 1' }],
    );
  }
  const username = input.username?.trim() || (await freeWorkerUsername(db));
  assertPasswordAcceptable(input.password, username, '/body/password', policy);
  if (input.password.includes(phone)) {
    throw new DomainError('VALIDATION_FAILED', 'The password must not contain the phone number', [
      { path: '/body/password', message: 'must not contain the phone number' },
    ]);
  }
  if (input.username && (await repo.findUserByUsername(db, username))) {
    throw new DomainError('USERNAME_TAKEN', `The username ${username} is taken`, [
      { path: '/body/username', message: 'is taken' },
    ]);
  }
  const phoneBidx = deps.pii.blindIndex('phone', phone);
  if (await repo.findUserByPhoneBidx(db, phoneBidx)) {
    throw new DomainError('ALREADY_REGISTERED', 'An account already uses this phone number', [
      { path: '/body/phone', message: 'already has an account' },
    ]);
  }
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    const match = await findOrRegisterSelf(trx, deps, {
      idNumber: input.idNumber,
      name: input.name,
      phone,
    });
    if ('mismatch' in match) {
      throw new DomainError(
        'REGISTRATION_MISMATCH',
        'The name does not match the record of this ID number; contact your local 人社 office',
        [{ path: '/body/name', message: 'does not match the registered record' }],
      );
    }
    if (await repo.findUserByPersonId(trx, match.personId)) {
      throw new DomainError(
        'ALREADY_REGISTERED',
        'This ID number already has an account; log in instead',
        [{ path: '/body/idNumber', message: 'already has an account' }],
      );
    }
    const id = uuidv7();
    await repo.insertUser(trx, {
      id,
      username,
      displayName: input.name.normalize('NFKC').trim(),
      role: 'worker',
      regionCode: null,
      unitId: null,
      organisationId: null,
      personId: match.personId,
      phoneBidx,
      passwordHash,
      mustChangePassword: false,
      createdAt: now,
    });
    await recordAudit(trx, {
      context: { ...auditContextOf(null, meta), actor: { userId: id, username, role: 'worker' } },
      action: 'user.created',
      entityType: 'user',
      entityId: id,
      after: { username, role: 'worker', personId: match.personId, selfRegistered: true },
      occurredAt: now,
    });
    const user = await repo.findUserById(trx, id);
    if (!user) throw new Error('registered user vanished');
    return openSession(trx, user, meta, now);
  });
}

/**
 * A bureau invites a registered person to a worker account: an initial password (shown once) to
 * be changed at first login; they log in with their phone.
 */
export async function inviteWorker(
  db: Db,
  deps: PersonDeps,
  auth: AuthContext,
  personId: string,
  meta: RequestMeta,
) {
  const { person, phoneBidx } = await personForInvitation(db, deps, auth, personId);
  if (await repo.findUserByPersonId(db, personId)) {
    throw new DomainError('ALREADY_REGISTERED', 'This person already has an account');
  }
  if (await repo.findUserByPhoneBidx(db, phoneBidx)) {
    throw new DomainError('ALREADY_REGISTERED', 'Another account already uses this person’s phone');
  }
  const initialPassword = generateInitialPassword();
  const passwordHash = await hashPassword(initialPassword);
  const username = await freeWorkerUsername(db);
  const now = deps.clock.now();
  const id = uuidv7();
  await db.transaction().execute(async (trx) => {
    await repo.insertUser(trx, {
      id,
      username,
      displayName: person.name,
      role: 'worker',
      regionCode: null,
      unitId: null,
      organisationId: null,
      personId,
      phoneBidx,
      passwordHash,
      mustChangePassword: true,
      createdAt: now,
    });
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'user.created',
      entityType: 'user',
      entityId: id,
      after: { username, role: 'worker', personId, invited: true },
      occurredAt: now,
    });
  });
  return { username, phoneMasked: person.phoneMasked, initialPassword };
}
