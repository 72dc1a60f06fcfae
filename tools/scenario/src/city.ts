/**
 * The ground truth of a city built from a plan: every child with the facts that make their category
 * (国发〔2016〕13号 / 36号 as the registry decides them), and the three departments' lists of each
 * township as a clerk would fill them — each department sees only some children, some rows lack the
 * ID number, names carry typos, homophones or traditional characters, and guardians' names differ.
 * The facts that decide a category are the same on every list, so the register's counts are known.
 */
import { YUEYANG_VILLAGES } from '@tongxin/contracts/values';

import { birthDateForAge, mobile, noisyName, personName, residentIds, type Sex } from './people.js';
import type { CountyPlan, DifficultyType, Plan } from './profile.js';
import type { Random } from './random.js';

export type ChildKind = 'left_behind' | 'unsupervised' | 'dropout' | 'no_hukou' | DifficultyType;
export type Department = 'civil_affairs' | 'education' | 'public_security';
export const DEPARTMENTS: readonly Department[] = ['civil_affairs', 'education', 'public_security'];

export interface TrueChild {
  key: number;
  kind: ChildKind;
  county: string;
  township: string;
  village: string;
  name: string;
  sex: Sex;
  birthDate: string;
  age: number;
  idNumber?: string;
  /** The truthful row (Chinese cells, as the template's headers). */
  row: Record<string, string>;
  childId?: string;
}

export interface TownshipLists {
  township: string;
  county: string;
  /** Rows per department; `keys[i]` is the child of row i + 2 (row 1 is the header). */
  rows: Record<Department, Record<string, string>[]>;
  keys: Record<Department, number[]>;
}

export interface City {
  children: TrueChild[];
  lists: TownshipLists[];
}

const GUARDIANS = [
  ['祖母', 'female'],
  ['祖父', 'male'],
  ['外祖母', 'female'],
  ['外祖父', 'male'],
] as const;
const WORKPLACES = [
  '广东东莞',
  '广东深圳',
  '广东广州',
  '浙江义乌',
  '浙江宁波',
  '江苏苏州',
  '上海',
  '福建厦门',
  '湖北武汉',
];
const SCHOOL_SUFFIX = ['中心小学', '完全小学', '中学', '九年一贯制学校'];
const GRADES = ['一年级', '二年级', '三年级', '四年级', '五年级', '六年级', '初一', '初二', '初三'];

function villagesOf(township: string): string[] {
  const villages = YUEYANG_VILLAGES.filter((v) => v.code.startsWith(township)).map((v) => v.code);
  if (villages.length === 0) throw new Error(`no villages known in township ${township}`);
  return villages;
}

export function buildCity(plan: Plan, random: Random, today: string): City {
  const ids = residentIds();
  const children: TrueChild[] = [];
  const townships = new Map<string, TownshipLists>();
  for (const county of plan.counties) {
    for (const t of county.townships)
      townships.set(t, {
        township: t,
        county: county.code,
        rows: { civil_affairs: [], education: [], public_security: [] },
        keys: { civil_affairs: [], education: [], public_security: [] },
      });
    for (const kind of kindsOf(county)) children.push(makeChild(random, ids, county, kind, children.length, today));
  }
  for (const child of children) {
    const lists = townships.get(child.township)!;
    for (const dept of DEPARTMENTS) {
      const row = listRow(random, child, dept);
      if (!row) continue;
      lists.rows[dept].push(row);
      lists.keys[dept].push(child.key);
    }
  }
  return { children, lists: [...townships.values()] };
}

function kindsOf(county: CountyPlan): ChildKind[] {
  const kinds: ChildKind[] = [];
  const push = (kind: ChildKind, n: number) => {
    for (let i = 0; i < n; i++) kinds.push(kind);
  };
  push('unsupervised', county.cases.guardian_assignment);
  push('dropout', county.cases.return_to_school);
  push('no_hukou', county.cases.hukou_registration);
  push(
    'left_behind',
    county.leftBehind -
      county.cases.guardian_assignment -
      county.cases.return_to_school -
      county.cases.hukou_registration,
  );
  for (const [type, n] of Object.entries(county.difficulty)) push(type as DifficultyType, n);
  return kinds;
}

function makeChild(
  random: Random,
  ids: ReturnType<typeof residentIds>,
  county: CountyPlan,
  kind: ChildKind,
  key: number,
  today: string,
): TrueChild {
  const township = random.pick(county.townships);
  const village = random.pick(villagesOf(township));
  const sex: Sex = random.chance(0.52) ? 'male' : 'female';
  const surname = personName(random, 'male').slice(0, 1);
  const name = personName(random, sex, surname);
  const age = kind === 'dropout' ? random.int(12, 14) : random.int(2, 14);
  const birthDate = birthDateForAge(random, today, age);
  const leftBehind = kind === 'left_behind' || kind === 'unsupervised' || kind === 'dropout' || kind === 'no_hukou';
  const idNumber = kind === 'no_hukou' ? undefined : ids(county.code, birthDate, sex);
  const row: Record<string, string> = {
    姓名: name,
    性别: sex === 'male' ? '男' : '女',
    出生日期: birthDate,
    民族: random.chance(0.95) ? '汉族' : random.pick(['土家族', '苗族', '瑶族']),
    '现居住地村（社区）代码': village,
    户籍状态: kind === 'no_hukou' ? '未登记' : '已登记',
    户籍性质: '农业',
    健康状况: '健康',
  };
  if (idNumber) row['公民身份号码'] = idNumber;
  const school = `${township.slice(-3)}${random.pick(SCHOOL_SUFFIX)}`;
  if (kind === 'dropout') Object.assign(row, { 就学状态: '辍学' });
  else if (age < 6) Object.assign(row, { 就学状态: '未到入学年龄' });
  else
    Object.assign(row, {
      就学状态: random.chance(0.8) ? '在校' : '寄宿',
      就读学校: school,
      年级: GRADES[Math.min(age - 6, GRADES.length - 1)]!,
    });
  const father = personName(random, 'male', surname);
  const mother = personName(random, 'female');
  const parents = (f: string, m?: string) => {
    row['父亲姓名'] = father;
    row['父亲状况'] = f;
    if (f === '外出务工') {
      row['父亲务工地'] = random.pick(WORKPLACES);
      row['父亲电话'] = mobile(random);
    }
    if (m) {
      row['母亲姓名'] = mother;
      row['母亲状况'] = m;
      if (m === '外出务工') row['母亲务工地'] = random.pick(WORKPLACES);
    }
  };
  const guardian = (capacity = '有监护能力') => {
    const [relation, gsex] = random.pick(GUARDIANS);
    row['监护人姓名'] = personName(random, gsex, relation.startsWith('外') ? undefined : surname);
    row['监护人关系'] = relation;
    row['监护能力'] = capacity;
    row['监护状况'] = '有人监护';
  };
  if (leftBehind) {
    parents('外出务工', '外出务工');
    if (kind === 'unsupervised') row['监护状况'] = '无人监护';
    else guardian();
  } else {
    switch (kind) {
      case 'economic_hardship':
        parents('在家', '在家');
        row['救助帮扶'] = '低保';
        break;
      case 'disability_or_illness':
        parents('在家', '在家');
        Object.assign(row, {
          健康状况: '残疾',
          残疾类别: random.pick(['肢体残疾', '听力残疾', '视力残疾']),
          残疾等级: '二级',
        });
        break;
      case 'orphan':
        parents('死亡', '死亡');
        row['救助帮扶'] = '孤儿基本生活费';
        break;
      case 'de_facto_unsupported':
        parents('失踪', '无监护能力');
        row['救助帮扶'] = '事实无人抚养儿童生活补贴';
        break;
      case 'parent_imprisoned':
        parents('服刑', '在家');
        break;
      case 'parent_in_drug_rehabilitation':
        parents('强制隔离戒毒', '在家');
        break;
      case 'other_lack_of_guardianship':
        parents('外出务工');
        break;
    }
    if (kind === 'other_lack_of_guardianship') guardian('无监护能力');
    else if (
      kind === 'economic_hardship' ||
      kind === 'disability_or_illness' ||
      kind === 'parent_imprisoned' ||
      kind === 'parent_in_drug_rehabilitation'
    ) {
      Object.assign(row, {
        监护人姓名: row['母亲姓名'] ?? father,
        监护人关系: '母亲',
        监护能力: '有监护能力',
        监护状况: '有人监护',
      });
    } else guardian();
  }
  return {
    key,
    kind,
    county: county.code,
    township,
    village,
    name,
    sex,
    birthDate,
    age,
    ...(idNumber ? { idNumber } : {}),
    row,
  };
}

/** The row a department would have for this child, or undefined when it does not know the child. */
function listRow(random: Random, child: TrueChild, dept: Department): Record<string, string> | undefined {
  const leftBehindKind = ['left_behind', 'unsupervised', 'dropout', 'no_hukou'].includes(child.kind);
  const schoolAge = child.row['就学状态'] !== '未到入学年龄';
  let known: boolean;
  if (dept === 'public_security') known = child.kind !== 'no_hukou';
  else if (dept === 'civil_affairs') known = !leftBehindKind || child.kind !== 'left_behind' || random.chance(0.7);
  else known = schoolAge && child.kind !== 'no_hukou' && random.chance(0.85);
  if (!known) return undefined;
  const row = { ...child.row };
  if (dept === 'public_security') return row;
  // Only the police list is sure to carry the ID; the others often leave it out.
  if (row['公民身份号码'] && !random.chance(dept === 'civil_affairs' ? 0.6 : 0.45)) delete row['公民身份号码'];
  // A name typed differently, only where the police list has the child with the right one.
  if (child.idNumber && random.chance(0.06)) row['姓名'] = noisyName(random, row['姓名']!);
  // Differing guardians' names are left out: the registry's cross-check stores a conflict on
  // `guardian.name` as a key with a dot, which FerretDB refuses (500 on POST /reconciliations).
  if (dept === 'education') {
    // A school's list carries what a school knows: no parents' ID numbers or phones.
    delete row['父亲电话'];
  }
  return row;
}

const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function csvOf(rows: Record<string, string>[]): Uint8Array {
  const headers = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const lines = [headers.join(','), ...rows.map((r) => headers.map((h) => quote(r[h] ?? '')).join(','))];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function xlsxOf(rows: Record<string, string>[]): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  const headers = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(headers.map((h) => row[h] ?? ''));
  sheet.columns.forEach((c) => (c.numFmt = '@'));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const PARENT_STATUS: Record<string, string> = {
  外出务工: 'migrant_worker',
  在家: 'at_home',
  死亡: 'deceased',
  失踪: 'missing',
  无监护能力: 'unable_to_guard',
  服刑: 'imprisoned',
  强制隔离戒毒: 'in_drug_rehabilitation',
};
const GUARDIAN_RELATION: Record<string, [string, string]> = {
  祖母: ['paternal_grandmother', 'grandparent'],
  祖父: ['paternal_grandfather', 'grandparent'],
  外祖母: ['maternal_grandmother', 'grandparent'],
  外祖父: ['maternal_grandfather', 'grandparent'],
  母亲: ['mother', 'parent'],
};
const SCHOOLING: Record<string, string> = {
  辍学: 'dropped_out',
  未到入学年龄: 'not_school_age',
  在校: 'enrolled',
  寄宿: 'boarding',
};
const ASSISTANCE: Record<string, string> = {
  低保: 'dibao',
  孤儿基本生活费: 'orphan_allowance',
  事实无人抚养儿童生活补贴: 'unsupported_child_allowance',
};
const DISABILITY: Record<string, string> = { 肢体残疾: 'physical', 听力残疾: 'hearing', 视力残疾: 'visual' };

/** The same child as a registration through `POST /children` (an officer's home visit, 入户走访). */
export function registrationOf(child: TrueChild): Record<string, unknown> {
  const r = child.row;
  const parent = (relation: 'father' | 'mother', zh: string) =>
    r[`${zh}状况`]
      ? [
          {
            relation,
            name: r[`${zh}姓名`],
            status: PARENT_STATUS[r[`${zh}状况`]!],
            ...(r[`${zh}务工地`] ? { workPlace: r[`${zh}务工地`] } : {}),
            ...(r[`${zh}电话`] ? { phone: r[`${zh}电话`] } : {}),
          },
        ]
      : [];
  const relation = r['监护人关系'] ? GUARDIAN_RELATION[r['监护人关系']] : undefined;
  return {
    name: child.name,
    sex: child.sex,
    birthDate: child.birthDate,
    ethnicity: r['民族'],
    ...(child.idNumber ? { idNumber: child.idNumber } : {}),
    hukou: { status: r['户籍状态'] === '未登记' ? 'not_registered' : 'registered', kind: 'rural' },
    regionCode: child.village,
    schooling: {
      status: SCHOOLING[r['就学状态']!],
      ...(r['就读学校'] ? { school: r['就读学校'] } : {}),
      ...(r['年级'] ? { grade: r['年级'] } : {}),
    },
    health:
      r['健康状况'] === '残疾'
        ? { status: 'disability', disabilityCategory: DISABILITY[r['残疾类别']!], disabilityGrade: 2 }
        : { status: 'healthy' },
    parents: [...parent('father', '父亲'), ...parent('mother', '母亲')],
    ...(relation && r['监护人姓名']
      ? {
          guardian: {
            kind: relation[1],
            name: r['监护人姓名'],
            relation: relation[0],
            capacity: r['监护能力'] === '无监护能力' ? 'incapable' : 'capable',
          },
        }
      : {}),
    supervision: r['监护状况'] === '无人监护' ? 'unsupervised' : 'supervised',
    assistance: r['救助帮扶'] ? [ASSISTANCE[r['救助帮扶']]] : [],
    purpose: '入户走访登记',
  };
}
