import type { RegionLevel } from '../region-code.js';

/**
 * What kind of unit a region is. The level alone is not enough for display and statistics: a
 * 管理区 or 开发区 sits at county level without being a county, a 街道 is urban, a 乡 rural.
 */
export type RegionKind =
  | 'province'
  | 'prefecture_city'
  | 'district'
  | 'county'
  | 'county_city'
  | 'management_area'
  | 'street'
  | 'town'
  | 'township'
  | 'community'
  | 'village';

export interface RegionRecord {
  /** Canonical short code (2/4/6/9/12 digits). */
  readonly code: string;
  readonly name: string;
  readonly level: RegionLevel;
  readonly kind: RegionKind;
  readonly parentCode: string | null;
  /**
   * The name in English: the one in use for the province, the city and its county-level units;
   * for townships and villages the Hanyu Pinyin form maps and signs use (洞庭街道 → Dongting
   * Subdistrict, see yueyang-names-en.ts). English text falls back to `name` where there is none.
   */
  readonly nameEn?: string;
  /** Other names officers use for the same unit, e.g. 经开区 for 岳阳经济技术开发区. */
  readonly aliases?: readonly string[];
}
