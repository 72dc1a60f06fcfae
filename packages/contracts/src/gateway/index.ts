/** Audit records collected by the gateway. */
import { defineTopic, type TopicDeclaration } from '../topics.js';

import { AUDIT_TOPIC, auditEvents } from './audit.js';

export * from './audit.js';

export const gatewayTopics: readonly TopicDeclaration[] = [
  defineTopic({
    name: AUDIT_TOPIC,
    producer: 'gateway',
    key: 'resourceId',
    partitions: 3,
    retentionMs: -1,
    description:
      'Keyed by the audited resource id. Audit records from every service, collected by the gateway into its hash-chained log. Consumers de-duplicate by event id.',
    events: auditEvents,
  }),
];
