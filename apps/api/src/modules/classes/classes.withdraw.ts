import type { Trx } from '../../platform/db.js';
import { recordAudit, type AuditContext } from '../audit/audit.service.js';
import * as repo from './classes.repository.js';

/*
 * Withdrawal of a trainee, the reverse of enrolTrainee: the vouchers module calls it when a bound
 * voucher is cancelled, expires or is unbound, inside that transaction, so the place is freed for
 * another trainee at once.
 */

/**
 * `withdrawn`: the enrolment is gone and its place free. `not_enrolled`: there was none (with
 * this voucher). `has_attendance`: the trainee has checked in already, so the enrolment stays
 * (attendance rows name it); the caller decides whether that refuses its action.
 */
export type WithdrawOutcome = 'withdrawn' | 'not_enrolled' | 'has_attendance';

/**
 * Removes the person's enrolment in the class (the one made with `voucherId`, when given) unless
 * they have attendance, and audits `class.trainee.withdrawn`. Locks the class row first, as
 * enrolment does, so a concurrent enrolment sees the freed place or waits for it.
 */
export async function withdrawTrainee(
  trx: Trx,
  classId: string,
  personId: string,
  options: { voucherId?: string; at: Date; context: AuditContext; reason: string },
): Promise<WithdrawOutcome> {
  const cls = await repo.findClass(trx, classId, { forUpdate: true });
  if (!cls) return 'not_enrolled';
  const trainee = await repo.findTrainee(trx, classId, personId, { forUpdate: true });
  if (!trainee) return 'not_enrolled';
  if (options.voucherId !== undefined && trainee.voucherId !== options.voucherId) {
    return 'not_enrolled';
  }
  const attended = await trx
    .selectFrom('classAttendance')
    .select('id')
    .where('classId', '=', classId)
    .where('personId', '=', personId)
    .limit(1)
    .executeTakeFirst();
  if (attended) return 'has_attendance';
  await trx.deleteFrom('classTrainees').where('id', '=', trainee.id).execute();
  await recordAudit(trx, {
    context: options.context,
    action: 'class.trainee.withdrawn',
    entityType: 'class',
    entityId: classId,
    before: { personId, voucherId: trainee.voucherId, enrolledAt: trainee.enrolledAt },
    details: { reason: options.reason },
    occurredAt: options.at,
  });
  return 'withdrawn';
}
