/** Events the registry service publishes (`@tongxin/contracts/registry`). */
import { defineTopic, type TopicDeclaration } from '../topics.js';

import { CASE_TOPIC, caseEvents } from './case.js';
import { CHILD_TOPIC, childEvents } from './child.js';
import { REPORT_TOPIC, reportEvents } from './mandatory-report.js';

export * from './case.js';
export * from './child.js';
export * from './mandatory-report.js';

const FOREVER = -1;

export const registryTopics: readonly TopicDeclaration[] = [
  defineTopic({
    name: CHILD_TOPIC,
    producer: 'registry',
    key: 'childId',
    partitions: 3,
    retentionMs: FOREVER,
    description: 'Children on the register: registered, updated, categorised, guardian assigned, exited.',
    events: childEvents,
  }),
  defineTopic({
    name: CASE_TOPIC,
    producer: 'registry',
    key: 'caseId',
    partitions: 3,
    retentionMs: FOREVER,
    description: 'Cases opened for children and their progress to resolution or closure.',
    events: caseEvents,
  }),
  defineTopic({
    name: REPORT_TOPIC,
    producer: 'registry',
    key: 'reportId',
    partitions: 3,
    retentionMs: FOREVER,
    description: 'Mandatory reports (强制报告): received, acknowledged, linked to a child, dismissed.',
    events: reportEvents,
  }),
];
