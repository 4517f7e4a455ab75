import type { components, paths } from './schema';

/**
 * Names for the API's shapes, taken from `schema.d.ts` (generated from the server's OpenAPI
 * document by `npm run gen:api -w @jineng/web`). Pages import these names, never the schema,
 * so a regenerated schema that changes a shape shows up as a type error where it is used.
 */

type Ok<Path extends keyof paths> = paths[Path] extends {
  get: { responses: { 200: { content: { 'application/json': infer Body } } } };
}
  ? Body
  : never;

type Query<Path extends keyof paths> = paths[Path] extends {
  get: { parameters: { query?: infer Q } };
}
  ? NonNullable<Q>
  : never;

export type Health = Ok<'/api/health'>;

export type Region = Ok<'/api/regions'>['items'][number];
export type RegionQuery = Query<'/api/regions'>;

export type Occupation = Ok<'/api/occupations'>['items'][number];
export type OccupationQuery = Query<'/api/occupations'>;
export type OccupationPage = Ok<'/api/occupations'>;

export type Unit = Ok<'/api/units'>['items'][number];
export type UnitTarget = Unit['targets'][number];
export type UnitQuery = Query<'/api/units'>;

export type Plan = Ok<'/api/plans'>['items'][number];
export type PlanUnit = Plan['units'][number];

export type SkillLevel = Ok<'/api/skill-levels'>['items'][number];

/** RFC 9457 problem details, as every error response of the API is shaped. */
export type Problem = components['schemas']['Problem'];
