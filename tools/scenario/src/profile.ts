/**
 * A city profile (profiles/yueyang.json): the figures the scenario must produce, per county and for
 * the city, validated with zod. `planOf(profile, scale)` turns it into exact numbers per county — the
 * expected annual report is computed from that plan, never typed.
 *
 * How a figure scales by `s` (documented in README.md):
 * - a city total T becomes T' = 0 when T = 0, else max(1, round(T × s));
 * - a per-county figure is T' split across counties in proportion to the profile's per-county values
 *   by the largest remainder (Hamilton) method, ties to the earlier county: the counties' numbers
 *   always add up to T' exactly;
 * - children in difficulty: each type's T' split by the counties' in-difficulty values (a child has
 *   one type), so a county's in-difficulty count is the sum of its types;
 * - cases of each kind and mandatory reports: split by the counties' left-behind values; rights
 *   incidents arrive as mandatory reports, the other reports are dismissed, so reports = rights +
 *   the scaled remainder;
 * - money in fen and book quantities: round(x × s) (at least 1), the unit value of a book is kept;
 *   the schools, donors and the camp (one event) are not scaled.
 */
import { readFileSync } from 'node:fs';

import { findRegion, isKnownRegion } from '@tongxin/contracts/values';
import { z } from 'zod';

const DIFFICULTY_TYPES = [
  'economic_hardship',
  'disability_or_illness',
  'orphan',
  'de_facto_unsupported',
  'parent_imprisoned',
  'parent_in_drug_rehabilitation',
  'other_lack_of_guardianship',
] as const;
export type DifficultyType = (typeof DIFFICULTY_TYPES)[number];
export const CASE_KINDS = [
  'guardian_assignment',
  'return_to_school',
  'hukou_registration',
  'rights_protection',
  'parent_education',
] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

const count = z.number().int().min(0);
const yuan = z.string().regex(/^\d+(\.\d{1,2})?$/, 'yuan as text with at most two decimals, e.g. "4500000.00"');
const known = (level: string, length: number) =>
  z
    .string()
    .regex(new RegExp(`^\\d{${length}}$`), `a ${length}-digit ${level} code`)
    .refine(isKnownRegion, { message: `not a ${level} known to the platform's region directory` });

export const ZProfile = z
  .object({
    $comment: z.string().optional(),
    city: z.object({ code: known('city', 4), name: z.string().min(1) }),
    year: z.number().int().min(2000).max(2100),
    counties: z
      .array(
        z.object({
          code: known('county', 6),
          name: z.string().min(1),
          townships: z.array(known('township', 9)).min(1),
          leftBehind: count,
          inDifficulty: count,
          homes: count,
          homeKinds: z
            .array(z.enum(['school_based', 'village_based', 'community']))
            .min(1)
            .optional(),
        }),
      )
      .min(1),
    difficultyTypes: z.record(z.enum(DIFFICULTY_TYPES), count),
    cases: z.object(Object.fromEntries(CASE_KINDS.map((k) => [k, count])) as Record<CaseKind, typeof count>),
    mandatoryReports: count,
    childrenPerHome: z.number().int().min(1).max(300),
    activitiesPerHome: z.number().int().min(0).max(50),
    provincialFund: z.object({ donorName: z.string().min(1), amountYuan: yuan }),
    /**
     * Bursaries (困境儿童助学金) paid to single children out of the provincial fund by their county's
     * officer: `children` at full size (scaled like the children), `amountYuan` each. They are
     * allocations of money already received, so no figure of the annual report moves: the city's
     * funds are counted as received, and the homes share what the bursaries leave.
     */
    bursary: z.object({ title: z.string().min(1), children: count, amountYuan: yuan }).optional(),
    books: z.array(
      z.object({
        donorId: z.string().regex(/^[a-z0-9-]{2,40}$/),
        donorName: z.string().min(1),
        organisationType: z.enum(['charity_federation', 'foundation', 'company', 'government', 'school', 'other']),
        quantity: z.number().int().min(1),
        unitValueYuan: yuan,
        schools: z.array(z.string()).min(1),
      }),
    ),
    schools: z.array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]{2,40}$/),
        name: z.string().min(1),
        regionCode: z.string().refine(isKnownRegion, { message: 'not a region known to the platform' }),
        plaque: z.string().optional(),
      }),
    ),
    summerCamp: z.object({
      organisation: z.string().min(1),
      title: z.string().min(1),
      participants: count,
      volunteers: z.number().int().min(1),
    }),
  })
  .superRefine((p, ctx) => {
    p.counties.forEach((c, i) => {
      if (!c.code.startsWith(p.city.code))
        ctx.addIssue({ code: 'custom', path: ['counties', i, 'code'], message: `not inside ${p.city.code}` });
      c.townships.forEach((t, j) => {
        if (!t.startsWith(c.code))
          ctx.addIssue({ code: 'custom', path: ['counties', i, 'townships', j], message: `not inside ${c.code}` });
        if (findRegion(t)?.level !== 'township')
          ctx.addIssue({ code: 'custom', path: ['counties', i, 'townships', j], message: 'not a township' });
      });
    });
    const byType = Object.values(p.difficultyTypes).reduce((a, b) => a + b, 0);
    const byCounty = p.counties.reduce((a, c) => a + c.inDifficulty, 0);
    if (byType !== byCounty)
      ctx.addIssue({
        code: 'custom',
        path: ['difficultyTypes'],
        message: `the types add up to ${byType}, the counties' inDifficulty to ${byCounty}`,
      });
    const special = p.cases.guardian_assignment + p.cases.return_to_school + p.cases.hukou_registration;
    const leftBehind = p.counties.reduce((a, c) => a + c.leftBehind, 0);
    if (special > leftBehind)
      ctx.addIssue({
        code: 'custom',
        path: ['cases'],
        message: `${special} unsupervised, dropped-out and unregistered children exceed ${leftBehind} left-behind children`,
      });
    if (p.cases.rights_protection > p.mandatoryReports)
      ctx.addIssue({ code: 'custom', path: ['mandatoryReports'], message: 'fewer reports than rights incidents' });
    const schools = new Set(p.schools.map((s) => s.id));
    p.books.forEach((b, i) =>
      b.schools.forEach((s, j) => {
        if (!schools.has(s))
          ctx.addIssue({ code: 'custom', path: ['books', i, 'schools', j], message: `unknown school ${s}` });
      }),
    );
  });
export type Profile = z.output<typeof ZProfile>;

export class ProfileError extends Error {}

export function loadProfile(path: string): Profile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ProfileError(`cannot read the profile ${path}: ${(error as Error).message}`);
  }
  const parsed = ZProfile.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ProfileError(`the profile ${path} is not valid / 城市概况文件无效:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** T' = 0 when T = 0, else max(1, round(T × s)). */
export const scaleTotal = (total: number, scale: number) => (total === 0 ? 0 : Math.max(1, Math.round(total * scale)));

/** Splits `total` in proportion to `weights` by the largest remainder; ties go to the earlier index. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i]! += 1;
    left -= 1;
  }
  return out;
}

const fenOf = (yuanText: string) => {
  const [whole, frac = ''] = yuanText.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
};

export interface CountyPlan {
  code: string;
  name: string;
  townships: string[];
  homeKinds: ('school_based' | 'village_based' | 'community')[];
  /** Left-behind children, of which some are unsupervised, dropped out or without hukou. */
  leftBehind: number;
  difficulty: Record<DifficultyType, number>;
  inDifficulty: number;
  cases: Record<CaseKind, number>;
  /** Reports dismissed (the others are the rights incidents). */
  otherReports: number;
  reports: number;
  homes: number;
}

export interface Plan {
  scale: number;
  city: { code: string; name: string };
  counties: CountyPlan[];
  childrenPerHome: number;
  activitiesPerHome: number;
  provincialFundFen: number;
  /** Out of the provincial fund, before the homes' shares: `children` × `amountFen`. */
  bursary: { title: string; children: number; amountFen: number };
  books: {
    donorId: string;
    donorName: string;
    organisationType: string;
    quantity: number;
    unitValueFen: number;
    schools: string[];
  }[];
  schools: Profile['schools'];
  camp: Profile['summerCamp'];
}

export function planOf(profile: Profile, scale: number): Plan {
  const counties = profile.counties;
  const lbWeights = counties.map((c) => c.leftBehind);
  const split = (total: number, weights: number[]) => apportion(scaleTotal(total, scale), weights);
  const leftBehind = split(
    counties.reduce((a, c) => a + c.leftBehind, 0),
    lbWeights,
  );
  const homes = split(
    counties.reduce((a, c) => a + c.homes, 0),
    counties.map((c) => c.homes),
  );
  const types = Object.fromEntries(
    DIFFICULTY_TYPES.map((t) => [
      t,
      split(
        profile.difficultyTypes[t] ?? 0,
        counties.map((c) => c.inDifficulty),
      ),
    ]),
  ) as Record<DifficultyType, number[]>;
  const cases = Object.fromEntries(CASE_KINDS.map((k) => [k, split(profile.cases[k], lbWeights)])) as Record<
    CaseKind,
    number[]
  >;
  const other = split(profile.mandatoryReports - profile.cases.rights_protection, lbWeights);
  const plans: CountyPlan[] = counties.map((c, i) => {
    const difficulty = Object.fromEntries(DIFFICULTY_TYPES.map((t) => [t, types[t][i]!])) as Record<
      DifficultyType,
      number
    >;
    const countyCases = Object.fromEntries(CASE_KINDS.map((k) => [k, cases[k][i]!])) as Record<CaseKind, number>;
    return {
      code: c.code,
      name: c.name,
      townships: c.townships,
      homeKinds: c.homeKinds ?? ['school_based', 'school_based', 'school_based', 'village_based'],
      leftBehind: leftBehind[i]!,
      difficulty,
      inDifficulty: Object.values(difficulty).reduce((a, b) => a + b, 0),
      cases: countyCases,
      otherReports: other[i]!,
      reports: other[i]! + countyCases.rights_protection,
      homes: homes[i]!,
    };
  });
  for (const c of plans) {
    const special = c.cases.guardian_assignment + c.cases.return_to_school + c.cases.hukou_registration;
    // Rounding can leave a small county with more special children than left-behind ones.
    if (special > c.leftBehind) c.leftBehind = special;
  }
  const provincialFundFen = Math.max(1, Math.round(fenOf(profile.provincialFund.amountYuan) * scale));
  const bursaryFen = profile.bursary ? fenOf(profile.bursary.amountYuan) : 0;
  // At most half the fund: the homes keep the larger part whatever the scale.
  const bursaryChildren =
    profile.bursary && bursaryFen > 0
      ? Math.min(scaleTotal(profile.bursary.children, scale), Math.floor(provincialFundFen / 2 / bursaryFen))
      : 0;
  return {
    scale,
    city: profile.city,
    counties: plans,
    childrenPerHome: profile.childrenPerHome,
    activitiesPerHome: profile.activitiesPerHome,
    provincialFundFen,
    bursary: { title: profile.bursary?.title ?? '困境儿童助学金', children: bursaryChildren, amountFen: bursaryFen },
    books: profile.books.map((b) => ({
      donorId: b.donorId,
      donorName: b.donorName,
      organisationType: b.organisationType,
      quantity: Math.max(b.schools.length, Math.round(b.quantity * scale)),
      unitValueFen: fenOf(b.unitValueYuan),
      schools: b.schools,
    })),
    schools: profile.schools,
    camp: { ...profile.summerCamp, participants: scaleTotal(profile.summerCamp.participants, scale) },
  };
}

/** The annual report figures the plan must produce (city level), for comparison with the report. */
export function expectedFigures(plan: Plan): Record<string, number> {
  const sum = (f: (c: CountyPlan) => number) => plan.counties.reduce((a, c) => a + f(c), 0);
  const out: Record<string, number> = {
    leftBehind: sum((c) => c.leftBehind),
    inDifficulty: sum((c) => c.inDifficulty),
  };
  for (const t of DIFFICULTY_TYPES) {
    const n = sum((c) => c.difficulty[t]);
    if (n > 0) out[`inDifficultyByType.${t}`] = n;
  }
  const ga = sum((c) => c.cases.guardian_assignment);
  const rs = sum((c) => c.cases.return_to_school);
  const hk = sum((c) => c.cases.hukou_registration);
  Object.assign(out, {
    'unsupervisedGivenGuardian.cases': ga,
    'unsupervisedGivenGuardian.succeeded': ga,
    'dropoutsReturned.cases': rs,
    'dropoutsReturned.succeeded': rs,
    'hukouRegistered.cases': hk,
    'hukouRegistered.succeeded': hk,
    rightsIncidentsHandled: sum((c) => c.cases.rights_protection),
    negligentParentsEducated: sum((c) => c.cases.parent_education),
    'mandatoryReports.received': sum((c) => c.reports),
    'mandatoryReports.acknowledged': sum((c) => c.reports),
    'mandatoryReports.onTime': sum((c) => c.reports),
    'mandatoryReports.late': 0,
    unsupervisedNow: 0,
    homes: sum((c) => c.homes),
    'funds.fen': plan.provincialFundFen,
    'books.quantity': plan.books.reduce((a, b) => a + b.quantity, 0),
    'books.valueFen': plan.books.reduce((a, b) => a + b.quantity * b.unitValueFen, 0),
    'books.recipients': new Set(plan.books.flatMap((b) => b.schools)).size,
    'books.donors': plan.books.length,
    'summerCamp.events': plan.camp.participants > 0 ? 1 : 0,
    'summerCamp.participants': plan.camp.participants,
  });
  return out;
}

/** The same names, read from an annual report's `figures`. */
export function reportFigures(figures: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'number') out[path] = value;
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(figures, '');
  return out;
}
