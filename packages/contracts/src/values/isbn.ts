import { z } from 'zod';

import {
  addValueIssue,
  expectedTypeMessage,
  toHalfWidth,
  valueError,
  valueOk,
  type ValueResult,
} from './value-issue.js';

/**
 * Books donated to school libraries are counted per title, so every title is keyed by one canonical
 * form: 13 bare digits. ISBN-10s (printed on books before 2007) are converted, never stored as such.
 */

export type IsbnErrorCode = 'empty' | 'bad_characters' | 'wrong_length' | 'bad_prefix' | 'bad_checksum';

export function isbn13CheckDigit(first12: string): string {
  if (!/^\d{12}$/.test(first12)) throw new RangeError('isbn13CheckDigit needs exactly 12 digits');
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

export function isbn10CheckChar(first9: string): string {
  if (!/^\d{9}$/.test(first9)) throw new RangeError('isbn10CheckChar needs exactly 9 digits');
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(first9[i]) * (10 - i);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

export function parseIsbn(input: string): ValueResult<string, IsbnErrorCode> {
  const text = toHalfWidth(input)
    .trim()
    .toUpperCase()
    // Catalogue records often keep the label: "ISBN 978-…", "ISBN-13: 978…".
    .replace(/^ISBN(?:-?1[03])?:?/, '')
    .replace(/[\s-]/g, '');
  if (text === '') return valueError('empty', 'ISBN is empty', 'ISBN为空');
  if (!/^[\dX]+$/.test(text)) {
    return valueError(
      'bad_characters',
      'ISBN may contain only digits, hyphens and a final X (ISBN-10)',
      'ISBN只能包含数字、连字符和ISBN-10末位的X',
    );
  }
  if (text.length === 10) {
    if (!/^\d{9}[\dX]$/.test(text)) {
      return valueError(
        'bad_characters',
        'X may only be the last character of an ISBN-10',
        'X只能出现在ISBN-10的最后一位',
      );
    }
    if (isbn10CheckChar(text.slice(0, 9)) !== text.charAt(9)) return badChecksum();
    const first12 = `978${text.slice(0, 9)}`;
    return valueOk(first12 + isbn13CheckDigit(first12));
  }
  if (text.length !== 13) {
    return valueError(
      'wrong_length',
      `ISBN must have 13 digits (or 10 for ISBN-10), got ${text.length}`,
      `ISBN应为13位（ISBN-10为10位），实际为${text.length}位`,
    );
  }
  if (!/^\d{13}$/.test(text)) {
    return valueError('bad_characters', 'an ISBN-13 consists of digits only', 'ISBN-13只能由数字组成');
  }
  if (!text.startsWith('978') && !text.startsWith('979')) {
    return valueError(
      'bad_prefix',
      `ISBN-13 must start with 978 or 979, got ${text.slice(0, 3)}`,
      `ISBN-13应以978或979开头，实际为${text.slice(0, 3)}`,
    );
  }
  if (isbn13CheckDigit(text.slice(0, 12)) !== text.charAt(12)) return badChecksum();
  return valueOk(text);
}

export const ZIsbn13 = z.string({ error: expectedTypeMessage('string') }).transform((input, ctx) => {
  const parsed = parseIsbn(input);
  if (!parsed.ok) {
    addValueIssue(ctx, parsed.error, input);
    return z.NEVER;
  }
  return parsed.value;
});

export type Isbn13 = z.infer<typeof ZIsbn13>;

function badChecksum() {
  return valueError<IsbnErrorCode>(
    'bad_checksum',
    'ISBN check digit does not match; please check for a typing error',
    'ISBN校验位不正确，请检查是否输错',
  );
}
