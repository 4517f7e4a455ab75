import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { CLIENT_TYPES_FILE, clientTypes } from '../scripts/openapi.js';
import { createTestApp, type TestApp } from '../test/app.js';

interface Operation {
  summary?: string;
  parameters?: Array<{ in: string; name: string; schema: unknown }>;
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}
type OpenApi = { openapi: string; paths: Record<string, Record<string, Operation>> };

let t: TestApp;
let doc: OpenApi;
beforeAll(async () => {
  t = await createTestApp();
  const res = await t.app.inject({ url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json<OpenApi>();
});
afterAll(async () => {
  await t.close();
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3 and lists every public endpoint', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/ping',
        '/api/occupations',
        '/api/plans',
        '/api/regions',
        '/api/skill-levels',
        '/api/units',
      ]),
    );
  });

  it('gives every operation a summary, a success schema and problem+json errors', () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(operation.summary, where).toBeTruthy();
        const success = Object.entries(operation.responses).find(([code]) => code.startsWith('2'));
        expect(success, where).toBeDefined();
        if (success?.[0] !== '204') {
          // JSON, or a signed credential (application/vc+jwt) where a standard demands it.
          const content = success?.[1].content;
          const schema =
            content?.['application/json']?.schema ?? content?.['application/vc+jwt']?.schema;
          expect(schema, where).toBeDefined();
        }
        const errors = Object.entries(operation.responses).filter(([code]) => /^[45]/.test(code));
        expect(errors.length, where).toBeGreaterThan(0);
      }
    }
  });

  it('declares query parameters with their types', () => {
    const params = doc.paths['/api/occupations']?.get?.parameters ?? [];
    expect(params.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'query:level',
      'query:page',
      'query:pageSize',
      'query:q',
    ]);
  });

  it('serves the interactive docs at /docs', async () => {
    const res = await t.app.inject({ url: '/docs/' });
    expect([200, 302]).toContain(res.statusCode);
  });
});

describe('the web client types', () => {
  it('match the routes (else run `npm run gen:api -w @jineng/web` and commit the result)', async () => {
    const committed = await readFile(CLIENT_TYPES_FILE, 'utf8');
    expect(committed === (await clientTypes())).toBe(true);
  });
});
