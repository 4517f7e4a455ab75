import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import {
  notFoundError,
  Nullable,
  PageOf,
  PageQuery,
  ProblemRef,
  standardErrors,
  StringEnum,
} from '../../platform/http.js';
import { DomainError } from '../../platform/errors.js';
import { requestMeta, requireAuth } from '../auth/auth.access.js';
import * as payments from './subsidies.payments.js';
import {
  BATCH_STATUSES,
  CLAIM_STATUSES,
  LEDGER_ENTRY_KINDS,
  PAYMENT_LINE_STATUSES,
  SUBSIDY_KINDS,
} from './subsidies.schema.js';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const FundCode = Type.String({
  maxLength: 40,
  description: 'employment_subsidy, unemployment_insurance or fiscal',
});
const denied = { 401: ProblemRef, 403: ProblemRef };
const conflict = { 409: ProblemRef };
const idempotencyReused = { 422: ProblemRef };
const IdParams = Type.Object({ id: Uuid });
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const XlsxFile = Type.Unsafe<Buffer>({
  type: 'string',
  format: 'binary',
  description: 'An .xlsx workbook',
});

const BatchSchema = Type.Object({
  id: Uuid,
  number: Type.String({ examples: ['ZF2600000007'] }),
  fundCode: Type.String(),
  fundName: Type.String(),
  payerRegionCode: Nullable(Type.String({ description: 'the paying county; null: the city' })),
  payerName: Type.String(),
  status: StringEnum(BATCH_STATUSES),
  lineCount: Type.Integer(),
  totalFen: Type.Integer({ description: 'Σ line amounts, in fen' }),
  pendingCount: Type.Integer(),
  paidCount: Type.Integer(),
  failedCount: Type.Integer(),
  paidFen: Type.Integer(),
  note: Nullable(Type.String()),
  createdBy: Nullable(Uuid),
  createdAt: DateTime,
  exportedAt: Nullable(DateTime),
  exportedBy: Nullable(Uuid),
  settledAt: Nullable(DateTime),
});

const LineSchema = Type.Object({
  id: Uuid,
  lineNo: Type.Integer({ minimum: 1 }),
  claimId: Uuid,
  claimNumber: Type.String(),
  claimKind: StringEnum(SUBSIDY_KINDS),
  claimStatus: StringEnum(CLAIM_STATUSES),
  payeeOrganisationId: Uuid,
  payeeName: Type.String(),
  personName: Type.String(),
  personIdNumberMasked: Type.String(),
  amountFen: Type.Integer(),
  bankName: Type.String(),
  bankAccountName: Type.String(),
  bankAccountNo: Type.String(),
  status: StringEnum(PAYMENT_LINE_STATUSES),
  bankReference: Nullable(Type.String()),
  failureReason: Nullable(Type.String()),
  settledAt: Nullable(DateTime),
});

const BatchDetailSchema = Type.Object({
  ...BatchSchema.properties,
  lines: Type.Array(LineSchema),
});

const ResultsAnswerSchema = Type.Object({
  ...BatchDetailSchema.properties,
  paid: Type.Integer({ description: 'lines paid by this request' }),
  failed: Type.Integer({ description: 'lines failed by this request' }),
  unchanged: Type.Integer({ description: 'lines already so recorded' }),
});

const SkippedSchema = Type.Object({
  claimId: Uuid,
  number: Type.String(),
  reason: StringEnum(
    ['NO_BANK_ACCOUNT', 'FLAGGED', 'NOT_APPROVED', 'OTHER_FUND'] as const,
    'OTHER_FUND: another fund or payer',
  ),
});

const StatusCountsSchema = Type.Object(
  Object.fromEntries(CLAIM_STATUSES.map((s) => [s, Type.Integer()])) as Record<
    (typeof CLAIM_STATUSES)[number],
    ReturnType<typeof Type.Integer>
  >,
);

const FundBalanceSchema = Type.Object({
  fundCode: Type.String(),
  fundName: Type.String(),
  approvedFen: Type.Integer({ description: 'approvals net of reversals' }),
  paidFen: Type.Integer({ description: 'paid by the bank (gross)' }),
  payableFen: Type.Integer({ description: 'approved, not yet paid' }),
  receivableFen: Type.Integer({ description: 'clawed back, not yet repaid' }),
  cashOutFen: Type.Integer({ description: 'paid out net of repayments' }),
  claims: StatusCountsSchema,
});

const StatementSchema = Type.Object({
  organisationId: Uuid,
  organisationName: Type.String(),
  fundCode: Nullable(Type.String()),
  movements: Type.Array(
    Type.Object({
      date: Type.String({ format: 'date', description: 'Shanghai civil date' }),
      postedAt: DateTime,
      entryId: Uuid,
      entryKind: StringEnum(LEDGER_ENTRY_KINDS),
      account: StringEnum(['payable', 'receivable'] as const),
      fundCode: Type.String(),
      claimId: Nullable(Uuid),
      claimNumber: Nullable(Type.String()),
      claimKind: Nullable(StringEnum(SUBSIDY_KINDS)),
      debitFen: Type.Integer(),
      creditFen: Type.Integer(),
      balanceFen: Type.Integer({
        description: 'running debits − credits: negative while the funds owe the payee',
      }),
    }),
  ),
  closing: Type.Object({
    payableFen: Type.Integer({ description: 'what the funds still owe the payee' }),
    receivableFen: Type.Integer({ description: 'what the payee owes back' }),
    balanceFen: Type.Integer({ description: 'receivable − payable' }),
  }),
});

/** A results workbook is small: one row per line of one batch. */
const MAX_RESULTS_UPLOAD_BYTES = 5 * 1024 * 1024;

/** Streams the multipart `file` part to a 0600 temp file, runs `work` on it and deletes it. */
async function withResultsUpload<T>(
  request: FastifyRequest,
  work: (file: { path: string; name: string }) => Promise<T>,
): Promise<T> {
  if (!request.isMultipart()) {
    throw new DomainError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Upload the results as multipart/form-data in a field named "file"',
    );
  }
  const part = await request.file();
  if (!part || part.fieldname !== 'file') {
    throw new DomainError('VALIDATION_FAILED', 'The upload needs a file in the field "file"', [
      { path: '/body/file', message: 'required' },
    ]);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'jineng-results-'));
  try {
    const target = path.join(dir, 'upload');
    const tooLarge = () =>
      new DomainError('IMPORT_FILE_TOO_LARGE', 'The results workbook is over 5 MB');
    try {
      await pipeline(part.file, createWriteStream(target, { mode: 0o600, flags: 'wx' }));
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' || part.file.truncated) {
        throw tooLarge();
      }
      throw error;
    }
    if (part.file.truncated) throw tooLarge();
    return await work({ path: target, name: part.filename || 'results.xlsx' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Payment batches, bank files, results, repayments, fund balances and payee statements. */
export async function subsidyPaymentsRoutes(app: AppInstance) {
  const deps = () => ({ clock: app.deps.clock });

  // Registered here, not app-wide: only the results upload takes a multipart body.
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: {
      fileSize: MAX_RESULTS_UPLOAD_BYTES,
      files: 1,
      fields: 2,
      fieldSize: 1024,
      parts: 3,
      headerPairs: 100,
    },
  });

  app.post(
    '/payment-batches',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Build a payment batch of approved claims of one fund and payer (the claims named, or ' +
          'all); the claims that cannot go are listed in `skipped` (Idempotency-Key supported)',
        body: Type.Object(
          {
            fundCode: FundCode,
            payerRegionCode: Nullable(
              Type.String({ maxLength: 12, description: 'the paying county; null: the city' }),
            ),
            claimIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 1000 })),
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            ...BatchDetailSchema.properties,
            skipped: Type.Array(SkippedSchema),
          }),
          ...denied,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'payments.manage' }, idempotent: true },
    },
    async (request, reply) => {
      const batch = await payments.buildBatch(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(batch);
    },
  );

  app.get(
    '/payment-batches',
    {
      schema: {
        tags: ['payments'],
        summary: 'Payment batches, newest first',
        querystring: Type.Object({
          status: Type.Optional(StringEnum(BATCH_STATUSES)),
          fundCode: Type.Optional(FundCode),
          ...PageQuery,
        }),
        response: { 200: PageOf(BatchSchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'payments.read' } },
    },
    async (request) =>
      payments.listBatches(app.deps.db, {
        ...request.query,
        page: request.query.page ?? 1,
        pageSize: request.query.pageSize ?? 20,
      }),
  );

  app.get(
    '/payment-batches/:id',
    {
      schema: {
        tags: ['payments'],
        summary: 'A payment batch with its lines (persons masked)',
        params: IdParams,
        response: { 200: BatchDetailSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'payments.read' } },
    },
    async (request) => payments.getBatch(app.deps.db, request.params.id),
  );

  app.get(
    '/payment-batches/:id/bank-file',
    {
      schema: {
        tags: ['payments'],
        summary:
          'The batch’s bank file (xlsx): 序号, 收款单位, 开户银行, 账户名称, 银行账号 (text), ' +
          '金额(元), 用途, 补贴单号, and a total row',
        params: IdParams,
        response: {
          200: XlsxFile,
          ...denied,
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'payments.read' } },
    },
    async (request, reply) => {
      const file = await payments.bankFile(app.deps.db, request.params.id);
      return reply
        .type(XLSX_TYPE)
        .header('Cache-Control', 'no-store')
        .header('Content-Disposition', `attachment; filename="${file.fileName}"`)
        .send(file.content);
    },
  );

  app.post(
    '/payment-batches/:id/export',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Mark the batch’s bank file sent to the bank (open → exported); an exported batch is ' +
          'answered unchanged (Idempotency-Key supported)',
        params: IdParams,
        response: {
          200: BatchDetailSchema,
          ...denied,
          ...notFoundError,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'payments.manage' }, idempotent: true },
    },
    async (request) =>
      payments.exportBatch(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        requestMeta(request),
      ),
  );

  app.post(
    '/payment-batches/:id/results',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Record the bank’s outcome per line of an exported batch: paid posts the payment, ' +
          'failed returns the claim to approved (Idempotency-Key supported)',
        params: IdParams,
        body: Type.Object(
          {
            lines: Type.Array(
              Type.Object(
                {
                  lineNo: Type.Integer({ minimum: 1 }),
                  outcome: StringEnum(['paid', 'failed'] as const),
                  bankReference: Type.Optional(Type.String({ maxLength: 100 })),
                  reason: Type.Optional(
                    Type.String({ maxLength: 500, description: 'required for a failed line' }),
                  ),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 5000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: ResultsAnswerSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'payments.manage' }, idempotent: true },
    },
    async (request) =>
      payments.recordResults(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body,
        requestMeta(request),
      ),
  );

  app.post(
    '/payment-batches/:id/results-file',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Record the bank’s results from its workbook (multipart `file`, xlsx): columns 序号, ' +
          '结果 (成功/失败), 银行流水号, 失败原因 — as POST …/results does',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: {
          200: ResultsAnswerSchema,
          ...denied,
          ...notFoundError,
          ...conflict,
          413: ProblemRef,
          415: ProblemRef,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'payments.manage' } },
    },
    async (request) => {
      const auth = requireAuth(request);
      return withResultsUpload(request, (file) =>
        payments.recordResultsFile(
          app.deps.db,
          deps(),
          auth,
          request.params.id,
          file,
          requestMeta(request),
        ),
      );
    },
  );

  app.post(
    '/subsidy-claims/:id/repayment',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Record a payee’s repayment of a clawed-back claim (default: all it owes; more is ' +
          'refused) (Idempotency-Key supported)',
        params: IdParams,
        body: Type.Object(
          {
            amountFen: Type.Optional(Type.Integer({ minimum: 1, maximum: 1e12 })),
            bankReference: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            claimId: Uuid,
            number: Type.String(),
            repaidFen: Type.Integer(),
            outstandingFen: Type.Integer({ description: 'still owed after this repayment' }),
            ledgerEntryId: Uuid,
          }),
          ...denied,
          ...notFoundError,
          ...conflict,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'payments.manage' }, idempotent: true },
    },
    async (request) =>
      payments.recordRepayment(
        app.deps.db,
        deps(),
        requireAuth(request),
        request.params.id,
        request.body ?? {},
        requestMeta(request),
      ),
  );

  app.get(
    '/ledger/funds',
    {
      schema: {
        tags: ['subsidies'],
        summary:
          'Fund balances: approved, paid, payable, receivable, net cash out, claims per status',
        response: {
          200: Type.Object({ items: Type.Array(FundBalanceSchema) }),
          ...denied,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'ledger.read' } },
    },
    async () => payments.fundBalances(app.deps.db),
  );

  app.get(
    '/ledger/statement',
    {
      schema: {
        tags: ['subsidies'],
        summary:
          'A payee’s statement: its payable and receivable movements with running balance ' +
          '(an organisation’s staff: their own, the default)',
        querystring: Type.Object({
          organisationId: Type.Optional(Uuid),
          fundCode: Type.Optional(FundCode),
        }),
        response: { 200: StatementSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'ledger.statement' } },
    },
    async (request) => payments.payeeStatement(app.deps.db, requireAuth(request), request.query),
  );
}
