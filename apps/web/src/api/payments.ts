import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { client, postFile, unwrap } from './client';
import type { Body, Created, GetQuery, Ok, PostOk } from './openapiTypes';

/*
 * Payment batches, bank files, the bank's results, repayments, fund balances and payee
 * statements (issue #7, R-SUB-5): types, calls and queries apart from client.ts.
 */

export type BatchPage = Ok<'/api/payment-batches'>;
export type PaymentBatch = BatchPage['items'][number];
export type BatchQuery = GetQuery<'/api/payment-batches'>;
export type BatchStatus = PaymentBatch['status'];
export type BatchDetail = Ok<'/api/payment-batches/{id}'>;
export type PaymentLine = BatchDetail['lines'][number];
export type LineStatus = PaymentLine['status'];
export type BuildBatchBody = Body<'/api/payment-batches'>;
export type BuiltBatch = Created<'/api/payment-batches'>;
export type SkippedClaim = BuiltBatch['skipped'][number];
export type SkipReason = SkippedClaim['reason'];
export type ResultsBody = Body<'/api/payment-batches/{id}/results'>;
export type ResultLine = ResultsBody['lines'][number];
export type ResultsAnswer = PostOk<'/api/payment-batches/{id}/results'>;
export type RepaymentBody = Body<'/api/subsidy-claims/{id}/repayment'>;
export type RepaymentAnswer = PostOk<'/api/subsidy-claims/{id}/repayment'>;
export type FundBalance = Ok<'/api/ledger/funds'>['items'][number];
export type Statement = Ok<'/api/ledger/statement'>;
export type StatementMovement = Statement['movements'][number];

const withKey = (idempotencyKey: string) => ({ 'Idempotency-Key': idempotencyKey });

/** Uploads the bank's results workbook. */
function uploadResults(batchId: string, file: Blob): Promise<ResultsAnswer> {
  return postFile<ResultsAnswer>(
    `/api/payment-batches/${encodeURIComponent(batchId)}/results-file`,
    file,
    'results.xlsx',
  );
}

export const paymentsApi = {
  batches: (query: BatchQuery, signal?: AbortSignal) =>
    unwrap(client.GET('/api/payment-batches', { params: { query }, signal }), signal),
  batch: (id: string, signal?: AbortSignal) =>
    unwrap(client.GET('/api/payment-batches/{id}', { params: { path: { id } }, signal }), signal),
  build: (body: BuildBatchBody, idempotencyKey: string) =>
    unwrap(client.POST('/api/payment-batches', { body, headers: withKey(idempotencyKey) })),
  export: (id: string, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/payment-batches/{id}/export', {
        params: { path: { id } },
        headers: withKey(idempotencyKey),
      }),
    ),
  /** The bank file (xlsx), downloaded by a plain link: the browser sends the session cookie. */
  bankFileUrl: (id: string) => `/api/payment-batches/${encodeURIComponent(id)}/bank-file`,
  results: (id: string, body: ResultsBody, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/payment-batches/{id}/results', {
        params: { path: { id } },
        body,
        headers: withKey(idempotencyKey),
      }),
    ),
  resultsFile: uploadResults,
  repayment: (claimId: string, body: RepaymentBody, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/subsidy-claims/{id}/repayment', {
        params: { path: { id: claimId } },
        body,
        headers: withKey(idempotencyKey),
      }),
    ),
  funds: (signal?: AbortSignal) => unwrap(client.GET('/api/ledger/funds', { signal }), signal),
  statement: (organisationId: string | undefined, signal?: AbortSignal) =>
    unwrap(
      client.GET('/api/ledger/statement', {
        params: { query: organisationId ? { organisationId } : {} },
        signal,
      }),
      signal,
    ),
};

export const paymentQueries = {
  batches: (query: BatchQuery) =>
    queryOptions({
      queryKey: ['payments', 'list', query],
      queryFn: ({ signal }) => paymentsApi.batches(query, signal),
      placeholderData: keepPreviousData,
    }),
  batch: (id: string) =>
    queryOptions({
      queryKey: ['payments', 'one', id],
      queryFn: ({ signal }) => paymentsApi.batch(id, signal),
    }),
  funds: () =>
    queryOptions({
      queryKey: ['ledger', 'funds'],
      queryFn: ({ signal }) => paymentsApi.funds(signal),
    }),
  statement: (organisationId: string | undefined) =>
    queryOptions({
      queryKey: ['ledger', 'statement', organisationId ?? 'own'],
      queryFn: ({ signal }) => paymentsApi.statement(organisationId, signal),
    }),
};

export const useBatches = (query: BatchQuery) => useQuery(paymentQueries.batches(query));
export const useBatch = (id: string) => useQuery(paymentQueries.batch(id));
export const useFundBalances = () => useQuery(paymentQueries.funds());
export const useStatement = (organisationId: string | undefined, enabled = true) =>
  useQuery({ ...paymentQueries.statement(organisationId), enabled });
