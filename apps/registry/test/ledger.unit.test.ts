import { ZDifficultyType } from '@tongxin/contracts/registry';
import { maskResidentId, makeResidentId } from '@tongxin/contracts/values';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';

import type { SourceDepartment } from '../src/domain/child.js';
import {
  ageOn,
  buildLedger,
  difficultyTotalLabel,
  LEDGER_SHEET_NAME,
  readLedger,
  readLedgerTotals,
  sourceTotalLabel,
  TOTAL_LABELS,
  type LedgerChild,
} from '../src/ledger/index.js';

const TOWNSHIP = { code: '430621101', name: '荣家湾镇' };
const GENERATED_AT = new Date('2026-05-01T02:00:00Z');

function child(overrides: Partial<LedgerChild> & Pick<LedgerChild, 'name'>): LedgerChild {
  return {
    sex: 'female',
    birthDate: '2015-03-08',
    idNumberDisplay: maskResidentId(makeResidentId({ regionCode: '430621', birthDate: '2015-03-08', sex: 'female' })),
    villageName: '塘冲村',
    hukouStatus: 'registered',
    categories: ['left_behind'],
    difficultyTypes: [],
    guardianName: '李德明',
    guardianRelation: 'paternal_grandfather',
    supervision: 'supervised',
    schoolingStatus: 'enrolled',
    fatherStatus: 'migrant_worker',
    motherStatus: 'migrant_worker',
    assistance: [],
    sources: ['civil_affairs'],
    ...overrides,
  };
}

const CHILDREN: LedgerChild[] = [
  child({ name: '李小红' }),
  child({
    name: '张伟',
    sex: 'male',
    birthDate: '2010-05-01',
    categories: ['left_behind', 'in_difficulty'],
    difficultyTypes: ['economic_hardship', 'disability_or_illness'],
    assistance: ['dibao', 'disability_allowance'],
    sources: ['civil_affairs', 'education'],
  }),
  child({
    name: '王芳',
    birthDate: '2012-11-30',
    categories: ['in_difficulty'],
    difficultyTypes: ['orphan'],
    fatherStatus: 'deceased',
    motherStatus: 'deceased',
    guardianRelation: 'maternal_grandmother',
    assistance: ['orphan_allowance'],
    sources: ['civil_affairs', 'public_security'],
  }),
  child({
    name: '赵强',
    sex: 'male',
    birthDate: '2011-01-15',
    categories: ['in_difficulty'],
    difficultyTypes: ['parent_imprisoned', 'de_facto_unsupported'],
    supervision: 'unsupervised',
    schoolingStatus: 'dropped_out',
    fatherStatus: 'imprisoned',
    guardianName: undefined,
    guardianRelation: undefined,
    hukouStatus: 'not_registered',
    sources: ['public_security'],
  }),
  child({
    name: '钱多',
    sex: 'male',
    birthDate: '2019-08-20',
    schoolingStatus: 'not_school_age',
    sources: ['education'],
  }),
  child({
    name: '孙悦',
    categories: ['left_behind', 'in_difficulty'],
    difficultyTypes: ['other_lack_of_guardianship'],
    schoolingStatus: 'dropped_out',
    sources: ['civil_affairs', 'education', 'public_security'],
  }),
];

/** What the totals must be, counted here from the input independently of the ledger code. */
function expectedTotals(children: readonly LedgerChild[]): Record<string, number> {
  const count = (p: (c: LedgerChild) => boolean) => children.filter(p).length;
  const lb = (c: LedgerChild) => c.categories.includes('left_behind');
  const diff = (c: LedgerChild) => c.categories.includes('in_difficulty');
  const totals: Record<string, number> = {
    [TOTAL_LABELS.total]: children.length,
    [TOTAL_LABELS.male]: count((c) => c.sex === 'male'),
    [TOTAL_LABELS.female]: count((c) => c.sex === 'female'),
    [TOTAL_LABELS.leftBehind]: count(lb),
    [TOTAL_LABELS.inDifficulty]: count(diff),
    [TOTAL_LABELS.both]: count((c) => lb(c) && diff(c)),
    [TOTAL_LABELS.unsupervised]: count((c) => c.supervision === 'unsupervised'),
    [TOTAL_LABELS.droppedOut]: count((c) => c.schoolingStatus === 'dropped_out'),
    [TOTAL_LABELS.hukouNotRegistered]: count((c) => c.hukouStatus === 'not_registered'),
  };
  for (const type of ZDifficultyType.options) {
    totals[difficultyTotalLabel(type)] = count((c) => c.difficultyTypes.includes(type));
  }
  for (const department of ['civil_affairs', 'education', 'public_security'] as SourceDepartment[]) {
    totals[sourceTotalLabel(department)] = count((c) => c.sources.includes(department));
  }
  return totals;
}

describe('township ledger', () => {
  it('when a ledger is built, then its totals equal the counts of the input', async () => {
    const buffer = await buildLedger({ township: TOWNSHIP, generatedAt: GENERATED_AT, children: CHILDREN });

    const totals = await readLedgerTotals(buffer);

    expect(totals).toEqual(expectedTotals(CHILDREN));
    // Hand-checked against the fixture, so a shared mistake in both countings cannot hide.
    expect(totals).toMatchObject({
      纳入台账儿童总数: 6,
      留守儿童: 4,
      困境儿童: 4,
      既是留守又是困境: 2,
      无人监护: 1,
      辍学: 2,
    });
  });

  it('when a ledger is built, then every consistency row says ✓ and its two sides are the computed numbers', async () => {
    const buffer = await buildLedger({ township: TOWNSHIP, generatedAt: GENERATED_AT, children: CHILDREN });

    const { checks, children } = await readLedger(buffer);

    expect(children).toBe(CHILDREN.length);
    expect(checks.length).toBeGreaterThanOrEqual(5);
    for (const check of checks) expect(check.holds, check.label).toBe(true);
    const expected = expectedTotals(CHILDREN);
    const identity = checks.find((c) => c.label.startsWith('留守儿童 + 困境儿童 − 两者兼有'));
    expect(identity).toMatchObject({ left: 6, right: expected[TOTAL_LABELS.total] });
    const typeSum = ZDifficultyType.options.reduce((sum, t) => sum + (expected[difficultyTotalLabel(t)] ?? 0), 0);
    expect(checks.find((c) => c.label.startsWith('各困境类型之和'))).toMatchObject({
      left: typeSum,
      right: expected[TOTAL_LABELS.inDifficulty],
    });
  });

  it('when a ledger is built, then totals are COUNTIF formulas over the child rows carrying their results', async () => {
    const buffer = await buildLedger({ township: TOWNSHIP, generatedAt: GENERATED_AT, children: CHILDREN });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet(LEDGER_SHEET_NAME);
    if (sheet === undefined) throw new Error('ledger sheet missing');

    expect(sheet.getCell('A1').value).toBe('荣家湾镇农村留守儿童和困境儿童信息台账');
    const headers = (sheet.getRow(3).values as unknown[]).slice(1);
    expect(headers).toEqual([
      '序号', '姓名', '性别', '出生日期', '年龄', '公民身份号码', '村（社区）', '户籍状态', '留守儿童', '困境儿童', '困境类型',
      '监护人', '监护关系', '监护状况', '就学状态', '父亲状况', '母亲状况', '帮扶措施', '数据来源',
    ]); // prettier-ignore

    const second = (sheet.getRow(5).values as unknown[]).slice(1);
    expect(second).toEqual([
      2, '张伟', '男', '2010-05-01', 16, CHILDREN[1]?.idNumberDisplay, '塘冲村', '已登记', '是', '是',
      '家庭经济困难、自身残疾或重病', '李德明', '祖父', '有人监护', '在校', '外出务工', '外出务工', '低保、残疾人两项补贴', '民政、教育',
    ]); // prettier-ignore
    expect(String(second[5])).toContain('********');

    let leftBehindCell: ExcelJS.CellValue = null;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === TOTAL_LABELS.leftBehind) leftBehindCell = row.getCell(6).value;
    });
    expect(leftBehindCell).toEqual({ formula: 'COUNTIF(I4:I9,"是")', result: 4 });
  });

  it('when the township has no children, then the ledger has zero totals and its checks still hold', async () => {
    const buffer = await buildLedger({ township: TOWNSHIP, generatedAt: GENERATED_AT, children: [] });

    const { totals, checks, children } = await readLedger(buffer);

    expect(children).toBe(0);
    expect(totals).toEqual(expectedTotals([]));
    expect(checks.every((c) => c.holds)).toBe(true);
  });

  it('when a child has a category without a difficulty type, then the ledger shows the inconsistency with ✗', async () => {
    const broken = child({ name: '周正', categories: ['in_difficulty'], difficultyTypes: [] });
    const buffer = await buildLedger({ township: TOWNSHIP, generatedAt: GENERATED_AT, children: [broken] });

    const { checks } = await readLedger(buffer);

    expect(checks.find((c) => c.label.startsWith('填有困境类型的困境儿童数'))).toMatchObject({
      left: 0,
      right: 1,
      holds: false,
    });
  });

  it('when the age is computed, then it counts full years on the Beijing date of generation', () => {
    expect(ageOn('2010-05-01', '2026-05-01')).toBe(16);
    expect(ageOn('2010-05-02', '2026-05-01')).toBe(15);
    expect(ageOn('2016-02-29', '2027-02-28')).toBe(10);
    expect(ageOn('2016-02-29', '2027-03-01')).toBe(11);
  });
});
