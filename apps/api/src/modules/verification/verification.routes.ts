import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { AppInstance } from '../../app.js';
import { notFoundError, ProblemRef, standardErrors, StringEnum } from '../../platform/http.js';
import { requireAuth } from '../auth/auth.access.js';
import { VC_JWT_MEDIA_TYPE } from './verification.credential.js';
import { ephemeralCredentialKeys } from './verification.keys.js';
import { addressMatcher, CERTIFICATE_NUMBER_PATTERN } from './verification.rules.js';
import { FOUND_TTL_MS, NOT_FOUND_TTL_MS, Verification } from './verification.service.js';

/** Public checks per client address and minute, unless configured (JINENG_VERIFY_RATE_LIMIT). */
export const DEFAULT_VERIFY_RATE_LIMIT = 120;

const PublicCertificateSchema = Type.Object({
  number: Type.String({ examples: ['S000041000001264000123'] }),
  occupationCode: Type.String({ examples: ['4-03-02-01'] }),
  occupationName: Type.String({ examples: ['中式烹调师'] }),
  level: Type.String({ description: 'skill level name', examples: ['四级/中级工'] }),
  specialAbilityName: Type.Optional(Type.String({ description: '专项职业能力 only' })),
  issuer: Type.String({ description: 'the evaluation institution' }),
  issuedOn: Type.String({ format: 'date' }),
  holderNameMasked: Type.String({ examples: ['张*明'] }),
  revokedOn: Type.Optional(Type.String({ format: 'date' })),
  revocationReason: Type.Optional(Type.String()),
});

const VerifyAnswerSchema = Type.Object({
  result: StringEnum(['valid', 'revoked', 'not_found'] as const),
  certificate: Type.Optional(PublicCertificateSchema),
});

const JwksSchema = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.Literal('OKP'),
      crv: Type.Literal('Ed25519'),
      x: Type.String(),
      kid: Type.String({ description: 'RFC 7638 thumbprint' }),
      use: Type.Literal('sig'),
      alg: Type.Literal('EdDSA'),
    }),
  ),
});

const VcJwtResponse = (description: string) => ({
  description,
  content: { [VC_JWT_MEDIA_TYPE]: { schema: Type.String({ description: 'compact JWS' }) } },
});

/** Public documents anyone may fetch from any origin (offline verifiers, wallets, browsers). */
function publicDocument(reply: FastifyReply, maxAgeSeconds: number): void {
  reply.header('Cache-Control', `public, max-age=${maxAgeSeconds}`);
  reply.header('Access-Control-Allow-Origin', '*');
  reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
}

/**
 * Certificate verification (R-EVL-3): the public check by number and name, each certificate's
 * verifiable credential, the issuer keys (JWKS) and the revocation status list. Registered at the
 * root, not under /api, because the JWKS lives at /.well-known/jwks.json.
 */
export async function verificationRoutes(app: AppInstance) {
  // Without configured keys (tests), one random key per process.
  const keys = app.deps.credentialKeys ?? (await ephemeralCredentialKeys());
  const verification = new Verification({
    db: app.deps.db,
    clock: app.deps.clock,
    publicUrl: (app.deps.publicUrl ?? 'http://localhost:3000').replace(/\/+$/, ''),
    keys,
  });
  app.addHook('onClose', async () => verification.close());
  const jwks = {
    keys: keys.jwks.map((jwk) => ({
      kty: 'OKP' as const,
      crv: 'Ed25519' as const,
      x: jwk.x ?? '',
      kid: jwk.kid ?? '',
      use: 'sig' as const,
      alg: 'EdDSA' as const,
    })),
  };

  const limit = app.deps.verifyRateLimit ?? { max: DEFAULT_VERIFY_RATE_LIMIT, allow: [] };
  const exempt = addressMatcher(limit.allow);

  app.get(
    '/api/public/certificates/verify',
    {
      schema: {
        tags: ['verification'],
        summary:
          'Check a certificate by its number and the holder’s exact name (在线查询; no login, ' +
          'rate-limited per client; cached up to 60 s)',
        querystring: Type.Object({
          no: Type.String({
            pattern: CERTIFICATE_NUMBER_PATTERN,
            description: 'certificate number',
          }),
          name: Type.String({ minLength: 1, maxLength: 64, description: 'holder’s full name' }),
        }),
        response: { 200: VerifyAnswerSchema, ...standardErrors },
      },
      config: {
        access: 'public',
        rateLimit:
          limit.max === 0
            ? false
            : {
                max: limit.max,
                timeWindow: '1 minute',
                allowList: (request) => exempt(request.ip),
              },
      },
    },
    async (request, reply) => {
      const answer = await verification.verify(request.query.no, request.query.name);
      const ttl = answer.result === 'not_found' ? NOT_FOUND_TTL_MS : FOUND_TTL_MS;
      reply.header('Cache-Control', `public, max-age=${ttl / 1000}`);
      return answer;
    },
  );

  app.get(
    '/api/certificates/:id/credential',
    {
      schema: {
        tags: ['verification'],
        summary:
          'The certificate as a W3C Verifiable Credential 2.0 (Open Badges 3.0), a JWT signed ' +
          'with Ed25519 (application/vc+jwt); keys at /.well-known/jwks.json',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: {
          200: VcJwtResponse('compact JWS of the credential'),
          401: ProblemRef,
          403: ProblemRef,
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: { permission: 'certificates.credential' } },
    },
    async (request, reply) => {
      const jwt = await verification.credential(requireAuth(request), request.params.id);
      reply.header('Cache-Control', 'private, no-store');
      return reply.type(VC_JWT_MEDIA_TYPE).send(jwt);
    },
  );

  app.get(
    '/api/public/status-lists/revocation/:list',
    {
      schema: {
        tags: ['verification'],
        summary:
          'The revocation Bitstring Status List credential (application/vc+jwt), named in each ' +
          'credential’s credentialStatus; rebuilt at most 60 s after a change',
        params: Type.Object({ list: Type.String({ pattern: '^[0-9]{1,6}$' }) }),
        response: {
          200: VcJwtResponse('compact JWS of the BitstringStatusListCredential'),
          ...notFoundError,
          ...standardErrors,
        },
      },
      config: { access: 'public' },
    },
    async (request, reply) => {
      const jwt = await verification.revocationList(request.params.list);
      publicDocument(reply, 30);
      return reply.type(VC_JWT_MEDIA_TYPE).send(jwt);
    },
  );

  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['verification'],
        summary: 'The public keys that sign certificates’ credentials and status lists',
        response: { 200: JwksSchema, 500: ProblemRef },
      },
      config: { access: 'public' },
    },
    async (_request, reply) => {
      publicDocument(reply, 300);
      return jwks;
    },
  );
}
