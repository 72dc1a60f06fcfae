import { z } from 'zod';

/**
 * One validation failure of a value type. `code` is stable and machine-readable (tests, problem+json
 * `errors[].code`, UI lookups); `message` and `messageZh` are ready to show, because most officers
 * using the platform read Chinese while logs and API consumers read English.
 */
export interface ValueIssue<C extends string = string> {
  code: C;
  message: string;
  messageZh: string;
}

/** Parsers return a result instead of throwing: bad input is expected, not exceptional. */
export type ValueResult<T, C extends string = string> = { ok: true; value: T } | { ok: false; error: ValueIssue<C> };

/** Thrown only by functions whose caller broke a precondition (e.g. a sum that overflows). */
export class InvalidValueError extends Error {
  readonly issue: ValueIssue;

  constructor(issue: ValueIssue) {
    super(`${issue.message} / ${issue.messageZh}`);
    this.name = 'InvalidValueError';
    this.issue = issue;
  }
}

export function valueOk<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function valueError<C extends string>(
  code: C,
  message: string,
  messageZh: string,
): { ok: false; error: ValueIssue<C> } {
  return { ok: false, error: { code, message, messageZh } };
}

/**
 * The zod side of the same design: a custom issue whose `message` is the English text and whose
 * `params` carry `{ code, messageZh }`, so a problem+json mapper needs no knowledge of each value type.
 */
export interface ValueIssueParams {
  code: string;
  messageZh: string;
}

type IssueSink = {
  addIssue(issue: { code: 'custom'; message: string; params: ValueIssueParams; input?: unknown }): void;
};

export function addValueIssue(ctx: IssueSink, issue: ValueIssue, input?: unknown): void {
  ctx.addIssue({
    code: 'custom',
    message: issue.message,
    params: { code: issue.code, messageZh: issue.messageZh },
    input,
  });
}

/** Used as `error` of the base zod type, so a wrong JSON type still gets a readable English message. */
export function expectedTypeMessage(expected: 'string' | 'number') {
  return (issue: { input?: unknown }) => `expected a ${expected}, got ${describeType(issue.input)}`;
}

const TYPE_ZH: Record<string, string> = { string: '文本', number: '数字' };

/**
 * Turns any issue raised by a value schema into the bilingual shape. Our own issues carry their
 * Chinese text; zod's type errors (wrong JSON type) get a generic bilingual fallback here, because
 * zod's error map can only return a message, not extra fields.
 */
export function valueIssueOf(issue: z.core.$ZodIssue): ValueIssue {
  const params = issue.code === 'custom' ? (issue.params as Partial<ValueIssueParams> | undefined) : undefined;
  if (params && typeof params.code === 'string' && typeof params.messageZh === 'string') {
    return { code: params.code, message: issue.message, messageZh: params.messageZh };
  }
  if (issue.code === 'invalid_type') {
    const expected = String(issue.expected);
    return {
      code: 'invalid_type',
      message: issue.message,
      messageZh: `应为${TYPE_ZH[expected] ?? expected}`,
    };
  }
  return { code: issue.code, message: issue.message, messageZh: '输入无效' };
}

function describeType(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  // zod reports NaN and Infinity as wrong types; "got number" would confuse the reader.
  if (typeof input === 'number' && !Number.isFinite(input)) return String(input);
  return typeof input;
}

const FULL_WIDTH_OFFSET = 0xfee0;

/**
 * Forms typed on Chinese input methods often produce full-width characters (０-９, Ｘ, ，, －) and
 * ideographic spaces; they mean the same thing as their ASCII twins, so every value type folds them
 * before validating.
 */
export function toHalfWidth(input: string): string {
  return input
    .replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - FULL_WIDTH_OFFSET))
    .replace(/\u3000/g, ' ');
}
