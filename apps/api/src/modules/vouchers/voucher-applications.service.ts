import type { Db, Trx } from '../../platform/db.js';
import { DomainError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import type { Scope } from '../../platform/auth/roles.js';
import { recordAudit } from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import { getPerson } from '../persons/persons.service.js';
import type { VoucherApplicationsTable } from './vouchers.schema.js';
import {
  checkIssueTerms,
  issueVoucherIn,
  type IssueTerms,
  type OccupationInput,
  type VoucherDeps,
} from './vouchers.service.js';
import * as repo from './vouchers.repository.js';

/*
 * Workers apply for a voucher themselves (个人领取, R-VCH-5); a city administrator, or the county
 * administrator of the applicant's county, approves (issuing the voucher) or rejects with a reason.
 */

type ApplicationRow = Pick<
  VoucherApplicationsTable,
  | 'id'
  | 'personId'
  | 'occupationCode'
  | 'occupationLevel'
  | 'reason'
  | 'state'
  | 'regionCode'
  | 'voucherId'
  | 'decidedAt'
  | 'decisionReason'
  | 'createdAt'
>;

export function applicationView(row: ApplicationRow) {
  return {
    id: row.id,
    personId: row.personId,
    occupationCode: row.occupationCode,
    occupationLevel: row.occupationLevel,
    reason: row.reason,
    state: row.state,
    regionCode: row.regionCode,
    voucherId: row.voucherId,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionReason: row.decisionReason,
    createdAt: row.createdAt.toISOString(),
  };
}
export type ApplicationView = ReturnType<typeof applicationView>;

const COLUMNS = [
  'id',
  'personId',
  'occupationCode',
  'occupationLevel',
  'reason',
  'state',
  'regionCode',
  'voucherId',
  'decidedAt',
  'decisionReason',
  'createdAt',
] as const;

function inScope(scope: Scope) {
  return (db: Db | Trx) => {
    let query = db.selectFrom('voucherApplications').select(COLUMNS);
    if (scope.kind === 'region') query = query.where('regionCode', '=', scope.regionCode);
    if (scope.kind === 'person') query = query.where('personId', '=', scope.personId);
    if (scope.kind === 'unit' || scope.kind === 'organisation') {
      query = query.where('id', 'is', null);
    }
    return query;
  };
}

/** A worker applies for a voucher for an occupation; one open application per occupation. */
export async function applyForVoucher(
  db: Db,
  deps: VoucherDeps,
  auth: AuthContext,
  input: OccupationInput & { reason?: string | null },
  meta: RequestMeta,
): Promise<ApplicationView> {
  const personId = auth.user.personId;
  if (!personId) throw new DomainError('FORBIDDEN', 'Only a worker with a person record applies');
  const person = await getPerson(db, auth, personId);
  if (!(await repo.findOccupation(db, input.occupationCode, input.occupationLevel))) {
    throw new DomainError('VALIDATION_FAILED', 'Unknown occupation', [
      {
        path: '/body/occupationCode',
        message: 'no occupation or category with this code and level',
      },
    ]);
  }
  const occupation = { code: input.occupationCode, level: input.occupationLevel };
  return db.transaction().execute(async (trx) => {
    if (await repo.hasLiveVoucher(trx, personId, occupation)) {
      throw new DomainError(
        'VOUCHER_LIVE_EXISTS',
        'You already hold a live voucher for this occupation',
      );
    }
    const now = deps.clock.now();
    const row = {
      id: uuidv7(),
      personId,
      occupationCode: occupation.code,
      occupationLevel: occupation.level,
      reason: input.reason ?? null,
      state: 'pending' as const,
      regionCode: person.regionCode,
      voucherId: null,
      decidedBy: null,
      decidedAt: null,
      decisionReason: null,
      createdAt: now,
    };
    const inserted = await trx
      .insertInto('voucherApplications')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['personId', 'occupationCode', 'occupationLevel'])
          .where('state', '=', 'pending')
          .doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      throw new DomainError('CONFLICT', 'You already have an open application for this occupation');
    }
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'voucher.application.submitted',
      entityType: 'voucher_application',
      entityId: row.id,
      after: { occupationCode: row.occupationCode, occupationLevel: row.occupationLevel },
      occurredAt: now,
    });
    return applicationView(row);
  });
}

export async function listApplications(
  db: Db,
  auth: AuthContext,
  query: { state?: 'pending' | 'approved' | 'rejected'; page: number; pageSize: number },
) {
  let q = inScope(auth.scope)(db);
  if (query.state) q = q.where('state', '=', query.state);
  const [items, count] = await Promise.all([
    q
      .orderBy('createdAt', 'desc')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items: items.map(applicationView),
    total: Number(count.n),
    page: query.page,
    pageSize: query.pageSize,
  };
}

async function lockPending(trx: Trx, auth: AuthContext, id: string) {
  const row = await inScope(auth.scope)(trx).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', 'No such application in your scope');
  if (row.state !== 'pending') {
    throw new DomainError('CONFLICT', `The application is already ${row.state}`);
  }
  return row;
}

/** Approves a pending application, issuing the voucher on the terms given, in one transaction. */
export async function approveApplication(
  db: Db,
  deps: VoucherDeps,
  auth: AuthContext,
  id: string,
  terms: Omit<IssueTerms, keyof OccupationInput>,
  meta: RequestMeta,
) {
  const found = await inScope(auth.scope)(db).where('id', '=', id).executeTakeFirst();
  if (!found) throw new DomainError('NOT_FOUND', 'No such application in your scope');
  const fullTerms: IssueTerms = {
    occupationCode: found.occupationCode,
    occupationLevel: found.occupationLevel as OccupationInput['occupationLevel'],
    ...terms,
  };
  const validity = await checkIssueTerms(db, deps, fullTerms);
  return db.transaction().execute(async (trx) => {
    const application = await lockPending(trx, auth, id);
    const voucher = await issueVoucherIn(
      trx,
      deps,
      auth,
      {
        person: { id: application.personId, regionCode: application.regionCode },
        terms: fullTerms,
        validity,
        source: 'applied',
      },
      meta,
    );
    const now = deps.clock.now();
    await trx
      .updateTable('voucherApplications')
      .set({ state: 'approved', voucherId: voucher.id, decidedBy: auth.user.id, decidedAt: now })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'voucher.application.approved',
      entityType: 'voucher_application',
      entityId: id,
      details: { voucherId: voucher.id },
      occurredAt: now,
    });
    return {
      application: applicationView({
        ...application,
        state: 'approved',
        voucherId: voucher.id,
        decidedAt: now,
      }),
      voucher,
    };
  });
}

export async function rejectApplication(
  db: Db,
  deps: VoucherDeps,
  auth: AuthContext,
  id: string,
  reason: string,
  meta: RequestMeta,
): Promise<ApplicationView> {
  return db.transaction().execute(async (trx) => {
    const row = await lockPending(trx, auth, id);
    const now = deps.clock.now();
    await trx
      .updateTable('voucherApplications')
      .set({ state: 'rejected', decidedBy: auth.user.id, decidedAt: now, decisionReason: reason })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'voucher.application.rejected',
      entityType: 'voucher_application',
      entityId: id,
      details: { reason },
      occurredAt: now,
    });
    return applicationView({ ...row, state: 'rejected', decidedAt: now, decisionReason: reason });
  });
}
