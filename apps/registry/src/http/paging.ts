import type { Principal } from '@tongxin/service-kit';

/**
 * The region prefixes a list may touch, to choose the index's counties: the asked region if any
 * (the filter still holds the caller to their scope), else the caller's regions; all for city_admin.
 */
export function regionsToRead(principal: Principal, region?: string): string[] | undefined {
  if (region) return [region];
  return principal.roles.includes('city_admin') ? undefined : principal.regions;
}
