/**
 * Evaluation-subsidy claims (R-SUB-2) and what a revoked certificate does to claims. Both run in
 * the caller's transaction: the session's submission, or the certificate's revocation.
 */
import type { Trx } from '../../platform/db.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordAuditMany, type AuditContext } from '../audit/audit.service.js';
import * as repo from './subsidies.repository.js';
import { clawBackPaidClaim, reverseApprovedClaim } from './subsidies.payments.js';
import { formatClaimNumber } from './subsidies.rules.js';

/** A certificate just issued from an evaluation the worker did not pay for. */
export interface EvaluatedCertificate {
  certificateId: string;
  certificateNumber: string;
  personId: string;
  occupationCode: string;
  skillLevelKey: string;
  specialAbilityId: string | null;
  /** Shanghai civil date, YYYY-MM-DD: the amount in force that day applies. */
  issuedOn: string;
  sessionId: string;
  candidateId: string;
  /** The evaluation institution, and its county. */
  payeeOrganisationId: string;
  payeeRegionCode: string;
  createdBy: string | null;
}

export type EvaluationClaimOutcome =
  | { claimed: true; claimId: string; number: string; amountFen: number }
  | { claimed: false; reason: 'already_claimed'; existingClaimNumber: string | null }
  | { claimed: false; reason: 'no_policy' };

/**
 * Claims the evaluation subsidy for a certificate: payable to the evaluation institution, the
 * amount by skill level on the issue date. Once per person + occupation + level across every
 * institution and year — also when the first certificate was revoked (its claim stays, flagged
 * or reversed), so a second certificate earns nothing; the unique index
 * subsidy_claims_evaluation_once is the last line, and a claim it refuses is answered here
 * rather than failing the submission.
 */
export async function submitEvaluationClaim(
  trx: Trx,
  input: EvaluatedCertificate,
  context: AuditContext,
  now: Date,
): Promise<EvaluationClaimOutcome> {
  const key = {
    personId: input.personId,
    occupationCode: input.occupationCode,
    skillLevelKey: input.skillLevelKey,
    specialAbilityId: input.specialAbilityId,
  };
  const standing = await repo.findStandingEvaluationClaim(trx, key);
  if (standing) {
    return { claimed: false, reason: 'already_claimed', existingClaimNumber: standing.number };
  }
  const policy = await repo.findPolicyAmount(
    trx,
    'evaluation',
    input.skillLevelKey,
    input.issuedOn,
  );
  if (!policy) return { claimed: false, reason: 'no_policy' };
  const id = uuidv7();
  const number = formatClaimNumber(now.getUTCFullYear(), await repo.nextClaimSerial(trx));
  const evidence = {
    certificateNumber: input.certificateNumber,
    issuedOn: input.issuedOn,
    skillLevelKey: input.skillLevelKey,
    sessionId: input.sessionId,
    candidateId: input.candidateId,
    policyEffectiveFrom: policy.effectiveFrom,
    policySource: policy.source,
  };
  const inserted = await repo.insertClaimOnce(trx, {
    id,
    number,
    kind: 'evaluation',
    payeeOrganisationId: input.payeeOrganisationId,
    amountFen: policy.amountFen,
    voucherId: null,
    classId: null,
    certificateId: input.certificateId,
    ...key,
    evidence: JSON.stringify(evidence),
    status: 'submitted',
    flaggedAt: null,
    flagReason: null,
    regionCode: input.payeeRegionCode,
    createdBy: input.createdBy,
    createdAt: now,
    updatedAt: now,
  });
  if (!inserted) {
    const raced = await repo.findStandingEvaluationClaim(trx, key);
    return {
      claimed: false,
      reason: 'already_claimed',
      existingClaimNumber: raced?.number ?? null,
    };
  }
  await repo.insertClaimEvents(trx, [
    repo.claimEvent({
      claimId: id,
      fromStatus: null,
      toStatus: 'submitted',
      action: 'submit',
      actorUserId: input.createdBy,
      at: now,
      details: { certificateId: input.certificateId },
    }),
  ]);
  await recordAuditMany(trx, [
    {
      context,
      action: 'subsidy_claim.submitted',
      entityType: 'subsidy_claim',
      entityId: id,
      after: {
        number,
        kind: 'evaluation',
        payeeOrganisationId: input.payeeOrganisationId,
        amountFen: policy.amountFen,
        certificateId: input.certificateId,
      },
      details: { skillLevelKey: input.skillLevelKey, issuedOn: input.issuedOn },
      occurredAt: now,
    },
  ]);
  return { claimed: true, claimId: id, number, amountFen: policy.amountFen };
}

/**
 * The certificate behind claims was revoked: every claim on it is flagged (it can no longer be
 * approved), and an approved, unpaid claim is reversed — its approval entry gets a reversing
 * entry and the claim becomes `reversed`. Nothing is updated in the ledger; the reversal is a
 * new entry. A paid claim is clawed back (subsidies.payments.ts: reversal and a receivable from
 * the payee); a claim in a payment batch stays there, flagged, and is settled by the bank's
 * result. Returns the claims flagged.
 */
export async function onClaimCertificateRevoked(
  trx: Trx,
  certificateId: string,
  reason: string,
  context: AuditContext,
  now: Date,
): Promise<{ id: string; number: string; voucherId: string | null }[]> {
  const flagReason = `certificate revoked: ${reason}`.slice(0, 500);
  const claims = await trx
    .selectFrom('subsidyClaims')
    .select([
      'id',
      'number',
      'voucherId',
      'status',
      'flaggedAt',
      'fundCode',
      'payeeOrganisationId',
      'amountFen',
    ])
    .where('certificateId', '=', certificateId)
    .orderBy('id')
    .forUpdate()
    .execute();
  const flagged = claims.filter((c) => c.flaggedAt === null);
  const actor = context.actor.userId ?? null;
  for (const c of flagged) {
    await repo.updateClaim(trx, c.id, { flaggedAt: now, flagReason, updatedAt: now });
  }
  await repo.insertClaimEvents(
    trx,
    flagged.map((c) =>
      repo.claimEvent({
        claimId: c.id,
        fromStatus: c.status,
        toStatus: c.status,
        action: 'flag',
        actorUserId: actor,
        at: now,
        reason: flagReason,
        details: { certificateId },
      }),
    ),
  );
  for (const c of claims) {
    if (c.status === 'approved') {
      await reverseApprovedClaim(trx, c, flagReason, context, now, { certificateId });
    } else if (c.status === 'paid' && c.fundCode !== null) {
      // A paid claim is clawed back: its approval reversed and a receivable from the payee.
      await clawBackPaidClaim(
        trx,
        {
          id: c.id,
          number: c.number,
          fundCode: c.fundCode,
          payeeOrganisationId: c.payeeOrganisationId,
          amountFen: Number(c.amountFen),
        },
        flagReason,
        context,
        now,
      );
    }
  }
  return flagged.map((c) => ({ id: c.id, number: c.number, voucherId: c.voucherId }));
}

/** Why a certificate has (or has no) evaluation-subsidy claim, as the session's answer says. */
export interface EvaluationSubsidyNote {
  certificateId: string;
  claimId: string | null;
  claimNumber: string | null;
  amountFen: number | null;
  /**
   * null: claimed. worker_paid: the worker paid for the evaluation, nothing is claimable.
   * already_claimed: the subsidy for this person + occupation + level was claimed before (by
   * any institution, in any year — also on a certificate since revoked). no_policy: no amount
   * in force for the level on the issue date.
   */
  reason: 'worker_paid' | 'already_claimed' | 'no_policy' | null;
  existingClaimNumber: string | null;
}

/** The evaluation-subsidy outcome of each certificate a session issued. */
export async function evaluationSubsidyNotes(
  trx: Trx,
  certificates: {
    certificateId: string;
    workerPaid: boolean;
    personId: string;
    occupationCode: string;
    skillLevelKey: string;
    specialAbilityId: string | null;
  }[],
): Promise<EvaluationSubsidyNote[]> {
  const claims = await repo.evaluationClaimsOfCertificates(
    trx,
    certificates.map((c) => c.certificateId),
  );
  const byCertificate = new Map(claims.map((c) => [c.certificateId, c]));
  const notes: EvaluationSubsidyNote[] = [];
  for (const c of certificates) {
    const claim = byCertificate.get(c.certificateId);
    const base = { certificateId: c.certificateId, existingClaimNumber: null };
    if (claim) {
      notes.push({
        ...base,
        claimId: claim.id,
        claimNumber: claim.number,
        amountFen: Number(claim.amountFen),
        reason: null,
      });
      continue;
    }
    const none = { ...base, claimId: null, claimNumber: null, amountFen: null };
    if (c.workerPaid) {
      notes.push({ ...none, reason: 'worker_paid' });
      continue;
    }
    const standing = await repo.findStandingEvaluationClaim(trx, c);
    notes.push(
      standing
        ? { ...none, reason: 'already_claimed', existingClaimNumber: standing.number }
        : { ...none, reason: 'no_policy' },
    );
  }
  return notes;
}
