/**
 * The API client: every call goes through the gateway (same origin), with the access token, the
 * language, and one refresh (single-flight) when the token has expired. Errors are the gateway's
 * and services' problem+json (service-kit): `code`, `detail`, and for validation `errors[]` with a
 * dotted `path` (`body.lines.0.quantity`), turned here into messages per form field.
 */
import { acceptLanguage, storedLang } from './i18n';

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
}

export interface Principal {
  sub: string;
  name: string;
  roles: string[];
  regions: string[];
  facilities: string[];
  donorOrgs: string[];
  volunteerOrgs: string[];
  department?: string;
}

export interface ProblemFieldError {
  path: string;
  code: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: ProblemFieldError[];
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
  get code(): string | undefined {
    return this.problem.code;
  }
  /** Field path (without the request part: `lines.0.quantity`) → message. */
  get fields(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const error of this.problem.errors ?? []) {
      const path = error.path.replace(/^(body|query|params)\.?/, '');
      out[path] ??= error.message;
    }
    return out;
  }
}

/** The fetch itself failed: offline, DNS, connection refused. */
export class NetworkError extends Error {}

const SESSION_KEY = 'tongxin.session';

export function loadSession(): Session | undefined {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

function saveSession(session: Session | undefined): void {
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_KEY);
  for (const listener of listeners) listener(session);
}

const listeners = new Set<(session: Session | undefined) => void>();
export const onSessionChange = (listener: (session: Session | undefined) => void): (() => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}
const toSession = (pair: TokenPair): Session => ({
  accessToken: pair.accessToken,
  refreshToken: pair.refreshToken,
  expiresAt: Date.now() + pair.expiresIn * 1000,
});

async function readProblem(res: Response): Promise<ApiError> {
  let problem: Problem = { status: res.status };
  try {
    const text = await res.text();
    if (text) problem = { ...(JSON.parse(text) as Problem), status: res.status };
  } catch {
    // not JSON: keep the status
  }
  return new ApiError(res.status, problem);
}

async function rawFetch(path: string, init: RequestInit, timeoutMs?: number): Promise<Response> {
  try {
    // A request on a flapping connection can hang for minutes: give up and let the caller retry.
    return await fetch(path, timeoutMs ? { ...init, signal: AbortSignal.timeout(timeoutMs) } : init);
  } catch (error) {
    throw new NetworkError((error as Error).message);
  }
}

let refreshing: Promise<Session | undefined> | undefined;

/** One refresh at a time: a second caller waits for the first (refresh tokens rotate). */
export function refreshSession(): Promise<Session | undefined> {
  const current = loadSession();
  if (!current) return Promise.resolve(undefined);
  refreshing ??= (async (): Promise<Session | undefined> => {
    const res = await rawFetch('/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': acceptLanguage(storedLang()) },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    });
    if (res.status === 200) {
      const session = toSession((await res.json()) as TokenPair);
      saveSession(session);
      return session;
    }
    if (res.status === 401) saveSession(undefined);
    return undefined;
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** A raw body (a file); sent as is with its own content type. */
  raw?: Blob | ArrayBuffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** Return the Response itself (downloads). */
  response?: boolean;
  /** Give up after this long (a NetworkError). */
  timeoutMs?: number;
}

/**
 * A response index.html's inline script asked for while the code was still loading (a slow phone's
 * first load: `/auth/me`, or the home manager's first three calls), used once by a plain GET of
 * the same path; a missing or failed one is simply asked again.
 */
function early(path: string, options: CallOptions): Promise<Response | undefined> | undefined {
  const pending = (window as { __tongxinEarly?: Record<string, Promise<Response | undefined>> }).__tongxinEarly;
  if (!pending?.[path] || Object.keys(options).length > 0) return undefined;
  const response = pending[path];
  delete pending[path];
  return response;
}

export async function api<T = unknown>(path: string, options: CallOptions = {}): Promise<T> {
  const attempt = async (session: Session | undefined): Promise<Response> => {
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      'accept-language': acceptLanguage(storedLang()),
      ...options.headers,
    };
    if (session) headers.authorization = `Bearer ${session.accessToken}`;
    let body: BodyInit | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    return rawFetch(
      path,
      { method: options.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) },
      options.timeoutMs,
    );
  };
  let res = await early(path, options);
  if (!res?.ok) {
    let session = loadSession();
    if (session && session.expiresAt - Date.now() < 30_000) session = (await refreshSession()) ?? session;
    res = await attempt(session);
    if (res.status === 401 && session) {
      const renewed = await refreshSession();
      if (renewed) res = await attempt(renewed);
    }
  }
  if (!res.ok) throw await readProblem(res);
  if (options.response) return res as T;
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export async function login(username: string, password: string): Promise<Session> {
  const res = await rawFetch('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': acceptLanguage(storedLang()) },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw await readProblem(res);
  const session = toSession((await res.json()) as TokenPair);
  saveSession(session);
  return session;
}

export async function logout(): Promise<void> {
  const session = loadSession();
  saveSession(undefined);
  if (session) {
    await rawFetch('/auth/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    }).catch(() => undefined);
  }
}

/**
 * Changes the signed-in user's password. The gateway ends every other login and answers with a
 * new pair for this one, which replaces the session (the old refresh token no longer works).
 */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  const pair = await api<TokenPair>('/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
  saveSession(toSession(pair));
}

/** Downloads a protected file (the token is a header, so a plain link cannot do it). */
export async function download(path: string, filename: string): Promise<void> {
  const res = await api<Response>(path, { response: true, headers: { accept: '*/*' } });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A message for a notification: the problem's detail (in the caller's language) or a generic one. */
export function messageOf(error: unknown, fallback: string, offline: string): string {
  if (error instanceof NetworkError) return offline;
  if (error instanceof ApiError) return error.problem.detail ?? error.problem.title ?? fallback;
  return fallback;
}
