import { ApiError, errorFromResponse } from './problem';
import type {
  Health,
  ItemList,
  Occupation,
  OccupationQuery,
  Page,
  Plan,
  Region,
  RegionQuery,
  SkillLevel,
  Unit,
} from './types';

/**
 * Every request the web app makes goes through this file. The API is served by the same origin
 * under `/api` (in development Vite proxies it), so paths are relative.
 */

type QueryValue = string | number | undefined;

function withQuery(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, null, cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}

export const api = {
  health: (signal?: AbortSignal) => getJson<Health>('/api/health', signal),
  regions: (query: RegionQuery = {}, signal?: AbortSignal) =>
    getJson<ItemList<Region>>(withQuery('/api/regions', { ...query }), signal),
  occupations: (query: OccupationQuery = {}, signal?: AbortSignal) =>
    getJson<Page<Occupation>>(withQuery('/api/occupations', { ...query }), signal),
  units: (signal?: AbortSignal) => getJson<ItemList<Unit>>('/api/units', signal),
  plans: (signal?: AbortSignal) => getJson<ItemList<Plan>>('/api/plans', signal),
  skillLevels: (signal?: AbortSignal) => getJson<ItemList<SkillLevel>>('/api/skill-levels', signal),
};
