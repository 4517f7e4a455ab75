import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppInstance } from '../../app.js';
import { DomainError } from '../../platform/errors.js';
import { hasPermission, type Access } from '../../platform/auth/roles.js';
import { authenticate, type AuthContext, type RequestMeta } from './auth.service.js';

export const SESSION_COOKIE = 'jineng_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every route under /api must say (see roles.ts). */
    access?: Access;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    /** Every API route with its declared access: read by the role × endpoint tests. */
    routeAccess: { method: string; url: string; access: Access }[];
  }
}

function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return request.cookies[SESSION_COOKIE];
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  const agent = request.headers['user-agent'];
  return { requestId: request.id, ip: request.ip || null, userAgent: agent ?? null };
}

/** The caller, or 401: for handlers of routes that are not public. */
export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new DomainError('UNAUTHENTICATED', 'Log in first');
  return request.auth;
}

/**
 * Resolves the session of every request and enforces each route's declared access before the
 * body is even parsed: 401 without a valid session, 403 without the permission, and 403
 * PASSWORD_CHANGE_REQUIRED while an initial password has not been replaced.
 */
export function installAccessControl(app: AppInstance): void {
  app.decorateRequest('auth', null);
  app.decorate('routeAccess', []);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.method === 'HEAD') return;
    const access = route.config?.access;
    if (!access) {
      throw new Error(`Route ${String(route.method)} ${route.url} must declare config.access`);
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) app.routeAccess.push({ method, url: route.url, access });
  });

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config?.access;
    if (!access) return;
    const token = tokenOf(request);
    request.auth = token ? await authenticate(app.deps.db, app.deps.clock, token) : null;
    if (access === 'public') return;
    const auth = requireAuth(request);
    if (access === 'authenticated') return;
    if (auth.user.mustChangePassword) {
      throw new DomainError(
        'PASSWORD_CHANGE_REQUIRED',
        'Change the initial password before doing anything else',
      );
    }
    if (!hasPermission(auth.user.role, access.permission)) {
      throw new DomainError('FORBIDDEN', 'Your role may not do this');
    }
  });
}
