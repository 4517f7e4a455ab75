import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testPiiCipher, type TestApp } from '../../test/app.js';
import { buildApp, type AppInstance } from '../app.js';
import { fixedClock } from './clock.js';
import { DomainError } from './errors.js';

let t: TestApp;
let app: AppInstance;

beforeAll(async () => {
  t = await createTestApp();
  // A scratch app with routes that exercise every error path, on the same real database.
  app = await buildApp({
    db: t.db,
    clock: fixedClock('2026-01-01T00:00:00Z'),
    version: 'test',
    pii: testPiiCipher(),
  });
  app.post(
    '/api/echo',
    {
      config: { access: 'public' },
      schema: {
        body: Type.Object(
          { name: Type.String({ minLength: 1 }), age: Type.Integer({ minimum: 0 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => request.body,
  );
  const open = { config: { access: 'public' as const } };
  app.get('/api/conflict', open, async () => {
    throw new DomainError('CONFLICT', 'The voucher is already bound', [
      { path: '/body/voucherId', message: 'already bound' },
    ]);
  });
  app.get('/api/things/:id', open, async () => ({}));
  app.get('/api/boom', open, async () => {
    throw new Error('connection string postgres://secret@db leaked?');
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await t.close();
});

function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ status, code });
  expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'errors', 'status', 'title', 'type']);
  return body;
}

describe('problem+json', () => {
  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "张三",',
    });
    expectProblem(res, 400, 'MALFORMED_JSON');
  });

  it('answers an empty JSON body with 400', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/echo',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expectProblem(res, 400, 'MALFORMED_JSON');
  });

  it('names every wrong field with its path', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/echo',
      payload: { name: '', age: 'old', extra: 1 },
    });
    const body = expectProblem(res, 400, 'VALIDATION_FAILED');
    const paths = (body.errors as Array<{ path: string }>).map((e) => e.path).sort();
    expect(paths).toEqual(['/body/age', '/body/extra', '/body/name']);
  });

  it('names a missing field', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/echo', payload: { name: '李四' } });
    const body = expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(body.errors).toEqual([
      { path: '/body/age', message: "must have required property 'age'" },
    ]);
  });

  it('refuses an oversized body with 413', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), age: 1 }),
    });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses an unsupported content type with 415', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/echo',
      headers: { 'content-type': 'application/x-yaml' },
      payload: 'name: x',
    });
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nope' });
    const body = expectProblem(res, 404, 'ROUTE_NOT_FOUND');
    expect(body.detail).toBe('No route GET /api/nope');
  });

  it('answers a wrong method on a known path with 405 and Allow', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/api/units' });
    expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('maps a DomainError to its status with field errors', async () => {
    const res = await app.inject({ url: '/api/conflict' });
    const body = expectProblem(res, 409, 'CONFLICT');
    expect(body).toMatchObject({
      title: 'Conflict',
      detail: 'The voucher is already bound',
      errors: [{ path: '/body/voucherId', message: 'already bound' }],
    });
  });

  it('never leaks internals in a 500', async () => {
    const res = await app.inject({ url: '/api/boom' });
    const body = expectProblem(res, 500, 'INTERNAL');
    expect(JSON.stringify(body)).not.toContain('secret');
  });

  it('answers a malformed percent-encoding in a path parameter with 400, not 500', async () => {
    const res = await app.inject({ url: '/api/things/%E4%B8' });
    expectProblem(res, 400, 'BAD_REQUEST');
  });

  it('tolerates a malformed percent-encoding in the query string', async () => {
    const res = await app.inject({ url: '/api/occupations?q=%E4%B8' });
    expect(res.statusCode).toBe(200);
  });
});
