/**
 * Who may create (and then manage) whom. Pure: the account service adds the checks that need I/O
 * (facility ids against the facilities service).
 *
 * - city_admin: anyone, anywhere.
 * - county_officer: the roles below it — township_officer, department_clerk, facility_manager,
 *   volunteer_coordinator, charity — placed inside its county (every region the new account
 *   gets, and its administrative region, start with one of the officer's regions).
 * - township_officer: facility_manager inside its township.
 * - nobody else creates accounts. auditor, ops and county_officer accounts come from a city_admin.
 *
 * Managing an account (disable, unlock, reset its password) is allowed to whoever could have
 * created it: its creator's role or above, in scope.
 */
import type { Principal, Role } from '@tongxin/service-kit';

export const MAY_CREATE: Record<Role, readonly Role[]> = {
  city_admin: [
    'city_admin',
    'county_officer',
    'township_officer',
    'department_clerk',
    'facility_manager',
    'charity',
    'volunteer_coordinator',
    'auditor',
    'ops',
  ],
  county_officer: ['township_officer', 'department_clerk', 'facility_manager', 'volunteer_coordinator', 'charity'],
  township_officer: ['facility_manager'],
  department_clerk: [],
  facility_manager: [],
  charity: [],
  volunteer_coordinator: [],
  auditor: [],
  ops: [],
};

/** Roles whose access is by region: they need at least one region. */
export const REGIONAL_ROLES: readonly Role[] = ['county_officer', 'township_officer', 'department_clerk'];

export interface AccountScope {
  role: Role;
  regions: readonly string[];
  facilities?: readonly string[];
  donorOrgs?: readonly string[];
  volunteerOrgs?: readonly string[];
  department?: string | undefined;
  adminRegion?: string | undefined;
}

const within = (code: string, prefixes: readonly string[]): boolean => prefixes.some((p) => p && code.startsWith(p));

/** Why `actor` may not create (or manage) an account of this shape; undefined when it may. */
export function refusal(actor: Principal, target: AccountScope): string | undefined {
  if (actor.roles.includes('city_admin')) return shapeProblem(target);
  const role = actor.roles.find((r) => MAY_CREATE[r].includes(target.role));
  if (!role) return `your role may not create or manage ${target.role} accounts`;
  if (!target.adminRegion) return 'the account needs an adminRegion inside your regions';
  if (!within(target.adminRegion, actor.regions)) return `region ${target.adminRegion} is outside your regions`;
  for (const region of target.regions) {
    if (!within(region, actor.regions)) return `region ${region} is outside your regions`;
  }
  return shapeProblem(target);
}

/** What an account of a role must carry to be usable. */
export function shapeProblem(target: AccountScope): string | undefined {
  if (REGIONAL_ROLES.includes(target.role) && target.regions.length === 0) return `a ${target.role} needs regions`;
  if (target.role === 'department_clerk' && !target.department) return 'a department_clerk needs a department';
  if (target.role === 'facility_manager' && (target.facilities ?? []).length === 0)
    return 'a facility_manager needs facilities';
  if (target.role === 'charity' && (target.donorOrgs ?? []).length === 0) return 'a charity account needs donorOrgs';
  if (target.role === 'volunteer_coordinator' && (target.volunteerOrgs ?? []).length === 0)
    return 'a volunteer_coordinator needs volunteerOrgs';
  return undefined;
}

/** Password policy: at least 10 characters, letters and digits, not the username. */
export function passwordProblem(password: string, username: string): string | undefined {
  return passwordProblemText(password, username)?.en;
}

/** The same policy, with the reason in both languages (shown beside a form field). */
export function passwordProblemText(password: string, username: string): { en: string; zh: string } | undefined {
  if (password.length < 10) return { en: 'the password needs at least 10 characters', zh: '密码至少需要 10 个字符' };
  if (password.length > 256)
    return { en: 'the password is too long (at most 256 characters)', zh: '密码过长（最多 256 个字符）' };
  if (!/\p{L}/u.test(password) || !/\d/.test(password))
    return { en: 'the password needs letters and digits', zh: '密码须同时包含字母和数字' };
  if (password.toLowerCase().includes(username.toLowerCase()))
    return { en: 'the password may not contain the username', zh: '密码不能包含用户名' };
  return undefined;
}
