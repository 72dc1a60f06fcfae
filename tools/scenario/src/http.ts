/**
 * The scenario's only way into the platform: the gateway's public HTTP API, as a logged-in user.
 * Each account logs in once and again when its token runs out (401). Retries only on 503 and 429,
 * honouring Retry-After; every request waits for a place in a shared pool (bounded concurrency).
 */
/** Bodies are the services' JSON, picked apart where used; typing each would restate their schemas. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path} → ${status}: ${JSON.stringify(body).slice(0, 600)}`);
  }
}

/** At most `limit` tasks at once; `run` waits for a place. */
export function createPool(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active >= limit) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** One request as the caller wrote it; a Uint8Array body is sent as is with `contentType`. */
interface Outgoing {
  method: string;
  path: string;
  body?: unknown;
  contentType?: string;
}

export type Pool = ReturnType<typeof createPool>;

export interface Stats {
  requests: number;
  retries: number;
}

export class Session {
  private token: string | undefined;
  constructor(
    readonly gateway: string,
    readonly username: string,
    private readonly password: string,
    private readonly pool: Pool,
    private readonly stats: Stats,
  ) {}

  private loggingIn: Promise<void> | undefined;

  /**
   * One login at a time per account: the requests that find no token (thousands, queued at the start
   * of a phase) or one that has run out all wait for the same login, instead of each logging in and
   * tripping the gateway's login limit.
   */
  private login(): Promise<void> {
    this.loggingIn ??= this.loginNow().finally(() => {
      this.loggingIn = undefined;
    });
    return this.loggingIn;
  }

  private async loginNow(): Promise<void> {
    // Not through the pool: behind a phase's thousands of queued requests, the new token would come
    // only after each of them had been refused with the old one.
    const res = await this.send(
      { method: 'POST', path: '/auth/login', body: { username: this.username, password: this.password } },
      { auth: false, pooled: false },
    );
    if (res.status !== 200) throw new HttpError('POST', `/auth/login (${this.username})`, res.status, res.body);
    this.token = res.body.accessToken;
  }

  /** `auth`: send the current token; `pooled: false` skips the queue (for logging in). */
  private async send(
    { method, path, body, contentType }: Outgoing,
    { auth, pooled = true }: { auth: boolean; pooled?: boolean },
  ): Promise<Reply & { sentToken?: string }> {
    for (let attempt = 0; ; attempt++) {
      const run: Pool = pooled ? this.pool : (task) => task();
      const res = await run(async () => {
        this.stats.requests++;
        const headers: Record<string, string> = { accept: 'application/json' };
        const sentToken = auth ? this.token : undefined;
        if (sentToken) headers.authorization = `Bearer ${sentToken}`;
        let payload: string | Uint8Array | undefined;
        if (body instanceof Uint8Array) {
          payload = body;
          headers['content-type'] = contentType ?? 'application/octet-stream';
        } else if (body !== undefined) {
          payload = JSON.stringify(body);
          headers['content-type'] = 'application/json';
        }
        const r = await fetch(this.gateway + path, {
          method,
          headers,
          ...(payload ? { body: payload as string } : {}),
        });
        const text = await r.text();
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON
        }
        return { status: r.status, body: parsed, headers: r.headers, sentToken } as Reply & { sentToken?: string };
      });
      if ((res.status === 503 || res.status === 429) && attempt < 30) {
        this.stats.retries++;
        const after = Number(res.headers.get('retry-after'));
        await new Promise((r) =>
          setTimeout(r, Number.isFinite(after) && after > 0 ? after * 1000 : 500 * (attempt + 1)),
        );
        continue;
      }
      return res;
    }
  }

  /** Any answer, logging in first and again on 401. */
  async request(method: string, path: string, body?: unknown, contentType?: string): Promise<Reply> {
    if (!this.token) await this.login();
    const outgoing = { method, path, body, contentType };
    let res = await this.send(outgoing, { auth: true });
    // A refused token: log in again, unless another request already has since this one's token was
    // sent. A retry waits in the pool again, so its new token may run out too: a few attempts.
    for (let attempt = 0; res.status === 401 && attempt < 3; attempt++) {
      if (this.token === res.sentToken) await this.login();
      res = await this.send(outgoing, { auth: true });
    }
    return res;
  }

  /** A 2xx answer's body, else HttpError. */
  async ok<T = Json>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.request(method, path, body, contentType);
    if (res.status < 200 || res.status > 299) throw new HttpError(method, path, res.status, res.body);
    return res.body as T;
  }
  get = <T = Json>(path: string) => this.ok<T>('GET', path);
  post = <T = Json>(path: string, body?: unknown) => this.ok<T>('POST', path, body ?? {});
  put = <T = Json>(path: string, body: unknown, contentType?: string) => this.ok<T>('PUT', path, body, contentType);
}

/** Polls `probe` until it returns a value other than undefined/false. */
export async function until<T>(
  probe: () => Promise<T | undefined | false>,
  what: string | (() => string),
  timeoutMs = 120_000,
  everyMs = 300,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${typeof what === 'string' ? what : what()}${last ? `: ${String(last)}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
