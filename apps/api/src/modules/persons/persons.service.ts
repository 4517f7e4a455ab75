import type { Clock } from '../../platform/clock.js';
import { shanghaiDate } from '../../platform/clock.js';
import type { Db, DbOrTrx, Trx } from '../../platform/db.js';
import { DomainError, type FieldError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import {
  isMobilePhone,
  maskIdNumber,
  maskPhone,
  normalizePhone,
  type PiiCipher,
} from '../../platform/crypto/index.js';
import type { Scope } from '../../platform/auth/roles.js';
import { recordAudit, searchAudit, type AuditContext } from '../audit/audit.service.js';
import type { AuthContext } from '../auth/auth.service.js';
import { checkIdNumber } from './persons.id.js';
import * as repo from './persons.repository.js';
import type { Education, EmploymentStatus, PersonSource } from './persons.schema.js';

export interface PersonDeps {
  pii: PiiCipher;
  clock: Clock;
}

export interface PersonInput {
  idNumber: string;
  name: string;
  phone?: string | null;
  householdRegionCode?: string | null;
  residenceRegionCode?: string | null;
  education?: Education | null;
  employmentStatus?: EmploymentStatus;
  keyGroups?: string[];
  note?: string | null;
}

const CITY = '411400';

/** The person as every API answer shows it: masked, never the full ID number or phone. */
export function personView(row: repo.PersonRow) {
  return {
    id: row.id,
    name: row.name,
    idNumberMasked: row.idNumberMasked,
    sex: row.sex,
    birthDate: row.birthDate,
    phoneMasked: row.phoneMasked,
    householdRegionCode: row.householdRegionCode,
    residenceRegionCode: row.residenceRegionCode,
    regionCode: row.regionCode,
    education: row.education,
    employmentStatus: row.employmentStatus,
    keyGroups: row.keyGroups ?? [],
    reviewWarnings: row.reviewWarnings,
    note: row.note,
    source: row.source,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PersonView = ReturnType<typeof personView>;

function scopeOfCaller(auth: AuthContext | null): Scope {
  return auth?.scope ?? { kind: 'city' };
}

/** Who changed a person: the caller, or the system for work done without one. */
export function auditContext(
  auth: AuthContext | null,
  meta: { requestId: string | null; ip: string | null },
): AuditContext {
  return {
    actor: {
      userId: auth?.user.id ?? null,
      username: auth?.user.username ?? 'system',
      role: auth?.user.role ?? 'system',
    },
    requestId: meta.requestId,
    ip: meta.ip,
  };
}

async function resolveRegion(
  db: DbOrTrx,
  code: string | null | undefined,
  field: string,
): Promise<string | null> {
  if (code === null || code === undefined || code === '') return null;
  const county = await repo.countyOf(db, code);
  if (!county) {
    throw new DomainError('VALIDATION_FAILED', `No region has the code ${code}`, [
      { path: field, message: 'unknown region code' },
    ]);
  }
  return code;
}

/** The county a person is counted in: where they live, else their household, else the city. */
async function scopingRegion(db: DbOrTrx, residence: string | null, household: string | null) {
  for (const code of [residence, household]) {
    if (code) {
      const county = await repo.countyOf(db, code);
      if (county) return county;
    }
  }
  return CITY;
}

async function assertKeyGroups(db: DbOrTrx, codes: string[]): Promise<void> {
  const known = await repo.knownKeyGroups(db);
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new DomainError('VALIDATION_FAILED', `Unknown key group(s): ${unknown.join(', ')}`, [
      { path: '/body/keyGroups', message: `unknown: ${unknown.join(', ')}` },
    ]);
  }
}

/**
 * A county administrator registers people of their county only; a person without any region is
 * counted in the administrator's county.
 */
function assertRegionInScope(scope: Scope, regionCode: string): void {
  if (scope.kind === 'region' && regionCode !== scope.regionCode && regionCode !== CITY) {
    throw new DomainError('FORBIDDEN', 'This person lives outside your county', [
      { path: '/body/residenceRegionCode', message: 'outside your county' },
    ]);
  }
}

interface PreparedPerson {
  row: repo.NewPerson;
  keyGroups: string[];
  warnings: { code: string; message: string }[];
}

async function preparePerson(
  db: DbOrTrx,
  deps: PersonDeps,
  auth: AuthContext | null,
  input: PersonInput,
  source: PersonSource,
): Promise<PreparedPerson> {
  const now = deps.clock.now();
  const checked = await checkIdNumber(db, input.idNumber, shanghaiDate(now));
  if (!checked.ok) {
    throw new DomainError('VALIDATION_FAILED', checked.message, [
      {
        path: '/body/idNumber',
        message: checked.message,
      },
    ]);
  }
  const name = input.name.normalize('NFKC').trim().replace(/\s+/g, '');
  if (name.length === 0) {
    throw new DomainError('VALIDATION_FAILED', 'The name is empty', [
      { path: '/body/name', message: 'is empty' },
    ]);
  }
  const household = await resolveRegion(db, input.householdRegionCode, '/body/householdRegionCode');
  const residence = await resolveRegion(db, input.residenceRegionCode, '/body/residenceRegionCode');
  const scope = scopeOfCaller(auth);
  let regionCode = await scopingRegion(db, residence, household);
  if (regionCode === CITY && scope.kind === 'region') regionCode = scope.regionCode;
  assertRegionInScope(scope, regionCode);
  const keyGroups = [...new Set(input.keyGroups ?? [])];
  await assertKeyGroups(db, keyGroups);
  const phone = input.phone ? normalizePhone(input.phone) : null;
  if (phone !== null && !isMobilePhone(phone)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'The phone must be an 11-digit mainland mobile number',
      [{ path: '/body/phone', message: 'must be an 11-digit mobile number starting with 1' }],
    );
  }
  return {
    row: {
      id: uuidv7(),
      idNumberEnc: deps.pii.encrypt('person.id_number', checked.idNumber),
      idNumberBidx: deps.pii.blindIndex('id_number', checked.idNumber),
      idNumberMasked: maskIdNumber(checked.idNumber),
      name,
      sex: checked.sex,
      birthDate: checked.birthDate,
      idRegionCode: checked.regionCode,
      phoneEnc: phone ? deps.pii.encrypt('person.phone', phone) : null,
      phoneBidx: phone ? deps.pii.blindIndex('phone', phone) : null,
      phoneMasked: phone ? maskPhone(phone) : null,
      householdRegionCode: household,
      residenceRegionCode: residence,
      regionCode,
      education: input.education ?? null,
      employmentStatus: input.employmentStatus ?? 'unknown',
      reviewWarnings: checked.warnings.map((w) => w.code),
      note: input.note?.trim() || null,
      source,
      createdBy: auth?.user.id ?? null,
      createdAt: now,
      updatedAt: now,
    },
    keyGroups,
    warnings: checked.warnings,
  };
}

async function linkToCaller(trx: Trx, auth: AuthContext | null, personId: string, at: Date) {
  const scope = scopeOfCaller(auth);
  if (scope.kind === 'unit') await repo.linkPerson(trx, personId, 'unit', scope.unitId, at);
  if (scope.kind === 'organisation') {
    await repo.linkPerson(trx, personId, 'organisation', scope.organisationId, at);
  }
}

/**
 * Registers a person. One person per ID number: a second registration answers 409 naming the
 * existing record when the caller may see it (and links it to the caller's unit or organisation
 * so they can), without revealing anything of a record outside their scope.
 */
export async function createPerson(
  db: Db,
  deps: PersonDeps,
  auth: AuthContext | null,
  input: PersonInput,
  meta: { requestId: string | null; ip: string | null },
  source: PersonSource = 'manual',
) {
  const prepared = await preparePerson(db, deps, auth, input, source);
  return db.transaction().execute(async (trx) => {
    const inserted = await repo.insertPerson(trx, prepared.row);
    if (!inserted) {
      throw new DomainError('PERSON_EXISTS', 'A person with this ID number is already registered', [
        { path: '/body/idNumber', message: 'already registered' },
      ]);
    }
    await repo.addKeyGroups(trx, prepared.row.id, prepared.keyGroups);
    await linkToCaller(trx, auth, prepared.row.id, prepared.row.createdAt);
    const person = await repo.findPerson(trx, { kind: 'city' }, prepared.row.id);
    if (!person) throw new Error('created person vanished');
    const view = personView(person);
    await recordAudit(trx, {
      context: auditContext(auth, meta),
      action: 'person.created',
      entityType: 'person',
      entityId: person.id,
      after: view,
      occurredAt: prepared.row.createdAt,
    });
    return { person: view, warnings: prepared.warnings };
  });
}

async function visiblePerson(db: DbOrTrx, auth: AuthContext | null, id: string) {
  const person = await repo.findPerson(db, scopeOfCaller(auth), id);
  if (!person) throw new DomainError('NOT_FOUND', 'No such person');
  return person;
}

export async function getPerson(db: Db, auth: AuthContext | null, id: string) {
  return personView(await visiblePerson(db, auth, id));
}

export async function searchPersons(
  db: Db,
  deps: PersonDeps,
  auth: AuthContext | null,
  search: Omit<repo.PersonSearch, 'phoneBidx'> & { phone?: string },
) {
  const { phone, ...rest } = search;
  const phoneBidx = phone ? deps.pii.blindIndex('phone', phone) : undefined;
  const { items, total } = await repo.searchPersons(db, scopeOfCaller(auth), {
    ...rest,
    phoneBidx,
  });
  return { items: items.map(personView), total };
}

/** Exact lookup by ID number (sent in a body, never a URL); 404 when unknown or out of scope. */
export async function findPersonByIdNumber(
  db: Db,
  deps: PersonDeps,
  auth: AuthContext | null,
  idNumber: string,
) {
  const checked = await checkIdNumber(db, idNumber, shanghaiDate(deps.clock.now()));
  if (!checked.ok) {
    throw new DomainError('VALIDATION_FAILED', checked.message, [
      { path: '/body/idNumber', message: checked.message },
    ]);
  }
  const person = await repo.findPersonByBlindIndex(
    db,
    scopeOfCaller(auth),
    deps.pii.blindIndex('id_number', checked.idNumber),
  );
  if (!person) throw new DomainError('NOT_FOUND', 'No person with this ID number in your scope');
  return personView(person);
}

export interface PersonChanges {
  version: number;
  name?: string;
  phone?: string | null;
  householdRegionCode?: string | null;
  residenceRegionCode?: string | null;
  education?: Education | null;
  employmentStatus?: EmploymentStatus;
  keyGroups?: string[];
  note?: string | null;
}

/** Changes a person; `version` must be the one the caller read (409 when someone else saved). */
export async function updatePerson(
  db: Db,
  deps: PersonDeps,
  auth: AuthContext | null,
  id: string,
  changes: PersonChanges,
  meta: { requestId: string | null; ip: string | null },
) {
  await visiblePerson(db, auth, id);
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockPerson(trx, id);
    if (!before) throw new DomainError('NOT_FOUND', 'No such person');
    if (before.version !== changes.version) {
      throw new DomainError('CONFLICT', 'Someone else changed this person; reload and try again', [
        { path: '/body/version', message: `is ${before.version} now` },
      ]);
    }
    const set: Parameters<typeof repo.updatePerson>[2] = { updatedAt: now };
    const errors: FieldError[] = [];
    if (changes.name !== undefined) {
      const name = changes.name.normalize('NFKC').trim().replace(/\s+/g, '');
      if (!name) errors.push({ path: '/body/name', message: 'is empty' });
      set.name = name;
    }
    if (changes.phone !== undefined) {
      const phone = changes.phone ? normalizePhone(changes.phone) : null;
      if (phone !== null && !isMobilePhone(phone)) {
        errors.push({
          path: '/body/phone',
          message: 'must be an 11-digit mobile number starting with 1',
        });
      }
      set.phoneEnc = phone ? deps.pii.encrypt('person.phone', phone) : null;
      set.phoneBidx = phone ? deps.pii.blindIndex('phone', phone) : null;
      set.phoneMasked = phone ? maskPhone(phone) : null;
    }
    if (errors.length > 0)
      throw new DomainError('VALIDATION_FAILED', 'The changes are invalid', errors);
    if (changes.householdRegionCode !== undefined) {
      set.householdRegionCode = await resolveRegion(
        trx,
        changes.householdRegionCode,
        '/body/householdRegionCode',
      );
    }
    if (changes.residenceRegionCode !== undefined) {
      set.residenceRegionCode = await resolveRegion(
        trx,
        changes.residenceRegionCode,
        '/body/residenceRegionCode',
      );
    }
    if (changes.householdRegionCode !== undefined || changes.residenceRegionCode !== undefined) {
      set.regionCode = await scopingRegion(
        trx,
        set.residenceRegionCode !== undefined
          ? set.residenceRegionCode
          : before.residenceRegionCode,
        set.householdRegionCode !== undefined
          ? set.householdRegionCode
          : before.householdRegionCode,
      );
      assertRegionInScope(scopeOfCaller(auth), set.regionCode);
    }
    if (changes.education !== undefined) set.education = changes.education;
    if (changes.employmentStatus !== undefined) set.employmentStatus = changes.employmentStatus;
    if (changes.note !== undefined) set.note = changes.note?.trim() || null;
    await repo.updatePerson(trx, id, set);
    if (changes.keyGroups !== undefined) {
      const groups = [...new Set(changes.keyGroups)];
      await assertKeyGroups(trx, groups);
      await repo.setKeyGroups(trx, id, groups);
    }
    const after = await repo.findPerson(trx, { kind: 'city' }, id);
    if (!after) throw new Error('updated person vanished');
    await recordAudit(trx, {
      context: auditContext(auth, meta),
      action: 'person.updated',
      entityType: 'person',
      entityId: id,
      before: personView(before),
      after: personView(after),
      occurredAt: now,
    });
    return personView(after);
  });
}

/**
 * The full ID number and phone, for roles allowed to see them; the read and its audit row commit
 * together, and the values are returned only after that commit.
 */
export async function revealPerson(
  db: Db,
  deps: PersonDeps,
  auth: AuthContext,
  id: string,
  meta: { requestId: string | null; ip: string | null },
) {
  await visiblePerson(db, auth, id);
  return db.transaction().execute(async (trx) => {
    const secrets = await repo.findSecrets(trx, id);
    if (!secrets) throw new DomainError('NOT_FOUND', 'No such person');
    await recordAudit(trx, {
      context: auditContext(auth, meta),
      action: 'person.id_number.revealed',
      entityType: 'person',
      entityId: id,
      details: { fields: secrets.phoneEnc ? ['idNumber', 'phone'] : ['idNumber'] },
      occurredAt: deps.clock.now(),
    });
    return {
      idNumber: deps.pii.decrypt('person.id_number', secrets.idNumberEnc),
      phone: secrets.phoneEnc ? deps.pii.decrypt('person.phone', secrets.phoneEnc) : null,
    };
  });
}

/** The audit trail of one person record, for those who may see the record. */
export async function personHistory(
  db: Db,
  auth: AuthContext,
  id: string,
  page: number,
  pageSize: number,
) {
  await visiblePerson(db, auth, id);
  const result = await searchAudit(db, { entityType: 'person', entityId: id, page, pageSize });
  return {
    ...result,
    items: result.items.map((e) => ({
      id: e.id,
      occurredAt: e.occurredAt.toISOString(),
      actorUsername: e.actorUsername,
      actorRole: e.actorRole,
      action: e.action,
      actionDescription: e.actionDescription,
      outcome: e.outcome,
    })),
  };
}

/**
 * Self-registration (个人注册): the worker's own ID number, name and phone. A known ID number is
 * matched when the name agrees (its phone is filled in if it had none); an unknown one is
 * registered, counted in the city until a clerk records where the person lives.
 */
export async function findOrRegisterSelf(
  trx: Trx,
  deps: PersonDeps,
  input: { idNumber: string; name: string; phone: string },
): Promise<{ personId: string; created: boolean } | { mismatch: true }> {
  const now = deps.clock.now();
  const checked = await checkIdNumber(trx, input.idNumber, shanghaiDate(now));
  if (!checked.ok) {
    throw new DomainError('VALIDATION_FAILED', checked.message, [
      {
        path: '/body/idNumber',
        message: checked.message,
      },
    ]);
  }
  const name = input.name.normalize('NFKC').trim().replace(/\s+/g, '');
  const phone = normalizePhone(input.phone);
  const bidx = deps.pii.blindIndex('id_number', checked.idNumber);
  const existing = await repo.lockPersonByBlindIndex(trx, bidx);
  if (existing) {
    if (existing.name !== name) return { mismatch: true };
    if (!existing.phoneBidx) {
      await repo.updatePerson(trx, existing.id, {
        phoneEnc: deps.pii.encrypt('person.phone', phone),
        phoneBidx: deps.pii.blindIndex('phone', phone),
        phoneMasked: maskPhone(phone),
        updatedAt: now,
      });
    }
    return { personId: existing.id, created: false };
  }
  const prepared = await preparePerson(
    trx,
    deps,
    null,
    { idNumber: checked.idNumber, name, phone },
    'self_registration',
  );
  if (!(await repo.insertPerson(trx, prepared.row))) return { mismatch: true };
  await recordAudit(trx, {
    context: {
      actor: { userId: null, username: 'self-registration', role: 'worker' },
      requestId: null,
      ip: null,
    },
    action: 'person.created',
    entityType: 'person',
    entityId: prepared.row.id,
    after: { source: 'self_registration', idNumberMasked: prepared.row.idNumberMasked },
    occurredAt: now,
  });
  return { personId: prepared.row.id, created: true };
}

/** What an invitation needs of a person: that the caller may see them, and their phone. */
export async function personForInvitation(db: Db, deps: PersonDeps, auth: AuthContext, id: string) {
  const person = await visiblePerson(db, auth, id);
  const secrets = await repo.findSecrets(db, id);
  if (!secrets?.phoneEnc) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Record a phone for this person first: workers log in with it',
      [{ path: '/body/phone', message: 'the person has no phone' }],
    );
  }
  const phone = deps.pii.decrypt('person.phone', secrets.phoneEnc);
  return { person: personView(person), phoneBidx: deps.pii.blindIndex('phone', phone) };
}
