import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { client, unwrap } from './client';
import type { Body, Created, GetQuery, Ok } from './openapiTypes';

/*
 * Trainings held outside the voucher loop that units report (R-ACT-1, issue #8), and the
 * reporting months they fall in: types, calls and queries. The list's query key starts with
 * 'training_reports', the import kind, so a committed import refreshes it.
 */

export type TrainingReportPage = Ok<'/api/activity/trainings', 'get'>;
export type TrainingReport = TrainingReportPage['items'][number];
export type TrainingReportQuery = GetQuery<'/api/activity/trainings'>;
export type TrainingReportDetail = Ok<'/api/activity/trainings/{id}', 'get'>;
export type ReportTrainingBody = Body<'/api/activity/trainings', 'post'>;
export type ReportTrainingResult = Created<'/api/activity/trainings'>;
export type TraineeOutcome = ReportTrainingResult['trainees'][number];
export type CorrectTrainingBody = Body<'/api/activity/trainings/{id}', 'patch'>;
export type CorrectTrainingResult = Ok<'/api/activity/trainings/{id}', 'patch'>;
export type ReportStatus = TrainingReport['status'];
export type ActivitySource = TrainingReport['source'];
export type ReportingMonths = Ok<'/api/activity/periods', 'get'>;

export const trainingReportsApi = {
  list: (query: TrainingReportQuery, signal?: AbortSignal) =>
    unwrap(client.GET('/api/activity/trainings', { params: { query }, signal }), signal),
  get: (id: string, signal?: AbortSignal) =>
    unwrap(
      client.GET('/api/activity/trainings/{id}', { params: { path: { id } }, signal }),
      signal,
    ),
  report: (body: ReportTrainingBody, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/activity/trainings', {
        body,
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    ),
  correct: (id: string, body: CorrectTrainingBody) =>
    unwrap(client.PATCH('/api/activity/trainings/{id}', { params: { path: { id } }, body })),
  withdraw: (id: string, reason: string, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/activity/trainings/{id}/withdraw', {
        params: { path: { id } },
        body: { reason },
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    ),
  periods: (year: number, signal?: AbortSignal) =>
    unwrap(client.GET('/api/activity/periods', { params: { query: { year } }, signal }), signal),
};

export const trainingReportQueries = {
  list: (query: TrainingReportQuery) =>
    queryOptions({
      queryKey: ['training_reports', 'list', query],
      queryFn: ({ signal }) => trainingReportsApi.list(query, signal),
      placeholderData: keepPreviousData,
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: ['training_reports', 'detail', id],
      queryFn: ({ signal }) => trainingReportsApi.get(id, signal),
    }),
  // Under 'activity': closing a month (the periods page) refreshes every view of the months.
  periods: (year: number) =>
    queryOptions({
      queryKey: ['activity', 'periods', year],
      queryFn: ({ signal }) => trainingReportsApi.periods(year, signal),
    }),
};

export const useTrainingReports = (query: TrainingReportQuery) =>
  useQuery(trainingReportQueries.list(query));
export const useTrainingReport = (id: string | null) =>
  useQuery({ ...trainingReportQueries.detail(id ?? ''), enabled: id !== null });
export const useReportingMonths = (year: number | null) =>
  useQuery({ ...trainingReportQueries.periods(year ?? 0), enabled: year !== null });

/** Whether `period` (YYYY-MM) is closed, per the year's months; undefined while unknown. */
export function periodClosed(
  months: ReportingMonths | undefined,
  period: string,
): boolean | undefined {
  return months?.months.find((month) => month.period === period)?.closed;
}
