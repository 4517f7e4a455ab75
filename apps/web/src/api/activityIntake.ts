import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { client, unwrap } from './client';
import type { Body, GetQuery, Ok } from './openapiTypes';

/*
 * Unit reporting (R-ACT-1, issue #8): certificates issued elsewhere, the reporting months the
 * city closes, and the totals as they will count in #9. Training reports have their own file.
 */

export type ExternalCertificatePage = Ok<'/api/activity/certificates'>;
export type ExternalCertificate = ExternalCertificatePage['items'][number];
export type ExternalCertificateKind = ExternalCertificate['kind'];
export type ExternalCertificateQuery = GetQuery<'/api/activity/certificates'>;
export type ReportCertificateBody = Body<'/api/activity/certificates', 'post'>;
export type CorrectCertificateBody = Body<'/api/activity/certificates/{id}', 'patch'>;
export type ActivityPeriods = Ok<'/api/activity/periods'>;
export type ActivityPeriod = ActivityPeriods['months'][number];
export type ActivityTotals = Ok<'/api/activity/totals'>;
export type ActivityTotalsQuery = GetQuery<'/api/activity/totals'>;

export const EXTERNAL_CERTIFICATE_KINDS = [
  'qualification_legacy',
  'skill_level',
  'special_ability',
  'special_operation',
] as const satisfies readonly ExternalCertificateKind[];

export const activityIntakeApi = {
  certificates: (query: ExternalCertificateQuery, signal?: AbortSignal) =>
    unwrap(client.GET('/api/activity/certificates', { params: { query }, signal }), signal),
  reportCertificate: (body: ReportCertificateBody, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/activity/certificates', {
        body,
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    ),
  correctCertificate: (id: string, body: CorrectCertificateBody) =>
    unwrap(client.PATCH('/api/activity/certificates/{id}', { params: { path: { id } }, body })),
  withdrawCertificate: (id: string, reason: string, version: number, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/activity/certificates/{id}/withdraw', {
        params: { path: { id } },
        body: { reason, version },
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    ),
  periods: (year: number, signal?: AbortSignal) =>
    unwrap(client.GET('/api/activity/periods', { params: { query: { year } }, signal }), signal),
  closePeriod: (period: string, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/activity/periods/{period}/close', {
        params: { path: { period } },
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    ),
  totals: (query: ActivityTotalsQuery, signal?: AbortSignal) =>
    unwrap(client.GET('/api/activity/totals', { params: { query }, signal }), signal),
};

export const activityIntakeQueries = {
  certificates: (query: ExternalCertificateQuery) =>
    queryOptions({
      queryKey: ['activity', 'certificates', query],
      queryFn: ({ signal }) => activityIntakeApi.certificates(query, signal),
      placeholderData: keepPreviousData,
    }),
  periods: (year: number) =>
    queryOptions({
      queryKey: ['activity', 'periods', year],
      queryFn: ({ signal }) => activityIntakeApi.periods(year, signal),
    }),
  totals: (query: ActivityTotalsQuery) =>
    queryOptions({
      queryKey: ['activity', 'totals', query],
      queryFn: ({ signal }) => activityIntakeApi.totals(query, signal),
      placeholderData: keepPreviousData,
    }),
};

export const useExternalCertificates = (query: ExternalCertificateQuery) =>
  useQuery(activityIntakeQueries.certificates(query));
export const useActivityPeriods = (year: number) => useQuery(activityIntakeQueries.periods(year));
export const useActivityTotals = (query: ActivityTotalsQuery, enabled = true) =>
  useQuery({ ...activityIntakeQueries.totals(query), enabled });
