import type { Trx } from '../../platform/db.js';
import { uuidv7 } from '../../platform/ids.js';
import { maskIdNumber, maskPhone } from '../../platform/crypto/index.js';
import type { Scope } from '../../platform/auth/roles.js';
import { recordAudit } from '../audit/audit.service.js';
import type { AuthContext } from '../auth/auth.service.js';
import type { IdNumberValid } from './id-number.rules.js';
import * as repo from './persons.repository.js';
import type { Education, EmploymentStatus } from './persons.schema.js';
import { personView, type PersonDeps } from './persons.service.js';

/** One roster row, already parsed and with its ID number validated by the import. */
export interface PersonImportRow {
  id: IdNumberValid;
  name: string;
  phone?: string | null;
  householdRegionCode?: string | null;
  residenceRegionCode?: string | null;
  education?: Education | null;
  employmentStatus?: EmploymentStatus | null;
  keyGroups: string[];
  note?: string | null;
}

export type PersonImportOutcome =
  | { kind: 'imported' | 'updated' | 'unchanged'; personId: string }
  | { kind: 'rejected'; column: string; code: string; message: string };

const CITY = '411400';

/** Field → the roster column a conflict is reported on. */
const COLUMN = {
  name: '姓名',
  phone: '手机号码',
  householdRegionCode: '户籍地',
  residenceRegionCode: '现居住地',
  education: '文化程度',
  employmentStatus: '就业状态',
  region: '户籍地',
} as const;

async function countyMap(trx: Trx): Promise<Map<string, string>> {
  const rows = await trx.selectFrom('regions').select(['code', 'level', 'parentCode']).execute();
  return new Map(rows.map((r) => [r.code, r.level === 4 ? (r.parentCode ?? r.code) : r.code]));
}

function regionOf(
  counties: Map<string, string>,
  residence?: string | null,
  household?: string | null,
) {
  for (const code of [residence, household]) {
    const county = code ? counties.get(code) : undefined;
    if (county) return county;
  }
  return CITY;
}

/**
 * Applies roster rows inside the import's transaction: new ID numbers are registered, known ones
 * get their empty fields filled and tags added, and a row that would change a name or another
 * recorded field is rejected unless `overwrite` is chosen. Rows of persons outside a county
 * administrator's county are rejected. Each change is audited like a manual one.
 */
export async function importPersonRows(
  trx: Trx,
  deps: PersonDeps,
  auth: AuthContext | null,
  rows: PersonImportRow[],
  options: { overwrite: boolean; importId?: string },
): Promise<PersonImportOutcome[]> {
  const scope: Scope = auth?.scope ?? { kind: 'city' };
  const counties = await countyMap(trx);
  const knownGroups = await repo.knownKeyGroups(trx);
  const now = deps.clock.now();
  const context = {
    actor: {
      userId: auth?.user.id ?? null,
      username: auth?.user.username ?? 'system',
      role: auth?.user.role ?? 'system',
    },
    requestId: options.importId ?? null,
    ip: null,
  };
  const outcomes: PersonImportOutcome[] = [];
  for (const row of rows) {
    const unknownGroup = row.keyGroups.find((g) => !knownGroups.has(g));
    if (unknownGroup !== undefined) {
      outcomes.push({
        kind: 'rejected',
        column: '人员类别',
        code: 'UNKNOWN_KEY_GROUP',
        message: `未知的人员类别“${unknownGroup}”`,
      });
      continue;
    }
    let regionCode = regionOf(counties, row.residenceRegionCode, row.householdRegionCode);
    if (regionCode === CITY && scope.kind === 'region') regionCode = scope.regionCode;
    if (scope.kind === 'region' && regionCode !== scope.regionCode) {
      outcomes.push({
        kind: 'rejected',
        column: COLUMN.region,
        code: 'OUT_OF_SCOPE',
        message: '该人员不属于本县（市、区），请由其所在县区导入',
      });
      continue;
    }
    const bidx = deps.pii.blindIndex('id_number', row.id.idNumber);
    const phoneBidx = row.phone ? deps.pii.blindIndex('phone', row.phone) : null;
    const existing = await repo.lockPersonByBlindIndex(trx, bidx);
    if (!existing) {
      const id = uuidv7();
      const inserted = await repo.insertPerson(trx, {
        id,
        idNumberEnc: deps.pii.encrypt('person.id_number', row.id.idNumber),
        idNumberBidx: bidx,
        idNumberMasked: maskIdNumber(row.id.idNumber),
        name: row.name,
        sex: row.id.sex,
        birthDate: row.id.birthDate,
        idRegionCode: row.id.regionCode,
        phoneEnc: row.phone ? deps.pii.encrypt('person.phone', row.phone) : null,
        phoneBidx,
        phoneMasked: row.phone ? maskPhone(row.phone) : null,
        householdRegionCode: row.householdRegionCode ?? null,
        residenceRegionCode: row.residenceRegionCode ?? null,
        regionCode,
        education: row.education ?? null,
        employmentStatus: row.employmentStatus ?? 'unknown',
        reviewWarnings: row.id.warnings.map((w) => w.code),
        note: row.note ?? null,
        source: 'import',
        createdBy: auth?.user.id ?? null,
        createdAt: now,
        updatedAt: now,
      });
      if (!inserted) {
        // Another import registered the number a moment ago: report rather than guess.
        outcomes.push({
          kind: 'rejected',
          column: '身份证号码',
          code: 'CONCURRENT_IMPORT',
          message: '该身份证号码正被同时导入，请稍后重试',
        });
        continue;
      }
      await repo.addKeyGroups(trx, id, row.keyGroups);
      await link(trx, scope, id, now);
      await recordAudit(trx, {
        context,
        action: 'person.created',
        entityType: 'person',
        entityId: id,
        details: { source: 'import', importId: options.importId ?? null },
        occurredAt: now,
      });
      outcomes.push({ kind: 'imported', personId: id });
      continue;
    }

    // A known person: fill what is empty, add tags; never silently change what is recorded.
    const changes: Parameters<typeof repo.updatePerson>[2] = { updatedAt: now };
    let conflict: { column: string; message: string } | undefined;
    const consider = <K extends 'householdRegionCode' | 'residenceRegionCode' | 'education'>(
      field: K,
      incoming: string | null | undefined,
      current: string | null,
    ) => {
      if (!incoming || incoming === current) return;
      if (current === null || options.overwrite)
        (changes as Record<string, unknown>)[field] = incoming;
      else
        conflict ??= {
          column: COLUMN[field],
          message: `与已登记的${COLUMN[field]}不一致（勾选“覆盖”以更新）`,
        };
    };
    if (row.name !== existing.name) {
      if (options.overwrite) changes.name = row.name;
      else
        conflict = {
          column: COLUMN.name,
          message: `姓名与已登记的“${existing.name}”不一致（勾选“覆盖”以更新）`,
        };
    }
    if (row.phone && phoneBidx !== existing.phoneBidx) {
      if (existing.phoneBidx === null || options.overwrite) {
        changes.phoneEnc = deps.pii.encrypt('person.phone', row.phone);
        changes.phoneBidx = phoneBidx;
        changes.phoneMasked = maskPhone(row.phone);
      } else
        conflict ??= {
          column: COLUMN.phone,
          message: '手机号码与已登记的不一致（勾选“覆盖”以更新）',
        };
    }
    consider('householdRegionCode', row.householdRegionCode, existing.householdRegionCode);
    consider('residenceRegionCode', row.residenceRegionCode, existing.residenceRegionCode);
    consider('education', row.education, existing.education);
    if (row.employmentStatus && row.employmentStatus !== existing.employmentStatus) {
      if (existing.employmentStatus === 'unknown' || options.overwrite)
        changes.employmentStatus = row.employmentStatus;
      else
        conflict ??= {
          column: COLUMN.employmentStatus,
          message: '就业状态与已登记的不一致（勾选“覆盖”以更新）',
        };
    }
    if (row.note && !existing.note) changes.note = row.note;
    if (conflict) {
      outcomes.push({
        kind: 'rejected',
        column: conflict.column,
        code: conflict.column === COLUMN.name ? 'NAME_CONFLICT' : 'FIELD_CONFLICT',
        message: conflict.message,
      });
      continue;
    }
    if (changes.householdRegionCode !== undefined || changes.residenceRegionCode !== undefined) {
      changes.regionCode = regionOf(
        counties,
        changes.residenceRegionCode ?? existing.residenceRegionCode,
        changes.householdRegionCode ?? existing.householdRegionCode,
      );
    }
    const newGroups = row.keyGroups.filter((g) => !(existing.keyGroups ?? []).includes(g));
    const changed = Object.keys(changes).length > 1 || newGroups.length > 0;
    const alreadyLinked = await isLinked(trx, scope, existing.id);
    if (!alreadyLinked) await link(trx, scope, existing.id, now);
    if (!changed) {
      outcomes.push({ kind: 'unchanged', personId: existing.id });
      continue;
    }
    if (Object.keys(changes).length > 1) await repo.updatePerson(trx, existing.id, changes);
    await repo.addKeyGroups(trx, existing.id, newGroups);
    const after = await repo.findPerson(trx, { kind: 'city' }, existing.id);
    await recordAudit(trx, {
      context,
      action: 'person.updated',
      entityType: 'person',
      entityId: existing.id,
      before: personView(existing),
      after: after ? personView(after) : null,
      details: { source: 'import', importId: options.importId ?? null },
      occurredAt: now,
    });
    outcomes.push({ kind: 'updated', personId: existing.id });
  }
  return outcomes;
}

async function link(trx: Trx, scope: Scope, personId: string, at: Date) {
  if (scope.kind === 'unit') await repo.linkPerson(trx, personId, 'unit', scope.unitId, at);
  if (scope.kind === 'organisation')
    await repo.linkPerson(trx, personId, 'organisation', scope.organisationId, at);
}

async function isLinked(trx: Trx, scope: Scope, personId: string): Promise<boolean> {
  if (scope.kind !== 'unit' && scope.kind !== 'organisation') return true;
  const scopeId = scope.kind === 'unit' ? scope.unitId : scope.organisationId;
  const row = await trx
    .selectFrom('personLinks')
    .select('personId')
    .where('personId', '=', personId)
    .where('scopeKind', '=', scope.kind)
    .where('scopeId', '=', scopeId)
    .executeTakeFirst();
  return row !== undefined;
}
