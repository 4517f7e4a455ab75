/*
 * The trainee rows of a training report as the form keeps them, and the rows pasted from Excel:
 * a copied range arrives as lines of tab-separated cells. Pure, so the splitting and the checks
 * are unit-tested without a browser.
 */

import { ID_NUMBER_SHAPE } from '../../forms/shapes';

export interface TraineeRow {
  idNumber: string;
  name: string;
  completed: boolean;
}

export const EMPTY_TRAINEE: TraineeRow = { idNumber: '', name: '', completed: true };

/** Cells that mean "did not finish"; anything else (or nothing) means finished. */
const NOT_COMPLETED = new Set(['否', '未结业', '未完成', '没有', 'n', 'no', 'false', '0', '×']);

function looksLikeIdNumber(cell: string): boolean {
  return /^[0-9]{6,}[0-9Xx]?$/.test(cell.replace(/\s+/g, ''));
}

/** A header line names the columns and holds no ID number. */
function isHeader(cells: readonly string[]): boolean {
  return (
    !cells.some(looksLikeIdNumber) &&
    cells.some((cell) => /身份证|姓名|证件|结业|id ?number|name/i.test(cell))
  );
}

export interface PasteResult {
  rows: TraineeRow[];
  /** 1-based line numbers that had no ID number and no name. */
  skipped: number[];
}

/**
 * Splits text copied from Excel (or typed) into trainee rows: one line per trainee, cells
 * separated by tabs (a comma or two or more spaces also work), in the order 身份证号, 姓名,
 * 是否结业 — or 姓名 first, which is recognised by where the digits are. A header line is
 * skipped; an empty third cell means finished.
 */
export function parsePastedTrainees(text: string): PasteResult {
  const rows: TraineeRow[] = [];
  const skipped: number[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const separator = line.includes('\t') ? '\t' : /[,，]/.test(line) ? /[,，]/ : /\s+/;
    const cells = line.split(separator).map((cell) => cell.trim());
    if (index === 0 && isHeader(cells)) return;
    const [first = '', second = '', third = ''] = cells;
    const nameFirst = !looksLikeIdNumber(first) && looksLikeIdNumber(second);
    const idNumber = (nameFirst ? second : first).replace(/\s+/g, '').toUpperCase();
    const name = (nameFirst ? first : second).replace(/\s+/g, '');
    if (idNumber === '' && name === '') {
      skipped.push(index + 1);
      return;
    }
    rows.push({ idNumber, name, completed: !NOT_COMPLETED.has(third.toLowerCase()) });
  });
  return { rows, skipped };
}

/**
 * The rows to keep when pasted rows arrive: blank rows of the form give way to them, rows
 * already filled stay first.
 */
export function mergeTrainees(current: readonly TraineeRow[], pasted: readonly TraineeRow[]) {
  const filled = current.filter((row) => row.idNumber.trim() !== '' || row.name.trim() !== '');
  return [...filled, ...pasted];
}

export type TraineeProblem = 'idNumber.required' | 'idNumber.shape' | 'idNumber.duplicate' | 'name';

/** What is plainly wrong with each row (the server checks the ID numbers again), by index. */
export function traineeProblems(rows: readonly TraineeRow[]): Map<number, TraineeProblem[]> {
  const problems = new Map<number, TraineeProblem[]>();
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const found: TraineeProblem[] = [];
    const idNumber = row.idNumber.trim().toUpperCase();
    if (idNumber === '') found.push('idNumber.required');
    else if (!ID_NUMBER_SHAPE.test(idNumber)) found.push('idNumber.shape');
    else if (seen.has(idNumber)) found.push('idNumber.duplicate');
    if (idNumber !== '') seen.add(idNumber);
    if (row.name.trim() === '') found.push('name');
    if (found.length > 0) problems.set(index, found);
  });
  return problems;
}

/** The rows as the API takes them: trimmed, ID numbers upper-case. */
export function traineesBody(rows: readonly TraineeRow[]) {
  return rows.map((row) => ({
    idNumber: row.idNumber.trim().toUpperCase(),
    name: row.name.trim(),
    completed: row.completed,
  }));
}
