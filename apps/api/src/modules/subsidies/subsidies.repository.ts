import { sql, type Insertable, type SelectQueryBuilder } from 'kysely';
import type { Scope } from '../../platform/auth/roles.js';
import type { Database } from '../../platform/db-schema.js';
import type { DbOrTrx, Trx } from '../../platform/db.js';
import type { ClaimStatus, SubsidyClaimsTable, SubsidyKind } from './subsidies.schema.js';

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
