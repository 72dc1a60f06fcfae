/**
 * In-memory limits (one gateway process; several processes would each count on their own):
 * fixed one-minute windows per key, 429 with `Retry-After`; and CORS for the console's origin only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { AppError, PROBLEM_CONTENT_TYPE, problemType } from '@tongxin/service-kit';
import type { RequestHandler } from 'express';

export interface RateLimiter {
  /** Counts one hit; throws AppError 429 when the key is over its limit. */
  hit(key: string): void;
  stop(): void;
}

export function createRateLimiter(options: {
  limit: number;
  windowMs?: number;
  now?: () => number;
  what: string;
}): RateLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const windows = new Map<string, { count: number; resetAt: number }>();
  const sweeper = setInterval(() => {
    const t = now();
    for (const [key, w] of windows) if (w.resetAt <= t) windows.delete(key);
  }, windowMs);
  sweeper.unref();
  return {
    hit(key) {
      const t = now();
      let w = windows.get(key);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + windowMs };
        windows.set(key, w);
      }
      w.count += 1;
      if (w.count > options.limit) {
        const retryAfter = Math.max(1, Math.ceil((w.resetAt - t) / 1000));
        throw new AppError({
          code: 'rate_limited',
          status: 429,
          retriable: true,
          title: { en: 'Too many requests', zh: '请求过于频繁' },
          detail: {
            en: `Too many ${options.what} (at most ${options.limit} per minute). Try again in ${retryAfter} s.`,
            zh: `${options.what}过于频繁（每分钟最多 ${options.limit} 次），请 ${retryAfter} 秒后重试。`,
          },
          headers: { 'Retry-After': String(retryAfter) },
        });
      }
    },
    stop: () => clearInterval(sweeper),
  };
}

/** Writes a problem+json answer outside express (before it, or for errors of the HTTP parser). */
export function writeProblem(res: ServerResponse, error: AppError, instance?: string): void {
  const body = {
    ...error.extra,
    type: problemType(error.code),
    title: error.title.en,
    status: error.status,
    detail: typeof error.detail === 'string' ? error.detail : error.detail?.en,
    ...(instance ? { instance } : {}),
    code: error.code,
    retriable: error.retriable,
  };
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.statusCode = error.status;
  res.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
  res.end(JSON.stringify(body));
}

/** The client address (the socket's; X-Forwarded-For is not trusted: put a trusted proxy setting here when deployed behind one). */
export const clientIp = (req: IncomingMessage): string => req.socket.remoteAddress ?? 'unknown';

/** Per-IP limit on every request except the probes. */
export function ipLimit(limiter: RateLimiter): RequestHandler {
  return (req, res, next) => {
    if (req.path === '/healthz' || req.path === '/readyz') return next();
    try {
      limiter.hit(clientIp(req));
    } catch (error) {
      writeProblem(res, error as AppError, req.path);
      return;
    }
    next();
  };
}

/** CORS for one origin (the console); other origins get no CORS headers, so browsers refuse them. */
export function cors(origin: string | undefined): RequestHandler {
  return (req, res, next) => {
    const requested = req.get('origin');
    if (origin && requested === origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After, Content-Disposition');
      res.vary('Origin');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
        res.setHeader(
          'Access-Control-Allow-Headers',
          'Authorization, Content-Type, X-Purpose, X-Request-Id, Accept-Language, traceparent',
        );
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    } else if (req.method === 'OPTIONS' && requested) {
      res.status(403).end();
      return;
    }
    next();
  };
}
