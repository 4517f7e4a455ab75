import { shanghaiDate, type Clock } from '../../platform/clock.js';
import type { Db, Trx } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PiiCipher } from '../../platform/crypto/index.js';
import { recordAudit, type AuditContext } from '../audit/index.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import { getPerson } from '../persons/persons.service.js';
import { validateUscc } from '../organisations/uscc.rules.js';
import {
  checkEmploymentSubsidies,
  type EmploymentCheckResult,
} from '../subsidies/subsidies.employment.js';
import * as repo from './employment.repository.js';
import {
  checkContribution,
  checkRegistration,
  contributionRuns,
  idNumberShape,
  isCivilDate,
  type CheckedRegistration,
  type ContributionInput,
  type ItemProblem,
  type RegistrationInput,
} from './employment.rules.js';
import type { EmploymentSource } from './employment.schema.js';

export interface EmploymentDeps {
  pii: PiiCipher;
  clock: Clock;
}

/** A row refused by the API: its index in `items`, the field, a stable code. */
export interface RejectedItem {
  index: number;
  path: string;
  code: string;
  message: string;
}

export interface ReceiveResult {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: RejectedItem[];
  claims: EmploymentCheckResult;
}

/** What a stored row became, or why it was refused (the person is not registered). */
export type RowOutcome =
  | { kind: repo.UpsertOutcome; personId: string }
  | { kind: 'rejected'; field: 'idNumber'; code: 'PERSON_NOT_FOUND'; zh: string; en: string };

export interface WriteOptions {
  source: EmploymentSource;
  importRunId: string | null;
}

const PERSON_NOT_FOUND = {
  kind: 'rejected',
  field: 'idNumber',
  code: 'PERSON_NOT_FOUND',
  zh: '系统中没有此身份证号码的人员，请先登记人员信息。',
  en: 'No person is registered with this ID number',
} as const;

async function personIdsOf(trx: Trx, deps: EmploymentDeps, idNumbers: readonly string[]) {
  const bidxOf = new Map(idNumbers.map((id) => [id, deps.pii.blindIndex('id_number', id)]));
  const byBidx = await repo.personIdsByBlindIndex(trx, [...bidxOf.values()]);
  return (idNumber: string) => byBidx.get(bidxOf.get(idNumber) ?? '');
}

/**
 * Resolves each row's person by ID number (unknown → rejected, the others still go in), then
 * upserts the rows of known persons. Outcomes in input order.
 */
async function writeRows<R extends { idNumber: string }, U extends { personId: string }>(
  trx: Trx,
  deps: EmploymentDeps,
  rows: readonly R[],
  toUpsert: (row: R, personId: string) => U,
  upsert: (trx: Trx, upserts: readonly U[]) => Promise<repo.UpsertOutcome[]>,
): Promise<RowOutcome[]> {
  const personOf = await personIdsOf(
    trx,
    deps,
    rows.map((row) => row.idNumber),
  );
  const upserts: U[] = [];
  const slots = rows.map((row) => {
    const personId = personOf(row.idNumber);
    if (!personId) return undefined;
    upserts.push(toUpsert(row, personId));
    return upserts.length - 1;
  });
  const outcomes = await upsert(trx, upserts);
  return slots.map((slot) => {
    if (slot === undefined) return PERSON_NOT_FOUND;
    const upserted = upserts[slot];
    return { kind: outcomes[slot] ?? 'unchanged', personId: upserted?.personId ?? '' };
  });
}

/**
 * Stores checked employment registrations (rows with distinct keys) inside the caller's
 * transaction: resolves each person by ID number (unknown → rejected, the others still go in)
 * and each employer by USCC, then upserts. Shared by the API and the file import.
 */
export async function writeRegistrations(
  trx: Trx,
  deps: EmploymentDeps,
  rows: readonly CheckedRegistration[],
  options: WriteOptions,
): Promise<RowOutcome[]> {
  const employers = await repo.employersByUscc(
    trx,
    rows.map((row) => row.employerUscc),
  );
  const now = deps.clock.now();
  return writeRows(
    trx,
    deps,
    rows,
    (row, personId): repo.RegistrationUpsert => ({
      id: uuidv7(),
      personId,
      employerUscc: row.employerUscc,
      employerOrganisationId: employers.get(row.employerUscc)?.id ?? null,
      hiredOn: row.hiredOn,
      endedOn: row.endedOn,
      source: options.source,
      importRunId: options.importRunId,
      createdAt: now,
      updatedAt: now,
    }),
    repo.upsertRegistrations,
  );
}

/** Stores checked contribution months (distinct keys); as {@link writeRegistrations}. */
export async function writeContributions(
  trx: Trx,
  deps: EmploymentDeps,
  rows: readonly ContributionInput[],
  options: WriteOptions,
): Promise<RowOutcome[]> {
  const now = deps.clock.now();
  return writeRows(
    trx,
    deps,
    rows,
    (row, personId): repo.ContributionUpsert => ({
      personId,
      employerUscc: row.employerUscc,
      month: row.month,
      wageBaseFen: row.wageBaseFen,
      source: options.source,
      importRunId: options.importRunId,
      recordedAt: now,
    }),
    repo.upsertContributions,
  );
}

/** The persons whose rows were inserted or changed: whose eligibility may have changed. */
export function touchedPersons(outcomes: readonly RowOutcome[]): string[] {
  const ids = new Set<string>();
  for (const outcome of outcomes) {
    if (outcome.kind === 'inserted' || outcome.kind === 'updated') ids.add(outcome.personId);
  }
  return [...ids];
}

/** Re-checks hiring and placement eligibility of the persons, in the caller's transaction. */
export async function recheckEligibility(
  trx: Trx,
  personIds: readonly string[],
  context: AuditContext,
  now: Date,
): Promise<EmploymentCheckResult> {
  if (personIds.length === 0) return { created: [], refused: [] };
  return checkEmploymentSubsidies(trx, personIds, context, now);
}

// ---------------------------------------------------------------------------------------------
// The provincial system's API

interface Checked<R> {
  index: number;
  row: R;
}

/**
 * Checks every item, refusing bad ones and repeated keys (the first one stays), then writes the
 * good ones and tallies the outcome.
 */
async function receive<I, R, F extends string>(
  db: Db,
  deps: EmploymentDeps,
  auth: AuthContext,
  meta: RequestMeta,
  spec: {
    items: readonly I[];
    check: (
      item: I,
      today: string,
    ) => { ok: true; row: R } | { ok: false; problems: ItemProblem<F>[] };
    key: (row: R) => string;
    keyField: F;
    write: (trx: Trx, rows: R[]) => Promise<RowOutcome[]>;
    action: 'employment.registrations.received' | 'employment.contributions.received';
  },
): Promise<ReceiveResult> {
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const rejected: RejectedItem[] = [];
  const good: Checked<R>[] = [];
  const seen = new Map<string, number>();
  spec.items.forEach((item, index) => {
    const checked = spec.check(item, today);
    if (!checked.ok) {
      for (const problem of checked.problems) {
        rejected.push({
          index,
          path: `/body/items/${index}/${problem.field}`,
          code: problem.code,
          message: problem.en,
        });
      }
      return;
    }
    const key = spec.key(checked.row);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      rejected.push({
        index,
        path: `/body/items/${index}/${spec.keyField}`,
        code: 'DUPLICATE_IN_REQUEST',
        message: `The same record as item ${earlier}`,
      });
      return;
    }
    seen.set(key, index);
    good.push({ index, row: checked.row });
  });

  const context = auditContextOf(auth, meta);
  return db.transaction().execute(async (trx) => {
    const outcomes = await spec.write(
      trx,
      good.map((entry) => entry.row),
    );
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    outcomes.forEach((outcome, position) => {
      if (outcome.kind === 'rejected') {
        const index = good[position]?.index ?? -1;
        rejected.push({
          index,
          path: `/body/items/${index}/${outcome.field}`,
          code: outcome.code,
          message: outcome.en,
        });
      } else {
        counts[outcome.kind] += 1;
      }
    });
    rejected.sort((a, b) => a.index - b.index);
    const claims = await recheckEligibility(trx, touchedPersons(outcomes), context, now);
    await recordAudit(trx, {
      context,
      action: spec.action,
      details: {
        items: spec.items.length,
        ...counts,
        rejected: new Set(rejected.map((r) => r.index)).size,
        claimsCreated: claims.created.length,
        claimsRefused: claims.refused.length,
      },
      occurredAt: now,
    });
    return { ...counts, rejected, claims };
  });
}

/**
 * Receives employment registrations (就业登记) from the provincial system: row by row, unknown
 * persons and bad rows refused while the rest go in; then re-checks subsidy eligibility of the
 * persons touched, in the same transaction. One audit event summarises the counts.
 */
export async function receiveRegistrations(
  db: Db,
  deps: EmploymentDeps,
  auth: AuthContext,
  items: readonly RegistrationInput[],
  meta: RequestMeta,
): Promise<ReceiveResult> {
  return receive(db, deps, auth, meta, {
    items,
    check: checkRegistration,
    key: (row) => `${row.idNumber}|${row.employerUscc}|${row.hiredOn}`,
    keyField: 'hiredOn',
    write: (trx, rows) => writeRegistrations(trx, deps, rows, { source: 'api', importRunId: null }),
    action: 'employment.registrations.received',
  });
}

/** Receives social-insurance contribution months (社保缴费); as {@link receiveRegistrations}. */
export async function receiveContributions(
  db: Db,
  deps: EmploymentDeps,
  auth: AuthContext,
  items: readonly { idNumber: string; employerUscc: string; month: string; wageBaseFen: number }[],
  meta: RequestMeta,
): Promise<ReceiveResult> {
  return receive(db, deps, auth, meta, {
    items: items.map((item) => ({ ...item, month: `${item.month}-01` })),
    check: checkContribution,
    key: (row) => `${row.idNumber}|${row.employerUscc}|${row.month}`,
    keyField: 'month',
    write: (trx, rows) => writeContributions(trx, deps, rows, { source: 'api', importRunId: null }),
    action: 'employment.contributions.received',
  });
}

/**
 * A person's employment evidence: registrations (with the registered employer's name) and the
 * insured months per employer as runs of consecutive months. 404 outside the caller's scope.
 */
export async function personEmployment(db: Db, auth: AuthContext, personId: string) {
  await getPerson(db, auth, personId);
  const [registrations, contributions] = await Promise.all([
    repo.registrationsOf(db, personId),
    repo.contributionsOf(db, personId),
  ]);
  const runs = contributionRuns(contributions);
  const employers = await repo.employersByUscc(
    db,
    runs.map((run) => run.employerUscc),
  );
  return {
    personId,
    registrations: registrations.map((r) => ({
      id: r.id,
      employerUscc: r.employerUscc,
      organisationId: r.organisationId,
      organisationName: r.organisationName,
      hiredOn: r.hiredOn,
      endedOn: r.endedOn,
      source: r.source,
      updatedAt: r.updatedAt.toISOString(),
    })),
    contributions: runs.map((run) => ({
      ...run,
      organisationName: employers.get(run.employerUscc)?.name ?? null,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Placements (职业介绍)

export interface PlacementInput {
  idNumber: string;
  employerUscc: string;
  employerName: string;
  employerRegionCode: string;
  placedOn: string;
  agencyOrganisationId?: string;
}

function invalid(path: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message, [{ path, message }]);
}

/** The agency the caller records for: an agency's staff their own, an administrator a named one. */
async function agencyFor(trx: Trx, auth: AuthContext, named: string | undefined) {
  const scope = auth.scope;
  let id: string;
  if (scope.kind === 'organisation') {
    if (named !== undefined && named !== scope.organisationId) {
      throw new DomainError('FORBIDDEN', 'Record placements of your own agency only');
    }
    id = scope.organisationId;
  } else {
    if (named === undefined) {
      throw invalid('/body/agencyOrganisationId', 'Name the HR service agency');
    }
    id = named;
  }
  const agency = await repo.findAgency(trx, id);
  const inScope =
    agency !== undefined && (scope.kind !== 'region' || agency.regionCode === scope.regionCode);
  if (!agency || !inScope || agency.kind !== 'hr_agency') {
    throw invalid('/body/agencyOrganisationId', 'Not an HR service agency in your scope');
  }
  return agency;
}

function placementView(row: repo.PlacementRow) {
  return {
    id: row.id,
    agencyOrganisationId: row.agencyOrganisationId,
    agencyName: row.agencyName,
    personId: row.personId,
    personName: row.personName,
    personIdNumberMasked: row.personIdNumberMasked,
    employerUscc: row.employerUscc,
    employerName: row.employerName,
    employerRegionCode: row.employerRegionCode,
    employerRegionName: row.employerRegionName,
    placedOn: row.placedOn,
    claim: row.claim ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Records an HR agency's placement of a person with an in-province employer, then checks the
 * placement subsidy (6 insured months) in the same transaction. The same placement twice → 409.
 */
export async function recordPlacement(
  db: Db,
  deps: EmploymentDeps,
  auth: AuthContext,
  input: PlacementInput,
  meta: RequestMeta,
) {
  const now = deps.clock.now();
  const idNumber = idNumberShape(input.idNumber);
  if (!idNumber) throw invalid('/body/idNumber', 'An ID number has 18 characters');
  const uscc = validateUscc(input.employerUscc);
  if (!uscc.ok) throw invalid('/body/employerUscc', uscc.messageEn);
  const employerName = input.employerName.normalize('NFKC').trim();
  if (employerName === '') throw invalid('/body/employerName', 'Name the employer');
  if (!isCivilDate(input.placedOn)) throw invalid('/body/placedOn', 'Not a real day');
  if (input.placedOn > shanghaiDate(now)) {
    throw invalid('/body/placedOn', 'The placement day is after today');
  }
  const context = auditContextOf(auth, meta);
  return db.transaction().execute(async (trx) => {
    const agency = await agencyFor(trx, auth, input.agencyOrganisationId);
    const region = await repo.findHenanCounty(trx, input.employerRegionCode);
    if (!region) {
      throw invalid('/body/employerRegionCode', 'Not a county-level region of Henan (41…)');
    }
    const personId = (await personIdsOf(trx, deps, [idNumber]))(idNumber);
    if (!personId) {
      throw new DomainError('PERSON_NOT_FOUND', 'No person is registered with this ID number', [
        { path: '/body/idNumber', message: 'unknown' },
      ]);
    }
    const id = uuidv7();
    const row = {
      id,
      agencyOrganisationId: agency.id,
      personId,
      employerUscc: uscc.uscc,
      employerName,
      employerRegionCode: region.code,
      placedOn: input.placedOn,
      createdBy: auth.user.id,
      createdAt: now,
    };
    if (!(await repo.insertPlacement(trx, row))) {
      throw new DomainError(
        'PLACEMENT_EXISTS',
        'This agency already recorded placing this person with this employer on that day',
      );
    }
    await recordAudit(trx, {
      context,
      action: 'placement.recorded',
      entityType: 'placement',
      entityId: id,
      after: {
        agencyOrganisationId: agency.id,
        personId,
        employerUscc: uscc.uscc,
        employerRegionCode: region.code,
        placedOn: input.placedOn,
      },
      occurredAt: now,
    });
    const claims = await recheckEligibility(trx, [personId], context, now);
    const stored = await repo.findPlacement(trx, { kind: 'city' }, id);
    if (!stored) throw new Error('placement vanished');
    return { placement: placementView(stored), claims };
  });
}

export async function getPlacement(db: Db, auth: AuthContext, id: string) {
  const row = await repo.findPlacement(db, auth.scope, id);
  if (!row) throw new DomainError('NOT_FOUND', 'No such placement');
  return placementView(row);
}

export async function listPlacements(db: Db, auth: AuthContext, search: repo.PlacementSearch) {
  const { items, total } = await repo.searchPlacements(db, auth.scope, search);
  return { items: items.map(placementView), total, page: search.page, pageSize: search.pageSize };
}
