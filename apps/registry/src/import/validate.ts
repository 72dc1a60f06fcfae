/**
 * Checks a department's list row by row and maps it to SubmissionRows. Pure: the sheet, the
 * township, the department and the clock come in; rows and issues go out.
 *
 * All or nothing: a row with any issue is left out of `rows`, and the caller stores nothing unless
 * `issues` is empty, so an officer fixes the file and uploads it again rather than chasing which rows
 * went in. Every problem of a row is reported at once, not just the first, for the same reason.
 *
 * Issue codes. Where a value type of @tongxin/contracts/values decides (resident ID, village and
 * region codes, mobile numbers), its own stable code and bilingual message are passed through
 * (`bad_checksum`, `unknown_region`, `not_a_village`, `wrong_length`, …); the issue's `column` says
 * which cell. Everything else uses the codes of ISSUE_CODES below.
 */
import {
  findRegion,
  isWithin,
  parseMobile,
  parseRegionCode,
  parseResidentId,
  parseVillageCode,
  regionName,
  toHalfWidth,
  type ResidentIdInfo,
  type ValueIssue,
} from '@tongxin/contracts/values';

import type {
  AssistanceKind,
  Guardian,
  Health,
  Hukou,
  Parent,
  ParentRelation,
  RowIssue,
  Schooling,
  SourceDepartment,
  SubmissionRow,
} from '../domain/child.js';

import {
  acceptedLabels,
  acceptedLabelsEn,
  ASSISTANCE_OPTIONS,
  columnByKey,
  DISABILITY_CATEGORY_OPTIONS,
  DISABILITY_GRADE_OPTIONS,
  ETHNIC_GROUPS,
  findColumn,
  GUARDIAN_CAPACITY_OPTIONS,
  GUARDIAN_KIND_OF_RELATION,
  GUARDIAN_RELATION_OPTIONS,
  HEALTH_OPTIONS,
  HUKOU_KIND_OPTIONS,
  HUKOU_STATUS_OPTIONS,
  LIST_SEPARATOR,
  matchOption,
  NO_ASSISTANCE_WORDS,
  OTHER_ETHNICITY_WORDS,
  PARENT_STATUS_OPTIONS,
  REQUIRED_COLUMNS,
  SCHOOLING_STATUS_OPTIONS,
  SEX_OPTIONS,
  SUPERVISION_OPTIONS,
  type Column,
  type ColumnKey,
  type EnumOption,
} from './columns.js';
import type { Sheet } from './parse.js';

export interface ValidationContext {
  /** The submitting township (乡镇/街道), 9 digits; every child must live in one of its villages. */
  township: string;
  /** Whose list this is. No rule depends on it yet: every department may leave out what it does not know. */
  department: SourceDepartment;
  /** "Today" for future-date and age rules, compared as a Beijing-time date. */
  today: Date;
}

export interface ValidationResult {
  /** The rows without issues, mapped; complete only when `issues` is empty. */
  rows: SubmissionRow[];
  issues: RowIssue[];
  /** Data rows in the sheet (empty rows already skipped by readSheet). */
  rowsRead: number;
}

/** The codes this module raises itself (value-type codes are passed through, see the file header). */
export const ISSUE_CODES = [
  'unknown_column',
  'missing_column',
  'duplicate_column',
  'required',
  'too_long',
  'bad_name',
  'invalid_option',
  'bad_date',
  'impossible_date',
  'incomplete_date',
  'future_date',
  'too_old',
  'unknown_ethnicity',
  'id_birth_date_mismatch',
  'id_sex_mismatch',
  'outside_township',
  'region_too_broad',
  'disability_details_missing',
  'health_inconsistent',
  'parent_id_sex_mismatch',
  'parent_id_same_as_child',
  'guardian_unavailable',
  'example_row',
  'duplicate_row',
] as const;
export type ImportIssueCode = (typeof ISSUE_CODES)[number];

/** The register holds minors: a child is too old on the 18th birthday. */
const MAX_AGE_YEARS = 18;
/** The template's example row is named like this; a row so named was not meant to be imported. */
const EXAMPLE_NAME_PREFIX = '示例';

export function validateRows(sheet: Sheet, ctx: ValidationContext): ValidationResult {
  const township = findRegion(ctx.township);
  if (township === undefined || township.level !== 'township') {
    // The caller checked the officer's township before accepting the upload; this is a bug there.
    throw new RangeError(
      `validateRows: ${ctx.township} is not a known township code / ${ctx.township}不是已知的乡镇（街道）代码`,
    );
  }

  const headerCheck = checkHeaders(sheet.headers);
  if (headerCheck.issues.length > 0) return { rows: [], issues: headerCheck.issues, rowsRead: sheet.rows.length };

  const today = beijingDate(ctx.today);
  const issues: RowIssue[] = [];
  const rows: SubmissionRow[] = [];
  const duplicates = new DuplicateFinder();

  for (const sheetRow of sheet.rows) {
    const cells: Partial<Record<ColumnKey, string>> = {};
    for (const [header, text] of Object.entries(sheetRow.cells)) {
      const col = headerCheck.columnOf.get(header);
      if (col !== undefined) cells[col.key] = text;
    }
    const check = new RowCheck(sheetRow.rowNumber, cells, today, ctx.today, township.code, township.name);
    const row = check.run();
    duplicates.check(check);
    issues.push(...check.issues);
    if (check.issues.length === 0) rows.push(row);
  }
  return { rows, issues, rowsRead: sheet.rows.length };
}

// ---------------------------------------------------------------------------------------------
// Headers

function checkHeaders(headers: readonly string[]): { issues: RowIssue[]; columnOf: Map<string, Column> } {
  const issues: RowIssue[] = [];
  const columnOf = new Map<string, Column>();
  const headerOf = new Map<ColumnKey, string>();

  for (const header of headers) {
    const col = findColumn(header);
    if (col === undefined) {
      issues.push(
        fileIssue(
          header,
          'unknown_column',
          `unknown column "${header}"; use the column names of the template`,
          `未知的列“${header}”，请使用模板中的列名（可下载模板对照）`,
        ),
      );
      continue;
    }
    const earlier = headerOf.get(col.key);
    if (earlier !== undefined) {
      issues.push(
        fileIssue(
          col.header,
          'duplicate_column',
          `columns "${earlier}" and "${header}" both mean "${col.header}" (${col.headerEn}); keep one`,
          `“${earlier}”和“${header}”是同一列（${col.header}），请只保留一列`,
        ),
      );
      continue;
    }
    headerOf.set(col.key, header);
    columnOf.set(header, col);
  }

  for (const col of REQUIRED_COLUMNS) {
    if (!headerOf.has(col.key)) {
      issues.push(
        fileIssue(
          col.header,
          'missing_column',
          `required column "${col.header}" (${col.headerEn}) is missing`,
          `缺少必填列“${col.header}”`,
        ),
      );
    }
  }
  return { issues, columnOf };
}

function fileIssue(column: string, code: ImportIssueCode, message: string, messageZh: string): RowIssue {
  return { row: 0, column, code, message, messageZh };
}

// ---------------------------------------------------------------------------------------------
// One row

type Cells = Partial<Record<ColumnKey, string>>;

/** Reads and checks one row, collecting every issue; `run()` returns the mapped row regardless. */
class RowCheck {
  readonly issues: RowIssue[] = [];
  /** Parsed values the duplicate check needs. */
  idNumber: string | undefined;
  nameKey: string | undefined;

  constructor(
    readonly rowNumber: number,
    private readonly cells: Cells,
    /** YYYY-MM-DD, Beijing time. */
    private readonly today: string,
    private readonly now: Date,
    private readonly townshipCode: string,
    private readonly townshipName: string,
  ) {}

  run(): SubmissionRow {
    for (const col of REQUIRED_COLUMNS) {
      if (this.raw(col.key) === undefined) {
        this.add(col.key, 'required', `"${col.header}" (${col.headerEn}) is required`, `必填项“${col.header}”未填写`);
      }
    }

    const name = this.name();
    const sex = this.option('sex', SEX_OPTIONS);
    const childId = this.residentId('idNumber');
    const birthDate = this.birthDate(childId);
    if (childId !== undefined && sex !== undefined && childId.sex !== sex) {
      this.add(
        'idNumber',
        'id_sex_mismatch',
        `the resident ID number is that of a ${childId.sex === 'male' ? 'boy' : 'girl'}, but "Sex" says ${sex}`,
        `公民身份号码显示性别为${childId.sex === 'male' ? '男' : '女'}，与“性别”列不一致`,
      );
    }
    const regionCode = this.villageCode();

    const row: SubmissionRow = { rowNumber: this.rowNumber, name: name ?? '' };
    assign(row, 'sex', sex);
    assign(row, 'birthDate', birthDate);
    assign(row, 'idNumber', childId?.id);
    assign(row, 'ethnicity', this.ethnicity());
    assign(row, 'regionCode', regionCode);
    assign(row, 'address', this.text('address'));
    assign(row, 'hukou', this.hukou());
    assign(row, 'schooling', this.schooling());
    assign(row, 'health', this.health());
    const father = this.parent('father', childId);
    const mother = this.parent('mother', childId);
    assign(row, 'father', father);
    assign(row, 'mother', mother);
    assign(row, 'guardian', this.guardian(father, mother));
    assign(row, 'supervision', this.option('supervision', SUPERVISION_OPTIONS));
    assign(row, 'assistance', this.assistance());

    if (name?.startsWith(EXAMPLE_NAME_PREFIX) === true) {
      this.add(
        'name',
        'example_row',
        "this is the template's example row; delete it before uploading",
        '这是模板中的示例行，请删除后再上传',
      );
    }

    this.idNumber = childId?.id;
    if (name !== undefined && birthDate !== undefined && regionCode !== undefined) {
      this.nameKey = `${normalizeName(name)}|${birthDate}|${regionCode}`;
    }
    return row;
  }

  // --- cell readers ---------------------------------------------------------------------------

  /** The trimmed cell text, or undefined for an empty or absent cell. */
  raw(key: ColumnKey): string | undefined {
    const text = this.cells[key]?.trim();
    return text === undefined || text === '' ? undefined : text;
  }

  add(key: ColumnKey | '', code: string, message: string, messageZh: string): void {
    this.issues.push({
      row: this.rowNumber,
      column: key === '' ? '' : columnByKey(key).header,
      code,
      message,
      messageZh,
    });
  }

  private addValueIssue(key: ColumnKey, issue: ValueIssue, hintZh = ''): void {
    this.add(key, issue.code, issue.message, `${issue.messageZh}${hintZh}`);
  }

  private text(key: ColumnKey): string | undefined {
    const text = this.raw(key);
    if (text === undefined) return undefined;
    const col = columnByKey(key);
    if (col.maxLength !== undefined && [...text].length > col.maxLength) {
      this.add(
        key,
        'too_long',
        `"${col.header}" (${col.headerEn}) is longer than ${col.maxLength} characters`,
        `内容超过${col.maxLength}个字`,
      );
      return undefined;
    }
    return text;
  }

  /** Names: spaces between Chinese characters are alignment, not part of the name. */
  private name(): string | undefined {
    const text = this.raw('name');
    if (text === undefined) return undefined;
    const name = /^[\p{Script=Han}\s]+$/u.test(text) ? text.replace(/\s+/g, '') : text.replace(/\s+/g, ' ');
    if (/[\d@#$%^&*_=+<>{}[\]|\\/?!！？]/.test(toHalfWidth(name))) {
      this.add('name', 'bad_name', 'the name contains digits or symbols', '姓名中含有数字或符号');
      return undefined;
    }
    const maxLength = columnByKey('name').maxLength ?? 64;
    if ([...name].length > maxLength) {
      this.add('name', 'too_long', `the name is longer than ${maxLength} characters`, `姓名超过${maxLength}个字`);
      return undefined;
    }
    return name;
  }

  private option<T extends string | number>(key: ColumnKey, options: readonly EnumOption<T>[]): T | undefined {
    const text = this.raw(key);
    if (text === undefined) return undefined;
    const match = matchOption(options, text);
    if (match === undefined) {
      this.add(
        key,
        'invalid_option',
        `"${text}" is not an accepted value of "${columnByKey(key).headerEn}"; use one of: ${acceptedLabelsEn(options)}`,
        `“${text}”不是可选的值，可填：${acceptedLabels(options)}`,
      );
      return undefined;
    }
    return match.value;
  }

  private assistance(): AssistanceKind[] | undefined {
    const text = this.raw('assistance');
    if (text === undefined) return undefined;
    if (NO_ASSISTANCE_WORDS.includes(text)) return [];
    const kinds: AssistanceKind[] = [];
    const unknown: string[] = [];
    for (const part of text.split(LIST_SEPARATOR).filter((p) => p !== '')) {
      const match = matchOption(ASSISTANCE_OPTIONS, part);
      if (match === undefined) unknown.push(part);
      else if (!kinds.includes(match.value)) kinds.push(match.value);
    }
    if (unknown.length > 0) {
      this.add(
        'assistance',
        'invalid_option',
        `${unknown.map((u) => `"${u}"`).join(', ')} not accepted; use one or more of: ${acceptedLabelsEn(ASSISTANCE_OPTIONS)}, separated by 、 or a comma`,
        `${unknown.map((u) => `“${u}”`).join('、')}不是可选的值，可填（多项用“、”分隔）：${acceptedLabels(ASSISTANCE_OPTIONS)}`,
      );
      return undefined;
    }
    return kinds;
  }

  private ethnicity(): string | undefined {
    const text = this.raw('ethnicity');
    if (text === undefined) return undefined;
    const compact = toHalfWidth(text).replace(/\s+/g, '');
    if (ETHNIC_GROUPS.includes(compact) || OTHER_ETHNICITY_WORDS.includes(compact)) return compact;
    if (ETHNIC_GROUPS.includes(`${compact}族`)) return `${compact}族`;
    this.add(
      'ethnicity',
      'unknown_ethnicity',
      `"${text}" is not one of the 56 ethnic groups`,
      `“${text}”不是56个民族之一，请填写如“汉族”“土家族”`,
    );
    return undefined;
  }

  private residentId(key: 'idNumber' | 'fatherIdNumber' | 'motherIdNumber'): ResidentIdInfo | undefined {
    const text = this.raw(key);
    if (text === undefined) return undefined;
    const parsed = parseResidentId(text, { today: this.now });
    if (!parsed.ok) {
      this.addValueIssue(key, parsed.error);
      return undefined;
    }
    return parsed.value;
  }

  private phone(key: 'fatherPhone' | 'motherPhone' | 'guardianPhone'): string | undefined {
    const text = this.raw(key);
    if (text === undefined) return undefined;
    const mobile = parseMobile(text);
    if (mobile.ok) return mobile.value;
    // Grandparents in villages often have only a landline: area code (0730 for Yueyang) and 7–8 digits.
    const landline = toHalfWidth(text).replace(/\s+/g, '');
    if (/^0\d{2,3}-?\d{7,8}$/.test(landline)) return landline;
    this.addValueIssue(key, mobile.error, '（固定电话请带区号，如0730-1234567）');
    return undefined;
  }

  /**
   * 出生日期, checked against the ID number when both are given. A year and month alone (出生年月) is
   * enough when the ID number supplies the day.
   */
  private birthDate(childId: ResidentIdInfo | undefined): string | undefined {
    const text = this.raw('birthDate');
    if (text === undefined) return undefined;
    const parsed = parseDate(text);
    let date: string;
    if (parsed.kind === 'unreadable') {
      this.add(
        'birthDate',
        'bad_date',
        `"${text}" is not a date; write it as YYYY-MM-DD, e.g. 2015-03-08`,
        `“${text}”不是有效的日期格式，请按“2015-03-08”的格式填写`,
      );
      return undefined;
    } else if (parsed.kind === 'impossible') {
      this.add(
        'birthDate',
        'impossible_date',
        `${parsed.iso} does not exist in the calendar`,
        `日期${parsed.iso}不存在，请核对`,
      );
      return undefined;
    } else if (parsed.kind === 'year_month') {
      if (childId === undefined) {
        this.add(
          'birthDate',
          'incomplete_date',
          'the date of birth needs a day (YYYY-MM-DD) when no resident ID number is given',
          '出生日期须精确到日（如2015-03-08）；只填年月时须同时填写公民身份号码',
        );
        return undefined;
      }
      // The month is checked against the ID below; the day comes from the ID.
      date = childId.birthDate.startsWith(parsed.yearMonth) ? childId.birthDate : `${parsed.yearMonth}-01`;
    } else {
      date = parsed.iso;
    }

    let ok = true;
    if (date > this.today) {
      this.add('birthDate', 'future_date', `the date of birth ${date} is in the future`, `出生日期${date}晚于今天`);
      ok = false;
    } else if (addYears(date, MAX_AGE_YEARS) <= this.today) {
      this.add(
        'birthDate',
        'too_old',
        `a child born on ${date} is ${MAX_AGE_YEARS} or older; the register holds minors only`,
        `出生日期${date}的儿童已年满${MAX_AGE_YEARS}周岁，不应列入名单`,
      );
      ok = false;
    }
    if (childId !== undefined && childId.birthDate !== date) {
      const given = parsed.kind === 'year_month' ? parsed.yearMonth : date;
      this.add(
        'idNumber',
        'id_birth_date_mismatch',
        `the resident ID number contains date of birth ${childId.birthDate}, but "Date of birth" says ${given}`,
        `公民身份号码中的出生日期为${childId.birthDate}，与“出生日期”列（${given}）不一致`,
      );
      ok = false;
    }
    if (!ok) return undefined;
    return date;
  }

  private villageCode(): string | undefined {
    const text = this.raw('regionCode');
    if (text === undefined) return undefined;
    const parsed = parseVillageCode(text);
    if (!parsed.ok) {
      this.addValueIssue('regionCode', parsed.error, '，请填写12位村（社区）代码');
      return undefined;
    }
    const village = parsed.value;
    if (!isWithin(village.code, this.townshipCode)) {
      const township = village.parentCode === null ? undefined : regionName(village.parentCode);
      const where = `${township ?? ''}${village.name}`;
      this.add(
        'regionCode',
        'outside_township',
        `village ${village.code} (${where}) is not in township ${this.townshipCode} (${this.townshipName})`,
        `村（社区）代码${village.code}（${where}）不属于${this.townshipName}，请只填报本乡镇（街道）的儿童`,
      );
      return undefined;
    }
    return village.code;
  }

  // --- groups of columns ----------------------------------------------------------------------

  private hukou(): Partial<Hukou> | undefined {
    const hukou: Partial<Hukou> = {};
    assign(hukou, 'status', this.option('hukouStatus', HUKOU_STATUS_OPTIONS));
    assign(hukou, 'kind', this.option('hukouKind', HUKOU_KIND_OPTIONS));
    const place = this.raw('hukouPlace');
    if (place !== undefined) {
      const parsed = parseRegionCode(place);
      if (!parsed.ok) this.addValueIssue('hukouPlace', parsed.error);
      else if (parsed.value.code.length < 6) {
        this.add(
          'hukouPlace',
          'region_too_broad',
          `region code ${parsed.value.code} names a province or prefecture; give at least the county (6 digits)`,
          `区划代码${parsed.value.code}是省级或地市级代码，请至少精确到县级（6位）`,
        );
      } else hukou.placeCode = parsed.value.code;
    }
    return nonEmpty(hukou);
  }

  private schooling(): Partial<Schooling> | undefined {
    const schooling: Partial<Schooling> = {};
    assign(schooling, 'status', this.option('schoolingStatus', SCHOOLING_STATUS_OPTIONS));
    assign(schooling, 'school', this.text('school'));
    assign(schooling, 'grade', this.text('grade'));
    return nonEmpty(schooling);
  }

  private health(): Health | undefined {
    const choice = this.option('health', HEALTH_OPTIONS);
    const category = this.option('disabilityCategory', DISABILITY_CATEGORY_OPTIONS);
    const grade = this.option('disabilityGrade', DISABILITY_GRADE_OPTIONS);
    const hasCategory = this.raw('disabilityCategory') !== undefined;
    const hasGrade = this.raw('disabilityGrade') !== undefined;
    const statusGiven = this.raw('health') !== undefined;

    if (choice === 'disability' || (!statusGiven && (hasCategory || hasGrade))) {
      for (const [key, has] of [
        ['disabilityCategory', hasCategory],
        ['disabilityGrade', hasGrade],
      ] as const) {
        if (!has) {
          const col = columnByKey(key);
          this.add(
            key,
            'disability_details_missing',
            `a child with a disability needs "${col.headerEn}" too (as on the disability certificate)`,
            `残疾儿童须填写“${col.header}”（按残疾证填写）`,
          );
        }
      }
      if (category === undefined || grade === undefined) return undefined;
      return { status: 'disability', disabilityCategory: category, disabilityGrade: grade };
    }
    if (choice !== undefined && (hasCategory || hasGrade)) {
      this.add(
        hasCategory ? 'disabilityCategory' : 'disabilityGrade',
        'health_inconsistent',
        'a disability category or grade is given, but "Health" is not 残疾 (disability)',
        '填写了残疾类别或等级，但“健康状况”不是“残疾”',
      );
      return undefined;
    }
    switch (choice) {
      case 'healthy':
        return { status: 'healthy' };
      case 'illness':
        return { status: 'illness', seriousIllness: false };
      case 'serious_illness':
        return { status: 'illness', seriousIllness: true };
      default:
        return undefined;
    }
  }

  private parent(relation: ParentRelation, childId: ResidentIdInfo | undefined): Partial<Parent> | undefined {
    const keys =
      relation === 'father'
        ? ({ name: 'fatherName', id: 'fatherIdNumber', phone: 'fatherPhone', status: 'fatherStatus', work: 'fatherWorkPlace' } as const)
        : ({ name: 'motherName', id: 'motherIdNumber', phone: 'motherPhone', status: 'motherStatus', work: 'motherWorkPlace' } as const); // prettier-ignore
    const parent: Partial<Parent> = {};
    assign(parent, 'name', this.text(keys.name));
    const id = this.residentId(keys.id);
    if (id !== undefined) {
      const expectedSex = relation === 'father' ? 'male' : 'female';
      const who = relation === 'father' ? '父亲' : '母亲';
      if (childId !== undefined && id.id === childId.id) {
        this.add(
          keys.id,
          'parent_id_same_as_child',
          `the ${relation}'s resident ID number is the child's own`,
          `${who}身份号码与儿童本人的公民身份号码相同`,
        );
      } else if (id.sex !== expectedSex) {
        this.add(
          keys.id,
          'parent_id_sex_mismatch',
          `the ${relation}'s resident ID number is that of a ${id.sex === 'male' ? 'man' : 'woman'}`,
          `${who}身份号码显示性别为${id.sex === 'male' ? '男' : '女'}，请核对`,
        );
      } else {
        parent.idNumber = id.id;
      }
    }
    assign(parent, 'phone', this.phone(keys.phone));
    assign(parent, 'status', this.option(keys.status, PARENT_STATUS_OPTIONS));
    assign(parent, 'workPlace', this.text(keys.work));
    if (nonEmpty(parent) === undefined) return undefined;
    return { relation, ...parent };
  }

  private guardian(
    father: Partial<Parent> | undefined,
    mother: Partial<Parent> | undefined,
  ): Partial<Guardian> | undefined {
    const guardian: Partial<Guardian> = {};
    assign(guardian, 'name', this.text('guardianName'));
    const relation = this.option('guardianRelation', GUARDIAN_RELATION_OPTIONS);
    if (relation !== undefined) {
      guardian.relation = relation;
      guardian.kind = GUARDIAN_KIND_OF_RELATION[relation];
      const parent = relation === 'father' ? father : relation === 'mother' ? mother : undefined;
      if (parent?.status !== undefined && UNAVAILABLE_PARENT.has(parent.status)) {
        const statusCol = columnByKey(relation === 'father' ? 'fatherStatus' : 'motherStatus');
        this.add(
          'guardianRelation',
          'guardian_unavailable',
          `the guardian is the ${relation}, but "${statusCol.headerEn}" says they cannot look after the child`,
          `监护人为${relation === 'father' ? '父亲' : '母亲'}，但“${statusCol.header}”显示其无法实际监护，请核对`,
        );
      }
    }
    assign(guardian, 'phone', this.phone('guardianPhone'));
    assign(guardian, 'capacity', this.option('guardianCapacity', GUARDIAN_CAPACITY_OPTIONS));
    return nonEmpty(guardian);
  }
}

/** A parent in one of these states cannot be the one actually looking after the child. */
const UNAVAILABLE_PARENT: ReadonlySet<Parent['status']> = new Set<Parent['status']>([
  'deceased',
  'missing',
  'imprisoned',
  'in_drug_rehabilitation',
  'unable_to_guard',
]);

// ---------------------------------------------------------------------------------------------
// Duplicates inside one file

/**
 * The same child twice in one list: by resident ID number, or, when either row lacks one, by name,
 * date of birth and village. Two rows with different ID numbers are different children even when
 * name and birthday agree (it happens with common names).
 */
class DuplicateFinder {
  private readonly byId = new Map<string, number>();
  private readonly byName = new Map<string, { row: number; hasId: boolean }>();

  check(row: RowCheck): void {
    if (row.idNumber !== undefined) {
      const earlier = this.byId.get(row.idNumber);
      if (earlier !== undefined) {
        this.report(row, earlier, 'idNumber', 'the same resident ID number', '公民身份号码相同');
        return;
      }
      this.byId.set(row.idNumber, row.rowNumber);
    }
    if (row.nameKey !== undefined) {
      const earlier = this.byName.get(row.nameKey);
      const hasId = row.idNumber !== undefined;
      if (earlier !== undefined && (!earlier.hasId || !hasId)) {
        this.report(row, earlier.row, '', 'the same name, date of birth and village', '姓名、出生日期和村（社区）相同');
        return;
      }
      if (earlier === undefined) this.byName.set(row.nameKey, { row: row.rowNumber, hasId });
    }
  }

  private report(row: RowCheck, earlier: number, key: ColumnKey | '', why: string, whyZh: string): void {
    row.add(
      key,
      'duplicate_row',
      `row ${row.rowNumber} repeats row ${earlier} (${why}); list each child once`,
      `第${row.rowNumber}行与第${earlier}行重复（${whyZh}），每名儿童只填一行`,
    );
  }
}

/** For the duplicate check only: what varies in how one name is typed (spaces, width, the middle dot). */
function normalizeName(name: string): string {
  return toHalfWidth(name)
    .replace(/\s+/g, '')
    .replace(/[·•・‧∙.]/g, '·')
    .toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Dates

type ParsedDate =
  | { kind: 'date'; iso: string }
  | { kind: 'year_month'; yearMonth: string }
  | { kind: 'impossible'; iso: string }
  | { kind: 'unreadable' };

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/**
 * The ways dates arrive from township lists: 2015-03-08, 2015/3/8, 2015.3.8, 2015年3月8日, 20150308, a
 * trailing time from database exports, and a bare Excel serial (43532) when the cell lost its date
 * format. Year and month alone (2015-03, 2015年3月, 201503) is reported as such.
 */
export function parseDate(input: string): ParsedDate {
  const text = toHalfWidth(input)
    .trim()
    .replace(/\s+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/, '')
    .replace(/T\d.*$/, '');
  let match =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (match !== null) return calendarDate(Number(match[1]), Number(match[2]), Number(match[3]));

  match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(text) ?? /^(\d{4})(\d{2})$/.exec(text);
  if (match !== null) {
    const month = Number(match[2]);
    if (month < 1 || month > 12) return { kind: 'unreadable' };
    return { kind: 'year_month', yearMonth: `${match[1]}-${pad2(month)}` };
  }

  if (/^\d{5}(\.\d+)?$/.test(text)) {
    const date = new Date(EXCEL_EPOCH_MS + Math.floor(Number(text)) * DAY_MS);
    return { kind: 'date', iso: date.toISOString().slice(0, 10) };
  }
  return { kind: 'unreadable' };
}

function calendarDate(year: number, month: number, day: number): ParsedDate {
  const iso = `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
  if (month < 1 || month > 12 || day < 1) return { kind: 'impossible', iso };
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day > daysInMonth ? { kind: 'impossible', iso } : { kind: 'date', iso };
}

/** The same calendar day n years later, as a string; 29 Feb falls on 1 Mar in a common year. */
function addYears(iso: string, years: number): string {
  const year = Number(iso.slice(0, 4)) + years;
  const later = `${year}${iso.slice(4)}`;
  return iso.slice(5) === '02-29' && calendarDate(year, 2, 29).kind !== 'date' ? `${year}-03-01` : later;
}

/** Birth dates and "today" are Beijing dates; China has no DST, so +8 h is exact. */
function beijingDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Sets a property only when there is a value, so rows carry no `undefined` keys. */
function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}
