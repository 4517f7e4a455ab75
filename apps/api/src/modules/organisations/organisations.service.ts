import type { Clock } from '../../platform/clock.js';
import type { Db, DbOrTrx, Trx } from '../../platform/db.js';
import { DomainError, violates, type FieldError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { maskPhone, normalizePhone, type PiiCipher } from '../../platform/crypto/index.js';
import { recordAudit } from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import * as repo from './organisations.repository.js';
import {
  canManageOrganisation,
  canSeeOrganisation,
  bankAccountErrors,
  endValidityError,
  isContactPhone,
  isSme,
  kindFieldErrors,
  normalizeBankAccountNo,
  organisationFilterOf,
  type BankAccount,
  type KindFields,
} from './organisations.rules.js';
import type {
  Affiliation,
  EvaluationType,
  OrganisationKind,
  OrganisationStatus,
  SizeClass,
} from './organisations.schema.js';
import { normalizeUscc, validateUscc } from './uscc.rules.js';

/** PII field name of the encrypted contact phone (bound into the ciphertext). */
const CONTACT_PHONE_FIELD = 'organisation.contact_phone';

/** An organisation as the API shows it: the contact phone only masked. */
export function publicOrganisation(row: repo.OrganisationRow) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    uscc: row.uscc,
    regionCode: row.regionCode,
    address: row.address,
    contactName: row.contactName,
    contactPhone: row.contactPhoneMasked,
    status: row.status,
    evaluationType: row.evaluationType,
    institutionCode: row.institutionCode,
    sizeClass: row.sizeClass,
    isSme: row.sizeClass === null ? null : isSme(row.sizeClass),
    affiliation: row.affiliation,
    affiliationRegionCode: row.affiliationRegionCode,
    bankName: row.bankName,
    bankAccountName: row.bankAccountName,
    bankAccountNo: row.bankAccountNo,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicOrganisation = ReturnType<typeof publicOrganisation>;

export function publicSite(row: repo.SiteRow) {
  return {
    id: row.id,
    organisationId: row.organisationId,
    name: row.name,
    serialCode: row.serialCode,
    regionCode: row.regionCode,
    address: row.address,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicSite = ReturnType<typeof publicSite>;

export function publicScope(row: repo.ScopeView) {
  return {
    id: row.id,
    siteId: row.siteId,
    occupationCode: row.occupationCode,
    occupationLevel: row.occupationLevel,
    occupationName: row.occupationName,
    skillLevelKey: row.skillLevelKey,
    skillLevelName: row.skillLevelName,
    validFrom: row.validFrom,
    validTo: row.validTo,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type PublicScope = ReturnType<typeof publicScope>;

function invalid(errors: FieldError[]): DomainError {
  const detail = errors.map((e) => `${e.path.replace(/^\/body\//, '')}: ${e.message}`).join('; ');
  return new DomainError('VALIDATION_FAILED', detail, errors);
}

function notFound(): DomainError {
  return new DomainError('NOT_FOUND', 'No such organisation');
}

/** An organisation the caller may not see does not exist, as far as the caller can tell. */
async function visibleOrganisation(db: DbOrTrx, auth: AuthContext, id: string) {
  const row = await repo.findOrganisationById(db, id);
  if (!row || !canSeeOrganisation(auth.scope, row)) throw notFound();
  return row;
}

/** The organisation, locked for the transaction, when the caller may change it; else 404. */
async function manageableOrganisation(trx: Trx, auth: AuthContext, id: string) {
  const row = await repo.findOrganisationById(trx, id, { forUpdate: true });
  if (!row || !canManageOrganisation(auth.scope, row)) throw notFound();
  return row;
}

/** A site of the organisation; a site of another organisation is not found. */
async function siteOf(db: DbOrTrx, organisationId: string, siteId: string, forUpdate = false) {
  const site = await repo.findSite(db, siteId, { forUpdate });
  if (site?.organisationId !== organisationId) {
    throw new DomainError('NOT_FOUND', 'No such evaluation site');
  }
  return site;
}

async function countyLevelRegionError(
  db: DbOrTrx,
  code: string | null | undefined,
  path: string,
): Promise<FieldError | null> {
  if (code === null || code === undefined) return null;
  const region = await repo.findRegion(db, code);
  if (region?.level !== 3) return { path, message: 'unknown county-level region' };
  return null;
}

/** A county administrator acts in their own region only. */
function assertOwnRegion(auth: AuthContext, regionCode: string, path: string): void {
  if (auth.scope.kind === 'region' && regionCode !== auth.scope.regionCode) {
    throw new DomainError('FORBIDDEN', 'You may act in your own region only', [
      { path, message: 'outside your region' },
    ]);
  }
}

/** The GB 32100 check, with its Chinese message for the clerk (uscc.rules.ts). */
function usccError(uscc: string | null): FieldError | null {
  if (uscc === null) return null;
  const result = validateUscc(uscc);
  return result.ok ? null : { path: '/body/uscc', message: result.message };
}

function usccTaken(uscc: string): DomainError {
  return new DomainError(
    'USCC_TAKEN',
    `Another organisation has the unified social credit code ${uscc}`,
    [{ path: '/body/uscc', message: 'is taken' }],
  );
}

function contactPhoneColumns(
  pii: PiiCipher,
  phone: string | null,
): { contactPhoneEnc: string | null; contactPhoneMasked: string | null } {
  if (phone === null) return { contactPhoneEnc: null, contactPhoneMasked: null };
  return {
    contactPhoneEnc: pii.encrypt(CONTACT_PHONE_FIELD, phone),
    contactPhoneMasked: maskPhone(phone),
  };
}

/** A normalised contact phone, or a field error. */
function checkContactPhone(raw: string | null | undefined): string | null | FieldError {
  if (raw === null || raw === undefined) return null;
  const phone = normalizePhone(raw);
  if (!isContactPhone(phone)) {
    return { path: '/body/contactPhone', message: 'not a mobile or landline number' };
  }
  return phone;
}

export interface OrganisationSearchInput {
  kind?: OrganisationKind;
  q?: string;
  uscc?: string;
  regionCode?: string;
  status?: OrganisationStatus;
  page: number;
  pageSize: number;
}

/** Organisations in the caller's scope, filtered and paged, by name. */
export async function listOrganisations(
  db: Db,
  auth: AuthContext,
  search: OrganisationSearchInput,
) {
  const { items, total } = await repo.searchOrganisations(db, {
    ...search,
    uscc: search.uscc === undefined ? undefined : normalizeUscc(search.uscc),
    filter: organisationFilterOf(auth.scope),
  });
  return { items: items.map(publicOrganisation), total };
}

export async function getOrganisation(db: Db, auth: AuthContext, id: string) {
  return publicOrganisation(await visibleOrganisation(db, auth, id));
}

export interface CreateOrganisationInput {
  kind: OrganisationKind;
  name: string;
  uscc?: string;
  regionCode?: string;
  address?: string;
  contactName?: string;
  contactPhone?: string;
  evaluationType?: EvaluationType;
  institutionCode?: string;
  sizeClass?: SizeClass;
  affiliation?: Affiliation;
  affiliationRegionCode?: string;
  bankName?: string;
  bankAccountName?: string;
  bankAccountNo?: string;
}

/**
 * Registers an organisation. A county administrator registers organisations of their own region
 * (the default); the city administrator names the region. Each kind has its own required fields
 * (see organisations.rules.ts); an employer's unified social credit code must pass the GB 32100
 * check and be unique.
 */
export async function createOrganisation(
  db: Db,
  clock: Clock,
  pii: PiiCipher,
  auth: AuthContext,
  input: CreateOrganisationInput,
  meta: RequestMeta,
) {
  const regionCode =
    input.regionCode ?? (auth.scope.kind === 'region' ? auth.scope.regionCode : undefined);
  if (regionCode === undefined) {
    throw invalid([{ path: '/body/regionCode', message: 'required' }]);
  }
  assertOwnRegion(auth, regionCode, '/body/regionCode');
  const uscc = input.uscc === undefined ? null : normalizeUscc(input.uscc);
  const fields: KindFields = {
    uscc,
    evaluationType: input.evaluationType ?? null,
    institutionCode: input.institutionCode ?? null,
    sizeClass: input.sizeClass ?? null,
    affiliation: input.affiliation ?? null,
    affiliationRegionCode: input.affiliationRegionCode ?? null,
  };
  const phone = checkContactPhone(input.contactPhone);
  const bank = bankAccountOf(input, { bankName: null, bankAccountName: null, bankAccountNo: null });
  const errors = [
    await countyLevelRegionError(db, regionCode, '/body/regionCode'),
    usccError(uscc),
    ...kindFieldErrors(input.kind, fields),
    ...bankAccountErrors(bank),
    await countyLevelRegionError(db, fields.affiliationRegionCode, '/body/affiliationRegionCode'),
    typeof phone === 'object' ? phone : null,
  ].filter((e): e is FieldError => e !== null);
  if (errors.length > 0) throw invalid(errors);
  if (uscc !== null && (await repo.findOrganisationByUscc(db, uscc))) throw usccTaken(uscc);

  const now = clock.now();
  const id = uuidv7();
  return db.transaction().execute(async (trx) => {
    try {
      await repo.insertOrganisation(trx, {
        id,
        kind: input.kind,
        name: input.name.trim(),
        regionCode,
        address: input.address?.trim() ?? null,
        contactName: input.contactName?.trim() ?? null,
        ...contactPhoneColumns(pii, typeof phone === 'string' ? phone : null),
        ...fields,
        ...bank,
        createdAt: now,
        updatedAt: now,
      });
    } catch (error) {
      if (uscc !== null && violates(error, '23505', 'organisations_uscc_key'))
        throw usccTaken(uscc);
      throw error;
    }
    const row = await repo.findOrganisationById(trx, id);
    if (!row) throw new Error('created organisation vanished');
    const after = publicOrganisation(row);
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'organisation.created',
      entityType: 'organisation',
      entityId: id,
      after,
      occurredAt: now,
    });
    return after;
  });
}

export interface UpdateOrganisationInput {
  name?: string;
  uscc?: string | null;
  regionCode?: string;
  address?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  status?: OrganisationStatus;
  evaluationType?: EvaluationType | null;
  institutionCode?: string | null;
  sizeClass?: SizeClass | null;
  affiliation?: Affiliation | null;
  affiliationRegionCode?: string | null;
  bankName?: string | null;
  bankAccountName?: string | null;
  bankAccountNo?: string | null;
}

function pick<T>(change: T | undefined, current: T): T {
  return change === undefined ? current : change;
}

/** The bank fields given (trimmed; the account number without spaces), merged over `current`. */
function bankAccountOf(
  input: {
    bankName?: string | null;
    bankAccountName?: string | null;
    bankAccountNo?: string | null;
  },
  current: BankAccount,
): BankAccount {
  const text = (v: string | null | undefined, cur: string | null) =>
    v === undefined ? cur : v === null ? null : v.trim() || null;
  return {
    bankName: text(input.bankName, current.bankName),
    bankAccountName: text(input.bankAccountName, current.bankAccountName),
    bankAccountNo:
      input.bankAccountNo === undefined
        ? current.bankAccountNo
        : input.bankAccountNo === null
          ? null
          : normalizeBankAccountNo(input.bankAccountNo) || null,
  };
}

/**
 * Changes an organisation's details or status (suspending it, or making it active again). Its
 * kind never changes. The whole record after the change must still suit its kind; a county
 * administrator cannot move an organisation out of their region.
 */
export async function updateOrganisation(
  db: Db,
  clock: Clock,
  pii: PiiCipher,
  auth: AuthContext,
  id: string,
  changes: UpdateOrganisationInput,
  meta: RequestMeta,
) {
  const now = clock.now();
  return db.transaction().execute(async (trx) => {
    const before = await manageableOrganisation(trx, auth, id);
    const regionCode = pick(changes.regionCode, before.regionCode);
    assertOwnRegion(auth, regionCode, '/body/regionCode');
    const uscc =
      changes.uscc === undefined || changes.uscc === null
        ? pick(changes.uscc, before.uscc)
        : normalizeUscc(changes.uscc);
    const fields: KindFields = {
      uscc,
      evaluationType: pick(changes.evaluationType, before.evaluationType),
      institutionCode: pick(changes.institutionCode, before.institutionCode),
      sizeClass: pick(changes.sizeClass, before.sizeClass),
      affiliation: pick(changes.affiliation, before.affiliation),
      affiliationRegionCode: pick(changes.affiliationRegionCode, before.affiliationRegionCode),
    };
    // An affiliation other than county drops the county it named, unless the client set one.
    if (
      changes.affiliation !== undefined &&
      changes.affiliation !== 'county' &&
      changes.affiliationRegionCode === undefined
    ) {
      fields.affiliationRegionCode = null;
    }
    const phone = checkContactPhone(changes.contactPhone);
    const bank = bankAccountOf(changes, before);
    const errors = [
      ...bankAccountErrors(bank),
      changes.regionCode === undefined
        ? null
        : await countyLevelRegionError(trx, regionCode, '/body/regionCode'),
      uscc === before.uscc ? null : usccError(uscc),
      ...kindFieldErrors(before.kind, fields),
      fields.affiliationRegionCode === before.affiliationRegionCode
        ? null
        : await countyLevelRegionError(
            trx,
            fields.affiliationRegionCode,
            '/body/affiliationRegionCode',
          ),
      typeof phone === 'object' ? phone : null,
    ].filter((e): e is FieldError => e !== null);
    if (errors.length > 0) throw invalid(errors);
    if (uscc !== null && uscc !== before.uscc) {
      const holder = await repo.findOrganisationByUscc(trx, uscc);
      if (holder && holder.id !== id) throw usccTaken(uscc);
    }

    try {
      await repo.updateOrganisation(trx, id, {
        name: changes.name?.trim(),
        regionCode,
        address: changes.address === undefined ? undefined : (changes.address?.trim() ?? null),
        contactName:
          changes.contactName === undefined ? undefined : (changes.contactName?.trim() ?? null),
        ...(changes.contactPhone === undefined
          ? {}
          : contactPhoneColumns(pii, typeof phone === 'string' ? phone : null)),
        status: changes.status,
        ...fields,
        ...bank,
        updatedAt: now,
      });
    } catch (error) {
      if (uscc !== null && violates(error, '23505', 'organisations_uscc_key'))
        throw usccTaken(uscc);
      throw error;
    }
    const after = await repo.findOrganisationById(trx, id);
    if (!after) throw new Error('updated organisation vanished');
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'organisation.updated',
      entityType: 'organisation',
      entityId: id,
      before: publicOrganisation(before),
      after: publicOrganisation(after),
      occurredAt: now,
    });
    return publicOrganisation(after);
  });
}

/** An evaluation institution's sites; other kinds of organisation have none. */
export async function listSites(db: Db, auth: AuthContext, organisationId: string) {
  const organisation = await visibleOrganisation(db, auth, organisationId);
  if (organisation.kind !== 'evaluation_institution') return [];
  return (await repo.listSites(db, organisationId)).map(publicSite);
}

function assertEvaluationInstitution(organisation: repo.OrganisationRow): void {
  if (organisation.kind !== 'evaluation_institution') {
    throw new DomainError(
      'NOT_AN_EVALUATION_INSTITUTION',
      `A ${organisation.kind} has no evaluation sites`,
    );
  }
}

function serialCodeTaken(serialCode: string): DomainError {
  return new DomainError(
    'SERIAL_CODE_TAKEN',
    `Another evaluation site has the 序列码 ${serialCode}`,
    [{ path: '/body/serialCode', message: 'is taken' }],
  );
}

export interface AddSiteInput {
  name: string;
  serialCode: string;
  regionCode: string;
  address?: string;
}

/** Adds an evaluation site, with the 序列码 the province assigned it, to an evaluation institution. */
export async function addSite(
  db: Db,
  clock: Clock,
  auth: AuthContext,
  organisationId: string,
  input: AddSiteInput,
  meta: RequestMeta,
) {
  const now = clock.now();
  return db.transaction().execute(async (trx) => {
    const organisation = await manageableOrganisation(trx, auth, organisationId);
    assertEvaluationInstitution(organisation);
    const regionError = await countyLevelRegionError(trx, input.regionCode, '/body/regionCode');
    if (regionError) throw invalid([regionError]);
    const id = uuidv7();
    try {
      await repo.insertSite(trx, {
        id,
        organisationId,
        name: input.name.trim(),
        serialCode: input.serialCode,
        regionCode: input.regionCode,
        address: input.address?.trim() ?? null,
        createdAt: now,
        updatedAt: now,
      });
    } catch (error) {
      if (violates(error, '23505', 'evaluation_sites_serial_code_key')) {
        throw serialCodeTaken(input.serialCode);
      }
      throw error;
    }
    const row = await repo.findSite(trx, id);
    if (!row) throw new Error('created site vanished');
    const after = publicSite(row);
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'organisation.site.created',
      entityType: 'evaluation_site',
      entityId: id,
      after,
      details: { organisationId },
      occurredAt: now,
    });
    return after;
  });
}

export interface UpdateSiteInput {
  name?: string;
  serialCode?: string;
  regionCode?: string;
  address?: string | null;
  status?: OrganisationStatus;
}

/** Renames, moves, re-codes, suspends or re-activates an evaluation site. */
export async function updateSite(
  db: Db,
  clock: Clock,
  auth: AuthContext,
  organisationId: string,
  siteId: string,
  changes: UpdateSiteInput,
  meta: RequestMeta,
) {
  const now = clock.now();
  return db.transaction().execute(async (trx) => {
    await manageableOrganisation(trx, auth, organisationId);
    const before = await siteOf(trx, organisationId, siteId, true);
    const regionError = await countyLevelRegionError(trx, changes.regionCode, '/body/regionCode');
    if (regionError) throw invalid([regionError]);
    try {
      await repo.updateSite(trx, siteId, {
        name: changes.name?.trim(),
        serialCode: changes.serialCode,
        regionCode: changes.regionCode,
        address: changes.address === undefined ? undefined : (changes.address?.trim() ?? null),
        status: changes.status,
        updatedAt: now,
      });
    } catch (error) {
      if (changes.serialCode && violates(error, '23505', 'evaluation_sites_serial_code_key')) {
        throw serialCodeTaken(changes.serialCode);
      }
      throw error;
    }
    const after = await repo.findSite(trx, siteId);
    if (!after) throw new Error('updated site vanished');
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'organisation.site.updated',
      entityType: 'evaluation_site',
      entityId: siteId,
      before: publicSite(before),
      after: publicSite(after),
      details: { organisationId },
      occurredAt: now,
    });
    return publicSite(after);
  });
}

/** A site's approvals, all of them or those in force on `activeOn` (YYYY-MM-DD). */
export async function listScopes(
  db: Db,
  auth: AuthContext,
  organisationId: string,
  siteId: string,
  options: { activeOn?: string } = {},
) {
  await visibleOrganisation(db, auth, organisationId);
  await siteOf(db, organisationId, siteId);
  return (await repo.listScopes(db, siteId, options)).map(publicScope);
}

export interface ApproveScopeInput {
  occupationCode: string;
  /** The catalog level of the code; occupations are 4. */
  occupationLevel?: number;
  skillLevelKey: string;
  validFrom: string;
  validTo: string;
}

function scopeOverlap(): DomainError {
  return new DomainError(
    'SCOPE_OVERLAP',
    'This site is already approved for this occupation and level on some of these days',
    [{ path: '/body/validFrom', message: 'overlaps an existing approval' }],
  );
}

/**
 * Approves a site to evaluate an occupation at a skill level (or 专项职业能力) from `validFrom` to
 * `validTo`, both days included. Two approvals of one site, occupation and level never overlap
 * (the database's exclusion constraint is the last word when two requests race).
 */
export async function approveScope(
  db: Db,
  clock: Clock,
  auth: AuthContext,
  organisationId: string,
  siteId: string,
  input: ApproveScopeInput,
  meta: RequestMeta,
) {
  const occupationLevel = input.occupationLevel ?? 4;
  const now = clock.now();
  return db.transaction().execute(async (trx) => {
    await manageableOrganisation(trx, auth, organisationId);
    await siteOf(trx, organisationId, siteId, true);
    const occupation = await repo.findOccupation(trx, input.occupationCode, occupationLevel);
    const skillLevel = await repo.findSkillLevel(trx, input.skillLevelKey);
    const errors: FieldError[] = [];
    if (occupation?.levelName !== 'occupation') {
      errors.push({ path: '/body/occupationCode', message: 'not an occupation in the catalog' });
    }
    if (!skillLevel) errors.push({ path: '/body/skillLevelKey', message: 'unknown skill level' });
    if (input.validTo < input.validFrom) {
      errors.push({ path: '/body/validTo', message: 'must not be before validFrom' });
    }
    if (errors.length > 0) throw invalid(errors);
    const id = uuidv7();
    try {
      await repo.insertScope(trx, {
        id,
        siteId,
        occupationCode: input.occupationCode,
        occupationLevel,
        skillLevelKey: input.skillLevelKey,
        validFrom: input.validFrom,
        validTo: input.validTo,
        createdAt: now,
        updatedAt: now,
      });
    } catch (error) {
      if (violates(error, '23P01', 'evaluation_scopes_no_overlap')) throw scopeOverlap();
      throw error;
    }
    const row = await repo.findScopeView(trx, id);
    if (!row) throw new Error('approved scope vanished');
    const after = publicScope(row);
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'organisation.scope.approved',
      entityType: 'evaluation_scope',
      entityId: id,
      after,
      details: { organisationId },
      occurredAt: now,
    });
    return after;
  });
}

/**
 * Ends an approval early: its last day becomes `validTo`. Ending only shortens (a longer validity
 * is a new approval), and the row stays, so past evaluations remain checkable.
 */
export async function endScope(
  db: Db,
  clock: Clock,
  auth: AuthContext,
  organisationId: string,
  siteId: string,
  scopeId: string,
  input: { validTo: string; reason?: string },
  meta: RequestMeta,
) {
  const now = clock.now();
  return db.transaction().execute(async (trx) => {
    await manageableOrganisation(trx, auth, organisationId);
    await siteOf(trx, organisationId, siteId);
    const scope = await repo.findScope(trx, scopeId, { forUpdate: true });
    if (scope?.siteId !== siteId) throw new DomainError('NOT_FOUND', 'No such approval');
    const problem = endValidityError(scope, input.validTo);
    if (problem) throw invalid([{ path: '/body/validTo', message: problem }]);
    const before = await repo.findScopeView(trx, scopeId);
    await repo.updateScopeValidTo(trx, scopeId, input.validTo, now);
    const after = await repo.findScopeView(trx, scopeId);
    if (!before || !after) throw new Error('ended scope vanished');
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'organisation.scope.ended',
      entityType: 'evaluation_scope',
      entityId: scopeId,
      before: publicScope(before),
      after: publicScope(after),
      details: { organisationId, reason: input.reason ?? null },
      occurredAt: now,
    });
    return publicScope(after);
  });
}

/*
 * For other modules (#5 classes, #6 evaluations): no caller scope here, the calling service has
 * already decided the caller may act.
 */

/**
 * Whether the site is approved to evaluate the occupation (catalog code and level; occupations
 * are level 4) at the skill level (`level5` … `level1`, `special_ability`) on the civil date
 * `date` (YYYY-MM-DD, a Shanghai date), both ends of an approval's validity included. Only the
 * approval is asked about: whether the site or its institution is suspended is the caller's
 * question (see `findSite`), since a later suspension does not undo an evaluation that was
 * approved on its day.
 */
export async function isApprovedAt(
  db: DbOrTrx,
  siteId: string,
  occupationCode: string,
  occupationLevel: number,
  skillLevelKey: string,
  date: string,
): Promise<boolean> {
  return repo.hasActiveScope(db, { siteId, occupationCode, occupationLevel, skillLevelKey, date });
}

/** An organisation by id, regardless of any caller's scope; undefined when there is none. */
export async function findOrganisation(
  db: DbOrTrx,
  id: string,
): Promise<PublicOrganisation | undefined> {
  const row = await repo.findOrganisationById(db, id);
  return row ? publicOrganisation(row) : undefined;
}

/**
 * An evaluation site with its institution's status and region, regardless of any caller's scope;
 * undefined when there is none.
 */
export async function findSite(db: DbOrTrx, siteId: string) {
  const site = await repo.findSite(db, siteId);
  if (!site) return undefined;
  const organisation = await repo.findOrganisationById(db, site.organisationId);
  if (!organisation) throw new Error('an evaluation site without its institution');
  return {
    ...publicSite(site),
    organisation: {
      id: organisation.id,
      name: organisation.name,
      regionCode: organisation.regionCode,
      status: organisation.status,
      evaluationType: organisation.evaluationType,
      institutionCode: organisation.institutionCode,
    },
  };
}
