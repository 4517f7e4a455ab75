import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Db } from './platform/db.js';
import type { Clock } from './platform/clock.js';
import { ProblemSchema, problem, sendError, sendProblem, toProblem } from './platform/errors.js';
import type { PasswordPolicy } from './platform/auth/password-policy.js';
import type { PiiCipher } from './platform/crypto/index.js';
import { installAccessControl } from './modules/auth/auth.access.js';
import { installIdempotency } from './platform/idempotency.js';
import { partAwareValidator } from './platform/validation.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { registrationRoutes } from './modules/auth/registration.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { importsRoutes } from './modules/imports/imports.routes.js';
import { classesRoutes } from './modules/classes/classes.routes.js';
import { organisationsRoutes } from './modules/organisations/organisations.routes.js';
import { personsRoutes } from './modules/persons/persons.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { vouchersRoutes } from './modules/vouchers/vouchers.routes.js';
import { evaluationsRoutes } from './modules/evaluations/evaluations.routes.js';
import { certificatesRoutes } from './modules/certificates/certificates.routes.js';
import { voucherRedemptionRoutes } from './modules/vouchers/vouchers.redeem.routes.js';
import { subsidiesRoutes } from './modules/subsidies/subsidies.routes.js';
import { subsidyPaymentsRoutes } from './modules/subsidies/subsidies.payments.routes.js';
import { employmentRoutes } from './modules/employment/employment.routes.js';
import { referenceRoutes } from './modules/reference/reference.routes.js';
import { verificationRoutes } from './modules/verification/verification.routes.js';
import { activityTrainingsRoutes } from './modules/activity/activity.trainings.routes.js';
import { activityCertificatesRoutes } from './modules/activity/activity.certificates.routes.js';
import { statisticsRoutes } from './modules/statistics/statistics.routes.js';
import { statisticsTargetsRoutes } from './modules/statistics/statistics.targets.routes.js';
import { statisticsReportsRoutes } from './modules/statistics/statistics.reports.routes.js';
import type { CredentialKeys } from './modules/verification/verification.keys.js';

export interface AppDeps {
  db: Db;
  clock: Clock;
  version: string;
  /** Built web app (apps/web/dist) to serve at `/`; omitted in API-only tests. */
  webDir?: string;
  /** Trust X-Forwarded-For for the client address (behind a reverse proxy only). */
  trustProxy?: boolean;
  /** Encrypts, indexes and masks personal data (ID numbers, phones). */
  pii: PiiCipher;
  /** Password rules (JINENG_PASSWORD_MIN_LENGTH / _MIN_CLASSES); the default otherwise. */
  passwordPolicy?: PasswordPolicy;
  /**
   * HMAC key of the rotating session check-in QR (`keys/attendance-qr.key`); without it a random
   * key per process, which suits tests and a single server only.
   */
  attendanceQrKey?: string;
  /**
   * HMAC key of voucher QR tokens (`keys/voucher-qr.key`); without it a random key per process,
   * which suits tests and a single server only.
   */
  voucherQrKey?: string;
  /**
   * This server's public origin (`JINENG_PUBLIC_URL`), used in certificates' credentials (issuer,
   * status list URL); http://localhost:3000 without it.
   */
  publicUrl?: string;
  /**
   * Keys that sign certificates' credentials (`keys/credential-signing-ed25519.pem`); without
   * them a random key per process, which suits tests only.
   */
  credentialKeys?: CredentialKeys;
  /**
   * Public certificate checks per client and minute (0: no limit) and the client addresses or
   * CIDR blocks exempt from it (`JINENG_VERIFY_RATE_LIMIT`, `JINENG_VERIFY_RATE_LIMIT_ALLOW`).
   */
  verifyRateLimit?: { max: number; allow: readonly string[] };
}

export type AppInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

export interface BuildAppOptions {
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
}

/** Request bodies above this are refused with 413 (uploads get their own limit). */
const BODY_LIMIT = 1024 * 1024;

/** Builds the HTTP application: plugins, then API routes under /api, then the web app. */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<AppInstance> {
  const logger = options.logger ?? false;
  const app = Fastify({
    ...(typeof logger === 'object' && 'child' in logger
      ? { loggerInstance: logger as FastifyBaseLogger }
      : { logger: logger as FastifyServerOptions['logger'] }),
    bodyLimit: BODY_LIMIT,
    trustProxy: deps.trustProxy ?? false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
    schemaController: { compilersFactory: { buildValidator: partAwareValidator() } },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Malformed URLs and unparsable requests get problem+json too, not Fastify's default body.
    frameworkErrors: (error, request, reply) => sendProblem(reply, toProblem(error, request)),
    clientErrorHandler: (error, socket) => {
      if (!socket.writable) return;
      const body = JSON.stringify(problem(400, 'BAD_REQUEST', 'The HTTP request is malformed'));
      socket.end(
        'HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json; charset=utf-8\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      void error;
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Route patterns by path, so an unknown method on a known path is 405 with Allow, not 404.
  const routeMethods: { pattern: RegExp; methods: Set<string> }[] = [];
  app.addHook('onRoute', (route) => {
    // The static file catch-all would make every path look like it has GET.
    if (route.url.includes('*')) return;
    const pattern = new RegExp(
      `^${route.url
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/:[^/]+/g, '[^/]+')
        .replace(/\*/g, '.*')}/?$`,
    );
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    routeMethods.push({ pattern, methods: new Set(methods) });
  });
  const allowedMethods = (url: string): string[] => {
    const allowed = new Set<string>();
    for (const route of routeMethods) {
      if (route.pattern.test(url)) route.methods.forEach((m) => allowed.add(m));
    }
    return [...allowed].sort();
  };

  app.decorate('deps', deps);
  app.addSchema(ProblemSchema);

  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));

  await app.register(cookie);
  installAccessControl(app);
  installIdempotency(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // antd writes its styles at run time; swagger-ui needs inline styles too.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // The app runs on plain http://localhost too; HSTS belongs to the TLS terminator.
    strictTransportSecurity: false,
  });
  await app.register(rateLimit, {
    global: true,
    // The API only: the web app's own script and style files must never be refused.
    allowList: (request) => !request.url.startsWith('/api/'),
    max: 600,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) => ({
      ...problem(429, 'RATE_LIMITED', `Too many requests; try again in ${context.after}`),
      statusCode: 429,
    }),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Jineng (技能) API',
        version: deps.version,
        description:
          'The everyone-holds-a-certificate skills programme: registries, vouchers, training, ' +
          'evaluation, certificates, subsidies and targets. Errors are RFC 9457 problem+json.',
      },
      tags: [
        { name: 'platform', description: 'Health and operations' },
        { name: 'reference', description: 'Public reference catalogs' },
        { name: 'auth', description: 'Login, sessions and your own account' },
        { name: 'users', description: 'Account management (administrators)' },
        { name: 'audit', description: 'The tamper-evident audit trail (auditors)' },
        { name: 'persons', description: 'The real-name person registry (实名制)' },
        {
          name: 'organisations',
          description:
            'Training and evaluation institutions (sites, approved scopes), employers, HR agencies',
        },
        { name: 'imports', description: 'Bulk imports of rosters from Excel/CSV, with reports' },
        {
          name: 'classes',
          description: 'Training classes: filing, approval, trainees, attendance, completion',
        },
        {
          name: 'vouchers',
          description: 'Electronic training vouchers (职业培训券): issue, apply, bind, cancel',
        },
        {
          name: 'evaluations',
          description:
            'Skill evaluation (鉴定评价): sessions inside approved scopes, candidates, scores, ' +
            'submission, sampling; the 专项职业能力 catalogue and pass marks',
        },
        {
          name: 'certificates',
          description: 'Certificates issued on a pass: list, detail, revocation',
        },
        {
          name: 'verification',
          description:
            'Certificate verification: the public check, verifiable credentials (vc+jwt), ' +
            'issuer keys (JWKS) and the revocation status list',
        },
        {
          name: 'subsidies',
          description: 'Subsidy claims (补贴申领): training claims from redeemed vouchers',
        },
        {
          name: 'payments',
          description:
            'Paying approved claims (支付): batches per fund and payer, bank files, results, ' +
            'clawback repayments',
        },
      ],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: false });

  await app.register(
    async (api) => {
      api.get(
        '/openapi.json',
        { schema: { hide: true }, config: { access: 'public', rateLimit: false } },
        async () => app.swagger(),
      );
      await api.register(healthRoutes);
      await api.register(referenceRoutes);
      await api.register(authRoutes);
      await api.register(usersRoutes);
      await api.register(auditRoutes);
      await api.register(personsRoutes);
      await api.register(registrationRoutes);
      await api.register(organisationsRoutes);
      await api.register(importsRoutes);
      await api.register(classesRoutes);
      await api.register(vouchersRoutes);
      await api.register(evaluationsRoutes);
      await api.register(certificatesRoutes);
      await api.register(voucherRedemptionRoutes);
      await api.register(subsidiesRoutes);
      await api.register(subsidyPaymentsRoutes);
      await api.register(employmentRoutes);
      await api.register(activityTrainingsRoutes);
      await api.register(activityCertificatesRoutes);
      await api.register(statisticsRoutes);
      await api.register(statisticsTargetsRoutes);
      await api.register(statisticsReportsRoutes);
    },
    { prefix: '/api' },
  );
  // Full paths inside: /api/public/certificates/verify, …, and /.well-known/jwks.json.
  await app.register(verificationRoutes);

  const webDir = deps.webDir;
  const serveWeb = webDir !== undefined && existsSync(path.join(webDir, 'index.html'));
  if (serveWeb) {
    // wildcard: files are looked up per request, so a rebuilt web app is served without a restart;
    // a missing file falls through to the not-found handler below (index.html for app routes).
    await app.register(fastifyStatic, { root: webDir, wildcard: true, index: ['index.html'] });
  }

  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    const isApi = url === '/api' || url.startsWith('/api/');
    // Client-side routes of the single-page app get its index.html.
    if (serveWeb && !isApi && request.method === 'GET' && !path.extname(url)) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    const allowed = allowedMethods(url);
    if (allowed.length > 0) {
      reply.header('Allow', allowed.join(', '));
      return sendProblem(
        reply,
        problem(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${url}`),
      );
    }
    return sendProblem(reply, problem(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${url}`));
  });

  return app;
}
