/*
 * Employment registrations (就业登记) and social-insurance contributions (社保缴费) by file
 * (R-EMP-1), in the style of the roster imports: headers as people write them, every problem of a
 * row reported against its column, valid rows committed in one transaction, a failed-rows
 * workbook. A committed import re-checks hiring and placement subsidy eligibility of the persons
 * it touched, in the same transaction.
 */
import { shanghaiDate } from '../../platform/clock.js';
import type { Trx } from '../../platform/db.js';
import type { AuthContext, RequestMeta } from '../auth/auth.service.js';
import { auditContextOf } from '../auth/auth.service.js';
import {
  recheckEligibility,
  touchedPersons,
  writeContributions,
  writeRegistrations,
  type EmploymentDeps,
  type RowOutcome,
  type WriteOptions,
} from '../employment/employment.service.js';
import {
  checkContribution,
  checkRegistration,
  parseCivilDate,
  parseMonth,
  yuanToFen,
  type CheckedRegistration,
  type ItemProblem,
} from '../employment/employment.rules.js';
import type { EmploymentCheckResult } from '../subsidies/subsidies.employment.js';
import {
  CONTRIBUTION_FIELDS,
  CONTRIBUTION_HEADERS,
  EMPLOYMENT_FIELDS,
  EMPLOYMENT_HEADERS,
  type ContributionField,
  type EmploymentField,
} from './imports.headers.js';
import {
  cellReader,
  EXAMPLE_MARK,
  invalidDate,
  skippedRow,
  type RowProblem,
} from './imports.rows.js';
import {
  runImport,
  type CommitOutcome,
  type ImportDeps,
  type ImportFile,
  type ImportOptions,
  type ImportPipeline,
  type ImportSummary,
  type ParsedRow,
} from './imports.service.js';
import { writeTemplate } from './imports.workbook.js';

/** An import's report plus the subsidy claims its data made due (none on a dry run). */
export type EmploymentImportSummary = ImportSummary & {
  claims: { created: number; refused: number };
};

function required<F extends string>(
  value: string,
  field: F,
  label: string,
  problems: RowProblem<F>[],
): boolean {
  if (value !== '') return true;
  problems.push({ field, code: 'REQUIRED', message: `${label}不能为空。` });
  return false;
}

/** A rule's problems on the import's columns, in Chinese. */
function zh<F extends string, C extends string>(
  problems: ItemProblem<F>[],
  column: (field: F) => C,
): RowProblem<C>[] {
  return problems.map((p) => ({ field: column(p.field), code: p.code, message: p.zh }));
}

function commitOutcome(outcome: RowOutcome): CommitOutcome {
  if (outcome.kind === 'rejected') {
    return { kind: 'rejected', column: '身份证号', code: outcome.code, message: outcome.zh };
  }
  return { kind: outcome.kind === 'inserted' ? 'imported' : outcome.kind };
}

/**
 * Runs an employment-data import: valid rows are stored by `write` (source 'import'), and a
 * committed import re-checks hiring and placement eligibility of the persons whose rows were
 * inserted or changed, in the import's transaction.
 */
async function runEmploymentImport<F extends string, R>(
  deps: ImportDeps,
  auth: AuthContext | null,
  file: ImportFile,
  options: ImportOptions,
  meta: RequestMeta,
  pipeline: Omit<ImportPipeline<F, R>, 'commit' | 'finish'>,
  write: (
    trx: Trx,
    deps: EmploymentDeps,
    rows: readonly R[],
    options: WriteOptions,
  ) => Promise<RowOutcome[]>,
): Promise<EmploymentImportSummary> {
  const touched = new Set<string>();
  let claims: EmploymentCheckResult | undefined;
  const summary = await runImport(deps, auth, file, options, meta, {
    ...pipeline,
    async commit(trx, rows, importId) {
      const outcomes = await write(trx, deps, rows, { source: 'import', importRunId: importId });
      for (const id of touchedPersons(outcomes)) touched.add(id);
      return outcomes.map(commitOutcome);
    },
    async finish(trx) {
      claims = await recheckEligibility(
        trx,
        [...touched],
        auditContextOf(auth, meta),
        deps.clock.now(),
      );
    },
  });
  return {
    ...summary,
    claims: { created: claims?.created.length ?? 0, refused: claims?.refused.length ?? 0 },
  };
}

/**
 * Imports employment registrations: `POST /api/imports/employments`. Headers 身份证号,
 * 用人单位统一社会信用代码, 入职日期 and optionally 离职日期; an unknown person is a rejected row.
 */
export async function importEmployments(
  deps: ImportDeps,
  auth: AuthContext | null,
  file: ImportFile,
  options: ImportOptions,
  meta: RequestMeta,
): Promise<EmploymentImportSummary> {
  const today = shanghaiDate(deps.clock.now());
  const pipeline: Omit<
    ImportPipeline<EmploymentField, CheckedRegistration>,
    'commit' | 'finish'
  > = {
    kind: 'employments',
    spec: EMPLOYMENT_HEADERS,
    parse(cells, mapping): ParsedRow<EmploymentField, CheckedRegistration> {
      const skip = skippedRow(cells, mapping);
      if (skip) return skip;
      const value = cellReader(cells, mapping);
      const problems: RowProblem<EmploymentField>[] = [];
      const idNumber = value('idNumber');
      const uscc = value('employerUscc');
      const hiredText = value('hiredOn');
      const endedText = value('endedOn');
      required(idNumber, 'idNumber', '身份证号', problems);
      required(uscc, 'employerUscc', '用人单位统一社会信用代码', problems);
      const hiredOn = parseCivilDate(hiredText);
      if (required(hiredText, 'hiredOn', '入职日期', problems) && !hiredOn) {
        problems.push(invalidDate('hiredOn', '入职日期', hiredText));
      }
      const endedOn = endedText === '' ? null : parseCivilDate(endedText);
      if (endedOn === undefined) {
        problems.push(invalidDate('endedOn', '离职日期', endedText));
      }
      if (problems.length > 0 || !hiredOn || endedOn === undefined) {
        return { kind: 'row', dedupeKey: undefined, row: undefined, problems };
      }
      const checked = checkRegistration({ idNumber, employerUscc: uscc, hiredOn, endedOn }, today);
      if (!checked.ok) {
        return {
          kind: 'row',
          dedupeKey: undefined,
          row: undefined,
          problems: zh(checked.problems, (field) => field),
        };
      }
      const row = checked.row;
      return {
        kind: 'row',
        dedupeKey: `${row.idNumber}|${row.employerUscc}|${row.hiredOn}`,
        row,
        problems: [],
      };
    },
    duplicate: {
      field: 'hiredOn',
      message: (earlier) => `与第 ${earlier} 行是同一条就业登记（身份证号、单位、入职日期相同）。`,
    },
  };
  return runEmploymentImport(deps, auth, file, options, meta, pipeline, writeRegistrations);
}

interface ContributionRow {
  idNumber: string;
  employerUscc: string;
  month: string;
  wageBaseFen: number;
}

/**
 * Imports social-insurance contribution months: `POST /api/imports/contributions`. Headers
 * 身份证号, 用人单位统一社会信用代码, 缴费月份 (YYYYMM or YYYY-MM) and 缴费基数(元) (yuan, at most
 * two decimals, stored in fen).
 */
export async function importContributions(
  deps: ImportDeps,
  auth: AuthContext | null,
  file: ImportFile,
  options: ImportOptions,
  meta: RequestMeta,
): Promise<EmploymentImportSummary> {
  const today = shanghaiDate(deps.clock.now());
  const pipeline: Omit<ImportPipeline<ContributionField, ContributionRow>, 'commit' | 'finish'> = {
    kind: 'contributions',
    spec: CONTRIBUTION_HEADERS,
    parse(cells, mapping): ParsedRow<ContributionField, ContributionRow> {
      const skip = skippedRow(cells, mapping);
      if (skip) return skip;
      const value = cellReader(cells, mapping);
      const problems: RowProblem<ContributionField>[] = [];
      const idNumber = value('idNumber');
      const uscc = value('employerUscc');
      const monthText = value('month');
      const wageText = value('wageBase');
      required(idNumber, 'idNumber', '身份证号', problems);
      required(uscc, 'employerUscc', '用人单位统一社会信用代码', problems);
      const month = parseMonth(monthText);
      if (required(monthText, 'month', '缴费月份', problems) && !month) {
        problems.push({
          field: 'month',
          code: 'MONTH_INVALID',
          message: `缴费月份“${monthText.slice(0, 20)}”无法识别，请填写如 202603 或 2026-03。`,
        });
      }
      const wageBaseFen = yuanToFen(wageText);
      if (required(wageText, 'wageBase', '缴费基数', problems) && wageBaseFen === undefined) {
        problems.push({
          field: 'wageBase',
          code: 'WAGE_BASE_INVALID',
          message: `缴费基数“${wageText.slice(0, 20)}”应为金额（元，最多两位小数），如 3500.00。`,
        });
      }
      if (problems.length > 0 || !month || wageBaseFen === undefined) {
        return { kind: 'row', dedupeKey: undefined, row: undefined, problems };
      }
      const checked = checkContribution(
        { idNumber, employerUscc: uscc, month, wageBaseFen },
        today,
      );
      if (!checked.ok) {
        return {
          kind: 'row',
          dedupeKey: undefined,
          row: undefined,
          problems: zh(checked.problems, (field) => (field === 'wageBaseFen' ? 'wageBase' : field)),
        };
      }
      const row = checked.row;
      return {
        kind: 'row',
        dedupeKey: `${row.idNumber}|${row.employerUscc}|${row.month}`,
        row,
        problems: [],
      };
    },
    duplicate: {
      field: 'month',
      message: (earlier) => `与第 ${earlier} 行是同一个缴费月份（身份证号、单位、月份相同）。`,
    },
  };
  return runEmploymentImport(deps, auth, file, options, meta, pipeline, writeContributions);
}

/** The employment-registration template: canonical headers and one example row. */
export function employmentsTemplate(): Promise<Buffer> {
  return writeTemplate(
    EMPLOYMENT_HEADERS,
    EMPLOYMENT_FIELDS,
    {
      idNumber: '11010519491231002X',
      employerUscc: '91411400MA00000000',
      hiredOn: '2026-03-01',
      endedOn: '',
    },
    EXAMPLE_MARK,
  );
}

/** The contribution template: canonical headers and one example row. */
export function contributionsTemplate(): Promise<Buffer> {
  return writeTemplate(
    CONTRIBUTION_HEADERS,
    CONTRIBUTION_FIELDS,
    {
      idNumber: '11010519491231002X',
      employerUscc: '91411400MA00000000',
      month: '202603',
      wageBase: '3500.00',
    },
    EXAMPLE_MARK,
  );
}
