import { sql } from 'kysely';
import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';

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
}
