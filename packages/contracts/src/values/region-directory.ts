import { z } from 'zod';

import { parseRegionCode, type RegionLevel } from './region-code.js';
import type { RegionRecord } from './regions/region-record.js';
import { YUEYANG_REGIONS } from './regions/yueyang.js';
import { addValueIssue, expectedTypeMessage, valueError, valueOk, type ValueResult } from './value-issue.js';

const BY_CODE: ReadonlyMap<string, RegionRecord> = new Map(YUEYANG_REGIONS.map((region) => [region.code, region]));

const CHILDREN: ReadonlyMap<string, readonly RegionRecord[]> = (() => {
  const children = new Map<string, RegionRecord[]>();
  for (const region of YUEYANG_REGIONS) {
    if (region.parentCode === null) continue;
    const siblings = children.get(region.parentCode) ?? [];
    siblings.push(region);
    children.set(region.parentCode, siblings);
  }
  return children;
})();

const LEVEL_ZH: Readonly<Record<RegionLevel, string>> = {
  province: '省级',
  prefecture: '地市级',
  county: '县级',
  township: '乡镇级',
  village: '村级',
};

/** Accepts any accepted spelling of the code ("430600", "430600000000", "4306"). */
export function findRegion(code: string): RegionRecord | undefined {
  const parsed = parseRegionCode(code);
  return parsed.ok ? BY_CODE.get(parsed.value.code) : undefined;
}

export function isKnownRegion(code: string): boolean {
  return findRegion(code) !== undefined;
}

/**
 * The region's name: Chinese by default; with `'en'` its English name where the directory has one,
 * else the Chinese name (a person reading English still needs to know which place it is).
 */
export function regionName(code: string, lang: 'zh' | 'en' = 'zh'): string | undefined {
  const region = findRegion(code);
  return lang === 'en' ? (region?.nameEn ?? region?.name) : region?.name;
}

/** Direct children in dataset order; empty for a leaf or an unknown code. */
export function childrenOf(code: string): readonly RegionRecord[] {
  const parsed = parseRegionCode(code);
  return parsed.ok ? (CHILDREN.get(parsed.value.code) ?? []) : [];
}

export type KnownRegionErrorCode =
  | 'empty'
  | 'bad_characters'
  | 'wrong_length'
  | 'unknown_province'
  | 'zero_segment'
  | 'unknown_region'
  | 'not_a_village';

/** Well-formed and present in the platform's region directory. */
export function parseKnownRegionCode(input: string): ValueResult<RegionRecord, KnownRegionErrorCode> {
  const parsed = parseRegionCode(input);
  if (!parsed.ok) return parsed;
  const region = BY_CODE.get(parsed.value.code);
  if (region === undefined) {
    return valueError(
      'unknown_region',
      `unknown region code ${parsed.value.code}`,
      `未知的行政区划代码${parsed.value.code}`,
    );
  }
  return valueOk(region);
}

/** A child's or facility's address: every record must hang off a village or community. */
export function parseVillageCode(input: string): ValueResult<RegionRecord, KnownRegionErrorCode> {
  const known = parseKnownRegionCode(input);
  if (!known.ok) return known;
  if (known.value.level !== 'village') {
    const { code, level } = known.value;
    return valueError(
      'not_a_village',
      `region code ${code} is a ${level}; a 12-digit village code is required`,
      `行政区划代码${code}是${LEVEL_ZH[level]}代码，应为12位村级代码`,
    );
  }
  return valueOk(known.value);
}

/** Known region of any level, output in canonical short form ("430600000000" → "4306"). */
export const ZRegionCode = z.string({ error: expectedTypeMessage('string') }).transform((input, ctx) => {
  const parsed = parseKnownRegionCode(input);
  if (!parsed.ok) {
    addValueIssue(ctx, parsed.error, input);
    return z.NEVER;
  }
  return parsed.value.code;
});

export type RegionCode = z.infer<typeof ZRegionCode>;

/** Known village or community (12 digits). */
export const ZVillageCode = z.string({ error: expectedTypeMessage('string') }).transform((input, ctx) => {
  const parsed = parseVillageCode(input);
  if (!parsed.ok) {
    addValueIssue(ctx, parsed.error, input);
    return z.NEVER;
  }
  return parsed.value.code;
});

export type VillageCode = z.infer<typeof ZVillageCode>;
