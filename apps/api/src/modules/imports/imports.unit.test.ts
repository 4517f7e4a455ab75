import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  zipBombWithLyingSizes,
  zipOf,
  zipWithEntries,
} from '../../../test/fixtures/imports/zip.js';
import { DomainError } from '../../platform/errors.js';
import { createRegionHistory, validateIdNumber } from '../persons/id-number.rules.js';
import { detectCsvFormat, readCsvRows } from './imports.csv.js';
import { inspectUpload, type UploadLimits } from './imports.guard.js';
import { PERSON_HEADERS, mapHeaders, normalizeHeader } from './imports.headers.js';
import {
  KeyGroupResolver,
  RegionResolver,
  parsePersonRow,
  unneutralize,
  type PersonRowContext,
  type RegionRecord,
} from './imports.rows.js';
import { neutralizeCell } from './imports.workbook.js';
import { numberText } from './imports.xlsx.js';

const REGIONS: RegionRecord[] = [
  { code: '410000', name: '河南省', level: 1, parentCode: null },
  { code: '410100', name: '郑州市', level: 2, parentCode: '410000' },
  { code: '410105', name: '金水区', level: 3, parentCode: '410100' },
  { code: '411400', name: '商丘市', level: 2, parentCode: '410000' },
  { code: '411402', name: '梁园区', level: 3, parentCode: '411400' },
  { code: '411403', name: '睢阳区', level: 3, parentCode: '411400' },
  { code: '411422', name: '睢县', level: 3, parentCode: '411400' },
  { code: '411472', name: '河南商丘经济开发区', level: 3, parentCode: '411400' },
  { code: '411481', name: '永城市', level: 3, parentCode: '411400' },
  { code: '4114L1', name: '城乡一体化示范区', level: 3, parentCode: '411400' },
  { code: '411402100', name: '谢集镇', level: 4, parentCode: '411402' },
];

describe('header names', () => {
  it('normalises full-width, spaces, asterisks and bracketed notes', () => {
    expect(normalizeHeader(' ＊身份证号码（必填） ')).toBe('身份证号码');
    expect(normalizeHeader('姓　名*')).toBe('姓名');
    expect(normalizeHeader('【必填】公民身份号码(18位)')).toBe('公民身份号码');
    expect(normalizeHeader('手机号码：')).toBe('手机号码');
  });

  it('maps synonyms in any order, ignores 序号 and 失败原因, lists unknown columns', () => {
    const mapping = mapHeaders(
      ['序号', '微信', '联系电话', '证件号码', '姓名', '户籍所在地', '学历', '失败原因'],
      PERSON_HEADERS,
    );
    expect(Object.fromEntries(mapping.columns)).toEqual({
      phone: 2,
      idNumber: 3,
      name: 4,
      householdRegion: 5,
      education: 6,
    });
    expect(mapping.seqColumn).toBe(0);
    expect(mapping.unknown).toEqual(['微信']);
    expect(mapping.missing).toEqual([]);
    expect(mapHeaders(['名称', '号码'], PERSON_HEADERS).missing).toEqual(['name', 'idNumber']);
  });
});

describe('regions', () => {
  const regions = new RegionResolver(REGIONS);

  it('reads codes, full and short names, and Shangqiu’s zones', () => {
    expect(regions.resolve('411402')).toBe('411402');
    expect(regions.resolve('411402100')).toBe('411402100');
    expect(regions.resolve('411402100000')).toBe('411402100');
    expect(regions.resolve('4114l1')).toBe('4114L1');
    expect(regions.resolve('河南省商丘市梁园区谢集镇')).toBe('411402');
    expect(regions.resolve('商丘梁园')).toBe('411402');
    expect(regions.resolve('梁园区')).toBe('411402');
    expect(regions.resolve('睢县')).toBe('411422');
    expect(regions.resolve('睢阳区')).toBe('411403');
    expect(regions.resolve('永城')).toBe('411481');
    expect(regions.resolve('示范区')).toBe('4114L1');
    expect(regions.resolve('商丘市经济开发区')).toBe('411472');
    expect(regions.resolve('商丘市')).toBe('411400');
    expect(regions.resolve('郑州市金水区')).toBe('410105');
    expect(regions.resolve('金水区')).toBe('410105');
    expect(regions.resolve('火星')).toBeUndefined();
    expect(regions.resolve('999999')).toBeUndefined();
  });

  it('knows the county of a township', () => {
    expect(regions.countyOf('411402100')).toBe('411402');
    expect(regions.countyOf('411481')).toBe('411481');
  });
});

describe('key groups', () => {
  const groups = new KeyGroupResolver([
    { code: 'veteran', name: '退役军人', aliases: ['退役士兵'] },
    { code: 'disabled', name: '残疾人', aliases: [] },
  ]);
  it('splits on 、,;/ and matches names and aliases', () => {
    expect(groups.resolve('退役士兵、残疾人')).toEqual({
      codes: ['disabled', 'veteran'],
      unknown: [],
    });
    expect(groups.resolve('退役军人；外星人 / 无')).toEqual({
      codes: ['veteran'],
      unknown: ['外星人'],
    });
  });
});

describe('person rows', () => {
  const history = createRegionHistory(
    [
      { code: '411402', sinceYear: 1997, untilYear: null },
      { code: '411481', sinceYear: 1996, untilYear: null },
    ],
    [],
  );
  const context = (scope: PersonRowContext['scope'] = { kind: 'city' }): PersonRowContext => ({
    regions: new RegionResolver(REGIONS),
    keyGroups: new KeyGroupResolver([]),
    validateId: (raw) => validateIdNumber(raw, { today: '2026-03-15', regions: history }),
    scope,
  });
  const mapping = mapHeaders(['序号', '姓名', '身份证号码', '性别', '现居住地'], PERSON_HEADERS);

  it('skips blank rows, rows with only a 序号, and the template’s example row', () => {
    expect(parsePersonRow(['', ' ', '\u3000'], mapping, context())).toEqual({ kind: 'blank' });
    expect(parsePersonRow(['7', '', ''], mapping, context())).toEqual({ kind: 'blank' });
    expect(parsePersonRow(['示例', '张三', '1'], mapping, context())).toEqual({
      kind: 'example',
    });
  });

  it('takes the sex from the ID number and reports a contradiction', () => {
    const parsed = parsePersonRow(
      ['1', '李 娜', '411402200501010011', '女', ''],
      mapping,
      context(),
    );
    expect(parsed).toMatchObject({
      kind: 'row',
      problems: [{ field: 'sex', code: 'SEX_MISMATCH' }],
    });
    const ok = parsePersonRow(['1', '李 娜', '411402200501010011', '男', ''], mapping, context());
    expect(ok).toMatchObject({ kind: 'row', problems: [], row: { name: '李娜' } });
  });

  it('keeps a county administrator to their county, by residence first', () => {
    const county = context({ kind: 'region', regionCode: '411402' });
    const outside = parsePersonRow(
      ['1', '甲', '411402200501010011', '', '永城市'],
      mapping,
      county,
    );
    expect(outside).toMatchObject({
      problems: [{ field: 'residenceRegion', code: 'OUT_OF_SCOPE' }],
    });
    const inside = parsePersonRow(['1', '甲', '411402200501010011', '', '梁园区'], mapping, county);
    expect(inside).toMatchObject({ problems: [] });
  });
});

describe('formula injection', () => {
  it('neutralises cells starting with = + - @ tab or CR, and the import undoes it', () => {
    for (const value of ['=1+1', '+86 138', '-5', '@SUM(A1)', '\tx', '\rx', '＝1']) {
      expect(neutralizeCell(value)).toBe(`'${value}`);
    }
    expect(neutralizeCell('张三')).toBe('张三');
    expect(neutralizeCell("'=x")).toBe("'=x");
    expect(unneutralize(neutralizeCell('=cmd|x'))).toBe('=cmd|x');
    expect(unneutralize("'plain")).toBe("'plain");
  });
});

describe('numbers from Excel', () => {
  it('shows 16+ digit numbers in scientific notation, as Excel does', () => {
    expect(numberText(411402200501010000)).toBe('4.1140220050101E+17');
    expect(numberText(13812341234)).toBe('13812341234');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
  });
});

describe('CSV', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'jineng-csv-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('tells GBK from UTF-8 (with or without BOM) and finds the delimiter', () => {
    expect(detectCsvFormat(iconv.encode('姓名,身份证号\n张三,1', 'gbk'))).toEqual({
      encoding: 'gb18030',
      delimiter: ',',
    });
    expect(detectCsvFormat(Buffer.from('\ufeff姓名\t身份证号'))).toEqual({
      encoding: 'utf8',
      delimiter: '\t',
    });
    expect(detectCsvFormat(Buffer.from('姓名;身份证号'))).toMatchObject({ delimiter: ';' });
  });

  it('numbers records as Excel rows, a quoted cell spanning lines included', async () => {
    const file = path.join(dir, 'multi.csv');
    await writeFile(file, '姓名,备注\n甲,"两\n行"\n\n乙,x\n');
    const rows = [];
    for await (const row of readCsvRows(file)) rows.push(row);
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['姓名', '备注'] },
      { rowNumber: 2, cells: ['甲', '两\n行'] },
      { rowNumber: 3, cells: [''] },
      { rowNumber: 4, cells: ['乙', 'x'] },
    ]);
  });
});

describe('zip inspection', () => {
  let dir: string;
  const limits: UploadLimits = {
    maxUploadBytes: 5 * 1024 * 1024,
    maxZipEntries: 20,
    maxEntryInflatedBytes: 1024 * 1024,
    maxTotalInflatedBytes: 2 * 1024 * 1024,
  };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'jineng-zip-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const CT = { name: '[Content_Types].xml', data: Buffer.from('<Types/>') };
  const WB = { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') };

  async function refusal(content: Buffer, name = 'x.xlsx') {
    const file = path.join(dir, `${Math.random()}.bin`);
    await writeFile(file, content);
    try {
      await inspectUpload(file, name, limits);
      return undefined;
    } catch (error) {
      if (error instanceof DomainError) return { code: error.code, message: error.message };
      throw error;
    }
  }

  it('accepts a well-formed workbook zip', async () => {
    expect(await refusal(await zipOf([CT, WB]))).toBeUndefined();
  });

  it('stops inflating at the first byte past the declared size', async () => {
    expect(await refusal(await zipBombWithLyingSizes(50 * 1024 * 1024))).toMatchObject({
      code: 'WORKBOOK_INVALID',
    });
  });

  it('caps real inflated bytes per entry and in total, and the entry count', async () => {
    const big = { name: 'xl/worksheets/sheet1.xml', zeros: 1536 * 1024 };
    expect(await refusal(await zipOf([CT, WB, big]))).toMatchObject({
      code: 'WORKBOOK_TOO_LARGE',
    });
    expect(await refusal(await zipWithEntries(30))).toMatchObject({ code: 'WORKBOOK_TOO_LARGE' });
  });

  it('refuses data hidden between entries, encryption, and odd compression', async () => {
    // Bytes between the two entries that a streaming reader would parse and a directory-based
    // check would never see; every offset is fixed up so only the gap is wrong.
    const zip = await zipOf([CT, WB]);
    const compressed = zip.readUInt32LE(18);
    const firstEnd = 30 + zip.readUInt16LE(26) + compressed;
    const hidden = Buffer.concat([
      zip.subarray(0, firstEnd),
      Buffer.from('hidden'),
      zip.subarray(firstEnd),
    ]);
    const end = hidden.length - 22;
    hidden.writeUInt32LE(hidden.readUInt32LE(end + 16) + 6, end + 16);
    const secondCentral = hidden.readUInt32LE(end + 16) + 46 + CT.name.length;
    hidden.writeUInt32LE(hidden.readUInt32LE(secondCentral + 42) + 6, secondCentral + 42);
    expect(await refusal(hidden)).toMatchObject({
      code: 'WORKBOOK_INVALID',
      message: expect.stringContaining('隐藏数据'),
    });

    const encrypted = Buffer.from(await zipOf([CT, WB]));
    const cd = encrypted.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    encrypted.writeUInt16LE(0x0801, cd + 8);
    expect(await refusal(encrypted)).toMatchObject({ code: 'WORKBOOK_INVALID' });

    const odd = Buffer.from(await zipOf([CT, WB]));
    const cd2 = odd.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    odd.writeUInt16LE(12, cd2 + 10);
    expect(await refusal(odd)).toMatchObject({ code: 'WORKBOOK_INVALID' });

    expect(await refusal((await zipOf([CT, WB])).subarray(0, 40))).toMatchObject({
      code: 'WORKBOOK_INVALID',
    });
  });

  it('decides the type by content, not by name', async () => {
    expect(await refusal(Buffer.from('姓名,身份证号\n'), 'roster.xlsx')).toMatchObject({
      code: 'UNSUPPORTED_FILE_TYPE',
    });
    expect(await refusal(await zipOf([CT, WB]), 'roster.csv')).toMatchObject({
      code: 'UNSUPPORTED_FILE_TYPE',
    });
    expect(await refusal(Buffer.from([0, 1, 2, 3, 0, 0]), 'roster.csv')).toMatchObject({
      code: 'UNSUPPORTED_FILE_TYPE',
    });
    expect(await refusal(Buffer.from('姓名,身份证号\n'), 'roster')).toBeUndefined();
    expect(await refusal(Buffer.alloc(0), 'roster.csv')).toMatchObject({
      code: 'IMPORT_FILE_EMPTY',
    });
  });
});
