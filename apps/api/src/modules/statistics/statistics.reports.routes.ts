import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import {
  notFoundError,
  PageOf,
  PageQuery,
  ProblemRef,
  standardErrors,
  StringEnum,
  withPaging,
} from '../../platform/http.js';
import { requestMeta, requireAuth } from '../auth/auth.access.js';
import * as reports from './statistics.reports.js';
import { reportWorkbook, XLSX_TYPE } from './statistics.reports.xlsx.js';
import { REPORT_KINDS } from './statistics.schema.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const denied = { 401: ProblemRef, 403: ProblemRef };
const idempotencyReused = { 422: ProblemRef };
const XlsxFile = Type.Unsafe<Buffer>({
  type: 'string',
  format: 'binary',
  description: 'An .xlsx workbook',
});

/** `attachment` with an ASCII fallback and the Chinese name per RFC 5987 / 6266. */
function attachment(fallback: string, fileName: string): string {
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Reports (R-TGT-3): 日统计、周调度、月小结、季通报、半年督导、全年总结. */
export async function statisticsReportsRoutes(app: AppInstance) {
  app.get(
    '/reports',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Kept reports, newest first (without their content)',
        querystring: Type.Object({
          kind: Type.Optional(StringEnum(REPORT_KINDS)),
          year: Type.Optional(
            Type.Integer({
              minimum: 2000,
              maximum: 2100,
              description: 'the year the period ends in',
            }),
          ),
          ...PageQuery,
        }),
        response: { 200: PageOf(reports.ReportSummarySchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'statistics.read' } },
    },
    async (request) => reports.listReports(app.deps.db, withPaging(request.query)),
  );

  app.get(
    '/reports/:id',
    {
      schema: {
        tags: ['statistics'],
        summary: 'A report with its content: the tables of both annexes and the plans',
        params: IdParams,
        response: {
          200: reports.ReportSchema,
          ...denied,
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'statistics.read' } },
    },
    async (request) => reports.getReport(app.deps.db, request.params.id),
  );

  app.get(
    '/reports/:id/download',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'The report as an .xlsx workbook: 县区, 市直部门 and 十二项计划 sheets, named by its title',
        params: IdParams,
        response: { 200: XlsxFile, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'statistics.read' } },
    },
    async (request, reply) => {
      const report = await reports.getReport(app.deps.db, request.params.id);
      const content = await reportWorkbook(report.content);
      return reply
        .type(XLSX_TYPE)
        .header('Cache-Control', 'no-store')
        .header(
          'Content-Disposition',
          attachment(`report-${report.kind}-${report.periodStart}.xlsx`, `${report.title}.xlsx`),
        )
        .send(content);
    },
  );

  app.post(
    '/reports',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'Generate a report now for the period of `kind` containing `date` (default today; a ' +
          'current period counts up to today), kept beside the scheduled ones (Idempotency-Key ' +
          'supported)',
        body: Type.Object(
          {
            kind: StringEnum(REPORT_KINDS),
            date: Type.Optional(
              Type.String({
                format: 'date',
                description: 'a day of the period; not in the future',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: reports.ReportSchema,
          ...denied,
          ...idempotencyReused,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'reports.generate' }, idempotent: true },
    },
    async (request, reply) => {
      const { id } = await reports.generateReport(app.deps.db, app.deps.clock, {
        kind: request.body.kind,
        date: request.body.date,
        trigger: 'request',
        auth: requireAuth(request),
        meta: requestMeta(request),
      });
      return reply.status(201).send(await reports.getReport(app.deps.db, id ?? ''));
    },
  );
}
