import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { client, unwrap } from './client';
import type { Body, Created, GetQuery, Ok } from './openapiTypes';

/*
 * Employment and social-insurance data (R-EMP-1) and HR agencies' placements (R-SUB-4), issue
 * #7: types, calls and queries in one file apart from client.ts, which other pages share.
 */

export type PersonEmployment = Ok<'/api/persons/{id}/employment'>;
export type EmploymentRegistration = PersonEmployment['registrations'][number];
export type InsuredRun = PersonEmployment['contributions'][number];

export type PlacementPage = Ok<'/api/placements'>;
export type Placement = PlacementPage['items'][number];
export type PlacementQuery = GetQuery<'/api/placements'>;
export type RecordPlacementBody = Body<'/api/placements'>;
export type RecordPlacementResult = Created<'/api/placements'>;
/** The subsidy claims new employment data or a placement made due, or refused. */
export type EmploymentClaims = RecordPlacementResult['claims'];
export type RefusedClaim = EmploymentClaims['refused'][number];

export const employmentApi = {
  ofPerson: (personId: string, signal?: AbortSignal) =>
    unwrap(
      client.GET('/api/persons/{id}/employment', { params: { path: { id: personId } }, signal }),
      signal,
    ),
  placements: (query: PlacementQuery, signal?: AbortSignal) =>
    unwrap(client.GET('/api/placements', { params: { query }, signal }), signal),
  recordPlacement: (body: RecordPlacementBody, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/placements', { body, headers: { 'Idempotency-Key': idempotencyKey } }),
    ),
};

export const employmentQueries = {
  // Under 'persons': dropped with the rest of a person's data when the account changes.
  ofPerson: (personId: string) =>
    queryOptions({
      queryKey: ['persons', 'employment', personId],
      queryFn: ({ signal }) => employmentApi.ofPerson(personId, signal),
    }),
  placements: (query: PlacementQuery) =>
    queryOptions({
      queryKey: ['placements', 'list', query],
      queryFn: ({ signal }) => employmentApi.placements(query, signal),
      placeholderData: keepPreviousData,
    }),
};

export const usePersonEmployment = (personId: string, enabled = true) =>
  useQuery({ ...employmentQueries.ofPerson(personId), enabled });
export const usePlacements = (query: PlacementQuery) =>
  useQuery(employmentQueries.placements(query));
