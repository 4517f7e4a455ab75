/**
 * Every action the audit trail knows, with the one-line description the auditor UI shows. A code
 * is lowercase and dot-separated, area first (`person.id_number.revealed`); the database CHECK on
 * audit_events.action enforces that shape. Codes are stored in audit rows for years, so a code is
 * never renamed or reused for another meaning: add a new one instead. Later issues add theirs here.
 */
export const AUDIT_ACTIONS = {
  'auth.login.succeeded': 'Signed in',
  'auth.login.failed': 'Sign-in failed (wrong password, unknown or locked account)',
  'auth.logout': 'Signed out',
  'auth.session.revoked': 'A session was revoked',
  'auth.password.changed': 'Changed their own password',
  'user.created': 'Created a user account',
  'user.updated': 'Changed a user account (role, scope, name)',
  'user.locked': 'Locked or disabled a user account',
  'user.unlocked': 'Unlocked or re-enabled a user account',
  'user.password.reset': 'Reset another account’s password (an administrator)',
  'person.created': 'Registered a person',
  'person.updated': 'Changed a person’s record',
  'person.viewed': 'Viewed a person’s record with personal data shown in full',
  'person.id_number.revealed': 'Revealed a person’s full ID number',
  'organisation.created': 'Registered an organisation',
  'organisation.updated': 'Changed an organisation (details, status)',
  'organisation.site.created': 'Added an evaluation site',
  'organisation.site.updated': 'Changed an evaluation site',
  'organisation.scope.approved': 'Approved an occupation and level for an evaluation site',
  'organisation.scope.ended': 'Ended an evaluation site’s approval early',
  'export.created': 'Exported records (bulk download)',
  'import.committed': 'Committed a bulk import',
  'import.failed_rows.downloaded': 'Downloaded the failed rows of an import (full ID numbers)',
  'audit.searched': 'Searched the audit trail',
  'voucher.issued': 'Issued a training voucher to a person',
  'voucher.batch_issued': 'Issued a training voucher as part of a batch',
  'voucher.bound': 'Bound a training voucher to a class (holder verified by QR)',
  'voucher.binding_requested': 'Asked to bind a voucher by ID number (awaits the holder)',
  'voucher.binding_confirmed': 'The holder confirmed binding their voucher to a class',
  'voucher.cancelled': 'Cancelled a training voucher',
  'voucher.expired': 'A training voucher expired unused',
  'voucher.looked_up': 'Looked up a holder’s voucher by ID number to bind it (name shown)',
  'voucher.binding_flagged': 'A binding requested by ID number was flagged for review',
  'voucher.binding_approved': 'Approved, on review, a binding requested by ID number',
  'voucher.binding_rejected': 'Rejected, on review, a binding requested by ID number',
  'voucher.unbound': 'Released a voucher from its class (back to issued)',
  'voucher.training_started': 'The holder’s first check-in started training on the voucher',
  'voucher.completed': 'The holder passed the class’s completion assessment',
  'voucher.forfeited': 'The holder failed or dropped out of training: nothing is payable',
  'voucher.certified': 'A certificate issued to the holder made a completed voucher certified',
  'voucher.decertified': 'A certified voucher’s certificate was revoked (back to completed)',
  'voucher.redeemed': 'Redeemed a certified voucher for a training-subsidy claim',
  'subsidy_claim.submitted': 'Submitted a subsidy claim',
  'subsidy_claim.flagged': 'Flagged a subsidy claim (e.g. its certificate was revoked)',
  'subsidy_claim.first_approved': 'Approved a subsidy claim at the first (county) review',
  'subsidy_claim.approved': 'Approved a subsidy claim at the final (city) review, naming the fund',
  'subsidy_claim.rejected': 'Rejected a subsidy claim with a reason',
  'subsidy_claim.reversed': 'Reversed an approved claim whose certificate was revoked (ledger)',
  'subsidy_claim.clawed_back':
    'Clawed back a paid claim whose certificate was revoked (the payee owes it back)',
  'subsidy_claim.repaid': 'Recorded a payee’s repayment of a clawed-back claim',
  'payment_batch.created': 'Built a payment batch of approved claims',
  'payment_batch.exported': 'Exported a payment batch’s bank file (sent to the bank)',
  'payment_batch.results_recorded': 'Recorded the bank’s results (paid or failed) of payment lines',
  'employment.registrations.received':
    'Received employment registrations (provincial system API): counts per outcome',
  'employment.contributions.received':
    'Received social-insurance contribution months (provincial system API): counts per outcome',
  'placement.recorded': 'Recorded an HR agency’s placement of a person with an employer (职业介绍)',
  'voucher.application.submitted': 'Applied for a training voucher',
  'voucher.application.approved': 'Approved a voucher application (issuing the voucher)',
  'voucher.application.rejected': 'Rejected a voucher application',
  'class.filed': 'Filed a training class',
  'class.submitted': 'Submitted a training class for approval',
  'class.approved': 'Approved a training class',
  'class.returned': 'Returned a training class with a reason',
  'class.trainee.enrolled': 'Enrolled a trainee in a class',
  'class.trainee.withdrawn': 'Withdrew a trainee (voucher cancelled, expired or unbound)',
  'attendance.checked_in': 'Checked a trainee in to a class session',
  'attendance.checked_out': 'Checked a trainee out of a class session',
  'attendance.online_hours_posted': 'Posted a trainee’s online learning hours',
  'class.completion.recorded': 'Recorded a trainee’s completion assessment (结业考核)',
  'evaluation.session.scheduled': 'Scheduled an evaluation session at a site',
  'evaluation.candidate.added': 'Added a candidate to an evaluation session',
  'evaluation.scores.recorded': 'Entered or changed a candidate’s evaluation scores',
  'evaluation.session.submitted': 'Submitted an evaluation session’s results (locks them)',
  'evaluation.session.sampled': 'Sampled an evaluation session for review (抽查)',
  'evaluation.pass_marks.set': 'Set the evaluation pass marks of an occupation',
  'evaluation.special_ability.created': 'Added a 专项职业能力 item to the catalogue',
  'certificate.issued': 'Issued a certificate to a candidate who passed',
  'certificate.revoked': 'Revoked a certificate, with a reason',
  'activity.training.reported': 'Reported a training held outside the voucher loop (unit report)',
  'activity.training.corrected': 'Corrected a reported training (fields or trainee list)',
  'activity.training.withdrawn': 'Withdrew a reported training, with a reason',
  'activity.period.closed': 'Closed a reporting month: its unit reports can no longer change',
  'activity.certificate.reported':
    'Recorded a certificate issued elsewhere (external: unit report, API or import)',
  'activity.certificate.corrected': 'Corrected a recorded external certificate',
  'activity.certificate.withdrawn': 'Withdrew a recorded external certificate, with a reason',
  'statistics.report.generated': 'Generated a statistics report on demand (日统计 … 全年总结)',
  'targets.updated': 'Entered or changed a responsible unit’s yearly targets (old and new values)',
  'targets.employed.updated':
    'Entered or changed the employed persons of a county or the city (持证率 denominator)',
} as const satisfies Record<string, string>;

/** An action code from the catalog; `recordAudit` accepts nothing else. */
export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** Whether a string (e.g. from a search query) is a known action code. */
export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}

/** The auditor-facing description of an action code, or the code itself for an unknown one. */
export function describeAuditAction(action: string): string {
  return isAuditAction(action) ? AUDIT_ACTIONS[action] : action;
}
