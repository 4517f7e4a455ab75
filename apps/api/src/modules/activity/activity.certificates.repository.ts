import { sql, type Insertable, type SelectQueryBuilder } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db.js';
import type { Database } from '../../platform/db-schema.js';
import type { Scope } from '../../platform/auth/roles.js';
import type {
  ActivitySource,
  ExternalCertificateKind,
  ExternalCertificatesTable,
  ReportStatus,
} from './activity.schema.js';

type CertificateQuery<O> = SelectQueryBuilder<Database & { e: ExternalCertificatesTable }, 'e', O>;

/**
 * Restricts external certificates to what a scope may see: a unit its own reports, a county
 * administrator those of its county units, an institution those its staff reported, the city
 * (and auditors) all; a worker none.
 */
export function inScope<O>(query: CertificateQuery<O>, scope: Scope): CertificateQuery<O> {
  switch (scope.kind) {
    case 'city':
      return query;
    case 'unit':
      return query.where('e.unitId', '=', scope.unitId);
    case 'region':
      return query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('responsibleUnits as su')
            .select('su.id')
            .whereRef('su.id', '=', 'e.unitId')
            .where('su.kind', '=', 'county')
            .where('su.regionCode', '=', scope.regionCode),
        ),
      );
    case 'organisation':
      return query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('users as ru')
            .select('ru.id')
            .whereRef('ru.id', '=', 'e.reportedBy')
            .where('ru.organisationId', '=', scope.organisationId),
        ),
      );
    case 'person':
      return query.where(sql<boolean>`false`);
  }
}

function views(db: DbOrTrx) {
  return db
    .selectFrom('externalCertificates as e')
    .innerJoin('persons as p', 'p.id', 'e.personId')
    .innerJoin('responsibleUnits as u', 'u.id', 'e.unitId')
    .leftJoin('skillLevels as sl', 'sl.key', 'e.skillLevelKey')
    .leftJoin('certificates as ours', 'ours.id', 'e.duplicateOfCertificateId')
    .select([
      'e.id',
      'e.kind',
      'e.number',
      'e.personId',
      'p.name as holderName',
      'p.idNumberMasked as holderIdNumberMasked',
      'e.occupationCode',
      'e.skillLevelKey',
      'sl.name as skillLevelName',
      'e.itemName',
      'e.issuerName',
      'e.issuingProvinceCode',
      'e.issuedOn',
      'e.validUntil',
      'e.unitId',
      'u.canonicalName as unitName',
      'e.period',
      'e.source',
      'e.importRunId',
      'e.status',
      'e.duplicateOfCertificateId',
      'ours.number as duplicateOfNumber',
      'e.reportedBy',
      'e.createdAt',
      'e.updatedAt',
      'e.version',
    ])
    .select((eb) =>
      eb
        .selectFrom('occupations as o')
        .select('o.name')
        .whereRef('o.code', '=', 'e.occupationCode')
        .orderBy('o.level', 'desc')
        .limit(1)
        .as('occupationName'),
    );
}

export async function findExternal(db: DbOrTrx, scope: Scope, id: string) {
  return inScope(views(db), scope).where('e.id', '=', id).executeTakeFirst();
}
export type ExternalCertificateRow = NonNullable<Awaited<ReturnType<typeof findExternal>>>;

export async function findExternalsByIds(db: DbOrTrx, ids: string[]) {
  if (ids.length === 0) return [];
  return views(db).where('e.id', 'in', ids).execute();
}

export interface ExternalFilter {
  unitId?: string;
  period?: string;
  kind?: ExternalCertificateKind;
  status?: ReportStatus;
  personId?: string;
  duplicate?: boolean;
  page: number;
  pageSize: number;
}

export async function listExternal(db: DbOrTrx, scope: Scope, filter: ExternalFilter) {
  let query = inScope(views(db), scope);
  if (filter.unitId) query = query.where('e.unitId', '=', filter.unitId);
  if (filter.period) query = query.where('e.period', '=', filter.period);
  if (filter.kind) query = query.where('e.kind', '=', filter.kind);
  if (filter.status) query = query.where('e.status', '=', filter.status);
  if (filter.personId) query = query.where('e.personId', '=', filter.personId);
  if (filter.duplicate !== undefined) {
    query = query.where('e.duplicateOfCertificateId', filter.duplicate ? 'is not' : 'is', null);
  }
  const { total } = await query
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  const items = await query
    .orderBy('e.issuedOn', 'desc')
    .orderBy('e.id', 'desc')
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize)
    .execute();
  return { items, total: Number(total) };
}

export async function lockExternal(trx: Trx, id: string) {
  return trx
    .selectFrom('externalCertificates')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The active records among (kind, number) pairs. */
export async function activeByNumbers(
  db: DbOrTrx,
  keys: { kind: ExternalCertificateKind; number: string }[],
) {
  if (keys.length === 0) return [];
  return db
    .selectFrom('externalCertificates')
    .select(['id', 'kind', 'number'])
    .where('status', '=', 'active')
    .where((eb) =>
      eb.or(keys.map((k) => eb.and([eb('kind', '=', k.kind), eb('number', '=', k.number)]))),
    )
    .execute();
}

export type NewExternal = Insertable<ExternalCertificatesTable> & { id: string };

/** Inserts; a (kind, number) already active is skipped. Answers the ids inserted. */
export async function insertExternals(trx: Trx, rows: NewExternal[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await trx
    .insertInto('externalCertificates')
    .values(rows)
    .onConflict((oc) => oc.columns(['kind', 'number']).where('status', '=', 'active').doNothing())
    .returning('id')
    .execute();
  return new Set(inserted.map((r) => r.id));
}

export async function updateExternal(
  trx: Trx,
  id: string,
  set: Partial<{
    number: string;
    occupationCode: string | null;
    skillLevelKey: string | null;
    itemName: string | null;
    issuerName: string;
    issuingProvinceCode: string;
    issuedOn: string;
    validUntil: string | null;
    period: string;
    unitId: string;
    status: ReportStatus;
    duplicateOfCertificateId: string | null;
    updatedAt: Date;
  }>,
) {
  await trx
    .updateTable('externalCertificates')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/**
 * Our valid certificates of these persons (the certificates module issues them; read here to
 * de-duplicate a reported one against ours in one query per batch): their level key and the
 * 专项 item's name.
 */
export async function ourValidCertificates(db: DbOrTrx, personIds: string[]) {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('certificates as c')
    .leftJoin('specialAbilities as sa', 'sa.id', 'c.specialAbilityId')
    .select([
      'c.id',
      'c.number',
      'c.personId',
      'c.occupationCode',
      'c.skillLevelKey',
      'sa.name as specialAbilityName',
    ])
    .where('c.personId', 'in', personIds)
    .where('c.status', '=', 'valid')
    .execute();
}

/** The blind index of a holder's ID number (to recognise it as a 特种作业 number). */
export async function holderBlindIndex(db: DbOrTrx, personId: string) {
  const row = await db
    .selectFrom('persons')
    .select('idNumberBidx')
    .where('id', '=', personId)
    .executeTakeFirst();
  return row?.idNumberBidx;
}

export interface UnitFacts {
  id: string;
  canonicalName: string;
  aliases: string[];
  kind: 'county' | 'department';
  regionCode: string;
}

export async function allUnits(db: DbOrTrx): Promise<UnitFacts[]> {
  return db
    .selectFrom('responsibleUnits')
    .select(['id', 'canonicalName', 'aliases', 'kind', 'regionCode'])
    .execute();
}

/** The occupation-level codes among `codes` (occupations of the 2022 大典). */
export async function knownOccupations(db: DbOrTrx, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db
    .selectFrom('occupations')
    .select('code')
    .where('code', 'in', [...new Set(codes)])
    .where((eb) => eb.or([eb('levelName', '=', 'occupation'), eb('minorIsOccupation', '=', true)]))
    .execute();
  return new Set(rows.map((r) => r.code));
}

export type { ActivitySource };
