/** Which children may take part in an event: region, category and age on its first day. Pure. */
import { ageOn } from './dates.js';

export interface Eligibility {
  /** Region code prefixes (county, township or village); empty = anywhere. */
  regionPrefixes: string[];
  /** At least one of these categories; empty = any child on the register. */
  categories: ('left_behind' | 'in_difficulty')[];
  minAge?: number;
  maxAge?: number;
}

export interface ChildFacts {
  birthDate: string;
  regionCode: string;
  categories: string[];
  status: string;
}

export type IneligibleReason = 'child_exited' | 'region_not_eligible' | 'category_not_eligible' | 'age_not_eligible';

/** Every rule the child fails, in a stable order (empty when eligible). */
export function ineligibility(child: ChildFacts, rules: Eligibility, startsOn: string): IneligibleReason[] {
  const reasons: IneligibleReason[] = [];
  if (child.status !== 'active') reasons.push('child_exited');
  if (rules.regionPrefixes.length > 0 && !rules.regionPrefixes.some((p) => child.regionCode.startsWith(p)))
    reasons.push('region_not_eligible');
  if (rules.categories.length > 0 && !rules.categories.some((c) => child.categories.includes(c)))
    reasons.push('category_not_eligible');
  const age = ageOn(child.birthDate, startsOn);
  if ((rules.minAge !== undefined && age < rules.minAge) || (rules.maxAge !== undefined && age > rules.maxAge))
    reasons.push('age_not_eligible');
  return reasons;
}
