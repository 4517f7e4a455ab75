import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import { Nullable, ProblemRef, standardErrors, StringEnum } from '../../platform/http.js';
import { requestMeta, requireAuth } from '../auth/auth.access.js';
import { IMPORT_LIMITS } from '../imports/imports.guard.js';
import { sendXlsx, withUpload } from '../imports/imports.routes.js';
import { outcomes } from './statistics.outcomes.js';
import * as targets from './statistics.targets.js';

const Year = Type.Integer({ minimum: 2000, maximum: 2100, examples: [2023] });
const YearParams = Type.Object({ year: Year });
const DateTime = Type.String({ format: 'date-time' });
const Persons = Type.Integer({ minimum: 0, maximum: targets.MAX_TARGET });
const Source = Type.String({ minLength: 1, maxLength: 200, examples: ['商政办〔2023〕5号'] });
const Text = Type.Object({ zh: Type.String(), en: Type.String() });
const denied = { 401: ProblemRef, 403: ProblemRef };
const conflict = { 409: ProblemRef };
const XlsxFile = Type.Unsafe<Buffer>({
  type: 'string',
  format: 'binary',
  description: 'An .xlsx workbook',
});

const TargetValues = Type.Object({
  trainingPersonTimes: Type.Integer({ description: 'persons (person-times); the annex prints 万' }),
  newSkilled: Type.Integer({ description: 'persons' }),
  newHighSkilled: Type.Integer({ description: 'persons' }),
});

const TargetsResponse = Type.Object({
  year: Type.Integer(),
  annexSource: Type.String({ description: 'the source of the 2022 annex rows (not editable)' }),
  units: Type.Array(
    Type.Object({
      unitId: Type.String(),
      annex: Nullable(Type.Integer({ description: '1: counties; 2: city departments' })),
      seq: Nullable(Type.Integer()),
      name: Type.String(),
      kind: StringEnum(['county', 'department'] as const),
      targets: Nullable(TargetValues),
      source: Nullable(Type.String()),
      fromAnnex: Type.Boolean({ description: 'a 2022 annex row: cannot be changed' }),
      updatedAt: Nullable(DateTime),
    }),
  ),
});

const UploadReport = Type.Object({
  year: Type.Integer(),
  fileName: Type.String(),
  source: Type.String(),
  status: StringEnum(
    ['dry_run', 'committed', 'failed'] as const,
    'failed: some rows have errors and nothing was written',
  ),
  written: Type.Integer({ description: 'units whose targets changed' }),
  rows: Type.Array(
    Type.Object({
      row: Type.Integer({ description: 'row number as Excel shows it' }),
      name: Type.String({ description: 'the unit as written' }),
      unitId: Type.String(),
      ...TargetValues.properties,
    }),
  ),
  errors: Type.Array(
    Type.Object({
      row: Type.Integer(),
      column: Type.String({ description: 'the column header' }),
      message: Type.String({ description: 'what to fix, in Chinese' }),
    }),
  ),
});

const EmployedResponse = Type.Object({
  year: Type.Integer(),
  rows: Type.Array(
    Type.Object({
      unitId: Nullable(Type.String({ description: 'a county-level unit; null: the city' })),
      name: Type.String(),
      persons: Nullable(Type.Integer()),
      source: Nullable(Type.String()),
      updatedAt: Nullable(DateTime),
    }),
  ),
});

const Suppressed = Type.Boolean({ description: 'n under 10: value and n withheld' });
const RateCell = Type.Object({
  numerator: Nullable(Type.Integer({ description: 'employed in the quarter' })),
  n: Nullable(Type.Integer({ description: 'the denominator' })),
  rate: Nullable(Type.Number()),
  suppressed: Suppressed,
});
const OutcomeRow = Type.Object({
  unitId: Nullable(Type.String({ description: 'null: the city' })),
  name: Type.String(),
  annex: Nullable(Type.Integer()),
  seq: Nullable(Type.Integer()),
  certificateHolders: Type.Object({
    holders: Nullable(Type.Integer()),
    employed: Nullable(Type.Integer({ description: 'entered by admins; null: not entered' })),
    employedSource: Nullable(Type.String()),
    rate: Nullable(Type.Number({ description: 'holders ÷ employed' })),
    n: Nullable(Type.Integer({ description: 'holders' })),
    suppressed: Suppressed,
  }),
  employmentQ2: RateCell,
  employmentQ4: RateCell,
  earningsChangeQ2: Type.Object({
    medianFen: Nullable(Type.Integer()),
    n: Nullable(Type.Integer()),
    suppressed: Suppressed,
  }),
});
const OutcomesResponse = Type.Object({
  year: Type.Integer(),
  asOf: Type.String({ format: 'date' }),
  suppressionThreshold: Type.Integer(),
  definitions: Type.Array(Type.Object({ measure: Type.String(), name: Text, definition: Text })),
  city: OutcomeRow,
  units: Type.Array(OutcomeRow),
});

/** Targets administration and outcome measures (R-TGT-1, R-TGT-2). */
export async function statisticsTargetsRoutes(app: AppInstance) {
  const { db, clock } = app.deps;

  // Registered here, not app-wide: only the targets upload takes a multipart body.
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: {
      fileSize: IMPORT_LIMITS.maxUploadBytes,
      files: 1,
      fields: 5,
      fieldSize: 1024,
      parts: 6,
      headerPairs: 100,
    },
  });

  app.get(
    '/targets',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Every responsible unit with its targets of a year (persons), source and update',
        querystring: Type.Object({ year: Year }),
        response: { 200: TargetsResponse, ...denied, ...standardErrors },
      },
      config: { access: { permission: 'statistics.read' } },
    },
    async (request) => targets.targetsOfYear(db, request.query.year),
  );

  app.put(
    '/targets/:year',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'Enter or change the targets of the units sent (persons; others unchanged); 2022’s ' +
          'annex rows cannot be changed (409 TARGETS_FROM_ANNEX)',
        params: YearParams,
        body: Type.Object(
          {
            units: Type.Array(
              Type.Object(
                {
                  unitId: Type.String({ minLength: 1, maxLength: 20 }),
                  trainingPersonTimes: Persons,
                  newSkilled: Persons,
                  newHighSkilled: Persons,
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 200 },
            ),
            source: Source,
          },
          { additionalProperties: false },
        ),
        response: { 200: TargetsResponse, ...denied, ...conflict, ...standardErrors },
      },
      config: { access: { permission: 'targets.manage' } },
    },
    async (request) =>
      targets.saveTargets(
        db,
        clock,
        requireAuth(request),
        request.params.year,
        request.body,
        requestMeta(request),
      ),
  );

  app.get(
    '/targets/:year/template',
    {
      schema: {
        tags: ['statistics'],
        summary: 'The targets workbook of a year: every unit with its targets in 万, to fill in',
        params: YearParams,
        response: { 200: XlsxFile, ...denied, ...standardErrors },
      },
      config: { access: { permission: 'targets.manage' } },
    },
    async (request, reply) =>
      sendXlsx(
        reply,
        `${request.params.year}年目标任务.xlsx`,
        await targets.targetsTemplate(db, request.params.year),
      ),
  );

  app.post(
    '/targets/:year/upload',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'Upload the targets workbook (multipart `file`, .xlsx; values in 万, at most 4 ' +
          'decimals; units by name or alias). A row-by-row report; nothing is written when a ' +
          'row fails; ?dryRun=true checks only',
        consumes: ['multipart/form-data'],
        params: YearParams,
        querystring: Type.Object(
          {
            dryRun: Type.Optional(Type.Boolean({ description: 'check and report; write nothing' })),
            source: Type.Optional(Source),
          },
          { additionalProperties: false },
        ),
        response: {
          200: UploadReport,
          ...denied,
          ...conflict,
          413: ProblemRef,
          415: ProblemRef,
          ...standardErrors,
        },
      },
      // Not idempotent by key: a multipart body cannot be fingerprinted (as the other uploads);
      // writing the same workbook twice changes nothing the second time.
      config: { access: { permission: 'targets.manage' } },
    },
    async (request) => {
      const auth = requireAuth(request);
      return withUpload(request, (file) =>
        targets.uploadTargets(
          db,
          clock,
          auth,
          request.params.year,
          file,
          { dryRun: request.query.dryRun ?? false, source: request.query.source },
          requestMeta(request),
        ),
      );
    },
  );

  app.get(
    '/targets/employed',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'Employed persons of the city and each county-level unit for a year (持证率 denominator)',
        querystring: Type.Object({ year: Year }),
        response: { 200: EmployedResponse, ...denied, ...standardErrors },
      },
      config: { access: { permission: 'statistics.read' } },
    },
    async (request) => targets.employedOfYear(db, request.query.year),
  );

  app.put(
    '/targets/employed/:year',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Enter or change the employed persons of the rows sent, with their source',
        params: YearParams,
        body: Type.Object(
          {
            rows: Type.Array(
              Type.Object(
                {
                  unitId: Nullable(
                    Type.String({ minLength: 1, maxLength: 20, description: 'null: the city' }),
                  ),
                  persons: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
                  source: Source,
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 100 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: EmployedResponse, ...denied, ...standardErrors },
      },
      config: { access: { permission: 'targets.manage' } },
    },
    async (request) =>
      targets.saveEmployed(
        db,
        clock,
        requireAuth(request),
        request.params.year,
        request.body,
        requestMeta(request),
      ),
  );

  app.get(
    '/targets/outcomes',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'Outcome measures of a year per county-level unit and the city (WIOA-style): ' +
          'certificate holders among the employed, employment in Q+2 and Q+4 after exit, median ' +
          'quarterly earnings change; cells under 10 persons suppressed',
        querystring: Type.Object({ year: Year }),
        response: { 200: OutcomesResponse, ...denied, ...standardErrors },
      },
      config: { access: { permission: 'statistics.read' } },
    },
    async (request) => outcomes(db, clock, request.query.year),
  );
}
