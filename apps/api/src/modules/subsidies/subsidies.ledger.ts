/**
 * The double-entry ledger (R-SUB-5): integer fen, signed lines (debit > 0, credit < 0), entries
 * that sum to zero and are never changed — a correction is a reversing entry. Entries are made
 * only through postEntry, which checks the balance before inserting; the database checks it
 * again at commit (0012's deferred constraint trigger) and refuses UPDATE and DELETE.
 */
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db.js';
import { uuidv7 } from '../../platform/ids.js';
import { isBalanced } from './subsidies.rules.js';
import type { LedgerAccountKind, LedgerEntryKind } from './subsidies.schema.js';

export interface AccountKey {
  kind: LedgerAccountKind;
  fundCode: string;
  /** The payee, for payable and receivable accounts; null for a fund's own accounts. */
  organisationId: string | null;
}

const KIND_NAMES: Record<LedgerAccountKind, string> = {
  fund_expense: '补贴支出',
  fund_cash: '资金拨付',
  payable: '应付补贴',
  receivable: '应收退回',
};

/** The account's id, creating it on first use (concurrent creators meet at the unique index). */
export async function accountId(trx: Trx, key: AccountKey, now: Date): Promise<string> {
  const find = () =>
    trx
      .selectFrom('ledgerAccounts')
      .select('id')
      .where('kind', '=', key.kind)
      .where('fundCode', '=', key.fundCode)
      .where((eb) =>
        key.organisationId === null
          ? eb('organisationId', 'is', null)
          : eb('organisationId', '=', key.organisationId),
      )
      .executeTakeFirst();
  const found = await find();
  if (found) return found.id;
  const fund = await trx
    .selectFrom('funds')
    .select('name')
    .where('code', '=', key.fundCode)
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('ledgerAccounts')
    .values({
      id: uuidv7(),
      kind: key.kind,
      fundCode: key.fundCode,
      organisationId: key.organisationId,
      name: `${fund.name}·${KIND_NAMES[key.kind]}`,
      createdAt: now,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const created = await find();
  if (!created) throw new Error('a ledger account neither found nor created');
  return created.id;
}

/**
 * accountId memoised for one transaction: the lines of a payment batch share the fund's cash
 * account and, per payee, its payable account, each resolved once.
 */
export function accountResolver(trx: Trx, now: Date): (key: AccountKey) => Promise<string> {
  const resolved = new Map<string, Promise<string>>();
  return (key) => {
    const cacheKey = JSON.stringify([key.kind, key.fundCode, key.organisationId]);
    let id = resolved.get(cacheKey);
    if (id === undefined) {
      id = accountId(trx, key, now);
      resolved.set(cacheKey, id);
    }
    return id;
  };
}

export interface EntryInput {
  kind: LedgerEntryKind;
  claimId: string | null;
  reversesEntryId?: string | null;
  memo: string;
  postedBy: string | null;
  lines: { accountId: string; amountFen: number }[];
}

/** Posts a balanced entry; throws before writing anything when its lines do not sum to zero. */
export async function postEntry(trx: Trx, input: EntryInput, now: Date): Promise<string> {
  if (!isBalanced(input.lines.map((l) => l.amountFen))) {
    throw new Error(`an unbalanced ledger entry (${input.kind}) was refused`);
  }
  const id = uuidv7();
  await trx
    .insertInto('ledgerEntries')
    .values({
      id,
      kind: input.kind,
      claimId: input.claimId,
      reversesEntryId: input.reversesEntryId ?? null,
      memo: input.memo,
      postedAt: now,
      postedBy: input.postedBy,
    })
    .execute();
  await trx
    .insertInto('ledgerLines')
    .values(
      input.lines.map((l) => ({
        id: uuidv7(),
        entryId: id,
        accountId: l.accountId,
        amountFen: l.amountFen,
      })),
    )
    .execute();
  return id;
}

/**
 * Reverses an entry: the same accounts with opposite signs, naming the entry reversed (which
 * the database lets be reversed once). Returns the reversing entry's id.
 */
export async function reverseEntry(
  trx: Trx,
  entryId: string,
  input: { kind: LedgerEntryKind; memo: string; postedBy: string | null },
  now: Date,
): Promise<string> {
  const entry = await trx
    .selectFrom('ledgerEntries')
    .select(['id', 'claimId'])
    .where('id', '=', entryId)
    .executeTakeFirstOrThrow();
  const lines = await trx
    .selectFrom('ledgerLines')
    .select(['accountId', 'amountFen'])
    .where('entryId', '=', entryId)
    .orderBy('id')
    .execute();
  return postEntry(
    trx,
    {
      ...input,
      claimId: entry.claimId,
      reversesEntryId: entry.id,
      lines: lines.map((l) => ({ accountId: l.accountId, amountFen: -Number(l.amountFen) })),
    },
    now,
  );
}

/**
 * The trial balance: per account its debits, credits and balance (debits − credits), and the
 * totals; the total balance of a ledger of balanced entries is zero.
 */
export async function trialBalance(db: DbOrTrx) {
  const rows = await db
    .selectFrom('ledgerAccounts as a')
    .leftJoin('ledgerLines as l', 'l.accountId', 'a.id')
    .leftJoin('organisations as o', 'o.id', 'a.organisationId')
    .select([
      'a.id',
      'a.kind',
      'a.fundCode',
      'a.organisationId',
      'a.name',
      'o.name as organisationName',
      sql<string>`coalesce(sum(l.amount_fen) FILTER (WHERE l.amount_fen > 0), 0)`.as('debitFen'),
      sql<string>`coalesce(-sum(l.amount_fen) FILTER (WHERE l.amount_fen < 0), 0)`.as('creditFen'),
    ])
    .groupBy(['a.id', 'o.name'])
    .orderBy('a.fundCode')
    .orderBy('a.kind')
    .orderBy('a.id')
    .execute();
  const accounts = rows.map((r) => {
    const debitFen = Number(r.debitFen);
    const creditFen = Number(r.creditFen);
    return {
      accountId: r.id,
      kind: r.kind,
      fundCode: r.fundCode,
      organisationId: r.organisationId,
      organisationName: r.organisationName,
      name: r.name,
      debitFen,
      creditFen,
      balanceFen: debitFen - creditFen,
    };
  });
  const debitFen = accounts.reduce((s, a) => s + a.debitFen, 0);
  const creditFen = accounts.reduce((s, a) => s + a.creditFen, 0);
  return { accounts, total: { debitFen, creditFen, balanceFen: debitFen - creditFen } };
}
export type TrialBalance = Awaited<ReturnType<typeof trialBalance>>;

/** The claim's approval entry that has not been reversed, if any. */
async function unreversedApprovalEntry(trx: Trx, claimId: string) {
  return trx
    .selectFrom('ledgerEntries as e')
    .select('e.id')
    .where('e.claimId', '=', claimId)
    .where('e.kind', '=', 'claim_approved')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('ledgerEntries as r')
            .select('r.id')
            .whereRef('r.reversesEntryId', '=', 'e.id'),
        ),
      ),
    )
    .executeTakeFirst();
}

/**
 * Reverses the claim's approval entry (Dr payable / Cr fund expense), if one stands unreversed:
 * the reversing entry's id, else null.
 */
export async function reverseApproval(
  trx: Trx,
  claim: { id: string; number: string },
  reason: string,
  postedBy: string | null,
  now: Date,
): Promise<string | null> {
  const approval = await unreversedApprovalEntry(trx, claim.id);
  if (!approval) return null;
  return reverseEntry(
    trx,
    approval.id,
    {
      kind: 'claim_reversed',
      memo: `reversed ${claim.number}: ${reason}`.slice(0, 500),
      postedBy,
    },
    now,
  );
}
