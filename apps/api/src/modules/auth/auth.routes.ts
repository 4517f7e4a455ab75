import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import { ProblemRef, standardErrors } from '../../platform/http.js';
import { ROLES, type Role } from '../../platform/auth/roles.js';
import { SESSION_ABSOLUTE_MS } from '../../platform/auth/session.rules.js';
import { SESSION_COOKIE, requestMeta, requireAuth } from './auth.access.js';
import * as service from './auth.service.js';

export const RoleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] });

const ScopeSchema = Type.Union([
  Type.Object({ kind: Type.Literal('city') }),
  Type.Object({ kind: Type.Literal('region'), regionCode: Type.String() }),
  Type.Object({ kind: Type.Literal('unit'), unitId: Type.String() }),
  Type.Object({ kind: Type.Literal('organisation'), organisationId: Type.String() }),
  Type.Object({ kind: Type.Literal('person'), personId: Type.String() }),
]);

export const MeSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  scope: ScopeSchema,
  permissions: Type.Array(Type.String()),
  mustChangePassword: Type.Boolean(),
});

/** The caller as `GET /api/auth/me` shows them. */
export function meOf(auth: service.AuthContext) {
  return {
    id: auth.user.id,
    username: auth.user.username,
    displayName: auth.user.displayName,
    role: auth.user.role,
    scope: auth.scope,
    permissions: auth.permissions,
    mustChangePassword: auth.user.mustChangePassword,
  };
}

export async function authRoutes(app: AppInstance) {
  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password: sets the session cookie and returns a token',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            token: Type.String({ description: 'bearer token for API clients' }),
            expiresAt: Type.String({ format: 'date-time' }),
            user: MeSchema,
          }),
          401: ProblemRef,
          423: ProblemRef,
          ...standardErrors,
        },
      },
      config: {
        access: 'public',
        // Per client address, on top of the per-account lockout.
        rateLimit: { max: 20, timeWindow: '1 minute' },
      },
    },
    async (request, reply) => {
      const result = await service.login(
        app.deps.db,
        app.deps.clock,
        request.body,
        requestMeta(request),
        app.deps.pii,
      );
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
      });
      return {
        token: result.token,
        expiresAt: result.expiresAt.toISOString(),
        user: meOf(result.auth),
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the current session',
        response: { 204: Type.Null(), 401: ProblemRef, ...standardErrors },
      },
      config: { access: 'authenticated' },
    },
    async (request, reply) => {
      await service.logout(app.deps.db, app.deps.clock, requireAuth(request), requestMeta(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The logged-in account, its role, scope and permissions',
        response: { 200: MeSchema, 401: ProblemRef, ...standardErrors },
      },
      config: { access: 'authenticated' },
    },
    async (request) => meOf(requireAuth(request)),
  );

  app.post(
    '/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (required after an initial password)',
        body: Type.Object(
          {
            currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
            newPassword: Type.String({ minLength: 1, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), 401: ProblemRef, ...standardErrors },
      },
      config: { access: 'authenticated', rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      await service.changePassword(
        app.deps.db,
        app.deps.clock,
        requireAuth(request),
        request.body,
        requestMeta(request),
        app.deps.passwordPolicy,
      );
      return reply.status(204).send(null);
    },
  );
}
