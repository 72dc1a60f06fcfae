import { z } from 'zod';

import { AppError } from './errors.js';
import type { Language } from './language.js';

export type RequestPart = 'params' | 'query' | 'body';

/** One bad field: `path` is dotted from the request part (`body.child.birthDate`). */
export interface FieldError {
  path: string;
  code: string;
  message: string;
}

const LOCALES = { en: z.locales.en().localeError, zh: z.locales.zhCN().localeError };

const joinPath = (part: RequestPart, path: readonly PropertyKey[]): string =>
  [part, ...path.map((segment) => String(segment))].join('.');

/** zod issues → one FieldError per bad field; each unknown key is named on its own. */
export function fieldErrors(part: RequestPart, issues: readonly z.core.$ZodIssue[], lang: Language): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({
          path: joinPath(part, [...issue.path, key]),
          code: 'unrecognized_key',
          message: lang === 'zh' ? `不允许的字段 "${key}"` : `Unknown field "${key}" is not allowed`,
        });
      }
    } else {
      errors.push({ path: joinPath(part, issue.path), code: issue.code, message: issue.message });
    }
  }
  return errors;
}

export interface PartSchemas {
  params?: z.ZodType | undefined;
  query?: z.ZodType | undefined;
  body?: z.ZodType | undefined;
}

/**
 * Validates every declared part (all of them, so the caller learns every bad field at once) and
 * returns the parsed values, or throws AppError 400 `validation_failed` with `errors`.
 */
export function validateParts(
  schemas: PartSchemas,
  input: Record<RequestPart, unknown>,
  lang: Language,
): Record<RequestPart, unknown> {
  const out: Record<RequestPart, unknown> = { params: input.params, query: input.query, body: input.body };
  const errors: FieldError[] = [];
  for (const part of ['params', 'query', 'body'] as const) {
    const schema = schemas[part];
    if (!schema) continue;
    const result = schema.safeParse(input[part], { error: LOCALES[lang] });
    if (result.success) out[part] = result.data;
    else errors.push(...fieldErrors(part, result.error.issues, lang));
  }
  if (errors.length > 0) {
    throw new AppError({
      code: 'validation_failed',
      status: 400,
      detail: {
        en: `${errors.length} field(s) are not valid: ${errors.map((e) => e.path).join(', ')}.`,
        zh: `${errors.length} 个字段无效：${errors.map((e) => e.path).join('、')}。`,
      },
      extra: { errors },
    });
  }
  return out;
}
