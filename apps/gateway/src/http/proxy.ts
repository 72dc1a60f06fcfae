/**
 * `/api/<service>/*` → the service, streamed both ways with node's http client: no buffering of
 * bodies, a deadline for the upstream's answer (504), a refused or broken connection → 503 with
 * Retry-After naming the service (it is restarting; a draining service answers 503 itself, passed
 * on as it is), an upstream not configured → 502. `X-Request-Id` (the gateway's) and `traceparent` are forwarded; the bearer token
 * too, because every service verifies it again.
 */
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';

import { AppError } from '@tongxin/service-kit';
import type { Request, Response } from 'express';

import type { UpstreamName } from '../config.js';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

function forwardable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const listed = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** Seconds a client should wait before retrying an upstream that is restarting or draining. */
export const UPSTREAM_RETRY_AFTER_SECONDS = 2;

/**
 * The upstream cannot take the request now — it refuses connections (restarting), broke the
 * connection before answering, or is draining — and nothing was done: 503 with Retry-After, so a
 * client retries it (a rolling restart loses no request). A permanent fault (an upstream not
 * configured) is 502.
 */
export const upstreamUnavailable = (name: string, detail: string, status: 502 | 503 = 503) =>
  new AppError({
    code: 'upstream_unavailable',
    status,
    retriable: status === 503,
    title: { en: 'A service is unavailable', zh: '后端服务不可用' },
    detail: { en: `The ${name} service cannot be reached (${detail}).`, zh: `无法连接 ${name} 服务（${detail}）。` },
    extra: { upstream: name },
    headers: status === 503 ? { 'Retry-After': String(UPSTREAM_RETRY_AFTER_SECONDS) } : {},
  });

export const upstreamTimeout = (name: string, ms: number) =>
  new AppError({
    code: 'upstream_timeout',
    status: 504,
    retriable: true,
    title: { en: 'A service did not answer in time', zh: '后端服务响应超时' },
    detail: { en: `The ${name} service did not answer within ${ms} ms.`, zh: `${name} 服务未在 ${ms} 毫秒内响应。` },
    extra: { upstream: name },
  });

export interface ProxyOptions {
  upstreams: Partial<Record<UpstreamName, string>>;
  timeoutMs: number;
  bodyLimitBytes: number;
}

export interface ProxyCall {
  name: UpstreamName;
  /** Path + query on the upstream. */
  target: string;
  /** Awaited once the upstream's status is known, before anything is sent to the client (audit). */
  onResponse?: (status: number) => Promise<void>;
}

export function createProxy(options: ProxyOptions) {
  function baseOf(name: UpstreamName): string {
    const base = options.upstreams[name];
    if (!base) throw upstreamUnavailable(name, 'not configured in GATEWAY_UPSTREAMS', 502);
    return base;
  }

  /** Streams the request to the upstream and its answer back. Resolves when the answer is sent. */
  function forward(req: Request, res: Response, call: ProxyCall): Promise<void> {
    const url = new URL(call.target, baseOf(call.name));
    const declared = Number(req.get('content-length') ?? 0);
    if (declared > options.bodyLimitBytes) {
      throw new AppError({
        code: 'payload_too_large',
        status: 413,
        detail: `The body exceeds the limit of ${options.bodyLimitBytes} bytes.`,
      });
    }
    const headers = forwardable(req.headers);
    headers['x-request-id'] = req.requestId ?? (req as unknown as { id: string }).id;
    headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
    headers['x-forwarded-proto'] = req.protocol;
    headers['x-forwarded-host'] = req.get('host') ?? '';

    // stream.pipeline below puts ~7 'close' listeners on a ServerResponse (nodejs/help#4448); with
    // ours and the OpenTelemetry express/http instrumentations' that passes Node's default of 10, and
    // `npm start` logged a MaxListenersExceededWarning for ~8,000 of 36,627 registrations. The count
    // is bounded per response, so this response's limit is raised, not the process's.
    res.setMaxListeners(Math.max(res.getMaxListeners(), 20));
    return new Promise<void>((resolve, reject) => {
      let answered = false;
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const upstream = send(url, { method: req.method, headers });
      const timer = setTimeout(() => {
        if (!answered) upstream.destroy(Object.assign(new Error('upstream timeout'), { code: 'GW_TIMEOUT' }));
      }, options.timeoutMs);

      upstream.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (answered) return; // the response pipeline reports it
        if (error.code === 'GW_TIMEOUT') reject(upstreamTimeout(call.name, options.timeoutMs));
        else if (error.code === 'GW_TOO_LARGE')
          reject(
            new AppError({
              code: 'payload_too_large',
              status: 413,
              detail: `The body exceeds the limit of ${options.bodyLimitBytes} bytes.`,
            }),
          );
        else reject(upstreamUnavailable(call.name, error.code ?? 'connection failed'));
      });

      upstream.on('response', (answer) => {
        answered = true;
        clearTimeout(timer);
        const status = answer.statusCode ?? 502;
        void (async () => {
          try {
            await call.onResponse?.(status);
          } catch (error) {
            answer.destroy();
            reject(error);
            return;
          }
          res.writeHead(status, forwardable(answer.headers));
          try {
            await pipeline(answer, res);
          } catch {
            // the client went away or the upstream broke off: nothing more can be said
          }
          resolve();
        })();
      });

      // The request body, counted: a chunked body over the limit is cut off (413).
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > options.bodyLimitBytes && !answered) {
          upstream.destroy(Object.assign(new Error('too large'), { code: 'GW_TOO_LARGE' }));
          req.unpipe(upstream);
        }
      });
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    });
  }

  /** Each upstream's `/openapi.json`, fetched now (an unreachable one is reported, not fatal). */
  async function openApis(): Promise<
    Record<string, { ok: true; spec: Record<string, unknown> } | { ok: false; error: string }>
  > {
    const entries = await Promise.all(
      Object.entries(options.upstreams).map(async ([name, base]) => {
        try {
          const answer = await fetch(`${base}/openapi.json`, {
            signal: AbortSignal.timeout(Math.min(options.timeoutMs, 5000)),
          });
          if (!answer.ok) return [name, { ok: false as const, error: `HTTP ${answer.status}` }] as const;
          return [name, { ok: true as const, spec: (await answer.json()) as Record<string, unknown> }] as const;
        } catch (error) {
          return [
            name,
            { ok: false as const, error: (error as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable' },
          ] as const;
        }
      }),
    );
    return Object.fromEntries(entries);
  }

  /** Which of `ids` the caller may not see, asked of the facilities service with the caller's token. */
  async function firstUnseenFacility(token: string, ids: readonly string[]): Promise<string | undefined> {
    const base = baseOf('facilities');
    for (const id of ids) {
      let status: number;
      try {
        const answer = await fetch(`${base}/facilities/${encodeURIComponent(id)}`, {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        status = answer.status;
        await answer.body?.cancel();
      } catch {
        throw upstreamUnavailable('facilities', 'unreachable');
      }
      if (status === 404 || status === 403 || status === 400) return id;
      if (status !== 200) throw upstreamUnavailable('facilities', `HTTP ${status}`);
    }
    return undefined;
  }

  return {
    forward,
    openApis,
    firstUnseenFacility,
    configured: (name: UpstreamName) => Boolean(options.upstreams[name]),
  };
}
export type Proxy = ReturnType<typeof createProxy>;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The combined API page: every upstream's operations under their gateway paths. */
export function combinedDocsPage(specs: Awaited<ReturnType<Proxy['openApis']>>): string {
  const sections = Object.entries(specs).map(([name, result]) => {
    if (!result.ok) return `<h2>${escapeHtml(name)}</h2><p>unavailable: ${escapeHtml(result.error)}</p>`;
    const paths = (result.spec.paths ?? {}) as Record<string, Record<string, { summary?: string }>>;
    const rows = Object.entries(paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(
        ([method, op]) =>
          `<tr><td><code>${method.toUpperCase()}</code></td><td><code>/api/${escapeHtml(name)}${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? '')}</td></tr>`,
      ),
    );
    return `<h2>${escapeHtml(name)}</h2><p><a href="/api/${escapeHtml(name)}/openapi.json">/api/${escapeHtml(name)}/openapi.json</a></p><table>${rows.join('')}</table>`;
  });
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Tongxin API</title></head><body><h1>Tongxin API (through the gateway)</h1>${sections.join('')}</body></html>`;
}
