/**
 * Normalising names and dates before departments' lists are cross-checked (比对核实). Pure: no I/O.
 *
 * The three departments write the same child differently: full-width characters from some input
 * methods, a traditional-character name from a Hong Kong or Taiwan document, a homophone typed by a
 * village clerk (王小明 for 王晓明), a day and month swapped on a paper form. Everything here turns a
 * raw value into keys the matcher can compare cheaply; the matcher decides what a difference means.
 *
 * opencc-js and pinyin-pro stay behind this module, so replacing either touches one file.
 */
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

export interface NormalisedName {
  /**
   * The name as written, tidied: half-width, no zero-width characters, no spaces around Han
   * characters, one `·` between parts. Traditional characters are kept: this is what was written.
   */
  display: string;
  /** Simplified characters, without spaces or separator dots: the key for "same name". */
  simplified: string;
  /** Toneless pinyin, lower-case, no spaces (`ü` as `v`): the key for "same sound". */
  pinyin: string;
  /** First letter of each syllable, e.g. `wxm` for 王晓明. */
  initials: string;
  /** One entry per syllable (a run of Latin letters or digits counts as one). */
  syllables: string[];
  /**
   * Pinyin with the confusions common in Hunan speech folded together (z/zh, c/ch, s/sh, n/l, f/h,
   * an/ang, en/eng, in/ing): the key for "sounds alike to a clerk writing down what they heard".
   */
  dialectPinyin: string;
  /** The simplified name split into characters (code points, so rare CJK extension characters count as one). */
  chars: string[];
}

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// Separator dots seen in minority and foreign names: · • ・ ‧ ∙ ⋅ and the ASCII full stop they decay to.
const SEPARATOR_DOTS = /[\u00B7\u2022\u30FB\u2027\u2219\u22C5.]+/g;
const HAN = /\p{Script=Han}/u;
const PLAIN_CJK = /^[\u4E00-\u9FFF]+$/;
const LATIN_OR_DIGIT = /[a-z0-9]/;

/** Full-width ASCII (U+FF01–U+FF5E) and the ideographic space to their half-width forms. */
export function toHalfWidth(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

// Building a converter loads its dictionaries (~40 ms); build once, on first use.
let convertTraditional: ((text: string) => string) | undefined;
const simplifiedCharCache = new Map<string, string>();

/**
 * Traditional → simplified, character by character. Names are not phrases: converting each
 * character keeps OpenCC's phrase tables from rewriting a given name as if it were a word, and lets
 * us cache per character. The `hk` source table also accepts Taiwan and OpenCC-standard forms.
 */
function simplifyChar(ch: string): string {
  const cached = simplifiedCharCache.get(ch);
  if (cached !== undefined) return cached;
  convertTraditional ??= OpenCC.Converter({ from: 'hk', to: 'cn' });
  const simplified = HAN.test(ch) ? convertTraditional(ch) : ch;
  simplifiedCharCache.set(ch, simplified);
  return simplified;
}

export function toSimplified(value: string): string {
  let out = '';
  for (const ch of value) out += simplifyChar(ch);
  return out;
}

/*
 * Surname readings: the first character is read as a surname (曾 zeng not ceng, 单 shan not dan, 解 xie
 * not jie), and compound surnames as a pair (尉迟 yu chi). Both departments' spellings go through the
 * same reading, so what matters is consistency, not the perfect reading of every rare name.
 */
const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '令狐',
  '慕容',
  '夏侯',
  '长孙',
  '宇文',
  '司徒',
  '万俟',
  '澹台',
  '轩辕',
  '端木',
  '西门',
  '南宫',
  '呼延',
  '独孤',
]);

const givenCharPinyin = new Map<string, string>();
const surnamePinyin = new Map<string, string[]>();

function readGivenChar(ch: string): string {
  const cached = givenCharPinyin.get(ch);
  if (cached !== undefined) return cached;
  const read = pinyin(ch, { toneType: 'none', v: true }).toLowerCase();
  givenCharPinyin.set(ch, read);
  return read;
}

function readSurname(surname: string): string[] {
  const cached = surnamePinyin.get(surname);
  if (cached !== undefined) return cached;
  const read = pinyin(surname, { toneType: 'none', type: 'array', v: true, mode: 'surname' }).map((s) =>
    s.toLowerCase(),
  );
  surnamePinyin.set(surname, read);
  return read;
}

/** Syllables of a simplified, separator-free name; Latin letters and digits run together as one syllable. */
function syllablesOf(chars: readonly string[]): string[] {
  const syllables: string[] = [];
  let latin = '';
  const flushLatin = (): void => {
    if (latin) syllables.push(latin);
    latin = '';
  };
  const surnameLength = chars.length >= 3 && COMPOUND_SURNAMES.has(`${chars[0]}${chars[1]}`) ? 2 : 1;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const code = ch.charCodeAt(0);
    if ((code >= 0x4e00 && code <= 0x9fff) || HAN.test(ch)) {
      flushLatin();
      if (i === 0) {
        syllables.push(...readSurname(chars.slice(0, surnameLength).join('')));
        i += surnameLength - 1;
      } else {
        syllables.push(readGivenChar(ch));
      }
    } else {
      const lower = ch.toLowerCase();
      if (LATIN_OR_DIGIT.test(lower)) latin += lower;
      else flushLatin();
    }
  }
  flushLatin();
  return syllables;
}

/** Folds the sound confusions of Hunan speech so that, e.g., 刘 liu and 牛 niu, 黄 huang and 方 fang, 林 lin and 凌 ling meet. */
export function dialectSyllable(syllable: string): string {
  let s = syllable;
  if (s.startsWith('zh') || s.startsWith('ch') || s.startsWith('sh')) s = s[0] + s.slice(2);
  else if (s.startsWith('l')) s = `n${s.slice(1)}`;
  else if (s.startsWith('h')) s = `f${s.slice(1)}`;
  if (s.endsWith('ang') || s.endsWith('eng') || s.endsWith('ing')) s = s.slice(0, -1);
  return s;
}

const nameCache = new Map<string, NormalisedName>();
// A whole city has ~100k rows; the per-character caches are what make this fast, the whole-name cache
// only saves the repeat work for the same child on three lists. Bounded so a long-lived process cannot grow it forever.
const NAME_CACHE_LIMIT = 200_000;

export function normaliseName(name: string): NormalisedName {
  const cached = nameCache.get(name);
  if (cached !== undefined) return cached;

  // Most names are two to four plain CJK characters: nothing to tidy.
  const display = PLAIN_CJK.test(name)
    ? name
    : toHalfWidth(name)
        .replace(ZERO_WIDTH, '')
        .replace(SEPARATOR_DOTS, '·')
        .replace(/\s+/g, ' ')
        // A space next to a Han character is a typing slip (张 伟); between Latin words it is part of the name.
        .replace(/ (?=\p{Script=Han})|(?<=\p{Script=Han}) /gu, '')
        .replace(/\s*·\s*/g, '·')
        .trim()
        .replace(/^·+|·+$/g, '');
  const simplified = toSimplified(display.replace(/[\s·]+/g, ''));
  const chars = Array.from(simplified);
  const syllables = syllablesOf(chars);
  const normalised: NormalisedName = {
    display,
    simplified,
    pinyin: syllables.join(''),
    initials: syllables.map((s) => s[0] ?? '').join(''),
    syllables,
    dialectPinyin: syllables.map(dialectSyllable).join(''),
    chars,
  };
  if (nameCache.size >= NAME_CACHE_LIMIT) nameCache.clear();
  nameCache.set(name, normalised);
  return normalised;
}

/* ------------------------------------------------------------------------------------------------
 * Dates
 * ---------------------------------------------------------------------------------------------- */

export interface NormalisedDate {
  /** YYYY-MM-DD */
  iso: string;
  year: number;
  month: number;
  day: number;
  /** YYYYMMDD, for digit-by-digit comparison. */
  digits: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_PATTERNS = [
  /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/,
  /^(\d{4})(\d{2})(\d{2})$/, // 20120305, as on an ID card
];

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * A birth date in any of the forms officers type (2012-3-5, 2012/03/05, 2012.3.5, 2012年3月5日,
 * 20120305, full-width digits) as YYYY-MM-DD, or undefined when it is empty or not a real date.
 */
export function parseDate(value: string | undefined | null): NormalisedDate | undefined {
  if (value === undefined || value === null) return undefined;
  // Validated rows are already YYYY-MM-DD: skip the general path for them.
  if (value.length === 10 && ISO_DATE.test(value)) {
    const year = Number(value.slice(0, 4));
    const month = Number(value.slice(5, 7));
    const day = Number(value.slice(8, 10));
    if (!isRealDate(year, month, day)) return undefined;
    return { iso: value, year, month, day, digits: value.slice(0, 4) + value.slice(5, 7) + value.slice(8, 10) };
  }
  const cleaned = toHalfWidth(value).replace(ZERO_WIDTH, '').replace(/\s+/g, '');
  if (!cleaned) return undefined;
  for (const pattern of DATE_PATTERNS) {
    const m = pattern.exec(cleaned);
    if (!m) continue;
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (!isRealDate(year, month, day)) return undefined;
    const iso = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
    return { iso, year, month, day, digits: iso.replaceAll('-', '') };
  }
  return undefined;
}

export function normaliseDate(value: string | undefined | null): string | undefined {
  return parseDate(value)?.iso;
}

/** The same year with day and month exchanged (2012-03-05 vs 2012-05-03); never true for equal dates. */
export function isDayMonthSwap(a: NormalisedDate, b: NormalisedDate): boolean {
  return a.year === b.year && a.month === b.day && a.day === b.month && a.month !== a.day;
}

/** Exactly one of the eight digits differs (2012-03-05 vs 2012-03-06, 2013-03-05). */
export function isOneDigitTypo(a: NormalisedDate, b: NormalisedDate): boolean {
  let differences = 0;
  for (let i = 0; i < 8; i++) {
    if (a.digits[i] !== b.digits[i] && ++differences > 1) return false;
  }
  return differences === 1;
}

export type DateComparison = 'equal' | 'swapped' | 'typo' | 'different' | 'missing';

/** How two birth dates relate; `swapped` and `typo` are the weaker matches a clerk's slip explains. */
export function compareDates(a: NormalisedDate | undefined, b: NormalisedDate | undefined): DateComparison {
  if (!a || !b) return 'missing';
  if (a.iso === b.iso) return 'equal';
  if (isDayMonthSwap(a, b)) return 'swapped';
  if (isOneDigitTypo(a, b)) return 'typo';
  return 'different';
}

/**
 * A key equal for two dates that are equal or day/month swaps of each other (year + the smaller and
 * larger of month and day), for blocking candidates.
 */
export function swapTolerantDateKey(date: NormalisedDate): string {
  const low = Math.min(date.month, date.day);
  const high = Math.max(date.month, date.day);
  return `${date.year}${pad(low, 2)}${pad(high, 2)}`;
}

/* ------------------------------------------------------------------------------------------------
 * Edit distance
 * ---------------------------------------------------------------------------------------------- */

/** Levenshtein distance between two strings or two arrays of characters (names are short: O(n·m) is fine). */
export function editDistance(a: string | readonly string[], b: string | readonly string[]): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}
