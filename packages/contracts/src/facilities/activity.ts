/**
 * `facilities.activity.v1`: the activity log of a home. Every event carries the activity as it now
 * stands. Notes, places, staff and photos stay in the service; a counselling session is announced
 * with its attendees only — never its content.
 */
import { z } from 'zod';

import { defineEvent } from '../events.js';

import { ZActivityKind, ZActivitySubject, ZEntityId, ZIsoDateTime } from './fields.js';

export { ZActivityKind, ZActivitySubject };

export const ACTIVITY_TOPIC = 'facilities.activity.v1';

export type ActivityKind = z.infer<typeof ZActivityKind>;

export const ZActivitySnapshot = z.object({
  activityId: ZEntityId,
  facilityId: ZEntityId,
  kind: ZActivityKind,
  subject: ZActivitySubject.optional(),
  title: z.string().min(1).max(100),
  startsAt: ZIsoDateTime,
  endsAt: ZIsoDateTime,
  /** Enrolled children who attended (registry childIds). */
  attendeeChildIds: z.array(ZEntityId),
  /** Volunteers present (volunteers.volunteer.v1 ids); empty when none was recorded. */
  volunteerIds: z.array(ZEntityId),
  /** Everyone who attended, children and others (≥ attendeeChildIds.length). */
  attendeeCount: z.number().int().nonnegative(),
  /** The volunteers.event.v1 event this activity mirrors, when it came from one. */
  volunteerEventId: ZEntityId.optional(),
  status: z.enum(['logged', 'cancelled']),
});
export type ActivitySnapshot = z.infer<typeof ZActivitySnapshot>;

export const ZActivityLoggedData = ZActivitySnapshot;
export const ActivityLogged = defineEvent({
  type: 'facilities.activity.logged',
  version: 1,
  topic: ACTIVITY_TOPIC,
  data: ZActivityLoggedData,
  description:
    'An activity at a home was logged with its attendees (counselling sessions: attendees only, no content).',
});

export const ZCorrectionReason = z.enum(['wrong_time', 'wrong_attendees', 'wrong_kind', 'wrong_details', 'other']);
export const ZActivityCorrectedData = ZActivitySnapshot.extend({ reason: ZCorrectionReason });
export const ActivityCorrected = defineEvent({
  type: 'facilities.activity.corrected',
  version: 1,
  topic: ACTIVITY_TOPIC,
  data: ZActivityCorrectedData,
  description:
    'A logged activity was corrected; the event carries the corrected activity (history stays in the service).',
});

export const ZCancellationReason = z.enum(['logged_in_error', 'duplicate', 'did_not_take_place', 'other']);
export const ZActivityCancelledData = ZActivitySnapshot.extend({ reason: ZCancellationReason });
export const ActivityCancelled = defineEvent({
  type: 'facilities.activity.cancelled',
  version: 1,
  topic: ACTIVITY_TOPIC,
  data: ZActivityCancelledData,
  description: 'A logged activity was cancelled (status cancelled); consumers stop counting it.',
});

export const activityEvents = [ActivityLogged, ActivityCorrected, ActivityCancelled] as const;
