import type { AuditAction, AuditOutcome } from '../../api/types';

/**
 * The action codes the audit search accepts, in the order the filter lists them. The type comes
 * from the API schema: a code added there and not here (or a label missing from the messages,
 * `audit.action.<code>`) is a type error.
 */
export const AUDIT_ACTIONS = [
  'auth.login.succeeded',
  'auth.login.failed',
  'auth.logout',
  'auth.session.revoked',
  'auth.password.changed',
  'user.created',
  'user.updated',
  'user.locked',
  'user.unlocked',
  'user.password.reset',
  'person.created',
  'person.updated',
  'person.viewed',
  'person.id_number.revealed',
  'organisation.created',
  'organisation.updated',
  'organisation.site.created',
  'organisation.site.updated',
  'organisation.scope.approved',
  'organisation.scope.ended',
  'export.created',
  'import.committed',
  'import.failed_rows.downloaded',
  'audit.searched',
  'voucher.issued',
  'voucher.batch_issued',
  'voucher.bound',
  'voucher.binding_requested',
  'voucher.binding_confirmed',
  'voucher.cancelled',
  'voucher.expired',
  'voucher.application.submitted',
  'voucher.application.approved',
  'voucher.application.rejected',
  'class.filed',
  'class.submitted',
  'class.approved',
  'class.returned',
  'class.trainee.enrolled',
  'attendance.checked_in',
  'attendance.checked_out',
  'attendance.online_hours_posted',
  'class.completion.recorded',
  'voucher.looked_up',
  'voucher.binding_flagged',
  'voucher.binding_approved',
  'voucher.binding_rejected',
  'voucher.unbound',
  'voucher.training_started',
  'voucher.completed',
  'voucher.forfeited',
  'voucher.certified',
  'voucher.decertified',
  'voucher.redeemed',
  'subsidy_claim.submitted',
  'subsidy_claim.flagged',
  'subsidy_claim.first_approved',
  'subsidy_claim.approved',
  'subsidy_claim.rejected',
  'subsidy_claim.reversed',
  'subsidy_claim.clawed_back',
  'subsidy_claim.repaid',
  'payment_batch.created',
  'payment_batch.exported',
  'payment_batch.results_recorded',
  'employment.registrations.received',
  'employment.contributions.received',
  'placement.recorded',
  'evaluation.session.scheduled',
  'evaluation.candidate.added',
  'evaluation.scores.recorded',
  'evaluation.session.submitted',
  'evaluation.session.sampled',
  'evaluation.pass_marks.set',
  'evaluation.special_ability.created',
  'certificate.issued',
  'certificate.revoked',
  'activity.training.reported',
  'activity.training.corrected',
  'activity.training.withdrawn',
  'activity.period.closed',
  'activity.certificate.reported',
  'activity.certificate.corrected',
  'activity.certificate.withdrawn',
  'statistics.report.generated',
  'targets.updated',
  'targets.employed.updated',
  'class.trainee.withdrawn',
] as const satisfies readonly AuditAction[];

const _allActionsListed: [Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>] extends [never]
  ? true
  : false = true;

export const AUDIT_OUTCOMES = [
  'success',
  'denied',
  'failed',
] as const satisfies readonly AuditOutcome[];

/** Entity types the platform records today; the filter also takes any other text. */
export const ENTITY_TYPES = [
  'user',
  'session',
  'person',
  'organisation',
  'evaluation_site',
  'evaluation_scope',
  'import',
  'export',
] as const;

export function isAuditAction(value: string | null): value is AuditAction {
  return AUDIT_ACTIONS.some((action) => action === value);
}

export function isAuditOutcome(value: string | null): value is AuditOutcome {
  return AUDIT_OUTCOMES.some((outcome) => outcome === value);
}
