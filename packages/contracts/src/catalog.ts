/**
 * Every topic and every published event version of the platform, in one place: the bus creates the
 * topics from `ALL_TOPICS`, infra/k8s generates KafkaTopic resources from it, the compatibility
 * check and the AsyncAPI document walk `ALL_EVENTS`.
 */
import { donationsTopics } from './donations/index.js';
import { type EventDefinition, eventKey } from './events.js';
import { facilitiesTopics } from './facilities/index.js';
import { gatewayTopics } from './gateway/index.js';
import { registryTopics } from './registry/index.js';
import type { TopicDeclaration } from './topics.js';
import { volunteersTopics } from './volunteers/index.js';

export const ALL_TOPICS: TopicDeclaration[] = [
  ...registryTopics,
  ...facilitiesTopics,
  ...donationsTopics,
  ...volunteersTopics,
  ...gatewayTopics,
];

export const ALL_EVENTS: EventDefinition[] = ALL_TOPICS.flatMap((topic) => [...topic.events]);

const byKey = new Map<string, EventDefinition>();
for (const event of ALL_EVENTS) {
  const key = eventKey(event.type, event.version);
  if (byKey.has(key)) throw new Error(`event ${key} is declared twice`);
  byKey.set(key, event);
}

/** The definition of `type` at schema `version`, or undefined when no such event is published. */
export function findEvent(type: string, version: number): EventDefinition | undefined {
  return byKey.get(eventKey(type, version));
}

/** The topic a definition is published on. */
export function topicOf(event: EventDefinition): TopicDeclaration | undefined {
  return ALL_TOPICS.find((topic) => topic.name === event.topic);
}
