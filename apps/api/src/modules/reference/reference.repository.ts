import { sql } from 'kysely';
import { containsPattern, type DbOrTrx } from '../../platform/db.js';

export interface RegionFilter {
  parent?: string;
  level?: number;
  maxLevel?: number;
  q?: string;
}

export async function findRegions(db: DbOrTrx, filter: RegionFilter) {
  let query = db.selectFrom('regions as r').select([
    'r.code',
    'r.name',
    'r.level',
    'r.levelName',
    'r.parentCode',
    'r.statisticsOnly',
    'r.isLocalUnit',
    (eb) =>
      eb
        .or([
          eb.exists(
            eb.selectFrom('regions as c').select('c.code').whereRef('c.parentCode', '=', 'r.code'),
          ),
          eb.exists(
            eb
              .selectFrom('localUnitTownships as t')
              .select('t.townshipCode')
              .whereRef('t.unitCode', '=', 'r.code'),
          ),
        ])
        .$castTo<boolean>()
        .as('hasChildren'),
  ]);
  if (filter.parent !== undefined) {
    const parent = filter.parent;
    query = query.where((eb) =>
      eb.or([
        eb('r.parentCode', '=', parent),
        eb(
          'r.code',
          'in',
          eb.selectFrom('localUnitTownships').select('townshipCode').where('unitCode', '=', parent),
        ),
      ]),
    );
  }
  if (filter.level !== undefined) query = query.where('r.level', '=', filter.level);
  if (filter.maxLevel !== undefined) query = query.where('r.level', '<=', filter.maxLevel);
  if (filter.q) query = query.where('r.name', 'like', containsPattern(filter.q));
  return query.orderBy('r.code').execute();
}

export async function findRegionByCode(db: DbOrTrx, code: string) {
  return db.selectFrom('regions').select('code').where('code', '=', code).executeTakeFirst();
}

export interface OccupationSearch {
  q?: string;
  level?: number;
  page: number;
  pageSize: number;
}

export async function searchOccupations(db: DbOrTrx, search: OccupationSearch) {
  let query = db.selectFrom('occupations');
  const q = search.q?.trim();
  if (q) {
    const digits = q.replace(/[-\s]/g, '');
    if (/^\d+$/.test(digits)) {
      // Codes are typed with or without dashes: 4-03-02-01, 40302, 4-03.
      query = query.where(sql<string>`replace(code, '-', '')`, 'like', `${digits}%`);
    } else {
      query = query.where('name', 'like', containsPattern(q));
    }
  }
  if (search.level !== undefined) query = query.where('level', '=', search.level);
  const { total } = await query
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const items = await query
    .select([
      'code',
      'level',
      'levelName',
      'name',
      'isGreen',
      'isDigital',
      'parentCode',
      'definition',
    ])
    // An exact name first, then occupations before the groups that contain them.
    .orderBy(sql`name = ${q ?? ''}`, 'desc')
    .orderBy('code')
    .orderBy('level')
    .limit(search.pageSize)
    .offset((search.page - 1) * search.pageSize)
    .execute();
  return { items, total: Number(total) };
}

export async function findUnits(db: DbOrTrx) {
  const units = await db
    .selectFrom('responsibleUnits')
    .selectAll()
    .orderBy(sql`annex IS NULL`)
    .orderBy('annex')
    .orderBy('seq')
    .orderBy('id')
    .execute();
  const targets = await db
    .selectFrom('unitTargets')
    .select(['unitId', 'year', 'trainingPersonTimes', 'newSkilled', 'newHighSkilled'])
    .orderBy('year')
    .execute();
  return { units, targets };
}

export async function findPlans(db: DbOrTrx) {
  const plans = await db.selectFrom('plans').selectAll().orderBy('planNo').execute();
  const links = await db
    .selectFrom('planUnits as p')
    .innerJoin('responsibleUnits as u', 'u.id', 'p.unitId')
    .select(['p.planNo', 'u.id', 'u.canonicalName'])
    .orderBy('p.planNo')
    .orderBy('p.position')
    .execute();
  return { plans, links };
}

export async function findSkillLevels(db: DbOrTrx) {
  return db
    .selectFrom('skillLevels')
    .select(['key', 'name', 'nameEn', 'shortName', 'levelDigit', 'isHighSkilled'])
    .orderBy('sortOrder')
    .execute();
}
