import type { Trx } from '../../platform/db.js';
import { uuidv7 } from '../../platform/ids.js';
import { maskIdNumber, maskPhone } from '../../platform/crypto/index.js';
import type { Scope } from '../../platform/auth/roles.js';
import { recordAuditMany } from '../audit/audit.service.js';
import type { AuthContext } from '../auth/auth.service.js';
import type { IdNumberValid } from './id-number.rules.js';
import * as repo from './persons.repository.js';
import type { Education, EmploymentStatus } from './persons.schema.js';
import { auditContext, personView, type PersonDeps } from './persons.service.js';

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

interface ReferenceMaps {
  counties: Map<string, string>;
  keyGroups: Set<string>;
}

// An import calls in batches on one transaction: load the catalogs once per transaction.
const referenceMaps = new WeakMap<Trx, Promise<ReferenceMaps>>();

function loadReferenceMaps(trx: Trx): Promise<ReferenceMaps> {
  let maps = referenceMaps.get(trx);
  if (!maps) {
    maps = (async () => {
      const rows = await trx
        .selectFrom('regions')
        .select(['code', 'level', 'parentCode'])
        .execute();
      return {
        counties: new Map(
          rows.map((r) => [r.code, r.level === 4 ? (r.parentCode ?? r.code) : r.code]),
        ),
        keyGroups: await repo.knownKeyGroups(trx),
      };
    })();
    referenceMaps.set(trx, maps);
  }
  return maps;
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

function rejected(column: string, code: string, message: string): PersonImportOutcome {
  return { kind: 'rejected', column, code, message };
}

/**
 * Applies roster rows inside the import's transaction: new ID numbers are registered, known ones
 * get their empty fields filled and tags added, and a row that would change a name or another
 * recorded field is rejected unless `overwrite` is chosen. Rows of persons outside a county
 * administrator's county are rejected. Every change is audited like a manual one.
 *
 * Works set-at-a-time — one locking read for the batch's known persons, one insert each for new
 * persons, their tags, links and audit rows — because an import is many thousand rows.
 */
export async function importPersonRows(
  trx: Trx,
  deps: PersonDeps,
  auth: AuthContext | null,
  rows: PersonImportRow[],
  options: { overwrite: boolean; importId?: string },
): Promise<PersonImportOutcome[]> {
  const scope: Scope = auth?.scope ?? { kind: 'city' };
  const { counties, keyGroups } = await loadReferenceMaps(trx);
  const now = deps.clock.now();
  const context = auditContext(auth, { requestId: options.importId ?? null, ip: null });
  const details = { source: 'import', importId: options.importId ?? null };
  const outcomes: (PersonImportOutcome | undefined)[] = new Array(rows.length);

  // 1. Row checks that need no database.
  const candidates: { index: number; row: PersonImportRow; bidx: string; regionCode: string }[] =
    [];
  rows.forEach((row, index) => {
    const unknownGroup = row.keyGroups.find((g) => !keyGroups.has(g));
    if (unknownGroup !== undefined) {
      outcomes[index] = rejected(
        '人员类别',
        'UNKNOWN_KEY_GROUP',
        `未知的人员类别“${unknownGroup}”`,
      );
      return;
    }
    let regionCode = regionOf(counties, row.residenceRegionCode, row.householdRegionCode);
    if (regionCode === CITY && scope.kind === 'region') regionCode = scope.regionCode;
    if (scope.kind === 'region' && regionCode !== scope.regionCode) {
      outcomes[index] = rejected(
        COLUMN.region,
        'OUT_OF_SCOPE',
        '该人员不属于本县（市、区），请由其所在县区导入',
      );
      return;
    }
    candidates.push({
      index,
      row,
      bidx: deps.pii.blindIndex('id_number', row.id.idNumber),
      regionCode,
    });
  });

  // 2. Who is already registered (locked, so a concurrent manual edit waits for the import).
  const existing = new Map(
    (
      await repo.lockPersonsByBlindIndexes(
        trx,
        candidates.map((c) => c.bidx),
      )
    ).map((p) => [p.idNumberBidx, p]),
  );

  // 3. New persons, inserted together.
  const fresh = candidates.filter((c) => !existing.has(c.bidx));
  const newRows = fresh.map((c) => ({
    candidate: c,
    person: {
      id: uuidv7(),
      idNumberEnc: deps.pii.encrypt('person.id_number', c.row.id.idNumber),
      idNumberBidx: c.bidx,
      idNumberMasked: maskIdNumber(c.row.id.idNumber),
      name: c.row.name,
      sex: c.row.id.sex,
      birthDate: c.row.id.birthDate,
      idRegionCode: c.row.id.regionCode,
      phoneEnc: c.row.phone ? deps.pii.encrypt('person.phone', c.row.phone) : null,
      phoneBidx: c.row.phone ? deps.pii.blindIndex('phone', c.row.phone) : null,
      phoneMasked: c.row.phone ? maskPhone(c.row.phone) : null,
      householdRegionCode: c.row.householdRegionCode ?? null,
      residenceRegionCode: c.row.residenceRegionCode ?? null,
      regionCode: c.regionCode,
      education: c.row.education ?? null,
      employmentStatus: c.row.employmentStatus ?? ('unknown' as const),
      reviewWarnings: c.row.id.warnings.map((w) => w.code),
      note: c.row.note ?? null,
      source: 'import' as const,
      createdBy: auth?.user.id ?? null,
      createdAt: now,
      updatedAt: now,
    },
  }));
  const inserted = new Set(
    await repo.insertPersons(
      trx,
      newRows.map((n) => n.person),
    ),
  );
  const created = newRows.filter((n) => inserted.has(n.person.idNumberBidx));
  for (const n of newRows) {
    outcomes[n.candidate.index] = inserted.has(n.person.idNumberBidx)
      ? { kind: 'imported', personId: n.person.id }
      : // Registered by someone else a moment ago: report rather than guess.
        rejected('身份证号码', 'CONCURRENT_IMPORT', '该身份证号码正被同时导入，请稍后重试');
  }
  await repo.addKeyGroupsMany(
    trx,
    created.flatMap((n) =>
      n.candidate.row.keyGroups.map((keyGroupCode) => ({ personId: n.person.id, keyGroupCode })),
    ),
  );

  // 4. Known persons: fill what is empty, add tags; never silently change what is recorded.
  const audits: Parameters<typeof recordAuditMany>[1] = created.map((n) => ({
    context,
    action: 'person.created' as const,
    entityType: 'person',
    entityId: n.person.id,
    details,
    occurredAt: now,
  }));
  for (const c of candidates) {
    const person = existing.get(c.bidx);
    if (!person) continue;
    // Someone registered in another county stays that county's to change.
    if (scope.kind === 'region' && person.regionCode !== scope.regionCode) {
      outcomes[c.index] = rejected(
        COLUMN.region,
        'OUT_OF_SCOPE',
        '该人员已登记在其他县（市、区），请由其所在县区维护',
      );
      continue;
    }
    const result = diffKnownPerson(deps, person, c.row, counties, options.overwrite, now);
    if ('conflict' in result) {
      outcomes[c.index] = rejected(
        result.conflict.column,
        result.conflict.code,
        result.conflict.message,
      );
      continue;
    }
    if (!result.changed) {
      outcomes[c.index] = { kind: 'unchanged', personId: person.id };
      continue;
    }
    if (Object.keys(result.changes).length > 1)
      await repo.updatePerson(trx, person.id, result.changes);
    await repo.addKeyGroups(trx, person.id, result.newGroups);
    const after = await repo.findPerson(trx, { kind: 'city' }, person.id);
    audits.push({
      context,
      action: 'person.updated',
      entityType: 'person',
      entityId: person.id,
      before: personView(person),
      after: after ? personView(after) : null,
      details,
      occurredAt: now,
    });
    outcomes[c.index] = { kind: 'updated', personId: person.id };
  }

  // 5. The caller's unit or organisation sees every person its import touched.
  if (scope.kind === 'unit' || scope.kind === 'organisation') {
    const scopeId = scope.kind === 'unit' ? scope.unitId : scope.organisationId;
    const personIds = outcomes.flatMap((o) => (o && o.kind !== 'rejected' ? [o.personId] : []));
    await repo.linkPersons(trx, personIds, scope.kind, scopeId, now);
  }
  await recordAuditMany(trx, audits);
  return outcomes.map((o) => o ?? rejected('', 'INTERNAL', '未处理的行'));
}

type KnownPerson = Awaited<ReturnType<typeof repo.lockPersonsByBlindIndexes>>[number];

/** What an import row would change on a registered person, or the conflict that stops it. */
function diffKnownPerson(
  deps: PersonDeps,
  person: KnownPerson,
  row: PersonImportRow,
  counties: Map<string, string>,
  overwrite: boolean,
  now: Date,
):
  | { conflict: { column: string; code: string; message: string } }
  | { changed: boolean; changes: Parameters<typeof repo.updatePerson>[2]; newGroups: string[] } {
  const changes: Parameters<typeof repo.updatePerson>[2] = { updatedAt: now };
  let conflict: { column: string; code: string; message: string } | undefined;
  const fieldConflict = (column: string) => ({
    column,
    code: 'FIELD_CONFLICT',
    message: `与已登记的${column}不一致（勾选“覆盖”以更新）`,
  });
  if (row.name !== person.name) {
    if (overwrite) changes.name = row.name;
    else
      conflict = {
        column: COLUMN.name,
        code: 'NAME_CONFLICT',
        message: `姓名与已登记的“${person.name}”不一致（勾选“覆盖”以更新）`,
      };
  }
  const phoneBidx = row.phone ? deps.pii.blindIndex('phone', row.phone) : null;
  if (row.phone && phoneBidx !== person.phoneBidx) {
    if (person.phoneBidx === null || overwrite) {
      changes.phoneEnc = deps.pii.encrypt('person.phone', row.phone);
      changes.phoneBidx = phoneBidx;
      changes.phoneMasked = maskPhone(row.phone);
    } else conflict ??= fieldConflict(COLUMN.phone);
  }
  for (const field of ['householdRegionCode', 'residenceRegionCode', 'education'] as const) {
    const incoming = row[field];
    const current = person[field];
    if (!incoming || incoming === current) continue;
    if (current === null || overwrite) (changes as Record<string, unknown>)[field] = incoming;
    else conflict ??= fieldConflict(COLUMN[field]);
  }
  if (row.employmentStatus && row.employmentStatus !== person.employmentStatus) {
    if (person.employmentStatus === 'unknown' || overwrite)
      changes.employmentStatus = row.employmentStatus;
    else conflict ??= fieldConflict(COLUMN.employmentStatus);
  }
  if (row.note && !person.note) changes.note = row.note;
  if (conflict) return { conflict };
  if (changes.householdRegionCode !== undefined || changes.residenceRegionCode !== undefined) {
    changes.regionCode = regionOf(
      counties,
      changes.residenceRegionCode ?? person.residenceRegionCode,
      changes.householdRegionCode ?? person.householdRegionCode,
    );
  }
  const newGroups = row.keyGroups.filter((g) => !(person.keyGroups ?? []).includes(g));
  return { changed: Object.keys(changes).length > 1 || newGroups.length > 0, changes, newGroups };
}
