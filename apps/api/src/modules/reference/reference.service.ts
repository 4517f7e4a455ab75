import type { DbOrTrx } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import * as repo from './reference.repository.js';

/**
 * Regions: with no filter, Henan's province, prefectures and county-level units; `parent` lists
 * a region's children (a local unit's children are the townships admins assigned to it).
 */
export async function listRegions(
  db: DbOrTrx,
  query: { parent?: string; level?: number; q?: string },
) {
  if (query.parent !== undefined && !(await repo.findRegionByCode(db, query.parent))) {
    throw new DomainError('NOT_FOUND', `No region has the code ${query.parent}`, [
      { path: '/query/parent', message: 'unknown region code' },
    ]);
  }
  const filtered = query.parent !== undefined || query.level !== undefined || query.q;
  return repo.findRegions(db, { ...query, maxLevel: filtered ? undefined : 3 });
}

export function searchOccupations(db: DbOrTrx, search: repo.OccupationSearch) {
  return repo.searchOccupations(db, search);
}

/** Units with their yearly targets (persons). */
export async function listUnits(db: DbOrTrx, options: { includeWithoutTarget: boolean }) {
  const { units, targets } = await repo.findUnits(db);
  return units
    .filter((u) => options.includeWithoutTarget || u.annex !== null)
    .map((u) => ({
      ...u,
      targets: targets
        .filter((t) => t.unitId === u.id)
        .map(({ unitId: _unitId, ...target }) => target),
    }));
}

export async function listPlans(db: DbOrTrx) {
  const { plans, links } = await repo.findPlans(db);
  return plans.map((p) => ({
    planNo: p.planNo,
    name: p.name,
    yearlyTrainingMin: p.yearlyTrainingMin,
    yearlyCertifiedMin: p.yearlyCertifiedMin,
    yearlyHighSkilledMin: p.yearlyHighSkilledMin,
    certifiesAllTrained: p.certifiesAllTrained,
    trainingCountsGraduates: p.trainingCountsGraduates,
    extra: p.extra,
    responsibleUnitsText: p.responsibleUnitsText,
    units: links
      .filter((l) => l.planNo === p.planNo)
      .map((l) => ({ id: l.id, canonicalName: l.canonicalName })),
  }));
}

export function listSkillLevels(db: DbOrTrx) {
  return repo.findSkillLevels(db);
}
