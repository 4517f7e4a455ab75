/**
 * Hiring (R-SUB-3) and placement (R-SUB-4) subsidy eligibility, checked whenever employment or
 * contribution data arrives for a person. A hire or placement that has become due turns into a
 * submitted claim with its evidence (which months, which certificate, which employer); the rules
 * are in subsidies.employment.rules.ts.
 */
import type { Trx } from '../../platform/db.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordAudit, type AuditContext } from '../audit/audit.service.js';
import * as erepo from './subsidies.employment.repository.js';
import {
  applyCap,
  capReachedReason,
  hiringFacts,
  hiringPayer,
  placementFacts,
  type HeldCertificate,
} from './subsidies.employment.rules.js';
import * as repo from './subsidies.repository.js';
import { formatClaimNumber } from './subsidies.rules.js';

export interface EmploymentClaimCreated {
  claimId: string;
  number: string;
  kind: 'hiring' | 'placement';
  amountFen: number;
  /** The enterprise cap cut the amount to what remained. */
  capCut: boolean;
  personId: string;
  employmentId: string | null;
  placementId: string | null;
}

export interface EmploymentClaimRefused {
  kind: 'hiring' | 'placement';
  employmentId: string | null;
  placementId: string | null;
  /** e.g. CAP_REACHED (a refused claim is recorded), ALREADY_PLACED_WITHIN_12_MONTHS */
  reason: string;
  personId: string;
  /** The refused claim this check recorded (CAP_REACHED the first time), else null. */
  claimId: string | null;
  /** The claim standing in the way (ALREADY_PLACED_WITHIN_12_MONTHS), else null. */
  existingClaimNumber: string | null;
}

export interface EmploymentCheckResult {
  created: EmploymentClaimCreated[];
  refused: EmploymentClaimRefused[];
}

const CAP_REACHED = 'CAP_REACHED';

/** A claim the system refused because the enterprise cap was reached (no reviewer named). */
function isCapRefusal(claim: {
  status: string;
  rejectedBy: string | null;
  rejectionReason: string | null;
}): boolean {
  return (
    claim.status === 'rejected' &&
    claim.rejectedBy === null &&
    (claim.rejectionReason ?? '').includes(`(${CAP_REACHED})`)
  );
}

/**
 * Checks the persons' hires and placements against the hiring and placement rules inside the
 * caller's transaction and creates the claims that have become due (status submitted, with
 * their evidence). Idempotent: a claim already made is not made again. Hires are serialised per
 * employer (the cap), placements per agency and person (once a year), by transaction-level
 * advisory locks held to the caller's commit, taken only for the hires and placements that may
 * be due.
 */
export async function checkEmploymentSubsidies(
  trx: Trx,
  personIds: readonly string[],
  context: AuditContext,
  now: Date,
): Promise<EmploymentCheckResult> {
  const result: EmploymentCheckResult = { created: [], refused: [] };
  const persons = [...new Set(personIds)];
  if (persons.length === 0) return result;
  const hires = await erepo.hiresOf(trx, persons);
  const placements = await erepo.placementsOf(trx, persons);
  // One read of the certificates of every person with a hire or placement.
  const certificates = await erepo.certificatesOf(trx, [
    ...new Set([...hires, ...placements].map((x) => x.personId)),
  ]);
  const certificatesOf = (personId: string) => certificates.get(personId) ?? [];
  // Only what may be due is locked (a lock-table slot each; most arrivals make no claim), and
  // then checked again under the lock. The cap is the employer's across all its hires, the
  // once-a-year rule the agency's for a person: checks of one employer, or of one agency and
  // person, take turns. The locks are taken in one order, so two arrivals never deadlock.
  const dueHires: Hire[] = [];
  for (const hire of hires) {
    if (await hireMayBeDue(trx, hire, certificatesOf(hire.personId))) dueHires.push(hire);
  }
  const duePlacements: Placement[] = [];
  for (const placement of placements) {
    if (await placementMayBeDue(trx, placement, certificatesOf(placement.personId))) {
      duePlacements.push(placement);
    }
  }
  const lockKeys = [
    ...[...new Set(dueHires.map((h) => `subsidy:hiring:${h.employerId}`))].sort(),
    ...[
      ...new Set(
        duePlacements.map((p) => `subsidy:placement:${p.agencyOrganisationId}:${p.personId}`),
      ),
    ].sort(),
  ];
  for (const key of lockKeys) await erepo.advisoryLock(trx, key);
  for (const hire of dueHires) {
    await checkHire(trx, hire, certificatesOf(hire.personId), context, now, result);
  }
  for (const placement of duePlacements) {
    await checkPlacement(trx, placement, certificatesOf(placement.personId), context, now, result);
  }
  return result;
}

type Hire = Awaited<ReturnType<typeof erepo.hiresOf>>[number];
type Placement = Awaited<ReturnType<typeof erepo.placementsOf>>[number];

/** Whether the hire may earn a claim now, read without a lock (checkHire decides under it). */
async function hireMayBeDue(trx: Trx, hire: Hire, certificates: HeldCertificate[]) {
  const earlier = await erepo.hiringClaimsOf(trx, hire.id);
  if (earlier.some((c) => !isCapRefusal(c))) return false;
  const months = await erepo.insuredMonths(trx, hire.personId, hire.employerUscc);
  return hiringFacts({
    sizeClass: hire.sizeClass,
    hiredOn: hire.hiredOn,
    endedOn: hire.endedOn,
    certificates,
    months,
  }).eligible;
}

/** Whether the placement may earn a claim now, read without a lock. */
async function placementMayBeDue(trx: Trx, placement: Placement, certificates: HeldCertificate[]) {
  if (await erepo.placementClaimOf(trx, placement.id)) return false;
  const months = await erepo.insuredMonths(trx, placement.personId, placement.employerUscc);
  return placementFacts({ placedOn: placement.placedOn, certificates, months }).eligible;
}

async function checkHire(
  trx: Trx,
  hire: Hire,
  certificates: HeldCertificate[],
  context: AuditContext,
  now: Date,
  result: EmploymentCheckResult,
): Promise<void> {
  const earlier = await erepo.hiringClaimsOf(trx, hire.id);
  const capRefused = earlier.some(isCapRefusal);
  if (earlier.some((c) => !isCapRefusal(c))) return;
  const months = await erepo.insuredMonths(trx, hire.personId, hire.employerUscc);
  const facts = hiringFacts({
    sizeClass: hire.sizeClass,
    hiredOn: hire.hiredOn,
    endedOn: hire.endedOn,
    certificates,
    months,
  });
  if (!facts.eligible) return;
  const [policy, cap] = await Promise.all([
    repo.findPolicyAmount(trx, 'hiring', 'sme_per_hire', hire.hiredOn),
    repo.findPolicyAmount(trx, 'hiring', 'sme_cap_per_enterprise', hire.hiredOn),
  ]);
  if (!policy || !cap) return;
  const used = await erepo.hiringCapUsed(trx, hire.employerId);
  const outcome = applyCap(policy.amountFen, cap.amountFen, used);
  const refusal = {
    kind: 'hiring' as const,
    employmentId: hire.id,
    placementId: null,
    reason: CAP_REACHED,
    personId: hire.personId,
    existingClaimNumber: null,
  };
  // The employer was told once why this hire earns nothing; the cap is still full.
  if (outcome.kind === 'cap_reached' && capRefused) {
    result.refused.push({ ...refusal, claimId: null });
    return;
  }
  const payer = hiringPayer({
    regionCode: hire.employerRegionCode,
    affiliation: hire.affiliation,
    affiliationRegionCode: hire.affiliationRegionCode,
  });
  const evidence: Record<string, unknown> = {
    employerUscc: hire.employerUscc,
    employerName: hire.employerName,
    hiredOn: hire.hiredOn,
    endedOn: hire.endedOn,
    claimYear: Number(hire.hiredOn.slice(0, 4)),
    certificateNumber: facts.certificate.number,
    certificateIssuedOn: facts.certificate.issuedOn,
    insuredMonths: facts.insured,
    priorMonthsChecked: facts.prior,
    policy: {
      key: 'sme_per_hire',
      amountFen: policy.amountFen,
      effectiveFrom: policy.effectiveFrom,
    },
    cap: {
      key: 'sme_cap_per_enterprise',
      amountFen: cap.amountFen,
      effectiveFrom: cap.effectiveFrom,
      usedFen: used,
    },
    sizeClass: hire.sizeClass,
    affiliation: hire.affiliation,
  };
  if (outcome.kind === 'cut') {
    evidence.capCut = {
      policyAmountFen: outcome.policyAmountFen,
      remainingFen: outcome.remainingFen,
    };
  }
  const refused = outcome.kind === 'cap_reached';
  const rejectionReason = refused ? capReachedReason(cap.amountFen) : null;
  const id = uuidv7();
  const number = formatClaimNumber(now.getUTCFullYear(), await repo.nextClaimSerial(trx));
  const amountFen = refused ? policy.amountFen : outcome.amountFen;
  const inserted = await repo.insertClaimOnce(trx, {
    id,
    number,
    kind: 'hiring',
    payeeOrganisationId: hire.employerId,
    personId: hire.personId,
    amountFen,
    voucherId: null,
    classId: null,
    certificateId: facts.certificate.id,
    employmentId: hire.id,
    basisDate: hire.hiredOn,
    payerRegionCode: payer.payerRegionCode,
    evidence: JSON.stringify(evidence),
    status: refused ? 'rejected' : 'submitted',
    rejectedAt: refused ? now : null,
    rejectionReason,
    flaggedAt: null,
    flagReason: null,
    regionCode: payer.regionCode,
    createdBy: context.actor.userId ?? null,
    createdAt: now,
    updatedAt: now,
  });
  if (!inserted) return;
  await repo.insertClaimEvents(trx, [
    repo.claimEvent({
      claimId: id,
      fromStatus: null,
      toStatus: refused ? 'rejected' : 'submitted',
      action: refused ? 'reject' : 'submit',
      actorUserId: context.actor.userId ?? null,
      at: now,
      reason: rejectionReason,
      details: {
        employmentId: hire.id,
        certificateId: facts.certificate.id,
        capUsedFen: used,
        capFen: cap.amountFen,
      },
    }),
  ]);
  await recordAudit(trx, {
    context,
    action: refused ? 'subsidy_claim.rejected' : 'subsidy_claim.submitted',
    entityType: 'subsidy_claim',
    entityId: id,
    after: {
      number,
      kind: 'hiring',
      status: refused ? 'rejected' : 'submitted',
      payeeOrganisationId: hire.employerId,
      amountFen,
      employmentId: hire.id,
      certificateId: facts.certificate.id,
    },
    details: {
      hiredOn: hire.hiredOn,
      insuredMonths: facts.insured,
      capUsedFen: used,
      ...(rejectionReason ? { reason: rejectionReason } : {}),
    },
    occurredAt: now,
  });
  if (refused) {
    result.refused.push({ ...refusal, claimId: id });
  } else {
    result.created.push({
      claimId: id,
      number,
      kind: 'hiring',
      amountFen,
      capCut: outcome.kind === 'cut',
      personId: hire.personId,
      employmentId: hire.id,
      placementId: null,
    });
  }
}

async function checkPlacement(
  trx: Trx,
  placement: Placement,
  certificates: HeldCertificate[],
  context: AuditContext,
  now: Date,
  result: EmploymentCheckResult,
): Promise<void> {
  if (await erepo.placementClaimOf(trx, placement.id)) return;
  const months = await erepo.insuredMonths(trx, placement.personId, placement.employerUscc);
  const facts = placementFacts({ placedOn: placement.placedOn, certificates, months });
  if (!facts.eligible) return;
  const standing = await erepo.overlappingPlacementClaim(
    trx,
    placement.agencyOrganisationId,
    placement.personId,
    placement.placedOn,
  );
  if (standing) {
    result.refused.push({
      kind: 'placement',
      employmentId: null,
      placementId: placement.id,
      reason: 'ALREADY_PLACED_WITHIN_12_MONTHS',
      personId: placement.personId,
      claimId: null,
      existingClaimNumber: standing.number,
    });
    return;
  }
  const policy = await repo.findPolicyAmount(trx, 'placement', 'per_placement', placement.placedOn);
  if (!policy) return;
  const evidence = {
    agencyName: placement.agencyName,
    placedOn: placement.placedOn,
    employerUscc: placement.employerUscc,
    employerName: placement.employerName,
    employerRegionCode: placement.employerRegionCode,
    certificateNumber: facts.certificate.number,
    certificateIssuedOn: facts.certificate.issuedOn,
    insuredMonths: facts.insured,
    policy: {
      key: 'per_placement',
      amountFen: policy.amountFen,
      effectiveFrom: policy.effectiveFrom,
    },
  };
  const id = uuidv7();
  const number = formatClaimNumber(now.getUTCFullYear(), await repo.nextClaimSerial(trx));
  const inserted = await repo.insertClaimOnce(trx, {
    id,
    number,
    kind: 'placement',
    payeeOrganisationId: placement.agencyOrganisationId,
    personId: placement.personId,
    amountFen: policy.amountFen,
    voucherId: null,
    classId: null,
    certificateId: facts.certificate.id,
    placementId: placement.id,
    basisDate: placement.placedOn,
    payerRegionCode: null,
    evidence: JSON.stringify(evidence),
    status: 'submitted',
    flaggedAt: null,
    flagReason: null,
    regionCode: placement.agencyRegionCode,
    createdBy: context.actor.userId ?? null,
    createdAt: now,
    updatedAt: now,
  });
  if (!inserted) return;
  await repo.insertClaimEvents(trx, [
    repo.claimEvent({
      claimId: id,
      fromStatus: null,
      toStatus: 'submitted',
      action: 'submit',
      actorUserId: context.actor.userId ?? null,
      at: now,
      details: { placementId: placement.id, certificateId: facts.certificate.id },
    }),
  ]);
  await recordAudit(trx, {
    context,
    action: 'subsidy_claim.submitted',
    entityType: 'subsidy_claim',
    entityId: id,
    after: {
      number,
      kind: 'placement',
      payeeOrganisationId: placement.agencyOrganisationId,
      amountFen: policy.amountFen,
      placementId: placement.id,
      certificateId: facts.certificate.id,
    },
    details: { placedOn: placement.placedOn, insuredMonths: facts.insured },
    occurredAt: now,
  });
  result.created.push({
    claimId: id,
    number,
    kind: 'placement',
    amountFen: policy.amountFen,
    capCut: false,
    personId: placement.personId,
    employmentId: null,
    placementId: placement.id,
  });
}
