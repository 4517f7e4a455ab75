import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import {
  ListOf,
  notFoundError,
  Nullable,
  PageOf,
  PageQuery,
  standardErrors,
} from '../../platform/http.js';
import * as service from './reference.service.js';

const RegionSchema = Type.Object({
  code: Type.String({ examples: ['411402'] }),
  name: Type.String({ examples: ['梁园区'] }),
  level: Type.Integer({ minimum: 1, maximum: 4 }),
  levelName: Type.Union([
    Type.Literal('province'),
    Type.Literal('prefecture'),
    Type.Literal('county'),
    Type.Literal('township'),
  ]),
  parentCode: Nullable(Type.String()),
  statisticsOnly: Type.Boolean({ description: '统计用区划: a statistics code, not in GB/T 2260' }),
  isLocalUnit: Type.Boolean({ description: 'a locally defined unit such as 城乡一体化示范区' }),
  hasChildren: Type.Boolean(),
});

const OccupationSchema = Type.Object({
  code: Type.String({ examples: ['4-03-02-01'] }),
  level: Type.Integer({ minimum: 1, maximum: 4 }),
  levelName: Type.Union([
    Type.Literal('major'),
    Type.Literal('medium'),
    Type.Literal('minor'),
    Type.Literal('occupation'),
  ]),
  name: Type.String({ examples: ['中式烹调师'] }),
  isGreen: Type.Boolean({ description: '绿色职业 (L)' }),
  isDigital: Type.Boolean({ description: '数字职业 (S)' }),
  parentCode: Nullable(Type.String()),
  definition: Nullable(Type.String()),
});

const TargetSchema = Type.Object({
  year: Type.Integer(),
  trainingPersonTimes: Type.Integer({ description: 'training person-times (人次)' }),
  newSkilled: Type.Integer({ description: 'new skilled talents (persons)' }),
  newHighSkilled: Type.Integer({ description: 'new high-skilled talents (persons)' }),
});

const UnitSchema = Type.Object({
  id: Type.String({ examples: ['A1-01'] }),
  annex: Nullable(Type.Integer({ description: '1 = county-level units, 2 = city departments' })),
  seq: Nullable(Type.Integer()),
  seedName: Type.String({ description: 'the name as printed in the policy' }),
  canonicalName: Type.String(),
  aliases: Type.Array(Type.String()),
  kind: Type.Union([Type.Literal('county'), Type.Literal('department')]),
  regionCode: Type.String(),
  targets: Type.Array(TargetSchema),
});

const PlanSchema = Type.Object({
  planNo: Type.Integer(),
  name: Type.String(),
  yearlyTrainingMin: Nullable(Type.Integer()),
  yearlyCertifiedMin: Nullable(Type.Integer()),
  yearlyHighSkilledMin: Nullable(Type.Integer()),
  certifiesAllTrained: Type.Boolean({ description: 'plan 10: 100 % of those trained certify' }),
  trainingCountsGraduates: Type.Boolean({ description: 'plan 3: the figure counts 年培养' }),
  extra: Nullable(Type.String()),
  responsibleUnitsText: Type.String(),
  units: Type.Array(Type.Object({ id: Type.String(), canonicalName: Type.String() })),
});

const SkillLevelSchema = Type.Object({
  key: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  shortName: Type.String(),
  levelDigit: Nullable(Type.Integer()),
  isHighSkilled: Type.Boolean(),
});

/** Public, read-only catalogs: this is public information, so no login is needed. */
export async function referenceRoutes(app: AppInstance) {
  app.get(
    '/regions',
    {
      schema: {
        tags: ['reference'],
        summary: 'Regions of Henan (GB/T 2260 and statistics codes) and local units',
        querystring: Type.Object({
          parent: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6,9}$' })),
          level: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
        }),
        response: { 200: ListOf(RegionSchema), ...notFoundError, ...standardErrors },
      },
      config: { access: 'public' },
    },
    async (request) => ({ items: await service.listRegions(app.deps.db, request.query) }),
  );

  app.get(
    '/occupations',
    {
      schema: {
        tags: ['reference'],
        summary: 'Search the 2022 occupation classification by code or Chinese name',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 50 })),
          level: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
          ...PageQuery,
        }),
        response: { 200: PageOf(OccupationSchema), ...standardErrors },
      },
      config: { access: 'public' },
    },
    async (request) => {
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const result = await service.searchOccupations(app.deps.db, {
        q: request.query.q,
        level: request.query.level,
        page,
        pageSize,
      });
      return { ...result, page, pageSize };
    },
  );

  app.get(
    '/units',
    {
      schema: {
        tags: ['reference'],
        summary: 'The 38 responsible units (责任单位) with their yearly targets in persons',
        querystring: Type.Object({
          withoutTarget: Type.Optional(
            Type.Boolean({ description: 'also list units without an annex target' }),
          ),
        }),
        response: { 200: ListOf(UnitSchema), ...standardErrors },
      },
      config: { access: 'public' },
    },
    async (request) => ({
      items: await service.listUnits(app.deps.db, {
        includeWithoutTarget: request.query.withoutTarget ?? false,
      }),
    }),
  );

  app.get(
    '/plans',
    {
      schema: {
        tags: ['reference'],
        summary: 'The 12 plans of section 三 with yearly minimums and responsible units',
        response: { 200: ListOf(PlanSchema), ...standardErrors },
      },
      config: { access: 'public' },
    },
    async () => ({ items: await service.listPlans(app.deps.db) }),
  );

  app.get(
    '/skill-levels',
    {
      schema: {
        tags: ['reference'],
        summary: 'Certificate skill levels and 专项职业能力',
        response: { 200: ListOf(SkillLevelSchema), ...standardErrors },
      },
      config: { access: 'public' },
    },
    async () => ({ items: await service.listSkillLevels(app.deps.db) }),
  );
}
