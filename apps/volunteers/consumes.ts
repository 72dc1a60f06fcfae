/**
 * What volunteers consumes (type@version on each topic). The projection consumer subscribes with
 * exactly these (src/messaging/projections.ts), and `npm run contracts:check` reads this file to
 * name volunteers when a producer's change would break it.
 */
import { declareConsumer } from '@tongxin/contracts/consumers';
import { FACILITY_TOPIC, facilityEvents } from '@tongxin/contracts/facilities';
import { CHILD_TOPIC, childEvents } from '@tongxin/contracts/registry';

export const CONSUMES = declareConsumer('volunteers', [
  { topic: CHILD_TOPIC, events: childEvents },
  { topic: FACILITY_TOPIC, events: facilityEvents },
]);
