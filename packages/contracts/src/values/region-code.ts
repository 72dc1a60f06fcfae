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
 * Levels of the Chinese administrative hierarchy as the platform uses them. The canonical code of
 * each level has a fixed length (2/4/6/9/12 digits), so "is X inside Y" is a plain prefix test.
 */
export type RegionLevel = 'province' | 'prefecture' | 'county' | 'township' | 'village';

export type RegionCodeErrorCode = 'empty' | 'bad_characters' | 'wrong_length' | 'unknown_province' | 'zero_segment';

export interface ParsedRegionCode {
  /** Canonical short form: "43", "4306", "430626", "430626101", "430626101201". */
  code: string;
  level: RegionLevel;
}

const LEVEL_BY_LENGTH: Readonly<Record<number, RegionLevel>> = {
  2: 'province',
  4: 'prefecture',
  6: 'county',
  9: 'township',
  12: 'village',
};

const LEVEL_LENGTHS = [2, 4, 6, 9, 12] as const;

/** GB/T 2260 province-level codes (incl. 71 Taiwan, 81 Hong Kong, 82 Macao, which appear on IDs). */
// prettier-ignore
const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

export function isProvinceCode(code: string): boolean {
  return PROVINCE_CODES.has(code);
}

/**
 * Accepts the short canonical forms and the zero-padded forms found in GB/T 2260 ("430600") and the
 * statistical division tables ("430600000000"); trailing all-zero segments mean "the parent itself",
 * so they are stripped. A zero segment followed by a non-zero one ("430006…") names nothing.
 */
export function parseRegionCode(input: string): ValueResult<ParsedRegionCode, RegionCodeErrorCode> {
  const text = toHalfWidth(input).trim();
  if (text === '') return valueError('empty', 'region code is empty', '行政区划代码为空');
  if (!/^\d+$/.test(text)) {
    return valueError(
      'bad_characters',
      `region code "${text}" must contain digits only`,
      `行政区划代码"${text}"只能包含数字`,
    );
  }
  if (!(text.length in LEVEL_BY_LENGTH)) {
    return valueError(
      'wrong_length',
      `region code "${text}" must have 2, 4, 6, 9 or 12 digits, got ${text.length}`,
      `行政区划代码"${text}"应为2、4、6、9或12位数字，实际为${text.length}位`,
    );
  }
  let code = text;
  while (code.length > 2) {
    const parentLength = LEVEL_LENGTHS[LEVEL_LENGTHS.indexOf(code.length as (typeof LEVEL_LENGTHS)[number]) - 1] ?? 2;
    if (!/^0+$/.test(code.slice(parentLength))) break;
    code = code.slice(0, parentLength);
  }
  const province = code.slice(0, 2);
  if (!PROVINCE_CODES.has(province)) {
    return valueError(
      'unknown_province',
      `region code "${text}" has unknown province code ${province}`,
      `行政区划代码"${text}"的省级代码${province}不存在`,
    );
  }
  for (let i = 1; i < LEVEL_LENGTHS.length; i += 1) {
    const from = LEVEL_LENGTHS[i - 1] ?? 0;
    const to = LEVEL_LENGTHS[i] ?? 0;
    if (code.length >= to && /^0+$/.test(code.slice(from, to))) {
      return valueError(
        'zero_segment',
        `region code "${text}" has an all-zero segment before a non-zero one`,
        `行政区划代码"${text}"中间有全零的层级`,
      );
    }
  }
  return valueOk({ code, level: levelOfLength(code.length) });
}

/** Like parseRegionCode but for trusted call sites: a malformed code is a programming error there. */
export function canonicalRegionCode(input: string): string {
  const parsed = parseRegionCode(input);
  if (!parsed.ok) throw new RangeError(`${parsed.error.message} / ${parsed.error.messageZh}`);
  return parsed.value.code;
}

export function regionLevel(code: string): RegionLevel {
  return levelOfLength(canonicalRegionCode(code).length);
}

/** null for a province: the country is not a region the platform scopes by. */
export function parentOf(code: string): string | null {
  const canonical = canonicalRegionCode(code);
  const index = LEVEL_LENGTHS.indexOf(canonical.length as (typeof LEVEL_LENGTHS)[number]);
  const parentLength = index > 0 ? LEVEL_LENGTHS[index - 1] : undefined;
  return parentLength === undefined ? null : canonical.slice(0, parentLength);
}

/** Broadest first, the code itself excluded: ancestorsOf("430626101") → ["43", "4306", "430626"]. */
export function ancestorsOf(code: string): string[] {
  const canonical = canonicalRegionCode(code);
  return LEVEL_LENGTHS.filter((length) => length < canonical.length).map((length) => canonical.slice(0, length));
}

/**
 * Authorisation scopes are region prefixes: a scope covers itself and every descendant. Malformed
 * input answers false rather than throwing, so an access check can never fail open.
 */
export function isWithin(code: string, scopePrefix: string): boolean {
  const target = parseRegionCode(code);
  const scope = parseRegionCode(scopePrefix);
  if (!target.ok || !scope.ok) return false;
  return target.value.code.startsWith(scope.value.code);
}

/** The 12-digit statistical form ("4306" → "430600000000"), for exports to statistics systems. */
export function toStatisticalCode(code: string): string {
  return canonicalRegionCode(code).padEnd(12, '0');
}

/** The 6-digit GB/T 2260 form of a province/prefecture/county ("4306" → "430600"). */
export function toGbCode(code: string): string {
  const canonical = canonicalRegionCode(code);
  if (canonical.length > 6)
    throw new RangeError(`region code ${canonical} is below county level and has no GB/T 2260 form`);
  return canonical.padEnd(6, '0');
}

/**
 * Well-formed region code of any level, anywhere in China, normalised to its canonical short form.
 * Known-ness is checked by ZRegionCode in region-directory.ts; this one suits scope prefixes and
 * codes of other provinces (e.g. a parent working in Guangdong).
 */
export const ZRegionCodeFormat = z.string({ error: expectedTypeMessage('string') }).transform((input, ctx) => {
  const parsed = parseRegionCode(input);
  if (!parsed.ok) {
    addValueIssue(ctx, parsed.error, input);
    return z.NEVER;
  }
  return parsed.value.code;
});

export type RegionCodeFormat = z.infer<typeof ZRegionCodeFormat>;

function levelOfLength(length: number): RegionLevel {
  const level = LEVEL_BY_LENGTH[length];
  if (level === undefined) throw new RangeError(`no region level has ${length} digits`);
  return level;
}
