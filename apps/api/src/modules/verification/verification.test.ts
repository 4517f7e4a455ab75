import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { buildApp, type AppInstance } from '../../app.js';
import { fixedClock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { uuidv7 } from '../../platform/ids.js';
import { maskIdNumber } from '../../platform/crypto/index.js';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { testPiiCipher } from '../../../test/app.js';
import {
  accountWithSession,
  insertBareOrganisation,
  insertBarePerson,
} from '../../../test/auth.js';
import { FIXTURE_ID_NUMBERS } from '../../../test/fixtures/sensitive.js';
import { invalidateCertificateCache } from './verification.cache.js';
import { decodeStatusList, MIN_STATUS_LIST_BITS, statusBit } from './verification.rules.js';

const PUBLIC_URL = 'https://jineng.example.test';
const STATUS_LIST_URL = `${PUBLIC_URL}/api/public/status-lists/revocation/1`;
/** The evaluation institution of the default evaluation_staff test account (test/auth.ts). */
const EVAL_ORG = '0193a0a0-0000-7000-8000-000000000002';
const FULL_ID = FIXTURE_ID_NUMBERS[0];
const MASKED_ID = maskIdNumber(FULL_ID);
const LIMITED_CLIENT = '192.0.2.7';
const EXEMPT_CLIENT = '10.1.2.3';

let database: TestDatabase;
let app: AppInstance;
const clock = fixedClock('2026-03-15T02:00:00Z');
let serial = 0;

interface BareCertificate {
  id: string;
  number: string;
  personId: string;
  statusListIndex: number;
}

/**
 * A certificate row made directly in the database (the certificates module issues them from
 * evaluation results; verification only reads them): 中式烹调师 四级/中级工 by `organisationId`.
 */
async function insertBareCertificate(
  db: Db,
  options: {
    holderName?: string;
    personId?: string;
    organisationId?: string;
    regionCode?: string;
    revoked?: { at: string; reason: string };
  } = {},
): Promise<BareCertificate> {
  const id = uuidv7();
  serial += 1;
  const number = `S00004100000126${4}${String(serial).padStart(6, '0')}`;
  const personId = options.personId ?? (await insertBarePerson(db, clock.now()));
  const organisationId = options.organisationId ?? EVAL_ORG;
  await insertBareOrganisation(db, 'evaluation_institution', { id: organisationId });
  const row = await db
    .insertInto('certificates')
    .values({
      id,
      number,
      kind: 'skill_level',
      personId,
      occupationCode: '4-03-02-01',
      occupationLevel: 4,
      skillLevelKey: 'level4',
      specialAbilityId: null,
      holderName: options.holderName ?? '张三明',
      holderIdNumberMasked: MASKED_ID,
      organisationId,
      issuerName: '商丘市测试职业技能评价中心',
      issuedOn: '2026-03-01',
      status: options.revoked ? 'revoked' : 'valid',
      revokedAt: options.revoked?.at ?? null,
      revocationReason: options.revoked?.reason ?? null,
      regionCode: options.regionCode ?? '411402',
      createdAt: clock.now(),
      updatedAt: clock.now(),
    })
    .returning('statusListIndex')
    .executeTakeFirstOrThrow();
  return { id, number, personId, statusListIndex: row.statusListIndex };
}

/** What a revocation does to the row; the certificates module's revoke does it with audit. */
async function revoke(db: Db, cert: BareCertificate, reason: string) {
  await db
    .updateTable('certificates')
    .set({ status: 'revoked', revokedAt: '2026-03-15T01:00:00Z', revocationReason: reason })
    .where('id', '=', cert.id)
    .execute();
}

function verifyUrl(no: string, name: string) {
  return `/api/public/certificates/verify?no=${encodeURIComponent(no)}&name=${encodeURIComponent(name)}`;
}

/** An independent verifier: only the published JWKS and a standard JOSE library. */
async function verifierKeys() {
  const res = await app.inject({ url: '/.well-known/jwks.json' });
  expect(res.statusCode).toBe(200);
  return createLocalJWKSet(res.json<JSONWebKeySet>());
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildApp({
    db: database.db,
    clock,
    version: 'test',
    pii: testPiiCipher(),
    publicUrl: `${PUBLIC_URL}/`,
    verifyRateLimit: { max: 3, allow: ['127.0.0.1', '10.0.0.0/8'] },
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

describe('GET /api/public/certificates/verify', () => {
  it('answers valid with the certificate and a masked holder name, without logging in', async () => {
    const cert = await insertBareCertificate(database.db);
    const res = await app.inject({ url: verifyUrl(cert.number, '张三明') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.json()).toEqual({
      result: 'valid',
      certificate: {
        number: cert.number,
        occupationCode: '4-03-02-01',
        occupationName: '中式烹调师',
        level: '四级/中级工',
        issuer: '商丘市测试职业技能评价中心',
        issuedOn: '2026-03-01',
        holderNameMasked: '张*明',
      },
    });
    // The name is compared after trimming what was typed around it.
    const spaced = await app.inject({ url: verifyUrl(cert.number, '  张三明 ') });
    expect(spaced.json().result).toBe('valid');
  });

  it('masks a two-character name to the surname', async () => {
    const cert = await insertBareCertificate(database.db, { holderName: '李四' });
    const res = await app.inject({ url: verifyUrl(cert.number, '李四') });
    expect(res.json().certificate.holderNameMasked).toBe('李*');
  });

  it('answers not_found for a wrong name, exactly as for an unknown number', async () => {
    const cert = await insertBareCertificate(database.db);
    const wrongName = await app.inject({ url: verifyUrl(cert.number, '张三') });
    expect(wrongName.statusCode).toBe(200);
    expect(wrongName.json()).toEqual({ result: 'not_found' });
    expect(wrongName.headers['cache-control']).toBe('public, max-age=10');
    const unknown = await app.inject({ url: verifyUrl('S000041000001264999999', '张三明') });
    expect(unknown.json()).toEqual({ result: 'not_found' });
  });

  it('answers revoked with the date (Shanghai) and the reason', async () => {
    const cert = await insertBareCertificate(database.db, {
      revoked: { at: '2026-03-10T17:30:00Z', reason: '考核舞弊，撤销证书' },
    });
    const res = await app.inject({ url: verifyUrl(cert.number, '张三明') });
    expect(res.json()).toEqual({
      result: 'revoked',
      certificate: expect.objectContaining({
        number: cert.number,
        holderNameMasked: '张*明',
        revokedOn: '2026-03-11',
        revocationReason: '考核舞弊，撤销证书',
      }),
    });
  });

  it('refuses a malformed number with 400 problem+json', async () => {
    for (const no of ['S0000<script>', 'x'.repeat(33), '']) {
      const res = await app.inject({ url: verifyUrl(no, '张三明') });
      expect(res.statusCode, no).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().errors[0].path).toBe('/querystring/no');
    }
    const noName = await app.inject({ url: '/api/public/certificates/verify?no=S1' });
    expect(noName.statusCode).toBe(400);
  });

  it('limits each client to the configured calls a minute, with 429 and Retry-After', async () => {
    const url = verifyUrl('S000041000001264999998', '张三明');
    for (let i = 0; i < 3; i += 1) {
      const res = await app.inject({ url, remoteAddress: LIMITED_CLIENT });
      expect(res.statusCode).toBe(200);
    }
    const limited = await app.inject({ url, remoteAddress: LIMITED_CLIENT });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another client is not affected.
    const other = await app.inject({ url, remoteAddress: '192.0.2.8' });
    expect(other.statusCode).toBe(200);
  });

  it('exempts the configured addresses and blocks (the bench client)', async () => {
    const url = verifyUrl('S000041000001264999997', '张三明');
    for (let i = 0; i < 8; i += 1) {
      const res = await app.inject({ url, remoteAddress: EXEMPT_CLIENT });
      expect(res.statusCode).toBe(200);
    }
  });

  it('serves a number from memory until the certificate changes', async () => {
    const cert = await insertBareCertificate(database.db);
    expect((await app.inject({ url: verifyUrl(cert.number, '张三明') })).json().result).toBe(
      'valid',
    );
    await revoke(database.db, cert, '证书信息有误');
    // Still the cached answer: the row changed behind the certificates module's back.
    expect((await app.inject({ url: verifyUrl(cert.number, '张三明') })).json().result).toBe(
      'valid',
    );
    invalidateCertificateCache(cert.number);
    expect((await app.inject({ url: verifyUrl(cert.number, '张三明') })).json().result).toBe(
      'revoked',
    );
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('publishes the Ed25519 signing key as a JWK, to any origin', async () => {
    const res = await app.inject({ url: '/.well-known/jwks.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const { keys } = res.json();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      use: 'sig',
      alg: 'EdDSA',
    });
    expect(keys[0]).not.toHaveProperty('d');
  });
});

describe('GET /api/certificates/:id/credential', () => {
  let cert: BareCertificate;
  let holderHeaders: { authorization: string };

  beforeAll(async () => {
    const personId = await insertBarePerson(database.db, clock.now());
    cert = await insertBareCertificate(database.db, { personId });
    holderHeaders = (
      await accountWithSession(database.db, 'worker', { now: clock.now(), anchors: { personId } })
    ).headers;
  });

  it('gives the holder a JWT-secured VC that an independent verifier accepts', async () => {
    const res = await app.inject({
      url: `/api/certificates/${cert.id}/credential`,
      headers: holderHeaders,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    const jwt = res.body;
    expect(jwt.split('.')).toHaveLength(3);

    const keys = await verifierKeys();
    const { payload, protectedHeader } = await jwtVerify(jwt, keys, {
      typ: 'vc+jwt',
      algorithms: ['EdDSA'],
    });
    const jwks = (await app.inject({ url: '/.well-known/jwks.json' })).json();
    expect(protectedHeader).toEqual({ alg: 'EdDSA', typ: 'vc+jwt', kid: jwks.keys[0].kid });

    const issuerId = `${PUBLIC_URL}/issuers/${EVAL_ORG}`;
    expect(payload).toMatchObject({
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      id: `urn:uuid:${cert.id}`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: issuerId, type: ['Profile'], name: '商丘市测试职业技能评价中心' },
      validFrom: '2026-03-01T00:00:00+08:00',
      iss: issuerId,
      jti: `urn:uuid:${cert.id}`,
      credentialSubject: {
        type: ['AchievementSubject'],
        identifier: [
          { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: '张三明' },
          {
            type: 'IdentityObject',
            identityType: 'ext:maskedNationalIdNumber',
            hashed: false,
            identityHash: MASKED_ID,
          },
        ],
        licenseNumber: cert.number,
        achievement: {
          id: `${PUBLIC_URL}/achievements/4-03-02-01/level4`,
          type: ['Achievement'],
          achievementType: 'Certificate',
          name: '中式烹调师（四级/中级工）',
          humanCode: '4-03-02-01',
          criteria: { narrative: expect.stringContaining('职业技能等级认定') },
        },
      },
      credentialStatus: {
        id: `${STATUS_LIST_URL}#${cert.statusListIndex}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(cert.statusListIndex),
        statusListCredential: STATUS_LIST_URL,
      },
    });
    // Never the full ID number, nor its digits hidden behind the mask, anywhere in the token.
    const decoded = jwt
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('utf8'))
      .join('\n');
    expect(decoded).not.toContain(FULL_ID);
    expect(decoded).not.toContain(FULL_ID.slice(6, 14));
    expect(decoded).toContain(MASKED_ID);
    expect(decodeProtectedHeader(jwt).kid).toBe(jwks.keys[0].kid);
  });

  it('rejects a tampered credential', async () => {
    const jwt = (
      await app.inject({ url: `/api/certificates/${cert.id}/credential`, headers: holderHeaders })
    ).body;
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const claims = Buffer.from(payload, 'base64url').toString('utf8').replace('张三明', '王三明');
    const forged = `${header}.${Buffer.from(claims).toString('base64url')}.${signature}`;
    await expect(jwtVerify(forged, await verifierKeys())).rejects.toThrow(/signature/);
    // One flipped character in the encoded payload.
    const flipped = payload.slice(0, 10) + (payload[10] === 'A' ? 'B' : 'A') + payload.slice(11);
    await expect(
      jwtVerify(`${header}.${flipped}.${signature}`, await verifierKeys()),
    ).rejects.toThrow();
  });

  it('answers 404 outside the caller’s scope and 403 to roles without the permission', async () => {
    const url = `/api/certificates/${cert.id}/credential`;
    const as = async (role: Parameters<typeof accountWithSession>[1], anchors?: object) =>
      (
        await app.inject({
          url,
          headers: (
            await accountWithSession(database.db, role, {
              now: clock.now(),
              ...(anchors ? { anchors: anchors as Record<string, string> } : {}),
            })
          ).headers,
        })
      ).statusCode;
    expect(await as('worker')).toBe(404);
    expect(await as('evaluation_staff')).toBe(200);
    const otherOrg = await insertBareOrganisation(database.db, 'evaluation_institution');
    expect(await as('evaluation_staff', { organisationId: otherOrg })).toBe(404);
    expect(await as('county_admin', { regionCode: '411402' })).toBe(200);
    expect(await as('county_admin', { regionCode: '411403' })).toBe(404);
    expect(await as('city_admin')).toBe(200);
    expect(await as('auditor')).toBe(200);
    expect(await as('training_staff')).toBe(403);
    expect((await app.inject({ url })).statusCode).toBe(401);
  });
});

describe('GET /api/public/status-lists/revocation/1', () => {
  async function statusList() {
    const res = await app.inject({ url: '/api/public/status-lists/revocation/1' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    const { payload, protectedHeader } = await jwtVerify(res.body, await verifierKeys(), {
      typ: 'vc+jwt',
    });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload).toMatchObject({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: STATUS_LIST_URL,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: PUBLIC_URL,
      credentialSubject: {
        id: `${STATUS_LIST_URL}#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
      },
    });
    const subject = payload.credentialSubject as { encodedList: string };
    expect(subject.encodedList.startsWith('u')).toBe(true);
    return decodeStatusList(subject.encodedList);
  }

  it('flips the certificate’s bit and the public answer when it is revoked', async () => {
    const cert = await insertBareCertificate(database.db, { holderName: '王小明' });
    const before = await statusList();
    expect(before.length * 8).toBe(MIN_STATUS_LIST_BITS);
    expect(statusBit(before, cert.statusListIndex)).toBe(false);
    expect((await app.inject({ url: verifyUrl(cert.number, '王小明') })).json().result).toBe(
      'valid',
    );

    await revoke(database.db, cert, '证书信息有误');
    invalidateCertificateCache(cert.number);

    const after = await statusList();
    expect(statusBit(after, cert.statusListIndex)).toBe(true);
    // Certificates revoked earlier in this file are set too; nothing else is.
    const revoked = await database.db
      .selectFrom('certificates')
      .select('statusListIndex')
      .where('status', '=', 'revoked')
      .execute();
    const setBits = [...Array(after.length * 8).keys()].filter((i) => statusBit(after, i));
    expect(setBits).toEqual(revoked.map((r) => r.statusListIndex).sort((a, b) => a - b));
    const answer = (await app.inject({ url: verifyUrl(cert.number, '王小明') })).json();
    expect(answer.result).toBe('revoked');
    expect(answer.certificate.revocationReason).toBe('证书信息有误');
  });

  it('answers 404 for a list that does not exist', async () => {
    const res = await app.inject({ url: '/api/public/status-lists/revocation/2' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });
});
