/**
 * Problem+json → antd form field errors, zod value schemas → antd validators, and a whole form's
 * body checked with the API's own request schema (`@tongxin/contracts/<service>/api`) before it is
 * sent. zod stays a type import here: the schemas bring it, in the chunk that loads them.
 */
import type { FormInstance } from 'antd';
import type { z } from 'zod';

import { ApiError, messageOf } from './api';
import { DICTIONARIES, type Lang } from './i18n';

/**
 * Puts the server's per-field messages next to the fields (`lines.0.quantity` → ['lines', 0,
 * 'quantity']). Returns the messages no field of the form could show.
 */
export function showFieldErrors(
  form: FormInstance,
  error: unknown,
  aliases: Record<string, (string | number)[]> = {},
): string[] {
  if (!(error instanceof ApiError)) return [];
  return placeFieldErrors(form, error.fields, aliases);
}

/**
 * A refused submit shown where it belongs: the server's per-field messages beside their fields (as
 * `showFieldErrors`), and what no field could show — or a server or network failure — as the text
 * for the form's alert (joined with "；"). undefined when every message found its field.
 */
export function formErrorText(
  form: FormInstance,
  error: unknown,
  fallback: { server: string; network: string },
  aliases: Record<string, (string | number)[]> = {},
): string | undefined {
  const rest = showFieldErrors(form, error, aliases);
  if (error instanceof ApiError && rest.length === 0 && Object.keys(error.fields).length > 0) return undefined;
  return [messageOf(error, fallback.server, fallback.network), ...rest].join('；');
}

/**
 * Puts per-field messages (field path → message, as `ApiError.fields` and `validateWith` give them)
 * next to the fields. Returns the messages no field of the form could show.
 */
export function placeFieldErrors(
  form: FormInstance,
  fields: Record<string, string>,
  aliases: Record<string, (string | number)[]> = {},
): string[] {
  const known = new Set(
    Object.keys(form.getFieldsValue(true) as Record<string, unknown>).map((k) => k.split('.')[0] as string),
  );
  const shown: { name: (string | number)[]; errors: string[] }[] = [];
  const rest: string[] = [];
  for (const [path, message] of Object.entries(fields)) {
    const name = aliases[path] ?? path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    if (name.length > 0 && known.has(String(name[0]))) shown.push({ name, errors: [message] });
    else rest.push(message);
  }
  if (shown.length > 0) form.setFields(shown);
  return rest;
}

/** An antd rule running one of the contracts' value schemas (ISBN, resident ID, money) in the UI language. */
export function zodRule(schema: z.ZodType, lang: 'zh' | 'en') {
  return {
    validator: async (_rule: unknown, value: unknown) => {
      if (value === undefined || value === '') return;
      const result = schema.safeParse(value);
      if (result.success) return;
      const issue = result.error.issues[0] as { message: string; params?: { messageZh?: string } } | undefined;
      throw new Error(lang === 'zh' ? (issue?.params?.messageZh ?? issue?.message) : issue?.message);
    },
  };
}

/** `a talent class needs its subject / 才艺培训须填写科目`: the schemas' bilingual messages. */
const BILINGUAL = /^(.+?) \/ (.*[\u4e00-\u9fff].*)$/s;

/** One schema issue in the UI language: the schema's own Chinese when it has one, else by issue code. */
function issueMessage(issue: z.core.$ZodIssue, lang: Lang): string {
  const messageZh = (issue as { params?: { messageZh?: string } }).params?.messageZh;
  if (lang === 'zh' && messageZh) return messageZh;
  const both = BILINGUAL.exec(issue.message);
  if (both) return (lang === 'zh' ? both[2] : both[1]) as string;
  if (lang === 'en' && issue.message) return issue.message;
  const words = DICTIONARIES[lang].schemaIssues;
  const origin = 'origin' in issue ? String(issue.origin) : '';
  const bound = 'maximum' in issue ? issue.maximum : 'minimum' in issue ? issue.minimum : '';
  const empty = issue.code === 'too_small' && origin === 'string' && Number(bound) === 1;
  const text = (empty ? words.invalid_type : (words[`${issue.code}.${origin}`] ?? words[issue.code])) ?? words.other;
  return (text as string).replace('{n}', String(bound));
}

/**
 * Checks a form's request body with the API's own schema before it is sent. Returns undefined when
 * the server would accept it, else field path → message (the first per field) in the UI language,
 * for `placeFieldErrors` — the same paths the server's problem+json names, so the same mapping
 * applies. The server stays the final word (`showFieldErrors`).
 */
export function validateWith(schema: z.ZodType, values: unknown, lang: Lang): Record<string, string> | undefined {
  const result = schema.safeParse(values);
  if (result.success) return undefined;
  const out: Record<string, string> = {};
  for (const issue of result.error.issues) out[issue.path.map(String).join('.')] ??= issueMessage(issue, lang);
  return out;
}
