/**
 * `@tongxin/bus/testing`: helpers for integration tests of a service against the real broker.
 * - `eventStandIn`: publishes another service's events exactly as that service does — its envelope,
 *   the aggregate id as key and subject, and a per-aggregate sequence — so a test can play the
 *   registry, facilities, donations or volunteers side of a contract without importing their code.
 * - `observeTopics`: reads what a service publishes with a consumer group of its own.
 * - `goldenMessagesFor`: the producers' golden fixtures of what a consumer declares it reads.
 */
import { newEventId, toKafkaRecord, type EventDefinition, type EventEnvelope } from '@tongxin/contracts';
import { GOLDEN_FIXTURES_DIR, readFixtures } from '@tongxin/contracts/compat';
import { consumedTopics, type ConsumerDeclaration } from '@tongxin/contracts/consumers';
import type { Kafka, KafkaMessage } from 'kafkajs';

import { createConsumer, type ConsumerRunner } from './kafka/consumer.js';
import { KafkaPublisher } from './kafka/publisher.js';

export interface EventStandIn {
  /** Publishes one event about `subject`; its sequence follows the previous one for that subject. */
  publish(
    topic: string,
    subject: string,
    type: string,
    data: unknown,
    /** `version`: the event's schema version (default 1). */
    options?: { source?: string; time?: string; version?: number },
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
        version: options.version ?? 1,
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

export interface GoldenMessage {
  /** `type@version` */
  key: string;
  type: string;
  sequence: number;
  /** The fixture's file name. */
  fixture: string;
  /** The topic the consumer reads it from, as its declaration says. */
  topic: string;
  /** The fixture as the consumer's Kafka client delivers it (Buffer key, value and headers). */
  message: KafkaMessage;
  /** The fixture's body and subject, for the test's expectations. */
  body: Record<string, unknown>;
  subject: string;
}

/**
 * Every producer's golden fixture (packages/contracts/fixtures) of every event version a consumer
 * declares (apps/<service>/consumes.ts), as Kafka messages: a consumer's contract test hands them
 * to its real runner's `handleMessage`, the same decode and validation path as in production.
 * They come in an order a consumer could receive them: by sequence, so each subject's events are
 * in the order they happened (the fixtures of one subject tell one story).
 */
export function goldenMessagesFor(declaration: ConsumerDeclaration): GoldenMessage[] {
  const topics = consumedTopics(declaration);
  return readFixtures(GOLDEN_FIXTURES_DIR)
    .filter((fixture) => topics.has(fixture.key))
    .map((fixture) => ({
      key: fixture.key,
      type: fixture.record.headers.ce_type ?? fixture.key.split('@')[0]!,
      sequence: Number(fixture.record.headers.ce_sequence),
      fixture: fixture.name,
      topic: topics.get(fixture.key)!,
      message: {
        key: Buffer.from(fixture.record.key),
        value: Buffer.from(JSON.stringify(fixture.record.body)),
        headers: Object.fromEntries(Object.entries(fixture.record.headers).map(([k, v]) => [k, Buffer.from(v)])),
        offset: '0',
        timestamp: String(Date.now()),
        attributes: 0,
      } as KafkaMessage,
      body: fixture.record.body as Record<string, unknown>,
      subject: fixture.record.key,
    }))
    .sort((a, b) => a.sequence - b.sequence || a.key.localeCompare(b.key) || a.fixture.localeCompare(b.fixture));
}
