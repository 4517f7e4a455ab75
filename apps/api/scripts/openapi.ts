/**
 * The API's OpenAPI document without a database or a running server (the app is built in-process,
 * routes and schemas only, and asked for /api/openapi.json), and the web client's types generated
 * from it. `npm run gen:api -w @jineng/web` writes apps/web/src/api/schema.d.ts; openapi.test.ts
 * fails when the committed file has drifted from the routes.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import { buildApp } from '../src/app.js';
import { fixedClock } from '../src/platform/clock.js';
import { randomBytes } from 'node:crypto';
import { PiiCipher, PiiKeys } from '../src/platform/crypto/index.js';
import { createDb } from '../src/platform/db.js';

export async function openApiDocument(): Promise<string> {
  // Never connected: building the routes and the document runs no query.
  const db = createDb({ url: 'postgres://openapi@127.0.0.1:1/none' });
  const app = await buildApp({
    db,
    clock: fixedClock('2026-01-01T00:00:00Z'),
    version: 'openapi',
    pii: new PiiCipher(
      PiiKeys.of({
        current: { id: 'openapi', key: randomBytes(32) },
        index: randomBytes(32),
        source: 'memory',
      }),
    ),
  });
  try {
    await app.ready();
    const response = await app.inject({ url: '/api/openapi.json' });
    if (response.statusCode !== 200) throw new Error(`openapi.json: ${response.statusCode}`);
    return response.body;
  } finally {
    await app.close();
    await db.destroy();
  }
}

/** The TypeScript types of the API for openapi-fetch, as the openapi-typescript CLI writes them. */
export async function clientTypes(): Promise<string> {
  const document = JSON.parse(await openApiDocument()) as OpenAPI3;
  return `${COMMENT_HEADER}${astToString(await openapiTS(document, { silent: true }))}`;
}

/** Where the web client keeps the generated types. */
export const CLIENT_TYPES_FILE = fileURLToPath(
  new URL('../../web/src/api/schema.d.ts', import.meta.url),
);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(CLIENT_TYPES_FILE, await clientTypes());
  process.stdout.write(`written ${CLIENT_TYPES_FILE}\n`);
}
