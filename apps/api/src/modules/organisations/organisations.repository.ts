import type { Insertable, Selectable, Updateable } from 'kysely';
import { containsPattern, type DbOrTrx } from '../../platform/db.js';
import type { OrganisationFilter } from './organisations.rules.js';
import type {
  EvaluationScopesTable,
  EvaluationSitesTable,
  OrganisationKind,
  OrganisationsTable,
  OrganisationStatus,
} from './organisations.schema.js';

export type OrganisationRow = Selectable<OrganisationsTable>;
export type SiteRow = Selectable<EvaluationSitesTable>;
export type ScopeRow = Selectable<EvaluationScopesTable>;

const ORGANISATION_COLUMNS = [
  'id',
  'kind',
  'name',
  'uscc',
  'regionCode',
  'address',
  'contactName',
  'contactPhoneEnc',
  'contactPhoneMasked',
  'status',
  'evaluationType',
  'institutionCode',
  'sizeClass',
  'affiliation',
  'affiliationRegionCode',
  'bankName',
  'bankAccountName',
  'bankAccountNo',
  'createdAt',
  'updatedAt',
] as const;

const SITE_COLUMNS = [
  'id',
  'organisationId',
  'organisationKind',
  'name',
  'serialCode',
  'regionCode',
  'address',
  'status',
  'createdAt',
  'updatedAt',
] as const;

const SCOPE_COLUMNS = [
  'id',
  'siteId',
  'occupationCode',
  'occupationLevel',
  'skillLevelKey',
  'validFrom',
  'validTo',
  'createdAt',
  'updatedAt',
] as const;

export async function findOrganisationById(
  db: DbOrTrx,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<OrganisationRow | undefined> {
  let query = db.selectFrom('organisations').select(ORGANISATION_COLUMNS).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findOrganisationByUscc(
  db: DbOrTrx,
  uscc: string,
): Promise<{ id: string } | undefined> {
  return db.selectFrom('organisations').select('id').where('uscc', '=', uscc).executeTakeFirst();
}

export interface OrganisationSearch {
  filter: OrganisationFilter;
  kind?: OrganisationKind;
  /** Part of the name. */
  q?: string;
  uscc?: string;
  regionCode?: string;
  status?: OrganisationStatus;
  page: number;
  pageSize: number;
}

export async function searchOrganisations(db: DbOrTrx, search: OrganisationSearch) {
  const { filter } = search;
  if (filter.kind === 'none') return { items: [], total: 0 };
  let query = db.selectFrom('organisations');
  if (filter.kind === 'region') query = query.where('regionCode', '=', filter.regionCode);
  if (filter.kind === 'organisation') query = query.where('id', '=', filter.organisationId);
  if (search.kind) query = query.where('kind', '=', search.kind);
  if (search.q) {
    const like = containsPattern(search.q);
    query = query.where('name', 'ilike', like);
  }
  if (search.uscc) query = query.where('uscc', '=', search.uscc);
  if (search.regionCode) query = query.where('regionCode', '=', search.regionCode);
  if (search.status) query = query.where('status', '=', search.status);
  const { n } = await query
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const items = await query
    .select(ORGANISATION_COLUMNS)
    .orderBy('name')
    .orderBy('id')
    .limit(search.pageSize)
    .offset((search.page - 1) * search.pageSize)
    .execute();
  return { items, total: Number(n) };
}

export async function insertOrganisation(
  db: DbOrTrx,
  row: Insertable<OrganisationsTable>,
): Promise<void> {
  await db.insertInto('organisations').values(row).execute();
}

export async function updateOrganisation(
  db: DbOrTrx,
  id: string,
  changes: Updateable<OrganisationsTable>,
): Promise<void> {
  await db.updateTable('organisations').set(changes).where('id', '=', id).execute();
}

export async function findSite(
  db: DbOrTrx,
  siteId: string,
  options: { forUpdate?: boolean } = {},
): Promise<SiteRow | undefined> {
  let query = db.selectFrom('evaluationSites').select(SITE_COLUMNS).where('id', '=', siteId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function listSites(db: DbOrTrx, organisationId: string): Promise<SiteRow[]> {
  return db
    .selectFrom('evaluationSites')
    .select(SITE_COLUMNS)
    .where('organisationId', '=', organisationId)
    .orderBy('serialCode')
    .execute();
}

export async function insertSite(
  db: DbOrTrx,
  row: Insertable<EvaluationSitesTable>,
): Promise<void> {
  await db.insertInto('evaluationSites').values(row).execute();
}

export async function updateSite(
  db: DbOrTrx,
  siteId: string,
  changes: Updateable<EvaluationSitesTable>,
): Promise<void> {
  await db.updateTable('evaluationSites').set(changes).where('id', '=', siteId).execute();
}

/** An approval with the names of its occupation and level, for display. */
export type ScopeView = ScopeRow & { occupationName: string; skillLevelName: string };

function scopeViews(db: DbOrTrx) {
  return db
    .selectFrom('evaluationScopes as s')
    .innerJoin('occupations as o', (join) =>
      join.onRef('o.code', '=', 's.occupationCode').onRef('o.level', '=', 's.occupationLevel'),
    )
    .innerJoin('skillLevels as l', 'l.key', 's.skillLevelKey')
    .select([
      's.id',
      's.siteId',
      's.occupationCode',
      's.occupationLevel',
      's.skillLevelKey',
      's.validFrom',
      's.validTo',
      's.createdAt',
      's.updatedAt',
      'o.name as occupationName',
      'l.name as skillLevelName',
    ]);
}

export async function findScope(
  db: DbOrTrx,
  scopeId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ScopeRow | undefined> {
  let query = db.selectFrom('evaluationScopes').select(SCOPE_COLUMNS).where('id', '=', scopeId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findScopeView(db: DbOrTrx, scopeId: string): Promise<ScopeView | undefined> {
  return scopeViews(db).where('s.id', '=', scopeId).executeTakeFirst();
}

export async function listScopes(
  db: DbOrTrx,
  siteId: string,
  options: { activeOn?: string } = {},
): Promise<ScopeView[]> {
  let query = scopeViews(db).where('s.siteId', '=', siteId);
  if (options.activeOn) {
    query = query
      .where('s.validFrom', '<=', options.activeOn)
      .where('s.validTo', '>=', options.activeOn);
  }
  return query.orderBy('s.occupationCode').orderBy('l.sortOrder').orderBy('s.validFrom').execute();
}

export async function insertScope(
  db: DbOrTrx,
  row: Insertable<EvaluationScopesTable>,
): Promise<void> {
  await db.insertInto('evaluationScopes').values(row).execute();
}

export async function updateScopeValidTo(
  db: DbOrTrx,
  scopeId: string,
  validTo: string,
  updatedAt: Date,
): Promise<void> {
  await db
    .updateTable('evaluationScopes')
    .set({ validTo, updatedAt })
    .where('id', '=', scopeId)
    .execute();
}

/** Whether some approval of the site covers the occupation and level on `date`. */
export async function hasActiveScope(
  db: DbOrTrx,
  scope: {
    siteId: string;
    occupationCode: string;
    occupationLevel: number;
    skillLevelKey: string;
    date: string;
  },
): Promise<boolean> {
  const row = await db
    .selectFrom('evaluationScopes')
    .select('id')
    .where('siteId', '=', scope.siteId)
    .where('occupationCode', '=', scope.occupationCode)
    .where('occupationLevel', '=', scope.occupationLevel)
    .where('skillLevelKey', '=', scope.skillLevelKey)
    .where('validFrom', '<=', scope.date)
    .where('validTo', '>=', scope.date)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The region row of a code, to check it is county-level. */
export async function findRegion(
  db: DbOrTrx,
  code: string,
): Promise<{ code: string; name: string; level: number } | undefined> {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function findOccupation(
  db: DbOrTrx,
  code: string,
  level: number,
): Promise<
  | { code: string; level: number; name: string; levelName: string; minorIsOccupation: boolean }
  | undefined
> {
  return db
    .selectFrom('occupations')
    .select(['code', 'level', 'name', 'levelName', 'minorIsOccupation'])
    .where('code', '=', code)
    .where('level', '=', level)
    .executeTakeFirst();
}

export async function findSkillLevel(
  db: DbOrTrx,
  key: string,
): Promise<{ key: string; name: string } | undefined> {
  return db
    .selectFrom('skillLevels')
    .select(['key', 'name'])
    .where('key', '=', key)
    .executeTakeFirst();
}
