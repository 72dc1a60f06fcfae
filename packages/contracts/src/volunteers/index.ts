/** Events the volunteers service publishes (`@tongxin/contracts/volunteers`). */
import { defineTopic, type TopicDeclaration } from '../topics.js';

import { VOLUNTEER_TOPIC, volunteerEvents } from './volunteer.js';
import { VOLUNTEER_EVENT_TOPIC, volunteerEventEvents } from './volunteer-event.js';

export * from './volunteer-event.js';
export * from './volunteer.js';

const FOREVER = -1;

export const volunteersTopics: readonly TopicDeclaration[] = [
  defineTopic({
    name: VOLUNTEER_TOPIC,
    producer: 'volunteers',
    key: 'volunteerId',
    partitions: 3,
    retentionMs: FOREVER,
    description: 'Volunteers: registered, safeguarding clearance changed (status and expiry only).',
    events: volunteerEvents,
  }),
  defineTopic({
    name: VOLUNTEER_EVENT_TOPIC,
    producer: 'volunteers',
    key: 'eventId',
    partitions: 3,
    retentionMs: FOREVER,
    description: 'Volunteer events (camps, classes, visits): created, participants, attendance, hours, closed.',
    events: volunteerEventEvents,
  }),
];
