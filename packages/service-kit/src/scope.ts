import { AppError } from './errors.js';
import type { Principal } from './principal.js';

/**
 * Object-level authorisation. An object is in scope when ANY of its scope attributes is covered
 * by the principal: its region (prefix match on the principal's `regions`), its facility, its donor
 * organisation or its volunteer organisation. `city_admin` sees everything. Out of scope answers
 * 404 — exactly like a missing object, so existence never leaks.
 */
export interface ScopedObject {
  regionCode?: string | null;
  facilityId?: string | null;
  donorOrg?: string | null;
  volunteerOrg?: string | null;
}

const isCityAdmin = (principal: Principal): boolean => principal.roles.includes('city_admin');

export function canSeeRegion(principal: Principal, regionCode: string): boolean {
  if (isCityAdmin(principal)) return true;
  return principal.regions.some((prefix) => prefix.length > 0 && regionCode.startsWith(prefix));
}

export function canSeeFacility(principal: Principal, facilityId: string): boolean {
  return isCityAdmin(principal) || principal.facilities.includes(facilityId);
}

export function isInScope(principal: Principal, object: ScopedObject): boolean {
  if (isCityAdmin(principal)) return true;
  return Boolean(
    (object.regionCode && canSeeRegion(principal, object.regionCode)) ||
    (object.facilityId && canSeeFacility(principal, object.facilityId)) ||
    (object.donorOrg && principal.donorOrgs.includes(object.donorOrg)) ||
    (object.volunteerOrg && principal.volunteerOrgs.includes(object.volunteerOrg)),
  );
}

/**
 * Returns the object when the principal may see it; otherwise (or when it is null/undefined, i.e.
 * not found) throws AppError 404 `not_found`. Typical use:
 * `const note = assertInScope(ctx.principal, await Notes.findById(id).lean())`.
 */
export function assertInScope<T extends ScopedObject>(principal: Principal, object: T | null | undefined): T {
  if (!object || !isInScope(principal, object)) throw AppError.notFound();
  return object;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A MongoDB filter restricting a list query to the principal's regions (`{}` for city_admin;
 * an always-false filter for a principal without regions). Prefix regexes anchored with `^`.
 */
export function regionFilter(principal: Principal, field = 'regionCode'): Record<string, unknown> {
  if (isCityAdmin(principal)) return {};
  if (principal.regions.length === 0) return { [field]: { $in: [] } };
  return { $or: principal.regions.map((prefix) => ({ [field]: { $regex: `^${escapeRegex(prefix)}` } })) };
}
