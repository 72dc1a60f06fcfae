import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { JSONWebKeySet, JWK } from 'jose';

import { AppError } from './errors.js';
import { auditEntryFor, mongooseAuditSink, type AuditFn, type AuditSink } from './audit.js';
import { createTokenVerifier, type AuthOptions, type TokenVerifier } from './auth.js';
import type { Database } from './database.js';
import './express-types.js';
import { healthz, readyz, type NamedCheck } from './health.js';
import type { Lifecycle, ReadinessCheck } from './lifecycle.js';
import { createHttpLogger, createLogger, type Logger } from './logging.js';
import { httpMetricsMiddleware, serveMetrics } from './metrics.js';
import { buildOpenApi, docsPage } from './openapi.js';
import { notFoundMiddleware, problemMiddleware } from './problem.js';
import { requestIdMiddleware } from './request-id.js';
import { mountRoute, type AnyRoute } from './routes.js';

/** Paths that answer while draining. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);
/** What a draining service tells clients to wait before retrying (a restart takes a few seconds). */
const DRAIN_RETRY_AFTER_SECONDS = 2;

/** The keys of the (extended) base config createService reads; everything else is the service's. */
export interface ServiceConfig {
  PORT?: number;
  LOG_LEVEL?: string;
  BODY_LIMIT?: string;
  JWKS_URL?: string;
  JWT_PUBLIC_JWK?: JWK | JSONWebKeySet | Record<string, unknown>;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  SHUTDOWN_TIMEOUT_MS?: number;
}

export interface ServiceOptions {
  /** Short service name: `registry`, `facilities`… (logs, metrics, audit, database `tongxin_<name>`). */
  name: string;
  version?: string;
  config: ServiceConfig;
  routes: readonly AnyRoute[];
  /** The service's database (`createDatabase`), opened by `start()` and closed by `stop()`. */
  mongoose?: Database;
  /** Started in order after the database, stopped in reverse; each is a `/readyz` check. */
  lifecycles?: readonly Lifecycle[];
  /** More `/readyz` conditions. */
  readiness?: readonly ReadinessCheck[];
  /** Audit sink; default: `audit_log` collection in the service's database. */
  audit?: AuditSink;
  /** Logger; default: pino on stdout at LOG_LEVEL, with redaction. */
  logger?: Logger;
  /** Token verification; default: from JWKS_URL / JWT_PUBLIC_JWK, JWT_ISSUER, JWT_AUDIENCE. */
  auth?: AuthOptions;
  /** Interface to listen on (default: all). */
  host?: string;
}

export interface Service {
  readonly app: Express;
  readonly logger: Logger;
  readonly openapi: Record<string, unknown>;
  /** Opens the database, starts the lifecycles, listens (PORT; 0 picks a free port). */
  start(): Promise<{ port: number }>;
  /** Graceful: readiness 503 at once, no new connections, in-flight requests finish (bounded), lifecycles stop in reverse, database closes. */
  stop(): Promise<void>;
  isShuttingDown(): boolean;
}

function authFrom(options: ServiceOptions): AuthOptions | undefined {
  if (options.auth) return options.auth;
  const { JWKS_URL, JWT_PUBLIC_JWK, JWT_ISSUER, JWT_AUDIENCE } = options.config;
  if (!(JWKS_URL || JWT_PUBLIC_JWK) || !JWT_ISSUER || !JWT_AUDIENCE) return undefined;
  return {
    ...(JWKS_URL ? { jwksUrl: JWKS_URL } : { publicJwk: JWT_PUBLIC_JWK as JWK | JSONWebKeySet }),
    issuer: JWT_ISSUER,
    audience: JWT_AUDIENCE,
  };
}

const withRoute =
  (route: string, handler: RequestHandler): RequestHandler =>
  (req, res, next) => {
    res.locals.route = route;
    return handler(req, res, next);
  };

export function createService(options: ServiceOptions): Service {
  const { name, config, mongoose: database } = options;
  const logger = options.logger ?? createLogger({ name, level: config.LOG_LEVEL ?? 'info' });
  const lifecycles = options.lifecycles ?? [];
  const authOptions = authFrom(options);
  if (!authOptions && options.routes.some((r) => r.auth !== 'public')) {
    throw new Error(`${name}: protected routes need JWT_ISSUER, JWT_AUDIENCE and JWKS_URL or JWT_PUBLIC_JWK`);
  }
  const verify: TokenVerifier | undefined = authOptions && createTokenVerifier(authOptions);
  const auditSink = options.audit ?? (database ? mongooseAuditSink(database.connection) : undefined);
  const started = new Set<string>();
  let shuttingDown = false;
  let server: Server | undefined;
  let stopping: Promise<void> | undefined;

  const auditFor =
    (req: express.Request, route: string): AuditFn =>
    async (event) => {
      if (!auditSink) throw new Error(`${name}: audit was called but the service has no audit sink`);
      await auditSink.write(auditEntryFor(req, name, route, event));
    };

  const checks = (): NamedCheck[] => [
    ...(database
      ? [
          {
            name: 'database',
            run: () => ({ ready: database.isReady(), detail: `readyState ${database.connection.readyState}` }),
          },
        ]
      : []),
    ...lifecycles.map((l) => ({
      name: l.name,
      run: async () =>
        started.has(l.name) ? { ready: l.ready ? await l.ready() : true } : { ready: false, detail: 'not started' },
    })),
    ...(options.readiness ?? []).map((c) => ({ name: c.name, run: async () => ({ ready: await c.ready() }) })),
  ];

  const openapi = buildOpenApi({ title: `Tongxin ${name}`, version: options.version ?? '0.1.0' }, options.routes);
  const app = express();
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use((req, res, next) => {
    if (shuttingDown) res.setHeader('Connection', 'close'); // let keep-alive clients go
    req.audit = auditFor(req, req.path);
    next();
  });
  app.use(httpMetricsMiddleware(name));
  app.use(createHttpLogger(logger));
  // Draining: requests already in flight finish; a new one (on a kept-alive connection) is told to
  // come back — 503 with Retry-After, nothing done — so a client or the gateway retries it elsewhere
  // or after the restart instead of losing it. Probes still answer (readiness says 503 itself).
  app.use((req, _res, next) => {
    if (!shuttingDown || PROBES.has(req.path)) return next();
    next(
      new AppError({
        code: 'service_draining',
        status: 503,
        retriable: true,
        title: { en: 'The service is restarting', zh: '服务正在重启' },
        detail: {
          en: `The ${name} service is shutting down; nothing was done. Retry in a moment.`,
          zh: `${name} 服务正在停止，本次请求未执行，请稍后重试。`,
        },
        headers: { 'Retry-After': String(DRAIN_RETRY_AFTER_SECONDS) },
      }),
    );
  });
  app.use(helmet());
  // Bodies are parsed after authentication, route by route: no work for anonymous payloads.
  const jsonBody = express.json({ limit: config.BODY_LIMIT ?? '1mb' });
  app.get('/healthz', withRoute('/healthz', healthz));
  app.get(
    '/readyz',
    withRoute(
      '/readyz',
      readyz(checks, () => shuttingDown),
    ),
  );
  app.get(
    '/metrics',
    withRoute('/metrics', (req, res) => serveMetrics(req, res)),
  );
  app.get(
    '/openapi.json',
    withRoute('/openapi.json', (_req, res) => void res.json(openapi)),
  );
  app.get(
    '/docs',
    withRoute('/docs', (_req, res) => void res.type('html').send(docsPage(`Tongxin ${name}`, options.routes))),
  );
  const router = express.Router();
  for (const route of options.routes) {
    mountRoute(router, route, {
      verify,
      logger,
      isDatabaseReady: database && (() => database.isReady()),
      auditFor,
      jsonBody,
    });
  }
  app.use(router);
  app.use(notFoundMiddleware);
  app.use(problemMiddleware(logger));

  async function start(): Promise<{ port: number }> {
    if (database) await database.open();
    for (const lifecycle of lifecycles) {
      try {
        await lifecycle.start();
        started.add(lifecycle.name);
      } catch (error) {
        logger.error({ err: error, lifecycle: lifecycle.name }, 'lifecycle failed to start');
        await stopLifecycles();
        await database?.close().catch(() => {});
        throw error;
      }
    }
    const listening = app.listen(config.PORT ?? 0, options.host ?? '::');
    server = listening;
    await new Promise<void>((resolve, reject) => {
      listening.once('listening', resolve);
      listening.once('error', reject);
    });
    const port = (listening.address() as AddressInfo).port;
    logger.info({ port, database: database?.name }, `${name} listening`);
    return { port };
  }

  async function stopLifecycles(): Promise<void> {
    for (const lifecycle of [...lifecycles].reverse()) {
      if (!started.has(lifecycle.name)) continue;
      try {
        await lifecycle.stop();
      } catch (error) {
        logger.error({ err: error, lifecycle: lifecycle.name }, 'lifecycle failed to stop');
      }
      started.delete(lifecycle.name);
    }
  }

  async function closeServer(timeoutMs: number): Promise<void> {
    const current = server;
    if (!current) return;
    const closed = new Promise<void>((resolve) => current.close(() => resolve()));
    current.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    if ((await Promise.race([closed, timedOut])) === 'timeout') {
      logger.warn({ timeoutMs }, 'in-flight requests did not finish in time; closing their connections');
      current.closeAllConnections();
      await closed;
    }
    clearTimeout(timer);
  }

  function stop(): Promise<void> {
    stopping ??= (async () => {
      shuttingDown = true;
      logger.info(`${name} shutting down`);
      await closeServer(config.SHUTDOWN_TIMEOUT_MS ?? 10_000);
      await stopLifecycles();
      await database?.close();
      logger.info(`${name} stopped`);
    })();
    return stopping;
  }

  return { app, logger, openapi, start, stop, isShuttingDown: () => shuttingDown };
}
