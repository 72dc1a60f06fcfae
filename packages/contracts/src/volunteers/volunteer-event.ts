/**
 * `volunteers.event.v1`: events run by volunteer organisations (summer camps, classes, visits…).
 * Every event carries the event's snapshot with its registered and attending children, assigned
 * volunteers and confirmed hours, so reporting and the hosting home's activity log can apply any
 * one of them alone.
 */
import { z } from 'zod';

import { defineEvent } from '../events.js';

import { ZEntityId, ZIsoDate, ZRegionCode } from './fields.js';

export const VOLUNTEER_EVENT_TOPIC = 'volunteers.event.v1';

export const ZVolunteerEventKind = z.enum(['summer_camp', 'class', 'visit', 'care_event', 'other']);
export const ZVolunteerEventStatus = z.enum(['scheduled', 'closed']);

export const ZVolunteerHours = z.object({
  volunteerId: ZEntityId,
  /** Confirmed by the organiser, in minutes. */
  minutes: z.number().int().nonnegative(),
});

export const ZVolunteerEventSnapshot = z.object({
  eventId: ZEntityId,
  organisationId: ZEntityId,
  kind: ZVolunteerEventKind,
  title: z.string().min(1).max(100),
  startsOn: ZIsoDate,
  endsOn: ZIsoDate,
  /** Where it takes place: county, township or village code. */
  regionCode: ZRegionCode,
  /** The children's home hosting it, when it is held at one (facilities.facility.v1 id). */
  facilityId: ZEntityId.optional(),
  status: ZVolunteerEventStatus,
  /** Children registered (not wait-listed). */
  childIds: z.array(ZEntityId),
  volunteerIds: z.array(ZEntityId),
  attendedChildIds: z.array(ZEntityId),
  attendedVolunteerIds: z.array(ZEntityId),
  /** Confirmed hours so far, per volunteer. */
  hours: z.array(ZVolunteerHours),
});
export type VolunteerEventSnapshot = z.infer<typeof ZVolunteerEventSnapshot>;

export const ZVolunteerEventCreatedData = ZVolunteerEventSnapshot;
export const VolunteerEventCreated = defineEvent({
  type: 'volunteers.event.created',
  version: 1,
  topic: VOLUNTEER_EVENT_TOPIC,
  data: ZVolunteerEventCreatedData,
  description: 'An organisation published an event (summer camp, class, visit, care event).',
});

export const ZParticipant = z.object({ kind: z.enum(['child', 'volunteer']), id: ZEntityId });
export const ZParticipantRegisteredData = ZVolunteerEventSnapshot.extend({ participant: ZParticipant });
export const ParticipantRegistered = defineEvent({
  type: 'volunteers.event.participant_registered',
  version: 1,
  topic: VOLUNTEER_EVENT_TOPIC,
  data: ZParticipantRegisteredData,
  description: 'A child was signed up for, or a (cleared) volunteer assigned to, an event.',
});

export const ZAttendanceRecordedData = ZVolunteerEventSnapshot.extend({
  attendance: z.object({
    on: ZIsoDate,
    childIds: z.array(ZEntityId),
    volunteerIds: z.array(ZEntityId),
  }),
});
export const AttendanceRecorded = defineEvent({
  type: 'volunteers.event.attendance_recorded',
  version: 1,
  topic: VOLUNTEER_EVENT_TOPIC,
  data: ZAttendanceRecordedData,
  description: 'Attendance of children and volunteers was taken on a day of the event.',
});

export const ZHoursConfirmedData = ZVolunteerEventSnapshot.extend({ confirmed: z.array(ZVolunteerHours) });
export const HoursConfirmed = defineEvent({
  type: 'volunteers.event.hours_confirmed',
  version: 1,
  topic: VOLUNTEER_EVENT_TOPIC,
  data: ZHoursConfirmedData,
  description: 'The organiser confirmed volunteers’ hours (minutes per volunteer).',
});

export const ZVolunteerEventClosedData = ZVolunteerEventSnapshot.extend({
  closedOn: ZIsoDate,
  outcome: z.enum(['completed', 'cancelled']),
});
export const VolunteerEventClosed = defineEvent({
  type: 'volunteers.event.closed',
  version: 1,
  topic: VOLUNTEER_EVENT_TOPIC,
  data: ZVolunteerEventClosedData,
  description: 'An event was closed, completed or cancelled, with its final participants and hours.',
});

export const volunteerEventEvents = [
  VolunteerEventCreated,
  ParticipantRegistered,
  AttendanceRecorded,
  HoursConfirmed,
  VolunteerEventClosed,
] as const;
