import { z } from 'zod';

import {
  addValueIssue,
  expectedTypeMessage,
  InvalidValueError,
  toHalfWidth,
  valueError,
  valueOk,
  type ValueIssue,
  type ValueResult,
} from './value-issue.js';

/**
 * Money is held as an integer number of fen (分, 1/100 yuan). Floats cannot represent 0.1 exactly,
 * and donation totals are audited to the fen, so yuan only ever exist as text at the edges.
 */

export type MoneyErrorCode =
  | 'empty'
  | 'not_finite'
  | 'bad_format'
  | 'exponent_not_allowed'
  | 'bad_grouping'
  | 'too_many_decimals'
  | 'negative_amount'
  | 'too_large'
  | 'not_integer';

export interface ParseYuanOptions {
  /** Refunds and corrections may be negative; amounts entered by users never are. Default false. */
  allowNegative?: boolean;
}

function checkFen(value: number, allowNegative: boolean): ValueResult<number, MoneyErrorCode> {
  if (!Number.isFinite(value)) return valueError('not_finite', 'amount must be a finite number', '金额必须是有限数值');
  if (!Number.isInteger(value)) {
    return valueError(
      'not_integer',
      `amount in fen must be a whole number, got ${value}`,
      `以分为单位的金额必须是整数，实际为${value}`,
    );
  }
  if (!Number.isSafeInteger(value)) return tooLarge();
  if (value < 0 && !allowNegative) {
    return valueError('negative_amount', 'amount must not be negative', '金额不能为负数');
  }
  return valueOk(value);
}

/** Non-negative amount in fen. */
export const ZFen = z.number({ error: expectedTypeMessage('number') }).superRefine((value, ctx) => {
  const checked = checkFen(value, false);
  if (!checked.ok) addValueIssue(ctx, checked.error, value);
});

export type Fen = z.infer<typeof ZFen>;

/**
 * "1,100,000.50" → 110000050. Numbers are accepted too, read through their shortest decimal form, so
 * 0.1 + 0.2 (0.30000000000000004) is rejected for its decimals instead of silently rounded.
 */
export function parseYuan(input: string | number, options: ParseYuanOptions = {}): ValueResult<number, MoneyErrorCode> {
  const allowNegative = options.allowNegative ?? false;
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input))
      return valueError('not_finite', 'amount must be a finite number', '金额必须是有限数值');
    if (Math.abs(input) >= 1e21) return tooLarge();
    text = String(input);
    // Only tiny magnitudes print with an exponent below 1e21 (e.g. 1e-7): necessarily too precise.
    if (/e/i.test(text)) return tooManyDecimals();
  } else {
    text = toHalfWidth(input).trim();
  }
  text = text.replace(/^[¥￥]\s*/, '');
  if (text === '') return valueError('empty', 'amount is empty', '金额为空');
  if (/^[+-]?[\d,]*\.?\d*e/i.test(text)) {
    return valueError(
      'exponent_not_allowed',
      'amount must be written as plain digits, not in exponent notation',
      '金额应直接写数字，不能使用科学计数法',
    );
  }
  const match = /^([+-]?)([\d,]+)(?:\.(\d+))?$/.exec(text);
  if (match === null) {
    return valueError(
      'bad_format',
      `"${text}" is not an amount of yuan such as 1,234.50`,
      `"${text}"不是有效的金额（例如1,234.50）`,
    );
  }
  const [, sign = '', integerPart = '', decimals = ''] = match;
  if (integerPart.includes(',') && !/^\d{1,3}(,\d{3})+$/.test(integerPart)) {
    return valueError(
      'bad_grouping',
      `"${text}" has misplaced thousands separators`,
      `"${text}"的千位分隔符位置不正确`,
    );
  }
  if (decimals.length > 2) return tooManyDecimals();
  const fen = BigInt(integerPart.replace(/,/g, '')) * 100n + BigInt(decimals.padEnd(2, '0'));
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) return tooLarge();
  if (sign === '-' && fen !== 0n && !allowNegative) {
    return valueError('negative_amount', 'amount must not be negative', '金额不能为负数');
  }
  return valueOk(sign === '-' && fen !== 0n ? -Number(fen) : Number(fen));
}

/** Yuan as typed by a person ("1,100,000.50", "¥12.5"), out as fen. */
export const ZYuan = z.string({ error: expectedTypeMessage('string') }).transform((input, ctx) => {
  const parsed = parseYuan(input);
  if (!parsed.ok) {
    addValueIssue(ctx, parsed.error, input);
    return z.NEVER;
  }
  return parsed.value;
});

/** 110000050 → "1,100,000.50" */
export function formatYuan(fen: number): string {
  const value = requireSafeInteger(fen);
  const abs = Math.abs(value);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${value < 0 ? '-' : ''}${groupThousands(String(yuan))}.${cents}`;
}

/**
 * Chinese reports state large sums in 万元 with two decimals ("110.00万元"), smaller ones in 元.
 * Rounding to 0.01 万元 is half-up on the absolute value, done in integers.
 */
export function formatYuanZh(fen: number): string {
  const value = requireSafeInteger(fen);
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (abs >= 1_000_000) {
    const remainder = abs % 10_000;
    const hundredthsOfWan = (abs - remainder) / 10_000 + (remainder * 2 >= 10_000 ? 1 : 0);
    const wan = Math.floor(hundredthsOfWan / 100);
    return `${sign}${wan}.${String(hundredthsOfWan % 100).padStart(2, '0')}万元`;
  }
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}元`;
}

export function addFen(a: number, b: number): number {
  const sum = requireSafeInteger(a) + requireSafeInteger(b);
  if (!Number.isSafeInteger(sum)) throw new InvalidValueError(overflowIssue());
  return sum;
}

export function sumFen(amounts: Iterable<number>): number {
  let total = 0;
  for (const amount of amounts) total = addFen(total, amount);
  return total;
}

function requireSafeInteger(fen: number): number {
  if (!Number.isSafeInteger(fen)) {
    throw new InvalidValueError({
      code: 'not_integer',
      message: `amount in fen must be a safe integer, got ${fen}`,
      messageZh: `以分为单位的金额必须是安全范围内的整数，实际为${fen}`,
    });
  }
  return fen;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function overflowIssue(): ValueIssue<MoneyErrorCode> {
  return {
    code: 'too_large',
    message: 'amount total exceeds the largest amount that can be represented exactly',
    messageZh: '金额合计超出可精确表示的范围',
  };
}

function tooLarge() {
  return valueError<MoneyErrorCode>(
    'too_large',
    'amount is too large to be represented exactly',
    '金额过大，无法精确表示',
  );
}

function tooManyDecimals() {
  return valueError<MoneyErrorCode>('too_many_decimals', 'amount has more than two decimal places', '金额最多两位小数');
}
