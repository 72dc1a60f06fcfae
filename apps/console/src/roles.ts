/**
 * Which pages each role sees. The menu shows only these and the router refuses the others (the
 * API refuses them too: this only keeps people from clicking into a 403).
 */
export type PageKey =
  | 'dashboard'
  | 'annualReport'
  | 'children'
  | 'cases'
  | 'upload'
  | 'reconciliation'
  | 'ledger'
  | 'myHome'
  | 'donations'
  | 'volunteers'
  | 'events'
  | 'accounts'
  | 'audit'
  | 'profile';

export const PAGE_PATHS: Record<PageKey, string> = {
  dashboard: '/dashboard',
  annualReport: '/annual-report',
  children: '/children',
  cases: '/cases',
  upload: '/lists/upload',
  reconciliation: '/lists/reconciliation',
  ledger: '/lists/ledger',
  myHome: '/facility',
  donations: '/donations',
  volunteers: '/volunteers',
  events: '/volunteer-events',
  accounts: '/accounts',
  audit: '/audit-trail',
  profile: '/profile',
};

const OFFICE: PageKey[] = ['children', 'cases', 'upload', 'reconciliation', 'ledger'];

export const ROLE_PAGES: Record<string, PageKey[]> = {
  city_admin: ['dashboard', 'annualReport', 'children', 'accounts'],
  leader: ['dashboard', 'annualReport'],
  county_officer: ['dashboard', 'annualReport', ...OFFICE, 'accounts'],
  township_officer: [...OFFICE, 'accounts'],
  department_clerk: ['children', 'upload'],
  facility_manager: ['myHome'],
  charity: ['donations'],
  volunteer_coordinator: ['volunteers', 'events'],
  auditor: ['audit'],
  ops: ['audit'],
};

export function pagesOf(roles: readonly string[]): PageKey[] {
  const pages = new Set<PageKey>();
  for (const role of roles) for (const page of ROLE_PAGES[role] ?? []) pages.add(page);
  pages.add('profile');
  return [...pages];
}

/** Where a role lands after login. */
export const homePath = (roles: readonly string[]): string => PAGE_PATHS[pagesOf(roles)[0] ?? 'profile'];
