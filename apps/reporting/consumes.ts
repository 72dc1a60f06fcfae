/**
 * What reporting consumes (type@version on each topic): every topic of registry, facilities,
 * donations and volunteers that feeds a read model. The reporting consumer and the rebuild by
 * replay subscribe with exactly these (src/messaging/projections.ts), and `npm run contracts:check`
 * reads this file to name reporting when a producer's change would break it.
 */
import { declareConsumer } from '@tongxin/contracts/consumers';
import { DONATION_TOPIC, donationEvents } from '@tongxin/contracts/donations';
import {
  ACTIVITY_TOPIC,
  activityEvents,
  ENROLMENT_TOPIC,
  enrolmentEvents,
  FACILITY_TOPIC,
  facilityEvents,
} from '@tongxin/contracts/facilities';
import {
  CASE_TOPIC,
  caseEvents,
  CHILD_TOPIC,
  childEvents,
  REPORT_TOPIC,
  reportEvents,
} from '@tongxin/contracts/registry';
import { VOLUNTEER_EVENT_TOPIC, volunteerEventEvents } from '@tongxin/contracts/volunteers';

export const CONSUMES = declareConsumer('reporting', [
  { topic: CHILD_TOPIC, events: childEvents },
  { topic: CASE_TOPIC, events: caseEvents },
  { topic: REPORT_TOPIC, events: reportEvents },
  { topic: FACILITY_TOPIC, events: facilityEvents },
  { topic: ENROLMENT_TOPIC, events: enrolmentEvents },
  { topic: ACTIVITY_TOPIC, events: activityEvents },
  { topic: DONATION_TOPIC, events: donationEvents },
  { topic: VOLUNTEER_EVENT_TOPIC, events: volunteerEventEvents },
]);
