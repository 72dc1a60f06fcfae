/**
 * The columns of a department's list (摸排名单) as township officers fill it: one declarative table
 * that the template, the parser's header detection, the validator and the ledger all read, so a
 * header or an accepted value is spelled in exactly one place.
 *
 * Headers are the Chinese ones townships already use; aliases cover the variants seen on real lists
 * (身份证号 for 公民身份号码, 出生年月 for 出生日期). Enum values map the Chinese words officers type to
 * the domain enums of ../domain/child.ts; aliases again cover everyday variants (爷爷 for 祖父).
 */
import { toHalfWidth } from '@tongxin/contracts/values';

import type {
  AssistanceKind,
  DisabilityCategory,
  GuardianCapacity,
  GuardianKind,
  GuardianRelation,
  HukouKind,
  HukouStatus,
  ParentStatus,
  SchoolingStatus,
  Sex,
  SourceDepartment,
  Supervision,
} from '../domain/child.js';

/** One accepted value of an enum column: the label the template shows, and other spellings accepted. */
export interface EnumOption<T extends string | number> {
  value: T;
  /** The canonical Chinese word, shown in drop-downs, instructions and the ledger. */
  label: string;
  labelEn: string;
  aliases?: readonly string[];
}

export type HealthChoice = 'healthy' | 'disability' | 'illness' | 'serious_illness';
export type DisabilityGrade = 1 | 2 | 3 | 4;

export const SEX_OPTIONS: readonly EnumOption<Sex>[] = [
  { value: 'male', label: '男', labelEn: 'male', aliases: ['男性', '男孩', 'M'] },
  { value: 'female', label: '女', labelEn: 'female', aliases: ['女性', '女孩', 'F'] },
];

export const HUKOU_STATUS_OPTIONS: readonly EnumOption<HukouStatus>[] = [
  { value: 'registered', label: '已登记', labelEn: 'registered', aliases: ['已落户', '有户籍', '有户口'] },
  { value: 'not_registered', label: '未登记', labelEn: 'not registered', aliases: ['未落户', '无户籍', '无户口'] },
  { value: 'in_progress', label: '办理中', labelEn: 'registration in progress', aliases: ['正在办理', '落户中'] },
];

export const HUKOU_KIND_OPTIONS: readonly EnumOption<HukouKind>[] = [
  { value: 'rural', label: '农业', labelEn: 'rural', aliases: ['农业户口', '农村', '农村户口'] },
  { value: 'urban', label: '非农业', labelEn: 'urban', aliases: ['非农业户口', '城镇', '城镇户口'] },
];

export const SCHOOLING_STATUS_OPTIONS: readonly EnumOption<SchoolingStatus>[] = [
  { value: 'enrolled', label: '在校', labelEn: 'enrolled', aliases: ['在读', '走读'] },
  { value: 'boarding', label: '寄宿', labelEn: 'boarding', aliases: ['住校', '寄宿生'] },
  { value: 'dropped_out', label: '辍学', labelEn: 'dropped out', aliases: ['失学'] },
  { value: 'returned', label: '复学', labelEn: 'returned to school', aliases: ['已复学'] },
  { value: 'not_school_age', label: '未到入学年龄', labelEn: 'not yet of school age', aliases: ['学龄前', '未到学龄'] },
  { value: 'graduated', label: '毕业', labelEn: 'graduated', aliases: ['已毕业'] },
];

export const HEALTH_OPTIONS: readonly EnumOption<HealthChoice>[] = [
  { value: 'healthy', label: '健康', labelEn: 'healthy', aliases: ['良好', '正常'] },
  { value: 'disability', label: '残疾', labelEn: 'disability', aliases: ['残疾儿童'] },
  { value: 'illness', label: '患病', labelEn: 'ill', aliases: ['疾病', '有病', '慢性病'] },
  { value: 'serious_illness', label: '重病', labelEn: 'seriously ill', aliases: ['大病', '重大疾病', '患重病'] },
];

export const DISABILITY_CATEGORY_OPTIONS: readonly EnumOption<DisabilityCategory>[] = [
  { value: 'visual', label: '视力残疾', labelEn: 'visual', aliases: ['视力'] },
  { value: 'hearing', label: '听力残疾', labelEn: 'hearing', aliases: ['听力'] },
  { value: 'speech', label: '言语残疾', labelEn: 'speech', aliases: ['言语', '语言残疾'] },
  { value: 'physical', label: '肢体残疾', labelEn: 'physical', aliases: ['肢体'] },
  { value: 'intellectual', label: '智力残疾', labelEn: 'intellectual', aliases: ['智力'] },
  { value: 'mental', label: '精神残疾', labelEn: 'mental', aliases: ['精神'] },
  { value: 'multiple', label: '多重残疾', labelEn: 'multiple', aliases: ['多重'] },
];

export const DISABILITY_GRADE_OPTIONS: readonly EnumOption<DisabilityGrade>[] = [
  { value: 1, label: '一级', labelEn: 'grade 1', aliases: ['1', '1级', '壹级'] },
  { value: 2, label: '二级', labelEn: 'grade 2', aliases: ['2', '2级', '贰级'] },
  { value: 3, label: '三级', labelEn: 'grade 3', aliases: ['3', '3级', '叁级'] },
  { value: 4, label: '四级', labelEn: 'grade 4', aliases: ['4', '4级', '肆级'] },
];

export const PARENT_STATUS_OPTIONS: readonly EnumOption<ParentStatus>[] = [
  { value: 'migrant_worker', label: '外出务工', labelEn: 'migrant worker', aliases: ['外出', '务工', '外出打工'] },
  { value: 'at_home', label: '在家', labelEn: 'at home', aliases: ['在家务农', '在本地'] },
  { value: 'unable_to_guard', label: '无监护能力', labelEn: 'unable to act as guardian', aliases: ['丧失监护能力'] },
  { value: 'deceased', label: '死亡', labelEn: 'deceased', aliases: ['已故', '去世', '已去世', '病故'] },
  { value: 'missing', label: '失踪', labelEn: 'missing', aliases: ['失联', '下落不明'] },
  { value: 'imprisoned', label: '服刑', labelEn: 'imprisoned', aliases: ['服刑在押', '在押'] },
  {
    value: 'in_drug_rehabilitation',
    label: '强制隔离戒毒',
    labelEn: 'in compulsory drug rehabilitation',
    aliases: ['戒毒'],
  },
];

export const GUARDIAN_RELATION_OPTIONS: readonly EnumOption<GuardianRelation>[] = [
  { value: 'father', label: '父亲', labelEn: 'father', aliases: ['父', '爸爸', '父子', '父女'] },
  { value: 'mother', label: '母亲', labelEn: 'mother', aliases: ['母', '妈妈', '母子', '母女'] },
  { value: 'paternal_grandfather', label: '祖父', labelEn: 'paternal grandfather', aliases: ['爷爷', '祖孙（祖父）'] },
  { value: 'paternal_grandmother', label: '祖母', labelEn: 'paternal grandmother', aliases: ['奶奶', '祖孙（祖母）'] },
  { value: 'maternal_grandfather', label: '外祖父', labelEn: 'maternal grandfather', aliases: ['外公', '姥爷'] },
  { value: 'maternal_grandmother', label: '外祖母', labelEn: 'maternal grandmother', aliases: ['外婆', '姥姥'] },
  { value: 'sibling', label: '兄弟姐妹', labelEn: 'sibling', aliases: ['哥哥', '姐姐', '兄', '姐'] },
  {
    value: 'uncle_or_aunt',
    label: '叔伯姑舅姨',
    labelEn: 'uncle or aunt',
    aliases: ['叔叔', '伯伯', '伯父', '叔父', '姑姑', '姑妈', '舅舅', '舅父', '姨妈', '阿姨', '婶婶', '舅妈'],
  },
  { value: 'other_relative', label: '其他亲属', labelEn: 'other relative', aliases: ['亲属', '亲戚'] },
  { value: 'neighbour', label: '邻居', labelEn: 'neighbour', aliases: ['邻里'] },
  {
    value: 'village_cadre',
    label: '村（居）干部',
    labelEn: 'village cadre',
    aliases: ['村干部', '居委会干部', '社区干部'],
  },
  { value: 'teacher', label: '教师', labelEn: 'teacher', aliases: ['老师', '班主任'] },
  {
    value: 'welfare_institution',
    label: '福利机构',
    labelEn: 'welfare institution',
    aliases: ['儿童福利机构', '福利院', '儿童福利院', '救助站', '未成年人救助保护机构'],
  },
  { value: 'other', label: '其他', labelEn: 'other' },
];

export const GUARDIAN_CAPACITY_OPTIONS: readonly EnumOption<GuardianCapacity>[] = [
  { value: 'capable', label: '有监护能力', labelEn: 'capable', aliases: ['有', '具备', '良好', '强'] },
  { value: 'limited', label: '监护能力弱', labelEn: 'limited', aliases: ['较弱', '弱', '一般', '监护能力较弱'] },
  { value: 'incapable', label: '无监护能力', labelEn: 'incapable', aliases: ['无', '不具备', '丧失监护能力'] },
];

export const SUPERVISION_OPTIONS: readonly EnumOption<Supervision>[] = [
  { value: 'supervised', label: '有人监护', labelEn: 'supervised', aliases: ['有监护'] },
  { value: 'unsupervised', label: '无人监护', labelEn: 'unsupervised', aliases: ['无监护', '无人照料'] },
];

export const ASSISTANCE_OPTIONS: readonly EnumOption<AssistanceKind>[] = [
  {
    value: 'dibao',
    label: '低保',
    labelEn: 'minimum living allowance',
    aliases: ['最低生活保障', '城乡低保', '农村低保'],
  },
  { value: 'tekun', label: '特困', labelEn: 'extreme-poverty support', aliases: ['特困供养', '特困人员供养', '五保'] },
  { value: 'temporary', label: '临时救助', labelEn: 'temporary assistance' },
  { value: 'medical', label: '医疗救助', labelEn: 'medical assistance' },
  {
    value: 'orphan_allowance',
    label: '孤儿基本生活费',
    labelEn: 'orphan basic living allowance',
    aliases: ['孤儿生活费', '孤儿补贴'],
  },
  {
    value: 'unsupported_child_allowance',
    label: '事实无人抚养儿童生活补贴',
    labelEn: 'allowance for de-facto unsupported children',
    aliases: ['事实无人抚养', '事实无人抚养儿童补贴'],
  },
  {
    value: 'disability_allowance',
    label: '残疾人两项补贴',
    labelEn: 'two disability allowances',
    aliases: ['两项补贴', '残疾补贴'],
  },
  { value: 'education', label: '教育资助', labelEn: 'education grant', aliases: ['助学金', '教育救助'] },
  { value: 'other', label: '其他', labelEn: 'other' },
];

/** Written in a 救助帮扶 cell to say "none": accepted and read as an empty list. */
export const NO_ASSISTANCE_WORDS: readonly string[] = ['无', '没有', '暂无'];

/** Separators officers put between several assistance kinds: 、 , ， ; ； / and spaces. */
export const LIST_SEPARATOR = /[、,，;；/／\s]+/;

/** The 56 recognised ethnic groups; 民族 cells may omit the trailing 族 (汉 → 汉族). */
// prettier-ignore
export const ETHNIC_GROUPS: readonly string[] = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族', '满族', '侗族', '瑶族', '白族',
  '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族', '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族',
  '景颇族', '柯尔克孜族', '土族', '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族',
  '普米族', '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族',
];

/** Ethnicity entries that are legitimate but not one of the 56 groups. */
export const OTHER_ETHNICITY_WORDS: readonly string[] = ['未识别民族', '外国血统中国籍人士'];

export const DEPARTMENT_LABELS: Readonly<Record<SourceDepartment, { label: string; labelEn: string }>> = {
  civil_affairs: { label: '民政', labelEn: 'civil affairs' },
  education: { label: '教育', labelEn: 'education' },
  public_security: { label: '公安', labelEn: 'public security' },
};

/** A guardian's kind follows from the relation; officers are never asked for it separately. */
export const GUARDIAN_KIND_OF_RELATION: Readonly<Record<GuardianRelation, GuardianKind>> = {
  father: 'parent',
  mother: 'parent',
  paternal_grandfather: 'grandparent',
  paternal_grandmother: 'grandparent',
  maternal_grandfather: 'grandparent',
  maternal_grandmother: 'grandparent',
  sibling: 'other_relative',
  uncle_or_aunt: 'other_relative',
  other_relative: 'other_relative',
  neighbour: 'entrusted_person',
  village_cadre: 'entrusted_person',
  teacher: 'entrusted_person',
  welfare_institution: 'institution',
  other: 'entrusted_person',
};

/** How a cell is read; validate.ts has one reader per kind. */
export type ColumnKind =
  'text' | 'date' | 'resident_id' | 'village_code' | 'region_code' | 'phone' | 'ethnicity' | 'enum' | 'enum_list';

export type ColumnKey =
  | 'name'
  | 'sex'
  | 'birthDate'
  | 'idNumber'
  | 'ethnicity'
  | 'regionCode'
  | 'address'
  | 'hukouStatus'
  | 'hukouKind'
  | 'hukouPlace'
  | 'school'
  | 'grade'
  | 'schoolingStatus'
  | 'health'
  | 'disabilityCategory'
  | 'disabilityGrade'
  | 'fatherName'
  | 'fatherIdNumber'
  | 'fatherPhone'
  | 'fatherStatus'
  | 'fatherWorkPlace'
  | 'motherName'
  | 'motherIdNumber'
  | 'motherPhone'
  | 'motherStatus'
  | 'motherWorkPlace'
  | 'guardianName'
  | 'guardianRelation'
  | 'guardianPhone'
  | 'guardianCapacity'
  | 'supervision'
  | 'assistance';

export interface Column {
  key: ColumnKey;
  /** The header as the template spells it; issues name this. */
  header: string;
  headerEn: string;
  /** Other headers accepted for the same column (the English header is always accepted too). */
  aliases: readonly string[];
  required: boolean;
  kind: ColumnKind;
  /** For enum and enum_list columns. */
  options?: readonly EnumOption<string | number>[];
  /** Longest accepted text, for free-text columns. */
  maxLength?: number;
  /** What to write, for the instructions sheet. */
  help: string;
  helpEn: string;
  /** The template's example row. */
  example: string;
}

type ColumnSpec = Omit<Column, 'aliases' | 'required'> & { aliases?: readonly string[]; required?: boolean };

function column(spec: ColumnSpec): Column {
  return { ...spec, aliases: spec.aliases ?? [], required: spec.required ?? false };
}

function parentColumns(who: 'father' | 'mother'): Column[] {
  const zh = who === 'father' ? '父亲' : '母亲';
  const en = who === 'father' ? 'Father' : 'Mother';
  return [
    column({
      key: `${who}Name`,
      header: `${zh}姓名`,
      headerEn: `${en} name`,
      kind: 'text',
      maxLength: 64,
      help: `${zh}的姓名`,
      helpEn: `${en}'s name`,
      example: who === 'father' ? '李建国' : '王秀英',
    }),
    column({
      key: `${who}IdNumber`,
      header: `${zh}身份号码`,
      headerEn: `${en} resident ID`,
      aliases: [`${zh}身份证号`, `${zh}身份证号码`, `${zh}公民身份号码`],
      kind: 'resident_id',
      help: `${zh}的18位公民身份号码；请将该列设为文本格式`,
      helpEn: `${en}'s 18-character resident ID number; keep the column formatted as text`,
      example: '',
    }),
    column({
      key: `${who}Phone`,
      header: `${zh}电话`,
      headerEn: `${en} phone`,
      aliases: [`${zh}联系电话`, `${zh}手机`, `${zh}手机号码`],
      kind: 'phone',
      help: '11位手机号码，或带区号的固定电话（如0730-1234567）',
      helpEn: '11-digit mobile number, or a landline with area code (e.g. 0730-1234567)',
      example: who === 'father' ? '13800000000' : '',
    }),
    column({
      key: `${who}Status`,
      header: `${zh}状况`,
      headerEn: `${en} status`,
      aliases: [`${zh}情况`, `${zh}现状`],
      kind: 'enum',
      options: PARENT_STATUS_OPTIONS,
      help: `${zh}目前的状况`,
      helpEn: `${en}'s current situation`,
      example: '外出务工',
    }),
    column({
      key: `${who}WorkPlace`,
      header: `${zh}务工地`,
      headerEn: `${en} place of work`,
      aliases: [`${zh}务工地点`, `${zh}外出务工地`],
      kind: 'text',
      maxLength: 100,
      help: '外出务工的省、市（如：广东省东莞市）',
      helpEn: 'Province and city where the parent works away from home',
      example: who === 'father' ? '广东省东莞市' : '浙江省宁波市',
    }),
  ];
}

/** In template order. */
export const COLUMNS: readonly Column[] = [
  column({
    key: 'name',
    header: '姓名',
    headerEn: 'Name',
    aliases: ['儿童姓名', '学生姓名'],
    required: true,
    kind: 'text',
    maxLength: 64,
    help: '儿童姓名，与户口簿一致',
    helpEn: "The child's name as on the household register",
    example: '示例儿童',
  }),
  column({
    key: 'sex',
    header: '性别',
    headerEn: 'Sex',
    required: true,
    kind: 'enum',
    options: SEX_OPTIONS,
    help: '男或女',
    helpEn: 'male (男) or female (女)',
    example: '女',
  }),
  column({
    key: 'birthDate',
    header: '出生日期',
    headerEn: 'Date of birth',
    aliases: ['出生年月', '出生年月日', '生日'],
    required: true,
    kind: 'date',
    help: '格式为 YYYY-MM-DD，如 2015-03-08；也可写 2015/3/8、2015年3月8日、20150308。只写到月份时须填公民身份号码',
    helpEn:
      'YYYY-MM-DD, e.g. 2015-03-08 (2015/3/8, 2015年3月8日 and 20150308 are accepted too). Year and month alone only with a resident ID number',
    example: '2015-03-08',
  }),
  column({
    key: 'idNumber',
    header: '公民身份号码',
    headerEn: 'Resident ID',
    aliases: ['身份证号', '身份证号码', '身份号码', '儿童身份证号', '公民身份证号码'],
    kind: 'resident_id',
    help: '18位公民身份号码，须与出生日期、性别一致；未登记户籍的儿童可不填。请将该列设为文本格式，否则Excel会丢失末尾数字',
    helpEn:
      '18-character resident ID number; must agree with date of birth and sex. Leave empty for a child without one. Keep the column formatted as text, or Excel drops the last digits',
    example: '',
  }),
  column({
    key: 'ethnicity',
    header: '民族',
    headerEn: 'Ethnicity',
    kind: 'ethnicity',
    help: '56个民族之一，如 汉族、土家族（可省略“族”字）',
    helpEn: 'One of the 56 ethnic groups, e.g. 汉族 (the trailing 族 may be omitted)',
    example: '汉族',
  }),
  column({
    key: 'regionCode',
    header: '现居住地村（社区）代码',
    headerEn: 'Village code',
    aliases: ['村（社区）代码', '村(社区)代码', '现居住地代码', '居住地村（社区）代码', '村代码', '区划代码'],
    required: true,
    kind: 'village_code',
    help: '儿童现居住的村（社区）的12位区划代码，必须属于本次上报的乡镇（街道）',
    helpEn: '12-digit code of the village or community where the child lives; it must lie in the submitting township',
    example: '430621101201',
  }),
  column({
    key: 'address',
    header: '详细住址',
    headerEn: 'Address',
    aliases: ['现住址', '家庭住址', '居住地址'],
    kind: 'text',
    maxLength: 200,
    help: '组、门牌号等详细地址',
    helpEn: 'Group (组), house number and other address detail',
    example: '塘冲村3组12号',
  }),
  column({
    key: 'hukouStatus',
    header: '户籍状态',
    headerEn: 'Hukou status',
    aliases: ['户籍登记状态', '落户情况'],
    kind: 'enum',
    options: HUKOU_STATUS_OPTIONS,
    help: '户籍是否已登记',
    helpEn: 'Whether the child has household registration',
    example: '已登记',
  }),
  column({
    key: 'hukouKind',
    header: '户籍性质',
    headerEn: 'Hukou type',
    aliases: ['户口性质', '户籍类型'],
    kind: 'enum',
    options: HUKOU_KIND_OPTIONS,
    help: '农业或非农业户口',
    helpEn: 'Rural (农业) or urban (非农业) registration',
    example: '农业',
  }),
  column({
    key: 'hukouPlace',
    header: '户籍地',
    headerEn: 'Hukou place code',
    aliases: ['户籍地代码', '户籍所在地', '户籍所在地代码'],
    kind: 'region_code',
    help: '户籍所在地的区划代码（6位县级、9位乡镇级或12位村级），可以是外省代码',
    helpEn: 'Region code (6, 9 or 12 digits) of the place of household registration; other provinces allowed',
    example: '430621101',
  }),
  column({
    key: 'school',
    header: '就读学校',
    headerEn: 'School',
    aliases: ['学校', '学校名称', '就读学校名称'],
    kind: 'text',
    maxLength: 100,
    help: '学校全称',
    helpEn: 'Full name of the school',
    example: '荣家湾镇中心小学',
  }),
  column({
    key: 'grade',
    header: '年级',
    headerEn: 'Grade',
    aliases: ['年级班级', '班级'],
    kind: 'text',
    maxLength: 30,
    help: '如 三年级、初一',
    helpEn: 'School year, e.g. 三年级',
    example: '三年级',
  }),
  column({
    key: 'schoolingStatus',
    header: '就学状态',
    headerEn: 'Schooling status',
    aliases: ['就学情况', '在校情况', '就读状态'],
    kind: 'enum',
    options: SCHOOLING_STATUS_OPTIONS,
    help: '目前的就学状态',
    helpEn: 'Current schooling situation',
    example: '在校',
  }),
  column({
    key: 'health',
    header: '健康状况',
    headerEn: 'Health',
    aliases: ['身体状况', '健康情况'],
    kind: 'enum',
    options: HEALTH_OPTIONS,
    help: '健康、残疾、患病或重病；填“残疾”时须同时填写残疾类别和残疾等级',
    helpEn: 'healthy, disability, ill or seriously ill; "残疾" needs the disability category and grade too',
    example: '健康',
  }),
  column({
    key: 'disabilityCategory',
    header: '残疾类别',
    headerEn: 'Disability category',
    aliases: ['残疾类型'],
    kind: 'enum',
    options: DISABILITY_CATEGORY_OPTIONS,
    help: '按残疾证填写',
    helpEn: 'As on the disability certificate',
    example: '',
  }),
  column({
    key: 'disabilityGrade',
    header: '残疾等级',
    headerEn: 'Disability grade',
    aliases: ['残疾级别'],
    kind: 'enum',
    options: DISABILITY_GRADE_OPTIONS,
    help: '按残疾证填写，一级最重',
    helpEn: 'As on the disability certificate; grade 1 is the most severe',
    example: '',
  }),
  ...parentColumns('father'),
  ...parentColumns('mother'),
  column({
    key: 'guardianName',
    header: '监护人姓名',
    headerEn: 'Guardian name',
    aliases: ['监护人', '委托监护人', '委托监护人姓名', '实际监护人'],
    kind: 'text',
    maxLength: 64,
    help: '实际照料儿童的监护人或委托监护人',
    helpEn: 'The guardian or entrusted guardian actually looking after the child',
    example: '李德明',
  }),
  column({
    key: 'guardianRelation',
    header: '监护人关系',
    headerEn: 'Guardian relation',
    aliases: ['与儿童关系', '监护人与儿童关系', '与监护人关系', '监护关系'],
    kind: 'enum',
    options: GUARDIAN_RELATION_OPTIONS,
    help: '监护人是儿童的什么人',
    helpEn: "The guardian's relation to the child",
    example: '祖父',
  }),
  column({
    key: 'guardianPhone',
    header: '监护人电话',
    headerEn: 'Guardian phone',
    aliases: ['监护人联系电话', '监护人手机'],
    kind: 'phone',
    help: '11位手机号码，或带区号的固定电话（如0730-1234567）',
    helpEn: 'Mobile number, or a landline with area code',
    example: '13900000000',
  }),
  column({
    key: 'guardianCapacity',
    header: '监护能力',
    headerEn: 'Guardian capacity',
    aliases: ['监护人监护能力'],
    kind: 'enum',
    options: GUARDIAN_CAPACITY_OPTIONS,
    help: '监护人是否有能力照料儿童',
    helpEn: 'Whether the guardian is able to look after the child',
    example: '有监护能力',
  }),
  column({
    key: 'supervision',
    header: '监护状况',
    headerEn: 'Supervision',
    aliases: ['监护情况', '是否无人监护'],
    kind: 'enum',
    options: SUPERVISION_OPTIONS,
    help: '目前是否有人实际监护照料',
    helpEn: 'Whether someone actually looks after the child now',
    example: '有人监护',
  }),
  column({
    key: 'assistance',
    header: '救助帮扶',
    headerEn: 'Assistance',
    aliases: ['帮扶措施', '救助帮扶情况', '享受救助情况', '享受政策'],
    kind: 'enum_list',
    options: ASSISTANCE_OPTIONS,
    help: '可填多项，用顿号“、”或逗号分隔；没有则留空或填“无”',
    helpEn: 'Several allowed, separated by 、 or a comma; leave empty (or 无) for none',
    example: '低保、教育资助',
  }),
];

export const REQUIRED_COLUMNS: readonly Column[] = COLUMNS.filter((c) => c.required);

/**
 * Header comparison ignores what officers vary without meaning anything: whitespace and line breaks
 * inside the header cell, full-width vs half-width brackets, a required-marker asterisk, case.
 */
export function normalizeHeader(text: string): string {
  return toHalfWidth(text)
    .replace(/[\s\u00a0\u200b\ufeff*＊]/g, '')
    .toLowerCase();
}

const COLUMN_BY_HEADER: ReadonlyMap<string, Column> = (() => {
  const byHeader = new Map<string, Column>();
  for (const col of COLUMNS) {
    for (const header of [col.header, col.headerEn, ...col.aliases]) {
      const key = normalizeHeader(header);
      const existing = byHeader.get(key);
      if (existing !== undefined && existing !== col) {
        // A programming error in this table, caught by the unit tests on first import.
        throw new Error(`import columns: header "${header}" is claimed by ${existing.key} and ${col.key}`);
      }
      byHeader.set(key, col);
    }
  }
  return byHeader;
})();

/** The column a header names (template header, English header or alias), if any. */
export function findColumn(header: string): Column | undefined {
  return COLUMN_BY_HEADER.get(normalizeHeader(header));
}

export function columnByKey(key: ColumnKey): Column {
  const found = COLUMNS.find((c) => c.key === key);
  if (found === undefined) throw new Error(`import columns: no column ${key}`);
  return found;
}

/** Enum comparison ignores whitespace, width and case: "男 " and "Ｍ" mean what "男" and "M" do. */
export function normalizeEnumText(text: string): string {
  return toHalfWidth(text)
    .replace(/[\s\u00a0\u200b]/g, '')
    .replace(/\(/g, '（')
    .replace(/\)/g, '）')
    .toLowerCase();
}

/** The option a cell names by label, alias or enum value; undefined when none does. */
export function matchOption<T extends string | number>(
  options: readonly EnumOption<T>[],
  text: string,
): EnumOption<T> | undefined {
  const wanted = normalizeEnumText(text);
  return options.find(
    (option) =>
      normalizeEnumText(option.label) === wanted ||
      normalizeEnumText(String(option.value)) === wanted ||
      (option.aliases ?? []).some((alias) => normalizeEnumText(alias) === wanted),
  );
}

/** The Chinese label of an enum value; the value itself if the table lacks it (never throws: display path). */
export function labelOf<T extends string | number>(options: readonly EnumOption<T>[], value: T): string {
  return options.find((option) => option.value === value)?.label ?? String(value);
}

/** "男、女" — the accepted labels, as issue messages and the instructions list them. */
export function acceptedLabels(options: readonly EnumOption<string | number>[]): string {
  return options.map((option) => option.label).join('、');
}

export function acceptedLabelsEn(options: readonly EnumOption<string | number>[]): string {
  return options.map((option) => `${option.label} (${option.labelEn})`).join(', ');
}
