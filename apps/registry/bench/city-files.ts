/**
 * The synthetic city of city.ts as the files townships upload: one CSV per township and department,
 * in the template's Chinese headers, with valid resident ID numbers.
 *
 * What generateCity's noise becomes in a file:
 * - kept as it is: traditional characters, homophones, swapped day/month, one-day typos, a child
 *   listed in another village of the same township, and the rows without an ID number;
 * - a required cell that generateCity left empty (sex, birth date, village) is filled with the
 *   child's true value, because validation rejects a whole file for one empty required cell
 *   (counted in `restored`);
 * - a row that carries an ID number and a noisy birth date loses the ID number: the ID holds the
 *   true date, and validation rejects a row whose date disagrees with its ID (counted);
 * - a row that would repeat an earlier row of its file by name, birth date and village (two children
 *   who happen to share all three, one without an ID) is left out (counted): validation rejects it
 *   as a duplicate.
 *
 * ID numbers: county code of the child's village, true birth date, a sequence per county, date and
 * sex, so each child has one ID number, the same in every department's list.
 */
import { makeResidentId } from '@tongxin/contracts/values';

import type { SourceDepartment } from '../src/domain/child.js';
import type { generateCity } from './city.js';

export type City = ReturnType<typeof generateCity>;

export interface CityFile {
  township: string;
  department: SourceDepartment;
  filename: string;
  file: Buffer;
  rows: number;
}

export interface CityFiles {
  files: CityFile[];
  /** `<township>|<department>|<rowNumber>` → the child the row stands for. */
  truth: Map<string, number>;
  stats: {
    rows: number;
    rowsWithId: number;
    children: number;
    townships: number;
    bytes: number;
    /** Rows whose name differs from the child's (traditional characters, homophones). */
    noisyNames: number;
    /** Rows whose birth date differs from the child's (swapped day/month, typo). */
    noisyDates: number;
    /** Rows listing the child in another village of the same township. */
    movedVillages: number;
    restored: { sex: number; birthDate: number; regionCode: number };
    idsDroppedForNoisyDate: number;
    duplicatesLeftOut: number;
  };
}

const iso = (b: { y: number; m: number; d: number }) =>
  `${b.y}-${String(b.m).padStart(2, '0')}-${String(b.d).padStart(2, '0')}`;

/** A deterministic share in [0, 1) for a child and a purpose, independent of generateCity's stream. */
function share(id: number, salt: number): number {
  let h = Math.imul(id ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

const pickBy = (p: number, table: readonly (readonly [number, string])[]): string => {
  let sum = 0;
  for (const [weight, label] of table) {
    sum += weight;
    if (p < sum) return label;
  }
  return table[table.length - 1]![1];
};

const PARENT_STATUS = [
  [0.62, '外出务工'],
  [0.33, '在家'],
  [0.02, '死亡'],
  [0.01, '服刑'],
  [0.01, '失踪'],
  [0.01, '无监护能力'],
] as const;
const SCHOOLING = [
  [0.8, '在校'],
  [0.17, '寄宿'],
  [0.02, '辍学'],
  [0.01, '复学'],
] as const;

const CORE = ['姓名', '性别', '出生日期', '公民身份号码', '现居住地村（社区）代码'] as const;
const EXTRA: Record<SourceDepartment, readonly string[]> = {
  civil_affairs: ['父亲状况', '母亲状况', '监护状况'],
  education: ['就学状态'],
  public_security: [],
};

const csvCell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

export function cityFiles(city: City): CityFiles {
  const { input, children, owner } = city;
  const childById = new Map(children.map((c) => [c.id, c]));

  const sequences = new Map<string, number>();
  const idOf = new Map<number, string>();
  for (const child of children) {
    const county = child.village.slice(0, 6);
    const birthDate = iso(child.birth);
    const key = `${county}|${birthDate}|${child.sex}`;
    const sequence = sequences.get(key) ?? 0;
    sequences.set(key, sequence + 1);
    idOf.set(child.id, makeResidentId({ regionCode: county, birthDate, sequence, sex: child.sex }));
  }

  const stats: CityFiles['stats'] = {
    rows: 0,
    rowsWithId: 0,
    children: children.length,
    townships: 0,
    bytes: 0,
    noisyNames: 0,
    noisyDates: 0,
    movedVillages: 0,
    restored: { sex: 0, birthDate: 0, regionCode: 0 },
    idsDroppedForNoisyDate: 0,
    duplicatesLeftOut: 0,
  };
  const truth = new Map<string, number>();
  const files: CityFile[] = [];
  const townships = new Set<string>();

  for (const department of ['civil_affairs', 'education', 'public_security'] as const) {
    const lines = new Map<string, { cells: string[][]; seen: Map<string, boolean> }>();
    for (const record of input[department]) {
      const child = childById.get(owner.get(`${department}:${record.rowId}`)!)!;
      const row = record.row;
      const trueDate = iso(child.birth);
      let sex = row.sex;
      if (sex === undefined) {
        sex = child.sex;
        stats.restored.sex++;
      }
      let birthDate = row.birthDate;
      if (birthDate === undefined) {
        birthDate = trueDate;
        stats.restored.birthDate++;
      }
      let village = row.regionCode;
      if (village === undefined) {
        village = child.village;
        stats.restored.regionCode++;
      }
      let idNumber = record.idIndex === undefined ? '' : idOf.get(child.id)!;
      if (idNumber && birthDate !== trueDate) {
        idNumber = '';
        stats.idsDroppedForNoisyDate++;
      }

      const township = village.slice(0, 9);
      townships.add(township);
      let file = lines.get(township);
      if (!file) lines.set(township, (file = { cells: [], seen: new Map() }));
      const nameKey = `${row.name}|${birthDate}|${village}`;
      const earlierHasId = file.seen.get(nameKey);
      if (earlierHasId !== undefined && (!earlierHasId || !idNumber)) {
        stats.duplicatesLeftOut++;
        continue;
      }
      if (earlierHasId === undefined) file.seen.set(nameKey, idNumber !== '');

      const extra =
        department === 'civil_affairs'
          ? [
              pickBy(share(child.id, 1), PARENT_STATUS),
              pickBy(share(child.id, 2), PARENT_STATUS),
              share(child.id, 3) < 0.03 ? '无人监护' : '有人监护',
            ]
          : department === 'education'
            ? [child.birth.y >= 2021 ? '未到入学年龄' : pickBy(share(child.id, 4), SCHOOLING)]
            : [];
      file.cells.push([row.name, sex === 'male' ? '男' : '女', birthDate, idNumber, village, ...extra]);
      truth.set(`${township}|${department}|${file.cells.length + 1}`, child.id);

      stats.rows++;
      if (idNumber) stats.rowsWithId++;
      if (row.name !== child.name) stats.noisyNames++;
      if (birthDate !== trueDate) stats.noisyDates++;
      if (village !== child.village) stats.movedVillages++;
    }

    for (const [township, { cells }] of [...lines].sort(([a], [b]) => a.localeCompare(b))) {
      const header = [...CORE, ...EXTRA[department]];
      const text = [header, ...cells].map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
      // As Excel and WPS save "CSV UTF-8": with a byte-order mark.
      const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
      stats.bytes += file.length;
      files.push({ township, department, filename: `${township}-${department}.csv`, file, rows: cells.length });
    }
  }
  stats.townships = townships.size;
  return { files, truth, stats };
}
