/**
 * A small HTTP client for integration tests: one caller (bearer token), JSON in and out, raw bytes
 * for uploads, Chinese preferred (`Accept-Language: zh-CN`), the body parsed when it is JSON.
 */

/** Response bodies are JSON the tests pick apart; typing every one would only restate the schemas. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Api {
  get<T = Json>(path: string): Promise<ApiResponse<T>>;
  post<T = Json>(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  patch<T = Json>(path: string, body: unknown): Promise<ApiResponse<T>>;
  /** JSON, or the raw bytes of an upload with its content type. */
  put<T = Json>(path: string, body: unknown, contentType?: string): Promise<ApiResponse<T>>;
  /** The fetch Response itself (downloads). */
  raw(path: string): Promise<Response>;
}

export function apiClient(baseUrl: string, token: string): Api {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
    contentType?: string,
  ) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'accept-language': 'zh-CN', ...extra };
    let payload: string | Uint8Array | undefined;
    if (Buffer.isBuffer(body)) {
      headers['content-type'] = contentType ?? 'application/octet-stream';
      payload = new Uint8Array(body);
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(baseUrl + path, {
      method,
      headers,
      ...(payload !== undefined ? { body: payload as never } : {}),
    });
    const text = await res.text();
    let parsed: Json = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: the text itself
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body, headers) => call('POST', path, body ?? {}, headers),
    patch: (path, body) => call('PATCH', path, body),
    put: (path, body, contentType) => call('PUT', path, body, {}, contentType),
    raw: (path) => fetch(baseUrl + path, { headers: { authorization: `Bearer ${token}` } }),
  };
}
