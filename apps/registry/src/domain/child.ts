/**
 * The facts the register keeps about a child (ARCHITECTURE §6: pure domain, no I/O).
 *
 * Facts are what officers record; categories (left_behind, in_difficulty) are derived from them by
 * the eligibility rules (./eligibility.ts), never typed in. Resident ID numbers appear here in clear
 * text: encryption is the persistence layer's job, masking the HTTP layer's.
 */
import type { DifficultyType, ChildCategory } from '@tongxin/contracts/registry';

export type Sex = 'female' | 'male';

/** 户籍: registered, not registered (无户口), or registration under way. */
export type HukouStatus = 'registered' | 'not_registered' | 'in_progress';
/** Rural (农业) or urban (非农业/居民) household registration. */
export type HukouKind = 'rural' | 'urban';

export interface Hukou {
  status: HukouStatus;
  kind: HukouKind;
  /** Where the household is (or will be) registered: a region code, 6–12 digits. */
  placeCode?: string;
}

export type ParentRelation = 'father' | 'mother';
export type ParentStatus =
  | 'migrant_worker' // 外出务工
  | 'at_home' // 在家
  | 'unable_to_guard' // 无监护能力 (serious illness, disability)
  | 'deceased' // 死亡
  | 'missing' // 失踪/失联
  | 'imprisoned' // 服刑
  | 'in_drug_rehabilitation'; // 强制隔离戒毒

export interface Parent {
  relation: ParentRelation;
  name?: string;
  idNumber?: string;
  phone?: string;
  status: ParentStatus;
  /** Where a migrant parent works (province/city as text). */
  workPlace?: string;
}

export type GuardianKind = 'parent' | 'grandparent' | 'other_relative' | 'entrusted_person' | 'institution';
export type GuardianRelation =
  | 'father'
  | 'mother'
  | 'paternal_grandfather'
  | 'paternal_grandmother'
  | 'maternal_grandfather'
  | 'maternal_grandmother'
  | 'sibling'
  | 'uncle_or_aunt'
  | 'other_relative'
  | 'neighbour'
  | 'village_cadre'
  | 'teacher'
  | 'welfare_institution'
  | 'other';
/** 监护能力 */
export type GuardianCapacity = 'capable' | 'limited' | 'incapable';

export interface Guardian {
  kind: GuardianKind;
  name: string;
  relation: GuardianRelation;
  phone?: string;
  capacity: GuardianCapacity;
}

export type DisabilityCategory = 'visual' | 'hearing' | 'speech' | 'physical' | 'intellectual' | 'mental' | 'multiple';
export type Health =
  | { status: 'healthy' }
  /** 残疾: category and grade 1 (most severe) to 4, as on the disability certificate. */
  | { status: 'disability'; disabilityCategory: DisabilityCategory; disabilityGrade: 1 | 2 | 3 | 4 }
  /** 重病: serious or chronic illness. */
  | { status: 'illness'; seriousIllness: boolean };

export type SchoolingStatus = 'enrolled' | 'boarding' | 'dropped_out' | 'returned' | 'not_school_age' | 'graduated';
export interface Schooling {
  status: SchoolingStatus;
  school?: string;
  grade?: string;
}

export type Supervision = 'supervised' | 'unsupervised';

/** 救助帮扶: assistance the child's household receives. */
export type AssistanceKind =
  | 'dibao' // 最低生活保障
  | 'tekun' // 特困人员供养
  | 'temporary' // 临时救助
  | 'medical' // 医疗救助
  | 'orphan_allowance' // 孤儿基本生活费
  | 'unsupported_child_allowance' // 事实无人抚养儿童生活补贴
  | 'disability_allowance' // 残疾人两项补贴
  | 'education' // 教育资助
  | 'other';

/** Everything an officer records about a child. */
export interface ChildFacts {
  name: string;
  sex: Sex;
  /** YYYY-MM-DD */
  birthDate: string;
  ethnicity: string;
  /** 18 characters, validated; absent for a child without one (e.g. not registered). */
  idNumber?: string;
  hukou: Hukou;
  /** Where the child lives: a 12-digit village/residents' committee code. */
  regionCode: string;
  address: string;
  schooling: Schooling;
  health: Health;
  parents: Parent[];
  guardian?: Guardian;
  supervision: Supervision;
  assistance: AssistanceKind[];
}

export type ChildStatus = 'active' | 'exited';
export type ExitReason = 'aged_out' | 'parents_returned' | 'moved_away' | 'deceased' | 'other';

export interface CategoryDecision {
  categories: ChildCategory[];
  difficultyTypes: DifficultyType[];
  rulesVersion: string;
  /** Every rule evaluated and whether it held. */
  explanation: { rule: string; met: boolean }[];
  /** The next date on which the decision changes by age alone (a 16th or 18th birthday), if any. */
  reviewOn?: string;
}

/** The three departments whose lists are cross-checked (比对核实). */
export type SourceDepartment = 'civil_affairs' | 'education' | 'public_security';

/**
 * One row of a department's list for one township, after validation: the facts that department
 * knows, nothing more (a police list has hukou but rarely schooling; a school list the reverse).
 */
export interface SubmissionRow {
  /** 1-based row number in the uploaded sheet (the header is row 1), for reports. */
  rowNumber: number;
  name: string;
  sex?: Sex;
  birthDate?: string;
  idNumber?: string;
  ethnicity?: string;
  regionCode?: string;
  address?: string;
  hukou?: Partial<Hukou>;
  schooling?: Partial<Schooling>;
  health?: Health;
  father?: Partial<Parent>;
  mother?: Partial<Parent>;
  guardian?: Partial<Guardian>;
  supervision?: Supervision;
  assistance?: AssistanceKind[];
}

/** A problem with one cell or row of an upload, in both languages. */
export interface RowIssue {
  /** 1-based sheet row; 0 for a problem with the whole file. */
  row: number;
  /** The column header as in the template (Chinese), or '' for the whole row/file. */
  column: string;
  code: string;
  message: string;
  messageZh: string;
}
