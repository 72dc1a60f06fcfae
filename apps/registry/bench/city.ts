/**
 * A synthetic city for tests and benchmarks: children spread over Yueyang's villages, and the three
 * departments' lists of them with realistic overlap and noise (missing IDs, traditional characters,
 * homophones, swapped day/month, typos) plus namesakes (same name, village and sex, born years apart).
 * Deterministic for a seed.
 */
import { YUEYANG_VILLAGES } from '@tongxin/contracts/values';
import * as OpenCC from 'opencc-js';

import type { SourceDepartment, SubmissionRow } from '../src/domain/child.js';
import type { MatchRecord, ReconciliationInput } from '../src/reconciliation/index.js';

function record(source: SourceDepartment, rowId: string, facts: SubmissionRow, idIndex?: string): MatchRecord {
  return idIndex === undefined ? { source, rowId, row: facts } : { source, rowId, idIndex, row: facts };
}

export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = Array.from(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
);
const GIVEN = Array.from(
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鑫宇浩轩子涵欣怡梓睿博文思雨晨佳嘉诗俊晓一可依泽航琪奕辰瑶婷雪阳心彤',
);
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
  嘉: '佳',
  俊: '骏',
  浩: '昊',
  瑶: '遥',
};
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'hk' });

export interface Child {
  id: number;
  name: string;
  sex: 'female' | 'male';
  birth: { y: number; m: number; d: number };
  village: string;
  /** Planted near-twin: same name, village and sex as another child, born years apart. */
  namesake?: number;
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

export function generateCity(perDepartment: number, seed: number) {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const coverage = 0.89;
  const childCount = Math.round(perDepartment / coverage);
  const namesakes = Math.round(childCount * 0.02);
  const children: Child[] = [];
  for (let id = 0; id < childCount - namesakes; id++) {
    children.push({
      id,
      name: pick(SURNAMES) + pick(GIVEN) + (random() < 0.7 ? pick(GIVEN) : ''),
      sex: random() < 0.5 ? 'female' : 'male',
      birth: {
        y: 2009 + Math.floor(random() * 16),
        m: 1 + Math.floor(random() * 12),
        d: 1 + Math.floor(random() * 28),
      },
      village: pick(YUEYANG_VILLAGES).code,
    });
  }
  for (let k = 0; k < namesakes; k++) {
    const original = children[k]!;
    const y = original.birth.y > 2016 ? original.birth.y - 4 : original.birth.y + 4;
    const m = ((original.birth.m + 5) % 12) + 1;
    children.push({ ...original, id: children.length, birth: { y, m, d: original.birth.d }, namesake: original.id });
  }

  const idShare: Record<SourceDepartment, number> = { civil_affairs: 0.6, education: 0.4, public_security: 0.9 };
  const hasNamesake = new Set(children.flatMap((c) => (c.namesake === undefined ? [] : [c.id, c.namesake])));
  const owner = new Map<string, number>();
  const input: ReconciliationInput = { civil_affairs: [], education: [], public_security: [] };
  for (const source of ['civil_affairs', 'education', 'public_security'] as const) {
    const list: MatchRecord[] = [];
    for (const child of children) {
      if (random() > coverage) continue;
      let name = child.name;
      if (random() < 0.04) name = toTraditional(name);
      if (random() < 0.04) {
        const chars = Array.from(name);
        const at = chars.findIndex((c, i) => i > 0 && HOMOPHONE[c]);
        if (at > 0) chars[at] = HOMOPHONE[chars[at]!]!;
        name = chars.join('');
      }
      const { y } = child.birth;
      let { m, d } = child.birth;
      const noise = random();
      if (noise < 0.03 && d <= 12 && d !== m) [m, d] = [d, m];
      else if (noise < 0.06) d = d === 28 ? 27 : d + 1;
      // A namesake without a birth date is genuinely ambiguous (see the ambiguity test), so their dates stay.
      const dropDate = !hasNamesake.has(child.id) && random() < 0.02;
      let village: string | undefined = child.village;
      const place = random();
      if (place < 0.02) village = undefined;
      else if (place < 0.04) {
        const township = child.village.slice(0, 9);
        village =
          YUEYANG_VILLAGES.find((v) => v.code.startsWith(township) && v.code !== child.village)?.code ?? village;
      }
      const rowId = `${source}-${list.length}`;
      owner.set(`${source}:${rowId}`, child.id);
      const facts: SubmissionRow = { rowNumber: list.length + 2, name };
      if (random() > 0.01) facts.sex = child.sex;
      if (!dropDate) facts.birthDate = iso(y, m, d);
      if (village) facts.regionCode = village;
      list.push(record(source, rowId, facts, random() < idShare[source] ? `hmac-${child.id}` : undefined));
    }
    input[source] = list;
  }
  return { input, children, owner };
}
