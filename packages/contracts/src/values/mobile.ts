import { z } from 'zod';

import {
  addValueIssue,
  expectedTypeMessage,
  toHalfWidth,
  valueError,
  valueOk,
  type ValueResult,
} from './value-issue.js';

/** Chinese mainland mobile number, normalised to its 11 bare digits. */

export type MobileErrorCode = 'empty' | 'bad_characters' | 'wrong_length' | 'bad_prefix';

export function parseMobile(input: string): ValueResult<string, MobileErrorCode> {
  // Separators people type ("138 1234 5678", "138-1234-5678") carry no meaning.
  let text = toHalfWidth(input).trim().replace(/[\s-]/g, '');
  if (text === '') return valueError('empty', 'mobile number is empty', '手机号码为空');
  if (text.startsWith('+86')) text = text.slice(3);
  else if (text.startsWith('0086')) text = text.slice(4);
  if (!/^\d+$/.test(text)) {
    return valueError(
      'bad_characters',
      'mobile number may contain only digits (and a +86 prefix)',
      '手机号码只能包含数字（可带+86前缀）',
    );
  }
  if (text.length !== 11) {
    return valueError(
      'wrong_length',
      `mobile number must have 11 digits, got ${text.length}`,
      `手机号码应为11位数字，实际为${text.length}位`,
    );
  }
  if (!/^1[3-9]/.test(text)) {
    return valueError('bad_prefix', 'mobile number must start with 13–19', '手机号码应以13至19开头');
  }
  return valueOk(text);
}

export const ZMobile = z.string({ error: expectedTypeMessage('string') }).transform((input, ctx) => {
  const parsed = parseMobile(input);
  if (!parsed.ok) {
    // No input on the issue: phone numbers must not reach logs through error bodies.
    addValueIssue(ctx, parsed.error);
    return z.NEVER;
  }
  return parsed.value;
});

export type Mobile = z.infer<typeof ZMobile>;

/** "13812345678" → "138****5678". Never throws; anything that is not a mobile number is fully masked. */
export function maskMobile(mobile: string): string {
  const parsed = parseMobile(mobile);
  if (!parsed.ok) return '*'.repeat(toHalfWidth(mobile).trim().length);
  return `${parsed.value.slice(0, 3)}****${parsed.value.slice(7)}`;
}
