/*
 * Upload hygiene. A roster arrives from outside, so it is hostile until proven otherwise: its
 * size is capped, its type is decided by its content and not its name, and an xlsx (a zip) is
 * walked and fully inflated here, counting real output bytes, before exceljs ever sees it. A zip
 * bomb whose headers lie about sizes is stopped at the first byte past what it declared, with
 * memory bounded by one inflate window; the total is capped whatever the headers say.
 *
 * The zip checks also make sure exceljs reads what we inspected: exceljs streams local headers
 * from the start of the file, while a zip reader normally trusts the central directory at the
 * end, and a crafted file can show each a different story. So entries must tile the file from
 * byte 0 to the central directory with no gaps, and local headers must agree with the directory.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import { DomainError } from '../../platform/errors.js';

export interface UploadLimits {
  /** Largest upload accepted, in bytes. */
  maxUploadBytes: number;
  /** Most entries an xlsx zip may have; a workbook has a dozen or two. */
  maxZipEntries: number;
  /** Most bytes one zip entry may inflate to (bounds exceljs's shared-strings table). */
  maxEntryInflatedBytes: number;
  /** Most bytes all entries together may inflate to. */
  maxTotalInflatedBytes: number;
}

const MiB = 1024 * 1024;

/**
 * 20 MiB holds a roster of well over 100,000 people. XML compresses about 5–10 times, so a real
 * workbook of that size inflates to under 200 MiB; more than that is a bomb or not a roster.
 */
export const IMPORT_LIMITS: Readonly<UploadLimits> = {
  maxUploadBytes: 20 * MiB,
  maxZipEntries: 1000,
  maxEntryInflatedBytes: 120 * MiB,
  maxTotalInflatedBytes: 200 * MiB,
};

export type UploadFormat = 'xlsx' | 'csv';

export interface InspectedUpload {
  format: UploadFormat;
  size: number;
  sha256: string;
  /**
   * Rows in the file, counted while inspecting (line feeds of a CSV, `<row>` elements of the first
   * worksheet): for a progress bar, not a promise (a quoted cell may span lines).
   */
  estimatedRows: number;
}

const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;
const ZIP_DESCRIPTOR = 0x08074b50;
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const SNIFF_BYTES = 64 * 1024;

function refuseType(message: string): never {
  throw new DomainError('UNSUPPORTED_FILE_TYPE', message);
}

function invalid(detail: string): never {
  throw new DomainError(
    'WORKBOOK_INVALID',
    `文件不是完好的 xlsx 工作簿（${detail}），请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。`,
  );
}

function tooLarge(detail: string): never {
  throw new DomainError(
    'WORKBOOK_TOO_LARGE',
    `工作簿解压后过大或结构异常（${detail}），已拒绝；请只保留名单所在的工作表，或拆分为多个文件。`,
  );
}

/**
 * Decides what an uploaded file is, by its bytes, and refuses anything else: an xlsx that passes
 * the zip checks below, or a CSV that is text. The name's extension must agree with the content
 * (a `.xlsx` that is really a CSV or a PDF is refused); a name without one is judged by content.
 */
export async function inspectUpload(
  file: string,
  fileName: string,
  limits: UploadLimits = IMPORT_LIMITS,
): Promise<InspectedUpload> {
  const { size } = await stat(file);
  if (size === 0) throw new DomainError('IMPORT_FILE_EMPTY', '上传的文件是空的。');
  if (size > limits.maxUploadBytes) {
    throw new DomainError(
      'IMPORT_FILE_TOO_LARGE',
      `文件超过 ${Math.round(limits.maxUploadBytes / MiB)} MB 的上限，请拆分后分批导入。`,
    );
  }
  const extension = path.extname(fileName).toLowerCase();
  if (extension === '.xls' || extension === '.et') {
    refuseType('不支持旧版 .xls 格式，请用 Excel 或 WPS 打开后“另存为” .xlsx 再上传。');
  }
  if (extension !== '' && extension !== '.xlsx' && extension !== '.csv') {
    refuseType('只能导入 .xlsx 工作簿或 .csv 文件。');
  }
  const head = await readHead(file, SNIFF_BYTES);
  const isZip = head.length >= 4 && head.readUInt32LE(0) === ZIP_LOCAL;
  let format: UploadFormat;
  let sheetRows = 0;
  if (isZip) {
    if (extension === '.csv')
      refuseType('文件名是 .csv，但内容是 xlsx 工作簿，请把扩展名改为 .xlsx。');
    sheetRows = (await inspectXlsx(file, size, limits)).sheetRows;
    format = 'xlsx';
  } else if (head.subarray(0, OLE2.length).equals(OLE2)) {
    refuseType('这是旧版 .xls 文件或加了密码的工作簿，请去掉密码并另存为 .xlsx 再上传。');
  } else if (looksLikeText(head)) {
    if (extension === '.xlsx') {
      refuseType(
        '文件名是 .xlsx，但内容不是 xlsx 工作簿（像是文本/CSV），请用 Excel 另存为 .xlsx。',
      );
    }
    format = 'csv';
  } else {
    refuseType(
      extension === '.xlsx'
        ? '文件名是 .xlsx，但内容不是 xlsx 工作簿，请用 Excel 或 WPS 另存为 .xlsx 再上传。'
        : '文件内容既不是 xlsx 工作簿也不是 CSV 文本，无法导入。',
    );
  }
  const { sha256, lines } = await hashAndCountLines(file);
  return { format, size, sha256, estimatedRows: format === 'xlsx' ? sheetRows : lines };
}

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    return await readAt(handle, 0, bytes, false);
  } finally {
    await handle.close();
  }
}

/**
 * Text means: a UTF-16LE BOM, or no NUL and almost no other control characters in the sample
 * (GBK and UTF-8 both keep bytes under 0x20 for controls, so binary formats show up here).
 */
function looksLikeText(sample: Buffer): boolean {
  if (sample[0] === 0xff && sample[1] === 0xfe) return true;
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) {
      controls += 1;
    }
  }
  return controls <= sample.length / 1000;
}

async function hashAndCountLines(file: string): Promise<{ sha256: string; lines: number }> {
  const hash = createHash('sha256');
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) lines += 1;
    last = chunk[chunk.length - 1] ?? last;
  }
  return { sha256: hash.digest('hex'), lines: last === 0x0a ? lines : lines + 1 };
}

async function readAt(
  handle: FileHandle,
  position: number,
  length: number,
  exact = true,
): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (exact && bytesRead !== length) invalid('文件被截断');
  return buffer.subarray(0, bytesRead);
}

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  dataStart: number;
}

/**
 * Walks and test-inflates an xlsx. Refuses: no end record, trailing or hidden data, ZIP64 (no
 * roster needs 4 GiB), too many entries, encryption, compression other than stored/deflate, a
 * local header disagreeing with the directory, duplicate names, an entry inflating past what it
 * declares or past the caps, a bad CRC, and a zip that is not a workbook (no xl/workbook.xml).
 */
export async function inspectXlsx(
  file: string,
  size: number,
  limits: UploadLimits = IMPORT_LIMITS,
): Promise<{ sheetRows: number }> {
  const handle = await open(file, 'r');
  let entries: ZipEntry[];
  try {
    entries = await readDirectory(handle, size, limits);
  } finally {
    await handle.close();
  }
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) {
    refuseType('这是一个压缩包，但不是 xlsx 工作簿（缺少工作簿内容），无法导入。');
  }
  // exceljs reads the worksheets in file order and we import the first it meets.
  const firstSheet = entries.find((e) => WORKSHEET.test(e.name));
  let total = 0;
  let sheetRows = 0;
  for (const entry of entries) {
    const rows = entry === firstSheet ? new RowCounter() : undefined;
    total += await inflateEntry(file, entry, limits, total, rows);
    if (rows) sheetRows = rows.count;
  }
  return { sheetRows };
}

const WORKSHEET = /^xl\/worksheets\/sheet\d+\.xml$/;

/** Counts `<row ` / `<row>` start tags across chunk boundaries. */
class RowCounter {
  count = 0;
  #carry = '';

  add(chunk: Buffer): void {
    const text = this.#carry + chunk.toString('latin1');
    const matches = text.match(/<row[\s>]/g);
    this.count += matches?.length ?? 0;
    // Carry a tag cut by the chunk's end ("<", "<r", "<ro", "<row"): too short to be counted yet.
    const cut = text.lastIndexOf('<');
    this.#carry = cut >= 0 && cut >= text.length - 4 ? text.slice(cut) : '';
  }
}

async function readDirectory(
  handle: FileHandle,
  size: number,
  limits: UploadLimits,
): Promise<ZipEntry[]> {
  if (size < 22) invalid('文件太短');
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i -= 1) {
    if (tail.readUInt32LE(i) === ZIP_END && i + 22 + tail.readUInt16LE(i + 20) === tail.length) {
      end = i;
      break;
    }
  }
  if (end < 0) invalid('找不到压缩包目录');
  const endOffset = size - tailLength + end;
  const disk = tail.readUInt16LE(end + 4);
  const cdDisk = tail.readUInt16LE(end + 6);
  const entriesOnDisk = tail.readUInt16LE(end + 8);
  const entryCount = tail.readUInt16LE(end + 10);
  const cdSize = tail.readUInt32LE(end + 12);
  const cdOffset = tail.readUInt32LE(end + 16);
  if (entryCount === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    invalid('不支持 ZIP64 格式');
  }
  if (disk !== 0 || cdDisk !== 0 || entriesOnDisk !== entryCount) invalid('分卷压缩包');
  if (entryCount > limits.maxZipEntries) tooLarge(`包含 ${entryCount} 个文件`);
  if (cdOffset + cdSize !== endOffset) invalid('目录位置不符');

  const directory = await readAt(handle, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let declaredTotal = 0;
  let at = 0;
  for (let index = 0; index < entryCount; index += 1) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== ZIP_CENTRAL) {
      invalid('目录损坏');
    }
    const flags = directory.readUInt16LE(at + 8);
    const method = directory.readUInt16LE(at + 10);
    const crc = directory.readUInt32LE(at + 16);
    const compressedSize = directory.readUInt32LE(at + 20);
    const entrySize = directory.readUInt32LE(at + 24);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const localOffset = directory.readUInt32LE(at + 42);
    const nameEnd = at + 46 + nameLength;
    if (nameEnd + extraLength + commentLength > directory.length) invalid('目录损坏');
    const name = directory.subarray(at + 46, nameEnd).toString('utf8');
    at = nameEnd + extraLength + commentLength;

    if (flags & 0x41) invalid('工作簿已加密');
    if (method !== 0 && method !== 8) invalid(`不支持的压缩方式 ${method}`);
    if (compressedSize === 0xffffffff || entrySize === 0xffffffff || localOffset === 0xffffffff) {
      invalid('不支持 ZIP64 格式');
    }
    if (method === 0 && compressedSize !== entrySize) invalid('未压缩文件的大小不一致');
    if (method === 0 && flags & 0x08) invalid('不支持的存储方式');
    if (seen.has(name)) invalid('包含重名文件');
    seen.add(name);
    if (entrySize > limits.maxEntryInflatedBytes) tooLarge(`${name} 解压后 ${entrySize} 字节`);
    declaredTotal += entrySize;
    if (declaredTotal > limits.maxTotalInflatedBytes) tooLarge('解压后总大小超出上限');
    entries.push({
      name,
      flags,
      method,
      crc,
      compressedSize,
      size: entrySize,
      localOffset,
      dataStart: 0,
    });
  }
  if (at !== directory.length) invalid('目录长度不符');

  // Entries must tile the file: no bytes that a streaming reader would see and we would not.
  entries.sort((a, b) => a.localOffset - b.localOffset);
  let expected = 0;
  for (const entry of entries) {
    if (entry.localOffset !== expected) invalid('压缩包中有隐藏数据');
    const header = await readAt(handle, entry.localOffset, 30);
    if (header.readUInt32LE(0) !== ZIP_LOCAL) invalid('文件头损坏');
    const flags = header.readUInt16LE(6);
    const method = header.readUInt16LE(8);
    const nameLength = header.readUInt16LE(26);
    const extraLength = header.readUInt16LE(28);
    const name = (await readAt(handle, entry.localOffset + 30, nameLength)).toString('utf8');
    if (name !== entry.name || method !== entry.method || (flags & 0x49) !== (entry.flags & 0x49)) {
      invalid('文件头与目录不符');
    }
    if (!(flags & 0x08)) {
      if (
        header.readUInt32LE(14) !== entry.crc ||
        header.readUInt32LE(18) !== entry.compressedSize ||
        header.readUInt32LE(22) !== entry.size
      ) {
        invalid('文件头与目录中的大小不符');
      }
    }
    entry.dataStart = entry.localOffset + 30 + nameLength + extraLength;
    let next = entry.dataStart + entry.compressedSize;
    if (flags & 0x08) {
      // Data descriptor after the data: crc, sizes, with an optional signature first.
      const descriptor = await readAt(handle, next, 16, false);
      const signed = descriptor.length >= 4 && descriptor.readUInt32LE(0) === ZIP_DESCRIPTOR;
      const base = signed ? 4 : 0;
      if (descriptor.length < base + 12) invalid('数据描述符损坏');
      if (
        descriptor.readUInt32LE(base) !== entry.crc ||
        descriptor.readUInt32LE(base + 4) !== entry.compressedSize ||
        descriptor.readUInt32LE(base + 8) !== entry.size
      ) {
        invalid('数据描述符与目录不符');
      }
      next += base + 12;
    }
    expected = next;
  }
  if (expected !== cdOffset) invalid('压缩包中有隐藏数据');
  return entries;
}

/** Inflates one entry into nothing, counting bytes; returns its real size. */
async function inflateEntry(
  file: string,
  entry: ZipEntry,
  limits: UploadLimits,
  before: number,
  rows?: RowCounter,
): Promise<number> {
  if (entry.compressedSize === 0) {
    if (entry.size !== 0) invalid(`${entry.name} 大小不符`);
    return 0;
  }
  const source = createReadStream(file, {
    start: entry.dataStart,
    end: entry.dataStart + entry.compressedSize - 1,
    highWaterMark: 64 * 1024,
  });
  const output =
    entry.method === 8 ? createInflateRaw({ chunkSize: 64 * 1024 }) : new PassThrough();
  source.on('error', (error) => output.destroy(error));
  source.pipe(output);
  let produced = 0;
  let crc = 0;
  try {
    for await (const chunk of output as AsyncIterable<Buffer>) {
      produced += chunk.length;
      if (produced > entry.size) {
        invalid(`${entry.name} 解压后比声明的大小更大，疑似压缩炸弹`);
      }
      if (
        produced > limits.maxEntryInflatedBytes ||
        before + produced > limits.maxTotalInflatedBytes
      ) {
        tooLarge('解压后大小超出上限');
      }
      crc = crc32(chunk, crc);
      rows?.add(chunk);
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    invalid(`${entry.name} 无法解压`);
  } finally {
    source.destroy();
    output.destroy();
  }
  if (produced !== entry.size) invalid(`${entry.name} 大小不符`);
  if (crc >>> 0 !== entry.crc) invalid(`${entry.name} 校验失败`);
  return produced;
}
