import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Db, DbOrTrx, Trx } from '../../platform/db.js';
import { DomainError, type FieldError } from '../../platform/errors.js';
import ExcelJS from '../../platform/excel.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordAuditMany } from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import { inspectUpload } from '../imports/imports.guard.js';
import { readXlsxRows, type SheetRow } from '../imports/imports.xlsx.js';
import { TARGETS_SOURCE } from '../reference/reference.loader.js';
import * as statisticsRepo from './statistics.repository.js';

/*
 * Targets administration (R-TGT-1): later years' unit targets entered on screen or by Excel, and
 * the employed persons per county-level unit (the denominator of 持证率). Targets are stored in
 * persons; the annexes print 万 (0.448万 = 4480), so the workbook speaks 万 and this module converts
 * with decimal text, never floats. 2022's annex rows are reference data and stay as loaded.
 */

/** The annex source of 2022's targets: rows with it are not edited here. */
export const ANNEX_SOURCE = TARGETS_SOURCE;

export interface TargetValues {
  trainingPersonTimes: number;
  newSkilled: number;
  newHighSkilled: number;
}

export interface TargetInput extends TargetValues {
  unitId: string;
}

// ---------------------------------------------------------------------------------------------
// Pure rules

/** The most a target may be: 10 million persons (the whole city is under 8 million people). */
export const MAX_TARGET = 10_000_000;

/**
 * A number of 万 as written (`0.448`, `1.55`, `3`) in persons (4480, 15500, 30000), by decimal
 * text so no binary fraction creeps in. At most 4 decimals (one person); answers a message
 * otherwise.
 */
export function tenThousandsToPersons(text: string):
  | { ok: true; persons: number }
  | {
      ok: false;
      message: string;
    } {
  const value = text.trim().replace(/,/g, '');
  if (value === '') return { ok: false, message: '必填（单位：万）' };
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return { ok: false, message: `“${value}”不是不小于 0 的数字（单位：万）` };
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 4) {
    return { ok: false, message: `“${value}”超过 4 位小数：以万为单位时最小为 0.0001 万（1 人）` };
  }
  const persons = Number(match[1]) * 10_000 + Number(fraction.padEnd(4, '0'));
  if (!Number.isSafeInteger(persons) || persons > MAX_TARGET) {
    return { ok: false, message: `“${value}”过大` };
  }
  return { ok: true, persons };
}

/** Persons as the annex prints them, in 万 without trailing zeros: 4480 → "0.448". */
export function personsToTenThousands(persons: number): string {
  const whole = Math.floor(persons / 10_000);
  const fraction = String(persons % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}

/** The problems of one unit's targets: new high-skilled talents are among the new skilled. */
export function targetProblems(
  values: TargetValues,
): { field: keyof TargetValues; message: string }[] {
  return values.newHighSkilled > values.newSkilled
    ? [{ field: 'newHighSkilled', message: 'new high-skilled talents exceed new skilled talents' }]
    : [];
}

// ---------------------------------------------------------------------------------------------
// Reads

async function unitsOf(db: DbOrTrx) {
  return db
    .selectFrom('responsibleUnits')
    .select(['id', 'annex', 'seq', 'canonicalName', 'seedName', 'aliases', 'kind'])
    .orderBy(sql`annex IS NULL`)
    .orderBy('annex')
    .orderBy('seq')
    .orderBy('id')
    .execute();
}

/** Every responsible unit with its targets of `year` (null when none are entered). */
export async function targetsOfYear(db: DbOrTrx, year: number) {
  const rows = await statisticsRepo.unitsWithTargets(db, year);
  return {
    year,
    annexSource: ANNEX_SOURCE,
    units: rows.map((r) => ({
      unitId: r.id,
      annex: r.annex,
      seq: r.seq,
      name: r.canonicalName,
      kind: r.kind,
      targets:
        r.trainingPersonTimes === null || r.newSkilled === null || r.newHighSkilled === null
          ? null
          : {
              trainingPersonTimes: r.trainingPersonTimes,
              newSkilled: r.newSkilled,
              newHighSkilled: r.newHighSkilled,
            },
      source: r.source,
      fromAnnex: r.source === ANNEX_SOURCE,
      updatedAt: r.updatedAt ? r.updatedAt.toISOString() : null,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Writes

/**
 * Checks a set of targets against the units and the annex rows: unknown units and bad pairs are
 * 400 with the row path, an annex row is 409 TARGETS_FROM_ANNEX. `pathOf` names a row's field.
 */
async function checkTargets(
  db: DbOrTrx,
  year: number,
  rows: readonly TargetInput[],
  pathOf: (index: number, field: keyof TargetInput) => string,
) {
  const known = new Set((await unitsOf(db)).map((u) => u.id));
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    if (!known.has(row.unitId)) {
      errors.push({
        path: pathOf(index, 'unitId'),
        message: `no responsible unit “${row.unitId}”`,
      });
    } else if (seen.has(row.unitId)) {
      errors.push({ path: pathOf(index, 'unitId'), message: 'the unit is listed twice' });
    }
    seen.add(row.unitId);
    for (const problem of targetProblems(row)) {
      errors.push({ path: pathOf(index, problem.field), message: problem.message });
    }
  });
  const unknown = errors.filter((e) => e.message.startsWith('no responsible unit'));
  if (unknown.length > 0) {
    throw new DomainError('UNIT_UNKNOWN', 'Some rows name no responsible unit', unknown);
  }
  if (errors.length > 0)
    throw new DomainError('VALIDATION_FAILED', 'Some targets are invalid', errors);
  const ids = rows.map((r) => r.unitId);
  const annexRows =
    ids.length === 0
      ? []
      : await db
          .selectFrom('unitTargets')
          .select('unitId')
          .where('year', '=', year)
          .where('unitId', 'in', ids)
          .where('source', '=', ANNEX_SOURCE)
          .execute();
  if (annexRows.length > 0) {
    const annexIds = new Set(annexRows.map((r) => r.unitId));
    throw new DomainError(
      'TARGETS_FROM_ANNEX',
      `The ${year} targets of these units come from the policy's annexes and cannot be changed`,
      rows.flatMap((row, index) =>
        annexIds.has(row.unitId)
          ? [{ path: pathOf(index, 'unitId'), message: `${row.unitId}: ${ANNEX_SOURCE}` }]
          : [],
      ),
    );
  }
}

function checkSource(source: string, path: string): string {
  const value = source.trim();
  if (value === '') {
    throw new DomainError('VALIDATION_FAILED', 'Say where the targets come from', [
      { path, message: 'required' },
    ]);
  }
  if (value === ANNEX_SOURCE) {
    throw new DomainError('VALIDATION_FAILED', 'Only the reference data carries the annex source', [
      { path, message: 'name the document these targets come from' },
    ]);
  }
  return value;
}

async function writeTargets(
  trx: Trx,
  year: number,
  rows: readonly TargetInput[],
  source: string,
  auth: AuthContext,
  meta: RequestMeta,
  now: Date,
  via: 'screen' | 'upload',
) {
  const ids = rows.map((r) => r.unitId);
  const old = new Map(
    (ids.length === 0
      ? []
      : await trx
          .selectFrom('unitTargets')
          .select(['unitId', 'trainingPersonTimes', 'newSkilled', 'newHighSkilled', 'source'])
          .where('year', '=', year)
          .where('unitId', 'in', ids)
          .forUpdate()
          .execute()
    ).map((r) => [r.unitId, r]),
  );
  const changed = rows.filter((row) => {
    const before = old.get(row.unitId);
    return (
      !before ||
      before.trainingPersonTimes !== row.trainingPersonTimes ||
      before.newSkilled !== row.newSkilled ||
      before.newHighSkilled !== row.newHighSkilled ||
      before.source !== source
    );
  });
  if (changed.length === 0) return 0;
  await trx
    .insertInto('unitTargets')
    .values(
      changed.map((row) => ({
        unitId: row.unitId,
        year,
        trainingPersonTimes: row.trainingPersonTimes,
        newSkilled: row.newSkilled,
        newHighSkilled: row.newHighSkilled,
        source,
        updatedAt: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['unitId', 'year']).doUpdateSet((eb) => ({
        trainingPersonTimes: eb.ref('excluded.trainingPersonTimes'),
        newSkilled: eb.ref('excluded.newSkilled'),
        newHighSkilled: eb.ref('excluded.newHighSkilled'),
        source: eb.ref('excluded.source'),
        updatedAt: eb.ref('excluded.updatedAt'),
      })),
    )
    .execute();
  const context = auditContextOf(auth, meta);
  await recordAuditMany(
    trx,
    changed.map((row) => {
      const before = old.get(row.unitId);
      return {
        context,
        action: 'targets.updated' as const,
        entityType: 'unit_targets',
        entityId: `${row.unitId}/${year}`,
        before: before
          ? {
              trainingPersonTimes: before.trainingPersonTimes,
              newSkilled: before.newSkilled,
              newHighSkilled: before.newHighSkilled,
              source: before.source,
            }
          : null,
        after: {
          trainingPersonTimes: row.trainingPersonTimes,
          newSkilled: row.newSkilled,
          newHighSkilled: row.newHighSkilled,
          source,
        },
        details: { year, unitId: row.unitId, via },
        occurredAt: now,
      };
    }),
  );
  return changed.length;
}

/**
 * Enters or changes the targets of the units sent for `year` (the others stay as they are), in
 * one transaction with one audit row per changed unit. Answers the year's targets.
 */
export async function saveTargets(
  db: Db,
  clock: Clock,
  auth: AuthContext,
  year: number,
  body: { units: TargetInput[]; source: string },
  meta: RequestMeta,
) {
  const source = checkSource(body.source, '/body/source');
  await db.transaction().execute(async (trx) => {
    await checkTargets(trx, year, body.units, (i, field) => `/body/units/${i}/${field}`);
    await writeTargets(trx, year, body.units, source, auth, meta, clock.now(), 'screen');
  });
  return targetsOfYear(db, year);
}

// ---------------------------------------------------------------------------------------------
// The workbook

export const TEMPLATE_HEADERS = {
  annex: '附件',
  seq: '序号',
  unit: '责任单位',
  training: '职业技能培训（万人次）',
  skilled: '新增技能人才（万人）',
  highSkilled: '新增高技能人才（万人）',
} as const;

/** The upload's target columns, each with the field it fills. */
const VALUE_COLUMNS = [
  ['training', 'trainingPersonTimes'],
  ['skilled', 'newSkilled'],
  ['highSkilled', 'newHighSkilled'],
] as const;

/** The targets workbook of `year`: every unit, its current targets in 万, ready to fill in. */
export async function targetsTemplate(db: DbOrTrx, year: number): Promise<Buffer> {
  const { units } = await targetsOfYear(db, year);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Jineng';
  const sheet = workbook.addWorksheet(`${year}年目标任务`, {
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  sheet.columns = [
    { width: 8 },
    { width: 8 },
    { width: 28 },
    { width: 22, style: { numFmt: '@' } },
    { width: 22, style: { numFmt: '@' } },
    { width: 24, style: { numFmt: '@' } },
  ];
  sheet.addRow([`${year}年技能人才培养目标任务（单位：万人次、万人）`]);
  sheet.mergeCells(1, 1, 1, 6);
  sheet.getRow(1).font = { bold: true, size: 14 };
  sheet.getRow(1).alignment = { horizontal: 'center' };
  const header = sheet.addRow(Object.values(TEMPLATE_HEADERS));
  header.font = { bold: true };
  for (const unit of units) {
    sheet.addRow([
      unit.annex === null ? '' : String(unit.annex),
      unit.seq === null ? '' : String(unit.seq),
      unit.name,
      unit.targets ? personsToTenThousands(unit.targets.trainingPersonTimes) : '',
      unit.targets ? personsToTenThousands(unit.targets.newSkilled) : '',
      unit.targets ? personsToTenThousands(unit.targets.newHighSkilled) : '',
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface UploadProblem {
  row: number;
  column: string;
  message: string;
}

export interface ParsedUpload {
  rows: Array<TargetInput & { row: number; name: string }>;
  errors: UploadProblem[];
}

/** Rows of a totals line or left blank: passed over. */
const TOTAL_NAMES = new Set(['合计', '总计', '小计']);

/**
 * Reads the targets workbook's rows (text, with Excel's row numbers): a header row among the
 * first five with 责任单位 and the three 万 columns, then one row per unit, matched by its name,
 * seed name or an alias. Every problem is reported with its row and column.
 */
export function parseTargetRows(
  sheetRows: readonly SheetRow[],
  units: ReadonlyArray<{ id: string; canonicalName: string; seedName: string; aliases: string[] }>,
): ParsedUpload {
  const clean = (text: string) => text.replace(/^\*/, '').replace(/\s+/g, '');
  const headerIndex = sheetRows
    .slice(0, 5)
    .findIndex((r) => r.cells.some((c) => clean(c) === TEMPLATE_HEADERS.unit));
  if (headerIndex < 0) {
    return {
      rows: [],
      errors: [
        {
          row: 1,
          column: TEMPLATE_HEADERS.unit,
          message: `没有含“${TEMPLATE_HEADERS.unit}”的表头行`,
        },
      ],
    };
  }
  const header = sheetRows[headerIndex]!.cells.map(clean);
  // Headers may be written with half-width brackets: compare without brackets.
  const bare = (text: string) => text.replace(/[（）()]/g, '');
  const columnOf = (name: string) => header.findIndex((h) => bare(h) === bare(name));
  const errors: UploadProblem[] = [];
  const headerRow = sheetRows[headerIndex]!.rowNumber;
  for (const [key] of VALUE_COLUMNS) {
    if (columnOf(TEMPLATE_HEADERS[key]) < 0) {
      errors.push({ row: headerRow, column: TEMPLATE_HEADERS[key], message: '缺少此列' });
    }
  }
  if (errors.length > 0) return { rows: [], errors };

  const byName = new Map<string, string>();
  for (const unit of units) {
    for (const name of [unit.canonicalName, unit.seedName, ...unit.aliases]) {
      byName.set(clean(name), unit.id);
    }
  }
  const unitColumn = columnOf(TEMPLATE_HEADERS.unit);
  const rows: ParsedUpload['rows'] = [];
  const firstRowOf = new Map<string, number>();
  for (const sheetRow of sheetRows.slice(headerIndex + 1)) {
    const cell = (index: number) => (sheetRow.cells[index] ?? '').trim();
    const name = cell(unitColumn);
    const values = VALUE_COLUMNS.map(([key]) => cell(columnOf(TEMPLATE_HEADERS[key])));
    if (name === '' && values.every((v) => v === '')) continue;
    if (TOTAL_NAMES.has(clean(name))) continue;
    const rowErrors: UploadProblem[] = [];
    const unitId = byName.get(clean(name));
    if (name === '') {
      rowErrors.push({ row: sheetRow.rowNumber, column: TEMPLATE_HEADERS.unit, message: '必填' });
    } else if (unitId === undefined) {
      rowErrors.push({
        row: sheetRow.rowNumber,
        column: TEMPLATE_HEADERS.unit,
        message: `“${name}”不是责任单位的名称或别名`,
      });
    } else if (firstRowOf.has(unitId)) {
      rowErrors.push({
        row: sheetRow.rowNumber,
        column: TEMPLATE_HEADERS.unit,
        message: `与第 ${firstRowOf.get(unitId)} 行是同一单位`,
      });
    } else {
      firstRowOf.set(unitId, sheetRow.rowNumber);
    }
    const parsed: Partial<TargetValues> = {};
    VALUE_COLUMNS.forEach(([key, field], index) => {
      const result = tenThousandsToPersons(values[index] ?? '');
      if (result.ok) parsed[field] = result.persons;
      else
        rowErrors.push({
          row: sheetRow.rowNumber,
          column: TEMPLATE_HEADERS[key],
          message: result.message,
        });
    });
    const complete =
      parsed.trainingPersonTimes !== undefined &&
      parsed.newSkilled !== undefined &&
      parsed.newHighSkilled !== undefined;
    if (
      parsed.newSkilled !== undefined &&
      parsed.newHighSkilled !== undefined &&
      parsed.newHighSkilled > parsed.newSkilled
    ) {
      rowErrors.push({
        row: sheetRow.rowNumber,
        column: TEMPLATE_HEADERS.highSkilled,
        message: '新增高技能人才不能多于新增技能人才',
      });
    }
    if (rowErrors.length > 0 || unitId === undefined || !complete) {
      errors.push(...rowErrors);
      continue;
    }
    rows.push({ row: sheetRow.rowNumber, name, unitId, ...(parsed as TargetValues) });
  }
  return { rows, errors };
}

/** A targets workbook has a row per unit: a few dozen. */
const MAX_UPLOAD_ROWS = 500;

/**
 * Reads an uploaded targets workbook for `year` and, unless `dryRun` or any row fails, writes
 * its rows as saveTargets does (nothing is written when one row fails). Answers the row-by-row
 * report.
 */
export async function uploadTargets(
  db: Db,
  clock: Clock,
  auth: AuthContext,
  year: number,
  file: { path: string; name: string },
  options: { dryRun: boolean; source?: string },
  meta: RequestMeta,
) {
  const source = checkSource(options.source ?? `Excel 上传：${file.name}`, '/query/source');
  const inspected = await inspectUpload(file.path, file.name);
  if (inspected.format !== 'xlsx') {
    throw new DomainError('UNSUPPORTED_FILE_TYPE', 'Upload the targets as an .xlsx workbook');
  }
  const sheetRows: SheetRow[] = [];
  let tooMany = false;
  // Read to the end even past the cap: exceljs cleans up after a sheet read whole.
  for await (const row of readXlsxRows(file.path)) {
    if (sheetRows.length < MAX_UPLOAD_ROWS) sheetRows.push(row);
    else tooMany = true;
  }
  if (tooMany) {
    throw new DomainError('VALIDATION_FAILED', 'Too many rows for a targets workbook', [
      { path: '/body/file', message: `at most ${MAX_UPLOAD_ROWS} rows` },
    ]);
  }
  const parsed = parseTargetRows(sheetRows, await unitsOf(db));
  const report = (status: 'dry_run' | 'committed' | 'failed', written: number) => ({
    year,
    fileName: file.name,
    source,
    status,
    written,
    rows: parsed.rows,
    errors: parsed.errors,
  });
  if (parsed.errors.length > 0) return report('failed', 0);
  const inputs = parsed.rows.map(({ unitId, trainingPersonTimes, newSkilled, newHighSkilled }) => ({
    unitId,
    trainingPersonTimes,
    newSkilled,
    newHighSkilled,
  }));
  const rowNumberOf = (index: number) => parsed.rows[index]?.row ?? 0;
  const pathOf = (index: number) => `/body/file/rows/${rowNumberOf(index)}`;
  if (options.dryRun) {
    await checkTargets(db, year, inputs, pathOf);
    return report('dry_run', 0);
  }
  const written = await db.transaction().execute(async (trx) => {
    await checkTargets(trx, year, inputs, pathOf);
    return writeTargets(trx, year, inputs, source, auth, meta, clock.now(), 'upload');
  });
  return report('committed', written);
}

// ---------------------------------------------------------------------------------------------
// Employed persons (持证率 denominator)

/** The county-level units and the city (unitId null) with the employed persons of `year`. */
export async function employedOfYear(db: DbOrTrx, year: number) {
  const units = await statisticsRepo.countyUnits(db);
  const byUnit = await statisticsRepo.employedOfYear(db, year);
  const rowOf = (unitId: string | null, name: string) => {
    const e = byUnit.get(unitId);
    return {
      unitId,
      name,
      persons: e?.persons ?? null,
      source: e?.source ?? null,
      updatedAt: e ? e.updatedAt.toISOString() : null,
    };
  };
  return {
    year,
    rows: [rowOf(null, '商丘市'), ...units.map((u) => rowOf(u.id, u.canonicalName))],
  };
}

/**
 * Enters or changes the employed persons of the county-level units (or the city: unitId null)
 * sent for `year`, in one transaction with one audit row per changed row.
 */
export async function saveEmployed(
  db: Db,
  clock: Clock,
  auth: AuthContext,
  year: number,
  body: { rows: Array<{ unitId: string | null; persons: number; source: string }> },
  meta: RequestMeta,
) {
  const counties = new Set(
    (
      await db.selectFrom('responsibleUnits').select('id').where('kind', '=', 'county').execute()
    ).map((u) => u.id),
  );
  const errors: FieldError[] = [];
  const seen = new Set<string | null>();
  body.rows.forEach((row, index) => {
    if (row.unitId !== null && !counties.has(row.unitId)) {
      errors.push({ path: `/body/rows/${index}/unitId`, message: 'not a county-level unit' });
    } else if (seen.has(row.unitId)) {
      errors.push({ path: `/body/rows/${index}/unitId`, message: 'listed twice' });
    }
    seen.add(row.unitId);
    if (row.source.trim() === '') {
      errors.push({ path: `/body/rows/${index}/source`, message: 'required' });
    }
  });
  if (errors.some((e) => e.message === 'not a county-level unit')) {
    throw new DomainError(
      'UNIT_UNKNOWN',
      'Employed persons are entered per county-level unit or for the city',
      errors,
    );
  }
  if (errors.length > 0)
    throw new DomainError('VALIDATION_FAILED', 'Some rows are invalid', errors);
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    const old = await trx
      .selectFrom('employedPersons')
      .select(['unitId', 'persons', 'source'])
      .where('year', '=', year)
      .forUpdate()
      .execute();
    const oldOf = new Map(old.map((o) => [o.unitId, o]));
    const changed = body.rows
      .map((row) => ({ ...row, source: row.source.trim() }))
      .filter((row) => {
        const before = oldOf.get(row.unitId);
        return !before || before.persons !== row.persons || before.source !== row.source;
      });
    if (changed.length === 0) return;
    await trx
      .insertInto('employedPersons')
      .values(
        changed.map((row) => ({
          id: uuidv7(),
          unitId: row.unitId,
          year,
          persons: row.persons,
          source: row.source,
          updatedBy: auth.user.id,
          updatedAt: now,
        })),
      )
      .onConflict((oc) =>
        oc.constraint('employed_persons_key').doUpdateSet((eb) => ({
          persons: eb.ref('excluded.persons'),
          source: eb.ref('excluded.source'),
          updatedBy: eb.ref('excluded.updatedBy'),
          updatedAt: eb.ref('excluded.updatedAt'),
        })),
      )
      .execute();
    const context = auditContextOf(auth, meta);
    await recordAuditMany(
      trx,
      changed.map((row) => {
        const before = oldOf.get(row.unitId);
        return {
          context,
          action: 'targets.employed.updated' as const,
          entityType: 'employed_persons',
          entityId: `${row.unitId ?? 'city'}/${year}`,
          before: before ? { persons: before.persons, source: before.source } : null,
          after: { persons: row.persons, source: row.source },
          details: { year, unitId: row.unitId },
          occurredAt: now,
        };
      }),
    );
  });
  return employedOfYear(db, year);
}
