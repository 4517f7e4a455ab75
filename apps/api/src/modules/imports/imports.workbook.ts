/*
 * Workbooks we write: the failed-rows workbook (the rows as uploaded plus 失败原因, to fix and
 * upload again) and the import templates. Every cell goes through `neutralizeCell`: a roster
 * cell reading `=HYPERLINK(…)` or `=cmd|' /C calc'!A0` is data to us but a formula to the
 * spreadsheet program of whoever opens the file (CSV/formula injection, OWASP).
 */
import { rm } from 'node:fs/promises';
import ExcelJS from '../../platform/excel.js';
import type * as Excel from 'exceljs';
import { FAILURE_REASON_HEADER, SEQ_HEADER, type HeaderSpec } from './imports.headers.js';

// Characters that make Excel, WPS or LibreOffice start a formula or a DDE call; full-width forms
// are included because some spreadsheet programs fold them when a cell is edited.
const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;

/**
 * A cell value that no spreadsheet program will evaluate: values starting with `= + - @`, a tab
 * or a carriage return get a leading apostrophe, which shows as text. Used by every workbook and
 * CSV writer; `unneutralize` (imports.rows.ts) undoes it when such a file comes back.
 */
export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const HEADER_FONT: Partial<Excel.Font> = { bold: true };
const REASON_FONT: Partial<Excel.Font> = { bold: true, color: { argb: 'FFC00000' } };
/** Text format, so IDs and phones typed into these files are never turned into numbers. */
const TEXT = '@';

/**
 * Streams failed rows to an xlsx file on disk as the import goes, so rejected rows never pile up
 * in memory. Columns are the uploaded header row as it was, then 失败原因.
 */
export class FailedRowsWriter {
  readonly #workbook: Excel.stream.xlsx.WorkbookWriter;
  readonly #sheet: Excel.Worksheet;
  readonly #width: number;
  #rows = 0;
  #finished = false;

  private constructor(
    readonly file: string,
    headers: readonly string[],
  ) {
    this.#workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: file,
      useStyles: true,
      useSharedStrings: false,
    });
    this.#width = headers.length;
    this.#sheet = this.#workbook.addWorksheet('失败行', {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    this.#sheet.columns = [...headers, FAILURE_REASON_HEADER].map((_, index) => ({
      width: index === headers.length ? 60 : 18,
      style: { numFmt: TEXT },
    }));
    const header = this.#sheet.addRow([...headers, FAILURE_REASON_HEADER].map(neutralizeCell));
    header.eachCell((cell, column) => {
      cell.font = column === this.#width + 1 ? REASON_FONT : HEADER_FONT;
    });
    header.commit();
  }

  /** Opens a writer on `file`, which the caller keeps in its own 0700 temp directory. */
  static create(file: string, headers: readonly string[]): FailedRowsWriter {
    return new FailedRowsWriter(file, headers);
  }

  get rows(): number {
    return this.#rows;
  }

  /** Appends a row: the original cells (padded to the header width) and the reasons. */
  add(cells: readonly string[], reason: string): void {
    const values: string[] = [];
    // Cells past the header have no column to go back into; the header decides the width.
    for (let column = 0; column < this.#width; column += 1) {
      values.push(neutralizeCell(cells[column] ?? ''));
    }
    const row = this.#sheet.addRow([...values, neutralizeCell(reason)]);
    row.eachCell((cell) => {
      cell.numFmt = TEXT;
    });
    row.commit();
    this.#rows += 1;
  }

  /** Writes the end of the file; returns false (and deletes it) when no row was added. */
  async finish(): Promise<boolean> {
    if (this.#finished) return this.#rows > 0;
    this.#finished = true;
    this.#sheet.commit();
    await this.#workbook.commit();
    if (this.#rows === 0) {
      await rm(this.file, { force: true });
      return false;
    }
    return true;
  }

  /** Abandons the file (an import that failed). */
  async discard(): Promise<void> {
    if (!this.#finished) {
      this.#finished = true;
      await this.#workbook.commit().catch(() => undefined);
    }
    await rm(this.file, { force: true });
  }
}

/**
 * A template for an import kind: 序号, the canonical headers, and one example row whose 序号 is
 * 示例 (such a row is skipped on import, so an untouched template imports nothing). Text
 * columns are formatted as text so IDs and phones survive typing.
 */
export async function writeTemplate<F extends string>(
  spec: HeaderSpec<F>,
  fields: readonly F[],
  example: Partial<Record<F, string>>,
  exampleMark: string,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Jineng';
  const sheet = workbook.addWorksheet('导入模板', { views: [{ state: 'frozen', ySplit: 1 }] });
  const headers = [SEQ_HEADER, ...fields.map((field) => spec.canonical[field])];
  sheet.columns = headers.map((header) => ({
    width: Math.max(10, header.length * 2 + 8),
    style: { numFmt: TEXT },
  }));
  const headerRow = sheet.addRow(
    headers.map((header, index) => {
      const field = fields[index - 1];
      return neutralizeCell(
        field !== undefined && spec.required.includes(field) ? `*${header}` : header,
      );
    }),
  );
  headerRow.font = HEADER_FONT;
  const exampleRow = sheet.addRow([
    exampleMark,
    ...fields.map((field) => neutralizeCell(example[field] ?? '')),
  ]);
  exampleRow.font = { italic: true, color: { argb: 'FF808080' } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
