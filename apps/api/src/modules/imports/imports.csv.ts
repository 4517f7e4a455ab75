import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { DomainError } from '../../platform/errors.js';
import { MAX_COLUMNS, type SheetRow } from './imports.xlsx.js';

export type CsvEncoding = 'utf8' | 'gb18030' | 'utf16le';

export interface CsvFormat {
  encoding: CsvEncoding;
  delimiter: string;
}

/** Bytes looked at to guess the encoding and delimiter. */
const SAMPLE_BYTES = 64 * 1024;
/** A longer line is not a roster row (and would make csv-parse buffer without end). */
const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * Guesses how a CSV file is encoded. Excel on a Chinese Windows saves "CSV (逗号分隔)" in GBK
 * (GB18030 is its superset, so we decode as that); "CSV UTF-8" starts with a BOM; WPS and
 * LibreOffice write UTF-8 without one; Excel's "Unicode text" is UTF-16LE, tab-separated. A
 * sample that is valid UTF-8 is taken as UTF-8: GBK text of any length is almost never valid
 * UTF-8, while the reverse guess would garble every UTF-8 file.
 */
export function detectCsvFormat(sample: Buffer): CsvFormat {
  let encoding: CsvEncoding;
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) encoding = 'utf8';
  else if (sample[0] === 0xff && sample[1] === 0xfe) encoding = 'utf16le';
  else encoding = isUtf8(sample) ? 'utf8' : 'gb18030';
  const text = iconv.decode(sample, encoding);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  return { encoding, delimiter: guessDelimiter(firstLine) };
}

function isUtf8(sample: Buffer): boolean {
  try {
    // stream: a multi-byte character cut by the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function guessDelimiter(header: string): string {
  const counts = [',', '\t', ';', '，'].map((d) => [d, header.split(d).length - 1] as const);
  const [best] = counts.sort((a, b) => b[1] - a[1]);
  return best && best[1] > 0 ? best[0] : ',';
}

/** The first bytes of a file, for sniffing. */
export async function readSample(path: string, bytes = SAMPLE_BYTES): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Streams the records of a CSV file as rows numbered as Excel would show them (record n is row
 * n; a quoted cell spanning lines is still one row). Decoding and parsing are streams, so memory
 * does not grow with the file.
 */
export async function* readCsvRows(path: string): AsyncGenerator<SheetRow> {
  const format = detectCsvFormat(await readSample(path));
  const input = createReadStream(path);
  const parser = parse({
    delimiter: format.delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_BYTES,
  });
  const decoder = iconv.decodeStream(format.encoding, { stripBOM: true });
  input.on('error', (error) => parser.destroy(error));
  decoder.on('error', (error: Error) => parser.destroy(error));
  input.pipe(decoder).pipe(parser);
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber += 1;
      yield { rowNumber, cells: record.slice(0, MAX_COLUMNS) };
    }
  } catch (error) {
    throw unreadable(rowNumber + 1, error);
  } finally {
    input.destroy();
  }
}

function unreadable(rowNumber: number, error: unknown): DomainError {
  const tooLong = (error as { code?: string }).code === 'CSV_MAX_RECORD_SIZE';
  return new DomainError(
    'IMPORT_FILE_UNREADABLE',
    tooLong
      ? `CSV 文件第 ${rowNumber} 行超过 1 MB，不像名单（可能缺少换行或引号不配对），请用 Excel 打开检查后另存。`
      : `CSV 文件在第 ${rowNumber} 行附近无法解析（可能引号不配对），请用 Excel 打开检查后另存。`,
  );
}
