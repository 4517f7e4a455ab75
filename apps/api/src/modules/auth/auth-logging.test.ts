import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type AppInstance } from '../../app.js';
import { fixedClock } from '../../platform/clock.js';
import { loggerOptions } from '../../platform/logger.js';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { testPiiCipher } from '../../../test/app.js';
import { FIXTURE_PASSWORD, accountWithSession } from '../../../test/auth.js';
import { FIXTURE_PHONES } from '../../../test/fixtures/sensitive.js';

let database: TestDatabase;
let app: AppInstance;
let logText = '';

beforeAll(async () => {
  database = await createTestDatabase();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString();
      done();
    },
  });
  // The production logger configuration at its most talkative level.
  const logger = pino(loggerOptions('trace'), sink);
  app = await buildApp(
    { db: database.db, clock: fixedClock(new Date()), version: 'test', pii: testPiiCipher() },
    { logger },
  );
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

describe('credentials', () => {
  it('never appear in a log line, even at trace level', async () => {
    await accountWithSession(database.db, 'auditor', { username: 'log.watcher' });
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'log.watcher', password: FIXTURE_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const { token } = login.json<{ token: string }>();
    await app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    await app.inject({ url: '/api/auth/me', cookies: { jineng_session: token } });
    await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'log.watcher', password: 'Wrong-But-Secret-1' },
    });
    await app.inject({
      url: `/api/persons?phone=${FIXTURE_PHONES[0]}&name=${encodeURIComponent('张伟')}&page=1`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(logText).toContain('/api/auth/me');
    expect(logText).toContain('/api/persons?phone=[redacted]&name=[redacted]&page=1');
    expect(logText).not.toContain(FIXTURE_PHONES[0]);
    expect(logText).not.toContain(FIXTURE_PASSWORD);
    expect(logText).not.toContain('Wrong-But-Secret-1');
    expect(logText).not.toContain(token);
  });

  it('are refused in a URL: the login only takes a JSON body', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/auth/login?username=log.watcher&password=${FIXTURE_PASSWORD}`,
    });
    expect(res.statusCode).toBe(405);
  });
});

describe('login rate limit', () => {
  it('answers 429 after 20 attempts a minute from one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '10.9.8.7',
        payload: { username: `nobody-${i}`, password: 'x' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    // A made-up X-Forwarded-For does not buy a fresh allowance (no trusted proxy by default).
    const spoofed = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '10.9.8.7',
      headers: { 'x-forwarded-for': '203.0.113.9' },
      payload: { username: 'nobody', password: 'x' },
    });
    expect(spoofed.statusCode).toBe(429);
    const other = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '10.9.8.8',
      payload: { username: 'nobody', password: 'x' },
    });
    expect(other.statusCode).toBe(401);
  });
});
