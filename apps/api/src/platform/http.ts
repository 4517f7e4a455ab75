import { Type, type TSchema } from 'typebox';
import type { Problem } from './errors.js';

/** A reference to the shared RFC 9457 problem schema (registered once in app.ts). */
export const ProblemRef = Type.Unsafe<Problem>({ $ref: 'Problem' });

/** Error responses every route can produce; add route-specific ones next to them. */
export const standardErrors = {
  400: ProblemRef,
  429: ProblemRef,
  500: ProblemRef,
};

export const notFoundError = { 404: ProblemRef };

/** `T | null`: a field that is always present but may be empty. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A string from a fixed list, typed as the union of its values. */
export const StringEnum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

/** `{ items: T[] }`, the list envelope of small catalogs. */
export const ListOf = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

/** `{ items, total, page, pageSize }`, the envelope of paged lists. */
export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer({ minimum: 0 }),
    page: Type.Integer({ minimum: 1 }),
    pageSize: Type.Integer({ minimum: 1 }),
  });

const DEFAULT_PAGE_SIZE = 20;

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: DEFAULT_PAGE_SIZE })),
};

/** A querystring with `PageQuery` in it, its page and page size filled in with their defaults. */
export function withPaging<Q extends { page?: number; pageSize?: number }>(
  query: Q,
): Q & { page: number; pageSize: number } {
  return { ...query, page: query.page ?? 1, pageSize: query.pageSize ?? DEFAULT_PAGE_SIZE };
}
