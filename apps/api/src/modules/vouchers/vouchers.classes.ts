import type { DbOrTrx, Trx } from '../../platform/db.js';
import type { AuditContext } from '../audit/audit.service.js';
import { enrolTrainee, findClassFacts } from '../classes/classes.service.js';
import { withdrawTrainee, type WithdrawOutcome } from '../classes/classes.withdraw.js';

/*
 * The one place the vouchers module talks to the classes module, through its exported service
 * functions: what a class is (for the binding checks) and enrolment of the holder.
 */

/** What binding needs to know about a class. */
export interface BindableClass {
  id: string;
  organisationId: string;
  occupationCode: string;
  subsidyStandardFen: number;
  /** Approved and not finished: still taking trainees. */
  open: boolean;
}

export async function classForBinding(
  trx: DbOrTrx,
  classId: string,
  now: Date,
): Promise<BindableClass | undefined> {
  const facts = await findClassFacts(trx, classId, now);
  if (!facts) return undefined;
  return {
    id: facts.id,
    organisationId: facts.organisationId,
    occupationCode: facts.occupationCode,
    subsidyStandardFen: Number(facts.subsidyStandardFen),
    open: facts.status === 'approved' || facts.status === 'in_progress',
  };
}

/**
 * Enrols the holder in the class with the voucher, inside the bind transaction (the classes
 * module locks the class and enforces capacity).
 */
export async function enrolHolder(
  trx: Trx,
  input: {
    classId: string;
    personId: string;
    voucherId: string;
    at: Date;
    context: AuditContext;
    enrolledBy: string | null;
  },
): Promise<void> {
  await enrolTrainee(trx, input.classId, input.personId, {
    voucherId: input.voucherId,
    at: input.at,
    context: input.context,
    enrolledBy: input.enrolledBy,
  });
}

/**
 * Withdraws the holder enrolled with the voucher from the class, inside the cancel, expiry or
 * unbind transaction, freeing the place (the classes module locks the class).
 */
export async function withdrawHolder(
  trx: Trx,
  input: {
    classId: string;
    personId: string;
    voucherId: string;
    at: Date;
    context: AuditContext;
    reason: string;
  },
): Promise<WithdrawOutcome> {
  return withdrawTrainee(trx, input.classId, input.personId, {
    voucherId: input.voucherId,
    at: input.at,
    context: input.context,
    reason: input.reason,
  });
}
