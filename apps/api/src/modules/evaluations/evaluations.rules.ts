/**
 * Pure rules of skill evaluation (鉴定评价): which approval covers a session, what a candidate's
 * scores amount to, and which vouchers qualify a candidate. No I/O.
 */
import type { CandidateResult } from './evaluations.schema.js';

/** An occupation without its own pass marks uses 60 for each part. */
export const DEFAULT_PASS_MARK = 60;

/** 专项职业能力: its own catalogue, no level digit, a practical part only. */
export const SPECIAL_ABILITY_KEY = 'special_ability';

export interface PassMarks {
  /** null: the session has no theory part (专项职业能力). */
  theory: number | null;
  practical: number;
}

/** The pass marks a new session copies: the occupation's own, or 60/60; 专项 drops theory. */
export function sessionPassMarks(
  skillLevelKey: string,
  configured: { theoryPassMark: number; practicalPassMark: number } | undefined,
): PassMarks {
  const theory = configured?.theoryPassMark ?? DEFAULT_PASS_MARK;
  const practical = configured?.practicalPassMark ?? DEFAULT_PASS_MARK;
  return { theory: skillLevelKey === SPECIAL_ABILITY_KEY ? null : theory, practical };
}

export interface Scores {
  theoryScore: number | null;
  practicalScore: number | null;
  absent: boolean;
}

/**
 * A candidate's result: `absent` when they did not sit; otherwise, once every part the session
 * holds has a score, `pass` iff each reaches its pass mark (the mark itself passes), else `fail`.
 * null while a part is still unscored.
 */
export function candidateResult(marks: PassMarks, scores: Scores): CandidateResult | null {
  if (scores.absent) return 'absent';
  if (scores.practicalScore === null) return null;
  if (marks.theory !== null && scores.theoryScore === null) return null;
  const theoryOk = marks.theory === null || (scores.theoryScore ?? 0) >= marks.theory;
  return theoryOk && scores.practicalScore >= marks.practical ? 'pass' : 'fail';
}

/** Field errors of a score entry: a theory score for a session without a theory part. */
export function scoreFieldErrors(
  marks: PassMarks,
  scores: Scores,
): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  if (marks.theory === null && scores.theoryScore !== null) {
    errors.push({ path: '/body/theoryScore', message: 'this session has no theory part' });
  }
  if (scores.absent && (scores.theoryScore !== null || scores.practicalScore !== null)) {
    errors.push({ path: '/body/absent', message: 'an absent candidate has no scores' });
  }
  return errors;
}

export interface ApprovalWindow {
  id: string;
  validFrom: string;
  validTo: string;
}

export type ScopeDecision = { ok: true; scopeId: string } | { ok: false; message: string };

/**
 * Which of the site's approvals for the occupation and level covers `heldOn` (YYYY-MM-DD, both
 * ends included); otherwise the reason, naming the nearest approval's end or start.
 */
export function coveringScope(
  approvals: readonly ApprovalWindow[],
  heldOn: string,
  what: { occupation: string; level: string },
): ScopeDecision {
  const covering = approvals.find((a) => a.validFrom <= heldOn && heldOn <= a.validTo);
  if (covering) return { ok: true, scopeId: covering.id };
  const base = `The site is not approved for ${what.occupation} at ${what.level} on ${heldOn}`;
  const ended = approvals
    .filter((a) => a.validTo < heldOn)
    .sort((a, b) => b.validTo.localeCompare(a.validTo))[0];
  if (ended) return { ok: false, message: `${base}: the approval ended on ${ended.validTo}` };
  const later = approvals
    .filter((a) => a.validFrom > heldOn)
    .sort((a, b) => a.validFrom.localeCompare(b.validFrom))[0];
  if (later) return { ok: false, message: `${base}: the approval starts on ${later.validFrom}` };
  return { ok: false, message: base };
}

/**
 * Whether a class at `classDigit` qualifies for an evaluation at `sessionDigit`: the same level
 * or a higher one (level 1 is the highest). A class without a level digit qualifies for none.
 */
export function levelQualifies(classDigit: number | null, sessionDigit: number | null): boolean {
  if (classDigit === null || sessionDigit === null) return false;
  return sessionDigit <= classDigit;
}

/**
 * Whether a voucher's training matches the session's occupation: the class's occupation is the
 * session's, or the voucher names a category (medium group level 2, minor group level 3) that
 * contains it.
 */
export function voucherOccupationMatches(
  voucher: { occupationCode: string; occupationLevel: number; classOccupationCode: string },
  sessionOccupationCode: string,
): boolean {
  if (voucher.classOccupationCode === sessionOccupationCode) return true;
  if (voucher.occupationLevel === 4) return voucher.occupationCode === sessionOccupationCode;
  const prefix = voucher.occupationCode.split('-').slice(0, voucher.occupationLevel).join('-');
  return sessionOccupationCode.startsWith(`${prefix}-`);
}
