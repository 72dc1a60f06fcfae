/**
 * The console (童心工作台, `apps/console`) served by the gateway from its built directory
 * (`GATEWAY_CONSOLE_DIR`): hashed assets with a year-long immutable cache, every other GET that
 * asks for HTML answered with `index.html` (the console's client routes), revalidated each time.
 * Never shadows the gateway's own routes: `/api`, `/auth`, `/.well-known`, `/users`, `/audit`,
 * `/admin`, the probes and `/openapi.json` always reach the gateway.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

import express, { type RequestHandler } from 'express';

/** First path segments that belong to the gateway, never to the console. */
export const GATEWAY_PREFIXES = [
  '/api',
  '/auth',
  '/.well-known',
  '/users',
  '/audit',
  '/admin',
  '/healthz',
  '/readyz',
  '/metrics',
  '/openapi.json',
  '/docs',
] as const;

export const isGatewayPath = (path: string): boolean =>
  GATEWAY_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

const IMMUTABLE = 'public, max-age=31536000, immutable';
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|txt)$/i;

/**
 * Hashed text assets gzipped once and kept in memory (the build is a few MB): a phone on a slow
 * connection downloads about a third of the bytes. Other files fall through to express.static.
 */
function gzippedAssets(root: string): RequestHandler {
  const assetsDir = join(root, 'assets') + sep;
  const cache = new Map<string, Buffer>();
  return (req, res, next) => {
    if (!req.path.startsWith('/assets/') || !COMPRESSIBLE.test(req.path) || !req.acceptsEncodings('gzip'))
      return next();
    const file = normalize(join(root, decodeURIComponent(req.path)));
    if (!file.startsWith(assetsDir) || !existsSync(file) || !statSync(file).isFile()) return next();
    let body = cache.get(file);
    if (!body) {
      body = gzipSync(readFileSync(file), { level: 9 });
      cache.set(file, body);
    }
    res.setHeader('Cache-Control', IMMUTABLE);
    res.setHeader('Content-Encoding', 'gzip');
    res.vary('Accept-Encoding');
    res.type(extname(file));
    res.send(body);
  };
}

/** Middleware serving the built console in `dir`; `undefined` when the directory has no index.html. */
export function consoleStatic(dir: string): RequestHandler | undefined {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return undefined;
  const assets = express.static(root, {
    index: false,
    fallthrough: true,
    setHeaders(res, path) {
      // Vite names what it builds under assets/ by content hash: safe to keep for a year.
      res.setHeader('Cache-Control', path.startsWith(join(root, 'assets') + sep) ? IMMUTABLE : 'no-cache');
    },
  });
  const gzipped = gzippedAssets(root);
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isGatewayPath(req.path)) return next();
    gzipped(req, res, () =>
      assets(req, res, (error?: unknown) => {
        if (error) return next(error);
        // A missing file (an old hashed asset, a typo) is a 404 from the gateway, not the page.
        if (req.path.startsWith('/assets/') || /\.[A-Za-z0-9]{1,8}$/.test(req.path) || !req.accepts('html')) {
          return next();
        }
        res.setHeader('Cache-Control', 'no-cache');
        res.sendFile(index, (sendError?: Error) => {
          if (sendError && !res.headersSent) next(sendError);
        });
      }),
    );
  };
}
