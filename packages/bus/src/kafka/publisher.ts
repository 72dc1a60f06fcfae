/**
 * Publishes records in order with an idempotent producer and acks=all. After a failure the producer
 * is replaced: a broker that restarted no longer knows the old producer id, and a fresh one is the
 * reliable way back. Callers retry; the relay never removes events it could not publish.
 */
import type { KafkaRecord } from '@tongxin/contracts';
import type { Kafka, Producer } from 'kafkajs';

import { BusError } from '../errors.js';

export interface TopicRecord extends KafkaRecord {
  topic: string;
}

export class KafkaPublisher {
  private producer: Producer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: { idempotent?: boolean } = {},
  ) {}

  private async connected(): Promise<Producer> {
    if (!this.producer) {
      const idempotent = this.options.idempotent ?? true;
      const producer = this.kafka.producer({
        idempotent,
        // One request in flight keeps order even when a send is retried.
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  /** Sends every record, in the given order per partition, and resolves once all are acknowledged. */
  async publish(records: readonly TopicRecord[]): Promise<void> {
    if (records.length === 0) return;
    const byTopic = new Map<string, { key: string; value: Buffer; headers: Record<string, string> }[]>();
    for (const record of records) {
      const list = byTopic.get(record.topic) ?? [];
      list.push({ key: record.key, value: record.value, headers: record.headers });
      byTopic.set(record.topic, list);
    }
    try {
      const producer = await this.connected();
      await producer.sendBatch({
        acks: -1,
        timeout: 10_000,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (error) {
      await this.reset();
      throw new BusError(
        `publishing ${records.length} records failed: ${(error as Error).message}`,
        'publish_failed',
        true,
        {
          cause: error,
        },
      );
    }
  }

  async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => {});
  }

  async disconnect(): Promise<void> {
    await this.reset();
  }
}
