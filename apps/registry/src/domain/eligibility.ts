/**
 * Eligibility rules: which categories a child belongs to, derived from the recorded facts and the
 * date — never typed in. Versioned, and every decision carries the rules that were evaluated.
 *
 * Sources of the rules:
 * - 留守儿童 (国发〔2016〕13号): under 16, rural, both parents gone to work elsewhere, or one gone and
 *   the other without the capacity to look after the child.
 * - 困境儿童 (国发〔2016〕36号; 事实无人抚养儿童 民发〔2019〕62号): under 18, in difficulty because of
 *   family poverty, disability or serious illness, or lack of effective guardianship (orphans,
 *   children de facto without support, children whose parent is imprisoned or in compulsory drug
 *   rehabilitation, …).
 */
import { findRegion } from '@tongxin/contracts/values';
import type { ChildCategory, DifficultyType } from '@tongxin/contracts/registry';

import type { CategoryDecision, ChildFacts, ParentStatus } from './child.js';

export const RULES_VERSION = '2019.1';

/** A parent in one of these states cannot look after the child (无监护能力 in the wide sense). */
const UNABLE: ReadonlySet<ParentStatus> = new Set([
  'unable_to_guard',
  'deceased',
  'missing',
  'imprisoned',
  'in_drug_rehabilitation',
]);
/** 事实无人抚养: each parent deceased/missing or unable because of disability, illness or detention. */
const UNSUPPORTING: ReadonlySet<ParentStatus> = UNABLE;

/** The date a person born on `birthDate` reaches `years` (29 February → 1 March in common years). */
export function birthdayAt(birthDate: string, years: number): string {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y + years, m - 1, d));
  // Date.UTC rolls 29 Feb over to 1 Mar in a common year, which is the legal reading.
  return date.toISOString().slice(0, 10);
}

/** Full years of age on `on` (YYYY-MM-DD). */
export function ageOn(birthDate: string, on: string): number {
  const born = Number(birthDate.slice(0, 4));
  let age = Number(on.slice(0, 4)) - born;
  if (on < birthdayAt(birthDate, age)) age -= 1;
  return age;
}

export function isRural(facts: Pick<ChildFacts, 'hukou' | 'regionCode'>): boolean {
  if (facts.hukou.kind === 'rural') return true;
  const region = findRegion(facts.regionCode);
  return region?.kind === 'village';
}

/** Decides the categories of a child on `on` (YYYY-MM-DD). */
export function decideCategories(facts: ChildFacts, on: string): CategoryDecision {
  const explanation: { rule: string; met: boolean }[] = [];
  const check = (rule: string, met: boolean) => {
    explanation.push({ rule, met });
    return met;
  };
  const father = facts.parents.find((p) => p.relation === 'father')?.status;
  const mother = facts.parents.find((p) => p.relation === 'mother')?.status;
  const statuses = [father, mother];
  const age = ageOn(facts.birthDate, on);

  // 留守儿童
  const under16 = check('left_behind.under_16', age < 16);
  const rural = check('left_behind.rural', isRural(facts));
  const bothMigrant = check(
    'left_behind.both_parents_migrant',
    father === 'migrant_worker' && mother === 'migrant_worker',
  );
  const oneMigrantOtherUnable = check(
    'left_behind.one_migrant_other_unable',
    (father === 'migrant_worker' && mother !== undefined && UNABLE.has(mother)) ||
      (mother === 'migrant_worker' && father !== undefined && UNABLE.has(father)),
  );
  const leftBehind = under16 && rural && (bothMigrant || oneMigrantOtherUnable);

  // 困境儿童
  const under18 = check('in_difficulty.under_18', age < 18);
  const types: DifficultyType[] = [];
  const type = (difficulty: DifficultyType, met: boolean) => {
    if (check(`in_difficulty.${difficulty}`, met) && under18) types.push(difficulty);
  };
  type('economic_hardship', facts.assistance.includes('dibao') || facts.assistance.includes('tekun'));
  type(
    'disability_or_illness',
    facts.health.status === 'disability' || (facts.health.status === 'illness' && facts.health.seriousIllness),
  );
  const orphan = father === 'deceased' && mother === 'deceased';
  type('orphan', orphan);
  type(
    'de_facto_unsupported',
    !orphan && statuses.every((s) => s !== undefined && UNSUPPORTING.has(s)) && statuses.some((s) => s !== 'deceased'),
  );
  type('parent_imprisoned', statuses.includes('imprisoned'));
  type('parent_in_drug_rehabilitation', statuses.includes('in_drug_rehabilitation'));
  type(
    'other_lack_of_guardianship',
    facts.guardian?.capacity === 'incapable' && !statuses.includes('at_home') && types.length === 0,
  );

  const categories: ChildCategory[] = [];
  if (leftBehind) categories.push('left_behind');
  if (types.length > 0) categories.push('in_difficulty');

  // The next date on which age alone changes the decision.
  let reviewOn: string | undefined;
  const sixteenth = birthdayAt(facts.birthDate, 16);
  const eighteenth = birthdayAt(facts.birthDate, 18);
  if (on < sixteenth) reviewOn = sixteenth;
  else if (on < eighteenth) reviewOn = eighteenth;

  return {
    categories,
    difficultyTypes: types,
    rulesVersion: RULES_VERSION,
    explanation,
    ...(reviewOn ? { reviewOn } : {}),
  };
}

/**
 * Whether a child with this decision has aged out of the register on `on`: 18 or older, or 16 or
 * older with no category left (a left-behind child who is not in difficulty).
 */
export function hasAgedOut(facts: Pick<ChildFacts, 'birthDate'>, decision: CategoryDecision, on: string): boolean {
  const age = ageOn(facts.birthDate, on);
  return age >= 18 || (age >= 16 && decision.categories.length === 0);
}

/** Chinese and English text for rule codes, for the explanation shown to officers. */
export const RULE_TEXT: Record<string, { en: string; zh: string }> = {
  'left_behind.under_16': { en: 'under 16', zh: '未满16周岁' },
  'left_behind.rural': { en: 'rural household registration or residence', zh: '农村户籍或居住在农村' },
  'left_behind.both_parents_migrant': { en: 'both parents work away from home', zh: '父母双方外出务工' },
  'left_behind.one_migrant_other_unable': {
    en: 'one parent works away, the other cannot look after the child',
    zh: '父母一方外出务工、另一方无监护能力',
  },
  'in_difficulty.under_18': { en: 'under 18', zh: '未满18周岁' },
  'in_difficulty.economic_hardship': { en: 'household receives dibao or tekun support', zh: '家庭享受低保或特困供养' },
  'in_difficulty.disability_or_illness': { en: 'disability or serious illness', zh: '残疾或患重病' },
  'in_difficulty.orphan': { en: 'both parents deceased', zh: '父母双亡（孤儿）' },
  'in_difficulty.de_facto_unsupported': {
    en: 'no parent able to support the child (事实无人抚养)',
    zh: '事实无人抚养',
  },
  'in_difficulty.parent_imprisoned': { en: 'a parent is imprisoned', zh: '父母一方或双方服刑' },
  'in_difficulty.parent_in_drug_rehabilitation': {
    en: 'a parent is in compulsory drug rehabilitation',
    zh: '父母一方或双方强制隔离戒毒',
  },
  'in_difficulty.other_lack_of_guardianship': {
    en: 'guardian without capacity and no parent at home',
    zh: '监护人无监护能力且父母均不在家',
  },
};
