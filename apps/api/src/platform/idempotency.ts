import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppInstance } from '../app.js';
import type { Db } from './db.js';
import { DomainError } from './errors.js';

/*
 * Idempotency-Key for POST routes that opt in with `config: { idempotent: true }`. A client that
 * retries (a dropped connection, a double tap on a phone) sends the same key and gets the first
 * answer again, status and body, without the write happening twice. Keys belong to the
 * authenticated user and live 24 hours. The key is taken before the handler runs, in its own
 * statement, so a concurrent duplicate finds it and is told 409 instead of racing the first.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** POST routes that replay the first answer for a repeated `Idempotency-Key`. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency: { userId: string; key: string; replayed: boolean } | null;
  }
}

/** Keys are kept, and answers replayed, for this long. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** A key whose first request has not answered after this long is taken to be abandoned. */
const IN_FLIGHT_TIMEOUT_MS = 60_000;
const HEADER = 'idempotency-key';

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function requestHash(request: FastifyRequest): string {
  const url = request.url.split('?')[0] ?? '';
  return createHash('sha256')
    .update(`${request.method} ${url}\n${canonicalJson(request.body ?? null)}`)
    .digest('hex');
}

function keyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers[HEADER];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined || key.length < 1 || key.length > 100) {
    throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key must be 1 to 100 characters', [
      { path: '/headers/idempotency-key', message: 'must be 1 to 100 characters' },
    ]);
  }
  return key;
}

/** Deletes keys older than 24 hours (a daily job). Returns how many went. */
export async function pruneIdempotencyKeys(db: Db, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('idempotencyKeys')
    .where('createdAt', '<', new Date(now.getTime() - IDEMPOTENCY_TTL_MS))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Installs the hooks; call before the routes are registered. */
export function installIdempotency(app: AppInstance): void {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'POST' || !request.routeOptions.config?.idempotent) return;
    const key = keyOf(request);
    const userId = request.auth?.user.id;
    if (key === undefined || userId === undefined) return;
    const { db, clock } = app.deps;
    const now = clock.now();
    const hash = requestHash(request);
    const route = request.routeOptions.url ?? request.url;

    // An expired key, or one whose first request died without answering, is free again.
    await db
      .deleteFrom('idempotencyKeys')
      .where('userId', '=', userId)
      .where('key', '=', key)
      .where((eb) =>
        eb.or([
          eb('createdAt', '<', new Date(now.getTime() - IDEMPOTENCY_TTL_MS)),
          eb.and([
            eb('statusCode', 'is', null),
            eb('createdAt', '<', new Date(now.getTime() - IN_FLIGHT_TIMEOUT_MS)),
          ]),
        ]),
      )
      .execute();
    const taken = await db
      .insertInto('idempotencyKeys')
      .values({ userId, key, method: request.method, route, requestHash: hash, createdAt: now })
      .onConflict((oc) => oc.columns(['userId', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (taken) {
      request.idempotency = { userId, key, replayed: false };
      return;
    }

    const first = await db
      .selectFrom('idempotencyKeys')
      // As text: the CamelCasePlugin would rename the keys of a jsonb answer (high_skilled).
      .select(['requestHash', 'statusCode', 'contentType'])
      .select(sql<string | null>`response_body::text`.as('responseBody'))
      .where('userId', '=', userId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!first) {
      throw new DomainError(
        'IDEMPOTENCY_IN_FLIGHT',
        'This Idempotency-Key is being released; retry',
      );
    }
    if (first.requestHash !== hash) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for a different request',
        [{ path: '/headers/idempotency-key', message: 'already used for a different request' }],
      );
    }
    if (first.statusCode === null) {
      throw new DomainError(
        'IDEMPOTENCY_IN_FLIGHT',
        'A request with this Idempotency-Key is still being processed',
      );
    }
    request.idempotency = { userId, key, replayed: true };
    reply.header('idempotent-replayed', 'true');
    if (first.contentType) reply.type(first.contentType);
    const body: unknown = first.responseBody === null ? null : JSON.parse(first.responseBody);
    return reply.status(first.statusCode).send(body);
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const held = request.idempotency;
    if (!held || held.replayed) return payload;
    const target = app.deps.db
      .updateTable('idempotencyKeys')
      .where('userId', '=', held.userId)
      .where('key', '=', held.key);
    let body: unknown;
    try {
      body = typeof payload === 'string' ? JSON.parse(payload) : undefined;
    } catch {
      body = undefined;
    }
    // A server error, or an answer that is not JSON, is not worth replaying: free the key.
    if (reply.statusCode >= 500 || body === undefined) {
      await app.deps.db
        .deleteFrom('idempotencyKeys')
        .where('userId', '=', held.userId)
        .where('key', '=', held.key)
        .execute();
      return payload;
    }
    const contentType = reply.getHeader('content-type');
    await target
      .set({
        statusCode: reply.statusCode,
        responseBody: JSON.stringify(body),
        contentType: typeof contentType === 'string' ? contentType : null,
      })
      .execute();
    return payload;
  });
}
