/**
 * The township ledger (信息台账): one row per child on the register in the township, then a totals
 * block and cross-column consistency checks that a county officer can verify at a glance.
 *
 * Totals are real Excel formulas (COUNTIF over the rows above), so an officer who edits a row sees
 * them follow; each formula also carries the value computed here as its cached result, so a viewer
 * that does not recalculate (WPS preview, a phone, exceljs) still shows numbers. The two agree by
 * construction: both count the same cells the same way.
 *
 * Pure: plain data in, a Buffer out. Masking ID numbers is the caller's decision (`idNumberDisplay`).
 */
import type { ChildCategory, DifficultyType } from '@tongxin/contracts/registry';
import { ZDifficultyType } from '@tongxin/contracts/registry';
import ExcelJS from 'exceljs';

import type {
  AssistanceKind,
  GuardianRelation,
  HukouStatus,
  ParentStatus,
  SchoolingStatus,
  Sex,
  SourceDepartment,
  Supervision,
} from '../domain/child.js';
import {
  ASSISTANCE_OPTIONS,
  DEPARTMENT_LABELS,
  GUARDIAN_RELATION_OPTIONS,
  HUKOU_STATUS_OPTIONS,
  labelOf,
  PARENT_STATUS_OPTIONS,
  SCHOOLING_STATUS_OPTIONS,
  SEX_OPTIONS,
  SUPERVISION_OPTIONS,
} from '../import/columns.js';

/** One child as the ledger shows it: plain, already-decided data (categories come from the rules). */
export interface LedgerChild {
  name: string;
  sex: Sex;
  /** YYYY-MM-DD */
  birthDate: string;
  /** As it should be printed: masked ("430621********1234") unless the caller may show it in clear. */
  idNumberDisplay: string;
  villageName: string;
  hukouStatus: HukouStatus;
  categories: ChildCategory[];
  difficultyTypes: DifficultyType[];
  guardianName?: string;
  guardianRelation?: GuardianRelation;
  supervision: Supervision;
  schoolingStatus: SchoolingStatus;
  fatherStatus?: ParentStatus;
  motherStatus?: ParentStatus;
  assistance: AssistanceKind[];
  /** The departments whose lists named the child (比对核实). */
  sources: SourceDepartment[];
}

export interface LedgerInput {
  township: { code: string; name: string };
  generatedAt: Date;
  /** Printed in the order given. */
  children: LedgerChild[];
}

export const LEDGER_SHEET_NAME = '台账';

export const DIFFICULTY_TYPE_LABELS: Readonly<Record<DifficultyType, string>> = {
  economic_hardship: '家庭经济困难',
  disability_or_illness: '自身残疾或重病',
  orphan: '孤儿',
  de_facto_unsupported: '事实无人抚养',
  parent_imprisoned: '父母服刑',
  parent_in_drug_rehabilitation: '父母强制隔离戒毒',
  other_lack_of_guardianship: '其他监护缺失',
};

// The per-type totals count cells *containing* a label (COUNTIF "*孤儿*"), which is only right while no
// label is part of another; checked once at load so a new label cannot silently skew the totals.
for (const a of Object.values(DIFFICULTY_TYPE_LABELS)) {
  for (const b of Object.values(DIFFICULTY_TYPE_LABELS)) {
    if (a !== b && b.includes(a)) throw new Error(`ledger: difficulty label ${a} is part of ${b}`);
  }
}

/** Labels of the totals block, as readLedgerTotals returns them. */
export const TOTAL_LABELS = {
  total: '纳入台账儿童总数',
  male: '男',
  female: '女',
  leftBehind: '留守儿童',
  inDifficulty: '困境儿童',
  both: '既是留守又是困境',
  unsupervised: '无人监护',
  droppedOut: '辍学',
  hukouNotRegistered: '户籍未登记',
} as const;

export function difficultyTotalLabel(type: DifficultyType): string {
  return `困境类型：${DIFFICULTY_TYPE_LABELS[type]}`;
}

export function sourceTotalLabel(department: SourceDepartment): string {
  return `数据来源：${DEPARTMENT_LABELS[department].label}`;
}

const YES = '是';
const NO = '否';
const PASS = '✓';
const FAIL = '✗';
const TOTALS_HEADER = '统计项';
/** The ideographic space Chinese forms use to leave room for handwriting. */
const GAP = '\u3000';
const CHECKS_HEADER = '核对项';

// ---------------------------------------------------------------------------------------------
// Columns

interface LedgerColumn {
  key: string;
  header: string;
  width: number;
  value(child: LedgerChild, index: number, today: string): string | number | null;
}

const COLUMNS: readonly LedgerColumn[] = [
  { key: 'seq', header: '序号', width: 6, value: (_c, i) => i + 1 },
  { key: 'name', header: '姓名', width: 10, value: (c) => c.name },
  { key: 'sex', header: '性别', width: 6, value: (c) => labelOf(SEX_OPTIONS, c.sex) },
  { key: 'birthDate', header: '出生日期', width: 12, value: (c) => c.birthDate },
  { key: 'age', header: '年龄', width: 6, value: (c, _i, today) => ageOn(c.birthDate, today) },
  { key: 'id', header: '公民身份号码', width: 21, value: (c) => c.idNumberDisplay },
  { key: 'village', header: '村（社区）', width: 12, value: (c) => c.villageName },
  { key: 'hukou', header: '户籍状态', width: 9, value: (c) => labelOf(HUKOU_STATUS_OPTIONS, c.hukouStatus) },
  { key: 'leftBehind', header: '留守儿童', width: 8, value: (c) => yesNo(c.categories.includes('left_behind')) },
  { key: 'inDifficulty', header: '困境儿童', width: 8, value: (c) => yesNo(c.categories.includes('in_difficulty')) },
  { key: 'types', header: '困境类型', width: 20, value: (c) => joinOrNull(c.difficultyTypes.map((t) => DIFFICULTY_TYPE_LABELS[t])) },
  { key: 'guardian', header: '监护人', width: 10, value: (c) => c.guardianName ?? null },
  { key: 'relation', header: '监护关系', width: 10, value: (c) => (c.guardianRelation ? labelOf(GUARDIAN_RELATION_OPTIONS, c.guardianRelation) : null) },
  { key: 'supervision', header: '监护状况', width: 10, value: (c) => labelOf(SUPERVISION_OPTIONS, c.supervision) },
  { key: 'schooling', header: '就学状态', width: 10, value: (c) => labelOf(SCHOOLING_STATUS_OPTIONS, c.schoolingStatus) },
  { key: 'father', header: '父亲状况', width: 10, value: (c) => (c.fatherStatus ? labelOf(PARENT_STATUS_OPTIONS, c.fatherStatus) : null) },
  { key: 'mother', header: '母亲状况', width: 10, value: (c) => (c.motherStatus ? labelOf(PARENT_STATUS_OPTIONS, c.motherStatus) : null) },
  { key: 'assistance', header: '帮扶措施', width: 20, value: (c) => joinOrNull(c.assistance.map((a) => labelOf(ASSISTANCE_OPTIONS, a))) },
  { key: 'sources', header: '数据来源', width: 14, value: (c) => joinOrNull(c.sources.map((s) => DEPARTMENT_LABELS[s].label)) },
]; // prettier-ignore

const TITLE_ROW = 1;
const INFO_ROW = 2;
const HEADER_ROW = 3;
const FIRST_DATA_ROW = 4;
/** Totals and checks: the label spans columns A–E, the numbers sit in F, G and H. */
const LABEL_LAST_COLUMN = 5;
const VALUE_COLUMN = 6;
const RIGHT_COLUMN = 7;
const RESULT_COLUMN = 8;

export async function buildLedger(input: LedgerInput): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '同心 · 留守儿童和困境儿童信息平台';
  const sheet = workbook.addWorksheet(LEDGER_SHEET_NAME, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: HEADER_ROW }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    },
  });
  sheet.columns = COLUMNS.map((col) => ({ key: col.key, width: col.width }));

  const today = beijingDate(input.generatedAt);
  writeTitle(sheet, input, today);
  writeChildren(sheet, input.children, today);

  const lastDataRow = Math.max(FIRST_DATA_ROW, FIRST_DATA_ROW + input.children.length - 1);
  const afterTotals = writeTotalsAndChecks(sheet, input.children, lastDataRow);
  writeSignatureLine(sheet, afterTotals + 1);

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function writeTitle(sheet: ExcelJS.Worksheet, input: LedgerInput, today: string): void {
  const last = COLUMNS.length;
  const title = sheet.getCell(TITLE_ROW, 1);
  title.value = `${input.township.name}农村留守儿童和困境儿童信息台账`;
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.mergeCells(TITLE_ROW, 1, TITLE_ROW, last);
  sheet.getRow(TITLE_ROW).height = 30;

  const info = sheet.getCell(INFO_ROW, 1);
  info.value = [
    `乡镇（街道）：${input.township.name}（${input.township.code}）`,
    `生成时间：${beijingDateTime(input.generatedAt)}（北京时间）`,
    `年龄计算截至：${today}`,
    `共${input.children.length}名儿童`,
  ].join(GAP.repeat(2));
  sheet.mergeCells(INFO_ROW, 1, INFO_ROW, last);

  const header = sheet.getRow(HEADER_ROW);
  COLUMNS.forEach((col, i) => {
    const cell = header.getCell(i + 1);
    cell.value = col.header;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.border = thinBorder();
  });
  header.height = 24;
}

function writeChildren(sheet: ExcelJS.Worksheet, children: readonly LedgerChild[], today: string): void {
  children.forEach((child, index) => {
    const row = sheet.getRow(FIRST_DATA_ROW + index);
    COLUMNS.forEach((col, i) => {
      const cell = row.getCell(i + 1);
      // Empty cells stay null: an empty string would count for COUNTA and "?*".
      const value = col.value(child, index, today);
      cell.value = value === '' ? null : value;
      cell.border = thinBorder();
      cell.alignment = { vertical: 'middle', wrapText: col.width >= 14 };
    });
    // ID numbers and dates stay text: Excel would round an 18-digit number and reformat a date.
    row.getCell(columnNumber('id')).numFmt = '@';
    row.getCell(columnNumber('birthDate')).numFmt = '@';
  });
}

// ---------------------------------------------------------------------------------------------
// Totals and checks

interface Total {
  label: string;
  formula: string;
  value: number;
}

interface Check {
  label: string;
  left: { formula: string; value: number };
  right: { formula: string; value: number };
  /** How left and right must compare, as an Excel operator. */
  op: '=' | '>=' | '<=';
}

/** Returns the last row written. */
function writeTotalsAndChecks(sheet: ExcelJS.Worksheet, children: readonly LedgerChild[], lastDataRow: number): number {
  const range = (key: string) => {
    const letter = columnLetterOf(key);
    return `${letter}${FIRST_DATA_ROW}:${letter}${lastDataRow}`;
  };
  const count = (predicate: (c: LedgerChild) => boolean) => children.filter(predicate).length;
  const isLeftBehind = (c: LedgerChild) => c.categories.includes('left_behind');
  const isInDifficulty = (c: LedgerChild) => c.categories.includes('in_difficulty');

  const totals: Total[] = [
    { label: TOTAL_LABELS.total, formula: `COUNT(${range('seq')})`, value: children.length },
    { label: TOTAL_LABELS.male, formula: `COUNTIF(${range('sex')},"男")`, value: count((c) => c.sex === 'male') },
    { label: TOTAL_LABELS.female, formula: `COUNTIF(${range('sex')},"女")`, value: count((c) => c.sex === 'female') },
    { label: TOTAL_LABELS.leftBehind, formula: `COUNTIF(${range('leftBehind')},"${YES}")`, value: count(isLeftBehind) },
    {
      label: TOTAL_LABELS.inDifficulty,
      formula: `COUNTIF(${range('inDifficulty')},"${YES}")`,
      value: count(isInDifficulty),
    },
    {
      label: TOTAL_LABELS.both,
      formula: `COUNTIFS(${range('leftBehind')},"${YES}",${range('inDifficulty')},"${YES}")`,
      value: count((c) => isLeftBehind(c) && isInDifficulty(c)),
    },
    ...ZDifficultyType.options.map((type) => ({
      label: difficultyTotalLabel(type),
      formula: `COUNTIF(${range('types')},"*${DIFFICULTY_TYPE_LABELS[type]}*")`,
      value: count((c) => c.difficultyTypes.includes(type)),
    })),
    {
      label: TOTAL_LABELS.unsupervised,
      formula: `COUNTIF(${range('supervision')},"${labelOf(SUPERVISION_OPTIONS, 'unsupervised')}")`,
      value: count((c) => c.supervision === 'unsupervised'),
    },
    {
      label: TOTAL_LABELS.droppedOut,
      formula: `COUNTIF(${range('schooling')},"${labelOf(SCHOOLING_STATUS_OPTIONS, 'dropped_out')}")`,
      value: count((c) => c.schoolingStatus === 'dropped_out'),
    },
    {
      label: TOTAL_LABELS.hukouNotRegistered,
      formula: `COUNTIF(${range('hukou')},"${labelOf(HUKOU_STATUS_OPTIONS, 'not_registered')}")`,
      value: count((c) => c.hukouStatus === 'not_registered'),
    },
    ...(Object.keys(DEPARTMENT_LABELS) as SourceDepartment[]).map((department) => ({
      label: sourceTotalLabel(department),
      formula: `COUNTIF(${range('sources')},"*${DEPARTMENT_LABELS[department].label}*")`,
      value: count((c) => c.sources.includes(department)),
    })),
  ];

  let rowNumber = lastDataRow + 2;
  writeBlockHeader(sheet, rowNumber, [TOTALS_HEADER, '数量']);
  const cellOf = new Map<string, { ref: string; value: number }>();
  for (const total of totals) {
    rowNumber += 1;
    writeLabel(sheet, rowNumber, total.label);
    const cell = sheet.getCell(rowNumber, VALUE_COLUMN);
    cell.value = { formula: total.formula, result: total.value };
    cell.border = thinBorder();
    cellOf.set(total.label, { ref: cell.address, value: total.value });
  }

  const ref = (label: string) => {
    const found = cellOf.get(label);
    if (found === undefined) throw new Error(`ledger: no total ${label}`);
    return found;
  };
  const total = ref(TOTAL_LABELS.total);
  const leftBehind = ref(TOTAL_LABELS.leftBehind);
  const inDifficulty = ref(TOTAL_LABELS.inDifficulty);
  const both = ref(TOTAL_LABELS.both);
  const male = ref(TOTAL_LABELS.male);
  const female = ref(TOTAL_LABELS.female);
  const typeCells = ZDifficultyType.options.map((type) => ref(difficultyTotalLabel(type)));
  const withTypes = count((c) => isInDifficulty(c) && c.difficultyTypes.length > 0);
  const typesWithoutDifficulty = count((c) => !isInDifficulty(c) && c.difficultyTypes.length > 0);

  const checks: Check[] = [
    {
      label: '留守儿童 + 困境儿童 − 两者兼有 = 纳入台账儿童总数',
      left: {
        formula: `${leftBehind.ref}+${inDifficulty.ref}-${both.ref}`,
        value: leftBehind.value + inDifficulty.value - both.value,
      },
      right: { formula: total.ref, value: total.value },
      op: '=',
    },
    {
      label: '各困境类型之和 ≥ 困境儿童数（一名儿童可有多种类型）',
      left: {
        formula: `SUM(${typeCells.map((c) => c.ref).join(',')})`,
        value: typeCells.reduce((sum, c) => sum + c.value, 0),
      },
      right: { formula: inDifficulty.ref, value: inDifficulty.value },
      op: '>=',
    },
    {
      label: '填有困境类型的困境儿童数 = 困境儿童数',
      left: {
        formula: `COUNTIFS(${range('inDifficulty')},"${YES}",${range('types')},"?*")`,
        value: withTypes,
      },
      right: { formula: inDifficulty.ref, value: inDifficulty.value },
      op: '=',
    },
    {
      label: '非困境儿童填有困境类型的人数 = 0',
      left: {
        formula: `COUNTIFS(${range('inDifficulty')},"${NO}",${range('types')},"?*")`,
        value: typesWithoutDifficulty,
      },
      right: { formula: '0', value: 0 },
      op: '=',
    },
    {
      label: '两者兼有 ≤ 留守儿童数与困境儿童数中较小者',
      left: { formula: both.ref, value: both.value },
      right: {
        formula: `MIN(${leftBehind.ref},${inDifficulty.ref})`,
        value: Math.min(leftBehind.value, inDifficulty.value),
      },
      op: '<=',
    },
    {
      label: '男 + 女 = 纳入台账儿童总数',
      left: { formula: `${male.ref}+${female.ref}`, value: male.value + female.value },
      right: { formula: total.ref, value: total.value },
      op: '=',
    },
  ];

  rowNumber += 2;
  writeBlockHeader(sheet, rowNumber, [CHECKS_HEADER, '左边', '右边', '结果']);
  for (const check of checks) {
    rowNumber += 1;
    writeLabel(sheet, rowNumber, check.label);
    const left = sheet.getCell(rowNumber, VALUE_COLUMN);
    const right = sheet.getCell(rowNumber, RIGHT_COLUMN);
    const result = sheet.getCell(rowNumber, RESULT_COLUMN);
    left.value = { formula: check.left.formula, result: check.left.value };
    right.value = { formula: check.right.formula, result: check.right.value };
    const holds = compare(check.left.value, check.op, check.right.value);
    result.value = {
      formula: `IF(${left.address}${check.op}${right.address},"${PASS}","${FAIL}")`,
      result: holds ? PASS : FAIL,
    };
    result.font = { bold: true, color: { argb: holds ? 'FF00B050' : 'FFC00000' } };
    for (const cell of [left, right, result]) {
      cell.border = thinBorder();
      cell.alignment = { horizontal: 'center' };
    }
  }
  return rowNumber;
}

function writeBlockHeader(sheet: ExcelJS.Worksheet, rowNumber: number, headers: readonly string[]): void {
  const [label, ...values] = headers;
  writeLabel(sheet, rowNumber, label ?? '');
  sheet.getCell(rowNumber, 1).font = { bold: true };
  values.forEach((text, i) => {
    const cell = sheet.getCell(rowNumber, VALUE_COLUMN + i);
    cell.value = text;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center' };
    cell.border = thinBorder();
  });
  for (let col = 1; col < VALUE_COLUMN + values.length; col += 1) {
    sheet.getCell(rowNumber, col).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
  }
}

function writeLabel(sheet: ExcelJS.Worksheet, rowNumber: number, label: string): void {
  const cell = sheet.getCell(rowNumber, 1);
  cell.value = label;
  cell.border = thinBorder();
  sheet.mergeCells(rowNumber, 1, rowNumber, LABEL_LAST_COLUMN);
}

function writeSignatureLine(sheet: ExcelJS.Worksheet, rowNumber: number): void {
  const cell = sheet.getCell(rowNumber + 1, 1);
  cell.value = ['填报单位（盖章）：', '填报人：', '审核人：', '联系电话：'].join(GAP.repeat(8));
  sheet.mergeCells(rowNumber + 1, 1, rowNumber + 1, COLUMNS.length);
}

function compare(left: number, op: Check['op'], right: number): boolean {
  if (op === '=') return left === right;
  if (op === '>=') return left >= right;
  return left <= right;
}

// ---------------------------------------------------------------------------------------------
// Reading a ledger back

export interface LedgerCheckResult {
  label: string;
  left: number;
  right: number;
  /** What the sheet says (✓ or ✗). */
  holds: boolean;
}

export interface LedgerReadBack {
  /** Data rows (children) in the sheet. */
  children: number;
  totals: Record<string, number>;
  checks: LedgerCheckResult[];
}

/** Re-reads a ledger workbook: totals by label and the consistency checks as written. */
export async function readLedger(buffer: Buffer): Promise<LedgerReadBack> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  const sheet = workbook.getWorksheet(LEDGER_SHEET_NAME) ?? workbook.worksheets[0];
  if (sheet === undefined) throw new Error('ledger: the workbook has no worksheet / 工作簿中没有工作表');

  const totals: Record<string, number> = {};
  const checks: LedgerCheckResult[] = [];
  let children = 0;
  let block: 'data' | 'totals' | 'checks' | 'none' = 'none';

  for (let rowNumber = HEADER_ROW + 1; rowNumber <= sheet.rowCount; rowNumber += 1) {
    const row = sheet.getRow(rowNumber);
    const label = textOf(row.getCell(1).value);
    if (rowNumber === FIRST_DATA_ROW) block = 'data';
    if (label === TOTALS_HEADER) {
      block = 'totals';
      continue;
    }
    if (label === CHECKS_HEADER) {
      block = 'checks';
      continue;
    }
    if (label === '') {
      if (block !== 'data') block = 'none';
      continue;
    }
    if (block === 'data') children += 1;
    else if (block === 'totals') totals[label] = numberOf(row.getCell(VALUE_COLUMN).value);
    else if (block === 'checks') {
      checks.push({
        label,
        left: numberOf(row.getCell(VALUE_COLUMN).value),
        right: numberOf(row.getCell(RIGHT_COLUMN).value),
        holds: textOf(row.getCell(RESULT_COLUMN).value) === PASS,
      });
    }
  }
  return { children, totals, checks };
}

/** The totals block of a ledger workbook, by label (e.g. { 纳入台账儿童总数: 12, 留守儿童: 7, … }). */
export async function readLedgerTotals(buffer: Buffer): Promise<Record<string, number>> {
  return (await readLedger(buffer)).totals;
}

function resultOf(value: ExcelJS.CellValue): ExcelJS.CellValue {
  if (value !== null && typeof value === 'object' && ('formula' in value || 'sharedFormula' in value)) {
    return (value.result ?? null) as ExcelJS.CellValue;
  }
  return value;
}

function textOf(value: ExcelJS.CellValue): string {
  const v = resultOf(value);
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && 'richText' in v)
    return v.richText
      .map((r) => r.text)
      .join('')
      .trim();
  return '';
}

function numberOf(value: ExcelJS.CellValue): number {
  const v = resultOf(value);
  if (typeof v === 'number') return v;
  const parsed = Number(textOf(v));
  return Number.isFinite(parsed) ? parsed : Number.NaN;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function columnNumber(key: string): number {
  const index = COLUMNS.findIndex((col) => col.key === key);
  if (index === -1) throw new Error(`ledger: no column ${key}`);
  return index + 1;
}

function columnLetterOf(key: string): string {
  // The ledger has fewer than 26 columns, so one letter suffices.
  return String.fromCharCode(64 + columnNumber(key));
}

function yesNo(flag: boolean): string {
  return flag ? YES : NO;
}

function joinOrNull(parts: readonly string[]): string | null {
  return parts.length === 0 ? null : parts.join('、');
}

/** Full years on `today` (YYYY-MM-DD); a birthday on 29 February counts from 1 March in common years. */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

function beijingDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function beijingDateTime(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function thinBorder(): Partial<ExcelJS.Borders> {
  const thin: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FFBFBFBF' } };
  return { top: thin, left: thin, bottom: thin, right: thin };
}
