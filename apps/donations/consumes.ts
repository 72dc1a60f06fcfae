/**
 * What donations consumes (type@version on each topic). The projection consumer subscribes with
 * exactly these (src/messaging/projections.ts), and `npm run contracts:check` reads this file to
 * name donations when a producer's change would break it.
 */
import { declareConsumer } from '@tongxin/contracts/consumers';
import { FACILITY_TOPIC, facilityEvents } from '@tongxin/contracts/facilities';

export const CONSUMES = declareConsumer('donations', [{ topic: FACILITY_TOPIC, events: facilityEvents }]);
