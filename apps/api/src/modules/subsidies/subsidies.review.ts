/**
 * Reviewing a claim (R-SUB-5): first review by the payee's county (or the city), final review by
 * the city naming the fund, four eyes, rejections with a reason. Final approval posts
 * Dr fund expense / Cr payable to the payee in the review's transaction.
 */
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import { accountId, postEntry } from './subsidies.ledger.js';
import * as repo from './subsidies.repository.js';
import { reviewTransition, type ReviewDecision } from './subsidies.rules.js';
import { claimView, type ClaimView } from './subsidies.service.js';

export interface ReviewInput {
  decision: ReviewDecision;
  reason?: string;
  fundCode?: string;
}

/**
 * Reviews a claim under a row lock, so concurrent reviews of one claim queue and exactly one
 * passes each stage; the others see the new status and answer 409. A county administrator sees
 * only its region's claims (404 otherwise).
 */
export async function reviewClaim(
  db: Db,
  deps: { clock: Clock },
  auth: AuthContext,
  id: string,
  input: ReviewInput,
  meta: RequestMeta,
): Promise<ClaimView> {
  const reason = input.reason?.trim() || null;
  if (input.decision === 'reject' && reason === null) {
    throw new DomainError('VALIDATION_FAILED', 'A rejection needs a reason', [
      { path: '/body/reason', message: 'required when rejecting' },
    ]);
  }
  return db.transaction().execute(async (trx) => {
    const claim = await repo.lockClaim(trx, auth.scope, id);
    if (!claim) throw new DomainError('NOT_FOUND', 'No such subsidy claim in your scope');
    const outcome = reviewTransition(
      {
        status: claim.status,
        flagged: claim.flaggedAt !== null,
        firstReviewedBy: claim.firstReviewedBy,
      },
      { userId: auth.user.id, role: auth.user.role },
      input.decision,
    );
    if (!outcome.ok) throw new DomainError(outcome.code, outcome.message);
    const now = deps.clock.now();
    const context = auditContextOf(auth, meta);
    let fundCode: string | null = null;
    let entryId: string | null = null;
    if (outcome.action === 'approve') {
      fundCode = input.fundCode ?? null;
      if (fundCode === null) {
        throw new DomainError('VALIDATION_FAILED', 'The final approval names the paying fund', [
          { path: '/body/fundCode', message: 'required for the final approval' },
        ]);
      }
      const fund = await repo.fundAllows(trx, fundCode, claim.kind);
      if (!fund.exists) {
        throw new DomainError('VALIDATION_FAILED', 'No such fund', [
          { path: '/body/fundCode', message: 'unknown fund' },
        ]);
      }
      if (!fund.allowed) {
        throw new DomainError(
          'FUND_NOT_ALLOWED',
          `The fund ${fundCode} may not pay ${claim.kind} claims`,
        );
      }
    }
    if (outcome.action === 'first_approve') {
      await repo.updateClaim(trx, claim.id, {
        status: 'first_approved',
        firstReviewedBy: auth.user.id,
        firstReviewedAt: now,
        updatedAt: now,
      });
    } else if (outcome.action === 'approve' && fundCode !== null) {
      await repo.updateClaim(trx, claim.id, {
        status: 'approved',
        approvedBy: auth.user.id,
        approvedAt: now,
        fundCode,
        updatedAt: now,
      });
      const amountFen = Number(claim.amountFen);
      if (amountFen > 0) {
        const expense = await accountId(
          trx,
          { kind: 'fund_expense', fundCode, organisationId: null },
          now,
        );
        const payable = await accountId(
          trx,
          { kind: 'payable', fundCode, organisationId: claim.payeeOrganisationId },
          now,
        );
        entryId = await postEntry(
          trx,
          {
            kind: 'claim_approved',
            claimId: claim.id,
            memo: `approved ${claim.number}`,
            postedBy: auth.user.id,
            lines: [
              { accountId: expense, amountFen },
              { accountId: payable, amountFen: -amountFen },
            ],
          },
          now,
        );
      }
    } else {
      await repo.updateClaim(trx, claim.id, {
        status: 'rejected',
        // The first review's reviewer is kept when the city rejects; a first-stage rejection
        // records its reviewer as the first.
        ...(outcome.stage === 'first'
          ? { firstReviewedBy: auth.user.id, firstReviewedAt: now }
          : {}),
        rejectedBy: auth.user.id,
        rejectedAt: now,
        rejectionReason: reason,
        updatedAt: now,
      });
    }
    await repo.insertClaimEvents(trx, [
      repo.claimEvent({
        claimId: claim.id,
        fromStatus: claim.status,
        toStatus: outcome.to,
        action: outcome.action,
        actorUserId: auth.user.id,
        at: now,
        reason,
        details: { stage: outcome.stage, fundCode, ledgerEntryId: entryId },
      }),
    ]);
    await recordAudit(trx, {
      context,
      action:
        outcome.action === 'first_approve'
          ? 'subsidy_claim.first_approved'
          : outcome.action === 'approve'
            ? 'subsidy_claim.approved'
            : 'subsidy_claim.rejected',
      entityType: 'subsidy_claim',
      entityId: claim.id,
      before: { status: claim.status },
      after: { status: outcome.to, ...(fundCode ? { fundCode } : {}) },
      details: {
        number: claim.number,
        stage: outcome.stage,
        amountFen: Number(claim.amountFen),
        ...(reason ? { reason } : {}),
        ...(entryId ? { ledgerEntryId: entryId } : {}),
      },
      occurredAt: now,
    });
    const row = await repo.findClaim(trx, { kind: 'city' }, claim.id);
    if (!row) throw new Error('a reviewed claim vanished');
    return claimView(row);
  });
}

/** The claim's history, for a reader who may see the claim. */
export async function claimHistory(db: Db, auth: AuthContext, id: string) {
  const claim = await repo.findClaim(db, auth.scope, id);
  if (!claim) throw new DomainError('NOT_FOUND', 'No such subsidy claim in your scope');
  const events = await repo.listClaimEvents(db, id);
  return {
    items: events.map((e) => ({
      id: e.id,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      action: e.action,
      actorUserId: e.actorUserId,
      at: e.at.toISOString(),
      reason: e.reason,
      details: e.details,
    })),
  };
}
