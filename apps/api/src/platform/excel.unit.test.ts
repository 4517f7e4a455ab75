import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import ExcelJS from './excel.js';

describe('reading xlsx as a stream', () => {
  it('keeps Chinese text whose bytes straddle two chunks intact', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jineng-excel-'));
    const file = path.join(dir, 'roster.xlsx');
    try {
      const expected: string[] = [];
      const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
        filename: file,
        useSharedStrings: false,
      });
      const sheet = writer.addWorksheet('人员');
      // Long all-Chinese cells: nearly every chunk boundary falls inside a character.
      for (let i = 0; i < 200; i++) {
        const text = `${i}${'商丘市宁陵县张王李赵'.repeat(300)}`;
        expected.push(text);
        sheet.addRow([text]).commit();
      }
      sheet.commit();
      await writer.commit();

      const seen: string[] = [];
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {});
      for await (const worksheet of reader) {
        for await (const row of worksheet) seen.push(String(row.getCell(1).value));
      }
      expect(seen.filter((t) => t.includes('\uFFFD'))).toEqual([]);
      expect(seen).toEqual(expected);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
