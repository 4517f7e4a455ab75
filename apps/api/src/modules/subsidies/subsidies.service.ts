import type { Db, Trx } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordAudit, type AuditContext } from '../audit/audit.service.js';
import type { AuthContext } from '../auth/auth.service.js';
import * as repo from './subsidies.repository.js';
import { formatClaimNumber } from './subsidies.rules.js';

/** A claim as every answer shows it: the person by name and masked ID number only. */
export function claimView(row: repo.ClaimRow) {
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    status: row.status,
    payeeOrganisationId: row.payeeOrganisationId,
    payeeName: row.payeeName,
    personId: row.personId,
    personName: row.personName,
    personIdNumberMasked: row.personIdNumberMasked,
    amountFen: Number(row.amountFen),
    voucherId: row.voucherId,
    classId: row.classId,
    certificateId: row.certificateId,
    evidence: row.evidence,
    flagged: row.flaggedAt !== null,
    flaggedAt: row.flaggedAt?.toISOString() ?? null,
    flagReason: row.flagReason,
    regionCode: row.regionCode,
    occupationCode: row.occupationCode,
    skillLevelKey: row.skillLevelKey,
    specialAbilityId: row.specialAbilityId,
    firstReviewedBy: row.firstReviewedBy,
    firstReviewedAt: row.firstReviewedAt?.toISOString() ?? null,
    approvedBy: row.approvedBy,
    approvedAt: row.approvedAt?.toISOString() ?? null,
    fundCode: row.fundCode,
    rejectedBy: row.rejectedBy,
    rejectedAt: row.rejectedAt?.toISOString() ?? null,
    rejectionReason: row.rejectionReason,
    reversedAt: row.reversedAt?.toISOString() ?? null,
    reversalReason: row.reversalReason,
    employmentId: row.employmentId,
    placementId: row.placementId,
    basisDate: row.basisDate,
    payerRegionCode: row.payerRegionCode,
    paidAt: row.paidAt?.toISOString() ?? null,
    clawedBackAt: row.clawedBackAt?.toISOString() ?? null,
    clawbackReason: row.clawbackReason,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type ClaimView = ReturnType<typeof claimView>;

function notFound(): DomainError {
  return new DomainError('NOT_FOUND', 'No such subsidy claim in your scope');
}

export interface TrainingClaimInput {
  payeeOrganisationId: string;
  personId: string;
  amountFen: number;
  voucherId: string;
  classId: string;
  certificateId: string;
  /** What the amount was computed from, kept with the claim for the reviewers. */
  evidence: Record<string, unknown>;
  /** The payee's county. */
  regionCode: string;
  createdBy: string | null;
}

/**
 * Submits a training-subsidy claim inside the caller's transaction (the voucher's redemption),
 * numbered from the claim sequence and audited. The unique index on voucher_id is the last line
 * against a voucher claimed twice.
 */
export async function submitTrainingClaim(
  trx: Trx,
  input: TrainingClaimInput,
  context: AuditContext,
  now: Date,
): Promise<ClaimView> {
  const id = uuidv7();
  const number = formatClaimNumber(now.getUTCFullYear(), await repo.nextClaimSerial(trx));
  await repo.insertClaim(trx, {
    id,
    number,
    kind: 'training',
    payeeOrganisationId: input.payeeOrganisationId,
    personId: input.personId,
    amountFen: input.amountFen,
    voucherId: input.voucherId,
    classId: input.classId,
    certificateId: input.certificateId,
    evidence: JSON.stringify(input.evidence),
    status: 'submitted',
    flaggedAt: null,
    flagReason: null,
    regionCode: input.regionCode,
    createdBy: input.createdBy,
    createdAt: now,
    updatedAt: now,
  });
  await repo.insertClaimEvents(trx, [
    repo.claimEvent({
      claimId: id,
      fromStatus: null,
      toStatus: 'submitted',
      action: 'submit',
      actorUserId: input.createdBy,
      at: now,
    }),
  ]);
  const row = await repo.findClaim(trx, { kind: 'city' }, id);
  if (!row) throw notFound();
  const view = claimView(row);
  await recordAudit(trx, {
    context,
    action: 'subsidy_claim.submitted',
    entityType: 'subsidy_claim',
    entityId: id,
    after: {
      number,
      kind: 'training',
      payeeOrganisationId: input.payeeOrganisationId,
      amountFen: input.amountFen,
      voucherId: input.voucherId,
      certificateId: input.certificateId,
    },
    occurredAt: now,
  });
  return view;
}

export async function getClaim(db: Db, auth: AuthContext, id: string): Promise<ClaimView> {
  const row = await repo.findClaim(db, auth.scope, id);
  if (!row) throw notFound();
  return claimView(row);
}

export async function listClaims(
  db: Db,
  auth: AuthContext,
  query: repo.ClaimFilter & { page: number; pageSize: number },
) {
  const { page, pageSize, ...filter } = query;
  const { items, total } = await repo.listClaims(db, auth.scope, filter, {
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: items.map(claimView), total, page, pageSize };
}
