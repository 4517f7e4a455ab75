import type { paths } from './schema';

/*
 * Type helpers that name the API's shapes from `schema.d.ts` (generated from the server's OpenAPI
 * document), shared by types.ts and the api/*.ts files so each declares only its own names.
 */

type Method = 'get' | 'post' | 'put' | 'patch';

/** The JSON content of one response or request body. */
type Json<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;

type Responses<P extends keyof paths, M extends Method> = paths[P] extends {
  [K in M]: { responses: infer R };
}
  ? R
  : never;

/** The 200 answer of `method` (default GET) on `path`. */
export type Ok<P extends keyof paths, M extends Method = 'get'> =
  Responses<P, M> extends { 200: infer R } ? Json<R> : never;

/** The 201 answer of POST on `path`. */
export type Created<P extends keyof paths> =
  Responses<P, 'post'> extends { 201: infer R } ? Json<R> : never;

/** The successful answer of POST on `path`: its 200, else its 201. */
export type PostOk<P extends keyof paths> =
  Responses<P, 'post'> extends { 200: infer R }
    ? Json<R>
    : Responses<P, 'post'> extends { 201: infer R }
      ? Json<R>
      : never;

/** The query string GET on `path` takes. */
export type GetQuery<P extends keyof paths> = paths[P] extends {
  get: { parameters: { query?: infer Q } };
}
  ? NonNullable<Q>
  : never;

/** The JSON request body `method` (default POST) on `path` takes. */
export type Body<
  P extends keyof paths,
  M extends Exclude<Method, 'get'> = 'post',
> = paths[P] extends {
  [K in M]: { requestBody?: { content: { 'application/json': infer B } } };
}
  ? B
  : never;
