/**
 * Redemption (以证换券, 无证无价): the training institution turns a certified voucher into a
 * training-subsidy claim for min(voucher value, class subsidy standard). Without a valid
 * certificate behind the voucher there is no claim.
 */
import type { Clock } from '../../platform/clock.js';
import type { Db, Trx } from '../../platform/db.js';
import { DomainError, violates } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import { submitTrainingClaim, type ClaimView } from '../subsidies/subsidies.service.js';
import * as repo from './vouchers.repository.js';
import { amountPayableFen, transition, type VoucherState } from './vouchers.rules.js';
import { voucherView, type VoucherView } from './vouchers.service.js';

function notFound(): DomainError {
  return new DomainError('NOT_FOUND', 'No such voucher in your scope');
}

/** States that may still become `certified`: redeeming them answers VOUCHER_NOT_CERTIFIED. */
const NOT_YET_CERTIFIED: readonly VoucherState[] = ['issued', 'bound', 'in_training', 'completed'];

/** Whether the voucher's latest transition was a revocation of its certificate (decertify). */
async function lastRevokedCertificate(trx: Trx, voucherId: string): Promise<boolean> {
  const last = await trx
    .selectFrom('voucherEvents')
    .select('action')
    .where('voucherId', '=', voucherId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.action === 'decertify';
}

export interface Redemption {
  voucher: VoucherView;
  claim: ClaimView;
}

/**
 * Redeems a certified voucher bound to the caller's institution: one transaction that locks the
 * voucher, checks its certificate is still valid, submits the training-subsidy claim payable to
 * the institution and moves the voucher to `redeemed`. Of parallel redemptions one wins; the
 * others find the voucher redeemed (409). A revocation racing this one either runs first
 * (VOUCHER_NOT_CERTIFIED / CERTIFICATE_REVOKED) or flags the claim after it commits.
 */
export async function redeemVoucher(
  db: Db,
  clock: Clock,
  auth: AuthContext,
  id: string,
  meta: RequestMeta,
): Promise<Redemption> {
  const organisationId = auth.user.organisationId;
  const context = auditContextOf(auth, meta);
  try {
    return await db.transaction().execute(async (trx) => {
      const voucher = await repo.lockVoucher(trx, id);
      // Only the institution the voucher is bound to may redeem it; others see no such voucher.
      if (!voucher || organisationId === null || voucher.organisationId !== organisationId) {
        throw notFound();
      }
      if (voucher.state === 'completed' && (await lastRevokedCertificate(trx, voucher.id))) {
        throw new DomainError(
          'CERTIFICATE_REVOKED',
          'The certificate that certified this voucher was revoked: it cannot be redeemed until ' +
            'a new certificate is issued',
        );
      }
      if (NOT_YET_CERTIFIED.includes(voucher.state)) {
        throw new DomainError(
          'VOUCHER_NOT_CERTIFIED',
          'No certificate in the class’s occupation and level has been issued to the holder ' +
            'since the class ended: nothing can be claimed (无证无价)',
        );
      }
      const allowed = transition(voucher.state, 'redeem');
      if (!allowed.ok) throw new DomainError(allowed.code, allowed.message);
      const certificate =
        voucher.certificateId === null
          ? undefined
          : await trx
              .selectFrom('certificates')
              .select(['id', 'number', 'status', 'issuedOn', 'skillLevelKey'])
              .where('id', '=', voucher.certificateId)
              .executeTakeFirst();
      if (!certificate) {
        throw new DomainError('VOUCHER_NOT_CERTIFIED', 'The voucher has no certificate behind it');
      }
      if (certificate.status !== 'valid') {
        throw new DomainError(
          'CERTIFICATE_REVOKED',
          `Certificate ${certificate.number} was revoked: the voucher cannot be redeemed`,
        );
      }
      if (voucher.classId === null || voucher.subsidyStandardFen === null) {
        throw new DomainError('VOUCHER_STATE_CONFLICT', 'The voucher is not bound to a class');
      }
      const facts = await trx
        .selectFrom('classes as c')
        .innerJoin('organisations as o', 'o.id', 'c.organisationId')
        .leftJoin('classTrainees as ct', (join) =>
          join.onRef('ct.classId', '=', 'c.id').on('ct.voucherId', '=', voucher.id),
        )
        .select([
          'c.id',
          'c.name',
          'c.endsAt',
          'o.regionCode as payeeRegionCode',
          'ct.completedAt',
          'ct.completionResult',
        ])
        .where('c.id', '=', voucher.classId)
        .executeTakeFirst();
      if (!facts) throw notFound();
      const now = clock.now();
      const valueFen = Number(voucher.valueFen);
      const subsidyStandardFen = Number(voucher.subsidyStandardFen);
      const amountFen = amountPayableFen(valueFen, subsidyStandardFen);
      const claim = await submitTrainingClaim(
        trx,
        {
          payeeOrganisationId: organisationId,
          personId: voucher.personId,
          amountFen,
          voucherId: voucher.id,
          classId: facts.id,
          certificateId: certificate.id,
          evidence: {
            voucherNumber: voucher.number,
            valueFen,
            subsidyStandardFen,
            rule: 'min(valueFen, subsidyStandardFen)',
            classId: facts.id,
            className: facts.name,
            classEndsAt: facts.endsAt.toISOString(),
            completedAt: facts.completedAt?.toISOString() ?? null,
            completionResult: facts.completionResult ?? null,
            certificateId: certificate.id,
            certificateNumber: certificate.number,
            certificateIssuedOn: certificate.issuedOn,
            certificateSkillLevelKey: certificate.skillLevelKey,
          },
          regionCode: facts.payeeRegionCode,
          createdBy: auth.user.id,
        },
        context,
        now,
      );
      await repo.updateVoucher(trx, voucher.id, { state: allowed.to, updatedAt: now });
      await repo.insertEvents(trx, [
        {
          id: uuidv7(),
          voucherId: voucher.id,
          fromState: voucher.state,
          toState: allowed.to,
          action: 'redeem',
          actorUserId: auth.user.id,
          at: now,
          details: { claimId: claim.id, claimNumber: claim.number, amountFen },
        },
      ]);
      await recordAudit(trx, {
        context,
        action: 'voucher.redeemed',
        entityType: 'voucher',
        entityId: voucher.id,
        before: { state: voucher.state },
        after: { state: allowed.to, claimId: claim.id, amountFen },
        details: { certificateId: certificate.id, claimNumber: claim.number },
        occurredAt: now,
      });
      const row = await repo.findVoucher(trx, { kind: 'city' }, voucher.id);
      if (!row) throw notFound();
      return { voucher: voucherView(row), claim };
    });
  } catch (error) {
    if (violates(error, '23505', 'subsidy_claims_voucher_key')) {
      throw new DomainError('VOUCHER_STATE_CONFLICT', 'The voucher has already been redeemed');
    }
    throw error;
  }
}
