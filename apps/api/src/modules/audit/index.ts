/**
 * The audit trail (R-PLT-5): other modules record through `recordAudit` inside their own
 * transaction; the server wires `auditJobs` into the job runner; the CLI runs
 * `runAuditVerifyCommand` for `jineng audit verify`.
 */
export {
  AUDIT_ACTIONS,
  describeAuditAction,
  isAuditAction,
  type AuditAction,
} from './audit.catalog.js';
export {
  recordAudit,
  recordAuditMany,
  searchAudit,
  systemAuditContext,
  type AuditActor,
  type AuditContext,
  type AuditEventInput,
  type AuditEventView,
  type AuditSearchQuery,
  type AuditSearchResult,
} from './audit.service.js';
export {
  anchorAuditDay,
  anchorPendingAuditDays,
  anchorsDirOf,
  sealAuditEvents,
  type AnchorDayOptions,
  type AnchorDayResult,
  type AuditAnchor,
  type SealOptions,
} from './audit.chain.js';
export {
  loadOrCreateAuditSigningKey,
  readAuditSigningKey,
  type AuditSigningKey,
} from './audit.keys.js';
export { auditJobs, type AuditJobs, type AuditJobsOptions } from './audit.jobs.js';
export {
  runAuditVerifyCommand,
  verifyAuditTrail,
  type AuditProblem,
  type AuditVerifyResult,
} from './audit.verify.js';
export { maskIdNumbersInText, scrubAuditValue } from './audit.rules.js';
export type { AuditOutcome, AuditTables, JsonValue } from './audit.schema.js';
