import { Type } from 'typebox';
import type { AppInstance } from '../../app.js';
import {
  notFoundError,
  Nullable,
  PageOf,
  PageQuery,
  ProblemRef,
  standardErrors,
} from '../../platform/http.js';
import { requestMeta, requireAuth } from '../auth/auth.access.js';
import { RoleSchema } from '../auth/auth.routes.js';
import * as service from './users.service.js';

const UserSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  regionCode: Nullable(Type.String()),
  unitId: Nullable(Type.String()),
  organisationId: Nullable(Type.String()),
  personId: Nullable(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  mustChangePassword: Type.Boolean(),
  lockedUntil: Nullable(Type.String({ format: 'date-time' })),
  lastLoginAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const denied = { 401: ProblemRef, 403: ProblemRef };

export async function usersRoutes(app: AppInstance) {
  const { db } = app.deps;

  app.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Accounts in your scope (a county administrator sees their region only)',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 64 })),
          role: Type.Optional(RoleSchema),
          ...PageQuery,
        }),
        response: { 200: PageOf(UserSchema), ...denied, ...standardErrors },
      },
      config: { access: { permission: 'users.read' } },
    },
    async (request) => {
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const result = await service.listUsers(db, app.deps.clock, requireAuth(request), {
        q: request.query.q,
        role: request.query.role,
        page,
        pageSize,
      });
      return { ...result, page, pageSize };
    },
  );

  app.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create an account; its initial password is returned once',
        body: Type.Object(
          {
            username: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$' }),
            displayName: Type.String({ minLength: 1, maxLength: 100 }),
            role: RoleSchema,
            regionCode: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6}$' })),
            unitId: Type.Optional(Type.String({ maxLength: 20 })),
            organisationId: Type.Optional(Type.String({ format: 'uuid' })),
            personId: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ user: UserSchema, initialPassword: Type.String() }),
          ...denied,
          409: ProblemRef,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'users.manage' } },
    },
    async (request, reply) => {
      const result = await service.createUser(
        db,
        app.deps.clock,
        requireAuth(request),
        request.body,
        requestMeta(request),
      );
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'One account',
        params: IdParams,
        response: { 200: UserSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'users.read' } },
    },
    async (request) => service.getUser(db, app.deps.clock, requireAuth(request), request.params.id),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Rename, disable or re-enable an account',
        params: IdParams,
        body: Type.Object(
          {
            displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: {
          200: UserSchema,
          ...denied,
          ...notFoundError,
          409: ProblemRef,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'users.manage' } },
    },
    async (request) =>
      service.updateUser(
        db,
        app.deps.clock,
        requireAuth(request),
        request.params.id,
        request.body,
        requestMeta(request),
      ),
  );

  app.post(
    '/users/:id/reset-password',
    {
      schema: {
        tags: ['users'],
        summary: 'Issue a new initial password (shown once) and end the account’s sessions',
        params: IdParams,
        response: {
          200: Type.Object({ initialPassword: Type.String() }),
          ...denied,
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'users.manage' } },
    },
    async (request) =>
      service.resetPassword(
        db,
        app.deps.clock,
        requireAuth(request),
        request.params.id,
        requestMeta(request),
      ),
  );

  app.post(
    '/users/:id/unlock',
    {
      schema: {
        tags: ['users'],
        summary: 'Lift a lockout after wrong passwords',
        params: IdParams,
        response: { 200: UserSchema, ...denied, ...notFoundError, ...standardErrors },
      },
      config: { access: { permission: 'users.manage' } },
    },
    async (request) =>
      service.unlockUser(
        db,
        app.deps.clock,
        requireAuth(request),
        request.params.id,
        requestMeta(request),
      ),
  );
}
