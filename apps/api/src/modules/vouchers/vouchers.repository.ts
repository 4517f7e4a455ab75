import {
  sql,
  type ExpressionBuilder,
  type Insertable,
  type SelectQueryBuilder,
  type Updateable,
} from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db.js';
import type { Database } from '../../platform/db-schema.js';
import type { Scope } from '../../platform/auth/roles.js';
import { inScope as personsInScope } from '../persons/persons.repository.js';
import type { EmploymentStatus } from '../persons/persons.schema.js';
import type { VoucherEventsTable, VouchersTable } from './vouchers.schema.js';
import { LIVE_STATES, type VoucherState } from './vouchers.rules.js';

type VoucherQuery<O> = SelectQueryBuilder<Database & { v: VouchersTable }, 'v', O>;

/** What a voucher view shows: the voucher, its holder's name and masked ID, the occupation's name. */
const VOUCHER_COLUMNS = [
  'v.id',
  'v.number',
  'v.personId',
  'v.occupationCode',
  'v.occupationLevel',
  'v.valueFen',
  'v.validFrom',
  'v.validTo',
  'v.state',
  'v.classId',
  'v.organisationId',
  'v.subsidyStandardFen',
  'v.boundAt',
  'v.pendingClassId',
  'v.pendingRequestedAt',
  'v.pendingFlaggedAt',
  'v.pendingFlagReason',
  'v.regionCode',
  'v.source',
  'v.batchId',
  'v.version',
  'v.createdAt',
  'v.updatedAt',
] as const;

/**
 * Restricts a voucher query to a scope: a county its region (the holder's county at issue), an
 * institution the vouchers bound or waiting to be bound to its classes, a worker their own.
 */
export function inScope<O>(query: VoucherQuery<O>, scope: Scope): VoucherQuery<O> {
  switch (scope.kind) {
    case 'city':
      return query;
    case 'region':
      return query.where('v.regionCode', '=', scope.regionCode);
    case 'organisation':
      return query.where((eb) =>
        eb.or([
          eb('v.organisationId', '=', scope.organisationId),
          eb('v.pendingOrganisationId', '=', scope.organisationId),
        ]),
      );
    case 'unit':
      return query.where(sql<boolean>`false`);
    case 'person':
      return query.where('v.personId', '=', scope.personId);
  }
}

function viewQuery(db: DbOrTrx) {
  return db
    .selectFrom('vouchers as v')
    .innerJoin('persons as p', 'p.id', 'v.personId')
    .innerJoin('occupations as o', (join) =>
      join.onRef('o.code', '=', 'v.occupationCode').onRef('o.level', '=', 'v.occupationLevel'),
    )
    .select([
      ...VOUCHER_COLUMNS,
      'p.name as holderName',
      'p.idNumberMasked as holderIdNumberMasked',
      'o.name as occupationName',
    ]);
}

export async function findVoucher(db: DbOrTrx, scope: Scope, id: string) {
  return inScope(viewQuery(db), scope).where('v.id', '=', id).executeTakeFirst();
}
export type VoucherRow = NonNullable<Awaited<ReturnType<typeof findVoucher>>>;

export interface VoucherFilter {
  state?: VoucherState;
  personId?: string;
  occupationCode?: string;
  number?: string;
  /** Only bindings by ID number flagged for review (0011). */
  pendingReview?: boolean;
}

export async function listVouchers(
  db: DbOrTrx,
  scope: Scope,
  filter: VoucherFilter,
  paging: { limit: number; offset: number },
) {
  let query = inScope(viewQuery(db), scope);
  if (filter.state) query = query.where('v.state', '=', filter.state);
  if (filter.personId) query = query.where('v.personId', '=', filter.personId);
  if (filter.occupationCode) query = query.where('v.occupationCode', '=', filter.occupationCode);
  if (filter.number) query = query.where('v.number', '=', filter.number);
  if (filter.pendingReview === true) query = query.where('v.pendingFlaggedAt', 'is not', null);
  if (filter.pendingReview === false) query = query.where('v.pendingFlaggedAt', 'is', null);
  const [items, count] = await Promise.all([
    query
      .orderBy('v.createdAt', 'desc')
      .orderBy('v.id')
      .limit(paging.limit)
      .offset(paging.offset)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** The voucher row, locked for a transition (unscoped: the service checks who may act). */
export async function lockVoucher(trx: Trx, id: string) {
  return trx.selectFrom('vouchers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
export type LockedVoucher = NonNullable<Awaited<ReturnType<typeof lockVoucher>>>;

export async function updateVoucher(
  trx: Trx,
  id: string,
  changes: Omit<Updateable<VouchersTable>, 'id' | 'version'>,
): Promise<void> {
  await trx
    .updateTable('vouchers')
    .set({ ...changes, version: sql`version + 1` })
    .where('id', '=', id)
    .execute();
}

/** `n` serials for voucher numbers, from one sequence. */
export async function nextSerials(trx: Trx, n: number): Promise<number[]> {
  const result = await sql<{
    serial: number;
  }>`SELECT nextval('voucher_serial_seq') AS serial FROM generate_series(1, ${n})`.execute(trx);
  return result.rows.map((r) => Number(r.serial));
}

export type NewVoucher = Insertable<VouchersTable>;

/**
 * Inserts vouchers, skipping any person who meanwhile got a live voucher for the occupation (the
 * partial unique index decides). Returns the rows inserted.
 */
export async function insertVouchers(trx: Trx, rows: NewVoucher[]) {
  if (rows.length === 0) return [];
  const inserted: { id: string; personId: string; number: string }[] = [];
  // 25 columns per row: 2,000 rows stay under PostgreSQL's 65,535 parameters.
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = await trx
      .insertInto('vouchers')
      .values(rows.slice(i, i + 2000))
      .onConflict((oc) =>
        oc
          .columns(['personId', 'occupationCode', 'occupationLevel'])
          .where('state', 'in', [...LIVE_STATES])
          .doNothing(),
      )
      .returning(['id', 'personId', 'number'])
      .execute();
    inserted.push(...chunk);
  }
  return inserted;
}

export type NewVoucherEvent = Omit<VoucherEventsTable, 'details'> & {
  details: Record<string, unknown> | null;
};

export async function insertEvents(trx: Trx, events: NewVoucherEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 5000) {
    await trx
      .insertInto('voucherEvents')
      .values(
        events
          .slice(i, i + 5000)
          .map((e) => ({ ...e, details: e.details === null ? null : JSON.stringify(e.details) })),
      )
      .execute();
  }
}

export async function hasLiveVoucher(
  db: DbOrTrx,
  personId: string,
  occupation: { code: string; level: number },
): Promise<boolean> {
  const row = await db
    .selectFrom('vouchers')
    .select('id')
    .where('personId', '=', personId)
    .where('occupationCode', '=', occupation.code)
    .where('occupationLevel', '=', occupation.level)
    .where('state', 'in', [...LIVE_STATES])
    .executeTakeFirst();
  return row !== undefined;
}

export async function findOccupation(db: DbOrTrx, code: string, level: number) {
  return db
    .selectFrom('occupations')
    .select(['code', 'level', 'name'])
    .where('code', '=', code)
    .where('level', '=', level)
    .executeTakeFirst();
}

export interface BatchFilter {
  keyGroup?: string;
  regionCode?: string;
  employmentStatus?: EmploymentStatus;
}

/**
 * Persons in scope matching a batch filter who hold no live voucher for the occupation. The
 * persons module's own scope rule decides who is visible.
 */
function candidatesQuery(
  db: DbOrTrx,
  scope: Scope,
  filter: BatchFilter,
  occupation: { code: string; level: number },
) {
  let query = personsInScope(db.selectFrom('persons as p'), scope);
  if (filter.regionCode) query = query.where('p.regionCode', '=', filter.regionCode);
  if (filter.employmentStatus) {
    query = query.where('p.employmentStatus', '=', filter.employmentStatus);
  }
  if (filter.keyGroup) {
    const keyGroup = filter.keyGroup;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('personKeyGroups as g')
          .select('g.personId')
          .whereRef('g.personId', '=', 'p.id')
          .where('g.keyGroupCode', '=', keyGroup),
      ),
    );
  }
  return query.where((eb: ExpressionBuilder<Database & { p: Database['persons'] }, 'p'>) =>
    eb.not(
      eb.exists(
        eb
          .selectFrom('vouchers as lv')
          .select('lv.id')
          .whereRef('lv.personId', '=', 'p.id')
          .where('lv.occupationCode', '=', occupation.code)
          .where('lv.occupationLevel', '=', occupation.level)
          .where('lv.state', 'in', [...LIVE_STATES]),
      ),
    ),
  );
}

/** The batch's persons in a stable order (all of them, or the first `limit` as a sample). */
export async function batchCandidates(
  db: DbOrTrx,
  scope: Scope,
  filter: BatchFilter,
  occupation: { code: string; level: number },
  limit?: number,
) {
  let query = candidatesQuery(db, scope, filter, occupation)
    .select(['p.id', 'p.name', 'p.idNumberMasked', 'p.regionCode'])
    .orderBy('p.id');
  if (limit !== undefined) query = query.limit(limit);
  return query.execute();
}

export async function countBatchCandidates(
  db: DbOrTrx,
  scope: Scope,
  filter: BatchFilter,
  occupation: { code: string; level: number },
): Promise<number> {
  const row = await candidatesQuery(db, scope, filter, occupation)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Vouchers still usable after their last day, locked a batch at a time for the expiry job. */
export async function lockExpiredBatch(trx: Trx, today: string, limit: number) {
  return trx
    .selectFrom('vouchers')
    .select(['id', 'state', 'validTo', 'classId', 'personId'])
    .where('state', 'in', ['issued', 'bound'])
    .where('validTo', '<', today)
    .orderBy('validTo')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** A person's live vouchers (unscoped: the lookup for binding picks the one matching a class). */
export async function liveVouchersOf(db: DbOrTrx, personId: string) {
  return db
    .selectFrom('vouchers')
    .selectAll()
    .where('personId', '=', personId)
    .where('state', 'in', [...LIVE_STATES])
    .execute();
}

/** The voucher row, unlocked and unscoped (the lookup reads what a token names). */
export async function findVoucherRow(db: DbOrTrx, id: string) {
  return db.selectFrom('vouchers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether the person has an active worker account, i.e. someone who could confirm a binding. */
export async function holderHasAccount(db: DbOrTrx, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('personId', '=', personId)
    .where('role', '=', 'worker')
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Bindings by ID number requested before `before` and neither confirmed nor flagged yet, locked a
 * batch at a time for the flagging job.
 */
export async function lockStalePendingBatch(trx: Trx, before: Date, limit: number) {
  return trx
    .selectFrom('vouchers')
    .select(['id', 'state', 'pendingClassId', 'pendingRequestedAt'])
    .where('pendingClassId', 'is not', null)
    .where('pendingFlaggedAt', 'is', null)
    .where('pendingRequestedAt', '<=', before)
    .orderBy('pendingRequestedAt')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}
