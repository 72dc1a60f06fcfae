/**
 * `volunteers.volunteer.v1`: only what other services need about a volunteer — id, organisation,
 * display name and whether the safeguarding clearance (无犯罪记录证明 + training) lets them work with
 * children, until when. Contact data, the certificate's number and skills stay in the service.
 */
import { z } from 'zod';

import { defineEvent } from '../events.js';

import { ZEntityId, ZIsoDate } from './fields.js';

export const VOLUNTEER_TOPIC = 'volunteers.volunteer.v1';

export const ZClearanceStatus = z.enum(['pending', 'cleared', 'expired', 'revoked']);

export const ZVolunteerSnapshot = z.object({
  volunteerId: ZEntityId,
  organisationId: ZEntityId,
  /** The name to show (e.g. "刘老师" or a full name the volunteer agreed to show). */
  displayName: z.string().min(1).max(64),
  clearance: z.object({
    status: ZClearanceStatus,
    /** When a cleared certificate expires. */
    expiresOn: ZIsoDate.optional(),
  }),
  /** Cleared and trained: may be assigned to events involving children (until clearance.expiresOn). */
  clearedForChildren: z.boolean(),
});
export type VolunteerSnapshot = z.infer<typeof ZVolunteerSnapshot>;

export const ZVolunteerRegisteredData = ZVolunteerSnapshot;
export const VolunteerRegistered = defineEvent({
  type: 'volunteers.volunteer.registered',
  version: 1,
  topic: VOLUNTEER_TOPIC,
  data: ZVolunteerRegisteredData,
  description: 'A volunteer joined an organisation (display name and clearance status only).',
});

export const ZVolunteerClearanceChangedData = ZVolunteerSnapshot.extend({
  previousStatus: ZClearanceStatus,
  changedOn: ZIsoDate,
});
export const VolunteerClearanceChanged = defineEvent({
  type: 'volunteers.volunteer.clearance_changed',
  version: 1,
  topic: VOLUNTEER_TOPIC,
  data: ZVolunteerClearanceChangedData,
  description: "A volunteer's safeguarding clearance changed status (pending, cleared, expired, revoked).",
});

export const volunteerEvents = [VolunteerRegistered, VolunteerClearanceChanged] as const;
