import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import { ProblemRef, notFoundError, standardErrors } from '../../platform/http.js';
import { SESSION_ABSOLUTE_MS } from '../../platform/auth/session.rules.js';
import { SESSION_COOKIE, requestMeta, requireAuth } from './auth.access.js';
import { MeSchema, meOf } from './auth.routes.js';
import { inviteWorker, registerWorker } from './registration.service.js';

export async function registrationRoutes(app: AppInstance) {
  app.post(
    '/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary: 'A worker registers with ID number, name, phone and password, and is logged in',
        body: Type.Object(
          {
            idNumber: Type.String({ minLength: 1, maxLength: 40 }),
            name: Type.String({ minLength: 1, maxLength: 50 }),
            phone: Type.String({ minLength: 1, maxLength: 20 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
            username: Type.Optional(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9._@-]{2,63}$' })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            token: Type.String(),
            expiresAt: Type.String({ format: 'date-time' }),
            user: MeSchema,
          }),
          409: ProblemRef,
          ...standardErrors,
        },
      },
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const result = await registerWorker(
        app.deps.db,
        { pii: app.deps.pii, clock: app.deps.clock },
        request.body,
        requestMeta(request),
        app.deps.passwordPolicy,
      );
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
      });
      return reply.status(201).send({
        token: result.token,
        expiresAt: result.expiresAt.toISOString(),
        user: meOf(result.auth),
      });
    },
  );

  app.post(
    '/persons/:id/invite',
    {
      schema: {
        tags: ['persons'],
        summary: 'Open a worker account for a registered person (initial password shown once)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: {
          201: Type.Object({
            username: Type.String(),
            phoneMasked: Type.Union([Type.String(), Type.Null()]),
            initialPassword: Type.String(),
          }),
          401: ProblemRef,
          403: ProblemRef,
          409: ProblemRef,
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'persons.invite' } },
    },
    async (request, reply) => {
      const result = await inviteWorker(
        app.deps.db,
        { pii: app.deps.pii, clock: app.deps.clock },
        requireAuth(request),
        request.params.id,
        requestMeta(request),
      );
      return reply.status(201).send(result);
    },
  );
}
