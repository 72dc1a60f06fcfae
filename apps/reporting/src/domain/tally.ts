/**
 * Pure counting. A region bucket holds compact entries (one per child, case, mandatory report and
 * home whose region is exactly the bucket's code); its counters are a function of those entries
 * (`tally`) plus the totals of its sub-regions (`addTotals`). Nothing is ever incremented, so
 * applying the same fact twice cannot count it twice.
 */

export type Counts = Record<string, number>;
/** `counts`: current state and all-time flows; `months`: flows by month (`YYYY-MM`). */
export interface Totals {
  counts: Counts;
  months: Record<string, Counts>;
}

/** A child as the counters see it: current categories and facts, nothing else. */
export interface ChildEntry {
  /** 1 while the child is active on the register. */
  active: 0 | 1;
  categories: string[];
  difficultyTypes: string[];
  unsupervised: 0 | 1;
  schooling: string;
  /** 1 once a guardian was ever assigned (sticky). */
  guardianAssigned: 0 | 1;
}

export interface CaseEntry {
  caseType: string;
  status: string;
  openedMonth: string;
  resolvedMonth?: string;
  closedMonth?: string;
  outcome?: string;
}

export interface ReportEntry {
  status: string;
  receivedMonth: string;
  acknowledgedMonth?: string;
  /** Acknowledged no later than dueAt. */
  onTime?: boolean;
  linked: 0 | 1;
}

export interface HomeEntry {
  status: string;
  kind: string;
  /** Grade of the latest evaluation, when there is one. */
  grade?: string;
}

export interface BucketEntries {
  children?: Record<string, ChildEntry>;
  cases?: Record<string, CaseEntry>;
  reports?: Record<string, ReportEntry>;
  homes?: Record<string, HomeEntry>;
}

/** The outcome that means a case of this type achieved its purpose. */
export const SUCCESS_OUTCOME: Readonly<Record<string, string>> = {
  guardian_assignment: 'guardian_assigned',
  return_to_school: 'returned_to_school',
  hukou_registration: 'hukou_registered',
  rights_protection: 'rights_protected',
  temporary_care: 'care_provided',
  parent_education: 'parents_educated',
  social_assistance_referral: 'assistance_granted',
};

export const emptyTotals = (): Totals => ({ counts: {}, months: {} });

const bump = (counts: Counts, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

function bumpMonth(totals: Totals, month: string | undefined, key: string) {
  if (!month) return;
  const counts = (totals.months[month] ??= {});
  bump(counts, key);
}

export function tally(entries: BucketEntries): Totals {
  const totals = emptyTotals();
  const c = totals.counts;
  for (const child of Object.values(entries.children ?? {})) {
    if (child.guardianAssigned) bump(c, 'children:guardian_assigned');
    if (!child.active) {
      bump(c, 'children:exited');
      continue;
    }
    bump(c, 'children:active');
    for (const category of child.categories) bump(c, `children:${category}`);
    for (const type of child.difficultyTypes) bump(c, `children:difficulty:${type}`);
    if (child.unsupervised) bump(c, 'children:unsupervised');
    bump(c, `children:schooling:${child.schooling}`);
  }
  for (const entry of Object.values(entries.cases ?? {})) {
    const t = entry.caseType;
    const succeeded = entry.resolvedMonth !== undefined && entry.outcome === SUCCESS_OUTCOME[t];
    bump(c, `cases:opened:${t}`);
    bumpMonth(totals, entry.openedMonth, `cases:opened:${t}`);
    if (entry.status === 'opened' || entry.status === 'in_progress') bump(c, `cases:open:${t}`);
    if (entry.resolvedMonth) {
      bump(c, `cases:resolved:${t}`);
      bumpMonth(totals, entry.resolvedMonth, `cases:resolved:${t}`);
    }
    if (succeeded) {
      bump(c, `cases:succeeded:${t}`);
      bumpMonth(totals, entry.resolvedMonth, `cases:succeeded:${t}`);
      // The cohort view: of the cases opened in a month, how many succeeded (by now).
      bumpMonth(totals, entry.openedMonth, `cases:opened_succeeded:${t}`);
    }
    if (entry.closedMonth) {
      bump(c, `cases:closed:${t}`);
      bumpMonth(totals, entry.closedMonth, `cases:closed:${t}`);
    }
    if (entry.outcome) bump(c, `cases:outcome:${entry.outcome}`);
  }
  for (const report of Object.values(entries.reports ?? {})) {
    bump(c, 'reports:received');
    bumpMonth(totals, report.receivedMonth, 'reports:received');
    if (report.status === 'received') bump(c, 'reports:pending');
    if (report.status === 'dismissed') bump(c, 'reports:dismissed');
    if (report.linked) bump(c, 'reports:linked');
    if (report.acknowledgedMonth) {
      const timeliness = report.onTime ? 'reports:on_time' : 'reports:late';
      bump(c, 'reports:acknowledged');
      bump(c, timeliness);
      bumpMonth(totals, report.acknowledgedMonth, 'reports:acknowledged');
      bumpMonth(totals, report.acknowledgedMonth, timeliness);
    }
  }
  for (const home of Object.values(entries.homes ?? {})) {
    bump(c, 'homes:total');
    if (home.status !== 'open') continue;
    bump(c, 'homes:open');
    bump(c, `homes:kind:${home.kind}`);
    if (home.grade) bump(c, `homes:grade:${home.grade}`);
  }
  return totals;
}

function addCounts(into: Counts, from: Counts) {
  for (const [key, value] of Object.entries(from)) bump(into, key, value);
}

export function addTotals(...all: Totals[]): Totals {
  const sum = emptyTotals();
  for (const totals of all) {
    addCounts(sum.counts, totals.counts);
    for (const [month, counts] of Object.entries(totals.months)) addCounts((sum.months[month] ??= {}), counts);
  }
  return sum;
}

/** The flows of one year (sum of its months). */
export function yearCounts(totals: Totals, year: number): Counts {
  const sum: Counts = {};
  for (const [month, counts] of Object.entries(totals.months)) if (month.startsWith(`${year}-`)) addCounts(sum, counts);
  return sum;
}

/** `YYYY-MM` of an ISO date or date-time, in Beijing time (UTC+8) for date-times. */
export function monthOf(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso.slice(0, 7);
  const beijing = new Date(Date.parse(iso) + 8 * 3600_000);
  return beijing.toISOString().slice(0, 7);
}

/** JSON with sorted keys: equality of read-model values regardless of key order. */
export function stable(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
