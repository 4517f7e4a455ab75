/**
 * 以证换券: the two hooks the certificates module calls inside its own transaction. Issuing a
 * certificate makes the holder's matching completed vouchers `certified`; revoking it sends a
 * not-yet-redeemed voucher back to `completed` and flags every subsidy claim made on it.
 */
import { shanghaiDate } from '../../platform/clock.js';
import type { Trx } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordAuditMany, type AuditContext } from '../audit/audit.service.js';
import { onClaimCertificateRevoked } from '../subsidies/subsidies.evaluation.js';
import * as repo from './vouchers.repository.js';
import {
  certificateLevelSatisfies,
  transition,
  type VoucherAction,
  type VoucherState,
} from './vouchers.rules.js';

/** What the hook needs of a just-issued certificate. */
export interface IssuedCertificate {
  id: string;
  personId: string;
  occupationCode: string;
  skillLevelKey: string;
  /** Shanghai civil date, YYYY-MM-DD. */
  issuedOn: string;
}

function next(state: VoucherState, action: VoucherAction): VoucherState {
  const result = transition(state, action);
  if (!result.ok) throw new DomainError(result.code, result.message);
  return result.to;
}

/**
 * Certifies the holder's completed vouchers that this certificate satisfies: the class's
 * occupation is the certificate's, the certificate is at the class's level or higher, and it was
 * issued on or after the class's last day (Shanghai date of `ends_at`). Each voucher is locked,
 * moved to `certified` with the certificate recorded, and audited. Returns the voucher ids.
 */
export async function certifyVouchersForCertificate(
  trx: Trx,
  certificate: IssuedCertificate,
  context: AuditContext,
  now: Date,
): Promise<string[]> {
  const certLevel = await trx
    .selectFrom('skillLevels')
    .select(['key', 'levelDigit'])
    .where('key', '=', certificate.skillLevelKey)
    .executeTakeFirst();
  if (!certLevel) return [];
  const candidates = await trx
    .selectFrom('vouchers as v')
    .innerJoin('classes as c', 'c.id', 'v.classId')
    .innerJoin('skillLevels as sl', 'sl.key', 'c.skillLevelKey')
    .select([
      'v.id',
      'v.state',
      'c.id as classId',
      'c.endsAt',
      'c.skillLevelKey as classLevelKey',
      'sl.levelDigit as classLevelDigit',
    ])
    .where('v.personId', '=', certificate.personId)
    .where('v.state', '=', 'completed')
    .where('c.occupationCode', '=', certificate.occupationCode)
    .orderBy('v.id')
    .forUpdate('v')
    .execute();
  const matching = candidates.filter(
    (c) =>
      certificateLevelSatisfies(
        { key: c.classLevelKey, levelDigit: c.classLevelDigit },
        certLevel,
      ) && certificate.issuedOn >= shanghaiDate(c.endsAt),
  );
  if (matching.length === 0) return [];
  const ids = matching.map((m) => m.id);
  for (const m of matching) {
    await repo.updateVoucher(trx, m.id, {
      state: next(m.state, 'certify'),
      certificateId: certificate.id,
      certifiedAt: now,
      updatedAt: now,
    });
  }
  await repo.insertEvents(
    trx,
    matching.map((m) => ({
      id: uuidv7(),
      voucherId: m.id,
      fromState: m.state,
      toState: 'certified' as const,
      action: 'certify' as const,
      actorUserId: context.actor.userId ?? null,
      at: now,
      details: { certificateId: certificate.id },
    })),
  );
  await recordAuditMany(
    trx,
    matching.map((m) => ({
      context,
      action: 'voucher.certified' as const,
      entityType: 'voucher',
      entityId: m.id,
      before: { state: m.state },
      after: { state: 'certified', certificateId: certificate.id },
      details: { certificateId: certificate.id, classId: m.classId },
      occurredAt: now,
    })),
  );
  return ids;
}

/**
 * A certificate was revoked: a voucher it certified that is not yet redeemed goes back to
 * `completed` (it may be certified again by another certificate), and every subsidy claim made on
 * the certificate is flagged so it is never paid (an approved one is reversed in the ledger).
 * Runs in the revocation's transaction.
 */
export async function onCertificateRevoked(
  trx: Trx,
  certificateId: string,
  reason: string,
  context: AuditContext,
  now: Date,
): Promise<void> {
  const vouchers = await trx
    .selectFrom('vouchers')
    .select(['id', 'state'])
    .where('certificateId', '=', certificateId)
    .where('state', '=', 'certified')
    .orderBy('id')
    .forUpdate()
    .execute();
  for (const v of vouchers) {
    await repo.updateVoucher(trx, v.id, {
      state: next(v.state, 'decertify'),
      certificateId: null,
      certifiedAt: null,
      updatedAt: now,
    });
  }
  if (vouchers.length > 0) {
    await repo.insertEvents(
      trx,
      vouchers.map((v) => ({
        id: uuidv7(),
        voucherId: v.id,
        fromState: v.state,
        toState: 'completed' as const,
        action: 'decertify' as const,
        actorUserId: context.actor.userId ?? null,
        at: now,
        details: { certificateId, reason },
      })),
    );
  }
  // Flags every claim on the certificate; an approved, unpaid one is reversed in the ledger.
  const flagReason = `certificate revoked: ${reason}`.slice(0, 500);
  const claims = await onClaimCertificateRevoked(trx, certificateId, reason, context, now);
  await recordAuditMany(trx, [
    ...vouchers.map((v) => ({
      context,
      action: 'voucher.decertified' as const,
      entityType: 'voucher',
      entityId: v.id,
      before: { state: v.state, certificateId },
      after: { state: 'completed', certificateId: null },
      details: { certificateId, reason },
      occurredAt: now,
    })),
    ...claims.map((c) => ({
      context,
      action: 'subsidy_claim.flagged' as const,
      entityType: 'subsidy_claim',
      entityId: c.id,
      after: { flagReason },
      details: { certificateId, number: c.number, voucherId: c.voucherId },
      occurredAt: now,
    })),
  ]);
}
