/**
 * Pure rules of subsidy claims: numbers, the review workflow, balanced ledger entries. Later
 * slices add payment and the hiring and placement kinds here.
 */

const CLAIM_NUMBER_PATTERN = /^BT[0-9]{10}$/;

/**
 * The claim number shown to institutions and reviewers: `BT` (补贴), the two-digit year and an
 * 8-digit serial from subsidy_claim_serial_seq, e.g. `BT2600000042`.
 */
export function formatClaimNumber(year: number, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > 99_999_999) {
    throw new RangeError('A claim serial has 8 digits');
  }
  return `BT${String(year % 100).padStart(2, '0')}${String(serial).padStart(8, '0')}`;
}

/** Whether a string is a well-formed claim number. */
export function isClaimNumber(value: string): boolean {
  return CLAIM_NUMBER_PATTERN.test(value);
}

/** Who reviews: the account and its role (the caller checks the claim is in its scope). */
export interface Reviewer {
  userId: string;
  role: string;
}

/** What a review needs to know of the claim. */
export interface ClaimUnderReview {
  status: string;
  flagged: boolean;
  firstReviewedBy: string | null;
}

export type ReviewDecision = 'approve' | 'reject';

export type ReviewOutcome =
  | {
      ok: true;
      stage: 'first' | 'final';
      action: 'first_approve' | 'approve' | 'reject';
      to: 'first_approved' | 'approved' | 'rejected';
    }
  | {
      ok: false;
      code: 'CLAIM_STATE_CONFLICT' | 'SAME_REVIEWER' | 'CLAIM_FLAGGED' | 'FORBIDDEN';
      message: string;
    };

/**
 * The review workflow of a claim. A submitted claim gets its first review from a county
 * administrator (of the payee's county; the scope check is the caller's) or the city; a
 * first-approved claim its final review from the city, by another account than the first
 * (four eyes). Either review may reject; a flagged claim may be rejected but never approved.
 */
export function reviewTransition(
  claim: ClaimUnderReview,
  reviewer: Reviewer,
  decision: ReviewDecision,
): ReviewOutcome {
  let stage: 'first' | 'final';
  if (claim.status === 'submitted') stage = 'first';
  else if (claim.status === 'first_approved') stage = 'final';
  else {
    return {
      ok: false,
      code: 'CLAIM_STATE_CONFLICT',
      message: `The claim is ${claim.status}: there is nothing to review`,
    };
  }
  if (stage === 'final' && claim.firstReviewedBy === reviewer.userId) {
    return {
      ok: false,
      code: 'SAME_REVIEWER',
      message: 'You reviewed this claim already: the final review needs another person',
    };
  }
  if (stage === 'final' && reviewer.role !== 'city_admin') {
    return {
      ok: false,
      code: 'FORBIDDEN',
      message: 'The final review of a claim is the city’s',
    };
  }
  if (decision === 'reject') return { ok: true, stage, action: 'reject', to: 'rejected' };
  if (claim.flagged) {
    return {
      ok: false,
      code: 'CLAIM_FLAGGED',
      message: 'The claim is flagged (e.g. its certificate was revoked) and cannot be approved',
    };
  }
  return stage === 'first'
    ? { ok: true, stage, action: 'first_approve', to: 'first_approved' }
    : { ok: true, stage, action: 'approve', to: 'approved' };
}

/** Whether signed ledger lines (debit > 0, credit < 0) form a valid entry: ≥ 2 lines, Σ = 0. */
export function isBalanced(amounts: readonly number[]): boolean {
  if (amounts.length < 2) return false;
  if (amounts.some((a) => !Number.isSafeInteger(a) || a === 0)) return false;
  return amounts.reduce((sum, a) => sum + a, 0) === 0;
}
