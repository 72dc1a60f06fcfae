/**
 * `facilities.enrolment.v1`: a child's enrolment at a home. Key = enrolmentId: an enrolment is its
 * own aggregate (enrolled → left), so its events stay in order and a projection keyed by
 * enrolmentId + sequence applies each alone. A child's enrolments at different homes may sit on
 * different partitions: consumers wanting "the child's current home" compare dates, not offsets.
 * The personal file (个人档案) and counselling records never leave the service.
 */
import { z } from 'zod';

import { defineEvent } from '../events.js';

import { ZEntityId, ZIsoDate } from './fields.js';

export const ENROLMENT_TOPIC = 'facilities.enrolment.v1';

export const ZEnrolmentSnapshot = z.object({
  enrolmentId: ZEntityId,
  facilityId: ZEntityId,
  childId: ZEntityId,
  status: z.enum(['enrolled', 'left']),
  enrolledOn: ZIsoDate,
  leftOn: ZIsoDate.optional(),
});
export type EnrolmentSnapshot = z.infer<typeof ZEnrolmentSnapshot>;

export const ZChildEnrolledData = ZEnrolmentSnapshot;
export const ChildEnrolled = defineEvent({
  type: 'facilities.enrolment.child_enrolled',
  version: 1,
  topic: ENROLMENT_TOPIC,
  data: ZChildEnrolledData,
  description: "A child was enrolled at a children's home.",
});

export const ZChildLeftReason = z.enum([
  'moved_away',
  'aged_out',
  'parents_returned',
  'transferred',
  'child_exited_register',
  'other',
]);
export const ZChildLeftData = ZEnrolmentSnapshot.extend({ leftOn: ZIsoDate, reason: ZChildLeftReason });
export const ChildLeft = defineEvent({
  type: 'facilities.enrolment.child_left',
  version: 1,
  topic: ENROLMENT_TOPIC,
  data: ZChildLeftData,
  description: "A child left a children's home (reason code).",
});

export const enrolmentEvents = [ChildEnrolled, ChildLeft] as const;
