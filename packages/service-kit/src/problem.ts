import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';

import { DomainProblem } from '@tongxin/contracts/problems';

import { isDatabaseUnavailable, isDuplicateKey } from './database-errors.js';
import { AppError, type LocalizedText } from './errors.js';
import { requestLanguage, type Language } from './language.js';
import type { Logger } from './logging.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/** Problem types are URNs naming the code; the code is also sent as its own member. */
export const problemType = (code: string): string => `urn:tongxin:problem:${code}`;

const pick = (text: string | LocalizedText | undefined, lang: Language): string | undefined =>
  text === undefined ? undefined : typeof text === 'string' ? text : text[lang];

/** Any thrown value → AppError. Unknown errors become a bare 500 that says nothing of internals. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof DomainProblem) {
    const text = { en: error.en, zh: error.zh };
    return new AppError({ code: error.code, status: error.status, title: text, detail: text, extra: error.extra });
  }
  // The bus's lost race on an aggregate (by name: service-kit does not depend on the bus).
  if ((error as Error | undefined)?.name === 'ConcurrencyError') {
    return new AppError({
      code: 'conflict',
      status: 409,
      retriable: true,
      detail: { en: 'changed by someone else meanwhile; read it again', zh: '已被他人修改，请重新读取' },
      cause: error,
    });
  }
  const e = error as { type?: string; status?: number; expose?: boolean; limit?: number } | undefined;
  // body-parser (express.json) errors carry a `type`.
  switch (e?.type) {
    case 'entity.parse.failed':
      return new AppError({
        code: 'malformed_json',
        status: 400,
        detail: { en: 'The body could not be parsed as JSON.', zh: '无法将请求体解析为 JSON。' },
        cause: error,
      });
    case 'entity.too.large':
      return new AppError({
        code: 'payload_too_large',
        status: 413,
        detail: {
          en: `The body exceeds the limit of ${String(e.limit)} bytes.`,
          zh: `请求体超过 ${String(e.limit)} 字节的上限。`,
        },
        cause: error,
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError({
        code: 'unsupported_media_type',
        status: 415,
        detail: 'Send UTF-8 encoded JSON.',
        cause: error,
      });
    default:
      break;
  }
  if (isDatabaseUnavailable(error)) return AppError.databaseUnavailable(error);
  if (isDuplicateKey(error)) return AppError.conflict('A record with the same unique key already exists.');
  return new AppError({ code: 'internal_error', status: 500, cause: error });
}

/** Writes `error` as RFC 9457 problem+json in the caller's language. */
export function sendProblem(req: Request, res: Response, error: AppError): void {
  const lang = requestLanguage(req);
  const body: Record<string, unknown> = {
    ...error.extra,
    type: problemType(error.code),
    title: error.title[lang],
    status: error.status,
    detail: pick(error.detail, lang),
    instance: req.originalUrl.split('?')[0],
    code: error.code,
    retriable: error.retriable,
    requestId: (req as { id?: unknown }).id,
  };
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.setHeader('Content-Language', lang === 'zh' ? 'zh-CN' : 'en');
  res.vary('Accept-Language');
  res.status(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** The one error middleware. 5xx are logged with their cause; the client never sees internals. */
export function problemMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const appError = toAppError(error);
    const log = (req as { log?: Logger }).log ?? logger;
    if (appError.status >= 500) log.error({ err: appError.cause ?? error, code: appError.code }, 'request failed');
    else log.debug({ code: appError.code, status: appError.status }, 'request refused');
    sendProblem(req, res, appError);
  };
}

/** Unknown paths answer 404 problem+json like everything else. */
export const notFoundMiddleware: RequestHandler = (req, _res, next) => {
  next(new AppError({ code: 'not_found', status: 404, detail: `No route for ${req.method} ${req.path}.` }));
};
