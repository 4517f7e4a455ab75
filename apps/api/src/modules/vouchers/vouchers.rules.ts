/**
 * Pure rules of the training voucher (职业培训券): its lifecycle, its number, its validity, what
 * it matches and what it pays. No I/O: services call these and tests cover them exhaustively.
 */

export const VOUCHER_STATES = [
  'issued',
  'bound',
  'in_training',
  'completed',
  'certified',
  'redeemed',
  'expired',
  'cancelled',
  'forfeited',
] as const;
export type VoucherState = (typeof VOUCHER_STATES)[number];

export const VOUCHER_ACTIONS = [
  'bind',
  'unbind',
  'start_training',
  'complete',
  'fail_completion',
  'drop_out',
  'certify',
  'decertify',
  'redeem',
  'expire',
  'cancel',
] as const;
export type VoucherAction = (typeof VOUCHER_ACTIONS)[number];

/**
 * A voucher is live until it is redeemed or can no longer be used; one person holds at most one
 * live voucher per occupation (a partial unique index in migration 0009 lists the same states).
 */
export const LIVE_STATES: readonly VoucherState[] = [
  'issued',
  'bound',
  'in_training',
  'completed',
  'certified',
];

/**
 * The one table of allowed transitions. `forfeited` means nothing is payable: the holder dropped
 * out of training or failed the completion assessment. Only a voucher not yet in training can
 * expire, be cancelled or be unbound: once training has started the institution's claim runs to
 * its end (completed → certified → redeemed, or forfeited).
 */
const TRANSITIONS: Record<VoucherAction, Partial<Record<VoucherState, VoucherState>>> = {
  bind: { issued: 'bound' },
  unbind: { bound: 'issued' },
  start_training: { bound: 'in_training' },
  complete: { in_training: 'completed' },
  fail_completion: { in_training: 'forfeited' },
  drop_out: { bound: 'forfeited', in_training: 'forfeited' },
  certify: { completed: 'certified' },
  // The certificate was revoked before redemption: the voucher waits for another certificate.
  decertify: { certified: 'completed' },
  redeem: { certified: 'redeemed' },
  expire: { issued: 'expired', bound: 'expired' },
  cancel: { issued: 'cancelled', bound: 'cancelled' },
};

export type TransitionResult =
  | { ok: true; to: VoucherState }
  | { ok: false; code: 'VOUCHER_EXPIRED' | 'VOUCHER_STATE_CONFLICT'; message: string };

/** Whether `action` may happen to a voucher in `state`, and the state it leads to. */
export function transition(state: VoucherState, action: VoucherAction): TransitionResult {
  const to = TRANSITIONS[action][state];
  if (to !== undefined) return { ok: true, to };
  if (state === 'expired') {
    return {
      ok: false,
      code: 'VOUCHER_EXPIRED',
      message: `The voucher has expired; cannot ${action}`,
    };
  }
  return {
    ok: false,
    code: 'VOUCHER_STATE_CONFLICT',
    message: `A voucher that is ${state} cannot ${action.replaceAll('_', ' ')}`,
  };
}

/** Luhn check digit of a digit string. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    // From the right, every second digit (starting with the one next to the check digit) doubles.
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

const NUMBER_PATTERN = /^SQ([0-9]{2})([0-9]{7})([0-9])$/;

/**
 * The voucher number printed and read aloud: `SQ` (商丘), the two-digit year of issue, a 7-digit
 * serial and a Luhn check digit over the year and serial, e.g. `SQ2600000018`. The check digit
 * catches a single mistyped digit and most swapped neighbours when a clerk types the number.
 */
export function formatVoucherNumber(year: number, serial: number): string {
  if (!Number.isInteger(serial) || serial < 0 || serial > 9_999_999) {
    throw new RangeError('A voucher serial has 7 digits');
  }
  const body = `${String(year % 100).padStart(2, '0')}${String(serial).padStart(7, '0')}`;
  return `SQ${body}${luhnCheckDigit(body)}`;
}

/** Whether a string is a well-formed voucher number with a correct check digit. */
export function isVoucherNumber(value: string): boolean {
  const m = NUMBER_PATTERN.exec(value);
  if (!m) return false;
  return luhnCheckDigit(`${m[1]}${m[2]}`) === Number(m[3]);
}

/** A validity window in Shanghai civil dates, both ends inclusive. */
export interface Validity {
  validFrom: string;
  validTo: string;
}

/** Whether the window is well formed: from ≤ to. */
export function isValidWindow(v: Validity): boolean {
  return v.validFrom <= v.validTo;
}

/** Whether a voucher can be used on `today` (YYYY-MM-DD): inside its window, ends included. */
export function isWithinValidity(v: Validity, today: string): boolean {
  return v.validFrom <= today && today <= v.validTo;
}

/**
 * What a voucher names: an occupation (catalog level 4, or a minor group that is itself an
 * occupation) or a category (a medium group, level 2, or a minor group, level 3) of the 2022
 * 职业分类大典. Codes look like `6-01-01-01`.
 */
export interface VoucherOccupation {
  code: string;
  level: 2 | 3 | 4;
}

/**
 * The match rule for binding: the class's occupation must be the voucher's, or fall in the
 * voucher's category — the same medium group (`6-01-`) for a level-2 voucher, the same minor
 * group (`6-01-01-`) for a level-3 one.
 */
export function occupationMatches(
  voucher: VoucherOccupation,
  classOccupationCode: string,
): boolean {
  if (voucher.level === 4) return voucher.code === classOccupationCode;
  const parts = voucher.code.split('-');
  const prefix = parts.slice(0, voucher.level).join('-') + '-';
  return classOccupationCode.startsWith(prefix);
}

/**
 * The amount the institution will be owed on redemption: the voucher's value, capped by the
 * class's subsidy standard. Both are kept on the voucher so #6 redeems from the stored values.
 */
export function amountPayableFen(valueFen: number, subsidyStandardFen: number): number {
  return Math.min(valueFen, subsidyStandardFen);
}

/** A skill level as the catalogue has it: 五级 … 一级 carry digits 5 … 1; 专项职业能力 none. */
export interface SkillLevelRef {
  key: string;
  levelDigit: number | null;
}

/**
 * Whether a certificate at `certificate`'s level satisfies a class at `classLevel` (以证换券): the
 * same level or higher (a lower digit is higher: 一级 is the highest). A 专项职业能力 class is
 * satisfied only by a 专项职业能力 certificate, and such a certificate satisfies no skill level.
 */
export function certificateLevelSatisfies(
  classLevel: SkillLevelRef,
  certificate: SkillLevelRef,
): boolean {
  if (classLevel.key === 'special_ability' || certificate.key === 'special_ability') {
    return classLevel.key === certificate.key;
  }
  if (classLevel.levelDigit === null || certificate.levelDigit === null) return false;
  return certificate.levelDigit <= classLevel.levelDigit;
}

/** Why a binding would be refused; `field` names the body field it is about, if any. */
export interface BindRefusal {
  code:
    | 'VOUCHER_EXPIRED'
    | 'VOUCHER_STATE_CONFLICT'
    | 'NOT_FOUND'
    | 'CLASS_NOT_BINDABLE'
    | 'VOUCHER_OCCUPATION_MISMATCH';
  message: string;
  /** What is wrong with the body's classId, when the refusal is about the class. */
  classIdError?: string;
}

/** What the binding checks look at: the voucher, today, and the class (if the caller's). */
export interface BindCheck {
  state: VoucherState;
  validity: Validity;
  occupation: VoucherOccupation;
  /** Shanghai civil date, YYYY-MM-DD. */
  today: string;
  /** The class, or undefined when it is not one of the caller's institution's. */
  cls: { occupationCode: string; open: boolean } | undefined;
  /** A binding by ID number already waits for the holder (refuses a second one by ID number). */
  pendingBlocks?: boolean;
}

/**
 * The checks every binding makes, token or ID number, in order: state, validity window, the
 * class (the caller's, approved and unfinished), occupation. Null when the binding may proceed.
 * The bind, confirm and review services throw the refusal; the lookup only reports it.
 */
export function bindRefusal(check: BindCheck): BindRefusal | null {
  const state = transition(check.state, 'bind');
  if (!state.ok) return { code: state.code, message: state.message };
  if (check.today > check.validity.validTo) {
    return {
      code: 'VOUCHER_EXPIRED',
      message: `The voucher expired after ${check.validity.validTo}`,
    };
  }
  if (check.today < check.validity.validFrom) {
    return {
      code: 'VOUCHER_STATE_CONFLICT',
      message: `The voucher is valid from ${check.validity.validFrom}`,
    };
  }
  if (check.pendingBlocks === true) {
    return { code: 'VOUCHER_STATE_CONFLICT', message: 'A binding already awaits the holder' };
  }
  if (!check.cls) {
    return {
      code: 'NOT_FOUND',
      message: 'No such class of your institution',
      classIdError: 'not a class of your institution',
    };
  }
  if (!check.cls.open) {
    return {
      code: 'CLASS_NOT_BINDABLE',
      message: 'Vouchers bind only to approved, unfinished classes',
      classIdError: 'not approved or already finished',
    };
  }
  if (!occupationMatches(check.occupation, check.cls.occupationCode)) {
    return {
      code: 'VOUCHER_OCCUPATION_MISMATCH',
      message: "The class's occupation is not the voucher's, nor in its category",
      classIdError: 'occupation does not match the voucher',
    };
  }
  return null;
}
