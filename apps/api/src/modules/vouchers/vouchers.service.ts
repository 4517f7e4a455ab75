import { createHmac, timingSafeEqual } from 'node:crypto';
import { shanghaiDate, type Clock } from '../../platform/clock.js';
import type { Db, DbOrTrx, Trx } from '../../platform/db.js';
import { DomainError, violates, type FieldError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { maskName, type PiiCipher } from '../../platform/crypto/index.js';
import {
  recordAudit,
  recordAuditMany,
  systemAuditContext,
  type AuditContext,
} from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import { getPerson } from '../persons/persons.service.js';
import { findPersonByBlindIndex } from '../persons/persons.repository.js';
import {
  classForBinding,
  enrolHolder,
  withdrawHolder,
  type BindableClass,
} from './vouchers.classes.js';
import type { PendingFlagReason } from './vouchers.schema.js';
import * as repo from './vouchers.repository.js';
import {
  amountPayableFen,
  bindRefusal,
  formatVoucherNumber,
  isValidWindow,
  occupationMatches,
  transition,
  type BindRefusal,
  type VoucherAction,
  type VoucherOccupation,
  type VoucherState,
} from './vouchers.rules.js';

export interface VoucherDeps {
  pii: PiiCipher;
  clock: Clock;
  /** HMAC key of the holder's QR tokens. */
  qrKey: string;
}

/** A QR token is good for this long after it is shown. */
export const QR_TOKEN_TTL_MS = 60_000;
/** A batch issues at most this many vouchers; larger selections are split by the caller. */
export const MAX_BATCH = 20_000;
const EXPIRY_BATCH = 500;
/** A binding by ID number unconfirmed this long is flagged for review. */
export const PENDING_REVIEW_AFTER_MS = 24 * 60 * 60 * 1000;

/** The columns of a binding by ID number waiting for the holder, cleared together. */
const NO_PENDING_BINDING = {
  pendingClassId: null,
  pendingOrganisationId: null,
  pendingSubsidyStandardFen: null,
  pendingRequestedBy: null,
  pendingRequestedAt: null,
  pendingFlaggedAt: null,
  pendingFlagReason: null,
} as const;

export interface OccupationInput {
  occupationCode: string;
  /** 4 an occupation, 3 a minor group, 2 a medium group (a category). */
  occupationLevel: 2 | 3 | 4;
}

export interface IssueTerms extends OccupationInput {
  valueFen: number;
  validFrom?: string;
  validTo: string;
}

/** The voucher as every answer shows it: the holder's name and masked ID, never the full one. */
export function voucherView(row: repo.VoucherRow) {
  return {
    id: row.id,
    number: row.number,
    personId: row.personId,
    holderName: row.holderName,
    holderIdNumberMasked: row.holderIdNumberMasked,
    occupationCode: row.occupationCode,
    occupationLevel: row.occupationLevel,
    occupationName: row.occupationName,
    valueFen: Number(row.valueFen),
    validFrom: row.validFrom,
    validTo: row.validTo,
    state: row.state,
    classId: row.classId,
    organisationId: row.organisationId,
    subsidyStandardFen: row.subsidyStandardFen === null ? null : Number(row.subsidyStandardFen),
    amountPayableFen:
      row.subsidyStandardFen === null
        ? null
        : amountPayableFen(Number(row.valueFen), Number(row.subsidyStandardFen)),
    boundAt: row.boundAt?.toISOString() ?? null,
    pendingBinding:
      row.pendingClassId === null || row.pendingRequestedAt === null
        ? null
        : {
            classId: row.pendingClassId,
            requestedAt: row.pendingRequestedAt.toISOString(),
            flaggedAt: row.pendingFlaggedAt?.toISOString() ?? null,
            flagReason: row.pendingFlagReason,
          },
    regionCode: row.regionCode,
    source: row.source,
    batchId: row.batchId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type VoucherView = ReturnType<typeof voucherView>;

function notFound(): DomainError {
  return new DomainError('NOT_FOUND', 'No such voucher in your scope');
}

/** Applies `action` through the one transition function, or throws its refusal. */
function next(state: VoucherState, action: VoucherAction): VoucherState {
  const result = transition(state, action);
  if (!result.ok) throw new DomainError(result.code, result.message);
  return result.to;
}

async function loadView(db: Db | Trx, auth: AuthContext, id: string): Promise<VoucherView> {
  const row = await repo.findVoucher(db, auth.scope, id);
  if (!row) throw notFound();
  return voucherView(row);
}

async function checkTerms(db: Db | Trx, terms: IssueTerms, today: string, at = '/body') {
  const errors: FieldError[] = [];
  const occupation = await repo.findOccupation(db, terms.occupationCode, terms.occupationLevel);
  if (!occupation) {
    errors.push({
      path: `${at}/occupationCode`,
      message: 'no occupation or category with this code and level',
    });
  }
  const validFrom = terms.validFrom ?? today;
  if (!isValidWindow({ validFrom, validTo: terms.validTo })) {
    errors.push({ path: `${at}/validTo`, message: 'must not be before validFrom' });
  } else if (terms.validTo < today) {
    errors.push({ path: `${at}/validTo`, message: 'is already past' });
  }
  if (errors.length > 0)
    throw new DomainError('VALIDATION_FAILED', 'The voucher terms are invalid', errors);
  return { validFrom, validTo: terms.validTo };
}

/** Inserts one voucher with its first event; the caller audits. */
async function insertOne(
  trx: Trx,
  deps: VoucherDeps,
  input: {
    personId: string;
    regionCode: string;
    terms: IssueTerms;
    validity: { validFrom: string; validTo: string };
    issuedBy: string | null;
    source: 'issued' | 'applied';
  },
): Promise<string> {
  const now = deps.clock.now();
  const occupation = { code: input.terms.occupationCode, level: input.terms.occupationLevel };
  if (await repo.hasLiveVoucher(trx, input.personId, occupation)) {
    throw new DomainError(
      'VOUCHER_LIVE_EXISTS',
      'This person already holds a live voucher for this occupation',
      [{ path: '/body/occupationCode', message: 'a live voucher exists for this occupation' }],
    );
  }
  const [serial] = await repo.nextSerials(trx, 1);
  const id = uuidv7();
  try {
    await trx
      .insertInto('vouchers')
      .values({
        ...newVoucherRow(id, formatVoucherNumber(now.getUTCFullYear(), serial ?? 0), now),
        personId: input.personId,
        occupationCode: occupation.code,
        occupationLevel: occupation.level,
        valueFen: input.terms.valueFen,
        ...input.validity,
        issuedBy: input.issuedBy,
        regionCode: input.regionCode,
        source: input.source,
        batchId: null,
      })
      .execute();
  } catch (error) {
    if (violates(error, '23505', 'vouchers_one_live_key')) {
      throw new DomainError(
        'VOUCHER_LIVE_EXISTS',
        'This person already holds a live voucher for this occupation',
      );
    }
    throw error;
  }
  await repo.insertEvents(trx, [
    {
      id: uuidv7(),
      voucherId: id,
      fromState: null,
      toState: 'issued',
      action: 'issue',
      actorUserId: input.issuedBy,
      at: now,
      details: null,
    },
  ]);
  return id;
}

function newVoucherRow(id: string, number: string, now: Date) {
  return {
    id,
    number,
    state: 'issued' as const,
    classId: null,
    organisationId: null,
    subsidyStandardFen: null,
    boundAt: null,
    pendingClassId: null,
    pendingOrganisationId: null,
    pendingSubsidyStandardFen: null,
    pendingRequestedBy: null,
    pendingRequestedAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Issues a voucher inside the caller's transaction (single issue and approved applications):
 * the voucher, its first event and its audit row commit together.
 */
export async function issueVoucherIn(
  trx: Trx,
  deps: VoucherDeps,
  auth: AuthContext,
  input: {
    person: { id: string; regionCode: string };
    terms: IssueTerms;
    validity: { validFrom: string; validTo: string };
    source: 'issued' | 'applied';
  },
  meta: RequestMeta,
): Promise<VoucherView> {
  const id = await insertOne(trx, deps, {
    personId: input.person.id,
    regionCode: input.person.regionCode,
    terms: input.terms,
    validity: input.validity,
    issuedBy: auth.user.id,
    source: input.source,
  });
  const view = await loadView(trx, auth, id);
  await recordAudit(trx, {
    context: auditContextOf(auth, meta),
    action: 'voucher.issued',
    entityType: 'voucher',
    entityId: id,
    after: view,
    occurredAt: deps.clock.now(),
  });
  return view;
}

/** Checks the occupation and validity window of new vouchers; returns the window to store. */
export async function checkIssueTerms(db: Db | Trx, deps: VoucherDeps, terms: IssueTerms) {
  return checkTerms(db, terms, shanghaiDate(deps.clock.now()));
}

/**
 * Issues a voucher to one person in the caller's scope (a county administrator: persons of their
 * county). A second live voucher for the same person and occupation is refused with 409.
 */
export async function issueVoucher(
  db: Db,
  deps: VoucherDeps,
  auth: AuthContext,
  input: IssueTerms & { personId: string },
  meta: RequestMeta,
): Promise<VoucherView> {
  // Scoped read: a person outside the caller's county answers 404 like an unknown one.
  const person = await getPerson(db, auth, input.personId);
  const validity = await checkIssueTerms(db, deps, input);
  return db
    .transaction()
    .execute((trx) =>
      issueVoucherIn(trx, deps, auth, { person, terms: input, validity, source: 'issued' }, meta),
    );
}

export interface BatchInput extends IssueTerms {
  filter: repo.BatchFilter;
  preview: boolean;
}

/**
 * Issues a voucher to every person in scope matching the filter who holds no live voucher for the
 * occupation, in one transaction with one audit row per voucher; or, with `preview`, only counts
 * them and shows a few masked names.
 */
export async function batchIssue(
  db: Db,
  deps: VoucherDeps,
  auth: AuthContext,
  input: BatchInput,
  meta: RequestMeta,
) {
  const today = shanghaiDate(deps.clock.now());
  const validity = await checkTerms(db, input, today);
  const occupation = { code: input.occupationCode, level: input.occupationLevel };
  if (input.preview) {
    const [count, sample] = await Promise.all([
      repo.countBatchCandidates(db, auth.scope, input.filter, occupation),
      repo.batchCandidates(db, auth.scope, input.filter, occupation, 5),
    ]);
    return {
      preview: true,
      count,
      issued: 0,
      batchId: null,
      sample: sample.map((p) => ({
        name: maskName(p.name),
        idNumberMasked: p.idNumberMasked,
      })),
    };
  }
  return db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const candidates = await repo.batchCandidates(trx, auth.scope, input.filter, occupation);
    if (candidates.length > MAX_BATCH) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `A batch issues at most ${MAX_BATCH} vouchers; narrow the filter`,
        [{ path: '/body/filter', message: `matches ${candidates.length} persons` }],
      );
    }
    const batchId = uuidv7();
    const serials = await repo.nextSerials(trx, candidates.length);
    const year = now.getUTCFullYear();
    const inserted = await repo.insertVouchers(
      trx,
      candidates.map((p, i) => ({
        ...newVoucherRow(uuidv7(), formatVoucherNumber(year, serials[i] ?? 0), now),
        personId: p.id,
        occupationCode: occupation.code,
        occupationLevel: occupation.level,
        valueFen: input.valueFen,
        ...validity,
        issuedBy: auth.user.id,
        regionCode: p.regionCode,
        source: 'issued' as const,
        batchId,
      })),
    );
    await repo.insertEvents(
      trx,
      inserted.map((v) => ({
        id: uuidv7(),
        voucherId: v.id,
        fromState: null,
        toState: 'issued' as const,
        action: 'issue' as const,
        actorUserId: auth.user.id,
        at: now,
        details: { batchId },
      })),
    );
    const context = auditContextOf(auth, meta);
    await recordAuditMany(
      trx,
      inserted.map((v) => ({
        context,
        action: 'voucher.batch_issued' as const,
        entityType: 'voucher',
        entityId: v.id,
        after: {
          number: v.number,
          personId: v.personId,
          occupationCode: occupation.code,
          occupationLevel: occupation.level,
          valueFen: input.valueFen,
          ...validity,
        },
        details: { batchId },
        occurredAt: now,
      })),
    );
    return {
      preview: false,
      count: candidates.length,
      issued: inserted.length,
      batchId,
      sample: [],
    };
  });
}

export async function getVoucher(db: Db, auth: AuthContext, id: string): Promise<VoucherView> {
  return loadView(db, auth, id);
}

export async function listVouchers(
  db: Db,
  auth: AuthContext,
  query: repo.VoucherFilter & { page: number; pageSize: number },
) {
  const { page, pageSize, ...filter } = query;
  const { items, total } = await repo.listVouchers(db, auth.scope, filter, {
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: items.map(voucherView), total, page, pageSize };
}

/** Locks a voucher the caller may see; 404 otherwise. */
async function lockVisible(trx: Trx, auth: AuthContext, id: string) {
  const visible = await repo.findVoucher(trx, auth.scope, id);
  if (!visible) throw notFound();
  const row = await repo.lockVoucher(trx, id);
  if (!row) throw notFound();
  return row;
}

async function recordTransition(
  trx: Trx,
  input: {
    voucher: repo.LockedVoucher;
    to: VoucherState;
    action: VoucherAction;
    actorUserId: string | null;
    at: Date;
    details?: Record<string, unknown>;
  },
) {
  await repo.insertEvents(trx, [
    {
      id: uuidv7(),
      voucherId: input.voucher.id,
      fromState: input.voucher.state,
      toState: input.to,
      action: input.action,
      actorUserId: input.actorUserId,
      at: input.at,
      details: input.details ?? null,
    },
  ]);
}

/** Cancels an unused voucher (issued or bound) with a reason. */
export async function cancelVoucher(
  db: Db,
  deps: VoucherDeps,
  auth: AuthContext,
  id: string,
  reason: string,
  meta: RequestMeta,
): Promise<VoucherView> {
  return db.transaction().execute(async (trx) => {
    const voucher = await lockVisible(trx, auth, id);
    const to = next(voucher.state, 'cancel');
    const now = deps.clock.now();
    await releaseClass(trx, voucher, { at: now, context: auditContextOf(auth, meta), reason });
    await repo.updateVoucher(trx, id, { state: to, ...NO_PENDING_BINDING, updatedAt: now });
    await recordTransition(trx, {
      voucher,
      to,
      action: 'cancel',
      actorUserId: auth.user.id,
      at: now,
      details: { reason },
    });
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'voucher.cancelled',
      entityType: 'voucher',
      entityId: id,
      before: { state: voucher.state },
      after: { state: to },
      details: { reason },
      occurredAt: now,
    });
    return loadView(trx, auth, id);
  });
}

interface QrPayload {
  /** voucher id */
  v: string;
  /** holder (person) id */
  p: string;
  /** expiry, epoch milliseconds */
  e: number;
}

function sign(key: string, body: string): Buffer {
  return createHmac('sha256', key).update(`voucher-qr.v1.${body}`).digest();
}

/** Signs the token the holder's phone shows: voucher, holder and a 60-second expiry. */
export function signQrToken(key: string, payload: QrPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(key, body).toString('base64url')}`;
}

/** The token's payload when its signature holds; expiry and names are checked by the caller. */
export function readQrToken(key: string, token: string): QrPayload | undefined {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return undefined;
  const expected = sign(key, body);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as QrPayload;
    if (typeof payload.v !== 'string' || typeof payload.p !== 'string') return undefined;
    if (typeof payload.e !== 'number') return undefined;
    return payload;
  } catch {
    return undefined;
  }
}

/** The QR token for the holder's own voucher, valid 60 seconds. */
export async function qrForHolder(db: Db, deps: VoucherDeps, auth: AuthContext, id: string) {
  const voucher = await loadView(db, auth, id);
  if (voucher.personId !== auth.user.personId) throw notFound();
  if (voucher.state !== 'issued') {
    throw new DomainError(
      'VOUCHER_STATE_CONFLICT',
      `A voucher that is ${voucher.state} cannot be bound`,
    );
  }
  const expiresAt = new Date(deps.clock.now().getTime() + QR_TOKEN_TTL_MS);
  return {
    token: signQrToken(deps.qrKey, { v: voucher.id, p: voucher.personId, e: expiresAt.getTime() }),
    expiresAt: expiresAt.toISOString(),
    voucherNumber: voucher.number,
  };
}

function tokenRefused(message: string): DomainError {
  return new DomainError('VOUCHER_TOKEN_INVALID', message, [{ path: '/body/token', message }]);
}

/** The facts the binding rule reads off a voucher row. */
function bindFacts(voucher: repo.LockedVoucher, today: string) {
  return {
    state: voucher.state,
    validity: { validFrom: voucher.validFrom, validTo: voucher.validTo },
    occupation: {
      code: voucher.occupationCode,
      level: voucher.occupationLevel as VoucherOccupation['level'],
    },
    today,
  };
}

/** The class as binding sees it: undefined unless it exists and is `organisationId`'s (if set). */
async function callerClass(
  db: DbOrTrx,
  classId: string,
  organisationId: string | null,
  now: Date,
): Promise<BindableClass | undefined> {
  const cls = await classForBinding(db, classId, now);
  if (!cls || (organisationId !== null && cls.organisationId !== organisationId)) return undefined;
  return cls;
}

function refusalError(refusal: BindRefusal): DomainError {
  return new DomainError(
    refusal.code,
    refusal.message,
    refusal.classIdError === undefined
      ? []
      : [{ path: '/body/classId', message: refusal.classIdError }],
  );
}

/**
 * The checks every binding makes, token or ID number (the pure rule bindRefusal): state,
 * validity, class and occupation. Returns the class or throws the refusal.
 */
async function checkBindable(
  trx: Trx,
  deps: VoucherDeps,
  voucher: repo.LockedVoucher,
  classId: string,
  organisationId: string | null,
  options: { pendingBlocks?: boolean } = {},
): Promise<BindableClass> {
  const now = deps.clock.now();
  const cls = await callerClass(trx, classId, organisationId, now);
  const refusal = bindRefusal({
    ...bindFacts(voucher, shanghaiDate(now)),
    cls,
    pendingBlocks: options.pendingBlocks,
  });
  if (refusal) throw refusalError(refusal);
  if (!cls) throw new Error('bindRefusal passed without a class');
  return cls;
}

async function applyBinding(
  trx: Trx,
  voucher: repo.LockedVoucher,
  cls: BindableClass,
  now: Date,
  enrolment: { context: AuditContext; enrolledBy: string | null },
): Promise<void> {
  await enrolHolder(trx, {
    classId: cls.id,
    personId: voucher.personId,
    voucherId: voucher.id,
    at: now,
    ...enrolment,
  });
  await repo.updateVoucher(trx, voucher.id, {
    state: next(voucher.state, 'bind'),
    classId: cls.id,
    organisationId: cls.organisationId,
    subsidyStandardFen: cls.subsidyStandardFen,
    boundAt: now,
    ...NO_PENDING_BINDING,
    updatedAt: now,
  });
}

export type BindInput = { classId: string } & ({ token: string } | { idNumber: string });

/**
 * Binds a voucher to one of the caller's institution's approved classes. With the holder's QR
 * token (signed, 60 s, naming this voucher and its holder) it binds at once; with the holder's
 * ID number it waits for the holder to confirm on their phone. The voucher row is locked first,
 * so of two institutions binding at once one wins and the other gets 409.
 */
export async function bindVoucher(
  db: Db,
  deps: VoucherDeps,
  auth: AuthContext,
  id: string,
  input: BindInput,
  meta: RequestMeta,
) {
  return db.transaction().execute(async (trx) => {
    const voucher = await repo.lockVoucher(trx, id);
    if (!voucher) throw notFound();
    const now = deps.clock.now();
    if ('token' in input) {
      const payload = checkToken(deps, input.token, now);
      if (payload.v !== voucher.id || payload.p !== voucher.personId) {
        throw tokenRefused('The QR code is for another voucher');
      }
    } else {
      const bidx = deps.pii.blindIndex('id_number', input.idNumber);
      const holder = await findPersonByBlindIndex(trx, { kind: 'city' }, bidx);
      if (!holder || holder.id !== voucher.personId) {
        throw new DomainError('VALIDATION_FAILED', 'This ID number is not the holder’s', [
          { path: '/body/idNumber', message: 'not the voucher holder’s' },
        ]);
      }
    }
    const cls = await checkBindable(trx, deps, voucher, input.classId, auth.user.organisationId, {
      pendingBlocks: !('token' in input) && voucher.pendingClassId !== null,
    });
    const context = auditContextOf(auth, meta);
    if ('token' in input) {
      await applyBinding(trx, voucher, cls, now, { context, enrolledBy: auth.user.id });
      await recordTransition(trx, {
        voucher,
        to: 'bound',
        action: 'bind',
        actorUserId: auth.user.id,
        at: now,
        details: { classId: cls.id, method: 'qr' },
      });
      await recordAudit(trx, {
        context,
        action: 'voucher.bound',
        entityType: 'voucher',
        entityId: id,
        before: { state: voucher.state },
        after: { state: 'bound', classId: cls.id, subsidyStandardFen: cls.subsidyStandardFen },
        details: { method: 'qr' },
        occurredAt: now,
      });
    } else {
      await repo.updateVoucher(trx, id, {
        pendingClassId: cls.id,
        pendingOrganisationId: cls.organisationId,
        pendingSubsidyStandardFen: cls.subsidyStandardFen,
        pendingRequestedBy: auth.user.id,
        pendingRequestedAt: now,
        updatedAt: now,
      });
      await recordAudit(trx, {
        context,
        action: 'voucher.binding_requested',
        entityType: 'voucher',
        entityId: id,
        details: { classId: cls.id, method: 'id_number' },
        occurredAt: now,
      });
      // Nobody can confirm on a phone without a worker account: a county administrator reviews.
      if (!(await repo.holderHasAccount(trx, voucher.personId))) {
        await flagPending(trx, id, 'no_account', now, context);
      }
    }
    const row = await repo.findVoucher(trx, { kind: 'city' }, id);
    if (!row) throw notFound();
    const view = voucherView(row);
    return {
      pending: !('token' in input),
      holder: { name: view.holderName, idNumberMasked: view.holderIdNumberMasked },
      voucher: view,
    };
  });
}

export type LookupInput = { classId: string } & ({ token: string } | { idNumber: string });

/** Checks a holder's QR token against the voucher it names; throws VOUCHER_TOKEN_INVALID. */
function checkToken(deps: VoucherDeps, token: string, now: Date) {
  const payload = readQrToken(deps.qrKey, token);
  if (!payload) throw tokenRefused('The QR code is not a valid voucher code');
  if (payload.e < now.getTime()) throw tokenRefused('The QR code has expired; ask for a new one');
  return payload;
}

/** Of a person's live vouchers, the one to bind to a class: matching, issued first, most specific. */
function pickForClass(vouchers: repo.LockedVoucher[], occupationCode: string) {
  const matching = vouchers.filter((v) =>
    occupationMatches(
      { code: v.occupationCode, level: v.occupationLevel as VoucherOccupation['level'] },
      occupationCode,
    ),
  );
  matching.sort(
    (a, b) =>
      Number(b.state === 'issued') - Number(a.state === 'issued') ||
      b.occupationLevel - a.occupationLevel,
  );
  return matching[0];
}

/**
 * What an institution's binding screen shows before it binds: the voucher the holder's QR token
 * names, or the holder's live voucher matching the class when the clerk types an ID number, with
 * the holder's name and masked ID and whether binding would pass (the same rule as the bind).
 * 404 when the class is not the caller's institution's or there is no such voucher (the same
 * answer whether the person is unknown or holds none). A lookup by ID number reveals a name, so
 * it is audited.
 */
export async function lookupForBinding(
  db: Db,
  deps: VoucherDeps,
  auth: AuthContext,
  input: LookupInput,
  meta: RequestMeta,
) {
  const now = deps.clock.now();
  const cls = await callerClass(db, input.classId, auth.user.organisationId, now);
  if (!cls) {
    throw new DomainError('NOT_FOUND', 'No such class of your institution', [
      { path: '/body/classId', message: 'not a class of your institution' },
    ]);
  }
  let voucher: repo.LockedVoucher | undefined;
  if ('token' in input) {
    const payload = checkToken(deps, input.token, now);
    voucher = await repo.findVoucherRow(db, payload.v);
    if (voucher && voucher.personId !== payload.p) voucher = undefined;
  } else {
    const bidx = deps.pii.blindIndex('id_number', input.idNumber);
    const holder = await findPersonByBlindIndex(db, { kind: 'city' }, bidx);
    if (holder)
      voucher = pickForClass(await repo.liveVouchersOf(db, holder.id), cls.occupationCode);
  }
  if (!voucher) throw new DomainError('NOT_FOUND', 'No matching voucher for this holder');
  const found = voucher;
  const refusal = bindRefusal({
    ...bindFacts(found, shanghaiDate(now)),
    cls,
    pendingBlocks: !('token' in input) && found.pendingClassId !== null,
  });
  const row = await repo.findVoucher(db, { kind: 'city' }, found.id);
  if (!row) throw notFound();
  if (!('token' in input)) {
    await db.transaction().execute((trx) =>
      recordAudit(trx, {
        context: auditContextOf(auth, meta),
        action: 'voucher.looked_up',
        entityType: 'voucher',
        entityId: found.id,
        details: { classId: cls.id, personId: found.personId, method: 'id_number' },
        occurredAt: now,
      }),
    );
  }
  const view = voucherView(row);
  return {
    voucher: view,
    holder: { name: view.holderName, idNumberMasked: view.holderIdNumberMasked },
    bindable: refusal === null,
    reason: refusal?.code ?? null,
    reasonMessage: refusal?.message ?? null,
  };
}

/** The holder confirms, on their phone, a binding an institution typed in by ID number. */
export async function confirmBinding(
  db: Db,
  deps: VoucherDeps,
  auth: AuthContext,
  id: string,
  meta: RequestMeta,
): Promise<VoucherView> {
  return db.transaction().execute(async (trx) => {
    const voucher = await lockVisible(trx, auth, id);
    if (voucher.personId !== auth.user.personId) throw notFound();
    if (voucher.pendingClassId === null) {
      throw new DomainError('VOUCHER_STATE_CONFLICT', 'No binding awaits your confirmation');
    }
    const cls = await checkBindable(trx, deps, voucher, voucher.pendingClassId, null);
    const now = deps.clock.now();
    const context = auditContextOf(auth, meta);
    await applyBinding(trx, voucher, cls, now, {
      context,
      enrolledBy: voucher.pendingRequestedBy,
    });
    await recordTransition(trx, {
      voucher,
      to: 'bound',
      action: 'bind',
      actorUserId: auth.user.id,
      at: now,
      details: { classId: cls.id, method: 'id_number', requestedBy: voucher.pendingRequestedBy },
    });
    await recordAudit(trx, {
      context,
      action: 'voucher.binding_confirmed',
      entityType: 'voucher',
      entityId: id,
      before: { state: voucher.state },
      after: { state: 'bound', classId: cls.id, subsidyStandardFen: cls.subsidyStandardFen },
      occurredAt: now,
    });
    return loadView(trx, auth, id);
  });
}

/**
 * Frees the class place of a bound voucher (cancel, expiry, unbind) in the same transaction: the
 * classes module withdraws the trainee enrolled with it. A trainee who has checked in already
 * keeps the place: cancelling or unbinding is then refused (training has begun), while expiry
 * (`lenient`) goes ahead and leaves the enrolment.
 */
async function releaseClass(
  trx: Trx,
  voucher: { id: string; state: VoucherState; classId: string | null; personId: string },
  options: { at: Date; context: AuditContext; reason: string; lenient?: boolean },
): Promise<void> {
  if (voucher.state !== 'bound' || voucher.classId === null) return;
  const outcome = await withdrawHolder(trx, {
    classId: voucher.classId,
    personId: voucher.personId,
    voucherId: voucher.id,
    at: options.at,
    context: options.context,
    reason: options.reason,
  });
  if (outcome === 'has_attendance' && options.lenient !== true) {
    throw new DomainError(
      'VOUCHER_STATE_CONFLICT',
      'The holder has attended the class already; the voucher can no longer be released',
    );
  }
}

/** Flags a pending binding by ID number for a county administrator's review, audited. */
async function flagPending(
  trx: Trx,
  id: string,
  reason: PendingFlagReason,
  now: Date,
  context: AuditContext,
): Promise<void> {
  await repo.updateVoucher(trx, id, {
    pendingFlaggedAt: now,
    pendingFlagReason: reason,
    updatedAt: now,
  });
  await recordAudit(trx, {
    context,
    action: 'voucher.binding_flagged',
    entityType: 'voucher',
    entityId: id,
    details: { reason },
    occurredAt: now,
  });
}

/**
 * Flags bindings by ID number left unconfirmed for 24 hours (hourly job), a batch at a time.
 * Idempotent: a flagged binding is not flagged again.
 */
export async function flagStaleBindings(db: Db, clock: Clock): Promise<{ flagged: number }> {
  let flagged = 0;
  for (;;) {
    const count = await db.transaction().execute(async (trx) => {
      const now = clock.now();
      const before = new Date(now.getTime() - PENDING_REVIEW_AFTER_MS);
      const rows = await repo.lockStalePendingBatch(trx, before, EXPIRY_BATCH);
      for (const row of rows) {
        await flagPending(trx, row.id, 'unconfirmed', now, systemAuditContext('vouchers.flag'));
      }
      return rows.length;
    });
    flagged += count;
    if (count < EXPIRY_BATCH) return { flagged };
  }
}

/**
 * A county administrator (of the voucher's region) or the city decides a binding by ID number
 * flagged for review: approving binds exactly as the holder's confirmation does (same checks,
 * enrolment, amounts); rejecting clears the pending binding, the reason kept in the voucher's
 * history. 409 when nothing awaits review.
 */
export async function reviewBinding(
  db: Db,
  deps: VoucherDeps,
  auth: AuthContext,
  id: string,
  decision: { approve: boolean; reason: string },
  meta: RequestMeta,
): Promise<VoucherView> {
  return db.transaction().execute(async (trx) => {
    const voucher = await lockVisible(trx, auth, id);
    if (voucher.pendingClassId === null || voucher.pendingFlaggedAt === null) {
      throw new DomainError('VOUCHER_STATE_CONFLICT', 'No binding of this voucher awaits review');
    }
    const now = deps.clock.now();
    const context = auditContextOf(auth, meta);
    const pending = {
      classId: voucher.pendingClassId,
      requestedBy: voucher.pendingRequestedBy,
      flagReason: voucher.pendingFlagReason,
    };
    if (decision.approve) {
      const cls = await checkBindable(trx, deps, voucher, pending.classId, null);
      await applyBinding(trx, voucher, cls, now, { context, enrolledBy: pending.requestedBy });
      await recordTransition(trx, {
        voucher,
        to: 'bound',
        action: 'bind',
        actorUserId: auth.user.id,
        at: now,
        details: {
          classId: cls.id,
          method: 'id_number',
          requestedBy: pending.requestedBy,
          review: { approve: true, reason: decision.reason },
        },
      });
      await recordAudit(trx, {
        context,
        action: 'voucher.binding_approved',
        entityType: 'voucher',
        entityId: id,
        before: { state: voucher.state },
        after: { state: 'bound', classId: cls.id, subsidyStandardFen: cls.subsidyStandardFen },
        details: { reason: decision.reason, flagReason: pending.flagReason },
        occurredAt: now,
      });
    } else {
      await repo.updateVoucher(trx, id, { ...NO_PENDING_BINDING, updatedAt: now });
      await repo.insertEvents(trx, [
        {
          id: uuidv7(),
          voucherId: id,
          fromState: voucher.state,
          toState: voucher.state,
          action: 'reject_binding',
          actorUserId: auth.user.id,
          at: now,
          details: {
            classId: pending.classId,
            requestedBy: pending.requestedBy,
            reason: decision.reason,
          },
        },
      ]);
      await recordAudit(trx, {
        context,
        action: 'voucher.binding_rejected',
        entityType: 'voucher',
        entityId: id,
        details: {
          classId: pending.classId,
          reason: decision.reason,
          flagReason: pending.flagReason,
        },
        occurredAt: now,
      });
    }
    return loadView(trx, auth, id);
  });
}

/**
 * The institution releases a voucher bound to one of its classes (bound → issued), e.g. bound to
 * the wrong class, before the holder has attended: the trainee is withdrawn and the place freed.
 */
export async function unbindVoucher(
  db: Db,
  deps: VoucherDeps,
  auth: AuthContext,
  id: string,
  reason: string,
  meta: RequestMeta,
): Promise<VoucherView> {
  return db.transaction().execute(async (trx) => {
    const voucher = await lockVisible(trx, auth, id);
    const to = next(voucher.state, 'unbind');
    if (voucher.organisationId !== auth.user.organisationId) throw notFound();
    const now = deps.clock.now();
    const context = auditContextOf(auth, meta);
    await releaseClass(trx, voucher, { at: now, context, reason });
    await repo.updateVoucher(trx, id, {
      state: to,
      classId: null,
      organisationId: null,
      subsidyStandardFen: null,
      boundAt: null,
      updatedAt: now,
    });
    await recordTransition(trx, {
      voucher,
      to,
      action: 'unbind',
      actorUserId: auth.user.id,
      at: now,
      details: { classId: voucher.classId, reason },
    });
    await recordAudit(trx, {
      context,
      action: 'voucher.unbound',
      entityType: 'voucher',
      entityId: id,
      before: { state: voucher.state, classId: voucher.classId },
      after: { state: to },
      details: { reason },
      occurredAt: now,
    });
    const row = await repo.findVoucher(trx, { kind: 'city' }, id);
    if (!row) throw notFound();
    return voucherView(row);
  });
}

/**
 * Moves issued or bound vouchers past their last day to `expired`, a batch at a time, each batch
 * one transaction audited by the system. Idempotent: a rerun finds nothing left to expire.
 */
export async function expireVouchers(db: Db, clock: Clock): Promise<{ expired: number }> {
  const today = shanghaiDate(clock.now());
  let expired = 0;
  for (;;) {
    const count = await db.transaction().execute(async (trx) => {
      const rows = await repo.lockExpiredBatch(trx, today, EXPIRY_BATCH);
      const now = clock.now();
      const changes = rows.map((row) => ({ row, to: next(row.state, 'expire') }));
      const context = systemAuditContext('vouchers.expire');
      for (const { row, to } of changes) {
        await releaseClass(trx, row, {
          at: now,
          context,
          reason: 'voucher expired',
          lenient: true,
        });
        await repo.updateVoucher(trx, row.id, { state: to, ...NO_PENDING_BINDING, updatedAt: now });
      }
      await repo.insertEvents(
        trx,
        changes.map(({ row, to }) => ({
          id: uuidv7(),
          voucherId: row.id,
          fromState: row.state,
          toState: to,
          action: 'expire' as const,
          actorUserId: null,
          at: now,
          details: { validTo: row.validTo },
        })),
      );
      await recordAuditMany(
        trx,
        changes.map(({ row, to }) => ({
          context,
          action: 'voucher.expired' as const,
          entityType: 'voucher',
          entityId: row.id,
          before: { state: row.state },
          after: { state: to },
          details: { validTo: row.validTo },
          occurredAt: now,
        })),
      );
      return rows.length;
    });
    expired += count;
    if (count < EXPIRY_BATCH) return { expired };
  }
}
