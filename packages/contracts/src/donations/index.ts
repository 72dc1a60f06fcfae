/** Events the donations service publishes (`@tongxin/contracts/donations`). */
import { defineTopic, type TopicDeclaration } from '../topics.js';

import { DONATION_TOPIC, donationEvents } from './donation.js';

export * from './donation.js';

export const donationsTopics: readonly TopicDeclaration[] = [
  defineTopic({
    name: DONATION_TOPIC,
    producer: 'donations',
    key: 'donationId',
    partitions: 3,
    retentionMs: -1,
    description:
      'Donations of money and in-kind goods (books first): received, allocated, dispatched, acknowledged, cancelled.',
    events: donationEvents,
  }),
];
