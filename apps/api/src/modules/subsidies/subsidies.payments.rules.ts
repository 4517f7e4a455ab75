/**
 * Pure rules of paying claims (R-SUB-5): batch numbers, which claims may go into a batch, what a
 * bank's answer does to a payment line, and the yuan the bank file shows.
 */
import type { PaymentLineStatus, SubsidyKind } from './subsidies.schema.js';

/**
 * A payment batch's number: `ZF` (支付), the two-digit year and an 8-digit serial from
 * payment_batch_serial_seq, e.g. `ZF2600000007`.
 */
export function formatBatchNumber(year: number, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > 99_999_999) {
    throw new RangeError('A batch serial has 8 digits');
  }
  return `ZF${String(year % 100).padStart(2, '0')}${String(serial).padStart(8, '0')}`;
}

/** Why a claim asked for (or found) was left out of a batch. */
export type SkipReason = 'NO_BANK_ACCOUNT' | 'FLAGGED' | 'NOT_APPROVED' | 'OTHER_FUND';

/** What deciding a claim's place in a batch needs to know. */
export interface BatchCandidate {
  status: string;
  flagged: boolean;
  fundCode: string | null;
  payerRegionCode: string | null;
  amountFen: number;
  payeeHasBankAccount: boolean;
}

/**
 * Whether a claim may go into a batch of `fundCode` and payer (null: the city); else why not.
 * Another fund or another payer is OTHER_FUND; a claim must be approved, unflagged, for a
 * positive amount, and its payee must have a bank account to be paid into.
 */
export function batchSkipReason(
  claim: BatchCandidate,
  batch: { fundCode: string; payerRegionCode: string | null },
): SkipReason | null {
  const otherFund =
    claim.fundCode !== null &&
    (claim.fundCode !== batch.fundCode || claim.payerRegionCode !== batch.payerRegionCode);
  if (otherFund) return 'OTHER_FUND';
  if (claim.status !== 'approved' || claim.amountFen <= 0) return 'NOT_APPROVED';
  if (claim.flagged) return 'FLAGGED';
  if (!claim.payeeHasBankAccount) return 'NO_BANK_ACCOUNT';
  return null;
}

export type LineOutcome = 'paid' | 'failed';

export type LineSettlement =
  | { ok: true; change: 'settle' | 'unchanged' }
  | { ok: false; code: 'LINE_ALREADY_SETTLED'; message: string };

/**
 * What the bank's outcome does to a line: a pending line is settled; the same outcome sent again
 * changes nothing (a resent file); the other outcome for a settled line is refused — a paid line
 * is never unpaid, a failed line's claim may already be in another batch.
 */
export function settleLine(status: PaymentLineStatus, outcome: LineOutcome): LineSettlement {
  if (status === 'pending') return { ok: true, change: 'settle' };
  if (status === outcome) return { ok: true, change: 'unchanged' };
  return {
    ok: false,
    code: 'LINE_ALREADY_SETTLED',
    message: `The line was already recorded as ${status}`,
  };
}

/** Fen as the yuan number a bank file shows (two decimals; exact to the fen when read back). */
export function fenToYuan(fen: number): number {
  if (!Number.isSafeInteger(fen)) throw new RangeError('fen must be an integer');
  return fen / 100;
}

/** The claim kinds as the bank file's 用途 names them. */
export const CLAIM_KIND_NAMES: Record<SubsidyKind, string> = {
  training: '职业培训补贴',
  evaluation: '职业技能评价补贴',
  hiring: '吸纳就业补贴',
  placement: '职业介绍补贴',
};

/** A statement's movement, signed as the ledger signs it: debit > 0, credit < 0. */
export interface Movement {
  amountFen: number;
}

/**
 * Debit, credit and the running balance (debits − credits so far) of each movement, in order: a
 * negative balance is what the funds owe the payee, a positive one what the payee owes back.
 */
export function runningBalances<T extends Movement>(
  movements: readonly T[],
): (T & { debitFen: number; creditFen: number; balanceFen: number })[] {
  let balance = 0;
  return movements.map((m) => {
    balance += m.amountFen;
    return {
      ...m,
      debitFen: m.amountFen > 0 ? m.amountFen : 0,
      creditFen: m.amountFen < 0 ? -m.amountFen : 0,
      balanceFen: balance,
    };
  });
}

/** A line's result as the bank's results workbook gives it. */
export interface ParsedLineResult {
  lineNo: number;
  outcome: LineOutcome;
  bankReference?: string;
  reason?: string;
}

const RESULT_HEADERS = {
  lineNo: '序号',
  outcome: '结果',
  bankReference: '银行流水号',
  reason: '失败原因',
} as const;

const OUTCOMES: Record<string, LineOutcome> = {
  成功: 'paid',
  已支付: 'paid',
  paid: 'paid',
  失败: 'failed',
  退票: 'failed',
  failed: 'failed',
};

/**
 * Reads the bank's results from worksheet rows (as text, with the row numbers Excel shows): a
 * header row among the first five with 序号 and 结果 (银行流水号, 失败原因 optional), then one
 * row per line — 结果 成功 or 失败. Rows without 序号 (the total row, blanks) are passed over.
 * Answers the lines, or the rows that cannot be read.
 */
export function parseResultRows(
  rows: readonly { rowNumber: number; cells: readonly string[] }[],
):
  | { ok: true; lines: ParsedLineResult[] }
  | { ok: false; errors: { path: string; message: string }[] } {
  const headerIndex = rows
    .slice(0, 5)
    .findIndex(
      (r) =>
        r.cells.some((c) => c.trim() === RESULT_HEADERS.lineNo) &&
        r.cells.some((c) => c.trim() === RESULT_HEADERS.outcome),
    );
  if (headerIndex < 0) {
    return {
      ok: false,
      errors: [
        {
          path: '/file',
          message: `no header row with ${RESULT_HEADERS.lineNo} and ${RESULT_HEADERS.outcome}`,
        },
      ],
    };
  }
  const header = rows[headerIndex]?.cells.map((c) => c.trim()) ?? [];
  const column = (name: string) => header.indexOf(name);
  const at = (cells: readonly string[], index: number) =>
    index < 0 ? '' : (cells[index] ?? '').trim();
  const lines: ParsedLineResult[] = [];
  const errors: { path: string; message: string }[] = [];
  for (const row of rows.slice(headerIndex + 1)) {
    const lineText = at(row.cells, column(RESULT_HEADERS.lineNo));
    if (!/^[0-9]+$/.test(lineText)) continue;
    const outcomeText = at(row.cells, column(RESULT_HEADERS.outcome));
    const outcome = OUTCOMES[outcomeText];
    if (outcome === undefined) {
      errors.push({
        path: `/file/rows/${row.rowNumber}`,
        message: `结果 must be 成功 or 失败, not “${outcomeText}”`,
      });
      continue;
    }
    const bankReference = at(row.cells, column(RESULT_HEADERS.bankReference));
    const reason = at(row.cells, column(RESULT_HEADERS.reason));
    if (outcome === 'failed' && !reason) {
      errors.push({
        path: `/file/rows/${row.rowNumber}`,
        message: '失败原因 is required for 失败',
      });
      continue;
    }
    lines.push({
      lineNo: Number(lineText),
      outcome,
      ...(bankReference ? { bankReference } : {}),
      ...(reason ? { reason } : {}),
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  if (lines.length === 0) {
    return { ok: false, errors: [{ path: '/file', message: 'no result rows' }] };
  }
  return { ok: true, lines };
}
