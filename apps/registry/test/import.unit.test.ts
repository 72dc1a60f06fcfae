import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

import { makeResidentId } from '@tongxin/contracts/values';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';

import type { RowIssue } from '../src/domain/child.js';
import {
  buildTemplate,
  COLUMNS,
  INSTRUCTIONS_SHEET_NAME,
  isSheet,
  parseDate,
  readSheet,
  TEMPLATE_SHEET_NAME,
  validateRows,
  type ValidationContext,
  type ValidationResult,
} from '../src/import/index.js';

// 荣家湾镇 (岳阳县) and two of its villages; 毛家村 belongs to the neighbouring 黄沙街镇.
const TOWNSHIP = '430621101';
const VILLAGE = '430621101201';
const OTHER_VILLAGE = '430621101202';
const VILLAGE_OF_OTHER_TOWNSHIP = '430621102201';
const TODAY = new Date('2026-05-01T04:00:00Z');
const CTX: ValidationContext = { township: TOWNSHIP, department: 'civil_affairs', today: TODAY };

type Cells = Record<string, string | number | Date | null>;

function childId(birthDate: string, sex: 'male' | 'female', sequence = 0): string {
  return makeResidentId({ regionCode: '430621', birthDate, sex, sequence });
}

/** The same ID with a different (wrong) check character. */
function withBadCheckChar(id: string): string {
  const last = id.slice(-1);
  return id.slice(0, 17) + (last === '0' ? '1' : '0');
}

function minimalRow(overrides: Cells = {}): Cells {
  return { 姓名: '李小红', 性别: '女', 出生日期: '2015-03-08', '现居住地村（社区）代码': VILLAGE, ...overrides };
}

/** Built once: the template is the same bytes for every test (each test fills its own copy). */
let templateOnce: Promise<Buffer> | undefined;
function template(): Promise<Buffer> {
  templateOnce ??= buildTemplate();
  return templateOnce;
}

/** Fills the real template the way an officer would: example row replaced by the given rows. */
async function filledTemplate(rows: Cells[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await template()) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet(TEMPLATE_SHEET_NAME);
  if (sheet === undefined) throw new Error('template sheet missing');
  const columnOf = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, col) => columnOf.set(String(cell.value), col));
  // Clear the example row.
  for (let col = 1; col <= COLUMNS.length; col += 1) sheet.getRow(2).getCell(col).value = null;
  rows.forEach((cells, i) => {
    const row = sheet.getRow(2 + i);
    for (const [header, value] of Object.entries(cells)) {
      const col = columnOf.get(header);
      if (col === undefined) throw new Error(`no column ${header} in the template`);
      row.getCell(col).value = value;
    }
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A workbook with exactly these headers and rows (not the template). */
async function workbookWith(headers: (string | null)[], rows: Cells[] | (string | number | null)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  sheet.addRow(headers);
  for (const row of rows) {
    sheet.addRow(Array.isArray(row) ? row : headers.map((h) => (h === null ? null : (row[h] ?? null))));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function importFile(file: Buffer, ctx: ValidationContext = CTX): Promise<ValidationResult> {
  const sheet = await readSheet(file, {});
  if (!isSheet(sheet)) return { rows: [], issues: sheet.fileIssues, rowsRead: 0 };
  return validateRows(sheet, ctx);
}

function codesOf(issues: readonly RowIssue[]): string[] {
  return issues.map((issue) => issue.code);
}

function csv(lines: string[]): string {
  return lines.join('\r\n') + '\r\n';
}

/**
 * A GBK encoder for tests without a dependency: the reverse of Node's (full ICU) GB18030 decoder over
 * the two-byte GBK range, which covers every character the tests use.
 */
const GBK_BYTES: Map<string, [number, number]> = (() => {
  const map = new Map<string, [number, number]>();
  const decoder = new TextDecoder('gb18030');
  for (let lead = 0x81; lead <= 0xfe; lead += 1) {
    for (let trail = 0x40; trail <= 0xfe; trail += 1) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([lead, trail]));
      if (ch.length === 1 && !map.has(ch)) map.set(ch, [lead, trail]);
    }
  }
  return map;
})();

function encodeGbk(text: string): Buffer {
  const bytes: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) bytes.push(ch.charCodeAt(0));
    else {
      const pair = GBK_BYTES.get(ch);
      if (pair === undefined) throw new Error(`no GBK code for ${ch}`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}

/** A valid zip archive holding plain files (stored, no compression): a zip that is not a workbook. */
function zipOf(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(content, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

describe('import template', () => {
  it('when the template is built, then 填报模板 has every column header in bold with an example row and drop-downs', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buildTemplate()) as unknown as ArrayBuffer);

    const sheet = workbook.getWorksheet(TEMPLATE_SHEET_NAME);
    expect(sheet).toBeDefined();
    const headers: string[] = [];
    sheet?.getRow(1).eachCell((cell) => {
      headers.push(String(cell.value));
      expect(cell.font?.bold).toBe(true);
    });
    expect(headers).toEqual(COLUMNS.map((c) => c.header));
    expect(sheet?.getRow(2).getCell(1).value).toBe('示例儿童');
    const sexColumn = COLUMNS.findIndex((c) => c.key === 'sex') + 1;
    const validation = sheet?.getRow(5).getCell(sexColumn).dataValidation;
    expect(validation?.type).toBe('list');
    expect(validation?.formulae).toEqual(['"男,女"']);
  });

  it('when the template is built, then 填写说明 explains every column in Chinese and English with its accepted values', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buildTemplate()) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet(INSTRUCTIONS_SHEET_NAME);
    expect(sheet).toBeDefined();
    const rowsByHeader = new Map<string, string[]>();
    sheet?.eachRow((row) => {
      const values = (row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)));
      if (values[0] !== undefined) rowsByHeader.set(values[0], values);
    });
    for (const col of COLUMNS) {
      const row = rowsByHeader.get(col.header);
      expect(row, col.header).toBeDefined();
      expect(row?.[1]).toBe(col.headerEn);
    }
    expect(rowsByHeader.get('父亲状况')?.[5]).toContain('强制隔离戒毒');
    expect(rowsByHeader.get('救助帮扶')?.[5]).toContain('事实无人抚养儿童生活补贴');
  });

  it('when the untouched template is uploaded, then the example row is refused', async () => {
    const result = await importFile(await buildTemplate());

    expect(result.rows).toEqual([]);
    expect(result.issues).toContainEqual(expect.objectContaining({ row: 2, column: '姓名', code: 'example_row' }));
  });
});

describe('importing a filled template', () => {
  it('when every column is filled correctly, then each row maps to a SubmissionRow and there are no issues', async () => {
    const id = childId('2015-03-08', 'female');
    const fatherId = makeResidentId({ regionCode: '430621', birthDate: '1988-06-01', sex: 'male' });
    const file = await filledTemplate([
      {
        姓名: '李小红',
        性别: '女',
        出生日期: '2015-03-08',
        公民身份号码: id,
        民族: '汉',
        '现居住地村（社区）代码': VILLAGE,
        详细住址: '塘冲村3组12号',
        户籍状态: '已登记',
        户籍性质: '农业',
        户籍地: '430621101',
        就读学校: '荣家湾镇中心小学',
        年级: '五年级',
        就学状态: '寄宿',
        健康状况: '残疾',
        残疾类别: '听力残疾',
        残疾等级: '三级',
        父亲姓名: '李建国',
        父亲身份号码: fatherId,
        父亲电话: '138 0000 0000',
        父亲状况: '外出务工',
        父亲务工地: '广东省东莞市',
        母亲姓名: '王秀英',
        母亲状况: '失联',
        监护人姓名: '李德明',
        监护人关系: '爷爷',
        监护人电话: '0730-8123456',
        监护能力: '较弱',
        监护状况: '有人监护',
        救助帮扶: '低保、教育资助，医疗救助',
      },
      { 姓名: '张 伟', 性别: '男', 出生日期: '2012/9/1', '现居住地村（社区）代码': OTHER_VILLAGE, 救助帮扶: '无' },
    ]);

    const result = await importFile(file);

    expect(result.issues).toEqual([]);
    expect(result.rowsRead).toBe(2);
    expect(result.rows).toEqual([
      {
        rowNumber: 2,
        name: '李小红',
        sex: 'female',
        birthDate: '2015-03-08',
        idNumber: id,
        ethnicity: '汉族',
        regionCode: VILLAGE,
        address: '塘冲村3组12号',
        hukou: { status: 'registered', kind: 'rural', placeCode: '430621101' },
        schooling: { status: 'boarding', school: '荣家湾镇中心小学', grade: '五年级' },
        health: { status: 'disability', disabilityCategory: 'hearing', disabilityGrade: 3 },
        father: {
          relation: 'father',
          name: '李建国',
          idNumber: fatherId,
          phone: '13800000000',
          status: 'migrant_worker',
          workPlace: '广东省东莞市',
        },
        mother: { relation: 'mother', name: '王秀英', status: 'missing' },
        guardian: {
          name: '李德明',
          relation: 'paternal_grandfather',
          kind: 'grandparent',
          phone: '0730-8123456',
          capacity: 'limited',
        },
        supervision: 'supervised',
        assistance: ['dibao', 'education', 'medical'],
      },
      {
        rowNumber: 3,
        name: '张伟',
        sex: 'male',
        birthDate: '2012-09-01',
        regionCode: OTHER_VILLAGE,
        assistance: [],
      },
    ]);
  });

  it('when one row has many problems, then every problem of that row is reported with its column', async () => {
    const file = await filledTemplate([
      minimalRow(),
      {
        姓名: '王小明',
        性别: '未知',
        出生日期: '2015-02-30',
        公民身份号码: withBadCheckChar(childId('2015-02-28', 'male')),
        '现居住地村（社区）代码': VILLAGE_OF_OTHER_TOWNSHIP,
        民族: '火星族',
        父亲身份号码: '43062119880601001',
        父亲电话: '1234',
        监护状况: '不清楚',
        救助帮扶: '低保、发钱',
        健康状况: '残疾',
      },
    ]);

    const result = await importFile(file);

    expect(result.rows.map((r) => r.rowNumber)).toEqual([2]);
    const row3 = result.issues.filter((issue) => issue.row === 3).map((i) => [i.column, i.code]);
    expect(row3).toEqual(
      expect.arrayContaining([
        ['性别', 'invalid_option'],
        ['出生日期', 'impossible_date'],
        ['公民身份号码', 'bad_checksum'],
        ['现居住地村（社区）代码', 'outside_township'],
        ['民族', 'unknown_ethnicity'],
        ['父亲身份号码', 'wrong_length'],
        ['父亲电话', 'wrong_length'],
        ['监护状况', 'invalid_option'],
        ['救助帮扶', 'invalid_option'],
        ['残疾类别', 'disability_details_missing'],
        ['残疾等级', 'disability_details_missing'],
      ]),
    );
    expect(row3).toHaveLength(11);
    for (const issue of result.issues) {
      expect(issue.message).not.toBe('');
      expect(issue.messageZh).toMatch(/[\u4e00-\u9fff]/);
    }
    const sexIssue = result.issues.find((i) => i.column === '性别');
    expect(sexIssue?.messageZh).toContain('男、女');
  });

  it('when an ID number has a wrong check character, then bad_checksum is reported on 公民身份号码', async () => {
    const file = await filledTemplate([
      minimalRow({ 公民身份号码: withBadCheckChar(childId('2015-03-08', 'female')) }),
    ]);

    const result = await importFile(file);

    expect(result.rows).toEqual([]);
    expect(result.issues).toEqual([expect.objectContaining({ row: 2, column: '公民身份号码', code: 'bad_checksum' })]);
  });

  it('when the ID number disagrees with 出生日期 and 性别, then both mismatches are reported', async () => {
    const file = await filledTemplate([minimalRow({ 公民身份号码: childId('2015-03-09', 'male') })]);

    const result = await importFile(file);

    expect(codesOf(result.issues).sort()).toEqual(['id_birth_date_mismatch', 'id_sex_mismatch']);
  });

  it('when 出生日期 gives only year and month, then the day comes from the ID number; without an ID it is incomplete', async () => {
    const id = childId('2015-03-08', 'female');
    const file = await filledTemplate([
      minimalRow({ 出生日期: '2015年3月', 公民身份号码: id }),
      minimalRow({ 姓名: '赵敏', 出生日期: '2015-03' }),
    ]);

    const result = await importFile(file);

    expect(result.rows.map((r) => r.birthDate)).toEqual(['2015-03-08']);
    expect(result.issues).toEqual([expect.objectContaining({ row: 3, code: 'incomplete_date' })]);
  });

  it('when the village code is unknown or not a village, then the region value issue is reported', async () => {
    const file = await filledTemplate([
      minimalRow({ '现居住地村（社区）代码': '430621101299' }),
      minimalRow({ 姓名: '赵敏', '现居住地村（社区）代码': TOWNSHIP }),
    ]);

    const result = await importFile(file);

    expect(result.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [2, '现居住地村（社区）代码', 'unknown_region'],
      [3, '现居住地村（社区）代码', 'not_a_village'],
    ]);
  });

  it('when a known village lies outside the submitting township, then outside_township names both', async () => {
    const file = await filledTemplate([minimalRow({ '现居住地村（社区）代码': VILLAGE_OF_OTHER_TOWNSHIP })]);

    const result = await importFile(file);

    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ code: 'outside_township', column: '现居住地村（社区）代码' });
    expect(result.issues[0]?.messageZh).toContain('荣家湾镇');
    expect(result.issues[0]?.messageZh).toContain('黄沙街镇毛家村');
  });

  it('when a birth date does not exist, lies in the future or is 18 years back, then each is refused', async () => {
    const file = await filledTemplate([
      minimalRow({ 出生日期: '2015-02-30' }),
      minimalRow({ 姓名: '赵敏', 出生日期: '2026-05-02' }),
      minimalRow({ 姓名: '钱多', 出生日期: '2008-05-01' }),
      minimalRow({ 姓名: '孙悦', 出生日期: '2008-05-02' }),
      minimalRow({ 姓名: '周正', 出生日期: '昨天' }),
    ]);

    const result = await importFile(file);

    expect(result.issues.map((i) => [i.row, i.code])).toEqual([
      [2, 'impossible_date'],
      [3, 'future_date'],
      [4, 'too_old'],
      [6, 'bad_date'],
    ]);
    expect(result.rows.map((r) => r.rowNumber)).toEqual([5]);
  });

  it('when the same ID number appears twice, then the later row is a duplicate naming the earlier row', async () => {
    const id = childId('2015-03-08', 'female');
    const file = await filledTemplate([
      minimalRow({ 公民身份号码: id }),
      minimalRow({ 姓名: '赵敏', 出生日期: '2014-01-01' }),
      minimalRow({ 公民身份号码: id, 姓名: '李小红' }),
    ]);

    const result = await importFile(file);

    expect(result.issues).toEqual([expect.objectContaining({ row: 4, code: 'duplicate_row' })]);
    expect(result.issues[0]?.messageZh).toContain('第2行');
    expect(result.rows.map((r) => r.rowNumber)).toEqual([2, 3]);
  });

  it('when a child without ID appears twice with the name spaced differently, then the later row is a duplicate', async () => {
    const file = await filledTemplate([minimalRow({ 姓名: '李小红' }), minimalRow({ 姓名: '李 小红' })]);

    const result = await importFile(file);

    expect(result.issues).toEqual([expect.objectContaining({ row: 3, code: 'duplicate_row' })]);
    expect(result.issues[0]?.message).toContain('row 2');
  });

  it('when two children share name, birth date and village but have different ID numbers, then both are kept', async () => {
    const file = await filledTemplate([
      minimalRow({ 性别: '男', 公民身份号码: childId('2015-03-08', 'male', 1) }),
      minimalRow({ 性别: '男', 公民身份号码: childId('2015-03-08', 'male', 2) }),
    ]);

    const result = await importFile(file);

    expect(result.issues).toEqual([]);
    expect(result.rows).toHaveLength(2);
  });

  it('when a parent ID belongs to the wrong sex or the guardian is a deceased parent, then the row is refused', async () => {
    const file = await filledTemplate([
      minimalRow({
        母亲身份号码: makeResidentId({ regionCode: '430621', birthDate: '1990-01-01', sex: 'male' }),
        父亲状况: '死亡',
        监护人关系: '父亲',
      }),
    ]);

    const result = await importFile(file);

    expect(result.issues.map((i) => [i.column, i.code])).toEqual([
      ['母亲身份号码', 'parent_id_sex_mismatch'],
      ['监护人关系', 'guardian_unavailable'],
    ]);
  });
});

describe('headers', () => {
  it('when headers are unknown, missing or duplicated, then only file issues are reported and no row is validated', async () => {
    const file = await workbookWith(
      ['姓名', '性别', '身份证号', '公民身份号码', '爱好'],
      [{ 姓名: '李小红', 性别: '外星人', 身份证号: 'x', 公民身份号码: 'y', 爱好: '画画' }],
    );

    const result = await importFile(file);

    expect(result.rows).toEqual([]);
    expect(result.rowsRead).toBe(1);
    expect(result.issues.every((i) => i.row === 0)).toBe(true);
    expect(result.issues.map((i) => [i.code, i.column])).toEqual([
      ['duplicate_column', '公民身份号码'],
      ['unknown_column', '爱好'],
      ['missing_column', '出生日期'],
      ['missing_column', '现居住地村（社区）代码'],
    ]);
  });

  it('when a list uses header aliases, half-width brackets and a title row above the header, then it is read', async () => {
    const id = childId('2015-03-08', 'female');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['荣家湾镇留守儿童摸排表']);
    sheet.addRow(['姓 名', '性别', '出生年月', '身份证号码', '现居住地村(社区)代码']);
    sheet.addRow(['李小红', '女', new Date(Date.UTC(2015, 2, 8)), id, Number(VILLAGE)]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());

    const result = await importFile(file);

    expect(result.issues).toEqual([]);
    expect(result.rows).toEqual([
      { rowNumber: 3, name: '李小红', sex: 'female', birthDate: '2015-03-08', idNumber: id, regionCode: VILLAGE },
    ]);
  });

  it('when a column has data but no header, then unnamed_column is reported', async () => {
    const file = await workbookWith(
      ['姓名', '性别', '出生日期', '现居住地村（社区）代码', null],
      [['李小红', '女', '2015-03-08', VILLAGE, '备注']],
    );

    const sheet = await readSheet(file, {});

    expect(isSheet(sheet)).toBe(false);
    if (!isSheet(sheet))
      expect(sheet.fileIssues).toEqual([expect.objectContaining({ code: 'unnamed_column', row: 1 })]);
  });
});

describe('reading files', () => {
  it('when the file is empty, then empty_file', async () => {
    const sheet = await readSheet(Buffer.alloc(0), {});
    expect(isSheet(sheet) ? [] : codesOf(sheet.fileIssues)).toEqual(['empty_file']);
  });

  it('when a workbook has a header but no data rows, then empty_file', async () => {
    const file = await workbookWith(['姓名', '性别', '出生日期', '现居住地村（社区）代码'], []);
    const sheet = await readSheet(file, {});
    expect(isSheet(sheet) ? [] : sheet.fileIssues).toEqual([
      expect.objectContaining({ code: 'empty_file', messageZh: '文件为空/没有数据行' }),
    ]);
  });

  it('when a PNG image or random bytes are uploaded as .xlsx, then unsupported_file', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]);
    const noise = Buffer.from(randomBytes(512).map((b) => (b === 0 ? 1 : b)));

    for (const file of [png, noise]) {
      const sheet = await readSheet(file, {});
      expect(isSheet(sheet) ? [] : codesOf(sheet.fileIssues)).toEqual(['unsupported_file']);
    }
    const pngSheet = await readSheet(png, {});
    expect(isSheet(pngSheet) ? '' : pngSheet.fileIssues[0]?.messageZh).toContain('PNG');
  });

  it('when a zip that is not a workbook, or a truncated workbook, is uploaded, then not_a_workbook', async () => {
    const zip = zipOf({ 'readme.txt': 'hello', 'data/list.csv': '姓名\n李小红\n' });
    const template = await buildTemplate();
    const truncated = template.subarray(0, Math.floor(template.length / 2));

    for (const file of [zip, truncated]) {
      const sheet = await readSheet(file, {});
      expect(isSheet(sheet) ? [] : sheet.fileIssues).toEqual([
        expect.objectContaining({
          code: 'not_a_workbook',
          messageZh: expect.stringContaining('不是有效的Excel工作簿'),
        }),
      ]);
    }
  });

  it('when an old .xls file is uploaded, then unsupported_file asks for .xlsx', async () => {
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    const sheet = await readSheet(xls, {});
    expect(isSheet(sheet) ? '' : sheet.fileIssues[0]?.messageZh).toContain('.xls');
  });

  it('when an ID number was typed into a number cell, then id_number_stored_as_number names the cell', async () => {
    const file = await filledTemplate([minimalRow({ 公民身份号码: Number('430621201503080021') })]);

    const sheet = await readSheet(file, {});

    expect(isSheet(sheet) ? [] : sheet.fileIssues).toEqual([
      expect.objectContaining({ row: 2, column: '公民身份号码', code: 'id_number_stored_as_number' }),
    ]);
  });

  it('when codes, phone numbers and dates are stored as numbers or Excel dates, then they are read as exact text', async () => {
    const file = await filledTemplate([
      minimalRow({
        '现居住地村（社区）代码': Number(VILLAGE),
        出生日期: new Date(Date.UTC(2015, 2, 8)),
        监护人电话: 13900000000,
      }),
      minimalRow({ 姓名: '赵敏', 出生日期: 42071 }),
    ]);

    const result = await importFile(file);

    expect(result.issues).toEqual([]);
    expect(result.rows.map((r) => [r.regionCode, r.birthDate, r.guardian?.phone])).toEqual([
      [VILLAGE, '2015-03-08', '13900000000'],
      [VILLAGE, '2015-03-08', undefined],
    ]);
  });

  it('when a CSV is saved by Chinese Excel in GBK, then it is decoded and validated', async () => {
    const text = csv([
      '姓名,性别,出生日期,现居住地村（社区）代码,监护人关系,救助帮扶',
      `李小红,女,2015-03-08,${VILLAGE},外婆,特困`,
    ]);
    const file = encodeGbk(text);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(file)).toThrow();

    const result = await importFile(file);

    expect(result.issues).toEqual([]);
    expect(result.rows).toEqual([
      {
        rowNumber: 2,
        name: '李小红',
        sex: 'female',
        birthDate: '2015-03-08',
        regionCode: VILLAGE,
        guardian: { relation: 'maternal_grandmother', kind: 'grandparent' },
        assistance: ['tekun'],
      },
    ]);
  });

  it('when a UTF-8 CSV has a BOM, quoted fields with commas, quotes and line breaks, then cells are read whole', async () => {
    const text = csv([
      '姓名,性别,出生日期,现居住地村（社区）代码,详细住址,救助帮扶',
      `李小红,女,2015-03-08,${VILLAGE},"塘冲村3组, ""老屋""",  "低保,医疗救助"`,
      `赵敏,女,2014-01-01,${VILLAGE},"塘冲村\r\n5组",`,
    ]);
    const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);

    const result = await importFile(file);

    expect(result.issues).toEqual([]);
    expect(result.rows.map((r) => [r.rowNumber, r.address, r.assistance])).toEqual([
      [2, '塘冲村3组, "老屋"', ['dibao', 'medical']],
      [3, '塘冲村\n5组', undefined],
    ]);
  });

  it('when Excel saves "Unicode text" (UTF-16 with BOM, tab-separated), then it is read', async () => {
    const text = csv(['姓名\t性别\t出生日期\t现居住地村（社区）代码', `李小红\t女\t2015-03-08\t${VILLAGE}`]);
    const file = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

    const result = await importFile(file);

    expect(result.issues).toEqual([]);
    expect(result.rows.map((r) => r.name)).toEqual(['李小红']);
  });

  it('when a CSV has an unclosed quote, then bad_csv names the row', async () => {
    const file = Buffer.from(csv(['姓名,性别,出生日期,现居住地村（社区）代码', `"李小红,女,2015-03-08,${VILLAGE}`]));
    const sheet = await readSheet(file, {});
    expect(isSheet(sheet) ? [] : sheet.fileIssues).toEqual([expect.objectContaining({ code: 'bad_csv', row: 2 })]);
  });

  it('when a CSV holds an ID number that Excel wrote in scientific notation, then id_number_stored_as_number', async () => {
    const file = Buffer.from(
      csv(['姓名,性别,出生日期,公民身份号码,现居住地村（社区）代码', `李小红,女,2015-03-08,4.30621E+17,${VILLAGE}`]),
    );
    const sheet = await readSheet(file, {});
    expect(isSheet(sheet) ? [] : sheet.fileIssues).toEqual([
      expect.objectContaining({ code: 'id_number_stored_as_number', row: 2, column: '公民身份号码' }),
    ]);
  });

  it('when a file has more data rows than allowed, then too_many_rows', async () => {
    const file = await filledTemplate([minimalRow(), minimalRow({ 姓名: '赵敏' }), minimalRow({ 姓名: '钱多' })]);
    const sheet = await readSheet(file, { maxRows: 2 });
    expect(isSheet(sheet) ? [] : codesOf(sheet.fileIssues)).toEqual(['too_many_rows']);
  });

  it('when rows in the middle are entirely empty, then they are skipped and row numbers stay those of the sheet', async () => {
    const file = await filledTemplate([minimalRow(), {}, {}, minimalRow({ 姓名: '赵敏' })]);
    const result = await importFile(file);
    expect(result.issues).toEqual([]);
    expect(result.rows.map((r) => r.rowNumber)).toEqual([2, 5]);
  });
});

describe('parseDate', () => {
  it.each([
    ['2015-03-08', { kind: 'date', iso: '2015-03-08' }],
    ['2015/3/8', { kind: 'date', iso: '2015-03-08' }],
    ['2015.03.08', { kind: 'date', iso: '2015-03-08' }],
    ['2015年3月8日', { kind: 'date', iso: '2015-03-08' }],
    ['20150308', { kind: 'date', iso: '2015-03-08' }],
    ['２０１５－０３－０８', { kind: 'date', iso: '2015-03-08' }],
    ['2015-03-08 00:00:00', { kind: 'date', iso: '2015-03-08' }],
    ['2015-03-08T00:00:00Z', { kind: 'date', iso: '2015-03-08' }],
    ['42071', { kind: 'date', iso: '2015-03-08' }],
    ['2015-02-30', { kind: 'impossible', iso: '2015-02-30' }],
    ['2016-02-29', { kind: 'date', iso: '2016-02-29' }],
    ['2015年3月', { kind: 'year_month', yearMonth: '2015-03' }],
    ['2015-13', { kind: 'unreadable' }],
    ['三月八日', { kind: 'unreadable' }],
  ])('when the cell says %s, then it is read as %j', (text, expected) => {
    expect(parseDate(text)).toEqual(expected);
  });
});
