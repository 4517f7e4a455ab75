import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { client, unwrap } from './client';
import type { Body, Created, GetQuery, Ok } from './openapiTypes';

/*
 * Targets, progress, the monthly trend and the records behind a figure (issue #9): types, calls
 * and queries. Every key starts with 'statistics', a private key dropped when the account changes.
 */

export type TargetProgress = Ok<'/api/targets/progress'>;
export type UnitProgress = TargetProgress['units'][number];
export type PlanProgress = TargetProgress['plans'][number];
export type Measures = UnitProgress['measures'];
export type MeasureProgress = Measures['training'];
export type Measure = keyof Measures;
export type MeasureDefinition = TargetProgress['definitions'][number];
export type Trend = Ok<'/api/statistics/trend'>;
export type Funnel = Trend['funnel'];
export type RecordsQuery = GetQuery<'/api/statistics/records'>;
export type RecordsPage = Ok<'/api/statistics/records'>;
export type StatisticsRecord = RecordsPage['items'][number];

export type ReportsQuery = GetQuery<'/api/reports'>;
export type ReportSummary = Ok<'/api/reports'>['items'][number];
export type Report = Ok<'/api/reports/{id}'>;
export type ReportContent = Report['content'];
export type ReportKind = ReportSummary['kind'];
export type GenerateReportBody = Body<'/api/reports'>;
export type GeneratedReport = Created<'/api/reports'>;

export const REPORT_KINDS = [
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'half_year',
  'annual',
] as const satisfies readonly ReportKind[];

export const MEASURE_KEYS = [
  'training',
  'skilled',
  'high_skilled',
] as const satisfies readonly Measure[];

export const statisticsApi = {
  progress: (year: number, signal?: AbortSignal) =>
    unwrap(client.GET('/api/targets/progress', { params: { query: { year } }, signal }), signal),
  trend: (year: number, signal?: AbortSignal) =>
    unwrap(client.GET('/api/statistics/trend', { params: { query: { year } }, signal }), signal),
  records: (query: RecordsQuery, signal?: AbortSignal) =>
    unwrap(client.GET('/api/statistics/records', { params: { query }, signal }), signal),
  reports: (query: ReportsQuery, signal?: AbortSignal) =>
    unwrap(client.GET('/api/reports', { params: { query }, signal }), signal),
  report: (id: string, signal?: AbortSignal) =>
    unwrap(client.GET('/api/reports/{id}', { params: { path: { id } }, signal }), signal),
  /** Same origin: the session cookie goes with the browser's download. */
  reportDownloadUrl: (id: string) => `/api/reports/${encodeURIComponent(id)}/download`,
  generateReport: (body: GenerateReportBody, idempotencyKey: string) =>
    unwrap(client.POST('/api/reports', { body, headers: { 'Idempotency-Key': idempotencyKey } })),
};

export const statisticsQueries = {
  progress: (year: number) =>
    queryOptions({
      queryKey: ['statistics', 'progress', year],
      queryFn: ({ signal }) => statisticsApi.progress(year, signal),
      placeholderData: keepPreviousData,
    }),
  trend: (year: number) =>
    queryOptions({
      queryKey: ['statistics', 'trend', year],
      queryFn: ({ signal }) => statisticsApi.trend(year, signal),
      placeholderData: keepPreviousData,
    }),
  records: (query: RecordsQuery) =>
    queryOptions({
      queryKey: ['statistics', 'records', query],
      queryFn: ({ signal }) => statisticsApi.records(query, signal),
      placeholderData: keepPreviousData,
    }),
  reports: (query: ReportsQuery) =>
    queryOptions({
      queryKey: ['statistics', 'reports', 'list', query],
      queryFn: ({ signal }) => statisticsApi.reports(query, signal),
      placeholderData: keepPreviousData,
    }),
  report: (id: string) =>
    queryOptions({
      queryKey: ['statistics', 'reports', 'detail', id],
      queryFn: ({ signal }) => statisticsApi.report(id, signal),
    }),
};

export const useTargetProgress = (year: number) => useQuery(statisticsQueries.progress(year));
export const useTrend = (year: number) => useQuery(statisticsQueries.trend(year));
export const useStatisticsRecords = (query: RecordsQuery | null) =>
  useQuery({
    ...statisticsQueries.records(query ?? { measure: 'training' }),
    enabled: query !== null,
  });
export const useReports = (query: ReportsQuery) => useQuery(statisticsQueries.reports(query));
export const useReport = (id: string | null) =>
  useQuery({ ...statisticsQueries.report(id ?? ''), enabled: id !== null });
