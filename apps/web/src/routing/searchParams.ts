/** A positive integer from the query string, or `fallback` when absent or malformed. */
export function readPositiveInt(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || !/^\d+$/.test(raw)) return fallback;
  const value = Number(raw);
  return value >= 1 ? value : fallback;
}

/**
 * A copy of `params` with `changes` applied; `undefined`, empty strings and values equal to
 * their default are removed so that URLs stay short and shareable.
 */
export function mergeSearchParams(
  params: URLSearchParams,
  changes: Record<string, string | number | undefined>,
  defaults: Record<string, string | number> = {},
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value === '' || value === defaults[name]) next.delete(name);
    else next.set(name, String(value));
  }
  return next;
}
