/**
 * Reads an uploaded department list (.xlsx or .csv) into header + text cells. The only module of the
 * import that knows about file formats; validate.ts sees strings only.
 *
 * The format is detected from the bytes, never from the file name: officers rename files, and a
 * browser may send any name. Everything returned is text, because the values that matter (ID
 * numbers, region codes, phone numbers) must never pass through a JS number.
 */
import ExcelJS from 'exceljs';

import type { RowIssue } from '../domain/child.js';

import { findColumn, normalizeHeader } from './columns.js';

export interface SheetRow {
  /** The row number the officer sees in Excel (1-based, title rows above the header counted). */
  rowNumber: number;
  /** Cell text by header as written in the file; empty cells are ''. */
  cells: Record<string, string>;
}

export interface Sheet {
  /** Headers as written in the file, in column order (duplicates kept, so they can be reported). */
  headers: string[];
  rows: SheetRow[];
}

export type ReadSheetResult = Sheet | { fileIssues: RowIssue[] };

export interface ReadSheetOptions {
  /** Data rows above this are refused as a whole (default 100 000). */
  maxRows?: number;
}

export const DEFAULT_MAX_ROWS = 100_000;

/** The sheet the template fills; preferred when a workbook has several. */
export const TEMPLATE_SHEET_NAME = '填报模板';

export function isSheet(result: ReadSheetResult): result is Sheet {
  return !('fileIssues' in result);
}

/** A cell as read, before header matching: its text, and whether Excel already lost digits of it. */
interface RawCell {
  text: string;
  /** A number of more than 15 digits: Excel keeps 15 significant digits, so the rest are gone. */
  lostDigits?: boolean;
}

interface RawRow {
  rowNumber: number;
  cells: RawCell[];
}

type Grid = { rows: RawRow[] } | { fileIssues: RowIssue[] };

/** How many leading non-empty rows may be titles or notes above the header row. */
const HEADER_SEARCH_ROWS = 10;
/** Excel's precision: digits beyond the 15th of a number are replaced by zeros. */
const EXCEL_SIGNIFICANT_DIGITS = 15;

export async function readSheet(file: Buffer, opts: ReadSheetOptions = {}): Promise<ReadSheetResult> {
  const maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
  if (file.length === 0) return { fileIssues: [emptyFile()] };

  const grid = isZip(file) ? await readWorkbook(file) : readDelimitedText(file);
  if ('fileIssues' in grid) return grid;
  return gridToSheet(grid.rows, maxRows);
}

// ---------------------------------------------------------------------------------------------
// Format detection

function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

const KNOWN_BINARY: readonly { magic: readonly number[]; what: string; whatZh: string }[] = [
  // Old .xls (BIFF in an OLE container); password-protected .xlsx files are OLE containers too.
  { magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'an old .xls workbook or an encrypted file', whatZh: '旧版Excel（.xls）或加密文件' },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image', whatZh: 'PNG图片' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image', whatZh: 'JPEG图片' },
  { magic: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image', whatZh: 'GIF图片' },
  { magic: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document', whatZh: 'PDF文档' },
  { magic: [0x52, 0x61, 0x72, 0x21], what: 'a RAR archive', whatZh: 'RAR压缩包' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7z archive', whatZh: '7z压缩包' },
  { magic: [0x1f, 0x8b], what: 'a gzip archive', whatZh: 'gzip压缩包' },
]; // prettier-ignore

function recogniseBinary(bytes: Buffer): { what: string; whatZh: string } | undefined {
  return KNOWN_BINARY.find(({ magic }) => magic.every((byte, i) => bytes[i] === byte));
}

// ---------------------------------------------------------------------------------------------
// .xlsx

async function readWorkbook(file: Buffer): Promise<Grid> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type (an ArrayBuffer); a Node Buffer is what it reads at runtime.
    await workbook.xlsx.load(file as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    return { fileIssues: [notAWorkbook()] };
  }
  if (workbook.worksheets.length === 0) return { fileIssues: [notAWorkbook()] };

  const worksheet = pickWorksheet(workbook);
  if (worksheet === undefined) return { fileIssues: [emptyFile()] };

  const rows: RawRow[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: RawCell[] = [];
    for (let col = 1; col <= row.cellCount; col += 1) cells.push(excelCellText(row.getCell(col).value));
    rows.push({ rowNumber, cells });
  });
  return { rows };
}

/** The template's sheet if present, else the first visible sheet with content (skipping instructions). */
function pickWorksheet(workbook: ExcelJS.Workbook): ExcelJS.Worksheet | undefined {
  const visible = workbook.worksheets.filter((sheet) => sheet.state === undefined || sheet.state === 'visible');
  const hasContent = (sheet: ExcelJS.Worksheet) => sheet.actualRowCount > 0;
  const named = visible.find((sheet) => normalizeHeader(sheet.name) === normalizeHeader(TEMPLATE_SHEET_NAME));
  if (named !== undefined && hasContent(named)) return named;
  return visible.find(hasContent);
}

function excelCellText(value: ExcelJS.CellValue): RawCell {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: cleanText(value) };
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) return { text: isoDateOf(value) };
  if ('richText' in value) return { text: cleanText(value.richText.map((run) => run.text).join('')) };
  if ('hyperlink' in value) {
    // exceljs may hand hyperlink text over as rich text.
    const text: unknown = value.text;
    return typeof text === 'string' ? { text: cleanText(text) } : excelCellText(text as ExcelJS.CellValue);
  }
  if ('formula' in value || 'sharedFormula' in value) {
    return value.result === undefined ? { text: '' } : excelCellText(value.result);
  }
  if ('error' in value) return { text: value.error };
  return { text: '' };
}

/**
 * Numbers become the text Excel would show in a General cell, never scientific notation. An integer of
 * more than 15 digits is marked: it can only be an ID number typed into a number cell, and Excel has
 * already replaced its last digits with zeros, so no conversion can bring them back.
 */
function numberText(value: number): RawCell {
  if (!Number.isFinite(value)) return { text: String(value) };
  if (Number.isInteger(value)) {
    const text = BigInt(value).toString();
    const digits = text.replace('-', '').length;
    return digits > EXCEL_SIGNIFICANT_DIGITS ? { text, lostDigits: true } : { text };
  }
  // Excel stores 15 significant digits; anything further is binary noise (0.30000000000000004).
  const rounded = Number(value.toPrecision(EXCEL_SIGNIFICANT_DIGITS));
  const text = String(rounded);
  if (!/e/i.test(text)) return { text };
  return { text: rounded.toFixed(20).replace(/\.?0+$/, '') };
}

/** exceljs turns Excel date serials into Dates at UTC midnight; the UTC calendar date is the cell's date. */
function isoDateOf(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  return date.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// .csv / .txt

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

function readDelimitedText(file: Buffer): Grid {
  const decoded = decodeText(file);
  if ('issue' in decoded) return { fileIssues: [decoded.issue] };
  if (decoded.text.trim() === '') return { fileIssues: [emptyFile()] };

  const parsed = parseDelimited(decoded.text, detectDelimiter(decoded.text));
  if ('issue' in parsed) return { fileIssues: [parsed.issue] };
  return {
    rows: parsed.records.map((record, index) => ({ rowNumber: index + 1, cells: record.map(csvCellText) })),
  };
}

/**
 * UTF-8 first (with or without BOM), then GB18030, which is what Chinese Excel and WPS write when
 * saving "CSV (逗号分隔)". Excel's "Unicode text" is UTF-16 with a BOM. Anything else is refused
 * rather than shown as mojibake: both decoders run in fatal mode, so random bytes fail.
 */
function decodeText(bytes: Buffer): { text: string } | { issue: RowIssue } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };

  const binary = recogniseBinary(bytes);
  if (binary !== undefined) return { issue: unsupportedFile(binary) };
  if (bytes.includes(0)) return { issue: unsupportedFile() };

  const hasBom = UTF8_BOM.every((byte, i) => bytes[i] === byte);
  const body = hasBom ? bytes.subarray(UTF8_BOM.length) : bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    try {
      text = new TextDecoder('gb18030', { fatal: true }).decode(body);
    } catch {
      return { issue: unsupportedFile() };
    }
  }
  // Text files have no control characters besides tab and line breaks; binary files always do.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return { issue: unsupportedFile() };
  return { text };
}

/** Comma unless the first line clearly uses tabs (Excel "Unicode text") or semicolons (European locales). */
function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r|\n/) === -1 ? text.length : text.search(/\r|\n/));
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const candidates = [',', '\t', ';'].map((ch) => ({ ch, n: count(ch) }));
  const best = candidates.reduce((a, b) => (b.n > a.n ? b : a));
  return best.n > 0 ? best.ch : ',';
}

/**
 * RFC 4180: fields separated by the delimiter, records by CRLF (LF or CR alone accepted), a field in
 * double quotes may hold delimiters and line breaks, "" inside quotes is one quote. Hand-written
 * because it is fifty lines and the alternatives would be a new dependency.
 */
function parseDelimited(text: string, delimiter: string): { records: string[][] } | { issue: RowIssue } {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedRecordStart = 0;
  let i = 0;

  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };

  while (i < text.length) {
    const ch = text.charAt(i);
    if (inQuotes) {
      if (ch === '"') {
        if (text.charAt(i + 1) === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        field += ch;
      }
      i += 1;
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      // A quote opens a quoted field only at its start (spaces before it are tolerated and dropped).
      field = '';
      inQuotes = true;
      quotedRecordStart = records.length + 1;
    } else if (ch === delimiter) {
      endField();
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      if (ch === '\r' && text.charAt(i + 1) === '\n') i += 1;
    } else {
      field += ch;
    }
    i += 1;
  }
  if (inQuotes) {
    return {
      issue: {
        row: quotedRecordStart,
        column: '',
        code: 'bad_csv',
        message: `a quoted field starting in row ${quotedRecordStart} is never closed`,
        messageZh: `第${quotedRecordStart}行有未闭合的双引号，请检查该行内容`,
      },
    };
  }
  if (field !== '' || record.length > 0) endRecord();
  return { records };
}

/**
 * Besides trimming: a leading apostrophe before digits is Excel's "keep as text" marker that some
 * systems export literally, and a number in scientific notation (4.30621E+17) is an ID number Excel
 * already rounded before saving the CSV.
 */
function csvCellText(raw: string): RawCell {
  let text = cleanText(raw);
  const excelText = /^="(.*)"$/.exec(text);
  if (excelText !== null) text = cleanText(excelText[1] ?? '');
  if (/^'[\dXx]+$/.test(text)) text = text.slice(1);
  if (/^[+-]?\d+(\.\d+)?[eE]\+?\d+$/.test(text) && Math.abs(Number(text)) >= 10 ** EXCEL_SIGNIFICANT_DIGITS) {
    return { text, lostDigits: true };
  }
  return { text };
}

// ---------------------------------------------------------------------------------------------
// Grid → headers and rows

function gridToSheet(allRows: RawRow[], maxRows: number): ReadSheetResult {
  const rows = allRows.filter((row) => row.cells.some((cell) => cell.text !== ''));
  if (rows.length === 0) return { fileIssues: [emptyFile()] };

  const headerIndex = findHeaderRow(rows);
  const headerRow = rows[headerIndex];
  const dataRows = rows.slice(headerIndex + 1);
  if (headerRow === undefined || dataRows.length === 0) return { fileIssues: [emptyFile()] };
  if (dataRows.length > maxRows) return { fileIssues: [tooManyRows(dataRows.length, maxRows)] };

  const width = Math.max(headerRow.cells.length, ...dataRows.map((row) => row.cells.length));
  const issues: RowIssue[] = [];
  const columns: { index: number; header: string }[] = [];
  for (let index = 0; index < width; index += 1) {
    const header = headerRow.cells[index]?.text ?? '';
    if (header !== '') {
      columns.push({ index, header });
      continue;
    }
    const used = dataRows.find((row) => (row.cells[index]?.text ?? '') !== '');
    if (used !== undefined) issues.push(unnamedColumn(index, headerRow.rowNumber));
  }

  const sheetRows: SheetRow[] = dataRows.map((row) => {
    const cells: Record<string, string> = {};
    for (const { index, header } of columns) {
      const cell = row.cells[index];
      // With duplicate headers the first column wins; validate.ts refuses such files anyway.
      if (!(header in cells)) cells[header] = cell?.text ?? '';
      if (cell?.lostDigits === true) issues.push(storedAsNumber(row.rowNumber, header));
    }
    return { rowNumber: row.rowNumber, cells };
  });

  if (issues.length > 0) return { fileIssues: issues };
  return { headers: columns.map((c) => c.header), rows: sheetRows };
}

/**
 * Township lists often carry a title row ("XX镇留守儿童摸排表") or a note above the header. The header
 * is the first of the leading rows naming at least two template columns; failing that, the first row
 * (validate.ts then reports its headers as unknown).
 */
function findHeaderRow(rows: RawRow[]): number {
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let i = 0; i < limit; i += 1) {
    const known = rows[i]?.cells.filter((cell) => cell.text !== '' && findColumn(cell.text) !== undefined).length ?? 0;
    if (known >= 2) return i;
  }
  return 0;
}

function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\u200b|\u200c|\u200d|\u2060/g, '') // zero-width characters pasted from web pages
    .trim();
}

/** "A", "B", …, "Z", "AA": how Excel names the n-th column (0-based). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

// ---------------------------------------------------------------------------------------------
// File issues

function emptyFile(): RowIssue {
  return {
    row: 0,
    column: '',
    code: 'empty_file',
    message: 'the file is empty or has no data rows below the header',
    messageZh: '文件为空/没有数据行',
  };
}

function notAWorkbook(): RowIssue {
  return {
    row: 0,
    column: '',
    code: 'not_a_workbook',
    message: 'the file is a zip archive but not a readable Excel workbook (.xlsx); it may be damaged',
    messageZh: '不是有效的Excel工作簿（文件可能已损坏），请用Excel或WPS另存为.xlsx后重新上传',
  };
}

function unsupportedFile(recognised?: { what: string; whatZh: string }): RowIssue {
  return {
    row: 0,
    column: '',
    code: 'unsupported_file',
    message: `${recognised ? `the file is ${recognised.what}; ` : 'the file is neither an Excel workbook nor a text file; '}upload the list as .xlsx or .csv`,
    messageZh: `${recognised ? `文件是${recognised.whatZh}，` : '文件既不是Excel工作簿也不是文本文件，'}请上传.xlsx或.csv格式的名单`,
  };
}

function tooManyRows(count: number, maxRows: number): RowIssue {
  return {
    row: 0,
    column: '',
    code: 'too_many_rows',
    message: `the file has ${count} data rows; at most ${maxRows} are accepted in one upload`,
    messageZh: `文件有${count}行数据，单次上传最多${maxRows}行，请拆分后上传`,
  };
}

function unnamedColumn(index: number, headerRowNumber: number): RowIssue {
  const letter = columnLetter(index);
  return {
    row: headerRowNumber,
    column: '',
    code: 'unnamed_column',
    message: `column ${letter} has data but no header`,
    messageZh: `第${letter}列有数据但没有表头，请填写列名或删除该列`,
  };
}

function storedAsNumber(row: number, header: string): RowIssue {
  return {
    row,
    column: header,
    code: 'id_number_stored_as_number',
    message: `"${header}" holds a number of more than 15 digits: Excel has already replaced its last digits with zeros. Format the column as text and type the numbers again`,
    messageZh: '身份号码被存为数字，请将该列设为文本（Excel已将第15位之后的数字变为0，需重新录入）',
  };
}
