/**
 * Every topic of the platform, declared once. The bus creates them (`ensureTopics`; auto-creation
 * is off on the broker), infra/k8s generates Strimzi KafkaTopic resources from them, and the
 * AsyncAPI document lists them. Key = aggregate id, so one aggregate's events stay in order.
 */
import type { EventDefinition } from './events.js';

export interface TopicDeclaration {
  name: string;
  /** The service that owns and alone publishes to it. */
  producer: 'registry' | 'facilities' | 'donations' | 'volunteers' | 'gateway' | 'reporting';
  /** What the message key is (always the aggregate id). */
  key: string;
  partitions: number;
  /** -1 keeps events for ever: read models are rebuilt by replaying topics from the start. */
  retentionMs: number;
  description: string;
  events: readonly EventDefinition[];
}

export function defineTopic(declaration: TopicDeclaration): TopicDeclaration {
  for (const event of declaration.events) {
    if (event.topic !== declaration.name) {
      throw new Error(`event ${event.type}@${event.version} names topic ${event.topic}, not ${declaration.name}`);
    }
  }
  return declaration;
}

/** Dead letters of one consumer group for one topic. */
export const deadLetterTopic = (topic: string, group: string): string => `${topic}.dlq.${group}`;

/** Retention of dead-letter topics: long enough to be looked at and replayed (30 days). */
export const DEAD_LETTER_RETENTION_MS = 30 * 24 * 3600 * 1000;
