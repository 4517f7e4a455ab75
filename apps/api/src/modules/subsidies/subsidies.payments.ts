/**
 * Paying approved claims (R-SUB-5): payment batches per fund and payer, the bank file, the
 * bank's results per line, clawback of a paid claim whose certificate was revoked and its
 * repayment, fund balances and a payee's statement.
 *
 * Paid once, whatever the concurrency: a batch takes its claims under row locks and moves them
 * to in_batch; results lock the batch first, then its lines and claims; the unique indexes
 * payment_lines_claim_live and ledger_entries_claim_paid_once refuse a second live line or a
 * second payment entry should a writer ever get past the locks.
 */
import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import { shanghaiDate } from '../../platform/clock.js';
import type { Db, DbOrTrx, Trx } from '../../platform/db.js';
import { DomainError, type FieldError } from '../../platform/errors.js';
import ExcelJS from '../../platform/excel.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordAudit, type AuditContext } from '../audit/audit.service.js';
import { inspectUpload } from '../imports/imports.guard.js';
import { readXlsxRows, type SheetRow } from '../imports/imports.xlsx.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import { accountId, accountResolver, postEntry, reverseApproval } from './subsidies.ledger.js';
import {
  batchSkipReason,
  CLAIM_KIND_NAMES,
  fenToYuan,
  formatBatchNumber,
  parseResultRows,
  runningBalances,
  settleLine,
  type LineOutcome,
  type SkipReason,
} from './subsidies.payments.rules.js';
import * as repo from './subsidies.repository.js';
import {
  CLAIM_STATUSES,
  type BatchStatus,
  type ClaimStatus,
  type LedgerEntryKind,
  type SubsidyKind,
} from './subsidies.schema.js';

/** The city, which pays claims of employers affiliated with no county (payer_region_code null). */
const CITY_REGION = '411400';

function batchNotFound(): DomainError {
  return new DomainError('NOT_FOUND', 'No such payment batch');
}

// ---------------------------------------------------------------------------------------------
// Reading batches

/** The batches named, in no particular order. */
async function batchRows(db: DbOrTrx, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('paymentBatches as b')
    .innerJoin('funds as f', 'f.code', 'b.fundCode')
    .leftJoin('regions as r', 'r.code', 'b.payerRegionCode')
    .select([
      'b.id',
      'b.number',
      'b.fundCode',
      'f.name as fundName',
      'b.payerRegionCode',
      'r.name as payerRegionName',
      'b.status',
      'b.lineCount',
      'b.totalFen',
      'b.note',
      'b.createdBy',
      'b.createdAt',
      'b.exportedAt',
      'b.exportedBy',
      'b.settledAt',
    ])
    .where('b.id', 'in', ids)
    .execute();
}
type BatchRow = Awaited<ReturnType<typeof batchRows>>[number];

async function cityName(db: DbOrTrx): Promise<string> {
  const row = await db
    .selectFrom('regions')
    .select('name')
    .where('code', '=', CITY_REGION)
    .executeTakeFirst();
  return row?.name ?? '商丘市';
}

async function lineRows(db: DbOrTrx, batchId: string) {
  return db
    .selectFrom('paymentLines as l')
    .innerJoin('subsidyClaims as c', 'c.id', 'l.claimId')
    .innerJoin('organisations as o', 'o.id', 'l.payeeOrganisationId')
    .innerJoin('persons as p', 'p.id', 'c.personId')
    .select([
      'l.id',
      'l.lineNo',
      'l.claimId',
      'c.number as claimNumber',
      'c.kind as claimKind',
      'c.status as claimStatus',
      'l.payeeOrganisationId',
      'o.name as payeeName',
      'p.name as personName',
      'p.idNumberMasked as personIdNumberMasked',
      'l.amountFen',
      'l.bankName',
      'l.bankAccountName',
      'l.bankAccountNo',
      'l.status',
      'l.bankReference',
      'l.failureReason',
      'l.settledAt',
    ])
    .where('l.batchId', '=', batchId)
    .orderBy('l.lineNo')
    .execute();
}
type LineRow = Awaited<ReturnType<typeof lineRows>>[number];

function lineView(l: LineRow) {
  return {
    id: l.id,
    lineNo: l.lineNo,
    claimId: l.claimId,
    claimNumber: l.claimNumber,
    claimKind: l.claimKind,
    claimStatus: l.claimStatus,
    payeeOrganisationId: l.payeeOrganisationId,
    payeeName: l.payeeName,
    personName: l.personName,
    personIdNumberMasked: l.personIdNumberMasked,
    amountFen: Number(l.amountFen),
    bankName: l.bankName,
    bankAccountName: l.bankAccountName,
    bankAccountNo: l.bankAccountNo,
    status: l.status,
    bankReference: l.bankReference,
    failureReason: l.failureReason,
    settledAt: l.settledAt?.toISOString() ?? null,
  };
}

function batchView(b: BatchRow, city: string, counts: LineCounts) {
  return {
    id: b.id,
    number: b.number,
    fundCode: b.fundCode,
    fundName: b.fundName,
    payerRegionCode: b.payerRegionCode,
    payerName: b.payerRegionCode === null ? city : (b.payerRegionName ?? b.payerRegionCode),
    status: b.status,
    lineCount: b.lineCount,
    totalFen: Number(b.totalFen),
    ...counts,
    note: b.note,
    createdBy: b.createdBy,
    createdAt: b.createdAt.toISOString(),
    exportedAt: b.exportedAt?.toISOString() ?? null,
    exportedBy: b.exportedBy,
    settledAt: b.settledAt?.toISOString() ?? null,
  };
}
export type BatchView = ReturnType<typeof batchView>;

interface LineCounts {
  pendingCount: number;
  paidCount: number;
  failedCount: number;
  paidFen: number;
}

async function lineCounts(db: DbOrTrx, batchIds: string[]): Promise<Map<string, LineCounts>> {
  const counts = new Map<string, LineCounts>();
  if (batchIds.length === 0) return counts;
  const rows = await db
    .selectFrom('paymentLines')
    .select([
      'batchId',
      sql<string>`count(*) FILTER (WHERE status = 'pending')`.as('pending'),
      sql<string>`count(*) FILTER (WHERE status = 'paid')`.as('paid'),
      sql<string>`count(*) FILTER (WHERE status = 'failed')`.as('failed'),
      sql<string>`coalesce(sum(amount_fen) FILTER (WHERE status = 'paid'), 0)`.as('paidFen'),
    ])
    .where('batchId', 'in', batchIds)
    .groupBy('batchId')
    .execute();
  for (const r of rows) {
    counts.set(r.batchId, {
      pendingCount: Number(r.pending),
      paidCount: Number(r.paid),
      failedCount: Number(r.failed),
      paidFen: Number(r.paidFen),
    });
  }
  return counts;
}

const NO_COUNTS: LineCounts = { pendingCount: 0, paidCount: 0, failedCount: 0, paidFen: 0 };

/** A batch with its lines (the person masked), or 404. */
export async function getBatch(db: DbOrTrx, id: string) {
  const [b] = await batchRows(db, [id]);
  if (!b) throw batchNotFound();
  const [lines, counts, city] = await Promise.all([
    lineRows(db, id),
    lineCounts(db, [id]),
    cityName(db),
  ]);
  return { ...batchView(b, city, counts.get(id) ?? NO_COUNTS), lines: lines.map(lineView) };
}
export type BatchDetail = Awaited<ReturnType<typeof getBatch>>;

export interface BatchListQuery {
  status?: BatchStatus;
  fundCode?: string;
  page: number;
  pageSize: number;
}

/** Batches, newest first, filtered by status and fund. */
export async function listBatches(db: Db, query: BatchListQuery) {
  let base = db.selectFrom('paymentBatches as b');
  if (query.status !== undefined) base = base.where('b.status', '=', query.status);
  if (query.fundCode !== undefined) base = base.where('b.fundCode', '=', query.fundCode);
  const [ids, count, city] = await Promise.all([
    base
      .select('b.id')
      .orderBy('b.createdAt', 'desc')
      .orderBy('b.id', 'desc')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst(),
    cityName(db),
  ]);
  const pageIds = ids.map((r) => r.id);
  const [rows, counts] = await Promise.all([batchRows(db, pageIds), lineCounts(db, pageIds)]);
  const byId = new Map(rows.map((b) => [b.id, b]));
  const items: BatchView[] = [];
  for (const id of pageIds) {
    const b = byId.get(id);
    if (b) items.push(batchView(b, city, counts.get(id) ?? NO_COUNTS));
  }
  return { items, total: Number(count?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

// ---------------------------------------------------------------------------------------------
// Building a batch

export interface BuildBatchInput {
  fundCode: string;
  payerRegionCode: string | null;
  claimIds?: string[];
  note?: string;
}

export interface SkippedClaim {
  claimId: string;
  number: string;
  reason: SkipReason;
}

/**
 * Builds a payment batch of the fund and payer: the claims named (or, without names, every
 * approved claim of that fund and payer), locked, each checked — approved, unflagged, of that
 * fund and payer, its payee with a bank account — and the others listed with why. Each claim
 * that goes gets a line with the payee's bank account as it is now, and becomes in_batch.
 * Nothing to pay: 409 NOTHING_TO_PAY (naming the claims left out).
 */
export async function buildBatch(
  db: Db,
  deps: { clock: Clock },
  auth: AuthContext,
  input: BuildBatchInput,
  meta: RequestMeta,
): Promise<BatchDetail & { skipped: SkippedClaim[] }> {
  const note = input.note?.trim() || null;
  // The body's null may arrive as '' (Ajv's type coercion tries the string branch first).
  const payerRegionCode = input.payerRegionCode || null;
  const claimIds = input.claimIds === undefined ? undefined : [...new Set(input.claimIds)];
  return db.transaction().execute(async (trx) => {
    const fieldErrors: FieldError[] = [];
    const fund = await trx
      .selectFrom('funds')
      .select('code')
      .where('code', '=', input.fundCode)
      .executeTakeFirst();
    if (!fund) fieldErrors.push({ path: '/body/fundCode', message: 'unknown fund' });
    if (payerRegionCode !== null) {
      const region = await trx
        .selectFrom('regions')
        .select('level')
        .where('code', '=', payerRegionCode)
        .executeTakeFirst();
      if (region?.level !== 3) {
        fieldErrors.push({
          path: '/body/payerRegionCode',
          message: 'unknown county-level region (null: the city)',
        });
      }
    }
    if (fieldErrors.length > 0) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'The batch’s fund or payer is unknown',
        fieldErrors,
      );
    }

    // Locked in id order, so concurrent builders queue instead of deadlocking; a claim another
    // builder took meanwhile is seen as in_batch once its lock is released.
    let query = trx
      .selectFrom('subsidyClaims as c')
      .innerJoin('organisations as o', 'o.id', 'c.payeeOrganisationId')
      .select([
        'c.id',
        'c.number',
        'c.status',
        'c.flaggedAt',
        'c.fundCode',
        'c.payerRegionCode',
        'c.amountFen',
        'c.payeeOrganisationId',
        'o.bankName',
        'o.bankAccountName',
        'o.bankAccountNo',
      ])
      .orderBy('c.id')
      .forUpdate('c');
    if (claimIds !== undefined) {
      query = query.where('c.id', 'in', claimIds.length > 0 ? claimIds : [uuidv7()]);
    } else {
      query = query
        .where('c.status', '=', 'approved')
        .where('c.fundCode', '=', input.fundCode)
        .where((eb) =>
          payerRegionCode === null
            ? eb('c.payerRegionCode', 'is', null)
            : eb('c.payerRegionCode', '=', payerRegionCode),
        );
    }
    const claims = await query.execute();
    if (claimIds !== undefined) {
      const found = new Set(claims.map((c) => c.id));
      const unknown = claimIds
        .map((id, i) => ({ id, i }))
        .filter(({ id }) => !found.has(id))
        .map(({ i }) => ({ path: `/body/claimIds/${i}`, message: 'no such claim' }));
      if (unknown.length > 0) throw new DomainError('VALIDATION_FAILED', 'Unknown claims', unknown);
    }

    const skipped: SkippedClaim[] = [];
    const going: typeof claims = [];
    for (const c of claims) {
      const reason = batchSkipReason(
        {
          status: c.status,
          flagged: c.flaggedAt !== null,
          fundCode: c.fundCode,
          payerRegionCode: c.payerRegionCode,
          amountFen: Number(c.amountFen),
          payeeHasBankAccount: c.bankAccountNo !== null,
        },
        { fundCode: input.fundCode, payerRegionCode: payerRegionCode },
      );
      if (reason === null) going.push(c);
      else skipped.push({ claimId: c.id, number: c.number, reason });
    }
    if (going.length === 0) {
      throw new DomainError(
        'NOTHING_TO_PAY',
        'No claim of this fund and payer can be paid now',
        skipped.map((s) => ({ path: `/claims/${s.number}`, message: s.reason })),
      );
    }

    const now = deps.clock.now();
    const serial = await sql<{
      serial: string;
    }>`SELECT nextval('payment_batch_serial_seq') AS serial`.execute(trx);
    const number = formatBatchNumber(
      Number(shanghaiDate(now).slice(0, 4)),
      Number(serial.rows[0]?.serial),
    );
    const batchId = uuidv7();
    const totalFen = going.reduce((s, c) => s + Number(c.amountFen), 0);
    await trx
      .insertInto('paymentBatches')
      .values({
        id: batchId,
        number,
        fundCode: input.fundCode,
        payerRegionCode: payerRegionCode,
        status: 'open',
        lineCount: going.length,
        totalFen,
        note,
        createdBy: auth.user.id,
        createdAt: now,
      })
      .execute();
    await trx
      .insertInto('paymentLines')
      .values(
        going.map((c, i) => ({
          id: uuidv7(),
          batchId,
          lineNo: i + 1,
          claimId: c.id,
          payeeOrganisationId: c.payeeOrganisationId,
          amountFen: Number(c.amountFen),
          bankName: c.bankName ?? '',
          bankAccountName: c.bankAccountName ?? '',
          bankAccountNo: c.bankAccountNo ?? '',
          status: 'pending' as const,
        })),
      )
      .execute();
    await trx
      .updateTable('subsidyClaims')
      .set({ status: 'in_batch', updatedAt: now, version: sql<number>`version + 1` })
      .where(
        'id',
        'in',
        going.map((c) => c.id),
      )
      .execute();
    await repo.insertClaimEvents(
      trx,
      going.map((c, i) =>
        repo.claimEvent({
          claimId: c.id,
          fromStatus: 'approved',
          toStatus: 'in_batch',
          action: 'batch',
          actorUserId: auth.user.id,
          at: now,
          details: { batchId, batchNumber: number, lineNo: i + 1 },
        }),
      ),
    );
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'payment_batch.created',
      entityType: 'payment_batch',
      entityId: batchId,
      after: {
        number,
        fundCode: input.fundCode,
        payerRegionCode: payerRegionCode,
        lineCount: going.length,
        totalFen,
      },
      details: {
        claimNumbers: going.map((c) => c.number),
        skipped: skipped.map((s) => ({ number: s.number, reason: s.reason })),
      },
      occurredAt: now,
    });
    return { ...(await getBatch(trx, batchId)), skipped };
  });
}

// ---------------------------------------------------------------------------------------------
// The bank file and its export

const XLSX_COLUMNS = [
  { header: '序号', width: 8 },
  { header: '收款单位', width: 32 },
  { header: '开户银行', width: 26 },
  { header: '账户名称', width: 32 },
  { header: '银行账号', width: 28 },
  { header: '金额(元)', width: 14 },
  { header: '用途', width: 34 },
  { header: '补贴单号', width: 16 },
] as const;

/**
 * The batch's bank file (xlsx): a title row (batch number, fund, payer), the header, one row per
 * line — the account number as text, never a number (a 19-digit account would lose digits), the
 * amount in yuan with two decimals — and a total row.
 */
export async function bankFile(db: Db, id: string): Promise<{ fileName: string; content: Buffer }> {
  const batch = await getBatch(db, id);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('支付明细');
  sheet.columns = XLSX_COLUMNS.map((c) => ({ width: c.width }));
  sheet.addRow([
    `支付批次 ${batch.number}  资金：${batch.fundName}  付款方：${batch.payerName}`,
  ]).font = { bold: true };
  sheet.mergeCells(1, 1, 1, XLSX_COLUMNS.length);
  sheet.addRow(XLSX_COLUMNS.map((c) => c.header)).font = { bold: true };
  for (const l of batch.lines) {
    const row = sheet.addRow([
      l.lineNo,
      l.payeeName,
      l.bankName,
      l.bankAccountName,
      l.bankAccountNo,
      fenToYuan(l.amountFen),
      `${l.claimNumber} ${CLAIM_KIND_NAMES[l.claimKind]}`,
      l.claimNumber,
    ]);
    row.getCell(5).numFmt = '@';
    row.getCell(6).numFmt = '0.00';
  }
  const total = sheet.addRow(['合计', '', '', '', '', fenToYuan(batch.totalFen), '', '']);
  total.font = { bold: true };
  total.getCell(6).numFmt = '0.00';
  const content = Buffer.from(await workbook.xlsx.writeBuffer());
  return { fileName: `${batch.number}.xlsx`, content };
}

/**
 * Marks the batch exported (its file went to the bank): from then on results may be recorded
 * for it. An exported or settled batch is answered unchanged.
 */
export async function exportBatch(
  db: Db,
  deps: { clock: Clock },
  auth: AuthContext,
  id: string,
  meta: RequestMeta,
): Promise<BatchDetail> {
  return db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom('paymentBatches')
      .select(['id', 'status', 'number'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) throw batchNotFound();
    if (locked.status === 'open') {
      const now = deps.clock.now();
      await trx
        .updateTable('paymentBatches')
        .set({ status: 'exported', exportedAt: now, exportedBy: auth.user.id })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, {
        context: auditContextOf(auth, meta),
        action: 'payment_batch.exported',
        entityType: 'payment_batch',
        entityId: id,
        before: { status: 'open' },
        after: { status: 'exported' },
        details: { number: locked.number },
        occurredAt: now,
      });
    }
    return getBatch(trx, id);
  });
}

// ---------------------------------------------------------------------------------------------
// The bank's results

export interface LineResult {
  lineNo: number;
  outcome: LineOutcome;
  bankReference?: string;
  reason?: string;
}

/**
 * Records the bank's outcome of lines of an exported batch, under the batch's row lock (so two
 * results for one batch queue). A pending line paid: its claim is paid and the payment posted
 * (Dr payable / Cr fund cash); failed: its claim is approved again, to go into a later batch.
 * The same outcome again changes nothing; the other outcome for a settled line is refused and
 * nothing of the request is kept. A claim flagged while in the batch (its certificate revoked)
 * is clawed back at once when paid, and reversed when its payment failed. The batch is settled
 * once no line is pending.
 */
export async function recordResults(
  db: Db,
  deps: { clock: Clock },
  auth: AuthContext,
  id: string,
  input: { lines: LineResult[] },
  meta: RequestMeta,
): Promise<BatchDetail & { paid: number; failed: number; unchanged: number }> {
  const errors: FieldError[] = [];
  const seen = new Set<number>();
  input.lines.forEach((l, i) => {
    if (seen.has(l.lineNo)) {
      errors.push({ path: `/body/lines/${i}/lineNo`, message: 'given twice' });
    }
    seen.add(l.lineNo);
    if (l.outcome === 'failed' && !l.reason?.trim()) {
      errors.push({ path: `/body/lines/${i}/reason`, message: 'required for a failed line' });
    }
  });
  if (errors.length > 0) throw new DomainError('VALIDATION_FAILED', 'Invalid results', errors);

  return db.transaction().execute(async (trx) => {
    const batch = await trx
      .selectFrom('paymentBatches')
      .select(['id', 'number', 'status', 'fundCode'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!batch) throw batchNotFound();
    if (batch.status === 'open') {
      throw new DomainError(
        'BATCH_NOT_EXPORTED',
        'Export the batch’s bank file before recording its results',
      );
    }
    const lines = await trx
      .selectFrom('paymentLines')
      .selectAll()
      .where('batchId', '=', id)
      .where(
        'lineNo',
        'in',
        input.lines.map((l) => l.lineNo),
      )
      .orderBy('lineNo')
      .forUpdate()
      .execute();
    const byNo = new Map(lines.map((l) => [l.lineNo, l]));
    const unknown = input.lines
      .map((l, i) => ({ l, i }))
      .filter(({ l }) => !byNo.has(l.lineNo))
      .map(({ i }) => ({ path: `/body/lines/${i}/lineNo`, message: 'no such line in the batch' }));
    if (unknown.length > 0) throw new DomainError('VALIDATION_FAILED', 'Unknown lines', unknown);
    // The claims of pending lines, locked in id order (as batch builders lock them), so the two
    // never wait on each other in a circle.
    const pendingClaimIds = lines.filter((l) => l.status === 'pending').map((l) => l.claimId);
    const lockedClaims =
      pendingClaimIds.length === 0
        ? []
        : await trx
            .selectFrom('subsidyClaims')
            .select([
              'id',
              'number',
              'status',
              'flaggedAt',
              'flagReason',
              'fundCode',
              'amountFen',
              'payeeOrganisationId',
            ])
            .where('id', 'in', pendingClaimIds)
            .orderBy('id')
            .forUpdate()
            .execute();
    const claimsById = new Map(lockedClaims.map((c) => [c.id, c]));

    const now = deps.clock.now();
    const context = auditContextOf(auth, meta);
    const accountOf = accountResolver(trx, now);
    let paid = 0;
    let failed = 0;
    let unchanged = 0;
    const ordered = [...input.lines].sort((a, b) => a.lineNo - b.lineNo);
    for (const result of ordered) {
      const line = byNo.get(result.lineNo);
      if (!line) continue;
      const settlement = settleLine(line.status, result.outcome);
      if (!settlement.ok) {
        throw new DomainError(
          settlement.code,
          `Line ${line.lineNo}: ${settlement.message}; nothing was recorded`,
          [{ path: `/body/lines/${ordered.indexOf(result)}/outcome`, message: settlement.message }],
        );
      }
      if (settlement.change === 'unchanged') {
        unchanged += 1;
        continue;
      }
      const claim = claimsById.get(line.claimId);
      if (claim?.status !== 'in_batch') {
        throw new Error(`the claim of pending line ${line.lineNo} is ${claim?.status ?? 'gone'}`);
      }
      const fundCode = claim.fundCode ?? batch.fundCode;
      const amountFen = Number(line.amountFen);
      if (result.outcome === 'paid') {
        const bankReference = result.bankReference?.trim() || null;
        await trx
          .updateTable('paymentLines')
          .set({ status: 'paid', bankReference, settledAt: now, settledBy: auth.user.id })
          .where('id', '=', line.id)
          .execute();
        await repo.updateClaim(trx, claim.id, { status: 'paid', paidAt: now, updatedAt: now });
        const payable = await accountOf({
          kind: 'payable',
          fundCode,
          organisationId: claim.payeeOrganisationId,
        });
        const cash = await accountOf({ kind: 'fund_cash', fundCode, organisationId: null });
        const entryId = await postEntry(
          trx,
          {
            kind: 'claim_paid',
            claimId: claim.id,
            memo: `paid ${claim.number} in ${batch.number}/${line.lineNo}${bankReference ? ` ${bankReference}` : ''}`,
            postedBy: auth.user.id,
            lines: [
              { accountId: payable, amountFen },
              { accountId: cash, amountFen: -amountFen },
            ],
          },
          now,
        );
        await repo.insertClaimEvents(trx, [
          repo.claimEvent({
            claimId: claim.id,
            fromStatus: 'in_batch',
            toStatus: 'paid',
            action: 'pay',
            actorUserId: auth.user.id,
            at: now,
            details: { batchId: id, lineNo: line.lineNo, bankReference, ledgerEntryId: entryId },
          }),
        ]);
        paid += 1;
        if (claim.flaggedAt !== null) {
          await clawBackPaidClaim(
            trx,
            {
              id: claim.id,
              number: claim.number,
              fundCode,
              payeeOrganisationId: claim.payeeOrganisationId,
              amountFen,
            },
            claim.flagReason ?? 'flagged while in a payment batch',
            context,
            now,
          );
        }
      } else {
        const reason = (result.reason ?? '').trim().slice(0, 500);
        await trx
          .updateTable('paymentLines')
          .set({ status: 'failed', failureReason: reason, settledAt: now, settledBy: auth.user.id })
          .where('id', '=', line.id)
          .execute();
        await repo.updateClaim(trx, claim.id, { status: 'approved', updatedAt: now });
        await repo.insertClaimEvents(trx, [
          repo.claimEvent({
            claimId: claim.id,
            fromStatus: 'in_batch',
            toStatus: 'approved',
            action: 'fail',
            actorUserId: auth.user.id,
            at: now,
            reason,
            details: { batchId: id, lineNo: line.lineNo },
          }),
        ]);
        failed += 1;
        if (claim.flaggedAt !== null) {
          await reverseApprovedClaim(
            trx,
            { id: claim.id, number: claim.number },
            claim.flagReason ?? 'flagged while in a payment batch',
            context,
            now,
          );
        }
      }
    }
    const pending = await trx
      .selectFrom('paymentLines')
      .select('id')
      .where('batchId', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    const settles = pending === undefined && batch.status !== 'settled';
    if (settles) {
      await trx
        .updateTable('paymentBatches')
        .set({ status: 'settled', settledAt: now })
        .where('id', '=', id)
        .execute();
    }
    if (paid + failed > 0) {
      await recordAudit(trx, {
        context,
        action: 'payment_batch.results_recorded',
        entityType: 'payment_batch',
        entityId: id,
        before: { status: batch.status },
        after: { status: settles ? 'settled' : batch.status },
        details: { number: batch.number, paid, failed, unchanged },
        occurredAt: now,
      });
    }
    return { ...(await getBatch(trx, id)), paid, failed, unchanged };
  });
}

/** At most this many rows are read from a results workbook (a batch has at most 5,000 lines). */
const MAX_RESULT_ROWS = 5_010;

/**
 * Records the bank's results from its workbook (序号, 结果 成功/失败, 银行流水号, 失败原因), as
 * recordResults does for the same lines. The upload is checked as imports check rosters (a real
 * xlsx, within the zip caps) before exceljs reads it.
 */
export async function recordResultsFile(
  db: Db,
  deps: { clock: Clock },
  auth: AuthContext,
  id: string,
  file: { path: string; name: string },
  meta: RequestMeta,
) {
  const inspected = await inspectUpload(file.path, file.name);
  if (inspected.format !== 'xlsx') {
    throw new DomainError(
      'UNSUPPORTED_FILE_TYPE',
      'Upload the bank’s results as an .xlsx workbook',
    );
  }
  const rows: SheetRow[] = [];
  let tooMany = false;
  // Read to the end even past the cap: exceljs cleans up after a sheet read whole.
  for await (const row of readXlsxRows(file.path)) {
    if (rows.length < MAX_RESULT_ROWS) rows.push(row);
    else tooMany = true;
  }
  if (tooMany) {
    throw new DomainError('VALIDATION_FAILED', 'Too many rows for one batch', [
      { path: '/file', message: `at most ${MAX_RESULT_ROWS} rows` },
    ]);
  }
  const parsed = parseResultRows(rows);
  if (!parsed.ok) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'The results workbook cannot be read',
      parsed.errors,
    );
  }
  return recordResults(db, deps, auth, id, { lines: parsed.lines }, meta);
}

/**
 * Reverses an approved, unpaid claim whose certificate was revoked, in the caller's transaction
 * with the claim locked: its approval entry gets a reversing entry (Dr payable / Cr fund
 * expense) and the claim becomes reversed. onClaimCertificateRevoked reverses a claim so before
 * payment, recordResults when its payment failed. `details` (e.g. the certificate) go first into
 * the event's and the audit's details.
 */
export async function reverseApprovedClaim(
  trx: Trx,
  claim: { id: string; number: string },
  reason: string,
  context: AuditContext,
  now: Date,
  details: Record<string, unknown> = {},
): Promise<void> {
  const actor = context.actor.userId ?? null;
  const reversalReason = reason.slice(0, 500);
  const entryId = await reverseApproval(trx, claim, reversalReason, actor, now);
  await repo.updateClaim(trx, claim.id, {
    status: 'reversed',
    reversedAt: now,
    reversalReason,
    updatedAt: now,
  });
  await repo.insertClaimEvents(trx, [
    repo.claimEvent({
      claimId: claim.id,
      fromStatus: 'approved',
      toStatus: 'reversed',
      action: 'reverse',
      actorUserId: actor,
      at: now,
      reason: reversalReason,
      details: { ...details, ledgerEntryId: entryId },
    }),
  ]);
  await recordAudit(trx, {
    context,
    action: 'subsidy_claim.reversed',
    entityType: 'subsidy_claim',
    entityId: claim.id,
    before: { status: 'approved' },
    after: { status: 'reversed' },
    details: { ...details, number: claim.number, ledgerEntryId: entryId },
    occurredAt: now,
  });
}

// ---------------------------------------------------------------------------------------------
// Clawback and repayment

export interface PaidClaim {
  id: string;
  number: string;
  fundCode: string;
  payeeOrganisationId: string;
  amountFen: number;
}

/**
 * Claws back a paid claim (its certificate was revoked), in the caller's transaction with the
 * claim locked: the approval is reversed (Dr payable / Cr fund expense), and the amount paid
 * becomes a receivable from the payee (Dr receivable / Cr payable). The claim becomes
 * clawed_back; the payee's repayment clears the receivable.
 */
export async function clawBackPaidClaim(
  trx: Trx,
  claim: PaidClaim,
  reason: string,
  context: AuditContext,
  now: Date,
): Promise<{ reversalEntryId: string | null; receivableEntryId: string }> {
  const actor = context.actor.userId ?? null;
  const clawbackReason = reason.slice(0, 500);
  const reversalEntryId = await reverseApproval(trx, claim, clawbackReason, actor, now);
  const receivable = await accountId(
    trx,
    { kind: 'receivable', fundCode: claim.fundCode, organisationId: claim.payeeOrganisationId },
    now,
  );
  const payable = await accountId(
    trx,
    { kind: 'payable', fundCode: claim.fundCode, organisationId: claim.payeeOrganisationId },
    now,
  );
  const receivableEntryId = await postEntry(
    trx,
    {
      kind: 'receivable_recognised',
      claimId: claim.id,
      memo: `clawed back ${claim.number}: ${clawbackReason}`.slice(0, 500),
      postedBy: actor,
      lines: [
        { accountId: receivable, amountFen: claim.amountFen },
        { accountId: payable, amountFen: -claim.amountFen },
      ],
    },
    now,
  );
  await repo.updateClaim(trx, claim.id, {
    status: 'clawed_back',
    clawedBackAt: now,
    clawbackReason,
    updatedAt: now,
  });
  await repo.insertClaimEvents(trx, [
    repo.claimEvent({
      claimId: claim.id,
      fromStatus: 'paid',
      toStatus: 'clawed_back',
      action: 'claw_back',
      actorUserId: actor,
      at: now,
      reason: clawbackReason,
      details: { reversalEntryId, receivableEntryId, amountFen: claim.amountFen },
    }),
  ]);
  await recordAudit(trx, {
    context,
    action: 'subsidy_claim.clawed_back',
    entityType: 'subsidy_claim',
    entityId: claim.id,
    before: { status: 'paid' },
    after: { status: 'clawed_back' },
    details: {
      number: claim.number,
      amountFen: claim.amountFen,
      reason: clawbackReason,
      reversalEntryId,
      receivableEntryId,
    },
    occurredAt: now,
  });
  return { reversalEntryId, receivableEntryId };
}

/** What the payee still owes on a clawed-back claim: its receivable lines' balance. */
async function outstandingReceivable(trx: DbOrTrx, claimId: string): Promise<number> {
  const row = await trx
    .selectFrom('ledgerLines as l')
    .innerJoin('ledgerEntries as e', 'e.id', 'l.entryId')
    .innerJoin('ledgerAccounts as a', 'a.id', 'l.accountId')
    .select(sql<string>`coalesce(sum(l.amount_fen), 0)`.as('balance'))
    .where('e.claimId', '=', claimId)
    .where('a.kind', '=', 'receivable')
    .executeTakeFirst();
  return Number(row?.balance ?? 0);
}

/**
 * Records a payee's repayment of a clawed-back claim: Dr fund cash / Cr receivable, the whole
 * outstanding amount unless a smaller one is given; more than is owed is 409 OVERPAYMENT.
 */
export async function recordRepayment(
  db: Db,
  deps: { clock: Clock },
  auth: AuthContext,
  claimId: string,
  input: { amountFen?: number; bankReference?: string },
  meta: RequestMeta,
) {
  return db.transaction().execute(async (trx) => {
    const claim = await trx
      .selectFrom('subsidyClaims')
      .select(['id', 'number', 'status', 'fundCode', 'payeeOrganisationId'])
      .where('id', '=', claimId)
      .forUpdate()
      .executeTakeFirst();
    if (!claim) throw new DomainError('NOT_FOUND', 'No such subsidy claim');
    if (claim.status !== 'clawed_back' || claim.fundCode === null) {
      throw new DomainError(
        'CLAIM_STATE_CONFLICT',
        `The claim is ${claim.status}: only a clawed-back claim is repaid`,
      );
    }
    const outstandingFen = await outstandingReceivable(trx, claim.id);
    const amountFen = input.amountFen ?? outstandingFen;
    if (amountFen <= 0 || amountFen > outstandingFen) {
      throw new DomainError(
        'OVERPAYMENT',
        `The payee owes ${outstandingFen} fen on ${claim.number}: ${amountFen} fen cannot be repaid`,
        [{ path: '/body/amountFen', message: `at most ${outstandingFen}` }],
      );
    }
    const now = deps.clock.now();
    const bankReference = input.bankReference?.trim() || null;
    const cash = await accountId(
      trx,
      { kind: 'fund_cash', fundCode: claim.fundCode, organisationId: null },
      now,
    );
    const receivable = await accountId(
      trx,
      { kind: 'receivable', fundCode: claim.fundCode, organisationId: claim.payeeOrganisationId },
      now,
    );
    const entryId = await postEntry(
      trx,
      {
        kind: 'receivable_repaid',
        claimId: claim.id,
        memo: `repaid ${claim.number}${bankReference ? ` ${bankReference}` : ''}`.slice(0, 500),
        postedBy: auth.user.id,
        lines: [
          { accountId: cash, amountFen },
          { accountId: receivable, amountFen: -amountFen },
        ],
      },
      now,
    );
    const remainingFen = outstandingFen - amountFen;
    await recordAudit(trx, {
      context: auditContextOf(auth, meta),
      action: 'subsidy_claim.repaid',
      entityType: 'subsidy_claim',
      entityId: claim.id,
      before: { outstandingFen },
      after: { outstandingFen: remainingFen },
      details: { number: claim.number, amountFen, bankReference, ledgerEntryId: entryId },
      occurredAt: now,
    });
    return {
      claimId: claim.id,
      number: claim.number,
      repaidFen: amountFen,
      outstandingFen: remainingFen,
      ledgerEntryId: entryId,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Fund balances and payee statements

type StatusCounts = Record<ClaimStatus, number>;

/**
 * Per fund: approved (approvals net of reversals: the expense balance), paid (payment entries),
 * payable (approved, unpaid), receivable (owed back), net cash out, and its claims per status.
 */
export async function fundBalances(db: Db) {
  const [funds, balances, paid, counts] = await Promise.all([
    db.selectFrom('funds').select(['code', 'name']).orderBy('code').execute(),
    db
      .selectFrom('ledgerLines as l')
      .innerJoin('ledgerAccounts as a', 'a.id', 'l.accountId')
      .select(['a.fundCode', 'a.kind', sql<string>`sum(l.amount_fen)`.as('balance')])
      .groupBy(['a.fundCode', 'a.kind'])
      .execute(),
    db
      .selectFrom('ledgerLines as l')
      .innerJoin('ledgerEntries as e', 'e.id', 'l.entryId')
      .innerJoin('ledgerAccounts as a', 'a.id', 'l.accountId')
      .select(['a.fundCode', sql<string>`sum(l.amount_fen)`.as('paid')])
      .where('e.kind', '=', 'claim_paid')
      .where('a.kind', '=', 'payable')
      .groupBy('a.fundCode')
      .execute(),
    db
      .selectFrom('subsidyClaims')
      .select(['fundCode', 'status', sql<string>`count(*)`.as('n')])
      .where('fundCode', 'is not', null)
      .groupBy(['fundCode', 'status'])
      .execute(),
  ]);
  const balance = (fund: string, kind: string) =>
    Number(balances.find((b) => b.fundCode === fund && b.kind === kind)?.balance ?? 0);
  return {
    items: funds.map((f) => {
      const claims = Object.fromEntries(CLAIM_STATUSES.map((s) => [s, 0])) as StatusCounts;
      for (const c of counts.filter((x) => x.fundCode === f.code)) claims[c.status] = Number(c.n);
      return {
        fundCode: f.code,
        fundName: f.name,
        approvedFen: balance(f.code, 'fund_expense'),
        paidFen: Number(paid.find((p) => p.fundCode === f.code)?.paid ?? 0),
        payableFen: -balance(f.code, 'payable'),
        receivableFen: balance(f.code, 'receivable'),
        cashOutFen: -balance(f.code, 'fund_cash'),
        claims,
      };
    }),
  };
}

/**
 * A payee's statement: the movements of its payable and receivable accounts, oldest first, with
 * debit, credit and running balance (debits − credits: negative while the funds owe the payee),
 * and the closing balances. The city's roles see any payee, a county administrator payees of its
 * region, an organisation's staff only their own (the default); any other payee is 404.
 */
export async function payeeStatement(
  db: Db,
  auth: AuthContext,
  query: { organisationId?: string; fundCode?: string },
) {
  let organisationId = query.organisationId;
  if (organisationId === undefined && auth.scope.kind === 'organisation') {
    organisationId = auth.scope.organisationId;
  }
  if (organisationId === undefined) {
    throw new DomainError('VALIDATION_FAILED', 'Name the payee', [
      { path: '/query/organisationId', message: 'required' },
    ]);
  }
  const organisation = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'regionCode'])
    .where('id', '=', organisationId)
    .executeTakeFirst();
  const visible =
    organisation !== undefined &&
    (auth.scope.kind === 'city' ||
      (auth.scope.kind === 'region' && organisation.regionCode === auth.scope.regionCode) ||
      (auth.scope.kind === 'organisation' && organisation.id === auth.scope.organisationId));
  if (!organisation || !visible) throw new DomainError('NOT_FOUND', 'No such payee in your scope');

  let movementsQuery = db
    .selectFrom('ledgerLines as l')
    .innerJoin('ledgerEntries as e', 'e.id', 'l.entryId')
    .innerJoin('ledgerAccounts as a', 'a.id', 'l.accountId')
    .leftJoin('subsidyClaims as c', 'c.id', 'e.claimId')
    .select([
      'e.id as entryId',
      'e.kind as entryKind',
      'e.postedAt',
      'a.kind as account',
      'a.fundCode',
      'e.claimId',
      'c.number as claimNumber',
      'c.kind as claimKind',
      'l.amountFen',
    ])
    .where('a.organisationId', '=', organisation.id)
    .where('a.kind', 'in', ['payable', 'receivable'])
    .orderBy('e.postedAt')
    .orderBy('e.id')
    .orderBy('a.kind');
  if (query.fundCode !== undefined) {
    movementsQuery = movementsQuery.where('a.fundCode', '=', query.fundCode);
  }
  const rows = await movementsQuery.execute();
  const movements = runningBalances(
    rows.map((r) => ({
      date: shanghaiDate(r.postedAt),
      postedAt: r.postedAt.toISOString(),
      entryId: r.entryId,
      entryKind: r.entryKind as LedgerEntryKind,
      account: r.account as 'payable' | 'receivable',
      fundCode: r.fundCode,
      claimId: r.claimId,
      claimNumber: r.claimNumber,
      claimKind: r.claimKind as SubsidyKind | null,
      amountFen: Number(r.amountFen),
    })),
  ).map(({ amountFen: _amount, ...m }) => m);
  const sumOf = (account: string) =>
    rows.filter((r) => r.account === account).reduce((s, r) => s + Number(r.amountFen), 0);
  const payableFen = -sumOf('payable');
  const receivableFen = sumOf('receivable');
  return {
    organisationId: organisation.id,
    organisationName: organisation.name,
    fundCode: query.fundCode ?? null,
    movements,
    closing: { payableFen, receivableFen, balanceFen: receivableFen - payableFen },
  };
}
