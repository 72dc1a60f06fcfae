/**
 * The consumer runner. For every message: decode the envelope, find the producer's definition of
 * its type@version (unknown types are counted and skipped), validate the data (unknown fields
 * stripped), run the handler with retries and backoff. A message that fails validation, fails with
 * a non-retriable error, or still fails after `maxAttempts` goes to `<topic>.dlq.<group>` with its
 * error, and the partition moves on. If that dead-letter write fails, the offset is not committed
 * and the message comes back. Database or broker outages are retried for as long as they last
 * (dead-lettering a whole stream during an outage would be wrong).
 */
import {
  context,
  metrics,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type TextMapGetter,
} from '@opentelemetry/api';
import {
  deadLetterTopic,
  DEAD_LETTER_RETENTION_MS,
  fromKafkaRecord,
  headersToStrings,
  readHeader,
  type EventDefinition,
  type EventEnvelope,
} from '@tongxin/contracts';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';

import { isInfrastructureUnavailable, isRetriable } from '../errors.js';
import { forgetProjectionSequences, withDeferredProjections } from '../projection.js';
import { silentLogger, type BusLogger } from './client.js';
import { KafkaPublisher } from './publisher.js';
import { ensureTopics } from './topics.js';

export interface HandlerContext {
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
}

export type EventHandler = (event: EventEnvelope<never>, ctx: HandlerContext) => Promise<void>;

export interface Subscription {
  topic: string;
  /** The producer's definitions this consumer reads (any versions it understands). */
  events: readonly EventDefinition[];
}

export interface ConsumerOptions {
  kafka: Kafka;
  groupId: string;
  subscriptions: readonly Subscription[];
  /** By event type; an event type without a handler is acknowledged and skipped. */
  handlers: Record<string, EventHandler>;
  maxAttempts?: number;
  backoff?: { initialMs?: number; maxMs?: number };
  /**
   * Where a NEW group (no committed offsets) starts: the beginning of each topic (default, so a new
   * service or a rebuilt read model sees all history) or its end. Default taken from the
   * environment `KAFKA_NEW_GROUPS_FROM` (`earliest` | `latest`): whole-platform tests on a shared
   * development Kafka start their throwaway groups at the end instead of replaying every other run.
   */
  fromBeginning?: boolean;
  logger?: BusLogger;
  /**
   * Called before the offsets of handled messages are marked done, so before they can be committed
   * (about once a second during a batch, and at its end): a consumer whose handlers defer their
   * writes makes them durable here. When it throws, those offsets stay unmarked and the messages
   * are delivered again.
   */
  beforeCommit?: () => Promise<void>;
  /**
   * How many partitions' batches are handled at once (default 1). Each partition's messages stay in
   * order, and an aggregate's events share a partition (keyed by subject), so its events stay in
   * order; events of different aggregates may then be handled at the same moment. Only for handlers
   * that are safe so: `applyProjection` and `applyOnce` are (they serialise per document), and
   * `beforeCommit` must tolerate being called from two batches at once. `'all'`: as many as the
   * subscribed topics have partitions, read from the broker when the consumer (re)connects.
   */
  partitionsConcurrently?: number | 'all';
  /**
   * Told the message keys (aggregate ids) of each batch before its messages are handled, so that a
   * consumer reading one document per aggregate can read the batch's documents together instead
   * of one after another. A hint: nothing waits for it, and what it does must not change what the
   * handlers decide.
   */
  prefetch?: (topic: string, keys: string[]) => void;
  /**
   * Defer `applyProjection` writes within a batch: events of one document are decided as they come
   * and written as one merged write per document before any offset is marked done (see
   * `withDeferredProjections`). Only for handlers that do not read, in the same batch, projection
   * documents they have applied to.
   */
  deferProjections?: boolean;
  /** A consumer that makes no progress for this long while lag > 0 is restarted. */
  stallTimeoutMs?: number;
  watchdogIntervalMs?: number;
  sessionTimeoutMs?: number;
}

export interface ConsumerStats {
  processed: number;
  skippedUnknown: number;
  deadLettered: number;
  retries: number;
  restarts: number;
}

export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  error: string;
  errorCode: string;
  attempts: number;
  failedAt: string;
  originalTopic: string;
  originalPartition: number;
  originalOffset: string;
  eventType?: string;
  eventId?: string;
}

const meter = metrics.getMeter('@tongxin/bus');
const processedCounter = meter.createCounter('tongxin_consumer_messages_total', {
  description: 'messages handled, by outcome',
});
const handleHistogram = meter.createHistogram('tongxin_consumer_handle_ms', {
  description: 'handler time per message',
  unit: 'ms',
});
const tracer = trace.getTracer('@tongxin/bus');

const DLQ_HEADERS = [
  'dlq_error',
  'dlq_error_code',
  'dlq_attempts',
  'dlq_failed_at',
  'dlq_group',
  'dlq_original_topic',
  'dlq_original_partition',
  'dlq_original_offset',
];

class PoisonMessage extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Lets OpenTelemetry's propagators read a trace context straight from a Kafka message's headers. */
const kafkaHeaderGetter: TextMapGetter<NonNullable<KafkaMessage['headers']>> = {
  get: (headers, name) => readHeader(headers, name) || undefined,
  keys: (headers) => Object.keys(headers),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ConsumerRunner {
  readonly name: string;
  readonly stats: ConsumerStats = { processed: 0, skippedUnknown: 0, deadLettered: 0, retries: 0, restarts: 0 };
  private consumer: Consumer | undefined;
  private readonly dlqPublisher: KafkaPublisher;
  /** By type, then version: looked up per message without building a "type@version" string. */
  private readonly definitions = new Map<string, Map<number, EventDefinition>>();
  private readonly logger: BusLogger;
  private running = false;
  private joined = false;
  private crashed = false;
  private lastProgress = Date.now();
  private watchdog: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;

  /** Metric attributes, built once instead of per message. */
  private readonly processedAttributes: { group: string; outcome: string };
  private readonly typeAttributes = new Map<string, { group: string; type: string }>();

  constructor(private readonly options: ConsumerOptions) {
    this.name = `consumer:${options.groupId}`;
    this.processedAttributes = { group: options.groupId, outcome: 'processed' };
    this.logger = options.logger ?? silentLogger;
    // Dead letters are plain records (no ordering across partitions to protect).
    this.dlqPublisher = new KafkaPublisher(options.kafka, { idempotent: false });
    for (const subscription of options.subscriptions) {
      for (const definition of subscription.events) {
        let versions = this.definitions.get(definition.type);
        if (!versions) this.definitions.set(definition.type, (versions = new Map()));
        versions.set(definition.version, definition);
      }
    }
  }

  get groupId(): string {
    return this.options.groupId;
  }

  deadLetterTopics(): string[] {
    return this.options.subscriptions.map((s) => deadLetterTopic(s.topic, this.options.groupId));
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await ensureTopics(
      this.options.kafka,
      this.deadLetterTopics().map((name) => ({ name, partitions: 1, retentionMs: DEAD_LETTER_RETENTION_MS })),
    );
    await this.connectAndRun();
    const interval = this.options.watchdogIntervalMs ?? 15_000;
    this.watchdog = setInterval(() => void this.checkStalled(), interval);
    this.watchdog.unref();
  }

  /** Finishes the current message, commits, leaves the group. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.watchdog) clearInterval(this.watchdog);
    await this.restarting;
    await this.consumer?.disconnect();
    this.consumer = undefined;
    this.joined = false;
    await this.dlqPublisher.disconnect();
  }

  ready(): boolean {
    return this.running && this.joined && !this.crashed;
  }

  private async connectAndRun(): Promise<void> {
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3000,
      allowAutoTopicCreation: false,
      retry: { retries: 10 },
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      // Partitions may have moved between members: what this process wrote is no longer all there is.
      forgetProjectionSequences();
      this.joined = true;
      this.crashed = false;
      this.lastProgress = Date.now();
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.crashed = !event.payload.restart;
      this.joined = false;
      this.logger.error({ err: event.payload.error?.message, group: this.options.groupId }, 'consumer crashed');
    });
    await consumer.connect();
    for (const subscription of this.options.subscriptions) {
      await consumer.subscribe({
        topic: subscription.topic,
        fromBeginning: this.options.fromBeginning ?? newGroupsFromBeginning(),
      });
    }
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 1000,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: await this.concurrency(),
      eachBatch: (payload) => this.eachBatch(payload),
    });
    this.consumer = consumer;
  }

  /** Batches handled at once: the option, or with `'all'` the subscribed topics' partitions on the broker. */
  private async concurrency(): Promise<number> {
    const wanted = this.options.partitionsConcurrently ?? 1;
    if (wanted !== 'all') return wanted;
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: this.options.subscriptions.map((s) => s.topic) });
      return Math.max(
        1,
        topics.reduce((sum, topic) => sum + topic.partitions.length, 0),
      );
    } finally {
      await admin.disconnect();
    }
  }

  private eachBatch(payload: EachBatchPayload): Promise<void> {
    if (!this.options.deferProjections) return this.handleBatch(payload, async () => {});
    return withDeferredProjections((writeProjections) => this.handleBatch(payload, writeProjections));
  }

  /** `writeProjections`: makes what the handled messages did durable, before their offsets are marked done. */
  private async handleBatch(
    { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload,
    writeProjections: () => Promise<void>,
  ): Promise<void> {
    let lastBeat = Date.now();
    // Offsets are resolved (marked done) only before a commit can happen: at each heartbeat, at the
    // end of the batch, and when the batch stops early. Nothing reads them in between, and kafkajs's
    // resolveOffset costs as much per message as our own envelope checks.
    let done: string | undefined;
    this.options.prefetch?.(
      batch.topic,
      batch.messages.flatMap((m) => (m.key ? [m.key.toString()] : [])),
    );
    // isStale (a seek asked for this partition) is checked where the runner pauses, not per
    // message: only consumer.seek() makes a batch stale, the runner never seeks, and kafkajs's
    // check (a JSON key looked up in a Map) cost a tenth of the runner's time per message.
    if (isStale()) return;
    try {
      for (const message of batch.messages) {
        if (!isRunning()) return;
        await this.handleMessage(batch.topic, batch.partition, message, heartbeat);
        done = message.offset;
        this.lastProgress = Date.now();
        // Heartbeat and offer a commit about once a second, not after every message.
        if (this.lastProgress - lastBeat >= 1000) {
          if (isStale()) return;
          await writeProjections();
          await this.options.beforeCommit?.();
          lastBeat = Date.now();
          resolveOffset(done);
          done = undefined;
          await heartbeat();
          await commitOffsetsIfNecessary();
        }
      }
    } finally {
      if (done !== undefined && !isStale()) {
        await writeProjections();
        await this.options.beforeCommit?.();
        resolveOffset(done);
      }
    }
  }

  /** Decodes, validates and handles one message; dead-letters it when it cannot be handled. */
  async handleMessage(
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<'processed' | 'skipped' | 'dead-lettered'> {
    let event: EventEnvelope;
    let handler: EventHandler | undefined;
    try {
      event = fromKafkaRecord(message);
      const definition = this.definitions.get(event.type)?.get(event.version);
      if (!definition) {
        this.stats.skippedUnknown += 1;
        processedCounter.add(1, { group: this.options.groupId, outcome: 'unknown_type' });
        return 'skipped';
      }
      const parsed = definition.data.safeParse(event.data);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; ');
        throw new PoisonMessage(
          `${event.type}@${event.version} ${event.id} does not match its schema: ${issues}`,
          'schema_validation',
        );
      }
      event.data = parsed.data; // our own envelope, just decoded: no copy
      handler = this.options.handlers[event.type];
      if (!handler) {
        processedCounter.add(1, { group: this.options.groupId, outcome: 'no_handler' });
        return 'skipped';
      }
    } catch (error) {
      const code = error instanceof PoisonMessage ? error.code : 'invalid_envelope';
      await this.deadLetter(topic, partition, message, (error as Error).message, code, 1);
      return 'dead-lettered';
    }

    const parent = propagation.extract(ROOT_CONTEXT, message.headers ?? {}, kafkaHeaderGetter);
    const maxAttempts = this.options.maxAttempts ?? 5;
    const initial = this.options.backoff?.initialMs ?? 200;
    const max = this.options.backoff?.maxMs ?? 5000;
    for (let attempt = 1; ; attempt += 1) {
      const started = Date.now();
      const span = tracer.startSpan(`${topic} process`, { kind: SpanKind.CONSUMER }, parent);
      const handlerContext: HandlerContext = { topic, partition, offset: message.offset, attempt, heartbeat };
      let outcome: { ok: true } | { ok: false; error: unknown };
      try {
        const recording = span.isRecording();
        // Attributes only for a span that is recorded (tracing on), not for every message.
        if (recording) span.setAttributes(this.spanAttributes(topic, partition, message, event));
        if (!recording && parent === ROOT_CONTEXT && context.active() === ROOT_CONTEXT) {
          // No trace to continue and none recorded: the same as running it inside the span, cheaper.
          await handler!(event as EventEnvelope<never>, handlerContext);
        } else {
          await context.with(
            trace.setSpan(parent, span),
            handler!,
            undefined,
            event as EventEnvelope<never>,
            handlerContext,
          );
        }
        span.setStatus({ code: SpanStatusCode.OK });
        outcome = { ok: true };
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        outcome = { ok: false, error };
      } finally {
        span.end();
      }
      let typeAttributes = this.typeAttributes.get(event.type);
      if (!typeAttributes) {
        typeAttributes = { group: this.options.groupId, type: event.type };
        this.typeAttributes.set(event.type, typeAttributes);
      }
      handleHistogram.record(Date.now() - started, typeAttributes);
      if (outcome.ok) {
        this.stats.processed += 1;
        processedCounter.add(1, this.processedAttributes);
        return 'processed';
      }
      const error = outcome.error as Error & { code?: string };
      const unavailable = isInfrastructureUnavailable(error);
      if (!unavailable && (!isRetriable(error) || attempt >= maxAttempts)) {
        await this.deadLetter(
          topic,
          partition,
          message,
          error.message,
          error.code ?? error.name ?? 'handler_failed',
          attempt,
        );
        return 'dead-lettered';
      }
      if (!this.running) throw error; // stopping: leave it uncommitted for the next owner
      this.stats.retries += 1;
      this.logger.warn(
        { err: error.message, type: event.type, attempt, group: this.options.groupId },
        'handler failed; retrying',
      );
      const delay = Math.min(initial * 2 ** (attempt - 1), max);
      // Sleep in slices, heartbeating, so a long backoff does not cost the group membership.
      for (let waited = 0; waited < delay; waited += 1000) {
        await sleep(Math.min(1000, delay - waited));
        await heartbeat().catch(() => {});
      }
    }
  }

  private spanAttributes(topic: string, partition: number, message: KafkaMessage, event: EventEnvelope) {
    return {
      'messaging.system': 'kafka',
      'messaging.operation': 'process',
      'messaging.destination.name': topic,
      'messaging.kafka.destination.partition': partition,
      'messaging.kafka.message.offset': Number(message.offset),
      'messaging.kafka.consumer.group': this.options.groupId,
      'messaging.message.id': event.id,
      'tongxin.event.type': event.type,
    };
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: string,
    code: string,
    attempts: number,
  ): Promise<void> {
    const headers = headersToStrings(message.headers);
    for (const name of DLQ_HEADERS) delete headers[name];
    Object.assign(headers, {
      dlq_error: error.slice(0, 2000),
      dlq_error_code: code,
      dlq_attempts: String(attempts),
      dlq_failed_at: new Date().toISOString(),
      dlq_group: this.options.groupId,
      dlq_original_topic: topic,
      dlq_original_partition: String(partition),
      dlq_original_offset: message.offset,
    });
    // Throws when the broker refuses: the offset is then not committed and the message returns.
    await this.dlqPublisher.publish([
      {
        topic: deadLetterTopic(topic, this.options.groupId),
        key: message.key?.toString() ?? '',
        value: message.value ?? Buffer.alloc(0),
        headers,
      },
    ]);
    this.stats.deadLettered += 1;
    processedCounter.add(1, { group: this.options.groupId, outcome: 'dead_lettered' });
    this.logger.warn(
      { topic, partition, offset: message.offset, code, group: this.options.groupId },
      'message dead-lettered',
    );
  }

  /** Lag across the subscribed topics: high watermark minus committed offset. */
  async lag(): Promise<number> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      let total = 0;
      for (const { topic } of this.options.subscriptions) {
        const [committed, latest] = await Promise.all([
          admin.fetchOffsets({ groupId: this.options.groupId, topics: [topic] }),
          admin.fetchTopicOffsets(topic),
        ]);
        const done = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
        for (const p of latest) {
          const c = done.get(p.partition) ?? -1;
          total += Number(p.high) - (c < 0 ? Number(p.low) : c);
        }
      }
      return total;
    } finally {
      await admin.disconnect();
    }
  }

  /** The watchdog: kafkajs consumers can stall silently; one with lag and no progress restarts. */
  private async checkStalled(): Promise<void> {
    if (!this.running || this.restarting) return;
    const stallMs = this.options.stallTimeoutMs ?? 60_000;
    if (Date.now() - this.lastProgress < stallMs && !this.crashed) return;
    const lag = await this.lag().catch(() => 0);
    if (lag <= 0 && !this.crashed) {
      this.lastProgress = Date.now();
      return;
    }
    this.logger.warn({ group: this.options.groupId, lag }, 'consumer made no progress with lag; restarting');
    this.restarting = (async () => {
      await this.consumer?.disconnect().catch(() => {});
      this.joined = false;
      if (this.running) await this.connectAndRun();
      this.stats.restarts += 1;
      this.lastProgress = Date.now();
    })().finally(() => {
      this.restarting = undefined;
    });
    await this.restarting;
  }

  /**
   * Runs this group's dead letters through its handlers again (after a fix), through a separate
   * replay group, so other consumer groups of the topic see nothing twice. What fails again is
   * dead-lettered again. Returns counts.
   */
  async replayDeadLetters(options: { timeoutMs?: number } = {}): Promise<{ replayed: number; failedAgain: number }> {
    const result = { replayed: 0, failedAgain: 0 };
    for (const subscription of this.options.subscriptions) {
      const dlq = deadLetterTopic(subscription.topic, this.options.groupId);
      await drainTopic(
        this.options.kafka,
        dlq,
        `${this.options.groupId}.replay`,
        options.timeoutMs ?? 30_000,
        async (message) => {
          const headers = headersToStrings(message.headers);
          const original = {
            ...message,
            headers: Object.fromEntries(Object.entries(headers).filter(([name]) => !DLQ_HEADERS.includes(name))),
          };
          const outcome = await this.handleMessage(
            headers.dlq_original_topic ?? subscription.topic,
            Number(headers.dlq_original_partition ?? 0),
            original as KafkaMessage,
            async () => {},
          );
          if (outcome === 'dead-lettered') result.failedAgain += 1;
          else result.replayed += 1;
        },
      );
    }
    return result;
  }
}

/**
 * Consumes a topic with `groupId` from its committed position up to the high watermark seen at the
 * start, then stops. Used to list and to replay dead letters.
 */
async function drainTopic(
  kafka: Kafka,
  topic: string,
  groupId: string,
  timeoutMs: number,
  onMessage: (m: KafkaMessage, partition: number) => Promise<void>,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const [latest, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  await admin.disconnect();
  const target = new Map(latest.map((p) => [p.partition, Number(p.high)]));
  const committedAt = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
  // Where reading starts: the group's committed offset, or the oldest retained message.
  const position = new Map(
    latest.map((p) => [
      p.partition,
      (committedAt.get(p.partition) ?? -1) >= 0 ? committedAt.get(p.partition)! : Number(p.low),
    ]),
  );
  const remaining = () => [...target].some(([p, high]) => (position.get(p) ?? 0) < high);
  if (!remaining()) return;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let failure: unknown;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const message of batch.messages) {
          // Past the watermark seen at the start (e.g. letters that failed again during a replay):
          // left unresolved, so they stay for the next replay.
          if (Number(message.offset) >= (target.get(batch.partition) ?? 0)) break;
          try {
            await onMessage(message, batch.partition);
          } catch (error) {
            failure = error;
            resolve();
            return;
          }
          resolveOffset(message.offset);
          await heartbeat();
          position.set(batch.partition, Number(message.offset) + 1);
        }
        if (!remaining()) resolve();
      },
    });
  });
  const timer = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs));
  await Promise.race([done, timer]);
  await consumer.disconnect();
  if (failure) throw failure;
}

/** Lists a group's dead letters for a topic (newest last), without moving any group's offsets. */
export async function listDeadLetters(
  kafka: Kafka,
  topic: string,
  groupId: string,
  options: { timeoutMs?: number } = {},
): Promise<DeadLetter[]> {
  const dlq = deadLetterTopic(topic, groupId);
  const letters: DeadLetter[] = [];
  const reader = `${groupId}.dlq-list.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await drainTopic(kafka, dlq, reader, options.timeoutMs ?? 20_000, async (message, partition) => {
    const h = headersToStrings(message.headers);
    const letter: DeadLetter = {
      topic: dlq,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      error: h.dlq_error ?? '',
      errorCode: h.dlq_error_code ?? '',
      attempts: Number(h.dlq_attempts ?? 0),
      failedAt: h.dlq_failed_at ?? '',
      originalTopic: h.dlq_original_topic ?? topic,
      originalPartition: Number(h.dlq_original_partition ?? 0),
      originalOffset: h.dlq_original_offset ?? '',
    };
    if (h.ce_type) letter.eventType = h.ce_type;
    if (h.ce_id) letter.eventId = h.ce_id;
    letters.push(letter);
  });
  // The throwaway reader group is removed so listing leaves nothing behind.
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups([reader]).catch(() => {});
  await admin.disconnect();
  return letters;
}

export function createConsumer(options: ConsumerOptions): ConsumerRunner {
  return new ConsumerRunner(options);
}

function newGroupsFromBeginning(): boolean {
  const from = process.env.KAFKA_NEW_GROUPS_FROM ?? 'earliest';
  if (from !== 'earliest' && from !== 'latest')
    throw new Error(`KAFKA_NEW_GROUPS_FROM=${from} is not known: use "earliest" (default) or "latest"`);
  return from === 'earliest';
}
