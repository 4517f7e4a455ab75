import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock } from '../../platform/clock.js';
import type { Db, Trx } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PiiCipher } from '../../platform/crypto/index.js';
import type { Scope } from '../../platform/auth/roles.js';
import { maskIdNumbersInText, recordAudit } from '../audit/index.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import { readCsvRows } from './imports.csv.js';
import { inspectUpload, IMPORT_LIMITS, type UploadLimits } from './imports.guard.js';
import { mapHeaders, type HeaderMapping, type HeaderSpec } from './imports.headers.js';
import * as repo from './imports.repository.js';
import type { RowProblem } from './imports.rows.js';
import type { ImportKind, ImportStatus, RejectedCell } from './imports.schema.js';
import { FailedRowsWriter } from './imports.workbook.js';
import { readXlsxRows } from './imports.xlsx.js';

export interface ImportDeps {
  db: Db;
  pii: PiiCipher;
  clock: Clock;
}

/** An uploaded file on disk (a 0600 temp file for HTTP uploads) and the name it came with. */
export interface ImportFile {
  path: string;
  name: string;
}

export interface ImportProgress {
  /** Data rows read so far (after the header; blank rows not counted). */
  rows: number;
  /** The spreadsheet row reached, and about how many the file has (see `estimatedRows`). */
  rowNumber: number;
  estimatedRows: number;
}

export interface ImportOptions {
  /** Validate and report only: everything runs, then the transaction is rolled back. */
  dryRun: boolean;
  /** Let the file change names and other recorded fields of known records. */
  overwrite: boolean;
  onProgress?: (progress: ImportProgress) => void;
  limits?: UploadLimits;
  /** Rows per commit call; all batches share one transaction. */
  batchSize?: number;
}

/** The answer to an import, and the report read back later. */
export interface ImportSummary {
  importId: string;
  kind: ImportKind;
  status: ImportStatus;
  fileName: string;
  imported: number;
  updated: number;
  unchanged: number;
  /** Rows rejected (each may have several problems). */
  rejectedRows: number;
  /** Problems found in all; `rejected` holds the first REPORT_LIMIT of them. */
  rejectedTotal: number;
  rejected: RejectedCell[];
  /** Where to download the failed rows (original columns + 失败原因), while kept. */
  failedRowsUrl?: string;
  failedRowsExpiresAt?: string;
  createdAt: string;
  finishedAt: string | null;
}

/** Problems listed in a response and stored with the run; the failed-rows workbook has all. */
export const REPORT_LIMIT = 1000;
/** How long a failed-rows workbook is kept (it holds full ID numbers). */
export const FAILED_FILE_DAYS = 7;
/** Rows before the header that may hold a title (商丘市2026年培训花名册) or notes. */
const HEADER_SEARCH_ROWS = 20;
const DEFAULT_BATCH = 1000;
const FAILED_FILE_FIELD = 'import_failed_files.content';

/** What a committed row became, or why it was refused. */
export type CommitOutcome =
  | { kind: 'imported' | 'updated' | 'unchanged' }
  | { kind: 'rejected'; column: string; code: string; message: string };

export type ParsedRow<F extends string, R> =
  | { kind: 'blank' }
  | { kind: 'example' }
  | { kind: 'row'; dedupeKey: string | undefined; row: R | undefined; problems: RowProblem<F>[] };

/**
 * What differs between importing persons and organisations: the header vocabulary, how a row
 * is parsed (with catalogs loaded once), and how a batch of valid rows is committed.
 */
export interface ImportPipeline<F extends string, R> {
  kind: ImportKind;
  spec: HeaderSpec<F>;
  parse(cells: readonly string[], mapping: HeaderMapping<F>): ParsedRow<F, R>;
  commit(trx: Trx, rows: R[], importId: string): Promise<CommitOutcome[]>;
  /** The message for a repeated key, naming the earlier row. */
  duplicate: { field: F; message: (earlierRow: number) => string };
  /**
   * Runs after the last batch, in the import's transaction, when it commits (never on a dry run):
   * e.g. employment data re-checks subsidy eligibility of the persons it touched.
   */
  finish?(trx: Trx, importId: string): Promise<void>;
}

/** Keeps the outcome of an import while rows stream past, without keeping the rows. */
class Tally {
  imported = 0;
  updated = 0;
  unchanged = 0;
  rejectedRows = 0;
  rejectedTotal = 0;
  rows = 0;
  readonly rejected: RejectedCell[] = [];

  reject(problems: RejectedCell[]): void {
    this.rejectedRows += 1;
    this.rejectedTotal += problems.length;
    for (const problem of problems) {
      if (this.rejected.length >= REPORT_LIMIT) break;
      // The report is stored and shown again later: no full ID number in it (the legacy-number
      // suggestion has one). The failed-rows workbook, encrypted, keeps the full message.
      this.rejected.push({ ...problem, message: maskIdNumbersInText(problem.message) });
    }
  }
}

function scopeOf(auth: AuthContext | null): Scope {
  const scope = auth?.scope ?? { kind: 'city' as const };
  if (scope.kind === 'person') throw new DomainError('FORBIDDEN', 'Workers do not import rosters');
  return scope;
}

function readerFor(format: 'xlsx' | 'csv') {
  return format === 'xlsx' ? readXlsxRows : readCsvRows;
}

/**
 * Runs one import end to end: inspects the upload, streams its rows, parses each, commits the
 * valid ones in batches inside ONE transaction (so they commit together or not at all), and
 * collects rejected rows into the report and an encrypted failed-rows workbook kept 7 days. A
 * dry run does all of it and rolls the transaction back. Memory stays flat: rows are not kept,
 * failed rows stream to a temp file, the report keeps the first REPORT_LIMIT problems.
 *
 * File-level problems (type, size, zip bomb, missing 姓名/身份证号码 columns) throw a
 * DomainError; everything about a single row lands in the report instead.
 */
export async function runImport<F extends string, R>(
  deps: ImportDeps,
  auth: AuthContext | null,
  file: ImportFile,
  options: ImportOptions,
  meta: RequestMeta,
  pipeline: ImportPipeline<F, R>,
): Promise<ImportSummary> {
  const { db, clock } = deps;
  const scope = scopeOf(auth);
  const fileName = path.basename(file.name).slice(0, 255) || 'upload';
  const inspected = await inspectUpload(file.path, fileName, options.limits ?? IMPORT_LIMITS);
  const importId = uuidv7();
  const createdAt = clock.now();
  await repo.insertRun(db, {
    id: importId,
    kind: pipeline.kind,
    status: 'running',
    fileName,
    fileFormat: inspected.format,
    fileSha256: inspected.sha256,
    fileSize: inspected.size,
    overwrite: options.overwrite,
    createdBy: auth?.user.id ?? null,
    ...repo.scopeKey(scope),
    createdAt,
  });

  const workDir = await mkdtemp(path.join(tmpdir(), 'jineng-import-'));
  const tally = new Tally();
  let failed: FailedRowsWriter | undefined;
  const trx = await db.startTransaction().execute();
  let open = true;
  try {
    // One import of a kind at a time: two long transactions inserting the same people in
    // different orders would deadlock, and the second would only find everything `unchanged`.
    await repo.lockImportScope(trx, pipeline.kind);
    let position = 0;
    const report = () =>
      options.onProgress?.({
        rows: tally.rows,
        rowNumber: position,
        estimatedRows: Math.max(inspected.estimatedRows, position),
      });
    const seen = new Map<string, number>();
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    let batch: { rowNumber: number; cells: string[]; row: R }[] = [];
    let mapping: HeaderMapping<F> | undefined;
    let firstNonBlank: string[] | undefined;

    const labelOf = (field: F | null): string => {
      if (field === null || !mapping) return '';
      const index = mapping.columns.get(field);
      return (
        (index === undefined ? undefined : mapping.labels[index]) || pipeline.spec.canonical[field]
      );
    };
    // The persons service names columns by their canonical header; report the file's own.
    const fileLabel = (column: string): string => {
      const field = (Object.keys(pipeline.spec.canonical) as F[]).find(
        (f) => pipeline.spec.canonical[f] === column,
      );
      return field === undefined ? column : labelOf(field);
    };
    const reject = (cells: string[], problems: RejectedCell[]) => {
      if (!mapping) return;
      tally.reject(problems);
      failed ??= FailedRowsWriter.create(path.join(workDir, 'failed.xlsx'), mapping.labels);
      failed.add(
        cells,
        problems.map((p) => (p.column ? `${p.column}：${p.message}` : p.message)).join('；'),
      );
    };
    const flush = async () => {
      if (batch.length === 0) return;
      const current = batch;
      batch = [];
      const outcomes = await pipeline.commit(
        trx,
        current.map((entry) => entry.row),
        importId,
      );
      if (outcomes.length !== current.length) {
        throw new Error(`commit answered ${outcomes.length} outcomes for ${current.length} rows`);
      }
      outcomes.forEach((outcome, index) => {
        const entry = current[index];
        if (!entry) return;
        if (outcome.kind === 'rejected') {
          reject(entry.cells, [
            {
              row: entry.rowNumber,
              column: fileLabel(outcome.column),
              code: outcome.code,
              message: outcome.message,
            },
          ]);
        } else {
          tally[outcome.kind] += 1;
        }
      });
    };

    for await (const { rowNumber, cells } of readerFor(inspected.format)(file.path)) {
      position = rowNumber;
      if (!mapping) {
        if (cells.every((cell) => cell.trim() === '')) continue;
        firstNonBlank ??= cells;
        const candidate = mapHeaders(cells, pipeline.spec);
        if (candidate.missing.length === 0) mapping = candidate;
        else if (rowNumber >= HEADER_SEARCH_ROWS) break;
        continue;
      }
      const parsed = pipeline.parse(cells, mapping);
      if (parsed.kind !== 'row') continue;
      tally.rows += 1;
      const problems: RejectedCell[] = parsed.problems.map((p) => ({
        row: rowNumber,
        column: labelOf(p.field),
        code: p.code,
        message: p.message,
      }));
      if (parsed.dedupeKey !== undefined) {
        const earlier = seen.get(parsed.dedupeKey);
        if (earlier === undefined) seen.set(parsed.dedupeKey, rowNumber);
        else {
          problems.push({
            row: rowNumber,
            column: labelOf(pipeline.duplicate.field),
            code: 'DUPLICATE_IN_FILE',
            message: pipeline.duplicate.message(earlier),
          });
        }
      }
      if (problems.length > 0 || parsed.row === undefined) {
        reject(cells, problems);
      } else {
        batch.push({ rowNumber, cells, row: parsed.row });
        if (batch.length >= batchSize) await flush();
      }
      if (tally.rows % 100 === 0) report();
    }
    if (!mapping) throw missingHeaders(pipeline.spec, firstNonBlank);
    await flush();
    position = Math.max(position, inspected.estimatedRows);
    report();

    const finishedAt = clock.now();
    const hasFailed = failed ? await failed.finish() : false;
    const counts = {
      rowsRead: tally.rows,
      imported: tally.imported,
      updated: tally.updated,
      unchanged: tally.unchanged,
      rejectedRows: tally.rejectedRows,
      rejectedTotal: tally.rejectedTotal,
      rejected: JSON.stringify(tally.rejected),
      finishedAt,
    };
    const storeFailed = async (into: Trx) => {
      if (!hasFailed || !failed) return undefined;
      const bytes = await readFile(failed.file);
      const expiresAt = new Date(finishedAt.getTime() + FAILED_FILE_DAYS * 24 * 3600_000);
      await repo.insertFailedFile(into, {
        importRunId: importId,
        contentEnc: deps.pii.encrypt(FAILED_FILE_FIELD, bytes.toString('base64')),
        sizeBytes: bytes.length,
        rowCount: failed.rows,
        createdAt: finishedAt,
        expiresAt,
      });
      return expiresAt;
    };

    let status: ImportStatus;
    let expiresAt: Date | undefined;
    if (options.dryRun) {
      await trx.rollback().execute();
      open = false;
      status = 'dry_run';
      expiresAt = await db.transaction().execute(async (after) => {
        await repo.updateRun(after, importId, { status, ...counts });
        return storeFailed(after);
      });
    } else {
      status = 'committed';
      await pipeline.finish?.(trx, importId);
      await repo.updateRun(trx, importId, { status, ...counts });
      expiresAt = await storeFailed(trx);
      await recordAudit(trx, {
        context: auditContextOf(auth, meta),
        action: 'import.committed',
        entityType: 'import',
        entityId: importId,
        occurredAt: finishedAt,
        details: {
          kind: pipeline.kind,
          fileName,
          fileSha256: inspected.sha256,
          overwrite: options.overwrite,
          rows: tally.rows,
          imported: tally.imported,
          updated: tally.updated,
          unchanged: tally.unchanged,
          rejectedRows: tally.rejectedRows,
        },
      });
      await trx.commit().execute();
      open = false;
    }
    return {
      importId,
      kind: pipeline.kind,
      status,
      fileName,
      imported: tally.imported,
      updated: tally.updated,
      unchanged: tally.unchanged,
      rejectedRows: tally.rejectedRows,
      rejectedTotal: tally.rejectedTotal,
      rejected: tally.rejected,
      ...(expiresAt
        ? { failedRowsUrl: failedRowsUrl(importId), failedRowsExpiresAt: expiresAt.toISOString() }
        : {}),
      createdAt: createdAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
    };
  } catch (error) {
    if (open)
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
    await failed?.discard().catch(() => undefined);
    const errorCode = error instanceof DomainError ? error.code : 'INTERNAL';
    await repo
      .updateRun(db, importId, { status: 'failed', errorCode, finishedAt: clock.now() })
      .catch(() => undefined);
    throw error;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function missingHeaders<F extends string>(spec: HeaderSpec<F>, first: string[] | undefined) {
  if (!first) return new DomainError('IMPORT_HEADERS_MISSING', '文件中没有任何数据。');
  const missing = mapHeaders(first, spec).missing.map((field) => spec.canonical[field]);
  return new DomainError(
    'IMPORT_HEADERS_MISSING',
    `找不到表头：第一行应包含“${missing.join('”“')}”列（列名可以是常用写法，顺序不限）。`,
    missing.map((column) => ({ path: `/file/${column}`, message: 'column not found' })),
  );
}

export function failedRowsUrl(importId: string): string {
  return `/api/imports/${importId}/failed-rows.xlsx`;
}

// ---------------------------------------------------------------------------------------------
// Reading back

function summaryOf(
  run: repo.ImportRunRow,
  failedFile: { expiresAt: Date } | undefined,
  now: Date,
): ImportSummary {
  const kept = failedFile && failedFile.expiresAt.getTime() > now.getTime();
  return {
    importId: run.id,
    kind: run.kind,
    status: run.status,
    fileName: run.fileName,
    imported: run.imported,
    updated: run.updated,
    unchanged: run.unchanged,
    rejectedRows: run.rejectedRows,
    rejectedTotal: run.rejectedTotal,
    rejected: run.rejected,
    ...(kept
      ? {
          failedRowsUrl: failedRowsUrl(run.id),
          failedRowsExpiresAt: failedFile.expiresAt.toISOString(),
        }
      : {}),
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

async function visibleRun(db: Db, auth: AuthContext | null, id: string) {
  const run = await repo.findRun(db, scopeOf(auth), id);
  if (!run) throw new DomainError('NOT_FOUND', 'No such import');
  return run;
}

/** The report of an import run in the caller's scope (another scope's answers 404). */
export async function getImport(
  db: Db,
  clock: Clock,
  auth: AuthContext | null,
  id: string,
): Promise<ImportSummary> {
  const run = await visibleRun(db, auth, id);
  return summaryOf(run, await repo.findFailedFileMeta(db, id), clock.now());
}

/**
 * The failed-rows workbook of an import in the caller's scope, decrypted. It holds full ID
 * numbers, so the download is audited, in the same transaction as the read. After its 7 days
 * it is gone: 410 IMPORT_FILE_EXPIRED, so the clerk knows to import the original again.
 */
export async function downloadFailedRows(
  deps: ImportDeps,
  auth: AuthContext | null,
  id: string,
  meta: RequestMeta,
): Promise<{ fileName: string; content: Buffer }> {
  const run = await visibleRun(deps.db, auth, id);
  if (run.rejectedRows === 0 || run.status === 'running' || run.status === 'failed') {
    throw new DomainError('NOT_FOUND', 'This import has no failed rows');
  }
  const now = deps.clock.now();
  const content = await deps.db.transaction().execute(async (trx) => {
    const stored = await repo.findFailedFile(trx, id);
    if (!stored || stored.expiresAt.getTime() <= now.getTime()) {
      throw new DomainError(
        'IMPORT_FILE_EXPIRED',
        `失败行文件只保存 ${FAILED_FILE_DAYS} 天，已删除；请重新导入原文件以重新生成。`,
      );
    }
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'import.failed_rows.downloaded',
      entityType: 'import',
      entityId: id,
      occurredAt: now,
      details: { kind: run.kind, rows: stored.rowCount, fileName: run.fileName },
    });
    return Buffer.from(deps.pii.decrypt(FAILED_FILE_FIELD, stored.contentEnc), 'base64');
  });
  const base = run.fileName.replace(/\.(xlsx|csv)$/i, '');
  return { fileName: `${base}-失败行.xlsx`, content };
}

/**
 * The daily clean-up: deletes the failed-rows workbooks past their 7 days, and marks as failed
 * the runs left `running` for a day by a process that died (no import takes that long).
 */
export async function purgeExpiredFailedFiles(
  db: Db,
  clock: Clock,
): Promise<{ deleted: number; abandoned: number }> {
  const now = clock.now();
  const deleted = await repo.deleteExpiredFailedFiles(db, now);
  const abandoned = await repo.failAbandonedRuns(db, new Date(now.getTime() - 24 * 3600_000), now);
  return { deleted, abandoned };
}
