import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db.js';
import type { Scope } from '../../platform/auth/roles.js';

/** A certificate as verification shows it: the row plus the names of what it certifies. */
function viewQuery(db: DbOrTrx) {
  return db
    .selectFrom('certificates as c')
    .innerJoin('occupations as o', (join) =>
      join.onRef('o.code', '=', 'c.occupationCode').onRef('o.level', '=', 'c.occupationLevel'),
    )
    .innerJoin('skillLevels as l', 'l.key', 'c.skillLevelKey')
    .leftJoin('specialAbilities as sa', 'sa.id', 'c.specialAbilityId')
    .select([
      'c.id',
      'c.number',
      'c.kind',
      'c.personId',
      'c.holderName',
      'c.holderIdNumberMasked',
      'c.organisationId',
      'c.issuerName',
      'c.issuingProvinceCode',
      'c.occupationCode',
      'o.name as occupationName',
      'c.skillLevelKey',
      'l.name as levelName',
      'sa.code as specialAbilityCode',
      'sa.name as specialAbilityName',
      'c.issuedOn',
      'c.status',
      'c.revokedAt',
      'c.revocationReason',
      'c.statusListIndex',
      'c.regionCode',
    ]);
}

export type CertificateView = NonNullable<Awaited<ReturnType<typeof findByNumber>>>;

/** The certificate with this number, whoever holds it (the public check compares the name). */
export async function findByNumber(db: DbOrTrx, number: string) {
  return viewQuery(db).where('c.number', '=', number).executeTakeFirst();
}

/**
 * A certificate the caller may read: the city and auditors any, a county administrator those of
 * holders in its region, an evaluation institution those it issued, a worker their own.
 */
export async function findInScope(db: DbOrTrx, scope: Scope, id: string) {
  let query = viewQuery(db).where('c.id', '=', id);
  switch (scope.kind) {
    case 'city':
      break;
    case 'region':
      query = query.where('c.regionCode', '=', scope.regionCode);
      break;
    case 'organisation':
      query = query.where('c.organisationId', '=', scope.organisationId);
      break;
    case 'person':
      query = query.where('c.personId', '=', scope.personId);
      break;
    case 'unit':
      query = query.where(sql<boolean>`false`);
      break;
  }
  return query.executeTakeFirst();
}

/** The revoked certificates' status-list indexes and the highest index handed out so far. */
export async function revocationState(
  db: DbOrTrx,
): Promise<{ revoked: number[]; highestIndex: number }> {
  const [revoked, highest] = await Promise.all([
    db
      .selectFrom('certificates')
      .select('statusListIndex')
      .where('status', '=', 'revoked')
      .execute(),
    db
      .selectFrom('certificates')
      .select((eb) => eb.fn.max('statusListIndex').as('highest'))
      .executeTakeFirst(),
  ]);
  return {
    revoked: revoked.map((r) => r.statusListIndex),
    highestIndex: highest?.highest ?? -1,
  };
}
