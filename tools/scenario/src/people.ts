/**
 * Plausible people: Chinese names from common surnames and given-name characters, resident ID
 * numbers (GB 11643, ISO 7064 MOD 11-2 check character) of the child's county with the right birth
 * date and sex, and the noise department lists really carry (typos, homophones, traditional
 * characters).
 */
import { residentIdCheckChar } from '@tongxin/contracts/values';

import type { Random } from './random.js';

// prettier-ignore
export const SURNAMES = Array.from('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜钟谭陆汪范金石廖贾夏付方邹熊邱江尹段雷侯龙史陶黎贺顾毛龚邵万严易喻胡颜');
// prettier-ignore
const GIVEN_GIRL = Array.from('芳娜敏静丽艳娟秀霞桂英玉兰萍红梅欣怡涵思雨晨佳诗琪瑶婷雪彤梓可依悦妍');
// prettier-ignore
const GIVEN_BOY = Array.from('伟强磊军洋勇杰涛明超刚平鑫宇浩轩睿博文俊晓一泽航辰阳子豪宏建林峰');
const HOMOPHONE: Record<string, string> = {
  晓: '小',
  明: '铭',
  伟: '玮',
  静: '靖',
  丽: '莉',
  杰: '洁',
  红: '宏',
  宇: '雨',
  欣: '新',
  涵: '寒',
  琪: '奇',
  婷: '亭',
  阳: '扬',
  文: '闻',
  佳: '嘉',
  俊: '骏',
  浩: '昊',
  瑶: '遥',
  芳: '方',
  军: '君',
};
const TRADITIONAL: Record<string, string> = {
  刘: '劉',
  陈: '陳',
  杨: '楊',
  黄: '黃',
  赵: '趙',
  吴: '吳',
  张: '張',
  郑: '鄭',
  谢: '謝',
  邓: '鄧',
  伟: '偉',
  丽: '麗',
  红: '紅',
  军: '軍',
  涛: '濤',
  静: '靜',
  晓: '曉',
  宇: '宇',
  鑫: '鑫',
  梅: '梅',
};

export type Sex = 'female' | 'male';

export function personName(random: Random, sex: Sex, surname = random.pick(SURNAMES)): string {
  const given = sex === 'female' ? GIVEN_GIRL : GIVEN_BOY;
  return surname + random.pick(given) + (random.chance(0.75) ? random.pick(given) : '');
}

/** A name as a clerk might have typed it: a homophone, a traditional form, or a dropped character. */
export function noisyName(random: Random, name: string): string {
  const chars = Array.from(name);
  const roll = random();
  if (roll < 0.45) {
    const at = chars.findIndex((c, i) => i > 0 && HOMOPHONE[c]);
    if (at > 0) chars[at] = HOMOPHONE[chars[at]!]!;
  } else if (roll < 0.85) {
    for (let i = 0; i < chars.length; i++) chars[i] = TRADITIONAL[chars[i]!] ?? chars[i]!;
  } else if (chars.length === 3) {
    chars.splice(2, 1);
  }
  return chars.join('');
}

/** Issues unique resident ID numbers per county, birth date and sex (sequence 0–499 each). */
export function residentIds() {
  const used = new Map<string, number>();
  return (county: string, birthDate: string, sex: Sex): string => {
    const key = `${county}${birthDate}${sex}`;
    const n = used.get(key) ?? 0;
    if (n > 499) throw new Error(`more than 500 children of ${county} born ${birthDate} (${sex})`);
    used.set(key, n + 1);
    const order = String(n * 2 + (sex === 'male' ? 1 : 0)).padStart(3, '0');
    const body = `${county}${birthDate.replace(/-/g, '')}${order}`;
    return body + residentIdCheckChar(body);
  };
}

export const iso = (d: Date) => d.toISOString().slice(0, 10);

/** A birth date giving `age` full years on `today` (YYYY-MM-DD), never 29 February. */
export function birthDateForAge(random: Random, today: string, age: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  // Born between (age+1) years ago + 1 day and age years ago, days capped at 28.
  const offsetDays = random.int(1, 360);
  const date = new Date(Date.UTC(y - age, m - 1, Math.min(d, 28)) - offsetDays * 86_400_000);
  const out = iso(date);
  return out.endsWith('-02-29') ? out.replace('-02-29', '-02-28') : out;
}

export function mobile(random: Random): string {
  return `1${random.pick(['38', '39', '58', '59', '86', '87', '36', '37'])}${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
}
