import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';

import type { AuditFn } from './audit.js';
import { requireRoles, type TokenVerifier } from './auth.js';
import { AppError } from './errors.js';
import { requestLanguage, type Language } from './language.js';
import type { Logger } from './logging.js';
import type { Principal, Role } from './principal.js';
import { strictDeep } from './strict-schema.js';
import { validateParts } from './validation.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;
type Reply<R extends Schema> = R extends z.ZodType ? z.input<R> : unknown;

export interface RouteContext<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  /** The caller. Reading it on a public route throws 401. */
  principal: Principal;
  audit: AuditFn;
  log: Logger;
  lang: Language;
}

export interface RouteDefinition<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
  R extends Schema = undefined,
> {
  method: HttpMethod;
  /** Express path syntax: `/notes/:id`. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Output schema: documents the response and strips anything undeclared before it is sent. */
  response?: R;
  /** Success status (default 201 for POST, 204 when nothing is returned, else 200). */
  status?: number;
  auth: { roles: readonly [Role, ...Role[]] } | 'public';
  /**
   * Whether the database must be connected before the handler runs (503 otherwise, nothing
   * attempted). Default: true for POST/PUT/PATCH/DELETE when the service has a database.
   */
  requiresDatabase?: boolean;
  handler: (ctx: RouteContext<Out<P>, Out<Q>, Out<B>>) => Promise<Reply<R>>;
}

/** Any route, for lists (`handler` takes `never` so every concrete route is assignable). */
export interface AnyRoute {
  method: HttpMethod;
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
  status?: number;
  auth: { roles: readonly Role[] } | 'public';
  requiresDatabase?: boolean;
  handler: (ctx: never) => Promise<unknown>;
}

const NO_QUERY = z.strictObject({});

/**
 * Declares a route. Request schemas are made strict at every depth (unknown fields rejected), and
 * the handler's `params`/`query`/`body` are typed from them.
 */
export function defineRoute<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
  R extends Schema = undefined,
>(route: RouteDefinition<P, Q, B, R>): RouteDefinition<P, Q, B, R> {
  return {
    ...route,
    ...(route.params ? { params: strictDeep(route.params as z.ZodType) as P } : {}),
    // No query schema means no query parameters at all: `?anything` is an unknown field.
    query: (route.query ? strictDeep(route.query as z.ZodType) : NO_QUERY) as Q,
    ...(route.body ? { body: strictDeep(route.body as z.ZodType) as B } : {}),
  };
}

export interface MountOptions {
  verify: TokenVerifier | undefined;
  logger: Logger;
  /** Undefined when the service has no database. */
  isDatabaseReady: (() => boolean) | undefined;
  auditFor: (req: Request, route: string) => AuditFn;
  /** The JSON body parser (size limit applied); runs after authentication. */
  jsonBody: RequestHandler;
}

const WRITES = new Set<HttpMethod>(['post', 'put', 'patch', 'delete']);

function hasBody(req: Request): boolean {
  return req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0;
}

export function mountRoute(router: Router, route: AnyRoute, options: MountOptions): void {
  const steps: RequestHandler[] = [
    (_req, res, next) => {
      res.locals.route = route.path;
      next();
    },
  ];
  if (route.auth !== 'public') steps.push(requireRoles(options.verify, route.auth.roles));
  if (route.body) steps.push(options.jsonBody);
  const needsDatabase = route.requiresDatabase ?? WRITES.has(route.method);

  steps.push(async (req, res) => {
    if (route.body && hasBody(req) && !req.is('application/json')) {
      throw new AppError({ code: 'unsupported_media_type', status: 415 });
    }
    const lang = requestLanguage(req);
    const valid = validateParts(route, { params: req.params, query: req.query, body: req.body }, lang);
    if (needsDatabase && options.isDatabaseReady && !options.isDatabaseReady()) throw AppError.databaseUnavailable();
    const principal = req.principal;
    const ctx = {
      req,
      res,
      ...valid,
      get principal(): Principal {
        if (!principal) throw AppError.unauthenticated('This operation needs an authenticated caller.', false);
        return principal;
      },
      audit: options.auditFor(req, route.path),
      log: (req as { log?: Logger }).log ?? options.logger,
      lang,
    };
    const result = await route.handler(ctx as never);
    if (res.headersSent) return;
    if (result === undefined && !route.response) {
      res.status(route.status ?? 204).end();
      return;
    }
    let payload: unknown = result;
    if (route.response) {
      const checked = route.response.safeParse(result);
      if (!checked.success)
        throw new Error(
          `response of ${route.method.toUpperCase()} ${route.path} does not match its schema: ${checked.error.message}`,
        );
      payload = checked.data;
    }
    // A handler may choose the status of this answer (a replayed idempotent POST is 200, not 201).
    const chosen = res.locals.status as number | undefined;
    res.status(chosen ?? route.status ?? (route.method === 'post' ? 201 : 200)).json(payload);
  });
  router[route.method](route.path, ...steps);
}
