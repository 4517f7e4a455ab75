import type { paths } from './schema';

/*
 * Type helpers that name the API's shapes from `schema.d.ts` (generated from the server's OpenAPI
 * document), shared by the api/*.ts files so each declares only its own names.
 */

type Method = 'get' | 'post' | 'patch';

/** The JSON content of one response or request body. */
export type Json<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;

type Responses<P extends keyof paths, M extends Method> = paths[P] extends {
  [K in M]: { responses: infer R };
}
  ? R
  : never;

/** The 200 answer of `method` (default GET) on `path`. */
export type Ok<P extends keyof paths, M extends Method = 'get'> =
  Responses<P, M> extends { 200: infer R } ? Json<R> : never;
export type GetOk<P extends keyof paths> = Ok<P, 'get'>;

/** The 201 answer of POST on `path`. */
export type Created<P extends keyof paths> =
  Responses<P, 'post'> extends { 201: infer R } ? Json<R> : never;
export type PostCreated<P extends keyof paths> = Created<P>;

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

/** The JSON request body `method` on `path` takes. */
export type Body<P extends keyof paths, M extends 'post' | 'patch'> = paths[P] extends {
  [K in M]: { requestBody?: { content: { 'application/json': infer B } } };
}
  ? B
  : never;
export type PostBody<P extends keyof paths> = Body<P, 'post'>;
