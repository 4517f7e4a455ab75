import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import ExcelJS from '../../platform/excel.js';
import type * as Excel from 'exceljs';
import { DomainError } from '../../platform/errors.js';

/** One spreadsheet row as text: `rowNumber` is the number Excel shows (the header is row 1). */
export interface SheetRow {
  rowNumber: number;
  cells: string[];
}

/** Columns read per row; a roster has a dozen, and a sheet claiming XFD (16,384) gets no further. */
export const MAX_COLUMNS = 200;

/**
 * Streams the rows of the first worksheet of an `.xlsx` file, as text. Only call this on a file
 * that `inspectUpload` (imports.guard.ts) has accepted: exceljs trusts the zip it is given.
 *
 * Memory stays flat in the number of rows: exceljs parses the sheet XML as a stream; the shared
 * strings table is held (bounded by the guard's per-entry cap). Later worksheets are drained,
 * not parsed into rows we keep: stopping early would leave exceljs's temporary copies of sheets
 * that came before the shared strings on disk until the process exits.
 */
export async function* readXlsxRows(path: string): AsyncGenerator<SheetRow> {
  if ((await stat(path)).size <= IN_MEMORY_MAX_BYTES) {
    yield* readSmallXlsxRows(path);
    return;
  }
  const input = createReadStream(path);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell dates from numbers; hyperlinks would replace a cell's value with its link.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let first = true;
  try {
    for await (const worksheet of reader) {
      if (!first) {
        for await (const row of worksheet) void row;
        continue;
      }
      first = false;
      let previous = 0;
      for await (const row of worksheet) {
        const rowNumber =
          Number.isInteger(row.number) && row.number > 0 ? row.number : previous + 1;
        previous = rowNumber;
        yield { rowNumber, cells: rowCells(row) };
      }
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError(
      'IMPORT_FILE_UNREADABLE',
      '工作簿内容无法读取（文件可能已损坏），请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。',
    );
  } finally {
    input.destroy();
  }
}

/**
 * Files up to this size are read whole: the common roster of a few thousand rows. exceljs's
 * streaming reader (unzipper with pause/resume) has failed now and then on small workbooks in our
 * test runs; its in-memory reader has not. The guard has already bounded the inflated size.
 */
const IN_MEMORY_MAX_BYTES = 512 * 1024;

async function* readSmallXlsxRows(path: string): AsyncGenerator<SheetRow> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch {
    throw new DomainError(
      'IMPORT_FILE_UNREADABLE',
      '工作簿内容无法读取（文件可能已损坏），请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。',
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return;
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    rows.push({ rowNumber, cells: rowCells(row) });
  });
  yield* rows;
}

function rowCells(row: Excel.Row): string[] {
  const values = row.values;
  if (!Array.isArray(values)) return [];
  // row.values is 1-based and sparse.
  const length = Math.min(values.length - 1, MAX_COLUMNS);
  const cells: string[] = [];
  for (let column = 1; column <= length; column += 1) cells.push(cellText(values[column]));
  return cells;
}

/**
 * A cell value as the person saw it. Numbers of 16 or more digits cannot be what was typed
 * (Excel keeps 15 significant digits), so they are shown as Excel shows them, in scientific
 * notation: that is what the ID-number rules recognise as Excel damage, and what the person will
 * recognise in the failed-rows workbook.
 */
export function cellText(value: Excel.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value && Array.isArray(value.richText)) {
    return value.richText.map((part) => part.text).join('');
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return '';
    if (typeof result === 'object' && 'error' in result) return String(result.error);
    return cellText(result as Excel.CellValue);
  }
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('error' in value) return String(value.error);
  return '';
}

export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1e15) {
    // 4.11402200501010E+17 → 4.1140220050101E+17, the way Excel writes it.
    const [mantissa = '', exponent = ''] = value.toExponential(14).split('e');
    const trimmed = mantissa.replace(/\.?0+$/, '');
    return `${trimmed}E${exponent.startsWith('-') ? '' : '+'}${exponent.replace('+', '')}`;
  }
  // Drop binary noise (0.1 + 0.2) the way Excel's 15-digit display does.
  return String(Number(value.toPrecision(15)));
}

/** Dates as YYYY-MM-DD (with the time when there is one); exceljs gives them in UTC. */
function dateText(value: Date): string {
  if (Number.isNaN(value.getTime())) return '';
  const iso = value.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}
