/**
 * The home manager's page's first three API calls, shared with the entry so that they are made as
 * soon as the claims are known, while the page's chunk is still on its way (`prefetchLanding`).
 * index.html's inline script asks the same three paths even earlier on a returning manager's first
 * load (before any code has arrived; `api()` takes those answers): keep the paths in step.
 */
import type { QueryClient } from '@tanstack/react-query';

import { api, type Principal } from './api';

export interface Facility {
  id: string;
  name: string;
  address: string;
  regionCode?: string;
  regionName?: string;
  openingHours?: string;
  capacity?: number;
  status: string;
}
export interface EnrolledChild {
  childId: string;
  name: string;
  sex: string;
  birthDate: string;
  enrolledOn: string;
  fileComplete: boolean;
}
export interface Activity {
  id: string;
  kind: string;
  title: string;
  startsAt: string;
  endsAt: string;
  place: string;
  attendeeChildIds: string[];
}

/** The Beijing month of now. */
export const beijingMonth = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

const base = (facilityId: string) => `/api/facilities/facilities/${encodeURIComponent(facilityId)}`;

export const facilityQuery = (facilityId: string) => ({
  queryKey: ['facility', facilityId],
  queryFn: () => api<Facility>(base(facilityId)),
  enabled: Boolean(facilityId),
});
export const facilityChildrenQuery = (facilityId: string) => ({
  queryKey: ['facility-children', facilityId],
  queryFn: () => api<{ items: EnrolledChild[] }>(`${base(facilityId)}/children`),
  enabled: Boolean(facilityId),
});
export const facilityActivitiesQuery = (facilityId: string, month: string) => ({
  queryKey: ['facility-activities', facilityId, month],
  queryFn: () => api<{ items: Activity[] }>(`${base(facilityId)}/activities?month=${month}`),
  enabled: Boolean(facilityId),
});

/** On `/facility`, a home manager's home data is asked for as soon as the claims are known. */
export function prefetchLanding(queryClient: QueryClient, principal: Principal | undefined): void {
  const facilityId = principal?.facilities[0];
  if (!facilityId || !principal.roles.includes('facility_manager') || location.pathname !== '/facility') return;
  void queryClient.prefetchQuery(facilityQuery(facilityId));
  void queryClient.prefetchQuery(facilityChildrenQuery(facilityId));
  void queryClient.prefetchQuery(facilityActivitiesQuery(facilityId, beijingMonth()));
}
