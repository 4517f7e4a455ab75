/*
 * Cells → typed values, one roster row at a time. Pure: the region and key-group catalogs and the
 * ID-number validator are handed in (loaded once per import), so the same code runs for the API,
 * the CLI and the unit tests. Every problem carries the field it belongs to and a message in
 * Chinese that tells the clerk what to change in the spreadsheet.
 */
import { isMobilePhone, normalizePhone } from '../../platform/crypto/index.js';
import type { Scope } from '../../platform/auth/roles.js';
import type { IdNumberResult } from '../persons/id-number.rules.js';
import type { PersonImportRow } from '../persons/persons.import.js';
import type { Education, EmploymentStatus } from '../persons/persons.schema.js';
import type { HeaderMapping, PersonField } from './imports.headers.js';

/** One problem of one row; `field` null means the row as a whole. */
export interface RowProblem<F extends string = PersonField> {
  field: F | null;
  code: string;
  message: string;
}

/** The text form of every blank-looking cell: spaces of every width, zero-width characters. */
const BLANK = /^[\s\p{Cf}]*$/u;
const SPACES = /[\s\p{Cf}]+/gu;

export function isBlank(value: string | undefined): boolean {
  return value === undefined || BLANK.test(value);
}

/** Trimmed text with inner runs of whitespace collapsed to one space. */
export function cleanText(value: string | undefined): string {
  return (value ?? '').replace(SPACES, ' ').trim();
}

/**
 * Undoes our own formula-injection guard (`neutralizeCell` in imports.workbook.ts): a failed-rows
 * workbook that is fixed and uploaded again must import the value the person typed, not `'=…`.
 */
export function unneutralize(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/** A row's reader: a mapped column's cleaned text, '' when the file has no such column. */
export function cellReader<F extends string>(
  cells: readonly string[],
  mapping: HeaderMapping<F>,
): (field: F) => string {
  return (field) => {
    const index = mapping.columns.get(field);
    return index === undefined ? '' : cleanText(unneutralize(cells[index] ?? ''));
  };
}

/** The problem of a date cell that is not a day (parseCivilDate in employment.rules.ts). */
export function invalidDate<F extends string>(
  field: F,
  label: string,
  text: string,
): RowProblem<F> {
  return {
    field,
    code: 'DATE_INVALID',
    message: `${label}“${text.slice(0, 20)}”无法识别，请填写如 2026-03-01 的日期。`,
  };
}

/**
 * Rows an import skips: an empty row (also one with only a 序号) is `blank`; the template's
 * example row (序号 示例) is `example`; any other row is undefined.
 */
export function skippedRow<F extends string>(
  cells: readonly string[],
  mapping: HeaderMapping<F>,
): { kind: 'blank' } | { kind: 'example' } | undefined {
  if (cells.every((cell, index) => index === mapping.seqColumn || isBlank(cell))) {
    return { kind: 'blank' };
  }
  const seq = mapping.seqColumn === undefined ? '' : cleanText(cells[mapping.seqColumn]);
  return seq === EXAMPLE_MARK ? { kind: 'example' } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Regions

export interface RegionRecord {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
}

/** Names people use for Shangqiu's functional zones, which GB/T 2260 names differently or not at all. */
const SHANGQIU = '411400';
const ZONE_ALIASES: Record<string, string> = {
  示范区: '4114L1',
  城乡一体化示范区: '4114L1',
  商丘城乡一体化示范区: '4114L1',
  经济开发区: '411472',
  经开区: '411472',
  开发区: '411472',
  商丘经济开发区: '411472',
  物流产业聚集区: '411471',
  豫东综合物流产业聚集区: '411471',
};

const COUNTY_SUFFIX = /(区|县|市)$/;

/**
 * Region text → region code. Accepts a code (411402, a 9-digit township code, 4114L1), a full
 * name with or without province and city (河南省商丘市梁园区, 商丘市梁园区, 梁园区), a short
 * name (梁园, 永城) and the local names of Shangqiu's zones (示范区 → 4114L1). Anything after
 * the county (a township, a street) is ignored: the county is what scoping needs.
 */
export class RegionResolver {
  readonly #byCode = new Map<string, RegionRecord>();
  /** Prefecture-name variants, longest first. */
  readonly #prefectures: [string, string][] = [];
  /** Per prefecture: county-name variants, longest first. */
  readonly #counties = new Map<string, [string, string][]>();
  /** County-name variants across Henan that name one county only. */
  readonly #uniqueCounties: [string, string][] = [];

  constructor(
    regions: readonly RegionRecord[],
    readonly homePrefecture: string = SHANGQIU,
  ) {
    const anywhere = new Map<string, Set<string>>();
    for (const region of regions) {
      this.#byCode.set(region.code, region);
      if (region.level === 2) {
        for (const variant of nameVariants(region.name, /市$/)) {
          this.#prefectures.push([variant, region.code]);
        }
      }
      if (region.level === 3 && region.parentCode) {
        const list = this.#counties.get(region.parentCode) ?? [];
        for (const variant of nameVariants(region.name, COUNTY_SUFFIX)) {
          list.push([variant, region.code]);
          const codes = anywhere.get(variant) ?? new Set<string>();
          codes.add(region.code);
          anywhere.set(variant, codes);
        }
        this.#counties.set(region.parentCode, list);
      }
    }
    const home = this.#counties.get(homePrefecture) ?? [];
    for (const [alias, code] of Object.entries(ZONE_ALIASES)) {
      if (this.#byCode.has(code)) home.push([alias, code]);
    }
    this.#counties.set(homePrefecture, home);
    for (const [variant, codes] of anywhere) {
      const [code] = [...codes];
      if (codes.size === 1 && code !== undefined) this.#uniqueCounties.push([variant, code]);
    }
    const longestFirst = (a: [string, string], b: [string, string]) => b[0].length - a[0].length;
    this.#prefectures.sort(longestFirst);
    for (const list of this.#counties.values()) list.sort(longestFirst);
    this.#uniqueCounties.sort(longestFirst);
  }

  /** The region a code names, if it is in the catalog. */
  get(code: string): RegionRecord | undefined {
    return this.#byCode.get(code);
  }

  /** The county-level code (or the prefecture) for a region code, e.g. a township's county. */
  countyOf(code: string): string | undefined {
    const region = this.#byCode.get(code);
    if (!region) return undefined;
    return region.level === 4 ? (region.parentCode ?? undefined) : region.code;
  }

  resolve(raw: string): string | undefined {
    const text = raw.normalize('NFKC').replace(SPACES, '');
    if (text === '') return undefined;
    const code = this.#resolveCode(text);
    if (code !== undefined) return code;
    let rest = text.replace(/^河南(省)?/, '');
    const prefecture = prefixMatch(this.#prefectures, rest);
    if (prefecture) {
      rest = rest.slice(prefecture[0].length);
      if (rest === '') return prefecture[1];
      const county = prefixMatch(this.#counties.get(prefecture[1]) ?? [], rest);
      return county ? county[1] : prefecture[1];
    }
    const home = prefixMatch(this.#counties.get(this.homePrefecture) ?? [], rest);
    if (home) return home[1];
    return prefixMatch(this.#uniqueCounties, rest)?.[1];
  }

  #resolveCode(text: string): string | undefined {
    if (/^\d{4}L\d$/i.test(text)) {
      const code = text.toUpperCase();
      return this.#byCode.has(code) ? code : undefined;
    }
    if (!/^\d{6}(\d{3}(\d{3})?)?$/.test(text)) return undefined;
    // A 12-digit statistical code ends in 000 at township level; try the longest known prefix.
    for (const length of [9, 6]) {
      const code = text.slice(0, length);
      if (text.length >= length && this.#byCode.has(code)) return code;
    }
    return undefined;
  }
}

function nameVariants(name: string, suffix: RegExp): string[] {
  const short = name.replace(suffix, '');
  return short !== name && short.length >= 2 ? [name, short] : [name];
}

function prefixMatch(list: readonly [string, string][], text: string) {
  return list.find(([variant]) => text.startsWith(variant));
}

// ---------------------------------------------------------------------------------------------
// Key groups

export interface KeyGroupRecord {
  code: string;
  name: string;
  aliases: string[];
}

/** 人员类别 may list several groups: 脱贫人口、退役军人 / 残疾人;新生代农民工. */
const KEY_GROUP_SEPARATORS = /[、,，;；/／|｜\n]+/;

export class KeyGroupResolver {
  readonly #byName = new Map<string, string>();

  constructor(groups: readonly KeyGroupRecord[]) {
    for (const group of groups) {
      for (const name of [group.code, group.name, ...group.aliases]) {
        this.#byName.set(keyOf(name), group.code);
      }
    }
  }

  /** Codes of the groups named in a cell, and the names that matched no group. */
  resolve(raw: string): { codes: string[]; unknown: string[] } {
    const codes = new Set<string>();
    const unknown: string[] = [];
    for (const part of raw.split(KEY_GROUP_SEPARATORS)) {
      const name = keyOf(part);
      if (name === '' || name === '无') continue;
      const code = this.#byName.get(name);
      if (code === undefined) unknown.push(part.trim());
      else codes.add(code);
    }
    return { codes: [...codes].sort(), unknown };
  }
}

function keyOf(name: string): string {
  return name.normalize('NFKC').replace(SPACES, '').toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Small vocabularies

const SEX: Record<string, 'M' | 'F'> = {
  男: 'M',
  女: 'F',
  男性: 'M',
  女性: 'F',
  m: 'M',
  f: 'F',
  male: 'M',
  female: 'F',
};

const EDUCATION: Record<string, Education> = {
  小学: 'primary',
  初中: 'junior_high',
  初级中学: 'junior_high',
  高中: 'senior_high',
  普通高中: 'senior_high',
  中专: 'secondary_vocational',
  中职: 'secondary_vocational',
  技校: 'secondary_vocational',
  职高: 'secondary_vocational',
  中技: 'secondary_vocational',
  中等职业教育: 'secondary_vocational',
  中等专科: 'secondary_vocational',
  大专: 'college',
  专科: 'college',
  高职: 'college',
  大学专科: 'college',
  本科: 'bachelor',
  大学本科: 'bachelor',
  大学: 'bachelor',
  研究生: 'postgraduate',
  硕士: 'postgraduate',
  硕士研究生: 'postgraduate',
  博士: 'postgraduate',
  博士研究生: 'postgraduate',
};

const EMPLOYMENT: Record<string, EmploymentStatus> = {
  就业: 'employed',
  已就业: 'employed',
  在岗: 'employed',
  在职: 'employed',
  务工: 'employed',
  外出务工: 'employed',
  失业: 'unemployed',
  未就业: 'unemployed',
  待业: 'unemployed',
  登记失业: 'unemployed',
  灵活就业: 'flexible',
  自主创业: 'flexible',
  在校: 'student',
  在读: 'student',
  学生: 'student',
  务农: 'farming',
  农业: 'farming',
  退休: 'retired',
  已退休: 'retired',
  不详: 'unknown',
  未知: 'unknown',
  其他: 'unknown',
};

// Landlines with area code, as rosters from offices list them: 0370-3221234 → 03703221234.
const LANDLINE = /^0\d{2,3}\d{7,8}$/;
// Excel shows long numbers as 1.38123E+10; the digits are gone.
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?E[+-]?\d+$/i;

/** Characters a name can hold: Han, letters, the middle dots of minority names. */
const NAME = /^[\p{Script=Han}\p{L}·•.・\- ]{1,50}$/u;

// ---------------------------------------------------------------------------------------------
// Rows

export interface PersonRowContext {
  regions: RegionResolver;
  keyGroups: KeyGroupResolver;
  validateId: (raw: string) => IdNumberResult;
  /** The importer's scope: a county administrator imports their county's people only. */
  scope: Scope;
}

export type ParsedPersonRow =
  | { kind: 'blank' }
  | { kind: 'example' }
  | {
      kind: 'row';
      /** The canonical ID number when it validated, for duplicate detection. */
      idNumber: string | undefined;
      /** Set when `problems` is empty. */
      row: PersonImportRow | undefined;
      problems: RowProblem[];
    };

/** The 序号 a template's example row carries, so an unedited template imports nothing. */
export const EXAMPLE_MARK = '示例';

/**
 * Parses one roster row. Empty rows (also rows with only a 序号) are `blank`; the template's
 * example row is `example`. Everything else yields either an import row or its problems — all of
 * them, so the clerk fixes a row once rather than once per upload.
 */
export function parsePersonRow(
  cells: readonly string[],
  mapping: HeaderMapping<PersonField>,
  context: PersonRowContext,
): ParsedPersonRow {
  const skip = skippedRow(cells, mapping);
  if (skip) return skip;
  const value = cellReader(cells, mapping);

  const problems: RowProblem[] = [];
  const problem = (field: PersonField | null, code: string, message: string) =>
    problems.push({ field, code, message });

  const name = value('name').replace(/\s+/g, (space, offset: number, all: string) =>
    // Keep a space only between Latin letters (Wang Fang); drop it between Han characters.
    /[A-Za-z]/.test(all[offset - 1] ?? '') && /[A-Za-z]/.test(all[offset + space.length] ?? '')
      ? ' '
      : '',
  );
  if (name === '') problem('name', 'NAME_REQUIRED', '姓名不能为空。');
  else if (!NAME.test(name)) {
    problem(
      'name',
      'NAME_INVALID',
      `姓名“${name.slice(0, 20)}”含有数字或符号，或超过 50 个字，请只填写本人姓名。`,
    );
  }

  const rawId = value('idNumber');
  let id: Extract<IdNumberResult, { ok: true }> | undefined;
  if (rawId === '') {
    problem('idNumber', 'ID_REQUIRED', '身份证号码不能为空。');
  } else {
    const checked = context.validateId(rawId);
    if (checked.ok) id = checked;
    else problem('idNumber', checked.code, checked.message);
  }

  const sexText = value('sex').toLowerCase();
  if (sexText !== '') {
    const sex = SEX[sexText];
    if (sex === undefined) {
      problem('sex', 'SEX_INVALID', `性别“${value('sex')}”无法识别，请填写“男”或“女”。`);
    } else if (id && sex !== id.sex) {
      problem(
        'sex',
        'SEX_MISMATCH',
        `性别填写为“${sex === 'M' ? '男' : '女'}”，但身份证号码第 17 位表示` +
          `“${id.sex === 'M' ? '男' : '女'}”，请核对性别或身份证号码。`,
      );
    }
  }

  let phone: string | undefined;
  const phoneText = value('phone');
  if (phoneText !== '') {
    const normalized = normalizePhone(phoneText);
    if (SCIENTIFIC.test(normalized)) {
      problem(
        'phone',
        'PHONE_EXCEL_MANGLED',
        '手机号码被 Excel 显示成了科学计数法，数字已经丢失，请把该列设为“文本”后重新录入。',
      );
    } else if (isMobilePhone(normalized) || LANDLINE.test(normalized)) {
      phone = normalized;
    } else {
      problem(
        'phone',
        'PHONE_INVALID',
        `联系电话“${phoneText.slice(0, 20)}”不是有效的手机号码（11 位，以 1 开头）或带区号的固定电话。`,
      );
    }
  }

  const region = (field: 'householdRegion' | 'residenceRegion'): string | undefined => {
    const text = value(field);
    if (text === '') return undefined;
    const code = context.regions.resolve(text);
    if (code === undefined) {
      problem(
        field,
        'REGION_UNKNOWN',
        `无法识别“${text.slice(0, 30)}”对应的行政区划，请填写县（市、区）名称，` +
          '如“商丘市梁园区”“永城市”，或 6 位区划代码；不清楚可留空。',
      );
    }
    return code;
  };
  const householdRegionCode = region('householdRegion');
  const residenceRegionCode = region('residenceRegion');

  // A county administrator registers the people of their county: the county a person is counted
  // in is where they live, else their household (as persons.import.ts decides); no region at all
  // means the administrator's county.
  if (context.scope.kind === 'region') {
    const own = context.scope.regionCode;
    const counted = residenceRegionCode ?? householdRegionCode;
    const county = counted === undefined ? undefined : context.regions.countyOf(counted);
    if (county !== undefined && county !== own && county !== context.regions.homePrefecture) {
      const field = residenceRegionCode !== undefined ? 'residenceRegion' : 'householdRegion';
      problem(
        field,
        'OUT_OF_SCOPE',
        `该人员属于${context.regions.get(county)?.name ?? county}，不在您管理的县（市、区），` +
          '请由其所在县（市、区）导入。',
      );
    }
  }

  const keyGroupText = value('keyGroups');
  let keyGroups: string[] = [];
  if (keyGroupText !== '') {
    const resolved = context.keyGroups.resolve(keyGroupText);
    keyGroups = resolved.codes;
    if (resolved.unknown.length > 0) {
      problem(
        'keyGroups',
        'UNKNOWN_KEY_GROUP',
        `人员类别“${resolved.unknown.join('、').slice(0, 40)}”不在重点群体目录中，` +
          '请使用目录中的名称（如“农村转移劳动力”“退役军人”），多个类别用顿号分隔。',
      );
    }
  }

  const educationText = value('education');
  let education: Education | undefined;
  if (educationText !== '') {
    education = EDUCATION[educationText.replace(/及以上|以上|毕业|学历/g, '')];
    if (education === undefined) {
      problem(
        'education',
        'EDUCATION_UNKNOWN',
        `文化程度“${educationText.slice(0, 20)}”无法识别，请填写小学、初中、高中、中专、大专、本科或研究生之一，不清楚可留空。`,
      );
    }
  }

  const employmentText = value('employmentStatus');
  let employmentStatus: EmploymentStatus | undefined;
  if (employmentText !== '') {
    employmentStatus = EMPLOYMENT[employmentText];
    if (employmentStatus === undefined) {
      problem(
        'employmentStatus',
        'EMPLOYMENT_STATUS_UNKNOWN',
        `就业状态“${employmentText.slice(0, 20)}”无法识别，请填写已就业、未就业、灵活就业、在校、务农或退休之一，不清楚可留空。`,
      );
    }
  }

  const note = value('note');
  if ([...note].length > 500) {
    problem('note', 'NOTE_TOO_LONG', `备注最多 500 个字，当前 ${[...note].length} 个字。`);
  }

  const row: PersonImportRow | undefined =
    problems.length === 0 && id
      ? {
          id,
          name,
          phone: phone ?? null,
          householdRegionCode: householdRegionCode ?? null,
          residenceRegionCode: residenceRegionCode ?? null,
          education: education ?? null,
          employmentStatus: employmentStatus ?? null,
          keyGroups,
          note: note === '' ? null : note,
        }
      : undefined;
  return { kind: 'row', idNumber: id?.idNumber, row, problems };
}

/**
 * Remembers where each ID number first appeared in the file, so a repeat is reported on its later
 * row. Holds one short string per distinct ID number (tens of bytes), which stays small next to
 * the upload cap; the rows themselves are never kept.
 */
export class DuplicateTracker {
  readonly #firstRow = new Map<string, number>();

  /** The earlier row with this key, or undefined (and the key is remembered) when it is new. */
  seen(key: string, rowNumber: number): number | undefined {
    const earlier = this.#firstRow.get(key);
    if (earlier !== undefined) return earlier;
    this.#firstRow.set(key, rowNumber);
    return undefined;
  }
}
