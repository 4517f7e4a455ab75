import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db.js';
import type { Scope } from '../../platform/auth/roles.js';
import type { EmploymentSource } from './employment.schema.js';

/** Persons by ID-number blind index: blind index → person id. */
export async function personIdsByBlindIndex(
  db: DbOrTrx,
  bidxs: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const unique = [...new Set(bidxs)];
  for (let i = 0; i < unique.length; i += 5000) {
    const rows = await db
      .selectFrom('persons')
      .select(['id', 'idNumberBidx'])
      .where('idNumberBidx', 'in', unique.slice(i, i + 5000))
      .execute();
    for (const row of rows) found.set(row.idNumberBidx, row.id);
  }
  return found;
}

/** Registered employers by USCC: uscc → organisation id and name. */
export async function employersByUscc(
  db: DbOrTrx,
  usccs: readonly string[],
): Promise<Map<string, { id: string; name: string }>> {
  const unique = [...new Set(usccs)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'uscc', 'name'])
    .where('kind', '=', 'employer')
    .where('uscc', 'in', unique)
    .execute();
  return new Map(
    rows.flatMap((row) => (row.uscc ? [[row.uscc, { id: row.id, name: row.name }] as const] : [])),
  );
}

export interface RegistrationUpsert {
  id: string;
  personId: string;
  employerUscc: string;
  employerOrganisationId: string | null;
  hiredOn: string;
  endedOn: string | null;
  source: EmploymentSource;
  importRunId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

function registrationKey(row: { personId: string; employerUscc: string; hiredOn: string }) {
  return `${row.personId}|${row.employerUscc}|${row.hiredOn}`;
}

/**
 * Inserts registrations or changes the end day of those known by (person, employer, hire day);
 * a row whose end day is the same is left alone. Keys must be distinct. Outcomes in input order.
 */
export async function upsertRegistrations(
  db: DbOrTrx,
  rows: readonly RegistrationUpsert[],
): Promise<UpsertOutcome[]> {
  const touched = new Map<string, UpsertOutcome>();
  // 10 columns a row.
  for (let i = 0; i < rows.length; i += 2000) {
    const returned = await db
      .insertInto('employmentRegistrations')
      .values(rows.slice(i, i + 2000))
      .onConflict((oc) =>
        oc
          .constraint('employment_registrations_key')
          .doUpdateSet((eb) => ({
            endedOn: eb.ref('excluded.endedOn'),
            employerOrganisationId: sql<
              string | null
            >`coalesce(excluded.employer_organisation_id, employment_registrations.employer_organisation_id)`,
            source: eb.ref('excluded.source'),
            importRunId: eb.ref('excluded.importRunId'),
            updatedAt: eb.ref('excluded.updatedAt'),
          }))
          .where(
            sql<boolean>`employment_registrations.ended_on IS DISTINCT FROM excluded.ended_on`,
          ),
      )
      .returning(['personId', 'employerUscc', 'hiredOn', sql<boolean>`xmax = 0`.as('inserted')])
      .execute();
    for (const row of returned) {
      touched.set(registrationKey(row), row.inserted ? 'inserted' : 'updated');
    }
  }
  return rows.map((row) => touched.get(registrationKey(row)) ?? 'unchanged');
}

export interface ContributionUpsert {
  personId: string;
  employerUscc: string;
  month: string;
  wageBaseFen: number;
  source: EmploymentSource;
  importRunId: string | null;
  recordedAt: Date;
}

function contributionKey(row: { personId: string; employerUscc: string; month: string }) {
  return `${row.personId}|${row.employerUscc}|${row.month}`;
}

/**
 * Inserts contribution months or replaces the wage base of months known by (person, employer,
 * month); the same wage base leaves the row alone. Keys must be distinct.
 */
export async function upsertContributions(
  db: DbOrTrx,
  rows: readonly ContributionUpsert[],
): Promise<UpsertOutcome[]> {
  const touched = new Map<string, UpsertOutcome>();
  for (let i = 0; i < rows.length; i += 5000) {
    const returned = await db
      .insertInto('insuranceContributions')
      .values(rows.slice(i, i + 5000))
      .onConflict((oc) =>
        oc
          .columns(['personId', 'employerUscc', 'month'])
          .doUpdateSet((eb) => ({
            wageBaseFen: eb.ref('excluded.wageBaseFen'),
            source: eb.ref('excluded.source'),
            importRunId: eb.ref('excluded.importRunId'),
            recordedAt: eb.ref('excluded.recordedAt'),
          }))
          .where(sql<boolean>`insurance_contributions.wage_base_fen <> excluded.wage_base_fen`),
      )
      .returning(['personId', 'employerUscc', 'month', sql<boolean>`xmax = 0`.as('inserted')])
      .execute();
    for (const row of returned) {
      touched.set(contributionKey(row), row.inserted ? 'inserted' : 'updated');
    }
  }
  return rows.map((row) => touched.get(contributionKey(row)) ?? 'unchanged');
}

/** A person's registrations, with the registered employer's name when there is one. */
export async function registrationsOf(db: DbOrTrx, personId: string) {
  return db
    .selectFrom('employmentRegistrations as r')
    .leftJoin('organisations as o', (join) =>
      join.on((eb) =>
        eb.or([
          eb('o.id', '=', eb.ref('r.employerOrganisationId')),
          eb.and([
            eb('r.employerOrganisationId', 'is', null),
            eb('o.uscc', '=', eb.ref('r.employerUscc')),
            eb('o.kind', '=', 'employer'),
          ]),
        ]),
      ),
    )
    .select([
      'r.id',
      'r.employerUscc',
      'o.id as organisationId',
      'o.name as organisationName',
      'r.hiredOn',
      'r.endedOn',
      'r.source',
      'r.updatedAt',
    ])
    .where('r.personId', '=', personId)
    .orderBy('r.hiredOn', 'desc')
    .orderBy('r.employerUscc')
    .execute();
}

export async function contributionsOf(db: DbOrTrx, personId: string) {
  return db
    .selectFrom('insuranceContributions')
    .select(['employerUscc', 'month', 'wageBaseFen'])
    .where('personId', '=', personId)
    .orderBy('employerUscc')
    .orderBy('month')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Placements

export async function findAgency(db: DbOrTrx, id: string) {
  return db
    .selectFrom('organisations')
    .select(['id', 'kind', 'name', 'regionCode', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A county-level region of Henan (code 41…), or undefined. */
export async function findHenanCounty(db: DbOrTrx, code: string) {
  return db
    .selectFrom('regions')
    .select(['code', 'name'])
    .where('code', '=', code)
    .where('levelName', '=', 'county')
    .where('code', 'like', '41%')
    .executeTakeFirst();
}

export interface NewPlacement {
  id: string;
  agencyOrganisationId: string;
  personId: string;
  employerUscc: string;
  employerName: string;
  employerRegionCode: string;
  placedOn: string;
  createdBy: string | null;
  createdAt: Date;
}

/** Inserts a placement; false when the agency recorded the same one (person, employer, day). */
export async function insertPlacement(db: DbOrTrx, row: NewPlacement): Promise<boolean> {
  const inserted = await db
    .insertInto('placements')
    .values(row)
    .onConflict((oc) => oc.constraint('placements_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

function placementsQuery(db: DbOrTrx, scope: Scope) {
  let query = db
    .selectFrom('placements as p')
    .innerJoin('organisations as a', 'a.id', 'p.agencyOrganisationId')
    .innerJoin('persons as person', 'person.id', 'p.personId')
    .leftJoin('regions as r', 'r.code', 'p.employerRegionCode');
  if (scope.kind === 'organisation') {
    query = query.where('p.agencyOrganisationId', '=', scope.organisationId);
  } else if (scope.kind === 'region') {
    query = query.where('a.regionCode', '=', scope.regionCode);
  } else if (scope.kind !== 'city') {
    query = query.where(sql<boolean>`false`);
  }
  return query;
}

const PLACEMENT_COLUMNS = [
  'p.id',
  'p.agencyOrganisationId',
  'a.name as agencyName',
  'p.personId',
  'person.name as personName',
  'person.idNumberMasked as personIdNumberMasked',
  'p.employerUscc',
  'p.employerName',
  'p.employerRegionCode',
  'r.name as employerRegionName',
  'p.placedOn',
  'p.createdAt',
] as const;

function withClaim<QB extends ReturnType<typeof placementsQuery>>(query: QB) {
  return query.select((eb) =>
    eb
      .selectFrom('subsidyClaims as c')
      .select(
        sql<{ id: string; number: string; status: string }>`json_build_object(
        'id', c.id, 'number', c.number, 'status', c.status)`.as('claim'),
      )
      .whereRef('c.placementId', '=', 'p.id')
      .where('c.kind', '=', 'placement')
      .orderBy('c.createdAt', 'desc')
      .limit(1)
      .as('claim'),
  );
}

export async function findPlacement(db: DbOrTrx, scope: Scope, id: string) {
  return withClaim(placementsQuery(db, scope))
    .select(PLACEMENT_COLUMNS)
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export type PlacementRow = NonNullable<Awaited<ReturnType<typeof findPlacement>>>;

export interface PlacementSearch {
  agencyOrganisationId?: string;
  placedFrom?: string;
  placedTo?: string;
  page: number;
  pageSize: number;
}

export async function searchPlacements(db: DbOrTrx, scope: Scope, search: PlacementSearch) {
  let query = placementsQuery(db, scope);
  if (search.agencyOrganisationId) {
    query = query.where('p.agencyOrganisationId', '=', search.agencyOrganisationId);
  }
  if (search.placedFrom) query = query.where('p.placedOn', '>=', search.placedFrom);
  if (search.placedTo) query = query.where('p.placedOn', '<=', search.placedTo);
  const [items, count] = await Promise.all([
    withClaim(query)
      .select(PLACEMENT_COLUMNS)
      .orderBy('p.placedOn', 'desc')
      .orderBy('p.id', 'desc')
      .limit(search.pageSize)
      .offset((search.page - 1) * search.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.total) };
}
