import { queryOptions, useQuery } from '@tanstack/react-query';
import { client, postFile, unwrap } from './client';
import type { Body, Ok } from './openapiTypes';

/*
 * Targets administration and outcome measures (issue #9, R-TGT-1/2): types, calls and queries.
 * Keys start with 'statistics', a private key dropped when the account changes.
 */

export type YearTargets = Ok<'/api/targets'>;
export type UnitTargets = YearTargets['units'][number];
export type SaveTargetsBody = Body<'/api/targets/{year}', 'put'>;
export type Employed = Ok<'/api/targets/employed'>;
export type EmployedRow = Employed['rows'][number];
export type SaveEmployedBody = Body<'/api/targets/employed/{year}', 'put'>;
export type Outcomes = Ok<'/api/targets/outcomes'>;
export type OutcomeRow = Outcomes['city'];
export type UploadReport = Ok<'/api/targets/{year}/upload', 'post'>;

/** Uploads a targets workbook (dry run or for real). */
function uploadTargets(
  year: number,
  file: Blob,
  options: { dryRun: boolean; source?: string },
): Promise<UploadReport> {
  const query = new URLSearchParams({ dryRun: String(options.dryRun) });
  if (options.source) query.set('source', options.source);
  return postFile<UploadReport>(`/api/targets/${year}/upload?${query}`, file, 'targets.xlsx');
}

export const targetsApi = {
  targets: (year: number, signal?: AbortSignal) =>
    unwrap(client.GET('/api/targets', { params: { query: { year } }, signal }), signal),
  save: (year: number, body: SaveTargetsBody) =>
    unwrap(client.PUT('/api/targets/{year}', { params: { path: { year } }, body })),
  /** Same origin: the session cookie goes with the browser's download. */
  templateUrl: (year: number) => `/api/targets/${year}/template`,
  upload: uploadTargets,
  employed: (year: number, signal?: AbortSignal) =>
    unwrap(client.GET('/api/targets/employed', { params: { query: { year } }, signal }), signal),
  saveEmployed: (year: number, body: SaveEmployedBody) =>
    unwrap(client.PUT('/api/targets/employed/{year}', { params: { path: { year } }, body })),
  outcomes: (year: number, signal?: AbortSignal) =>
    unwrap(client.GET('/api/targets/outcomes', { params: { query: { year } }, signal }), signal),
};

export const targetsQuery = (year: number) =>
  queryOptions({
    queryKey: ['statistics', 'targets', year],
    queryFn: ({ signal }) => targetsApi.targets(year, signal),
  });

export const employedQuery = (year: number) =>
  queryOptions({
    queryKey: ['statistics', 'employed', year],
    queryFn: ({ signal }) => targetsApi.employed(year, signal),
  });

export const outcomesQuery = (year: number) =>
  queryOptions({
    queryKey: ['statistics', 'outcomes', year],
    queryFn: ({ signal }) => targetsApi.outcomes(year, signal),
  });

export const useTargets = (year: number) => useQuery(targetsQuery(year));
export const useEmployed = (year: number) => useQuery(employedQuery(year));
export const useOutcomes = (year: number) => useQuery(outcomesQuery(year));

/** Persons as the annex prints them, in 万 without trailing zeros: 4480 → "0.448". */
export function wanText(persons: number): string {
  const whole = Math.floor(persons / 10_000);
  const fraction = String(persons % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}

/** A number of 万 as typed in persons (0.448 → 4480); null when not a number with ≤ 4 decimals. */
export function wanToPersons(text: string): number | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 4) return null;
  return Number(match[1]) * 10_000 + Number(fraction.padEnd(4, '0'));
}
