/** Problem+json → antd form field errors, and zod value schemas → antd validators. */
import type { FormInstance } from 'antd';
import type { z } from 'zod';

import { ApiError } from './api';

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
  const known = new Set(
    Object.keys(form.getFieldsValue(true) as Record<string, unknown>).map((k) => k.split('.')[0] as string),
  );
  const shown: { name: (string | number)[]; errors: string[] }[] = [];
  const rest: string[] = [];
  for (const [path, message] of Object.entries(error.fields)) {
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
