import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { sql, type Insertable } from 'kysely';
import type { Db, Trx } from '../../platform/db.js';
import type { Database, RegionLevelName, UnitKind } from '../../platform/db-schema.js';
import {
  policyUnitOf,
  resolvePlanUnits,
  tenThousandsToPersons,
  tenThousandsToPersonsOrNull,
  yuanToFen,
  type UnitRef,
} from './reference.rules.js';

/** apps/api/reference, from both src/ and dist/. */
export const REFERENCE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../reference',
);

type Row = Record<string, string>;
type Files = Record<string, Row[]>;

interface Dataset {
  name: string;
  files: string[];
  load(trx: Trx, files: Files): Promise<number>;
}

/** The source of the 2022 targets loaded from the annexes; such rows are not edited in the app. */
export const TARGETS_SOURCE = '商政办〔2022〕9号 附件1/附件2';

function required(row: Row, column: string): string {
  const value = row[column];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Reference row is missing "${column}": ${JSON.stringify(row)}`);
  }
  return value.trim();
}

function optional(row: Row, column: string): string | null {
  const value = row[column]?.trim();
  return value ? value : null;
}

function yes(row: Row, column: string): boolean {
  return row[column]?.trim() === 'Y';
}

function chunks<T>(items: T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** INSERT … ON CONFLICT (key) DO UPDATE every other column: reloading never deletes a row. */
async function upsert<T extends keyof Database & string>(
  trx: Trx,
  table: T,
  key: string[],
  rows: Insertable<Database[T]>[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0] as object).filter((c) => !key.includes(c));
  for (const chunk of chunks(rows)) {
    // Kysely cannot type a dynamic table name through generics; the rows were typed above.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const query = trx.insertInto(table as any).values(chunk as any);
    await query
      .onConflict((oc) =>
        columns.length === 0
          ? oc.columns(key as never).doNothing()
          : oc
              .columns(key as never)
              .doUpdateSet(
                Object.fromEntries(
                  columns.map((c) => [c, sql.ref(`excluded.${snake(c)}`)]),
                ) as never,
              ),
      )
      .execute();
  }
  return rows.length;
}

function snake(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const regionsDataset: Dataset = {
  name: 'regions',
  files: ['henan_admin_divisions.csv', 'local_units.csv'],
  async load(trx, files) {
    const rows = (files['henan_admin_divisions.csv'] ?? []).map((r) => {
      const level = Number(required(r, 'level'));
      const inGbt = optional(r, 'in_gbt2260_2024');
      return {
        code: required(r, 'code'),
        name: required(r, 'name'),
        level,
        levelName: required(r, 'level_name') as RegionLevelName,
        parentCode: optional(r, 'parent_code'),
        inGbt2260: inGbt === null ? null : inGbt === 'Y',
        statisticsOnly: level <= 3 && inGbt === 'N',
        isLocalUnit: false,
      };
    });
    rows.sort((a, b) => a.level - b.level);
    const local = (files['local_units.csv'] ?? []).map((r) => ({
      code: required(r, 'code'),
      name: required(r, 'name'),
      level: 3,
      levelName: 'county' as const,
      parentCode: required(r, 'parent_code'),
      inGbt2260: false,
      statisticsOnly: false,
      isLocalUnit: true,
    }));
    return upsert(trx, 'regions', ['code'], [...rows, ...local]);
  },
};

const addressCodesDataset: Dataset = {
  name: 'address_codes',
  files: ['gbt2260_history_1981_2024.csv'],
  async load(trx, files) {
    const rows = (files['gbt2260_history_1981_2024.csv'] ?? []).map((r) => ({
      code: required(r, 'code'),
      sinceYear: Number(required(r, 'since_year')),
      untilYear: optional(r, 'until_year') === null ? null : Number(r.until_year),
      name: required(r, 'name'),
      province: required(r, 'province'),
      prefecture: optional(r, 'prefecture'),
      level: required(r, 'level'),
      inUse: required(r, 'status') === '在用',
      newCodes: optional(r, 'new_codes'),
    }));
    return upsert(trx, 'addressCodes', ['code', 'sinceYear'], rows);
  },
};

const occupationsDataset: Dataset = {
  name: 'occupations',
  files: ['occupations_2022.csv'],
  async load(trx, files) {
    const rows = (files['occupations_2022.csv'] ?? []).map((r) => ({
      code: required(r, 'code'),
      level: Number(required(r, 'level')),
      levelName: required(r, 'level_name') as 'major' | 'medium' | 'minor' | 'occupation',
      name: required(r, 'name'),
      isGreen: yes(r, 'green_L'),
      isDigital: yes(r, 'digital_S'),
      minorIsOccupation: yes(r, 'minor_is_occupation'),
      parentCode: optional(r, 'parent_code'),
      majorCode: required(r, 'major_code'),
      mediumCode: optional(r, 'medium_code'),
      minorCode: optional(r, 'minor_code'),
      definition: optional(r, 'definition'),
    }));
    return upsert(trx, 'occupations', ['code', 'level'], rows);
  },
};

const skillLevelsDataset: Dataset = {
  name: 'skill_levels',
  files: ['skill_levels.csv'],
  async load(trx, files) {
    const rows = (files['skill_levels.csv'] ?? []).map((r) => ({
      key: required(r, 'key'),
      name: required(r, 'name'),
      nameEn: required(r, 'name_en'),
      shortName: required(r, 'short_name'),
      levelDigit: optional(r, 'level_digit') === null ? null : Number(r.level_digit),
      isHighSkilled: yes(r, 'is_high_skilled'),
      sortOrder: Number(required(r, 'sort_order')),
    }));
    return upsert(trx, 'skillLevels', ['key'], rows);
  },
};

function unitRows(files: Files) {
  const aliases = new Map<string, string[]>();
  for (const r of files['unit_aliases.csv'] ?? []) {
    const name = required(r, 'canonical_name');
    aliases.set(name, [...(aliases.get(name) ?? []), required(r, 'alias')]);
  }
  const annexUnits = (files['shangqiu_unit_targets_2022.csv'] ?? []).map((r) => {
    const annex = Number(required(r, 'annex'));
    const seq = Number(required(r, 'seq'));
    const canonicalName = required(r, 'canonical_name');
    return {
      unit: {
        id: `A${annex}-${String(seq).padStart(2, '0')}`,
        annex,
        seq,
        seedName: required(r, 'unit_name'),
        canonicalName,
        aliases: aliases.get(canonicalName) ?? [],
        kind: required(r, 'unit_kind') as UnitKind,
        // The 示范区 has no GB/T 2260 code; it is the local unit 4114L1.
        regionCode: optional(r, 'region_code') ?? '4114L1',
      },
      target: {
        unitId: `A${annex}-${String(seq).padStart(2, '0')}`,
        year: 2022,
        trainingPersonTimes: tenThousandsToPersons(required(r, 'training_10k_person_times')),
        newSkilled: tenThousandsToPersons(required(r, 'new_skilled_10k')),
        newHighSkilled: tenThousandsToPersons(required(r, 'new_high_skilled_10k')),
        source: TARGETS_SOURCE,
      },
    };
  });
  const extra = (files['units_extra.csv'] ?? []).map((r) => {
    const canonicalName = required(r, 'canonical_name');
    return {
      id: required(r, 'id'),
      annex: null,
      seq: null,
      seedName: canonicalName,
      canonicalName,
      aliases: aliases.get(canonicalName) ?? [],
      kind: required(r, 'kind') as UnitKind,
      regionCode: required(r, 'region_code'),
    };
  });
  const units = [...annexUnits.map((u) => u.unit), ...extra];
  const known = new Set(units.map((u) => u.canonicalName));
  for (const name of aliases.keys()) {
    if (!known.has(name)) throw new Error(`unit_aliases.csv names an unknown unit "${name}"`);
  }
  return { units, targets: annexUnits.map((u) => u.target) };
}

const UNIT_FILES = ['shangqiu_unit_targets_2022.csv', 'units_extra.csv', 'unit_aliases.csv'];

const unitsDataset: Dataset = {
  name: 'responsible_units',
  files: UNIT_FILES,
  async load(trx, files) {
    const { units, targets } = unitRows(files);
    await upsert(trx, 'responsibleUnits', ['id'], units);
    await upsert(trx, 'unitTargets', ['unitId', 'year'], targets);
    return units.length;
  },
};

const plansDataset: Dataset = {
  name: 'plans',
  files: ['shangqiu_plans_yearly.csv', ...UNIT_FILES],
  async load(trx, files) {
    const units: UnitRef[] = unitRows(files).units;
    const plans = (files['shangqiu_plans_yearly.csv'] ?? []).map((r) => {
      const extra = optional(r, 'extra');
      return {
        planNo: Number(required(r, 'plan_no')),
        name: required(r, 'plan_name'),
        yearlyTrainingMin: tenThousandsToPersonsOrNull(r.yearly_training_10k_min),
        yearlyCertifiedMin: tenThousandsToPersonsOrNull(r.yearly_certified_10k_min),
        yearlyHighSkilledMin: tenThousandsToPersonsOrNull(r.yearly_high_level_cert_10k_min),
        certifiesAllTrained: extra?.includes('取证率100%') ?? false,
        // Plan 3's figure counts students trained per year (年培养), not training person-times.
        trainingCountsGraduates: extra?.includes('年培养') ?? false,
        extra,
        responsibleUnitsText: required(r, 'responsible_units'),
      };
    });
    await upsert(trx, 'plans', ['planNo'], plans);
    const links = plans.flatMap((p) =>
      resolvePlanUnits(p.responsibleUnitsText, units).map((unitId, position) => ({
        planNo: p.planNo,
        unitId,
        position,
      })),
    );
    // A link is derived data, so replacing a plan's links is safe (nothing references them).
    await trx.deleteFrom('planUnits').execute();
    await upsert(trx, 'planUnits', ['planNo', 'unitId'], links);
    return plans.length;
  },
};

const policyAmountsDataset: Dataset = {
  name: 'policy_amounts',
  files: ['shangqiu_policy_amounts.csv'],
  async load(trx, files) {
    const rows = (files['shangqiu_policy_amounts.csv'] ?? []).map((r) => {
      const kind = required(r, 'kind');
      const key = required(r, 'key');
      const unit = policyUnitOf(kind, key);
      const printed = required(r, 'amount_yuan');
      return {
        kind,
        key,
        unit,
        value: unit === 'fen' ? yuanToFen(printed) : Number(printed),
        rule: optional(r, 'rule') ?? '',
        seedSection: required(r, 'seed_section'),
      };
    });
    return upsert(trx, 'policyAmounts', ['kind', 'key'], rows);
  },
};

const keyGroupsDataset: Dataset = {
  name: 'key_groups',
  files: ['key_groups.csv'],
  async load(trx, files) {
    const rows = (files['key_groups.csv'] ?? []).map((r) => ({
      code: required(r, 'code'),
      name: required(r, 'name'),
      nameEn: required(r, 'name_en'),
      aliases: (optional(r, 'aliases') ?? '').split(';').filter(Boolean),
      sortOrder: Number(required(r, 'sort_order')),
    }));
    return upsert(trx, 'keyGroups', ['code'], rows);
  },
};

/** In dependency order: units need regions, plans need units. */
export const DATASETS: readonly Dataset[] = [
  regionsDataset,
  addressCodesDataset,
  occupationsDataset,
  skillLevelsDataset,
  unitsDataset,
  plansDataset,
  policyAmountsDataset,
  keyGroupsDataset,
];

export interface ReferenceLoadReport {
  loaded: { name: string; rows: number }[];
  unchanged: string[];
}

/**
 * Loads (or re-applies, when a file changed) the reference data into the database, in one
 * transaction under an advisory lock so two processes starting together load it once. Must run
 * as the schema owner: the app role cannot write catalogs.
 */
export async function loadReferenceData(
  db: Db,
  options: { dir?: string; force?: boolean } = {},
): Promise<ReferenceLoadReport> {
  const dir = options.dir ?? REFERENCE_DIR;
  const text = new Map<string, string>();
  for (const file of new Set(DATASETS.flatMap((d) => d.files))) {
    text.set(file, await readFile(path.join(dir, file), 'utf8'));
  }
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('jineng.reference_data'))`.execute(trx);
    const known = new Map(
      (await trx.selectFrom('referenceDatasets').select(['name', 'sha256']).execute()).map((r) => [
        r.name,
        r.sha256,
      ]),
    );
    const report: ReferenceLoadReport = { loaded: [], unchanged: [] };
    for (const dataset of DATASETS) {
      const hash = createHash('sha256');
      for (const file of dataset.files)
        hash
          .update(file)
          .update('\0')
          .update(text.get(file) ?? '');
      const sha256 = hash.digest('hex');
      if (!options.force && known.get(dataset.name) === sha256) {
        report.unchanged.push(dataset.name);
        continue;
      }
      const files: Files = {};
      for (const file of dataset.files) {
        files[file] = parse(text.get(file) ?? '', {
          columns: true,
          skip_empty_lines: true,
          bom: true,
        }) as Row[];
      }
      const rows = await dataset.load(trx, files);
      await trx
        .insertInto('referenceDatasets')
        .values({ name: dataset.name, sha256, rowCount: rows, loadedAt: new Date() })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet({ sha256, rowCount: rows, loadedAt: new Date() }),
        )
        .execute();
      report.loaded.push({ name: dataset.name, rows });
    }
    return report;
  });
}
