import { sql, type SelectQueryBuilder } from 'kysely';
import { containsPattern, type DbOrTrx } from '../../platform/db.js';
import type { Database } from '../../platform/db-schema.js';
import type { Scope } from '../../platform/auth/roles.js';
import type { Education, EmploymentStatus, PersonSource, PersonsTable } from './persons.schema.js';

/** What every caller may see of a person: masked identifiers only. */
export const PERSON_COLUMNS = [
  'p.id',
  'p.name',
  'p.idNumberMasked',
  'p.sex',
  'p.birthDate',
  'p.idRegionCode',
  'p.phoneMasked',
  'p.householdRegionCode',
  'p.residenceRegionCode',
  'p.regionCode',
  'p.education',
  'p.employmentStatus',
  'p.reviewWarnings',
  'p.note',
  'p.source',
  'p.version',
  'p.createdAt',
  'p.updatedAt',
] as const;

type PersonQuery<O> = SelectQueryBuilder<Database & { p: PersonsTable }, 'p', O>;

/**
 * Restricts a person query to what a scope may see: a county its region, a unit or organisation
 * the persons linked to it, a worker themself. Used by lists, searches and detail reads alike.
 */
export function inScope<O>(query: PersonQuery<O>, scope: Scope): PersonQuery<O> {
  switch (scope.kind) {
    case 'city':
      return query;
    case 'region':
      return query.where('p.regionCode', '=', scope.regionCode);
    case 'unit':
    case 'organisation': {
      const scopeId = scope.kind === 'unit' ? scope.unitId : scope.organisationId;
      return query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('personLinks as l')
            .select('l.personId')
            .whereRef('l.personId', '=', 'p.id')
            .where('l.scopeKind', '=', scope.kind)
            .where('l.scopeId', '=', scopeId),
        ),
      );
    }
    case 'person':
      return query.where('p.id', '=', scope.personId);
  }
}

function withKeyGroups<O>(query: PersonQuery<O>) {
  return query.select((eb) =>
    eb
      .fn<string[]>('array', [
        eb
          .selectFrom('personKeyGroups as g')
          .select('g.keyGroupCode')
          .whereRef('g.personId', '=', 'p.id')
          .orderBy('g.keyGroupCode'),
      ])
      .as('keyGroups'),
  );
}

export async function findPerson(db: DbOrTrx, scope: Scope, id: string) {
  return withKeyGroups(inScope(db.selectFrom('persons as p').select(PERSON_COLUMNS), scope))
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export type PersonRow = NonNullable<Awaited<ReturnType<typeof findPerson>>>;

export async function findPersonByBlindIndex(db: DbOrTrx, scope: Scope, bidx: string) {
  return withKeyGroups(inScope(db.selectFrom('persons as p').select(PERSON_COLUMNS), scope))
    .where('p.idNumberBidx', '=', bidx)
    .executeTakeFirst();
}

/** Unscoped, locked: for writes that must see the one row whoever owns it. */
export async function lockPersonByBlindIndex(db: DbOrTrx, bidx: string) {
  return withKeyGroups(db.selectFrom('persons as p').select([...PERSON_COLUMNS, 'p.phoneBidx']))
    .where('p.idNumberBidx', '=', bidx)
    .forUpdate('p')
    .executeTakeFirst();
}

export async function lockPerson(db: DbOrTrx, id: string) {
  return withKeyGroups(db.selectFrom('persons as p').select([...PERSON_COLUMNS, 'p.phoneBidx']))
    .where('p.id', '=', id)
    .forUpdate('p')
    .executeTakeFirst();
}

export async function findSecrets(db: DbOrTrx, id: string) {
  return db
    .selectFrom('persons')
    .select(['idNumberEnc', 'phoneEnc'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface PersonSearch {
  name?: string;
  phoneBidx?: string;
  regionCode?: string;
  keyGroup?: string;
  employmentStatus?: EmploymentStatus;
  page: number;
  pageSize: number;
}

export async function searchPersons(db: DbOrTrx, scope: Scope, search: PersonSearch) {
  let query = inScope(db.selectFrom('persons as p'), scope);
  if (search.name) {
    query = query.where('p.name', 'like', containsPattern(search.name));
  }
  if (search.phoneBidx) query = query.where('p.phoneBidx', '=', search.phoneBidx);
  if (search.regionCode) {
    const code = search.regionCode;
    query = query.where((eb) =>
      eb.or([
        eb('p.regionCode', '=', code),
        eb('p.householdRegionCode', '=', code),
        eb('p.residenceRegionCode', '=', code),
      ]),
    );
  }
  if (search.keyGroup) {
    const group = search.keyGroup;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('personKeyGroups as g')
          .select('g.personId')
          .whereRef('g.personId', '=', 'p.id')
          .where('g.keyGroupCode', '=', group),
      ),
    );
  }
  if (search.employmentStatus)
    query = query.where('p.employmentStatus', '=', search.employmentStatus);
  const { total } = await query
    .select(sql<number>`count(*)::int`.as('total'))
    .executeTakeFirstOrThrow();
  const items = await withKeyGroups(query.select(PERSON_COLUMNS))
    .orderBy('p.createdAt', 'desc')
    .orderBy('p.id', 'desc')
    .limit(search.pageSize)
    .offset((search.page - 1) * search.pageSize)
    .execute();
  return { items, total };
}

export interface NewPerson {
  id: string;
  idNumberEnc: string;
  idNumberBidx: string;
  idNumberMasked: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  idRegionCode: string;
  phoneEnc: string | null;
  phoneBidx: string | null;
  phoneMasked: string | null;
  householdRegionCode: string | null;
  residenceRegionCode: string | null;
  regionCode: string;
  education: Education | null;
  employmentStatus: EmploymentStatus;
  reviewWarnings: string[];
  note: string | null;
  source: PersonSource;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Inserts unless the ID number exists; returns false on that conflict (the caller decides). */
export async function insertPerson(db: DbOrTrx, person: NewPerson): Promise<boolean> {
  const result = await db
    .insertInto('persons')
    .values(person)
    .onConflict((oc) => oc.column('idNumberBidx').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updatePerson(
  db: DbOrTrx,
  id: string,
  changes: Partial<Omit<NewPerson, 'id' | 'createdAt' | 'createdBy' | 'source'>> & {
    updatedAt: Date;
  },
): Promise<void> {
  await db
    .updateTable('persons')
    .set({ ...changes, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .execute();
}

export async function addKeyGroups(db: DbOrTrx, personId: string, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  await db
    .insertInto('personKeyGroups')
    .values(codes.map((keyGroupCode) => ({ personId, keyGroupCode })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function setKeyGroups(db: DbOrTrx, personId: string, codes: string[]): Promise<void> {
  await db.deleteFrom('personKeyGroups').where('personId', '=', personId).execute();
  await addKeyGroups(db, personId, codes);
}

export async function linkPerson(
  db: DbOrTrx,
  personId: string,
  scopeKind: 'unit' | 'organisation',
  scopeId: string,
  at: Date,
): Promise<void> {
  await db
    .insertInto('personLinks')
    .values({ personId, scopeKind, scopeId, createdAt: at })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function knownKeyGroups(db: DbOrTrx): Promise<Set<string>> {
  const rows = await db.selectFrom('keyGroups').select('code').execute();
  return new Set(rows.map((r) => r.code));
}

/** County-level code of a region (a township's county), or undefined for an unknown code. */
export async function countyOf(db: DbOrTrx, code: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('regions as r')
    .leftJoin('regions as parent', 'parent.code', 'r.parentCode')
    .select(['r.code', 'r.level', 'parent.code as parentCode'])
    .where('r.code', '=', code)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.level === 4) return row.parentCode ?? undefined;
  return row.code;
}

/** Several persons by blind index, locked: the batch form an import uses. */
export async function lockPersonsByBlindIndexes(db: DbOrTrx, bidxs: string[]) {
  if (bidxs.length === 0) return [];
  return withKeyGroups(
    db.selectFrom('persons as p').select([...PERSON_COLUMNS, 'p.phoneBidx', 'p.idNumberBidx']),
  )
    .where('p.idNumberBidx', 'in', bidxs)
    .forUpdate('p')
    .execute();
}

/** Inserts persons, skipping ID numbers that exist; returns the blind indexes inserted. */
export async function insertPersons(db: DbOrTrx, persons: NewPerson[]): Promise<string[]> {
  const inserted: string[] = [];
  // 22 columns a row: 2,000 rows stay under PostgreSQL's 65,535 parameters.
  for (let i = 0; i < persons.length; i += 2000) {
    const rows = await db
      .insertInto('persons')
      .values(persons.slice(i, i + 2000))
      .onConflict((oc) => oc.column('idNumberBidx').doNothing())
      .returning('idNumberBidx')
      .execute();
    inserted.push(...rows.map((r) => r.idNumberBidx));
  }
  return inserted;
}

export async function addKeyGroupsMany(
  db: DbOrTrx,
  rows: { personId: string; keyGroupCode: string }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 10_000) {
    await db
      .insertInto('personKeyGroups')
      .values(rows.slice(i, i + 10_000))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

export async function linkPersons(
  db: DbOrTrx,
  personIds: string[],
  scopeKind: 'unit' | 'organisation',
  scopeId: string,
  at: Date,
): Promise<void> {
  const unique = [...new Set(personIds)];
  for (let i = 0; i < unique.length; i += 10_000) {
    await db
      .insertInto('personLinks')
      .values(
        unique
          .slice(i, i + 10_000)
          .map((personId) => ({ personId, scopeKind, scopeId, createdAt: at })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
