export interface LocalizedText {
  en: string;
  zh: string;
}

/** Titles of the problem codes service-kit itself raises; services add their own per AppError. */
export const PROBLEM_TITLES: Record<string, LocalizedText> = {
  validation_failed: { en: 'The request is not valid', zh: '请求参数无效' },
  malformed_json: { en: 'The request body is not valid JSON', zh: '请求体不是有效的 JSON' },
  payload_too_large: { en: 'The request body is too large', zh: '请求体过大' },
  unsupported_media_type: { en: 'The request body must be application/json', zh: '请求体必须是 application/json' },
  unauthenticated: { en: 'Authentication is required', zh: '需要身份认证' },
  forbidden: { en: 'Your role may not do this', zh: '您的角色无权执行此操作' },
  not_found: { en: 'Not found', zh: '未找到' },
  conflict: { en: 'The resource was changed by someone else', zh: '资源已被他人修改' },
  database_unavailable: { en: 'The database is unavailable; try again shortly', zh: '数据库暂时不可用，请稍后重试' },
  service_unavailable: { en: 'The service is unavailable; try again shortly', zh: '服务暂时不可用，请稍后重试' },
  internal_error: { en: 'Something went wrong on our side', zh: '服务器内部错误' },
};

export interface AppErrorOptions {
  /** Machine-readable code, snake_case (`child_already_registered`); also the problem type's last segment. */
  code: string;
  /** HTTP status. */
  status: number;
  /** Whether trying the same request again later can succeed (503s, lost races). */
  retriable?: boolean;
  /** Human explanation of this occurrence. Never put personal data here. */
  detail?: string | LocalizedText;
  /** Title per language; defaults to the built-in title of `code`, else a generic one. */
  title?: LocalizedText;
  /** Extension members added to the problem+json body (`errors`, `currentSequence`, …). */
  extra?: Record<string, unknown>;
  /** Response headers (`Retry-After`, `WWW-Authenticate`). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * The one error type of every service: a code, an HTTP status and whether a retry makes sense.
 * Thrown anywhere; rendered once, as RFC 9457 problem+json, by the error middleware.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retriable: boolean;
  readonly detail: string | LocalizedText | undefined;
  readonly title: LocalizedText;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(options: AppErrorOptions) {
    const detail = typeof options.detail === 'string' ? options.detail : options.detail?.en;
    super(detail ?? options.code, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = options.code;
    this.status = options.status;
    this.retriable = options.retriable ?? false;
    this.detail = options.detail;
    this.title = options.title ?? PROBLEM_TITLES[options.code] ?? { en: 'Request failed', zh: '请求失败' };
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }

  static notFound(detail?: string | LocalizedText): AppError {
    return new AppError({ code: 'not_found', status: 404, ...(detail ? { detail } : {}) });
  }

  static conflict(detail?: string | LocalizedText, extra?: Record<string, unknown>): AppError {
    return new AppError({
      code: 'conflict',
      status: 409,
      retriable: true,
      ...(detail ? { detail } : {}),
      ...(extra ? { extra } : {}),
    });
  }

  static forbidden(detail?: string | LocalizedText): AppError {
    return new AppError({
      code: 'forbidden',
      status: 403,
      headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
      ...(detail ? { detail } : {}),
    });
  }

  static unauthenticated(detail: string, invalidToken: boolean): AppError {
    const challenge = invalidToken
      ? `Bearer realm="tongxin", error="invalid_token", error_description="${detail.replace(/"/g, "'")}"`
      : 'Bearer realm="tongxin"';
    return new AppError({ code: 'unauthenticated', status: 401, detail, headers: { 'WWW-Authenticate': challenge } });
  }

  static databaseUnavailable(cause?: unknown, retryAfterSeconds = 5): AppError {
    return new AppError({
      code: 'database_unavailable',
      status: 503,
      retriable: true,
      detail: {
        en: 'The database cannot be reached at the moment. Nothing was changed; please retry.',
        zh: '暂时无法连接数据库，未做任何更改，请重试。',
      },
      headers: { 'Retry-After': String(retryAfterSeconds) },
      cause,
    });
  }
}
