import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { OccupationQuery, RegionQuery, UnitQuery } from './types';

/**
 * Query definitions shared by pages and by imperative loads (`queryClient.fetchQuery`), so both
 * use one cache key per request.
 */
export const queries = {
  health: () =>
    queryOptions({
      queryKey: ['health'],
      queryFn: ({ signal }) => api.health(signal),
      refetchInterval: 60_000,
      retry: false,
    }),
  regions: (query: RegionQuery = {}) =>
    queryOptions({
      queryKey: ['regions', query],
      queryFn: ({ signal }) => api.regions(query, signal),
      staleTime: Infinity,
    }),
  occupations: (query: OccupationQuery) =>
    queryOptions({
      queryKey: ['occupations', query],
      queryFn: ({ signal }) => api.occupations(query, signal),
      staleTime: 5 * 60_000,
      placeholderData: keepPreviousData,
    }),
  units: (query: UnitQuery = {}) =>
    queryOptions({
      queryKey: ['units', query],
      queryFn: ({ signal }) => api.units(query, signal),
      staleTime: Infinity,
    }),
  plans: () =>
    queryOptions({
      queryKey: ['plans'],
      queryFn: ({ signal }) => api.plans(signal),
      staleTime: Infinity,
    }),
};

export const useHealth = () => useQuery(queries.health());
export const useRegions = (query: RegionQuery = {}) => useQuery(queries.regions(query));
export const useOccupations = (query: OccupationQuery) => useQuery(queries.occupations(query));
export const useUnits = (query: UnitQuery = {}) => useQuery(queries.units(query));
export const usePlans = () => useQuery(queries.plans());
