import { sql, type Insertable, type SelectQueryBuilder, type Updateable } from 'kysely';
import type { Scope } from '../../platform/auth/roles.js';
import type { Database } from '../../platform/db-schema.js';
import type { DbOrTrx, Trx } from '../../platform/db.js';
import { uuidv7 } from '../../platform/ids.js';
import type {
  ClaimAction,
  ClaimEventsTable,
  ClaimStatus,
  SubsidyClaimsTable,
  SubsidyKind,
} from './subsidies.schema.js';

const CLAIM_COLUMNS = [
  'sc.id',
  'sc.number',
  'sc.kind',
  'sc.payeeOrganisationId',
  'sc.personId',
  'sc.amountFen',
  'sc.voucherId',
  'sc.classId',
  'sc.certificateId',
  'sc.evidence',
  'sc.status',
  'sc.flaggedAt',
  'sc.flagReason',
  'sc.regionCode',
  'sc.createdBy',
  'sc.createdAt',
  'sc.updatedAt',
  'sc.occupationCode',
  'sc.skillLevelKey',
  'sc.specialAbilityId',
  'sc.firstReviewedBy',
  'sc.firstReviewedAt',
  'sc.approvedBy',
  'sc.approvedAt',
  'sc.fundCode',
  'sc.rejectedBy',
  'sc.rejectedAt',
  'sc.rejectionReason',
  'sc.reversedAt',
  'sc.reversalReason',
  'sc.version',
  'sc.employmentId',
  'sc.placementId',
  'sc.basisDate',
  'sc.payerRegionCode',
  'sc.paidAt',
  'sc.clawedBackAt',
  'sc.clawbackReason',
] as const;

type ClaimQuery<O> = SelectQueryBuilder<Database & { sc: SubsidyClaimsTable }, 'sc', O>;

/**
 * Restricts a claim query to a scope: an institution the claims payable to it, a county those of
 * payees in its region, the city (and auditors, finance) all.
 */
function inScope<O>(query: ClaimQuery<O>, scope: Scope): ClaimQuery<O> {
  switch (scope.kind) {
    case 'city':
      return query;
    case 'region':
      return query.where('sc.regionCode', '=', scope.regionCode);
    case 'organisation':
      return query.where('sc.payeeOrganisationId', '=', scope.organisationId);
    case 'unit':
    case 'person':
      return query.where(sql<boolean>`false`);
  }
}

function viewQuery(db: DbOrTrx) {
  return db
    .selectFrom('subsidyClaims as sc')
    .innerJoin('organisations as o', 'o.id', 'sc.payeeOrganisationId')
    .innerJoin('persons as p', 'p.id', 'sc.personId')
    .select([
      ...CLAIM_COLUMNS,
      'o.name as payeeName',
      'p.name as personName',
      'p.idNumberMasked as personIdNumberMasked',
    ]);
}

export async function findClaim(db: DbOrTrx, scope: Scope, id: string) {
  return inScope(viewQuery(db), scope).where('sc.id', '=', id).executeTakeFirst();
}
export type ClaimRow = NonNullable<Awaited<ReturnType<typeof findClaim>>>;

export interface ClaimFilter {
  kind?: SubsidyKind;
  status?: ClaimStatus;
  flagged?: boolean;
  payeeOrganisationId?: string;
  personId?: string;
  fundCode?: string;
  /** A county code, or `city` for the claims the city pays (no paying county). */
  payerRegionCode?: string;
}

export async function listClaims(
  db: DbOrTrx,
  scope: Scope,
  filter: ClaimFilter,
  page: { limit: number; offset: number },
) {
  let query = inScope(viewQuery(db), scope);
  if (filter.kind !== undefined) query = query.where('sc.kind', '=', filter.kind);
  if (filter.status !== undefined) query = query.where('sc.status', '=', filter.status);
  if (filter.flagged !== undefined) {
    query = query.where('sc.flaggedAt', filter.flagged ? 'is not' : 'is', null);
  }
  if (filter.payeeOrganisationId !== undefined) {
    query = query.where('sc.payeeOrganisationId', '=', filter.payeeOrganisationId);
  }
  if (filter.personId !== undefined) query = query.where('sc.personId', '=', filter.personId);
  if (filter.fundCode !== undefined) query = query.where('sc.fundCode', '=', filter.fundCode);
  if (filter.payerRegionCode === 'city') query = query.where('sc.payerRegionCode', 'is', null);
  else if (filter.payerRegionCode !== undefined) {
    query = query.where('sc.payerRegionCode', '=', filter.payerRegionCode);
  }
  const [items, count] = await Promise.all([
    query
      .orderBy('sc.createdAt', 'desc')
      .orderBy('sc.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
  ]);
  return { items, total: Number(count?.n ?? 0) };
}

/** The next serial of claim numbers. */
export async function nextClaimSerial(trx: Trx): Promise<number> {
  const result = await sql<{
    serial: number;
  }>`SELECT nextval('subsidy_claim_serial_seq') AS serial`.execute(trx);
  return Number(result.rows[0]?.serial);
}

export type NewClaim = Insertable<SubsidyClaimsTable>;

export async function insertClaim(trx: Trx, claim: NewClaim): Promise<void> {
  await trx.insertInto('subsidyClaims').values(claim).execute();
}

/**
 * Inserts a claim unless a unique index refuses it (an evaluation subsidy already claimed for
 * the person, occupation and level): true when inserted. ON CONFLICT keeps the transaction
 * usable, where a unique violation would abort it.
 */
export async function insertClaimOnce(trx: Trx, claim: NewClaim): Promise<boolean> {
  const row = await trx
    .insertInto('subsidyClaims')
    .values(claim)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Locks a claim in scope for a review (FOR UPDATE): concurrent reviews of it queue here. */
export async function lockClaim(trx: Trx, scope: Scope, id: string) {
  return inScope(
    trx
      .selectFrom('subsidyClaims as sc')
      .select([
        'sc.id',
        'sc.number',
        'sc.kind',
        'sc.status',
        'sc.amountFen',
        'sc.payeeOrganisationId',
        'sc.flaggedAt',
        'sc.firstReviewedBy',
        'sc.regionCode',
        'sc.version',
      ]),
    scope,
  )
    .where('sc.id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateClaim(
  trx: Trx,
  id: string,
  patch: Updateable<SubsidyClaimsTable>,
): Promise<void> {
  await trx
    .updateTable('subsidyClaims')
    .set({ ...patch, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .execute();
}

/** A claim's history event, its details as JSON (none: `{}`). */
export function claimEvent(event: {
  claimId: string;
  fromStatus: ClaimStatus | null;
  toStatus: ClaimStatus;
  action: ClaimAction;
  actorUserId: string | null;
  at: Date;
  reason?: string | null;
  details?: Record<string, unknown>;
}): Insertable<ClaimEventsTable> {
  return {
    id: uuidv7(),
    claimId: event.claimId,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    action: event.action,
    actorUserId: event.actorUserId,
    at: event.at,
    reason: event.reason ?? null,
    details: JSON.stringify(event.details ?? {}),
  };
}

export async function insertClaimEvents(
  trx: Trx,
  events: Insertable<ClaimEventsTable>[],
): Promise<void> {
  if (events.length > 0) await trx.insertInto('claimEvents').values(events).execute();
}

/** The claim's history, oldest first. */
export async function listClaimEvents(db: DbOrTrx, claimId: string) {
  return db
    .selectFrom('claimEvents')
    .selectAll()
    .where('claimId', '=', claimId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** The amount in force on `date` (YYYY-MM-DD) for a kind and key, or undefined. */
export async function findPolicyAmount(
  db: DbOrTrx,
  kind: string,
  key: string,
  date: string,
): Promise<{ amountFen: number; effectiveFrom: string; source: string } | undefined> {
  const row = await db
    .selectFrom('subsidyPolicies')
    .select(['amountFen', 'effectiveFrom', 'source'])
    .where('kind', '=', kind)
    .where('key', '=', key)
    .where('effectiveFrom', '<=', date)
    .where((eb) => eb.or([eb('effectiveTo', 'is', null), eb('effectiveTo', '>=', date)]))
    .executeTakeFirst();
  return row ? { ...row, amountFen: Number(row.amountFen) } : undefined;
}

/** Whether the fund exists, and whether it may pay claims of the kind. */
export async function fundAllows(
  db: DbOrTrx,
  fundCode: string,
  kind: string,
): Promise<{ exists: boolean; allowed: boolean }> {
  const [fund, allowed] = await Promise.all([
    db.selectFrom('funds').select('code').where('code', '=', fundCode).executeTakeFirst(),
    db
      .selectFrom('fundClaimKinds')
      .select('fundCode')
      .where('fundCode', '=', fundCode)
      .where('claimKind', '=', kind)
      .executeTakeFirst(),
  ]);
  return { exists: fund !== undefined, allowed: allowed !== undefined };
}

/** The evaluation claim standing for a person + occupation + level (not rejected), if any. */
export async function findStandingEvaluationClaim(
  db: DbOrTrx,
  key: {
    personId: string;
    occupationCode: string;
    skillLevelKey: string;
    specialAbilityId: string | null;
  },
) {
  return db
    .selectFrom('subsidyClaims')
    .select(['id', 'number', 'payeeOrganisationId', 'certificateId', 'status'])
    .where('kind', '=', 'evaluation')
    .where('status', '<>', 'rejected')
    .where('personId', '=', key.personId)
    .where('occupationCode', '=', key.occupationCode)
    .where('skillLevelKey', '=', key.skillLevelKey)
    .where((eb) =>
      key.specialAbilityId === null
        ? eb('specialAbilityId', 'is', null)
        : eb('specialAbilityId', '=', key.specialAbilityId),
    )
    .executeTakeFirst();
}

/** The evaluation claims made on these certificates. */
export async function evaluationClaimsOfCertificates(db: DbOrTrx, certificateIds: string[]) {
  if (certificateIds.length === 0) return [];
  return db
    .selectFrom('subsidyClaims')
    .select(['id', 'number', 'certificateId', 'amountFen', 'status'])
    .where('kind', '=', 'evaluation')
    .where('certificateId', 'in', certificateIds)
    .execute();
}
