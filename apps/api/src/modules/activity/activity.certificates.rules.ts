/*
 * Certificates issued elsewhere (R-ACT-1): pure rules, no I/O. The same checks serve the JSON
 * endpoints and the file import; each problem names the field and carries its own stable code,
 * with the message in Chinese (the clerk's file) and English (the API). Number formats are those
 * of ../shared/data/formats.md §1–§3.
 */
import type { ExternalCertificateKind } from './activity.schema.js';

export type CertificateField =
  | 'number'
  | 'skillLevelKey'
  | 'occupationCode'
  | 'itemName'
  | 'issuingProvinceCode'
  | 'issuedOn'
  | 'validUntil';

/** Every way a reported certificate can fail the format rules, one code each. */
export const CERTIFICATE_RULE_CODES = [
  /** Empty after trimming. */
  'CERTIFICATE_NUMBER_REQUIRED',
  /** Not the kind's format: 22 characters ^[YS]…$, 16 digits (13 for old Shanghai ones). */
  'CERTIFICATE_NUMBER_INVALID',
  /** Free-form numbers (专项, 特种作业) longer than 32 visible characters. */
  'CERTIFICATE_NUMBER_TOO_LONG',
  /** The level digit inside the number is not the level reported. */
  'LEVEL_MISMATCH',
  /** The two year digits inside the number are not the issue year's. */
  'YEAR_MISMATCH',
  /** 职业技能等级 and 职业资格 certificates name an occupation. */
  'OCCUPATION_REQUIRED',
  /** Not a 大典 2022 code D-DD-DD-DD. */
  'OCCUPATION_CODE_INVALID',
  /** 职业技能等级 and 职业资格 certificates name a level (五级 … 一级). */
  'SKILL_LEVEL_REQUIRED',
  /** A level that this kind of certificate does not have (e.g. a level on a 特种作业操作证). */
  'SKILL_LEVEL_NOT_APPLICABLE',
  /** 专项职业能力 and 特种作业 certificates name their item or category. */
  'ITEM_NAME_REQUIRED',
  /** Item name over 100 characters. */
  'ITEM_NAME_TOO_LONG',
  /** Not a 2-digit province code (GB/T 2260 prefix, 11–82). */
  'ISSUING_PROVINCE_INVALID',
  /** Issued after today (Asia/Shanghai). */
  'ISSUED_IN_FUTURE',
  /** Valid-until before the issue date. */
  'VALID_UNTIL_BEFORE_ISSUE',
] as const;
export type CertificateRuleCode = (typeof CERTIFICATE_RULE_CODES)[number];

export interface CertificateProblem {
  field: CertificateField;
  code: CertificateRuleCode;
  zh: string;
  en: string;
}

export interface CertificateDraft {
  kind: ExternalCertificateKind;
  number: string;
  occupationCode?: string | null;
  skillLevelKey?: string | null;
  itemName?: string | null;
  issuingProvinceCode: string;
  /** YYYY-MM-DD. */
  issuedOn: string;
  validUntil?: string | null;
}

/** A draft that passed: normalised number, defaults applied. */
export interface CheckedCertificate {
  kind: ExternalCertificateKind;
  number: string;
  occupationCode: string | null;
  skillLevelKey: string | null;
  itemName: string | null;
  issuingProvinceCode: string;
  issuedOn: string;
  validUntil: string | null;
}

/** 特种作业操作证 are valid six years (re-examined every three); the default when none is given. */
export const SPECIAL_OPERATION_VALID_YEARS = 6;
export const MAX_FREE_NUMBER_LENGTH = 32;
export const MAX_ITEM_NAME_LENGTH = 100;
/** Old Shanghai 职业资格证书 numbers have 13 digits; they are queried (and stored) with `000`. */
export const SHANGHAI_PROVINCE = '31';

const SKILL_LEVEL_NUMBER = /^[YS][0-9]{14}[1-5][0-9]{6}$/;
const OCCUPATION_CODE = /^[0-9]-[0-9]{2}-[0-9]{2}-[0-9]{2}$/;
const PROVINCE_CODE = /^[1-8][0-9]$/;
const LEVEL_KEY = /^level([1-5])$/;

/** The level digit of a skill-level key (`level4` → 4), or undefined for 专项 and unknown keys. */
export function levelDigitOf(skillLevelKey: string | null | undefined): number | undefined {
  const match = LEVEL_KEY.exec(skillLevelKey ?? '');
  return match ? Number(match[1]) : undefined;
}

/** NFKC, no whitespace at all: numbers are copied from paper and spreadsheets. */
export function normaliseNumber(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, '');
}

/** `YYYY-MM-DD` plus whole years (29 Feb → 28 Feb in a common year). */
export function addYears(civilDate: string, years: number): string {
  const [y, m, d] = civilDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, 1));
  const lastDay = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

function problem(
  field: CertificateField,
  code: CertificateRuleCode,
  zh: string,
  en: string,
): CertificateProblem {
  return { field, code, zh, en };
}

/** 职业技能等级证书 (formats.md §1): level digit = position 16, year = positions 14–15. */
function checkSkillLevelNumber(number: string, draft: CertificateDraft): CertificateProblem[] {
  if (!SKILL_LEVEL_NUMBER.test(number)) {
    return [
      problem(
        'number',
        'CERTIFICATE_NUMBER_INVALID',
        '职业技能等级证书编号应为 22 位：Y 或 S 加 21 位数字（第 16 位为等级 1–5）。',
        'A skill-level certificate number is Y or S followed by 21 digits (digit 16 the level 1–5)',
      ),
    ];
  }
  return [
    ...yearProblems(number.slice(13, 15), draft.issuedOn),
    ...levelProblems(Number(number[15]), draft.skillLevelKey),
  ];
}

/** 国家职业资格证书 (formats.md §2): year = digits 1–2, level = digit 11. */
function checkLegacyNumber(
  number: string,
  draft: CertificateDraft,
): { number: string; problems: CertificateProblem[] } {
  if (/^[0-9]{13}$/.test(number) && draft.issuingProvinceCode === SHANGHAI_PROVINCE) {
    // The 13-digit layout is not documented: stored with the 000 prefix, not checked further.
    return { number: `000${number}`, problems: [] };
  }
  if (!/^[0-9]{16}$/.test(number)) {
    return {
      number,
      problems: [
        problem(
          'number',
          'CERTIFICATE_NUMBER_INVALID',
          '职业资格证书编号应为 16 位数字（上海旧证可为 13 位，发证省份填 31）。',
          'A qualification certificate number has 16 digits (13 for old Shanghai ones, province 31)',
        ),
      ],
    };
  }
  return {
    number,
    problems: [
      ...yearProblems(number.slice(0, 2), draft.issuedOn),
      ...levelProblems(Number(number[10]), draft.skillLevelKey),
    ],
  };
}

function yearProblems(digits: string, issuedOn: string): CertificateProblem[] {
  if (!/^[0-9]{4}-/.test(issuedOn) || issuedOn.slice(2, 4) === digits) return [];
  return [
    problem(
      'number',
      'YEAR_MISMATCH',
      `证书编号中的年份“${digits}”与发证日期 ${issuedOn.slice(0, 4)} 年不一致。`,
      `The year digits ${digits} of the number do not match the issue year ${issuedOn.slice(0, 4)}`,
    ),
  ];
}

function levelProblems(digit: number, skillLevelKey: string | null | undefined) {
  const reported = levelDigitOf(skillLevelKey);
  if (reported === undefined || reported === digit) return [];
  return [
    problem(
      'number',
      'LEVEL_MISMATCH',
      `证书编号中的等级“${digit}”与填写的技能等级（${reported} 级）不一致。`,
      `The level digit ${digit} of the number does not match the level reported (${reported})`,
    ),
  ];
}

function freeNumberProblems(number: string): CertificateProblem[] {
  if ([...number].length <= MAX_FREE_NUMBER_LENGTH) return [];
  return [
    problem(
      'number',
      'CERTIFICATE_NUMBER_TOO_LONG',
      `证书编号不能超过 ${MAX_FREE_NUMBER_LENGTH} 个字符。`,
      `The certificate number is longer than ${MAX_FREE_NUMBER_LENGTH} characters`,
    ),
  ];
}

/**
 * Checks a reported certificate against its kind's rules and today's date (Asia/Shanghai), and
 * normalises it: the number without spaces (upper case for 22-character numbers, `000` before
 * a 13-digit Shanghai number), 专项 with the level `special_ability`, a 特种作业操作证 valid six
 * years unless told. Every problem is reported, not only the first.
 */
export function checkCertificate(
  draft: CertificateDraft,
  today: string,
): { ok: true; certificate: CheckedCertificate } | { ok: false; problems: CertificateProblem[] } {
  const problems: CertificateProblem[] = [];
  let number = normaliseNumber(draft.number);
  const occupationCode = draft.occupationCode?.trim() || null;
  let skillLevelKey = draft.skillLevelKey?.trim() || null;
  const itemName = draft.itemName?.normalize('NFKC').trim().replace(/\s+/g, ' ') || null;
  const province = draft.issuingProvinceCode.trim();
  let validUntil = draft.validUntil?.trim() || null;
  const certified = draft.kind === 'skill_level' || draft.kind === 'qualification_legacy';

  if (number === '') {
    problems.push(
      problem(
        'number',
        'CERTIFICATE_NUMBER_REQUIRED',
        '证书编号不能为空。',
        'The certificate number is required',
      ),
    );
  } else if (draft.kind === 'skill_level') {
    number = number.toUpperCase();
    problems.push(...checkSkillLevelNumber(number, draft));
  } else if (draft.kind === 'qualification_legacy') {
    const legacy = checkLegacyNumber(number, draft);
    number = legacy.number;
    problems.push(...legacy.problems);
  } else {
    problems.push(...freeNumberProblems(number));
  }

  if (occupationCode !== null && !OCCUPATION_CODE.test(occupationCode)) {
    problems.push(
      problem(
        'occupationCode',
        'OCCUPATION_CODE_INVALID',
        `职业编码“${occupationCode.slice(0, 20)}”格式不对，应如 4-03-02-01。`,
        'The occupation code is not a 2022 大典 code like 4-03-02-01',
      ),
    );
  } else if (certified && occupationCode === null) {
    problems.push(
      problem(
        'occupationCode',
        'OCCUPATION_REQUIRED',
        '职业技能等级证书和职业资格证书须填写职业编码。',
        'Skill-level and qualification certificates name an occupation',
      ),
    );
  }

  if (certified) {
    if (skillLevelKey === null) {
      problems.push(
        problem(
          'skillLevelKey',
          'SKILL_LEVEL_REQUIRED',
          '职业技能等级证书和职业资格证书须填写技能等级（五级至一级）。',
          'Skill-level and qualification certificates name a level (level5 … level1)',
        ),
      );
    } else if (levelDigitOf(skillLevelKey) === undefined) {
      problems.push(
        problem(
          'skillLevelKey',
          'SKILL_LEVEL_NOT_APPLICABLE',
          '技能等级应为五级/初级工至一级/高级技师之一。',
          'The level must be one of level5 … level1',
        ),
      );
    }
  } else if (draft.kind === 'special_ability') {
    if (skillLevelKey !== null && skillLevelKey !== 'special_ability') {
      problems.push(
        problem(
          'skillLevelKey',
          'SKILL_LEVEL_NOT_APPLICABLE',
          '专项职业能力证书没有技能等级。',
          'A special-ability certificate has no skill level',
        ),
      );
    }
    skillLevelKey = 'special_ability';
  } else if (skillLevelKey !== null) {
    problems.push(
      problem(
        'skillLevelKey',
        'SKILL_LEVEL_NOT_APPLICABLE',
        '特种作业操作证没有技能等级。',
        'A special-operation certificate has no skill level',
      ),
    );
  }

  if (!certified && itemName === null) {
    problems.push(
      problem(
        'itemName',
        'ITEM_NAME_REQUIRED',
        draft.kind === 'special_ability'
          ? '专项职业能力证书须填写项目名称。'
          : '特种作业操作证须填写作业类别，如“电工作业/低压电工作业”。',
        draft.kind === 'special_ability'
          ? 'A special-ability certificate names its item'
          : 'A special-operation certificate names its category, e.g. 电工作业/低压电工作业',
      ),
    );
  } else if (itemName !== null && [...itemName].length > MAX_ITEM_NAME_LENGTH) {
    problems.push(
      problem(
        'itemName',
        'ITEM_NAME_TOO_LONG',
        `项目名称不能超过 ${MAX_ITEM_NAME_LENGTH} 个字符。`,
        `The item name is longer than ${MAX_ITEM_NAME_LENGTH} characters`,
      ),
    );
  }

  if (!PROVINCE_CODE.test(province)) {
    problems.push(
      problem(
        'issuingProvinceCode',
        'ISSUING_PROVINCE_INVALID',
        '发证省份代码应为 2 位数字，如河南 41。',
        'The issuing province is a 2-digit code, e.g. 41 for Henan',
      ),
    );
  }

  if (draft.issuedOn > today) {
    problems.push(
      problem(
        'issuedOn',
        'ISSUED_IN_FUTURE',
        `发证日期 ${draft.issuedOn} 晚于今天。`,
        `The issue date ${draft.issuedOn} is after today`,
      ),
    );
  }
  if (draft.kind === 'special_operation' && validUntil === null) {
    validUntil = addYears(draft.issuedOn, SPECIAL_OPERATION_VALID_YEARS);
  }
  if (validUntil !== null && validUntil < draft.issuedOn) {
    problems.push(
      problem(
        'validUntil',
        'VALID_UNTIL_BEFORE_ISSUE',
        `有效期至 ${validUntil} 早于发证日期 ${draft.issuedOn}。`,
        `Valid until ${validUntil} is before the issue date ${draft.issuedOn}`,
      ),
    );
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    certificate: {
      kind: draft.kind,
      number,
      occupationCode,
      skillLevelKey,
      itemName,
      issuingProvinceCode: province,
      issuedOn: draft.issuedOn,
      validUntil,
    },
  };
}

/**
 * A 特种作业操作证 whose number is the holder's ID number is stored as this mark plus the start of
 * the ID number's blind index (32 characters, unique per person like the number), never the ID
 * number in clear: ID numbers are encrypted at rest (ARCHITECTURE.md).
 */
export const HOLDER_ID_MARK = 'ID:';

/** The stored form of a holder's-ID-number certificate number, from its blind index. */
export function holderIdNumberMark(blindIndex: string): string {
  return HOLDER_ID_MARK + blindIndex.slice(0, MAX_FREE_NUMBER_LENGTH - HOLDER_ID_MARK.length);
}

/**
 * What an answer may show of a number: a 特种作业操作证's number is in practice the holder's ID
 * number, so it is masked like one (first 6, last 4); other numbers are not personal data. A
 * stored mark shows the holder's masked ID number.
 */
export function displayNumber(
  kind: ExternalCertificateKind,
  number: string,
  holderIdNumberMasked = '',
): string {
  if (number.startsWith(HOLDER_ID_MARK)) return holderIdNumberMasked;
  if (kind !== 'special_operation') return number;
  const chars = [...number];
  if (chars.length <= 6) return '*'.repeat(chars.length);
  const keepEnd = chars.length >= 14 ? 4 : 2;
  const keepStart = chars.length >= 14 ? 6 : 2;
  return (
    chars.slice(0, keepStart).join('') +
    '*'.repeat(chars.length - keepStart - keepEnd) +
    chars.slice(-keepEnd).join('')
  );
}

// ---------------------------------------------------------------------------------------------
// Counting (shared with #9): the TypeScript mirror of the views in 0015_activity_counting.sql.

export type CertificationSource = 'evaluation' | 'unit_report' | 'import' | 'api';

/** One certificate of a person, from either source, as the `certifications` view has it. */
export interface CertificationRecord {
  source: CertificationSource;
  personId: string;
  occupationCode: string | null;
  skillLevelKey: string | null;
  /** The 专项 item's name or the 特种作业 category. */
  itemKey: string | null;
  isHighSkilled: boolean;
  unitId: string | null;
  issuedOn: string;
  recordId: string;
}

/**
 * What a person is certified in: the occupation, or for 专项 and 特种作业 (where one occupation
 * has many items, or none is named) the item. With the level, it is the counting key: one
 * person certified twice in it — by us and elsewhere, or by two units — counts once.
 */
export function certificationKey(record: {
  occupationCode: string | null;
  skillLevelKey: string | null;
  itemKey: string | null;
}): string {
  const what =
    record.occupationCode === null || record.skillLevelKey === 'special_ability'
      ? `item:${(record.itemKey ?? '').trim()}`
      : record.occupationCode;
  return `${what}|${record.skillLevelKey ?? ''}`;
}

export interface CountedCertification extends CertificationRecord {
  countingKey: string;
  /** How many records fell on the key: records - 1 duplicates were removed. */
  records: number;
}

/** Orders records: earliest issue first, ours (evaluation) before reports on a tie, then id. */
function earlier(a: CertificationRecord, b: CertificationRecord): number {
  if (a.issuedOn !== b.issuedOn) return a.issuedOn < b.issuedOn ? -1 : 1;
  const ours = Number(b.source === 'evaluation') - Number(a.source === 'evaluation');
  if (ours !== 0) return ours;
  return a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0;
}

/** One row per (person, counting key): the earliest record, with the number of records. */
export function countCertifications(
  records: readonly CertificationRecord[],
): CountedCertification[] {
  const groups = new Map<string, CertificationRecord[]>();
  for (const record of records) {
    const key = `${record.personId}#${certificationKey(record)}`;
    const group = groups.get(key);
    if (group) group.push(record);
    else groups.set(key, [record]);
  }
  return [...groups.values()].map((group) => {
    const first = [...group].sort(earlier)[0] as CertificationRecord;
    return { ...first, countingKey: certificationKey(first), records: group.length };
  });
}
