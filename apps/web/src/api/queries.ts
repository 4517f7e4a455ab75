import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { AuditQuery, OccupationQuery, RegionQuery, UnitQuery, UserQuery } from './types';

/**
 * Keys of data only a logged-in account may see. They are dropped whenever the account changes
 * (login, logout) so that nothing of one account is ever shown to the next.
 */
export const PRIVATE_KEYS = ['users', 'audit'] as const;

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
  /** The logged-in account, `null` when nobody is; see auth/session.ts. */
  me: () =>
    queryOptions({
      queryKey: ['me'],
      queryFn: ({ signal }) => api.auth.me(signal),
      staleTime: 5 * 60_000,
    }),
  users: (query: UserQuery) =>
    queryOptions({
      queryKey: ['users', query],
      queryFn: ({ signal }) => api.users.list(query, signal),
      placeholderData: keepPreviousData,
    }),
  audit: (query: AuditQuery) =>
    queryOptions({
      queryKey: ['audit', query],
      queryFn: ({ signal }) => api.audit.search(query, signal),
      placeholderData: keepPreviousData,
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
export const useUsers = (query: UserQuery) => useQuery(queries.users(query));
export const useAudit = (query: AuditQuery) => useQuery(queries.audit(query));
