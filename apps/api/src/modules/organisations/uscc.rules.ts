/*
 * 统一社会信用代码 (GB 32100-2015) validation: pure rules, no I/O.
 *
 * Structure (18 characters from USCC_ALPHABET):
 *   1      登记管理部门 (registration authority: 1 机构编制, 5 民政, 9 工商/市场监管, Y 其他, …)
 *   2      机构类别 (entity type, meaning depends on position 1)
 *   3–8    登记管理机关行政区划码 (GB/T 2260, 6 digits)
 *   9–17   主体标识码 = 组织机构代码 (GB 11714: 8 characters + its own check character)
 *   18     check character over positions 1–17 (GB/T 17710 style MOD 31)
 *
 * Positions 1 and 2 are not restricted to today's known values: amendments to the standard have
 * added registration authorities (A, N, …) and python-stdnum's "digits only in 1–8" rule would
 * reject real codes. The check character catches mistakes there anyway.
 *
 * Decision: a wrong embedded GB 11714 check character REJECTS (USCC_ORG_CODE_CHECKSUM). GB 32100
 * requires positions 9–17 to be a GB 11714 code, and every real code in the vector file (202 of
 * them, including the MA… codes assigned after 2015) passes that check. The outer check runs
 * first, so a typo is always reported as USCC_CHECKSUM; USCC_ORG_CODE_CHECKSUM only fires for a
 * code that is internally consistent yet has an impossible organisation code, i.e. one made up
 * or produced by a faulty generator. If a genuine code failing it ever turns up, downgrade this
 * to a warning rather than loosen the outer check.
 */

/** Characters a USCC may contain, in check-value order: I, O, Z, S and V are never used. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Why a value is not an acceptable unified social credit code. */
export const USCC_ERROR_CODES = ['USCC_FORMAT', 'USCC_CHECKSUM', 'USCC_ORG_CODE_CHECKSUM'] as const;
export type UsccErrorCode = (typeof USCC_ERROR_CODES)[number];

export interface UsccValid {
  ok: true;
  /** Canonical form (normalizeUscc): 18 upper-case characters, no separators. */
  uscc: string;
  /** Position 1, 登记管理部门代码. */
  registrationAuthority: string;
  /** Position 2, 机构类别代码. */
  entityType: string;
  /** Positions 3–8, the registering authority's GB/T 2260 code. */
  regionCode: string;
  /** Positions 9–17, the GB 11714 organisation code including its check character. */
  organisationCode: string;
}

export interface UsccInvalid {
  ok: false;
  code: UsccErrorCode;
  /** Chinese, clear to a clerk. */
  message: string;
  messageEn: string;
}

export type UsccResult = UsccValid | UsccInvalid;

// Whitespace of every kind and invisible format characters (copied from Word, WeChat, Excel),
// and dashes: licences and forms print the code in groups (91 110000 600037341L, 6000373-4).
const SEPARATORS = /[\s\p{Cf}\p{Pd}]+/gu;

/**
 * Canonical form of a USCC: NFKC (full-width ９１… becomes 91…), whitespace, invisible characters
 * and dashes removed, upper case. Never rejects; validateUscc decides.
 */
export function normalizeUscc(raw: string): string {
  return raw.normalize('NFKC').replace(SEPARATORS, '').toUpperCase();
}

// 3^i mod 31 for positions 1–17.
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * GB 32100 check character of the first 17 characters: alphabet[(31 − Σ value·weight mod 31)
 * mod 31], values being positions in USCC_ALPHABET.
 * @throws RangeError when `first17` is not 17 characters of USCC_ALPHABET.
 */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('expected the first 17 characters of a USCC');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new RangeError(`"${first17.charAt(i)}" is not a USCC character`);
    sum += value * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * GB 11714 check character of an organisation code's 8-character body: 11 − (Σ value·weight
 * mod 11), 10 → X, 11 → 0. Letters count A = 10 … Z = 35 (GB 11714's own values, not their
 * positions in USCC_ALPHABET: J is 19 here, 18 there).
 * @throws RangeError when `body` is not 8 digits or upper-case letters.
 */
export function organisationCodeCheckChar(body: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body)) throw new RangeError('expected an 8-character GB 11714 body');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body.charAt(i), 36) * (ORG_WEIGHTS[i] ?? 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

function fail(code: UsccErrorCode, message: string, messageEn: string): UsccInvalid {
  return { ok: false, code, message, messageEn };
}

/**
 * Validates a unified social credit code as typed, pasted or imported (normalizeUscc first).
 * Order: length, alphabet, digits in 3–8, the overall check character, then the embedded
 * GB 11714 check (see the file comment for why that one rejects).
 */
export function validateUscc(raw: string): UsccResult {
  const value = normalizeUscc(raw);
  const length = [...value].length;

  if (length !== 18) {
    return fail(
      'USCC_FORMAT',
      `统一社会信用代码应为 18 位（当前为 ${length} 位），请对照营业执照或登记证书核对。`,
      `A unified social credit code has 18 characters (this value has ${length}).`,
    );
  }

  const bad = [...new Set([...value].filter((c) => !USCC_ALPHABET.includes(c)))];
  if (bad.length > 0) {
    // O/0 and I/1 are the usual confusions: say so, it is what the clerk can act on.
    const hint = bad.some((c) => c === 'O' || c === 'I')
      ? '（常见原因：把数字 0 录成了字母 O，把数字 1 录成了字母 I）'
      : '';
    return fail(
      'USCC_FORMAT',
      `统一社会信用代码含有不允许的字符“${bad.join('、')}”：代码只由数字和大写字母组成，` +
        `且不使用字母 I、O、Z、S、V${hint}。`,
      `The code contains characters that are never used: ${bad.join(', ')}. A code has digits ` +
        'and capital letters except I, O, Z, S and V (0/O and 1/I are easily confused).',
    );
  }

  const regionCode = value.slice(2, 8);
  if (!/^\d{6}$/.test(regionCode)) {
    return fail(
      'USCC_FORMAT',
      `统一社会信用代码第 3—8 位应为 6 位数字的行政区划码（当前为 ${regionCode}），请核对。`,
      `Characters 3–8 must be the 6-digit region code (this value has ${regionCode}).`,
    );
  }

  if (usccCheckChar(value.slice(0, 17)) !== value.charAt(17)) {
    return fail(
      'USCC_CHECKSUM',
      '统一社会信用代码校验位（第 18 位）与前 17 位不符，代码中可能有输错或颠倒的字符，' +
        '请对照营业执照或登记证书核对。',
      'The check character (18th) does not match the first 17; a character is probably ' +
        'mistyped or swapped. Compare with the business licence or registration certificate.',
    );
  }

  const organisationCode = value.slice(8, 17);
  if (organisationCodeCheckChar(organisationCode.slice(0, 8)) !== organisationCode.charAt(8)) {
    return fail(
      'USCC_ORG_CODE_CHECKSUM',
      `统一社会信用代码第 9—17 位的组织机构代码 ${organisationCode} 校验不通过，` +
        '这不是一个有效的代码，请对照营业执照或登记证书核对。',
      `The organisation code in characters 9–17 (${organisationCode}) fails its GB 11714 ` +
        'check, so this cannot be a real code. Compare with the licence or certificate.',
    );
  }

  return {
    ok: true,
    uscc: value,
    registrationAuthority: value.charAt(0),
    entityType: value.charAt(1),
    regionCode,
    organisationCode,
  };
}
