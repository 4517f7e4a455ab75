import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import {
  Nullable,
  PageOf,
  PageQuery,
  ProblemRef,
  standardErrors,
  StringEnum,
  withPaging,
} from '../../platform/http.js';
import { requireAuth } from '../auth/auth.access.js';
import { MEASURES } from './statistics.schema.js';
import * as service from './statistics.service.js';

const CivilDate = Type.String({ format: 'date' });
const Year = Type.Integer({ minimum: 2000, maximum: 2100, examples: [2022] });
const denied = { 401: ProblemRef, 403: ProblemRef };
const Text = Type.Object({ zh: Type.String(), en: Type.String() });

const Progress = Type.Object({
  target: Nullable(Type.Integer({ description: 'persons or person-times; null: none entered' })),
  actual: Type.Integer(),
  progress: Nullable(Type.Number({ description: 'actual ÷ target (1 = met)' })),
  status: StringEnum(['ahead', 'behind', 'no_target'] as const, 'ahead: progress ≥ year elapsed'),
  projected: Type.Integer({ description: 'year-end at the current pace' }),
  rank: Nullable(Type.Integer({ description: 'among peers (same annex / all plans), 1 = best' })),
});
const Measures = Type.Object({ training: Progress, skilled: Progress, high_skilled: Progress });
const CountsSchema = Type.Object({
  training: Type.Integer(),
  skilled: Type.Integer(),
  high_skilled: Type.Integer(),
});

const ProgressResponse = Type.Object({
  year: Type.Integer(),
  asOf: CivilDate,
  elapsedShare: Type.Number({ description: 'share of the year elapsed, today included' }),
  definitions: Type.Array(
    Type.Object({
      measure: StringEnum(MEASURES),
      name: Text,
      unit: Text,
      definition: Text,
    }),
  ),
  attribution: Text,
  city: Measures,
  unattributedToCounty: CountsSchema,
  units: Type.Array(
    Type.Object({
      unitId: Type.String(),
      name: Type.String(),
      annex: Nullable(Type.Integer({ description: '1: counties; 2: city departments' })),
      seq: Nullable(Type.Integer()),
      kind: StringEnum(['county', 'department'] as const),
      regionCode: Type.String(),
      targetSource: Nullable(Type.String()),
      measures: Measures,
    }),
  ),
  plans: Type.Array(
    Type.Object({
      planNo: Type.Integer(),
      name: Type.String(),
      certifiesAllTrained: Type.Boolean(),
      measures: Measures,
    }),
  ),
  goals2025: Type.Object({
    elapsedShare: Type.Number({ description: 'share of 2022–2025 elapsed' }),
    training: Type.Omit(Progress, ['rank']),
    skilled: Type.Omit(Progress, ['rank']),
    high_skilled: Type.Omit(Progress, ['rank']),
  }),
});

const EventSchema = Type.Object({
  personId: Type.String({ format: 'uuid' }),
  name: Type.String(),
  idNumberMasked: Type.String(),
  measure: StringEnum(MEASURES),
  onDate: CivilDate,
  unitId: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  countyUnitId: Nullable(Type.String()),
  countyUnitName: Nullable(Type.String()),
  planNo: Nullable(Type.Integer()),
  occupationCode: Nullable(Type.String()),
  occupationName: Nullable(Type.String()),
  skillLevelKey: Nullable(Type.String()),
  source: Type.String({ description: 'voucher, evaluation, unit_report, import or api' }),
  recordId: Type.String({
    format: 'uuid',
    description:
      'class trainee, training report, certificate or external certificate, by source and measure',
  }),
});

/** Targets, progress, trend and the records behind a figure (R-TGT-1, R-TGT-2). */
export async function statisticsRoutes(app: AppInstance) {
  app.get(
    '/targets/progress',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'Every responsible unit and plan with its targets, actuals and progress for a year, ' +
          'against the share of the year elapsed, ranked among peers, with the 2025 goals',
        querystring: Type.Object({ year: Year }),
        response: { 200: ProgressResponse, ...denied, ...standardErrors },
      },
      config: { access: { permission: 'statistics.read' } },
    },
    async (request) => service.progress(app.deps.db, app.deps.clock, request.query.year),
  );

  app.get(
    '/statistics/trend',
    {
      schema: {
        tags: ['statistics'],
        summary: 'The city’s figures month by month and the voucher funnel of a year',
        querystring: Type.Object({ year: Year }),
        response: {
          200: Type.Object({
            year: Type.Integer(),
            months: Type.Array(Type.Object({ month: Type.String(), ...CountsSchema.properties })),
            funnel: Type.Object({
              issued: Type.Integer(),
              bound: Type.Integer(),
              completed: Type.Integer(),
              certified: Type.Integer(),
              redeemed: Type.Integer(),
            }),
          }),
          ...denied,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'statistics.read' } },
    },
    async (request) => service.trend(app.deps.db, request.query.year),
  );

  app.get(
    '/statistics/records',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'The records behind a figure: one measure over a year or a date range, for a unit, a ' +
          'county-level unit, a plan or the city (ID numbers masked)',
        querystring: Type.Object({
          measure: StringEnum(MEASURES),
          year: Type.Optional(Year),
          from: Type.Optional(CivilDate),
          to: Type.Optional(CivilDate),
          unitId: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
          countyUnitId: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
          planNo: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
          unattributed: Type.Optional(
            Type.Boolean({ description: 'only records with no county-level unit (未归属)' }),
          ),
          ...PageQuery,
        }),
        response: { 200: PageOf(EventSchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'statistics.records' } },
    },
    async (request) =>
      service.records(app.deps.db, requireAuth(request), withPaging(request.query)),
  );
}
