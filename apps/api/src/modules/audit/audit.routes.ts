import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import { Nullable, PageOf, PageQuery, ProblemRef, standardErrors } from '../../platform/http.js';
import { requestMeta, requireAuth } from '../auth/auth.access.js';
import { auditContextOf } from '../auth/auth.service.js';
import { AUDIT_ACTIONS } from './audit.catalog.js';
import { recordAudit, searchAudit } from './audit.service.js';

const OutcomeSchema = Type.Union([
  Type.Literal('success'),
  Type.Literal('denied'),
  Type.Literal('failed'),
]);
const AnyJson = Type.Unsafe<unknown>({ description: 'JSON as recorded (scrubbed of secrets)' });

const AuditEventSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  occurredAt: Type.String({ format: 'date-time' }),
  actorUserId: Nullable(Type.String()),
  actorUsername: Nullable(Type.String()),
  actorRole: Nullable(Type.String()),
  action: Type.String(),
  actionDescription: Type.String(),
  entityType: Nullable(Type.String()),
  entityId: Nullable(Type.String()),
  before: AnyJson,
  after: AnyJson,
  outcome: OutcomeSchema,
  requestId: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  details: AnyJson,
  seq: Nullable(Type.Integer({ description: 'position in the sealed chain; null until sealed' })),
});

export async function auditRoutes(app: AppInstance) {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Search the audit trail by entity, actor, action, outcome and time (newest first)',
        querystring: Type.Object({
          entityType: Type.Optional(Type.String({ maxLength: 50 })),
          entityId: Type.Optional(Type.String({ maxLength: 100 })),
          actorUsername: Type.Optional(Type.String({ maxLength: 64 })),
          actorUserId: Type.Optional(Type.String({ format: 'uuid' })),
          action: Type.Optional(
            Type.Unsafe<string>({ type: 'string', enum: Object.keys(AUDIT_ACTIONS) }),
          ),
          outcome: Type.Optional(OutcomeSchema),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          ...PageQuery,
        }),
        response: {
          200: PageOf(AuditEventSchema),
          401: ProblemRef,
          403: ProblemRef,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'audit.read' } },
    },
    async (request) => {
      const auth = requireAuth(request);
      const { from, to, page, pageSize, ...filters } = request.query;
      const query = {
        ...filters,
        from: from ? new Date(from) : undefined,
        to: to ? new Date(to) : undefined,
        page: page ?? 1,
        pageSize: pageSize ?? 50,
      };
      const result = await searchAudit(app.deps.db, query);
      // Who looked at the trail is itself on the trail.
      await app.deps.db.transaction().execute((trx) =>
        recordAudit(trx, {
          context: auditContextOf(auth, requestMeta(request)),
          action: 'audit.searched',
          details: { filters: { ...filters, from, to }, total: result.total },
          occurredAt: app.deps.clock.now(),
        }),
      );
      return {
        ...result,
        items: result.items.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
      };
    },
  );
}
