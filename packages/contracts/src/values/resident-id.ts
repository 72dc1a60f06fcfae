import { z } from 'zod';

import { isProvinceCode } from './region-code.js';
import {
  addValueIssue,
  expectedTypeMessage,
  InvalidValueError,
  toHalfWidth,
  valueError,
  valueOk,
  type ValueResult,
} from './value-issue.js';

/** 公民身份号码, GB 11643-1999. */

export type Sex = 'male' | 'female';

export interface ResidentIdInfo {
  /** Normalised 18-character form (upper-case X, 15-digit IDs upgraded). */
  id: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: Sex;
  /** The 6-digit GB/T 2260 code of the place of first registration (not necessarily where one lives). */
  regionCode: string;
}

export type ResidentIdErrorCode =
  | 'empty'
  | 'bad_characters'
  | 'wrong_length'
  | 'misplaced_check_character'
  | 'unknown_province'
  | 'impossible_birth_date'
  | 'birth_date_before_1900'
  | 'future_birth_date'
  | 'bad_checksum';

export interface ResidentIdOptions {
  /** Reference date for the "not in the future" rule; defaults to now. */
  today?: Date;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('residentIdCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

export function parseResidentId(
  input: string,
  options: ResidentIdOptions = {},
): ValueResult<ResidentIdInfo, ResidentIdErrorCode> {
  const text = toHalfWidth(input).trim().toUpperCase();
  if (text === '') return valueError('empty', 'resident ID number is empty', '公民身份号码为空');
  if (!/^[\dX]+$/.test(text)) {
    return valueError(
      'bad_characters',
      'resident ID number may contain only digits and a final X',
      '公民身份号码只能由数字和末位的X组成',
    );
  }
  if (text.length !== 18 && text.length !== 15) {
    return valueError(
      'wrong_length',
      `resident ID number must have 18 characters (or 15 for the old form), got ${text.length}`,
      `公民身份号码应为18位（旧版为15位），实际为${text.length}位`,
    );
  }
  const xAt = text.indexOf('X');
  if (xAt !== -1 && xAt !== 17) {
    return valueError(
      'misplaced_check_character',
      'X may only appear as the last (check) character of a resident ID number',
      '公民身份号码中的X只能出现在最后一位（校验码）',
    );
  }
  const legacy = text.length === 15;
  const body = legacy ? `${text.slice(0, 6)}19${text.slice(6)}` : text.slice(0, 17);

  const province = body.slice(0, 2);
  if (!isProvinceCode(province)) {
    return valueError(
      'unknown_province',
      `resident ID number starts with ${province}, which is not a province code`,
      `公民身份号码前两位${province}不是有效的省级行政区划代码`,
    );
  }

  const birth = checkBirthDate(body.slice(6, 14), options.today ?? new Date());
  if (!birth.ok) return birth;

  const expected = residentIdCheckChar(body);
  if (!legacy && text.charAt(17) !== expected) {
    // The expected character is deliberately not revealed: it would turn the message into a way to
    // forge valid-looking numbers by trial.
    return valueError(
      'bad_checksum',
      'resident ID number check character does not match; please check for a typing error',
      '公民身份号码校验码不正确，请检查是否输错',
    );
  }

  return valueOk({
    id: body + expected,
    birthDate: birth.value,
    sex: Number(body.charAt(16)) % 2 === 1 ? 'male' : 'female',
    regionCode: body.slice(0, 6),
  });
}

/**
 * The zod form of parseResidentId: a string in, the normalised 18-character ID out. Built by a
 * factory so a service with an injected clock (or a test) can fix "today". The issue never carries
 * the input: an ID number must not reach logs through a 400 response body.
 */
export function residentIdSchema(options: { now?: () => Date } = {}) {
  return z.string({ error: expectedTypeMessage('string') }).transform((input, ctx) => {
    const parsed = parseResidentId(input, { today: options.now?.() ?? new Date() });
    if (!parsed.ok) {
      addValueIssue(ctx, parsed.error, undefined);
      return z.NEVER;
    }
    return parsed.value.id;
  });
}

export const ZResidentId = residentIdSchema();

export type ResidentId = z.infer<typeof ZResidentId>;

/**
 * "430626********1234": region and last four kept, birth date and sequence hidden. Never throws
 * (it runs on display paths); anything that is not an ID is masked entirely rather than shown.
 */
export function maskResidentId(id: string): string {
  const text = toHalfWidth(id).trim().toUpperCase();
  if (text.length === 18) return `${text.slice(0, 6)}********${text.slice(14)}`;
  if (text.length === 15) return `${text.slice(0, 6)}*****${text.slice(11)}`;
  return '*'.repeat(text.length);
}

export interface MakeResidentIdInput {
  /** 6-digit county code, e.g. "430626". */
  regionCode: string;
  /** YYYY-MM-DD; not checked against today so tests can build future-dated IDs. */
  birthDate: string;
  /** n-th person of this sex registered that day in that county, 0–499 (default 0). */
  sequence?: number;
  sex: Sex;
}

/**
 * Builds a valid 18-character ID for tests and the scenario generator. The 3-digit order code is
 * sequence × 2 + (male ? 1 : 0), so every (sequence, sex) pair gives a distinct, valid number.
 */
export function makeResidentId({ regionCode, birthDate, sequence = 0, sex }: MakeResidentIdInput): string {
  if (!/^\d{6}$/.test(regionCode) || !isProvinceCode(regionCode.slice(0, 2))) {
    throw new InvalidValueError({
      code: 'bad_region',
      message: `makeResidentId: "${regionCode}" is not a 6-digit code of a real province`,
      messageZh: `makeResidentId：“${regionCode}”不是有效的6位行政区划代码`,
    });
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (date === null || !isCalendarDate(Number(date[1]), Number(date[2]), Number(date[3]))) {
    throw new InvalidValueError({
      code: 'bad_birth_date',
      message: `makeResidentId: "${birthDate}" is not a YYYY-MM-DD calendar date`,
      messageZh: `makeResidentId：“${birthDate}”不是有效的YYYY-MM-DD日期`,
    });
  }
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 499) {
    throw new InvalidValueError({
      code: 'bad_sequence',
      message: `makeResidentId: sequence must be an integer 0–499, got ${sequence}`,
      messageZh: `makeResidentId：顺序号应为0至499的整数，实际为${sequence}`,
    });
  }
  const order = String(sequence * 2 + (sex === 'male' ? 1 : 0)).padStart(3, '0');
  const body = `${regionCode}${birthDate.replace(/-/g, '')}${order}`;
  return body + residentIdCheckChar(body);
}

function checkBirthDate(yyyymmdd: string, today: Date): ValueResult<string, ResidentIdErrorCode> {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  if (!isCalendarDate(year, month, day)) {
    return valueError(
      'impossible_birth_date',
      `resident ID number contains birth date ${iso}, which does not exist`,
      `公民身份号码中的出生日期${iso}不存在`,
    );
  }
  if (year < 1900) {
    return valueError(
      'birth_date_before_1900',
      `resident ID number contains birth date ${iso}, before 1900`,
      `公民身份号码中的出生日期${iso}早于1900年`,
    );
  }
  if (iso > chinaDate(today)) {
    return valueError(
      'future_birth_date',
      `resident ID number contains birth date ${iso}, which is in the future`,
      `公民身份号码中的出生日期${iso}晚于今天`,
    );
  }
  return valueOk(iso);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/**
 * Birth dates on IDs are Beijing-time dates. Servers run in UTC, so between 00:00 and 08:00 Beijing
 * time a baby born "today" would look born tomorrow; China has no DST, so a fixed +8 h is exact.
 */
function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
