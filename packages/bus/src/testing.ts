/**
 * `@tongxin/bus/testing`: helpers for integration tests of a service against the real broker.
 * - `eventStandIn`: publishes another service's events exactly as that service does — its envelope,
 *   the aggregate id as key and subject, and a per-aggregate sequence — so a test can play the
 *   registry, facilities, donations or volunteers side of a contract without importing their code.
 * - `observeTopics`: reads what a service publishes with a consumer group of its own.
 */
import { newEventId, toKafkaRecord, type EventDefinition, type EventEnvelope } from '@tongxin/contracts';
import type { Kafka } from 'kafkajs';

import { createConsumer, type ConsumerRunner } from './kafka/consumer.js';
import { KafkaPublisher } from './kafka/publisher.js';

export interface EventStandIn {
  /** Publishes one event about `subject`; its sequence follows the previous one for that subject. */
  publish(
    topic: string,
    subject: string,
    type: string,
    data: unknown,
    options?: { source?: string; time?: string },
  ): Promise<EventEnvelope>;
  close(): Promise<void>;
}

export function eventStandIn(kafka: Kafka): EventStandIn {
  const publisher = new KafkaPublisher(kafka);
  const sequences = new Map<string, number>();
  return {
    async publish(topic, subject, type, data, options = {}) {
      const sequence = (sequences.get(subject) ?? 0) + 1;
      sequences.set(subject, sequence);
      const envelope: EventEnvelope = {
        id: newEventId(),
        type,
        version: 1,
        // The producer is the first segment of the type: "registry.child.registered" → registry.
        source: options.source ?? type.split('.')[0]!,
        subject,
        sequence,
        time: options.time ?? new Date().toISOString(),
        data,
      };
      await publisher.publish([{ topic, ...toKafkaRecord(envelope) }]);
      return envelope;
    },
    close: () => publisher.disconnect(),
  };
}

export interface ObservedEvents {
  runner: ConsumerRunner;
  /** Every event read, with its JSON as published (to search for what must never be there). */
  events: { envelope: EventEnvelope; raw: string }[];
  about(subject: string): { envelope: EventEnvelope; raw: string }[];
}

export async function observeTopics(
  kafka: Kafka,
  groupId: string,
  subscriptions: { topic: string; events: readonly EventDefinition[] }[],
): Promise<ObservedEvents> {
  const events: ObservedEvents['events'] = [];
  const collect = async (envelope: EventEnvelope) => {
    events.push({ envelope, raw: JSON.stringify(envelope) });
  };
  const runner = createConsumer({
    kafka,
    groupId,
    subscriptions,
    handlers: Object.fromEntries(subscriptions.flatMap((s) => s.events.map((d) => [d.type, collect]))),
  });
  await runner.start();
  return { runner, events, about: (subject) => events.filter((e) => e.envelope.subject === subject) };
}
