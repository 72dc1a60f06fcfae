/**
 * What facilities consumes (type@version on each topic). The projection consumer subscribes with
 * exactly these (src/messaging/projections.ts), and `npm run contracts:check` reads this file to
 * name facilities when a producer's change would break it.
 */
import { declareConsumer } from '@tongxin/contracts/consumers';
import { DONATION_TOPIC, donationEvents } from '@tongxin/contracts/donations';
import { CHILD_TOPIC, childEvents } from '@tongxin/contracts/registry';
import {
  VOLUNTEER_EVENT_TOPIC,
  VOLUNTEER_TOPIC,
  volunteerEventEvents,
  volunteerEvents,
} from '@tongxin/contracts/volunteers';

export const CONSUMES = declareConsumer('facilities', [
  { topic: CHILD_TOPIC, events: childEvents },
  { topic: VOLUNTEER_TOPIC, events: volunteerEvents },
  { topic: DONATION_TOPIC, events: donationEvents },
  // Volunteer organisations' events held at a home, mirrored into its activity log.
  { topic: VOLUNTEER_EVENT_TOPIC, events: volunteerEventEvents },
]);
