/**
 * Queries behind the hiring and placement subsidy checks (subsidies.employment.ts): the hires,
 * placements, contribution months and certificates of persons, and the claims already made.
 * Kysely only; every function runs in the caller's transaction.
 */
import { sql } from 'kysely';
import type { Trx } from '../../platform/db.js';
import type { HeldCertificate } from './subsidies.employment.rules.js';

/** Blocks until the transaction holds the lock named by `key` (released at its end). */
export async function advisoryLock(trx: Trx, key: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

/** The persons' hires by a registered employer, oldest first, with what the rules need of it. */
export async function hiresOf(trx: Trx, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return trx
    .selectFrom('employmentRegistrations as er')
    .innerJoin('organisations as o', 'o.id', 'er.employerOrganisationId')
    .select([
      'er.id',
      'er.personId',
      'er.employerUscc',
      'er.hiredOn',
      'er.endedOn',
      'o.id as employerId',
      'o.name as employerName',
      'o.regionCode as employerRegionCode',
      'o.sizeClass',
      'o.affiliation',
      'o.affiliationRegionCode',
    ])
    .where('o.kind', '=', 'employer')
    .where('er.personId', 'in', [...personIds])
    .orderBy('er.hiredOn')
    .orderBy('er.id')
    .execute();
}

/** The persons' placements by HR agencies, oldest first. */
export async function placementsOf(trx: Trx, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return trx
    .selectFrom('placements as pl')
    .innerJoin('organisations as a', 'a.id', 'pl.agencyOrganisationId')
    .select([
      'pl.id',
      'pl.personId',
      'pl.agencyOrganisationId',
      'pl.employerUscc',
      'pl.employerName',
      'pl.employerRegionCode',
      'pl.placedOn',
      'a.name as agencyName',
      'a.regionCode as agencyRegionCode',
    ])
    .where('pl.personId', 'in', [...personIds])
    .orderBy('pl.placedOn')
    .orderBy('pl.id')
    .execute();
}

/** The persons' certificates (valid or not: the rules choose), by person; none: no entry. */
export async function certificatesOf(
  trx: Trx,
  personIds: readonly string[],
): Promise<Map<string, HeldCertificate[]>> {
  const held = new Map<string, HeldCertificate[]>();
  if (personIds.length === 0) return held;
  const rows = await trx
    .selectFrom('certificates')
    .select(['personId', 'id', 'number', 'issuedOn', 'status'])
    .where('personId', 'in', [...personIds])
    .execute();
  for (const { personId, ...certificate } of rows) {
    const list = held.get(personId);
    if (list) list.push(certificate);
    else held.set(personId, [certificate]);
  }
  return held;
}

/** The months (first days, YYYY-MM-DD) an employer insured the person. */
export async function insuredMonths(
  trx: Trx,
  personId: string,
  employerUscc: string,
): Promise<string[]> {
  const rows = await trx
    .selectFrom('insuranceContributions')
    .select('month')
    .where('personId', '=', personId)
    .where('employerUscc', '=', employerUscc)
    .orderBy('month')
    .execute();
  return rows.map((r) => r.month);
}

/** Every hiring claim made for a hire, refused ones included. */
export async function hiringClaimsOf(trx: Trx, employmentId: string) {
  return trx
    .selectFrom('subsidyClaims')
    .select(['id', 'number', 'status', 'rejectedBy', 'rejectionReason'])
    .where('kind', '=', 'hiring')
    .where('employmentId', '=', employmentId)
    .execute();
}

/**
 * What an employer's hiring claims use of its cap: Σ amount of the claims not rejected, reversed
 * or clawed back (a clawback frees room).
 */
export async function hiringCapUsed(trx: Trx, employerId: string): Promise<number> {
  const row = await trx
    .selectFrom('subsidyClaims')
    .select(sql<string>`coalesce(sum(amount_fen), 0)`.as('used'))
    .where('kind', '=', 'hiring')
    .where('payeeOrganisationId', '=', employerId)
    .where('status', 'not in', ['rejected', 'reversed', 'clawed_back'])
    .executeTakeFirstOrThrow();
  return Number(row.used);
}

/** Whether a claim was ever made for the placement. */
export async function placementClaimOf(trx: Trx, placementId: string) {
  return trx
    .selectFrom('subsidyClaims')
    .select(['id', 'number', 'status'])
    .where('kind', '=', 'placement')
    .where('placementId', '=', placementId)
    .executeTakeFirst();
}

/**
 * A standing placement claim of the agency for the person whose 12-month window overlaps the one
 * starting on `placedOn` — the same test as the exclusion constraint
 * subsidy_claims_placement_once_a_year.
 */
export async function overlappingPlacementClaim(
  trx: Trx,
  agencyId: string,
  personId: string,
  placedOn: string,
) {
  return trx
    .selectFrom('subsidyClaims')
    .select(['id', 'number', 'basisDate'])
    .where('kind', '=', 'placement')
    .where('status', '<>', 'rejected')
    .where('payeeOrganisationId', '=', agencyId)
    .where('personId', '=', personId)
    .where(
      sql<boolean>`daterange(basis_date, (basis_date + interval '12 months')::date, '[)')
        && daterange(${placedOn}::date, (${placedOn}::date + interval '12 months')::date, '[)')`,
    )
    .executeTakeFirst();
}
