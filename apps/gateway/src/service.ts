/**
 * The gateway, assembled: database, key store, accounts, audit chain, proxy, limits, routes.
 * service-kit's app (request ids, logs, problem+json, probes, metrics) sits inside an outer app
 * that answers CORS and the per-IP limit first, served by our own HTTP server (header size limit,
 * 431 as problem+json). Used by main.ts and by the tests (own database, key file, logger).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  AppError,
  createDatabase,
  createLogger,
  createService,
  serviceDatabaseName,
  type Logger,
  type Service,
  type ServiceConfig,
} from '@tongxin/service-kit';
import express from 'express';
import type { z } from 'zod';

import type { gatewayConfigSchema } from './config.js';
import { consoleStatic } from './http/console.js';
import { cors, createRateLimiter, ipLimit } from './http/limits.js';
import { createProxy } from './http/proxy.js';
import { gatewayRoutes } from './http/routes.js';
import { gatewayModels } from './persistence/models.js';
import { createAccounts } from './service/accounts.js';
import { createAuditChain } from './service/audit-chain.js';
import { loadKeyStore } from './service/keys.js';

export { gatewayConfigSchema } from './config.js';
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export interface GatewayOptions {
  config: GatewayConfig;
  dbName?: string;
  now?: () => Date;
  logger?: Logger;
  host?: string;
}

export async function createGatewayService(options: GatewayOptions) {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? createLogger({ name: 'gateway', level: config.LOG_LEVEL });
  const db = createDatabase(
    {
      uri: config.MONGODB_URI,
      dbName: options.dbName ?? config.MONGODB_DATABASE ?? serviceDatabaseName('gateway'),
      serverSelectionTimeoutMS: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
    },
    logger,
  );
  const models = gatewayModels(db.connection);
  const keys = await loadKeyStore({
    envKey: config.GATEWAY_SIGNING_KEY,
    file: config.GATEWAY_KEYS_FILE,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  const proxy = createProxy({
    upstreams: config.GATEWAY_UPSTREAMS,
    timeoutMs: config.GATEWAY_UPSTREAM_TIMEOUT_MS,
    bodyLimitBytes: config.GATEWAY_PROXY_BODY_LIMIT_BYTES,
  });
  const accounts = createAccounts({
    models,
    keys,
    now,
    lockoutAttempts: config.GATEWAY_LOCKOUT_ATTEMPTS,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlHours: config.REFRESH_TOKEN_TTL_HOURS,
    checkFacilities: proxy.configured('facilities') ? proxy.firstUnseenFacility : undefined,
  });
  const audit = createAuditChain({ models, now, logger });
  const ipLimiter = createRateLimiter({
    limit: config.GATEWAY_RATE_LIMIT_IP_PER_MINUTE,
    what: 'requests from your address',
  });
  const userLimit = createRateLimiter({
    limit: config.GATEWAY_RATE_LIMIT_USER_PER_MINUTE,
    what: 'requests of your account',
  });
  const loginLimit = createRateLimiter({ limit: config.GATEWAY_LOGIN_LIMIT_PER_MINUTE, what: 'login attempts' });

  const inner = createService({
    name: 'gateway',
    config: config as ServiceConfig,
    routes: gatewayRoutes({ accounts, keys, audit, proxy, userLimit, loginLimit }),
    mongoose: db,
    logger,
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(cors(config.GATEWAY_CONSOLE_ORIGIN));
  app.use(ipLimit(ipLimiter));
  if (config.GATEWAY_CONSOLE_DIR) {
    const consoleApp = consoleStatic(config.GATEWAY_CONSOLE_DIR);
    if (consoleApp) app.use(consoleApp);
    else logger.warn({ dir: config.GATEWAY_CONSOLE_DIR }, 'GATEWAY_CONSOLE_DIR has no index.html: console not served');
  }
  app.use(inner.app);

  let server: Server | undefined;

  async function start(): Promise<{ port: number }> {
    await db.open();
    if (await accounts.bootstrap(config.GATEWAY_BOOTSTRAP_ADMIN_USERNAME, config.GATEWAY_BOOTSTRAP_ADMIN_PASSWORD)) {
      logger.info({ username: config.GATEWAY_BOOTSTRAP_ADMIN_USERNAME }, 'bootstrap city administrator created');
    }
    const listening = createServer({ maxHeaderSize: config.GATEWAY_MAX_HEADER_BYTES }, app);
    listening.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return socket.destroy();
      const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
      const problem = new AppError(
        tooLarge
          ? {
              code: 'headers_too_large',
              status: 431,
              title: { en: 'Request headers too large', zh: '请求头过大' },
              detail: `The request head exceeds ${config.GATEWAY_MAX_HEADER_BYTES} bytes.`,
            }
          : { code: 'bad_request', status: 400, title: { en: 'Malformed request', zh: '请求格式错误' } },
      );
      const body = JSON.stringify({
        type: `urn:tongxin:problem:${problem.code}`,
        title: problem.title.en,
        status: problem.status,
        detail: problem.detail,
        code: problem.code,
        retriable: false,
      });
      socket.end(
        `HTTP/1.1 ${problem.status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
    server = listening;
    await new Promise<void>((resolve, reject) => {
      listening.once('listening', resolve);
      listening.once('error', reject);
      listening.listen(config.PORT, options.host ?? '::');
    });
    const port = (listening.address() as AddressInfo).port;
    logger.info({ port, database: db.name }, 'gateway listening');
    return { port };
  }

  async function stop(): Promise<void> {
    const current = server;
    server = undefined;
    if (current) {
      const closed = new Promise<void>((resolve) => current.close(() => resolve()));
      current.closeIdleConnections();
      const timer = setTimeout(() => current.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
      await closed;
      clearTimeout(timer);
    }
    for (const limiter of [ipLimiter, userLimit, loginLimit]) limiter.stop();
    await inner.stop(); // readiness 503, then the database closes
  }

  const service: Service = { app, logger, openapi: inner.openapi, start, stop, isShuttingDown: inner.isShuttingDown };
  return { service, db, models, keys, accounts, audit, proxy };
}
export type GatewayService = Awaited<ReturnType<typeof createGatewayService>>;
