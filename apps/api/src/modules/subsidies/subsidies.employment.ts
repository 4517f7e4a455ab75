/**
 * Hiring (R-SUB-3) and placement (R-SUB-4) subsidy eligibility, checked whenever employment or
 * contribution data arrives for a person. (Being written: the body lands with its tests.)
 */
import type { Trx } from '../../platform/db.js';
import type { AuditContext } from '../audit/audit.service.js';

export interface EmploymentClaimCreated {
  claimId: string;
  number: string;
  kind: 'hiring' | 'placement';
  amountFen: number;
  /** The enterprise cap cut the amount to what remained. */
  capCut: boolean;
}

export interface EmploymentClaimRefused {
  kind: 'hiring' | 'placement';
  employmentId: string | null;
  placementId: string | null;
  /** e.g. CAP_REACHED (a refused claim is recorded), ALREADY_PLACED_WITHIN_12_MONTHS */
  reason: string;
}

export interface EmploymentCheckResult {
  created: EmploymentClaimCreated[];
  refused: EmploymentClaimRefused[];
}

/**
 * Checks the persons' hires and placements against the hiring and placement rules inside the
 * caller's transaction and creates the claims that have become due (status submitted, with
 * their evidence). Idempotent: a claim already made is not made again.
 */
export async function checkEmploymentSubsidies(
  _trx: Trx,
  _personIds: readonly string[],
  _context: AuditContext,
  _now: Date,
): Promise<EmploymentCheckResult> {
  return { created: [], refused: [] };
}
