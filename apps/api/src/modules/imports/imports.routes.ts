import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import { DomainError } from '../../platform/errors.js';
import { notFoundError, Nullable, ProblemRef, standardErrors } from '../../platform/http.js';
import { requestMeta, requireAuth } from '../auth/auth.access.js';
import {
  contributionsTemplate,
  employmentsTemplate,
  importContributions,
  importEmployments,
} from './imports.employment.js';
import { IMPORT_LIMITS } from './imports.guard.js';
import { importOrganisations, organisationsTemplate } from './imports.organisations.js';
import { importPersons, personsTemplate } from './imports.persons.js';
import { importTrainingReports, trainingReportsTemplate } from './imports.trainings.js';
import {
  externalCertificatesTemplate,
  importExternalCertificates,
} from './imports.certificates.js';
import * as service from './imports.service.js';

const RejectedSchema = Type.Object({
  row: Type.Integer({ minimum: 1, description: 'Row number as Excel shows it (header is row 1)' }),
  column: Type.String({ description: 'The column header as written in the file' }),
  code: Type.String(),
  message: Type.String({ description: 'What to fix, in Chinese' }),
});

const SummarySchema = Type.Object({
  importId: Type.String({ format: 'uuid' }),
  kind: Type.Union([
    Type.Literal('persons'),
    Type.Literal('organisations'),
    Type.Literal('employments'),
    Type.Literal('contributions'),
    Type.Literal('training_reports'),
    Type.Literal('external_certificates'),
  ]),
  status: Type.Union([
    Type.Literal('running'),
    Type.Literal('committed'),
    Type.Literal('dry_run'),
    Type.Literal('failed'),
  ]),
  fileName: Type.String(),
  imported: Type.Integer({ minimum: 0 }),
  updated: Type.Integer({ minimum: 0 }),
  unchanged: Type.Integer({ minimum: 0 }),
  rejectedRows: Type.Integer({ minimum: 0 }),
  rejectedTotal: Type.Integer({ minimum: 0 }),
  rejected: Type.Array(RejectedSchema, {
    description: `The first ${service.REPORT_LIMIT} problems; the failed-rows workbook has all`,
  }),
  failedRowsUrl: Type.Optional(Type.String()),
  failedRowsExpiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  claims: Type.Optional(
    Type.Object(
      { created: Type.Integer({ minimum: 0 }), refused: Type.Integer({ minimum: 0 }) },
      {
        description:
          'employments and contributions: subsidy claims the committed data made due or refused',
      },
    ),
  ),
});

const ImportQuery = Type.Object(
  {
    dryRun: Type.Optional(Type.Boolean({ description: 'Validate and report; change nothing' })),
    overwrite: Type.Optional(
      Type.Boolean({ description: 'Let the file change names and other recorded fields' }),
    ),
  },
  { additionalProperties: false },
);

const XlsxFile = Type.Unsafe<Buffer>({
  type: 'string',
  format: 'binary',
  description: 'An .xlsx workbook',
});

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const denied = { 401: ProblemRef, 403: ProblemRef };
const uploadErrors = { 410: ProblemRef, 413: ProblemRef, 415: ProblemRef };
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Streams the `file` part of a multipart upload to a 0600 temp file (never into memory), runs
 * `work` on it and deletes it, whatever happens.
 */
export async function withUpload<T>(
  request: FastifyRequest,
  work: (file: service.ImportFile) => Promise<T>,
): Promise<T> {
  if (!request.isMultipart()) {
    throw new DomainError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Upload the file as multipart/form-data in a field named "file"',
    );
  }
  const part = await request.file({
    limits: { fileSize: IMPORT_LIMITS.maxUploadBytes, files: 1, fields: 5, fieldSize: 1024 },
  });
  if (!part || part.fieldname !== 'file') {
    throw new DomainError('VALIDATION_FAILED', 'The upload needs a file in the field "file"', [
      { path: '/body/file', message: 'required' },
    ]);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'jineng-upload-'));
  try {
    const target = path.join(dir, 'upload');
    const tooLarge = () =>
      new DomainError(
        'IMPORT_FILE_TOO_LARGE',
        `文件超过 ${IMPORT_LIMITS.maxUploadBytes / 1024 / 1024} MB 的上限，请拆分后分批导入。`,
      );
    try {
      await pipeline(part.file, createWriteStream(target, { mode: 0o600, flags: 'wx' }));
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' || part.file.truncated) {
        throw tooLarge();
      }
      throw error;
    }
    // busboy stops at the limit and marks the stream truncated; the cut file is never read.
    if (part.file.truncated) throw tooLarge();
    return await work({ path: target, name: part.filename || 'upload' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function sendXlsx(reply: FastifyReply, fileName: string, content: Buffer) {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  return reply
    .type(XLSX_TYPE)
    .header('Cache-Control', 'no-store')
    .header(
      'Content-Disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    )
    .send(content);
}

/** Bulk imports of rosters (R-REG-4): upload, report, failed rows, templates. */
export async function importsRoutes(app: AppInstance) {
  const deps = () => ({ db: app.deps.db, pii: app.deps.pii, clock: app.deps.clock });

  // Registered here, not app-wide: only these routes accept multipart bodies.
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

  const importRoute = (
    url: string,
    permission: 'persons.import' | 'organisations.import' | 'employment.write' | 'activity.report',
    summary: string,
    run: typeof importPersons,
  ) =>
    app.post(
      url,
      {
        schema: {
          tags: ['imports'],
          summary,
          description:
            'multipart/form-data with the roster in the field `file` (.xlsx or .csv, ' +
            `≤ ${IMPORT_LIMITS.maxUploadBytes / 1024 / 1024} MB). Headers are matched by the names ` +
            'people use, in any order; unknown columns are ignored. Valid rows commit in one ' +
            'transaction; rejected rows are listed with the row number Excel shows.',
          consumes: ['multipart/form-data'],
          querystring: ImportQuery,
          response: { 200: SummarySchema, ...denied, ...uploadErrors, ...standardErrors },
        },
        config: {
          access: { permission },
          // Imports are heavy: a client looping on them is stopped per account, not per address.
          rateLimit: {
            max: 60,
            timeWindow: '1 minute',
            keyGenerator: (request: FastifyRequest) => request.auth?.user.id ?? request.ip,
          },
        },
      },
      async (request) => {
        const auth = requireAuth(request);
        const query = request.query as { dryRun?: boolean; overwrite?: boolean };
        return withUpload(request, (file) =>
          run(
            deps(),
            auth,
            file,
            { dryRun: query.dryRun ?? false, overwrite: query.overwrite ?? false },
            requestMeta(request),
          ),
        );
      },
    );

  importRoute(
    '/imports/persons',
    'persons.import',
    'Import persons from a roster (xlsx/CSV); ?dryRun=true validates only',
    importPersons,
  );
  importRoute(
    '/imports/organisations',
    'organisations.import',
    'Import organisations from a list (xlsx/CSV); ?dryRun=true validates only',
    importOrganisations,
  );
  importRoute(
    '/imports/employments',
    'employment.write',
    'Import employment registrations (就业登记) from xlsx/CSV; re-checks hiring and placement ' +
      'subsidies of the persons touched; ?dryRun=true validates only',
    importEmployments,
  );
  importRoute(
    '/imports/contributions',
    'employment.write',
    'Import social-insurance contribution months (社保缴费) from xlsx/CSV; re-checks subsidies ' +
      'of the persons touched; ?dryRun=true validates only',
    importContributions,
  );

  app.get(
    '/imports/templates/persons.xlsx',
    {
      schema: {
        tags: ['imports'],
        summary: 'The persons roster template: the headers we read and an example row',
        response: { 200: XlsxFile, ...denied, ...standardErrors },
      },
      config: { access: { permission: 'persons.import' } },
    },
    async (_request, reply) => sendXlsx(reply, '人员导入模板.xlsx', await personsTemplate()),
  );

  app.get(
    '/imports/templates/organisations.xlsx',
    {
      schema: {
        tags: ['imports'],
        summary: 'The organisations template: the headers we read and an example row',
        response: { 200: XlsxFile, ...denied, ...standardErrors },
      },
      config: { access: { permission: 'organisations.import' } },
    },
    async (_request, reply) => sendXlsx(reply, '单位导入模板.xlsx', await organisationsTemplate()),
  );

  app.get(
    '/imports/templates/employments.xlsx',
    {
      schema: {
        tags: ['imports'],
        summary: 'The employment-registration template: the headers we read and an example row',
        response: { 200: XlsxFile, ...denied, ...standardErrors },
      },
      config: { access: { permission: 'employment.write' } },
    },
    async (_request, reply) =>
      sendXlsx(reply, '就业登记导入模板.xlsx', await employmentsTemplate()),
  );

  app.get(
    '/imports/templates/contributions.xlsx',
    {
      schema: {
        tags: ['imports'],
        summary: 'The contribution template: the headers we read and an example row',
        response: { 200: XlsxFile, ...denied, ...standardErrors },
      },
      config: { access: { permission: 'employment.write' } },
    },
    async (_request, reply) =>
      sendXlsx(reply, '社保缴费导入模板.xlsx', await contributionsTemplate()),
  );

  importRoute(
    '/imports/training-reports',
    'activity.report',
    'Import training reports (#8) from xlsx/CSV, one row per trainee; rows with the same unit, ' +
      'title, dates, occupation and level form one report; ?dryRun=true validates only',
    importTrainingReports,
  );

  app.get(
    '/imports/templates/training-reports.xlsx',
    {
      schema: {
        tags: ['imports'],
        summary: 'The training-report template: the headers we read and an example row',
        response: { 200: XlsxFile, ...denied, ...standardErrors },
      },
      config: { access: { permission: 'activity.report' } },
    },
    async (_request, reply) =>
      sendXlsx(reply, '培训报送导入模板.xlsx', await trainingReportsTemplate()),
  );

  importRoute(
    '/imports/external-certificates',
    'activity.report',
    'Import certificates issued elsewhere (#8) from xlsx/CSV, one row per certificate: checked ' +
      'by kind, holders matched or registered, de-duplicated against ours; ?dryRun=true validates',
    importExternalCertificates,
  );

  app.get(
    '/imports/templates/external-certificates.xlsx',
    {
      schema: {
        tags: ['imports'],
        summary: 'The external-certificate template: the headers we read and an example row',
        response: { 200: XlsxFile, ...denied, ...standardErrors },
      },
      config: { access: { permission: 'activity.report' } },
    },
    async (_request, reply) =>
      sendXlsx(reply, '外部证书导入模板.xlsx', await externalCertificatesTemplate()),
  );

  app.get(
    '/imports/:id',
    {
      schema: {
        tags: ['imports'],
        summary: 'The report of an import run in your scope',
        params: IdParams,
        response: { 200: SummarySchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'imports.read' } },
    },
    async (request) =>
      service.getImport(app.deps.db, app.deps.clock, requireAuth(request), request.params.id),
  );

  app.get(
    '/imports/:id/failed-rows.xlsx',
    {
      schema: {
        tags: ['imports'],
        summary:
          'The rejected rows as uploaded plus 失败原因, to fix and upload again (kept 7 days; audited)',
        params: IdParams,
        response: {
          200: XlsxFile,
          ...denied,
          ...notFoundError,
          410: ProblemRef,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'imports.read' } },
    },
    async (request, reply) => {
      const { fileName, content } = await service.downloadFailedRows(
        deps(),
        requireAuth(request),
        request.params.id,
        requestMeta(request),
      );
      return sendXlsx(reply, fileName, content);
    },
  );
}
