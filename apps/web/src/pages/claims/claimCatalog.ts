import type { ClaimKind, ClaimStatus } from '../../api/evaluations';
import type { Translate } from '../../i18n';

/** Every claim kind, in the order filters list them. */
export const CLAIM_KINDS = [
  'training',
  'evaluation',
  'hiring',
  'placement',
] as const satisfies readonly ClaimKind[];

/** Every claim status, in the order of a claim's life. */
export const CLAIM_STATUSES = [
  'submitted',
  'first_approved',
  'approved',
  'in_batch',
  'paid',
  'rejected',
  'reversed',
  'clawed_back',
] as const satisfies readonly ClaimStatus[];

// A kind or status added to the API but not above is a type error here.
const _allKindsListed: [Exclude<ClaimKind, (typeof CLAIM_KINDS)[number]>] extends [never]
  ? true
  : false = true;
const _allStatusesListed: [Exclude<ClaimStatus, (typeof CLAIM_STATUSES)[number]>] extends [never]
  ? true
  : false = true;

export const CLAIM_STATUS_COLORS: Record<ClaimStatus, string> = {
  submitted: 'blue',
  first_approved: 'geekblue',
  approved: 'cyan',
  in_batch: 'gold',
  paid: 'green',
  rejected: 'red',
  reversed: 'default',
  clawed_back: 'volcano',
};

/** A claim status from a looser field (a placement's claim), as words; unknown ones as written. */
export function claimStatusText(status: string, t: Translate): string {
  const known = CLAIM_STATUSES.find((candidate) => candidate === status);
  return known ? t(`claim.status.${known}`) : status;
}

export function claimStatusColor(status: string): string {
  const known = CLAIM_STATUSES.find((candidate) => candidate === status);
  return known ? CLAIM_STATUS_COLORS[known] : 'default';
}
