import type { Trx } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordAudit, type AuditContext } from '../audit/audit.service.js';
import * as repo from './vouchers.repository.js';
import { transition, type VoucherState } from './vouchers.rules.js';

/** What happened to the trainee enrolled with a voucher, as the classes module reports it. */
export type TrainingEvent = 'started' | 'passed' | 'failed';

/**
 * The actions that bring a voucher in `state` up to date with a training event, in order: the
 * first check-in starts training; a pass completes it (starting it first when the trainee never
 * checked in, e.g. online hours only); a fail forfeits it (nothing payable). A voucher already
 * past the event (a second check-in) needs nothing.
 */
export function actionsFor(state: VoucherState, event: TrainingEvent): TrainingAction[] {
  switch (event) {
    case 'started':
      return state === 'bound' ? ['start_training'] : [];
    case 'passed':
      return state === 'bound' ? ['start_training', 'complete'] : ['complete'];
    case 'failed':
      return state === 'bound' ? ['drop_out'] : ['fail_completion'];
  }
}

type TrainingAction = 'start_training' | 'complete' | 'drop_out' | 'fail_completion';

const AUDIT_ACTION = {
  start_training: 'voucher.training_started',
  complete: 'voucher.completed',
  drop_out: 'voucher.forfeited',
  fail_completion: 'voucher.forfeited',
} as const;

/**
 * Moves the trainee's voucher along with their training, inside the caller's transaction (the
 * check-in or completion that caused it): row-locked, each step a voucher event and an audit row.
 * A transition the state machine refuses throws its 409, rolling the check-in or completion back.
 */
export async function voucherFollowsTraining(
  trx: Trx,
  voucherId: string,
  event: TrainingEvent,
  context: AuditContext,
  now: Date,
): Promise<VoucherState | undefined> {
  const voucher = await repo.lockVoucher(trx, voucherId);
  if (!voucher) return undefined;
  let state = voucher.state;
  for (const action of actionsFor(state, event)) {
    const step = transition(state, action);
    if (!step.ok) {
      throw new DomainError(step.code, `Training voucher ${voucher.number}: ${step.message}`);
    }
    await repo.insertEvents(trx, [
      {
        id: uuidv7(),
        voucherId,
        fromState: state,
        toState: step.to,
        action,
        actorUserId: context.actor.userId,
        at: now,
        details: { classId: voucher.classId, event },
      },
    ]);
    await recordAudit(trx, {
      context,
      action: AUDIT_ACTION[action],
      entityType: 'voucher',
      entityId: voucherId,
      before: { state },
      after: { state: step.to },
      details: { classId: voucher.classId, event },
      occurredAt: now,
    });
    state = step.to;
  }
  if (state !== voucher.state) await repo.updateVoucher(trx, voucherId, { state, updatedAt: now });
  return state;
}
