/** Events the facilities service publishes (`@tongxin/contracts/facilities`). */
import { defineTopic, type TopicDeclaration } from '../topics.js';

import { ACTIVITY_TOPIC, activityEvents } from './activity.js';
import { ENROLMENT_TOPIC, enrolmentEvents } from './enrolment.js';
import { FACILITY_TOPIC, facilityEvents } from './facility.js';

export * from './activity.js';
export * from './enrolment.js';
export * from './facility.js';

const FOREVER = -1;

export const facilitiesTopics: readonly TopicDeclaration[] = [
  defineTopic({
    name: FACILITY_TOPIC,
    producer: 'facilities',
    key: 'facilityId',
    partitions: 3,
    retentionMs: FOREVER,
    description: "Children's homes: opened, updated, status changed, funding recorded, evaluated.",
    events: facilityEvents,
  }),
  defineTopic({
    name: ENROLMENT_TOPIC,
    producer: 'facilities',
    key: 'enrolmentId',
    partitions: 3,
    retentionMs: FOREVER,
    description:
      'Children enrolled at and leaving homes. Keyed by enrolmentId: one enrolment of one child at one home is the aggregate.',
    events: enrolmentEvents,
  }),
  defineTopic({
    name: ACTIVITY_TOPIC,
    producer: 'facilities',
    key: 'activityId',
    partitions: 3,
    retentionMs: FOREVER,
    description: 'The activity log of the homes: logged, corrected, cancelled.',
    events: activityEvents,
  }),
];
