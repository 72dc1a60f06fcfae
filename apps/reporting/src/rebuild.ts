/**
 * Rebuild the read models from scratch: drop them, move the consumer group back to the earliest
 * offset of every topic, and replay until the group has caught up. The service must not be
 * consuming with the same group meanwhile (Kafka refuses to move a group with live members).
 */
import type { BusLogger } from '@tongxin/bus';
import type { EventEnvelope } from '@tongxin/contracts';
import type { Kafka } from 'kafkajs';

import { createReportingConsumer, SUBSCRIPTIONS } from './messaging/projections.js';
import { dropReadModels, type ReadModels } from './read-models/models.js';

export interface RebuildOptions {
  kafka: Kafka;
  models: ReadModels;
  groupId: string;
  /** false: keep the read models and only replay (idempotence check). Default true. */
  drop?: boolean;
  accept?: (event: EventEnvelope) => boolean;
  logger?: BusLogger;
  /** See createReportingConsumer (the benchmark's baseline replays 'per-event'). */
  propagate?: 'batched' | 'per-event';
  timeoutMs?: number;
  progress?: (line: string) => void;
}

export async function resetToEarliest(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const { topic } of SUBSCRIPTIONS) await admin.resetOffsets({ groupId, topic, earliest: true });
  } finally {
    await admin.disconnect();
  }
}

export async function rebuild(options: RebuildOptions): Promise<{ processed: number; ms: number }> {
  const started = Date.now();
  const say = options.progress ?? (() => {});
  if (options.drop ?? true) {
    await dropReadModels(options.models.Children.db);
    say('read models dropped');
  }
  await resetToEarliest(options.kafka, options.groupId);
  say(`group ${options.groupId} reset to the earliest offsets`);
  const consumer = createReportingConsumer({
    kafka: options.kafka,
    models: options.models,
    groupId: options.groupId,
    ...(options.accept ? { accept: options.accept } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.propagate ? { propagate: options.propagate } : {}),
  });
  await consumer.start();
  try {
    const deadline = started + (options.timeoutMs ?? 30 * 60_000);
    for (;;) {
      const lag = await consumer.lag();
      if (lag === 0) break;
      if (Date.now() > deadline) throw new Error(`rebuild did not catch up in time (lag ${lag})`);
      say(`replaying… ${consumer.stats.processed} events, lag ${lag}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await consumer.stop();
  }
  return { processed: consumer.stats.processed, ms: Date.now() - started };
}
