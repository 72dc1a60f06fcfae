/**
 * What donations consumes (type@version on each topic). The projection consumer subscribes with
 * exactly these (src/messaging/projections.ts), and `npm run contracts:check` reads this file to
 * name donations when a producer's change would break it.
 */
import { declareConsumer } from '@tongxin/contracts/consumers';
import { FACILITY_TOPIC, facilityEvents } from '@tongxin/contracts/facilities';
import { CHILD_TOPIC, childEvents } from '@tongxin/contracts/registry';

export const CONSUMES = declareConsumer('donations', [
  { topic: FACILITY_TOPIC, events: facilityEvents },
  // The register's children, for bursaries (助学金) and small wishes (微心愿) allocated to one child.
  { topic: CHILD_TOPIC, events: childEvents },
]);
