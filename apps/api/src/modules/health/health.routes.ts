import { sql } from 'kysely';
import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import { standardErrors } from '../../platform/http.js';

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  version: Type.String(),
  database: Type.Object({
    status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
    latencyMs: Type.Number(),
    serverVersion: Type.Optional(Type.String()),
  }),
});

export async function healthRoutes(app: AppInstance) {
  app.get(
    '/health',
    {
      schema: {
        tags: ['platform'],
        summary: 'Liveness and database status',
        response: { 200: HealthSchema, 503: HealthSchema },
      },
      config: { access: 'public', rateLimit: false },
    },
    async (_request, reply) => {
      const started = performance.now();
      try {
        const { rows } = await sql<{
          serverVersion: string;
        }>`SELECT current_setting('server_version') AS server_version`.execute(app.deps.db);
        return {
          status: 'ok' as const,
          version: app.deps.version,
          database: {
            status: 'up' as const,
            latencyMs: Math.round((performance.now() - started) * 10) / 10,
            serverVersion: rows[0]?.serverVersion ?? 'unknown',
          },
        };
      } catch {
        return reply.status(503).send({
          status: 'degraded' as const,
          version: app.deps.version,
          database: { status: 'down' as const, latencyMs: Math.round(performance.now() - started) },
        });
      }
    },
  );

  // The cheapest answer the server can give: what load balancers poll, and the bench's
  // hello-world baseline (P3) for routes that do real work.
  app.get(
    '/ping',
    {
      schema: {
        tags: ['platform'],
        summary: 'Liveness without touching the database',
        response: { 200: Type.Object({ pong: Type.Literal(true) }), ...standardErrors },
      },
      config: { access: 'public', rateLimit: false },
    },
    async () => ({ pong: true as const }),
  );
}
