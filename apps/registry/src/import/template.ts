/**
 * The blank list officers download, fill and upload again: sheet 填报模板 with the columns of
 * columns.ts (required ones in red, drop-downs for enum columns, every cell formatted as text so ID
 * numbers keep their digits) and sheet 填写说明 explaining each column in Chinese and English.
 */
import ExcelJS from 'exceljs';

import { acceptedLabels, acceptedLabelsEn, COLUMNS, type Column } from './columns.js';
import { TEMPLATE_SHEET_NAME } from './parse.js';

export const INSTRUCTIONS_SHEET_NAME = '填写说明';
/** Rows below the header prepared with drop-downs and prompts (a township lists a few hundred children). */
export const TEMPLATE_INPUT_ROWS = 2000;

const TEXT_FORMAT = '@';
const RED = 'FFC00000';
const HEADER_FILL = 'FFDDEBF7';
const REQUIRED_FILL = 'FFFCE4D6';

const GENERAL_RULES: readonly [zh: string, en: string][] = [
  [
    '每个文件只填报一个部门（民政、教育或公安）、一个乡镇（街道）的儿童名单。',
    'One file holds one department’s list (civil affairs, education or public security) for one township.',
  ],
  [
    '请勿修改第一行的列名。红色列为必填列，不能删除；其他列本部门不掌握的可以留空或删除。',
    'Do not rename the headers in row 1. Red columns are required; any other column your department does not know may be left empty or deleted.',
  ],
  [
    '每名儿童只填一行，不要合并单元格，同一儿童不要重复填写。',
    'One row per child; do not merge cells; do not list a child twice.',
  ],
  [
    '所有单元格已设为文本格式。从其他表格复制时请使用“选择性粘贴→数值”，以免公民身份号码变成科学计数法而丢失末尾数字。',
    'Every cell is formatted as text. When copying from another sheet use Paste Special → Values, or ID numbers turn into scientific notation and lose their last digits.',
  ],
  [
    '只填报未满18周岁、现居住在本乡镇（街道）的儿童；村（社区）代码须为本乡镇（街道）下的12位代码。',
    'List only children under 18 who live in the township; the village code must be a 12-digit code of that township.',
  ],
  ['上传前请删除第2行的示例行。', 'Delete the example row (row 2) before uploading.'],
  [
    '文件中任何一行有错误，整个文件都不会导入。请按错误提示（第几行、哪一列）修改后重新上传。',
    'If any row has a problem, nothing in the file is imported; fix the rows and columns named in the report and upload again.',
  ],
  [
    '可上传.xlsx文件，或.csv文件（UTF-8或GBK编码，Excel“另存为CSV”即可）。不支持旧版.xls，请另存为.xlsx。',
    'Upload .xlsx, or .csv (UTF-8 or GBK, as Excel’s “Save as CSV” writes). Old .xls files are not accepted; save them as .xlsx.',
  ],
];

export async function buildTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '同心 · 留守儿童和困境儿童信息平台';

  addTemplateSheet(workbook);
  addInstructionsSheet(workbook);

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addTemplateSheet(workbook: ExcelJS.Workbook): void {
  const sheet = workbook.addWorksheet(TEMPLATE_SHEET_NAME, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
  });
  sheet.columns = COLUMNS.map((col) => ({
    header: col.header,
    key: col.key,
    width: Math.min(40, Math.max(10, displayWidth(col.header) + 4, displayWidth(col.example) + 4)),
    // Text format everywhere: otherwise Excel turns an 18-digit ID into 4.30621E+17 and drops digits.
    style: { numFmt: TEXT_FORMAT },
  }));

  const header = sheet.getRow(1);
  header.height = 32;
  COLUMNS.forEach((col, i) => {
    const cell = header.getCell(i + 1);
    cell.font = { bold: true, color: col.required ? { argb: RED } : undefined };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: col.required ? REQUIRED_FILL : HEADER_FILL } };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = thinBorder();
    cell.note = `${col.required ? '【必填】' : '【选填】'}${col.help}\n${col.helpEn}`;
  });

  const example = sheet.getRow(2);
  COLUMNS.forEach((col, i) => {
    const cell = example.getCell(i + 1);
    cell.value = col.example === '' ? null : col.example;
    cell.font = { italic: true, color: { argb: 'FF808080' } };
  });
  example.getCell(1).note = '示例行：上传前请删除 / Example row: delete it before uploading';

  COLUMNS.forEach((col, i) => addInputValidation(sheet, col, i + 1));
}

/**
 * Drop-downs for enum columns and an input prompt on every column. The drop-down only warns on other
 * text (errorStyle "warning"), because the aliases listed in 填写说明 are accepted too.
 */
function addInputValidation(sheet: ExcelJS.Worksheet, col: Column, columnNumber: number): void {
  const letter = sheet.getColumn(columnNumber).letter;
  const range = `${letter}2:${letter}${TEMPLATE_INPUT_ROWS + 1}`;
  const prompt = { showInputMessage: true, promptTitle: truncate(col.header, 32), prompt: truncate(col.help, 255) };
  if (col.kind === 'enum' && col.options !== undefined) {
    const list = col.options.map((option) => option.label).join(',');
    addDataValidation(sheet, range, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${list}"`],
      ...prompt,
      showErrorMessage: true,
      errorStyle: 'warning',
      errorTitle: '请从列表中选择',
      error: `可填：${acceptedLabels(col.options)}（也接受填写说明中列出的其他写法）`,
    });
    return;
  }
  addDataValidation(sheet, range, { type: 'any', allowBlank: true, formulae: [], ...prompt });
}

type RangeValidation = Omit<ExcelJS.DataValidation, 'type'> & { type: ExcelJS.DataValidation['type'] | 'any' };

/**
 * exceljs 4.4 supports validations over a whole range (`worksheet.dataValidations.add`), but its type
 * declarations leave that member out; the per-cell alternative would store thousands of copies.
 */
function addDataValidation(sheet: ExcelJS.Worksheet, range: string, validation: RangeValidation): void {
  const withRanges = sheet as unknown as { dataValidations: { add(range: string, v: RangeValidation): void } };
  withRanges.dataValidations.add(range, validation);
}

function addInstructionsSheet(workbook: ExcelJS.Workbook): void {
  const sheet = workbook.addWorksheet(INSTRUCTIONS_SHEET_NAME);
  sheet.columns = [
    { width: 24 },
    { width: 22 },
    { width: 8 },
    { width: 48 },
    { width: 48 },
    { width: 40 },
    { width: 40 },
    { width: 30 },
  ];

  const title = sheet.addRow(['留守儿童和困境儿童名单填写说明 / How to fill in the list']);
  title.font = { bold: true, size: 14 };
  sheet.mergeCells(title.number, 1, title.number, 8);
  sheet.addRow([]);

  sheet.addRow(['填写要求', 'General rules']).font = { bold: true };
  GENERAL_RULES.forEach(([zh, en], i) => {
    const row = sheet.addRow([`${i + 1}. ${zh}`]);
    row.getCell(5).value = en;
    sheet.mergeCells(row.number, 1, row.number, 4);
    sheet.mergeCells(row.number, 5, row.number, 8);
    row.alignment = { wrapText: true, vertical: 'top' };
    row.height = 36;
  });
  sheet.addRow([]);

  const header = sheet.addRow([
    '列名',
    'Column',
    '必填',
    '填写要求',
    'What to write',
    '可填的值 / Accepted values',
    '也接受的写法 / Also accepted',
    '也接受的列名 / Other headers',
  ]);
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
    cell.border = thinBorder();
    cell.alignment = { wrapText: true, vertical: 'middle' };
  });

  for (const col of COLUMNS) {
    const options = col.options ?? [];
    const row = sheet.addRow([
      col.header,
      col.headerEn,
      col.required ? '是 / yes' : '否 / no',
      col.help,
      col.helpEn,
      options.length > 0 ? `${acceptedLabels(options)}\n${acceptedLabelsEn(options)}` : '',
      options
        .filter((option) => (option.aliases ?? []).length > 0)
        .map((option) => `${option.label}：${(option.aliases ?? []).join('、')}`)
        .join('\n'),
      col.aliases.join('、'),
    ]);
    row.alignment = { wrapText: true, vertical: 'top' };
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = thinBorder();
    });
    if (col.required) row.getCell(1).font = { bold: true, color: { argb: RED } };
  }
}

function thinBorder(): Partial<ExcelJS.Borders> {
  const thin: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FFBFBFBF' } };
  return { top: thin, left: thin, bottom: thin, right: thin };
}

/** Column width in Excel units: a Chinese character is about two Latin ones wide. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u2e80-\uffef]/.test(ch) ? 2 : 1;
  return width;
}

function truncate(text: string, max: number): string {
  return [...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`;
}
