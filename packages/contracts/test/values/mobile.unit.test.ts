import { describe, expect, it } from 'vitest';

import { maskMobile, parseMobile, valueIssueOf, ZMobile, type MobileErrorCode } from '../../src/values/index.js';

describe('parseMobile', () => {
  it.each([
    ['13812345678'],
    ['138 1234 5678'],
    ['138-1234-5678'],
    ['+8613812345678'],
    ['+86 138 1234 5678'],
    ['0086-138-1234-5678'],
    ['１３８１２３４５６７８'],
    ['  13812345678\t'],
  ])('when given %j, then it is 13812345678', (input) => {
    expect(parseMobile(input)).toEqual({ ok: true, value: '13812345678' });
  });

  it.each(['13000000000', '14500000000', '15912345678', '16612345678', '17712345678', '18812345678', '19912345678'])(
    'when the prefix of %s is 13–19, then it is accepted',
    (input) => {
      expect(parseMobile(input).ok).toBe(true);
    },
  );

  it.each<[string, MobileErrorCode]>([
    ['', 'empty'],
    [' - ', 'empty'],
    ['138(1234)5678', 'bad_characters'],
    ['+1 415 555 0100', 'bad_characters'],
    ['1381234567', 'wrong_length'],
    ['138123456789', 'wrong_length'],
    ['8613812345678', 'wrong_length'],
    ['12812345678', 'bad_prefix'],
    ['02712345678', 'bad_prefix'],
    ['+86 0731 8888 888', 'bad_prefix'],
  ])('when given %j, then the error is %s', (input, code) => {
    const result = parseMobile(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.messageZh).toMatch(/手机号码/);
    }
  });
});

describe('ZMobile', () => {
  it('when valid, then the output is the 11 bare digits', () => {
    expect(ZMobile.parse('+86 138-1234-5678')).toBe('13812345678');
  });

  it('when invalid, then the issue is bilingual and does not echo the number', () => {
    const result = ZMobile.safeParse('1381234567');
    const issue = result.error?.issues[0];
    expect(issue && valueIssueOf(issue)).toEqual({
      code: 'wrong_length',
      message: 'mobile number must have 11 digits, got 10',
      messageZh: '手机号码应为11位数字，实际为10位',
    });
    expect(JSON.stringify(result.error?.issues)).not.toContain('1381234567');
  });
});

describe('maskMobile', () => {
  it('when masking a valid number in any spelling, then the first 3 and last 4 digits remain', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
    expect(maskMobile('+86 138-1234-5678')).toBe('138****5678');
  });

  it('when the value is not a mobile number, then everything is masked', () => {
    expect(maskMobile('0731-8888888')).toBe('************');
    expect(maskMobile('')).toBe('');
  });
});
