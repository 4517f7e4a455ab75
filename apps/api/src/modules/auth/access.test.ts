import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { accountWithSession, type TestAccount } from '../../../test/auth.js';
import { PERMISSIONS, ROLES, type Role } from '../../platform/auth/roles.js';

let t: TestApp;
const accounts = new Map<Role, TestAccount>();

beforeAll(async () => {
  t = await createTestApp();
  for (const role of ROLES) {
    accounts.set(role, await accountWithSession(t.db, role, { now: t.clock.now() }));
  }
});
afterAll(async () => {
  await t.close();
});

/** A concrete URL for a route pattern: parameters get a well-formed id that matches nothing. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z]+/g, '00000000-0000-7000-8000-000000000000');
}

describe('the role × endpoint table', () => {
  it('declares access on every API route', () => {
    expect(t.app.routeAccess.length).toBeGreaterThan(10);
    for (const route of t.app.routeAccess)
      expect(route.access, `${route.method} ${route.url}`).toBeDefined();
  });

  it('answers 401 to anyone without a session on every non-public route', async () => {
    for (const route of t.app.routeAccess.filter((r) => r.access !== 'public')) {
      const res = await t.app.inject({ method: route.method as 'GET', url: concrete(route.url) });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.json().code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers 403 FORBIDDEN to every role without the permission, and lets the others in', async () => {
    const checked: string[] = [];
    for (const route of t.app.routeAccess) {
      const access = route.access;
      if (typeof access !== 'object') continue;
      const allowed = PERMISSIONS[access.permission] as readonly Role[];
      for (const role of ROLES) {
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers: accounts.get(role)?.headers,
        });
        const where = `${role} ${route.method} ${route.url}`;
        if (allowed.includes(role)) {
          expect([401, 403], where).not.toContain(res.statusCode);
        } else {
          expect(res.statusCode, where).toBe(403);
          expect(res.json().code, where).toBe('FORBIDDEN');
        }
        checked.push(where);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(6 * ROLES.length);
  });

  it('lets every role reach the public routes and its own account', async () => {
    for (const role of ROLES) {
      const headers = accounts.get(role)?.headers;
      expect((await t.app.inject({ url: '/api/units', headers })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/api/auth/me', headers })).json().role).toBe(role);
    }
  });
});
