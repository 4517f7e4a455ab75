import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type {
  AuditQuery,
  ClassQuery,
  OccupationQuery,
  OrganisationQuery,
  PersonQuery,
  RegionQuery,
  UnitQuery,
  UserQuery,
  VoucherApplicationQuery,
  VoucherQuery,
} from './types';

/**
 * Keys of data only a logged-in account may see. They are dropped whenever the account changes
 * (login, logout) so that nothing of one account is ever shown to the next.
 */
export const PRIVATE_KEYS = [
  'users',
  'audit',
  'persons',
  'organisations',
  'imports',
  'vouchers',
  'classes',
  'evaluations',
  'certificates',
  'subsidyClaims',
  'placements',
  'payments',
  'ledger',
  'activity',
  'statistics',
] as const;

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
  skillLevels: () =>
    queryOptions({
      queryKey: ['skill-levels'],
      queryFn: ({ signal }) => api.skillLevels(signal),
      staleTime: Infinity,
    }),
  keyGroups: () =>
    queryOptions({
      queryKey: ['key-groups'],
      queryFn: ({ signal }) => api.keyGroups(signal),
      staleTime: Infinity,
    }),
  persons: (query: PersonQuery) =>
    queryOptions({
      queryKey: ['persons', 'list', query],
      queryFn: ({ signal }) => api.persons.list(query, signal),
      placeholderData: keepPreviousData,
    }),
  person: (id: string) =>
    queryOptions({
      queryKey: ['persons', 'one', id],
      queryFn: ({ signal }) => api.persons.get(id, signal),
    }),
  personHistory: (id: string, page: number, pageSize: number) =>
    queryOptions({
      queryKey: ['persons', 'history', id, page, pageSize],
      queryFn: ({ signal }) => api.persons.history(id, { page, pageSize }, signal),
      placeholderData: keepPreviousData,
    }),
  organisations: (query: OrganisationQuery) =>
    queryOptions({
      queryKey: ['organisations', 'list', query],
      queryFn: ({ signal }) => api.organisations.list(query, signal),
      placeholderData: keepPreviousData,
    }),
  organisation: (id: string) =>
    queryOptions({
      queryKey: ['organisations', 'one', id],
      queryFn: ({ signal }) => api.organisations.get(id, signal),
    }),
  sites: (organisationId: string) =>
    queryOptions({
      queryKey: ['organisations', 'sites', organisationId],
      queryFn: ({ signal }) => api.organisations.sites(organisationId, signal),
    }),
  scopes: (organisationId: string, siteId: string) =>
    queryOptions({
      queryKey: ['organisations', 'scopes', organisationId, siteId],
      queryFn: ({ signal }) => api.organisations.scopes(organisationId, siteId, signal),
    }),
  classes: (query: ClassQuery) =>
    queryOptions({
      queryKey: ['classes', 'list', query],
      queryFn: ({ signal }) => api.classes.list(query, signal),
      placeholderData: keepPreviousData,
    }),
  classDetail: (id: string) =>
    queryOptions({
      queryKey: ['classes', 'one', id],
      queryFn: ({ signal }) => api.classes.get(id, signal),
    }),
  trainees: (classId: string) =>
    queryOptions({
      queryKey: ['classes', 'trainees', classId],
      queryFn: ({ signal }) => api.classes.trainees(classId, signal),
    }),
  sessionAttendance: (classId: string, sessionId: string) =>
    queryOptions({
      queryKey: ['classes', 'attendance', classId, sessionId],
      queryFn: ({ signal }) => api.classes.attendance(classId, sessionId, signal),
    }),
  vouchers: (query: VoucherQuery) =>
    queryOptions({
      queryKey: ['vouchers', 'list', query],
      queryFn: ({ signal }) => api.vouchers.list(query, signal),
      placeholderData: keepPreviousData,
    }),
  voucherApplications: (query: VoucherApplicationQuery) =>
    queryOptions({
      queryKey: ['vouchers', 'applications', query],
      queryFn: ({ signal }) => api.vouchers.applications(query, signal),
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
export const useSkillLevels = () => useQuery(queries.skillLevels());
export const useKeyGroups = () => useQuery(queries.keyGroups());
export const usePersons = (query: PersonQuery) => useQuery(queries.persons(query));
export const usePerson = (id: string) => useQuery(queries.person(id));
export const useOrganisations = (query: OrganisationQuery) =>
  useQuery(queries.organisations(query));
export const useOrganisation = (id: string) => useQuery(queries.organisation(id));
export const useSites = (organisationId: string) => useQuery(queries.sites(organisationId));
export const useScopes = (organisationId: string, siteId: string) =>
  useQuery(queries.scopes(organisationId, siteId));
export const useUsers = (query: UserQuery) => useQuery(queries.users(query));
export const useAudit = (query: AuditQuery) => useQuery(queries.audit(query));
export const useVouchers = (query: VoucherQuery) => useQuery(queries.vouchers(query));
export const useVoucherApplications = (query: VoucherApplicationQuery) =>
  useQuery(queries.voucherApplications(query));
export const useClasses = (query: ClassQuery) => useQuery(queries.classes(query));
export const useClassDetail = (id: string) => useQuery(queries.classDetail(id));
export const useTrainees = (classId: string) => useQuery(queries.trainees(classId));
export const useSessionAttendance = (classId: string, sessionId: string) =>
  useQuery(queries.sessionAttendance(classId, sessionId));
