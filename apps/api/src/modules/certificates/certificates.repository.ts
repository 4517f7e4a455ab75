import { sql, type Insertable, type SelectQueryBuilder, type Updateable } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db.js';
import type { Database } from '../../platform/db-schema.js';
import type { Scope } from '../../platform/auth/roles.js';
import type {
  CertificateKind,
  CertificateStatus,
  CertificatesTable,
} from './certificates.schema.js';

type CertificateQuery<O> = SelectQueryBuilder<Database & { c: CertificatesTable }, 'c', O>;

/**
 * Restricts a certificate query to a scope: a county its holders (their county when issued), an
 * evaluation institution the certificates it issued, a worker their own.
 */
export function inScope<O>(query: CertificateQuery<O>, scope: Scope): CertificateQuery<O> {
  switch (scope.kind) {
    case 'city':
      return query;
    case 'region':
      return query.where('c.regionCode', '=', scope.regionCode);
    case 'organisation':
      return query.where('c.organisationId', '=', scope.organisationId);
    case 'person':
      return query.where('c.personId', '=', scope.personId);
    case 'unit':
      return query.where(sql<boolean>`false`);
  }
}

function certificateViews(db: DbOrTrx) {
  return db
    .selectFrom('certificates as c')
    .innerJoin('occupations as o', (join) =>
      join.onRef('o.code', '=', 'c.occupationCode').onRef('o.level', '=', 'c.occupationLevel'),
    )
    .innerJoin('skillLevels as l', 'l.key', 'c.skillLevelKey')
    .leftJoin('specialAbilities as sa', 'sa.id', 'c.specialAbilityId')
    .leftJoin('evaluationSites as es', 'es.id', 'c.siteId')
    .leftJoin('evaluationSessions as s', 's.id', 'c.sessionId')
    .select([
      'c.id',
      'c.number',
      'c.kind',
      'c.personId',
      'c.holderName',
      'c.holderIdNumberMasked',
      'c.occupationCode',
      'c.occupationLevel',
      'o.name as occupationName',
      'c.skillLevelKey',
      'l.name as skillLevelName',
      'c.specialAbilityId',
      'sa.code as specialAbilityCode',
      'sa.name as specialAbilityName',
      'c.organisationId',
      'c.issuerName',
      'c.siteId',
      'es.name as siteName',
      'c.issuingProvinceCode',
      'c.sessionId',
      's.heldOn as sessionHeldOn',
      'c.candidateId',
      'c.issuedOn',
      'c.status',
      'c.revokedAt',
      'c.revocationReason',
      'c.statusListIndex',
      'c.regionCode',
      'c.source',
      'c.createdAt',
      'c.updatedAt',
    ]);
}

export async function findCertificate(db: DbOrTrx, scope: Scope, id: string) {
  return inScope(certificateViews(db), scope).where('c.id', '=', id).executeTakeFirst();
}
export type CertificateRow = NonNullable<Awaited<ReturnType<typeof findCertificate>>>;

/** The certificate with this number, whoever holds it (the public check compares the name). */
export async function findCertificateByNumber(db: DbOrTrx, number: string) {
  return certificateViews(db).where('c.number', '=', number).executeTakeFirst();
}

export interface CertificateFilter {
  number?: string;
  personId?: string;
  organisationId?: string;
  status?: CertificateStatus;
  kind?: CertificateKind;
  sessionId?: string;
}

export async function listCertificates(
  db: DbOrTrx,
  scope: Scope,
  filter: CertificateFilter,
  paging: { limit: number; offset: number },
) {
  let query = inScope(certificateViews(db), scope);
  if (filter.number) query = query.where('c.number', '=', filter.number);
  if (filter.personId) query = query.where('c.personId', '=', filter.personId);
  if (filter.organisationId) query = query.where('c.organisationId', '=', filter.organisationId);
  if (filter.status) query = query.where('c.status', '=', filter.status);
  if (filter.kind) query = query.where('c.kind', '=', filter.kind);
  if (filter.sessionId) query = query.where('c.sessionId', '=', filter.sessionId);
  const [items, count] = await Promise.all([
    query
      .orderBy('c.issuedOn', 'desc')
      .orderBy('c.number')
      .limit(paging.limit)
      .offset(paging.offset)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** The certificates of one session, unscoped (the caller saw the session). */
export async function certificatesOfSession(db: DbOrTrx, sessionId: string) {
  return certificateViews(db).where('c.sessionId', '=', sessionId).orderBy('c.number').execute();
}

/** The valid certificate a person holds for an occupation and level (and 专项 item), if any. */
export async function findValidHeld(
  db: DbOrTrx,
  key: {
    personId: string;
    occupationCode: string;
    skillLevelKey: string;
    specialAbilityId: string | null;
  },
) {
  let query = db
    .selectFrom('certificates')
    .select(['id', 'number'])
    .where('personId', '=', key.personId)
    .where('occupationCode', '=', key.occupationCode)
    .where('skillLevelKey', '=', key.skillLevelKey)
    .where('status', '=', 'valid');
  query =
    key.specialAbilityId === null
      ? query.where('specialAbilityId', 'is', null)
      : query.where('specialAbilityId', '=', key.specialAbilityId);
  return query.executeTakeFirst();
}

/**
 * The next serial of a site, year and level digit. The upsert takes the row lock, so concurrent
 * issuers queue on it and each gets the next number; a rolled-back transaction takes its
 * increment with it, so serials stay gapless. Undefined once 999999 is used.
 */
export async function nextSkillLevelSerial(
  trx: Trx,
  key: { siteId: string; year: number; levelDigit: number },
  max: number,
): Promise<number | undefined> {
  const row = await trx
    .insertInto('certificateSerials')
    .values({ ...key, lastSerial: 1 })
    .onConflict((oc) =>
      oc
        .columns(['siteId', 'year', 'levelDigit'])
        .doUpdateSet({ lastSerial: sql<number>`certificate_serials.last_serial + 1` })
        .where('certificateSerials.lastSerial', '<', max),
    )
    .returning('lastSerial')
    .executeTakeFirst();
  return row?.lastSerial;
}

/**
 * The next 专项职业能力 serial of a site and year: a transaction-scoped advisory lock on (site,
 * year) serialises issuers, then one more than the certificates already numbered with the prefix
 * (certificates are never deleted, so the count never goes back).
 */
export async function nextSpecialAbilitySerial(
  trx: Trx,
  siteId: string,
  numberPrefix: string,
): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`certificate-sa:${siteId}:${numberPrefix}`}, 0))`.execute(
    trx,
  );
  const row = await trx
    .selectFrom('certificates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'special_ability')
    .where('siteId', '=', siteId)
    .where('number', 'like', `${numberPrefix}%`)
    .executeTakeFirstOrThrow();
  return Number(row.n) + 1;
}

export async function insertCertificate(
  trx: Trx,
  row: Insertable<CertificatesTable>,
): Promise<void> {
  await trx.insertInto('certificates').values(row).execute();
}

export async function lockCertificate(trx: Trx, id: string) {
  return trx
    .selectFrom('certificates')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateCertificate(
  trx: Trx,
  id: string,
  changes: Updateable<CertificatesTable>,
): Promise<void> {
  await trx.updateTable('certificates').set(changes).where('id', '=', id).execute();
}
