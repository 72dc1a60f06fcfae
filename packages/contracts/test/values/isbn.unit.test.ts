import { describe, expect, it } from 'vitest';

import {
  isbn10CheckChar,
  isbn13CheckDigit,
  parseIsbn,
  valueIssueOf,
  ZIsbn13,
  type IsbnErrorCode,
} from '../../src/values/index.js';

describe('ISBN check digits, hand-verified', () => {
  it('when checking 978-7-02-000220-7, then the weighted sum gives 7', () => {
    // 9·1+7·3+8·1+7·3+0·1+2·3+0·1+0·3+0·1+2·3+2·1+0·3 = 9+21+8+21+0+6+0+0+0+6+2+0 = 73 → (10 − 3) mod 10 = 7
    expect(isbn13CheckDigit('978702000220')).toBe('7');
  });

  it('when checking 978-0-306-40615-7, then the weighted sum gives 7', () => {
    // 9+21+8+0+3+0+6+12+0+18+1+15 = 93 → 7
    expect(isbn13CheckDigit('978030640615')).toBe('7');
  });

  it('when checking ISBN-10 0-306-40615-2, then the weighted sum gives 2', () => {
    // 0·10+3·9+0·8+6·7+4·6+0·5+6·4+1·3+5·2 = 130; 130 mod 11 = 9 → 11 − 9 = 2
    expect(isbn10CheckChar('030640615')).toBe('2');
  });

  it('when checking ISBN-10 7-02-000220-?, then the check is X', () => {
    // 7·10+0+2·8+0+0+0+2·4+2·3+0 = 100; 100 mod 11 = 1 → 11 − 1 = 10 → X
    expect(isbn10CheckChar('702000220')).toBe('X');
  });

  it('when the sum is already a multiple, then the check is 0', () => {
    // 9,7,8,7,1,0,0,0,0,0,0,0 → 9+21+8+21+1 = 60 → (10 − 0) mod 10 = 0
    expect(isbn13CheckDigit('978710000000')).toBe('0');
  });

  it('when given the wrong number of digits, then the helpers throw', () => {
    expect(() => isbn13CheckDigit('978')).toThrow(RangeError);
    expect(() => isbn10CheckChar('12345678X')).toThrow(RangeError);
  });
});

describe('parseIsbn', () => {
  it.each([
    ['978-7-02-000220-7', '9787020002207'],
    ['9787020002207', '9787020002207'],
    ['978 7 02 000220 7', '9787020002207'],
    ['ISBN 978-7-02-000220-7', '9787020002207'],
    ['ISBN-13: 978-7-02-000220-7', '9787020002207'],
    ['９７８－７－０２－０００２２０－７', '9787020002207'],
    ['978-0-306-40615-7', '9780306406157'],
  ])('when given ISBN-13 %j, then it is %s', (input, expected) => {
    expect(parseIsbn(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['0-306-40615-2', '9780306406157'],
    ['7-02-000220-X', '9787020002207'],
    ['7-02-000220-x', '9787020002207'],
    ['ISBN-10: 702000220X', '9787020002207'],
  ])('when given ISBN-10 %j, then it converts to ISBN-13 %s', (input, expected) => {
    expect(parseIsbn(input)).toEqual({ ok: true, value: expected });
  });

  it('when given a 979 ISBN-13 with a correct check, then it is accepted', () => {
    const first12 = '979100000000';
    expect(parseIsbn(first12 + isbn13CheckDigit(first12))).toEqual({
      ok: true,
      value: first12 + isbn13CheckDigit(first12),
    });
  });

  it.each<[string, IsbnErrorCode]>([
    ['', 'empty'],
    ['ISBN', 'empty'],
    ['978-7-02-00022O-7', 'bad_characters'],
    ['X020002207', 'bad_characters'],
    ['978702000220X', 'bad_characters'],
    ['978-7-02-000220', 'wrong_length'],
    ['97870200022071', 'wrong_length'],
    ['9777020002207', 'bad_prefix'],
    ['978-7-02-000220-8', 'bad_checksum'],
    ['0-306-40615-3', 'bad_checksum'],
    ['7-02-000220-0', 'bad_checksum'],
  ])('when given %j, then the error is %s', (input, code) => {
    const result = parseIsbn(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.messageZh).toMatch(/ISBN|X/);
    }
  });
});

describe('ZIsbn13', () => {
  it('when given an ISBN-10, then the output is the ISBN-13', () => {
    expect(ZIsbn13.parse('0-306-40615-2')).toBe('9780306406157');
  });

  it('when the check digit is wrong, then the issue is bilingual', () => {
    const issue = ZIsbn13.safeParse('978-7-02-000220-8').error?.issues[0];
    expect(issue && valueIssueOf(issue)).toEqual({
      code: 'bad_checksum',
      message: 'ISBN check digit does not match; please check for a typing error',
      messageZh: 'ISBN校验位不正确，请检查是否输错',
    });
  });
});
