import { describe, expect, it } from 'vitest';

import {
  addFen,
  formatYuan,
  formatYuanZh,
  InvalidValueError,
  parseYuan,
  sumFen,
  valueIssueOf,
  ZFen,
  ZYuan,
  type MoneyErrorCode,
} from '../../src/values/index.js';

function fen(input: string | number, allowNegative = false): number | MoneyErrorCode {
  const result = parseYuan(input, { allowNegative });
  return result.ok ? result.value : result.error.code;
}

describe('parseYuan', () => {
  it.each<[string | number, number]>([
    ['0', 0],
    ['0.1', 10],
    ['0.01', 1],
    ['12.5', 1250],
    ['1100000.50', 110000050],
    ['1,100,000', 110000000],
    ['1,100,000.50', 110000050],
    ['4500000', 450000000],
    ['  ¥1,234.56 ', 123456],
    ['￥8', 800],
    ['１，１００，０００．５０', 110000050],
    ['+3', 300],
    ['007.10', 710],
    [0, 0],
    [0.1, 10],
    [1100000.5, 110000050],
    [19.99, 1999],
  ])('when given %j, then it is %i fen', (input, expected) => {
    expect(fen(input)).toBe(expected);
  });

  it('when given "1.005", then it is rejected with the bilingual decimals message', () => {
    expect(parseYuan('1.005')).toEqual({
      ok: false,
      error: {
        code: 'too_many_decimals',
        message: 'amount has more than two decimal places',
        messageZh: '金额最多两位小数',
      },
    });
  });

  it.each<[string | number, MoneyErrorCode]>([
    ['', 'empty'],
    ['  ', 'empty'],
    ['¥', 'empty'],
    ['-1', 'negative_amount'],
    ['-0.01', 'negative_amount'],
    [-1, 'negative_amount'],
    ['1e3', 'exponent_not_allowed'],
    ['1.5E2', 'exponent_not_allowed'],
    ['NaN', 'bad_format'],
    ['abc', 'bad_format'],
    ['1.', 'bad_format'],
    ['.5', 'bad_format'],
    ['1 000', 'bad_format'],
    ['12元', 'bad_format'],
    ['1,00,000', 'bad_grouping'],
    ['1000,000', 'bad_grouping'],
    ['1,000.', 'bad_format'],
    [Number.NaN, 'not_finite'],
    [Number.POSITIVE_INFINITY, 'not_finite'],
    [1.005, 'too_many_decimals'],
    [0.1 + 0.2, 'too_many_decimals'],
    [1e-7, 'too_many_decimals'],
    [1e21, 'too_large'],
    ['90071992547409.92', 'too_large'],
    ['100000000000000000000', 'too_large'],
  ])('when given %j, then the error is %s', (input, code) => {
    expect(fen(input)).toBe(code);
  });

  it('when negatives are allowed, then "-12.30" is -1230 fen', () => {
    expect(fen('-12.30', true)).toBe(-1230);
    expect(fen(-0.5, true)).toBe(-50);
  });

  it('when given "-0", then it is zero, not a negative amount', () => {
    expect(fen('-0')).toBe(0);
  });

  it('when given the largest exact amount, then it is accepted', () => {
    expect(fen('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('ZFen', () => {
  it('when given non-negative safe integers, then they pass unchanged', () => {
    expect(ZFen.parse(0)).toBe(0);
    expect(ZFen.parse(110000050)).toBe(110000050);
    expect(ZFen.parse(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each<[number, string, string]>([
    [-1, 'negative_amount', '金额不能为负数'],
    [1.5, 'not_integer', '以分为单位的金额必须是整数，实际为1.5'],
    [Number.MAX_SAFE_INTEGER + 1, 'too_large', '金额过大，无法精确表示'],
  ])('when given %d, then the issue is %s with its Chinese message', (input, code, messageZh) => {
    const issue = ZFen.safeParse(input).error?.issues[0];
    expect(issue && valueIssueOf(issue)).toMatchObject({ code, messageZh });
  });

  it('when given NaN or Infinity, then zod reports a type error naming the value', () => {
    const issue = ZFen.safeParse(Number.POSITIVE_INFINITY).error?.issues[0];
    expect(issue && valueIssueOf(issue)).toEqual({
      code: 'invalid_type',
      message: 'expected a number, got Infinity',
      messageZh: '应为数字',
    });
    expect(ZFen.safeParse(Number.NaN).error?.issues[0]?.message).toBe('expected a number, got NaN');
  });

  it('when given a string, then a bilingual type error', () => {
    const issue = ZFen.safeParse('100').error?.issues[0];
    expect(issue && valueIssueOf(issue)).toEqual({
      code: 'invalid_type',
      message: 'expected a number, got string',
      messageZh: '应为数字',
    });
  });
});

describe('ZYuan', () => {
  it('when given yuan text, then the output is fen', () => {
    expect(ZYuan.parse('1,100,000.50')).toBe(110000050);
  });

  it('when given too many decimals, then the zod issue is bilingual', () => {
    const issue = ZYuan.safeParse('1.005').error?.issues[0];
    expect(issue?.message).toBe('amount has more than two decimal places');
    expect(issue && valueIssueOf(issue).messageZh).toBe('金额最多两位小数');
  });
});

describe('formatYuan', () => {
  it.each<[number, string]>([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [123456, '1,234.56'],
    [110000050, '1,100,000.50'],
    [450000000, '4,500,000.00'],
    [-1250, '-12.50'],
    [Number.MAX_SAFE_INTEGER, '90,071,992,547,409.91'],
  ])('when formatting %i fen, then it reads %s', (input, expected) => {
    expect(formatYuan(input)).toBe(expected);
  });

  it('when given a non-integer, then it throws', () => {
    expect(() => formatYuan(1.5)).toThrow(InvalidValueError);
  });
});

describe('formatYuanZh', () => {
  it.each<[number, string]>([
    [0, '0.00元'],
    [12345, '123.45元'],
    [999999, '9999.99元'],
    [1000000, '1.00万元'],
    [110000000, '110.00万元'],
    [450000000, '450.00万元'],
    [123456789, '123.46万元'],
    [123454999, '123.45万元'],
    [123455000, '123.46万元'],
    [-110000000, '-110.00万元'],
    [-150, '-1.50元'],
  ])('when formatting %i fen, then it reads %s', (input, expected) => {
    expect(formatYuanZh(input)).toBe(expected);
  });
});

describe('addFen and sumFen', () => {
  it('when adding, then the result is exact', () => {
    expect(addFen(10, 20)).toBe(30);
    expect(sumFen([110000050, 1, 99])).toBe(110000150);
    expect(sumFen([])).toBe(0);
    expect(sumFen(new Set([1, 2, 3]))).toBe(6);
  });

  it('when the sum exceeds Number.MAX_SAFE_INTEGER, then it throws a bilingual error', () => {
    expect(() => addFen(Number.MAX_SAFE_INTEGER, 1)).toThrow(InvalidValueError);
    expect(() => sumFen([Number.MAX_SAFE_INTEGER - 1, 1, 1])).toThrow(/exceeds.*超出/);
    try {
      addFen(Number.MAX_SAFE_INTEGER, 1);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidValueError);
      expect((error as InvalidValueError).issue.code).toBe('too_large');
    }
  });

  it('when exactly reaching Number.MAX_SAFE_INTEGER, then it is allowed', () => {
    expect(addFen(Number.MAX_SAFE_INTEGER - 1, 1)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('when an addend is not an integer, then it throws', () => {
    expect(() => addFen(0.1, 0.2)).toThrow(InvalidValueError);
    expect(() => sumFen([1, Number.NaN])).toThrow(InvalidValueError);
  });
});
