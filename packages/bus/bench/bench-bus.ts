/**
 * `npm run bench:bus` — what the bus costs, measured against the real local stack in one run.
 *
 *  (a) transport: our publisher + consumer runner vs raw kafkajs on the same records, no database.
 *  (b) reliability: outbox → relay → Kafka → consumer → idempotent projection vs a naive
 *      "write, then publish" / "consume, then write" path doing the same database writes.
 *  (c) end-to-end latency at a fixed rate: a paced open-loop generator, latency per event from just
 *      before the commit call to the moment the projection handler applied it (same process).
 *
 * Everything it creates (topics, groups, databases) has a unique name and is removed at the end.
 * Sizes are environment variables (BENCH_*), see `config` below. Writes docs-bench-draft.md.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { draft, newEventId, toKafkaRecord, type EventEnvelope, type KafkaRecord } from '@tongxin/contracts';
import type { Kafka, Producer } from 'kafkajs';
import mongoose, { type Connection, type Model } from 'mongoose';

import {
  applyProjection,
  commit,
  commitNew,
  createConsumer,
  createKafkaClient,
  createRelay,
  ensureTopics,
  KafkaPublisher,
  type ConsumerRunner,
  type OutboxRelay,
  type TopicRecord,
} from '../src/index.js';
import { createdData, defineBenchEvents, recordedData } from './events.js';
import {
  counterModel,
  counterViewModel,
  inParallel,
  type CounterDoc,
  type CounterView,
} from '../test/support/counter.js';

// ---------------------------------------------------------------------------------------------
// Configuration

const env = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
};

type ProjectionWrites = 'deferred' | 'per-event';

function latencyProjections(raw: string): ProjectionWrites[] {
  const list = raw.split(',').map((each) => each.trim());
  if (list.length === 0 || list.some((each) => each !== 'deferred' && each !== 'per-event'))
    throw new Error(`BENCH_LATENCY_PROJECTIONS must list "deferred" and/or "per-event", got "${raw}"`);
  return list as ProjectionWrites[];
}

const config = {
  brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:19092',
  mongodbUri: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027',
  // (a) transport
  transportMessages: env('BENCH_TRANSPORT_MESSAGES', 50_000),
  transportKeys: env('BENCH_TRANSPORT_KEYS', 200),
  batchSize: env('BENCH_BATCH_SIZE', 200), // the relay's default batch size
  consumerRounds: env('BENCH_CONSUMER_ROUNDS', 5),
  partitions: 3,
  // (b) reliability
  commands: env('BENCH_COMMANDS', 1000),
  aggregates: env('BENCH_AGGREGATES', 100),
  writers: env('BENCH_WRITERS', 8),
  // (c) latency
  latencyRate: env('BENCH_LATENCY_EVENTS_PER_S', 200),
  eventsPerCommand: env('BENCH_EVENTS_PER_COMMAND', 4),
  latencySeconds: env('BENCH_LATENCY_SECONDS', 30),
  warmupSeconds: env('BENCH_WARMUP_SECONDS', 5),
  latencyAggregates: env('BENCH_LATENCY_AGGREGATES', 100),
  drainTimeoutSeconds: env('BENCH_DRAIN_TIMEOUT_SECONDS', 30),
  /**
   * (c): how the consumer writes its projection, one line each at the target rate, the first also at
   * the sustainable rate. `deferred`: one merged write per document and batch (`deferProjections`, as
   * the donations and volunteers services run); `per-event`: one write per event.
   */
  latencyProjections: latencyProjections(process.env.BENCH_LATENCY_PROJECTIONS ?? 'deferred,per-event'),
  /** The relay's `coalesceMs` in (b) and (c); unset: the relay's default. */
  relayCoalesceMs: process.env.BENCH_RELAY_COALESCE_MS ? Number(process.env.BENCH_RELAY_COALESCE_MS) : undefined,
  /** The relay's `removeAfterMs` in (b) and (c) (0: remove at once); unset: the relay's default. */
  relayRemoveAfterMs: process.env.BENCH_RELAY_REMOVE_AFTER_MS
    ? Number(process.env.BENCH_RELAY_REMOVE_AFTER_MS)
    : undefined,
  /** The second latency run's rate, as a share of the outbox path's measured end-to-end events/s. */
  sustainableShare: env('BENCH_SUSTAINABLE_SHARE', 0.5),
};

const RUN = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const started = performance.now();
const since = () => `${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s`;
const log = (message: string) => console.log(`[${since()}] ${message}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const benchEvents = (topic: string) => defineBenchEvents(topic, config.partitions);
type BenchEvents = ReturnType<typeof benchEvents>;

// ---------------------------------------------------------------------------------------------
// Resources and cleanup

const verbose = process.env.BENCH_VERBOSE === '1';
const consoleLogger = {
  info: (o: object, m?: string) => console.log(`  kafka info: ${m ?? ''} ${JSON.stringify(o)}`),
  warn: (o: object, m?: string) => console.log(`  kafka warn: ${m ?? ''} ${JSON.stringify(o)}`),
  error: (o: object, m?: string) => console.log(`  kafka error: ${m ?? ''} ${JSON.stringify(o)}`),
};
const kafka: Kafka = createKafkaClient({
  brokers: config.brokers,
  clientId: `bench-${RUN}`,
  ...(verbose ? { logger: consoleLogger } : {}),
});
const topics: string[] = [];
const groups: string[] = [];
const connections: Connection[] = [];
const stoppers: (() => Promise<unknown>)[] = [];

const topicName = (part: string) => `bench.${part}.${RUN}`;
const groupName = (part: string) => {
  const name = `bench.${part}-${groups.length + 1}.${RUN}`;
  groups.push(name);
  return name;
};

async function createTopic(part: string): Promise<string> {
  const name = topicName(part);
  topics.push(name);
  await ensureTopics(kafka, [{ name, partitions: config.partitions, retentionMs: 3_600_000 }]);
  return name;
}

async function database(part: string): Promise<Connection> {
  const connection = await mongoose
    .createConnection(config.mongodbUri, { dbName: `bench_${RUN}_${part}`, autoIndex: false })
    .asPromise();
  connections.push(connection);
  return connection;
}

async function cleanup(): Promise<void> {
  for (const stop of stoppers.reverse()) await stop().catch((error: Error) => log(`cleanup: ${error.message}`));
  for (const connection of connections) {
    await connection
      .dropDatabase()
      .catch((error: Error) => log(`cleanup: dropping ${connection.name}: ${error.message}`));
    await connection.close().catch(() => {});
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Consumer runners create a dead-letter topic per subscription: remove those as well.
    const existing = await admin.listTopics();
    const ours = existing.filter(
      (name) => name.endsWith(RUN) || topics.some((topic) => name.startsWith(`${topic}.dlq.`)),
    );
    if (ours.length > 0)
      await admin
        .deleteTopics({ topics: ours, timeout: 15_000 })
        .catch((error: Error) => log(`cleanup: topics: ${error.message}`));
    if (groups.length > 0)
      await admin.deleteGroups(groups).catch((error: Error) => log(`cleanup: groups: ${error.message}`));
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

const rate = (count: number, ms: number) => (ms > 0 ? (count * 1000) / ms : 0);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;
/** A ratio against its target, truncated (not rounded) so that 79.96 % never shows as "80 % ✗". */
const ratioPct = (ratio: number) => `${(Math.floor(ratio * 1000) / 10).toFixed(1)} %`;

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Resolves when `count()` reaches `target`, or rejects after `timeoutMs`. */
function whenCount(count: () => number, target: number, timeoutMs: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = () => {
      if (count() >= target) return resolve(performance.now());
      if (Date.now() > deadline) return reject(new Error(`${what}: ${count()} of ${target} after ${timeoutMs} ms`));
      setTimeout(check, 2);
    };
    check();
  });
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

const aggregateIds = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);

/** Each writer owns aggregates `w, w+writers, …` and takes them in turn; returns [aggregate, round] per command in order. */
function commandPlan(ids: readonly string[], commands: number, writers: number): string[][] {
  const perAggregate = Math.floor(commands / ids.length);
  return Array.from({ length: writers }, (_, w) => {
    const mine = ids.filter((_, i) => i % writers === w);
    const plan: string[] = [];
    for (let round = 1; round < perAggregate; round += 1) plan.push(...mine);
    return plan;
  });
}

// ---------------------------------------------------------------------------------------------
// Machine and versions

interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: string;
  os: string;
  node: string;
  kafka: string;
  ferretdb: string;
  loadBefore: string;
}

function processCommandLines(): string[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        } catch {
          return '';
        }
      });
  } catch {
    return [];
  }
}

async function machineInfo(probe: Connection): Promise<MachineInfo> {
  const commandLines = processCommandLines();
  const kafkaFromProcess = commandLines
    .map((c) => /kafka[_-](?:[\d.]+-)?(\d+\.\d+\.\d+)\/libs/.exec(c)?.[1])
    .find(Boolean);
  const backend = commandLines.map((c) => /ferretdb\S*\s.*--handler=(\w+)/.exec(c)?.[1]).find(Boolean);
  const build = (await probe.db!.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
  const ferret = build.ferretdbVersion
    ? `FerretDB ${build.ferretdbVersion}${backend ? ` (${backend} backend)` : ''}, MongoDB API ${build.version}`
    : `MongoDB ${build.version}`;
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    kafka:
      process.env.KAFKA_VERSION ??
      (kafkaFromProcess ? `Apache Kafka ${kafkaFromProcess} (KRaft, 1 broker)` : 'unknown (set KAFKA_VERSION)'),
    ferretdb: ferret,
    loadBefore: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / '),
  };
}

// ---------------------------------------------------------------------------------------------
// (a) transport

interface TransportResult {
  messages: number;
  bytesPerValue: number;
  oursProduce: number;
  rawProduce: number;
  oursConsume: number;
  rawConsume: number;
  oursConsumeFirstToLast: number;
  rawConsumeFirstToLast: number;
}

function transportRecords(topic: string, events: BenchEvents): TopicRecord[] {
  const sequences = new Map<string, number>();
  const time = new Date().toISOString();
  return Array.from({ length: config.transportMessages }, (_, i) => {
    const subject = `item-${String(i % config.transportKeys).padStart(4, '0')}`;
    const sequence = (sequences.get(subject) ?? 0) + 1;
    sequences.set(subject, sequence);
    const envelope: EventEnvelope = {
      id: newEventId(),
      type: events.Recorded.type,
      version: 1,
      source: 'bench',
      subject,
      sequence,
      time,
      correlationId: `bench-${RUN}`,
      data: recordedData(subject, 1, sequence),
    };
    return { topic, ...toKafkaRecord(envelope) };
  });
}

const batches = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Sends the first batch untimed (connection, metadata, producer id), then times the rest. */
async function timeProducer(
  all: readonly TopicRecord[],
  send: (batch: TopicRecord[]) => Promise<void>,
): Promise<number> {
  const [first, ...rest] = batches(all, config.batchSize);
  await send(first!);
  const t0 = performance.now();
  for (const batch of rest) await send(batch);
  return rate(all.length - first!.length, performance.now() - t0);
}

interface ConsumeTiming {
  fromStart: number;
  firstToLast: number;
}

async function runTransport(): Promise<TransportResult> {
  log('(a) transport: creating topics');
  const oursTopic = await createTopic('a-ours');
  const rawTopic = await createTopic('a-raw');
  const oursEvents = benchEvents(oursTopic);
  const oursRecords = transportRecords(oursTopic, oursEvents);
  const rawRecords = oursRecords.map((record) => ({ ...record, topic: rawTopic }));
  const bytesPerValue = Math.round(oursRecords.reduce((sum, r) => sum + r.value.length, 0) / oursRecords.length);
  const n = config.transportMessages;
  log(
    `(a) ${fmt(n)} records, ${bytesPerValue}-byte JSON values + ${Object.keys(oursRecords[0]!.headers).length} CloudEvents headers, ${config.transportKeys} keys, ${config.partitions} partitions, batches of ${config.batchSize}`,
  );

  // Producers: alternate, three rounds each (each round to its own topics), keep each side's best,
  // to damp the noise of a shared machine. Each consumer then reads its side's three topics.
  const producerRounds = { ours: [] as number[], raw: [] as number[] };
  const oursTopics = [oursTopic];
  const rawTopics = [rawTopic];
  const toMessages = (batch: readonly KafkaRecord[]) =>
    batch.map(({ key, value, headers }) => ({ key, value, headers }));
  for (let round = 1; round <= 3; round += 1) {
    const oursRoundTopic = round === 1 ? oursTopic : await createTopic(`a-ours-${round}`);
    const rawRoundTopic = round === 1 ? rawTopic : await createTopic(`a-raw-${round}`);
    if (round > 1) {
      oursTopics.push(oursRoundTopic);
      rawTopics.push(rawRoundTopic);
    }
    const publisher = new KafkaPublisher(kafka);
    producerRounds.ours.push(
      await timeProducer(
        oursRecords.map((r) => ({ ...r, topic: oursRoundTopic })),
        (batch) => publisher.publish(batch),
      ),
    );
    await publisher.disconnect();

    const raw: Producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
    await raw.connect();
    producerRounds.raw.push(
      await timeProducer(rawRecords, async (batch) => {
        await raw.sendBatch({
          acks: -1,
          timeout: 10_000,
          topicMessages: [{ topic: rawRoundTopic, messages: toMessages(batch) }],
        });
      }),
    );
    await raw.disconnect();
    log(
      `(a) producer round ${round}: ours KafkaPublisher.publish ${fmt(producerRounds.ours.at(-1)!)} msgs/s, raw kafkajs sendBatch ${fmt(producerRounds.raw.at(-1)!)} msgs/s`,
    );
  }
  const oursProduce = Math.max(...producerRounds.ours);
  const rawProduce = Math.max(...producerRounds.raw);

  // Consumers. "start" = the runner has joined the group and has its partitions (start()/run()
  // resolved); the first fetch follows. Both read the same 3 × N records (their side's three
  // topics) from the beginning: long enough that one slow fetch does not decide the ratio.
  const total = oursTopics.length * n;
  const consumeOurs = async (): Promise<ConsumeTiming> => {
    let count = 0;
    let first = 0;
    let lastAt = 0;
    const runner = createConsumer({
      kafka,
      groupId: groupName('a-ours'),
      subscriptions: oursTopics.map((topic) => ({ topic, events: [oursEvents.Created, oursEvents.Recorded] })),
      handlers: {
        [oursEvents.Recorded.type]: async () => {
          if (count === 0) first = performance.now();
          count += 1;
          if (count === total) lastAt = performance.now(); // as the raw side times its last message
        },
      },
    });
    const beforeStart = performance.now();
    await runner.start();
    const t0 = Math.min(performance.now(), first || Infinity);
    await whenCount(() => count, total, 120_000, 'ours consumer');
    const last = lastAt;
    await runner.stop();
    if (runner.stats.deadLettered > 0) throw new Error(`ours consumer dead-lettered ${runner.stats.deadLettered}`);
    log(`(a) ours: consumer runner joined in ${fmt(t0 - beforeStart)} ms, ${fmt(total)} in ${fmt(last - t0)} ms`);
    return { fromStart: rate(total, last - t0), firstToLast: rate(total - 1, last - first) };
  };
  const consumeRaw = async (): Promise<ConsumeTiming> => {
    let count = 0;
    let first = 0;
    let last = 0;
    let checksum = 0;
    const consumer = kafka.consumer({ groupId: groupName('a-raw'), allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topics: rawTopics, fromBeginning: true });
    const beforeStart = performance.now();
    await consumer.run({
      eachBatch: async ({ batch, heartbeat }) => {
        if (count === 0) first = performance.now();
        for (const message of batch.messages) {
          const data = JSON.parse(message.value!.toString()) as { value: number };
          checksum += data.value;
        }
        count += batch.messages.length;
        if (count >= total) last = performance.now();
        await heartbeat();
      },
    });
    const t0 = Math.min(performance.now(), first || Infinity);
    await whenCount(() => count, total, 120_000, 'raw consumer');
    await consumer.disconnect();
    if (checksum <= 0) throw new Error('raw consumer read nothing');
    log(`(a) raw:  kafkajs consumer joined in ${fmt(t0 - beforeStart)} ms, ${fmt(total)} in ${fmt(last - t0)} ms`);
    return { fromStart: rate(total, last - t0), firstToLast: rate(total - 1, last - first) };
  };
  // Alternate and keep each side's best of `consumerRounds` (5 unless BENCH_CONSUMER_ROUNDS), to damp
  // the noise of a shared machine.
  const results = { ours: [] as ConsumeTiming[], raw: [] as ConsumeTiming[] };
  for (let round = 0; round < config.consumerRounds; round += 1) {
    results.ours.push(await consumeOurs());
    results.raw.push(await consumeRaw());
  }
  const best = (list: ConsumeTiming[]) => list.reduce((a, b) => (b.fromStart > a.fromStart ? b : a));
  const oursBest = best(results.ours);
  const rawBest = best(results.raw);
  log(
    `(a) consume msgs/s, rounds: ours ${results.ours.map((r) => fmt(r.fromStart)).join(', ')}; raw ${results.raw.map((r) => fmt(r.fromStart)).join(', ')}`,
  );
  return {
    messages: n,
    bytesPerValue,
    oursProduce,
    rawProduce,
    oursConsume: oursBest.fromStart,
    rawConsume: rawBest.fromStart,
    oursConsumeFirstToLast: oursBest.firstToLast,
    rawConsumeFirstToLast: rawBest.firstToLast,
  };
}

// ---------------------------------------------------------------------------------------------
// (b) reliability

interface PathResult {
  commands: number;
  commandMs: number;
  endToEndMs: number;
  notes: string;
}

interface ReliabilityResult {
  ours: PathResult;
  naive: PathResult;
}

const ctx = { source: 'bench' };

interface Aggregate {
  sequence: number;
  value: number;
}

async function createItem(Item: Model<CounterDoc>, events: BenchEvents, id: string): Promise<void> {
  await commitNew(Item, { id, state: { value: 0 }, events: [draft(events.Created, createdData(id))], context: ctx });
}

/** One command: `count` amounts recorded on an aggregate whose sequence the caller knows (one conditional write, no read). */
async function recordKnown(
  Item: Model<CounterDoc>,
  events: BenchEvents,
  id: string,
  state: Aggregate,
  count = 1,
): Promise<void> {
  const drafts = Array.from({ length: count }, (_, i) =>
    draft(events.Recorded, recordedData(id, 1, state.value + i + 1)),
  );
  await commit(Item, {
    id,
    expectedSequence: state.sequence,
    update: { $set: { value: state.value + count } },
    events: drafts,
    context: ctx,
  });
  state.sequence += count;
  state.value += count;
}

/** The projection: idempotent, sequence-guarded upsert of the aggregate's snapshot fields. */
function projectionHandler(
  View: Model<CounterView>,
  onApplied: (subject: string, sequence: number) => void,
  onHandled?: (subject: string, sequence: number) => void,
) {
  return async (event: EventEnvelope<never>) => {
    const e = event as EventEnvelope<{ value: number }>;
    onHandled?.(e.subject, e.sequence);
    const outcome = await applyProjection(View as never, e, { value: e.data.value });
    if (outcome === 'applied') onApplied(e.subject, e.sequence);
  };
}

async function runOurs(run: number): Promise<PathResult> {
  const topic = await createTopic(`b-ours-${run}`);
  const events = benchEvents(topic);
  const producerDb = await database(`b_ours_cmd_${run}`);
  const consumerDb = await database(`b_ours_view_${run}`);
  const Item = counterModel(producerDb);
  await Item.init(); // the outboxPending index, as a service would have it
  await Item.createCollection().catch(() => {});
  const View = counterViewModel(consumerDb);
  await View.createCollection().catch(() => {});

  let applied = 0;
  const relay = createRelay({
    kafka,
    models: [Item as never],
    name: `bench-relay-${RUN}`,
    ...(config.relayCoalesceMs === undefined ? {} : { coalesceMs: config.relayCoalesceMs }),
    ...(config.relayRemoveAfterMs === undefined ? {} : { removeAfterMs: config.relayRemoveAfterMs }),
  });
  const consumer = createConsumer({
    kafka,
    groupId: groupName('b-ours'),
    subscriptions: [{ topic, events: [events.Created, events.Recorded] }],
    handlers: Object.fromEntries(
      [events.Created, events.Recorded].map((d) => [d.type, projectionHandler(View, () => (applied += 1))]),
    ),
    partitionsConcurrently: config.partitions,
  });
  await relay.start();
  await consumer.start();
  stoppers.push(
    () => relay.stop(),
    () => consumer.stop(),
  );

  const ids = aggregateIds(config.aggregates, 'item');
  const states = new Map(ids.map((id) => [id, { sequence: 1, value: 0 }]));
  const plan = commandPlan(ids, config.commands, config.writers);
  const total = ids.length + plan.reduce((sum, p) => sum + p.length, 0);
  const progress = setInterval(
    () =>
      log(
        `(b) ours: ${fmt(applied)} of ${fmt(total)} events projected (relay published ${fmt(relay.stats.published)})`,
      ),
    10_000,
  );
  try {
    const t0 = performance.now();
    await inParallel(ids, config.writers, (id) => createItem(Item, events, id));
    await Promise.all(
      plan.map(async (mine) => {
        for (const id of mine) await recordKnown(Item, events, id, states.get(id)!);
      }),
    );
    const t1 = performance.now();
    log(`(b) ours: ${fmt(total)} commands committed in ${fmt(t1 - t0)} ms; waiting for the projection`);
    const t2 = await whenCount(() => applied, total, 300_000, 'ours projection');
    // Verify: every view at the aggregate's last sequence and value, every outbox empty, no dead letters.
    const views = await View.find().lean();
    const wrong = views.filter(
      (v) => v.sequence !== states.get(v._id)?.sequence || v.value !== states.get(v._id)?.value,
    );
    if (views.length !== ids.length || wrong.length > 0)
      throw new Error(`ours: ${views.length} views, ${wrong.length} wrong`);
    await relay.flush(30_000);
    const leftovers = await Item.countDocuments({ 'outbox.0': { $exists: true } });
    if (leftovers > 0 || consumer.stats.deadLettered > 0)
      throw new Error(`ours: ${leftovers} outboxes not empty, ${consumer.stats.deadLettered} dead letters`);
    return {
      commands: total,
      commandMs: t1 - t0,
      endToEndMs: t2 - t0,
      notes: `relay ${relay.stats.rounds} rounds (${(relay.stats.published / Math.max(1, relay.stats.rounds)).toFixed(1)} events/round, ${relay.stats.readById} documents read by _id, ${relay.stats.scans} searches); consumer processed ${consumer.stats.processed}`,
    };
  } finally {
    clearInterval(progress);
    await consumer.stop();
    await relay.stop();
  }
}

async function runNaive(run: number): Promise<PathResult> {
  const topic = await createTopic(`b-naive-${run}`);
  const events = benchEvents(topic);
  const producerDb = await database(`b_naive_cmd_${run}`);
  const consumerDb = await database(`b_naive_view_${run}`);
  const items = producerDb.collection<{ _id: string; value: number }>('items');
  const views = consumerDb.collection<{ _id: string; value: number; sequence: number }>('views');
  await producerDb.createCollection('items').catch(() => {});
  await consumerDb.createCollection('views').catch(() => {});

  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let applied = 0;
  const consumer = kafka.consumer({ groupId: groupName('b-naive'), allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: config.partitions, // as ours: the partitions side by side
    eachMessage: async ({ message }) => {
      const data = JSON.parse(message.value!.toString()) as { value: number };
      const sequence = Number(message.headers?.ce_sequence?.toString());
      await views.updateOne(
        { _id: message.key!.toString() },
        { $set: { value: data.value, sequence } },
        { upsert: true },
      );
      applied += 1;
    },
  });
  stoppers.push(
    () => producer.disconnect(),
    () => consumer.disconnect(),
  );

  // The same envelopes our commit would produce, sent right after the write.
  const publish = async (subject: string, sequence: number, type: string, data: unknown) => {
    const record = toKafkaRecord({
      id: newEventId(),
      type,
      version: 1,
      source: ctx.source,
      subject,
      sequence,
      time: new Date().toISOString(),
      data,
    });
    await producer.send({ topic, acks: -1, messages: [record] });
  };
  const ids = aggregateIds(config.aggregates, 'item');
  const states = new Map(ids.map((id) => [id, { sequence: 1, value: 0 }]));
  const plan = commandPlan(ids, config.commands, config.writers);
  const total = ids.length + plan.reduce((sum, p) => sum + p.length, 0);
  const progress = setInterval(
    () => log(`(b) naive: ${fmt(applied)} of ${fmt(total)} events written by the consumer`),
    10_000,
  );
  try {
    const t0 = performance.now();
    await inParallel(ids, config.writers, async (id) => {
      await items.insertOne({ _id: id, value: 0 });
      await publish(id, 1, events.Created.type, createdData(id));
    });
    await Promise.all(
      plan.map(async (mine) => {
        for (const id of mine) {
          const state = states.get(id)!;
          const value = state.value + 1;
          await items.updateOne({ _id: id }, { $set: { value } });
          await publish(id, state.sequence + 1, events.Recorded.type, recordedData(id, 1, value));
          state.sequence += 1;
          state.value = value;
        }
      }),
    );
    const t1 = performance.now();
    log(`(b) naive: ${fmt(total)} commands in ${fmt(t1 - t0)} ms; waiting for the consumer`);
    const t2 = await whenCount(() => applied, total, 300_000, 'naive consumer');
    const written = await views.find().toArray();
    const wrong = written.filter((v) => v.value !== states.get(v._id)?.value);
    if (written.length !== ids.length || wrong.length > 0)
      throw new Error(`naive: ${written.length} views, ${wrong.length} wrong`);
    return { commands: total, commandMs: t1 - t0, endToEndMs: t2 - t0, notes: 'no outbox, no idempotency' };
  } finally {
    clearInterval(progress);
    await consumer.disconnect();
    await producer.disconnect();
  }
}

async function runReliability(): Promise<ReliabilityResult> {
  const perAggregate = Math.floor(config.commands / config.aggregates);
  log(
    `(b) reliability: ${fmt(config.aggregates * perAggregate)} commands (1 create + ${perAggregate - 1} updates) over ${config.aggregates} aggregates, ${config.writers} concurrent writers, ~${config.partitions} partitions`,
  );
  // Two runs of each path in the order naive, ours, ours, naive (so a drift of the machine's speed
  // during the phase favours neither), each on fresh databases and topics; the faster run end to
  // end counts for each path.
  const runs: Record<'ours' | 'naive', PathResult[]> = { ours: [], naive: [] };
  for (const path of ['naive', 'ours', 'ours', 'naive'] as const) {
    if (path === 'naive') {
      log('(b) naive: write then publish; consume then write');
      const naive = await runNaive(runs.naive.length + 1);
      runs.naive.push(naive);
      log(
        `(b) naive: ${fmt(rate(naive.commands, naive.commandMs))} commands/s, ${fmt(rate(naive.commands, naive.endToEndMs))} events/s end to end`,
      );
    } else {
      log('(b) ours: commit (outbox) → relay → Kafka → consumer runner → applyProjection');
      const ours = await runOurs(runs.ours.length + 1);
      runs.ours.push(ours);
      log(
        `(b) ours: ${fmt(rate(ours.commands, ours.commandMs))} commands/s, ${fmt(rate(ours.commands, ours.endToEndMs))} events/s end to end (${ours.notes})`,
      );
    }
  }
  const best = (list: PathResult[]) => list.reduce((a, b) => (b.endToEndMs < a.endToEndMs ? b : a));
  return { ours: best(runs.ours), naive: best(runs.naive) };
}

// ---------------------------------------------------------------------------------------------
// (c) latency at a fixed rate

interface LatencyResult {
  projections: ProjectionWrites;
  targetEventsPerS: number;
  eventsPerCommand: number;
  targetCommandsPerS: number;
  achievedCommandsPerS: number;
  achievedEventsPerS: number;
  measuredEvents: number;
  notApplied: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  p99Scheduled: number;
  commitP50: number;
  commitP99: number;
  /** Where the time goes, per event (p50 / p99 / max of each stage, ms; the stages add up to the latency). */
  stages: Record<Stage, { p50: number; p99: number; max: number }>;
  /** This process's event-loop delay over the measured window (ms): its own stalls (GC, CPU). */
  loopDelayP99: number;
  loopDelayMax: number;
  backlogAtEnd: number;
  failedCommands: number;
  droppedCommands: number;
}

/**
 * The stages of one event's latency: commit() running; committed → acknowledged by Kafka (the relay's
 * wait, read and publish); acknowledged → its handler called (broker, fetch, earlier messages of the
 * batch); the handler's projection write.
 */
const STAGES = ['commit', 'relay', 'delivery', 'apply'] as const;
type Stage = (typeof STAGES)[number];

async function runLatency(
  eventsPerS: number,
  eventsPerCommand: number,
  label: string,
  projections: ProjectionWrites,
): Promise<LatencyResult> {
  const commandsPerS = eventsPerS / eventsPerCommand;
  const deferProjections = projections === 'deferred';
  log(
    `(c${label}) latency: ${eventsPerS} events/s = ${commandsPerS} commands/s × ${eventsPerCommand} events, ${config.latencyAggregates} aggregates, ${config.warmupSeconds} s warm-up + ${config.latencySeconds} s measured, relay coalesceMs ${config.relayCoalesceMs ?? 'default'}, removeAfterMs ${config.relayRemoveAfterMs ?? 'default'}, projections ${deferProjections ? 'deferred per batch' : 'written per event'}`,
  );
  const topic = await createTopic(`c${label}`);
  const events = benchEvents(topic);
  const producerDb = await database(`c${label}_cmd`);
  const consumerDb = await database(`c${label}_view`);
  const Item = counterModel(producerDb);
  await Item.init();
  await Item.createCollection().catch(() => {});
  const View = counterViewModel(consumerDb);
  await View.createCollection().catch(() => {});

  // Per event, keyed by aggregate + sequence: when its command was due, when commit was called, when applied.
  const due = new Map<string, number>();
  const begun = new Map<string, number>();
  const latencies: number[] = [];
  const fromDue: number[] = [];
  // Stage boundaries per event key (performance.now()): committed, acknowledged, handler called.
  const committedAt = new Map<string, number>();
  const ackedAt = new Map<string, number>();
  const handledAt = new Map<string, number>();
  const stageTimes: Record<Stage, number[]> = { commit: [], relay: [], delivery: [], apply: [] };
  let measureFrom = Infinity;
  let measuring = false;
  let appliedTotal = 0;
  // Deferred projections: an event counts as applied when a write of its document at its sequence
  // or a later one is stored (the batch's merged write), not when applyProjection decided it.
  const decided = new Map<string, number[]>();
  const storedUpTo = new Map<string, number>();
  const decide = (subject: string, sequence: number) => {
    // Applied at once (a document this process did not know): stored before it was decided.
    if (sequence <= (storedUpTo.get(subject) ?? 0)) onApplied(subject, sequence);
    else decided.set(subject, [...(decided.get(subject) ?? []), sequence]);
  };
  const stored = (subject: string, sequence: number | undefined) => {
    if (sequence === undefined) return;
    storedUpTo.set(subject, Math.max(sequence, storedUpTo.get(subject) ?? 0));
    const waiting = decided.get(subject) ?? [];
    for (const each of waiting.filter((k) => k <= sequence)) onApplied(subject, each);
    decided.set(
      subject,
      waiting.filter((k) => k > sequence),
    );
  };
  if (deferProjections) {
    const collection = View.collection;
    const updateOne = collection.updateOne.bind(collection);
    const insertOne = collection.insertOne.bind(collection);
    collection.updateOne = (async (...args: Parameters<typeof updateOne>) => {
      const result = await updateOne(...args);
      const filter = args[0] as unknown as { _id: string };
      const update = args[1] as { $set?: { sequence?: number } };
      if (result.matchedCount === 1) stored(filter._id, update.$set?.sequence);
      return result;
    }) as typeof collection.updateOne;
    collection.insertOne = (async (...args: Parameters<typeof insertOne>) => {
      const result = await insertOne(...args);
      const doc = args[0] as unknown as { _id: string; sequence?: number };
      stored(doc._id, doc.sequence);
      return result;
    }) as typeof collection.insertOne;
  }
  const onApplied = (subject: string, sequence: number) => {
    appliedTotal += 1;
    const key = `${subject}#${sequence}`;
    const t = begun.get(key);
    if (t === undefined) return;
    const now = performance.now();
    if (t >= measureFrom && measuring) {
      latencies.push(now - t);
      fromDue.push(now - due.get(key)!);
      const committed = committedAt.get(key);
      const acked = ackedAt.get(key);
      const handled = handledAt.get(key);
      if (committed !== undefined && acked !== undefined && handled !== undefined) {
        stageTimes.commit.push(committed - t);
        stageTimes.relay.push(acked - committed);
        stageTimes.delivery.push(handled - acked);
        stageTimes.apply.push(now - handled);
      }
    }
    for (const map of [begun, due, committedAt, ackedAt, handledAt]) map.delete(key);
  };
  // The relay's own publisher, timed: when Kafka acknowledged each record.
  const publisher = new KafkaPublisher(kafka);
  const timedPublisher: Pick<KafkaPublisher, 'publish' | 'disconnect'> = {
    publish: async (records) => {
      await publisher.publish(records);
      const now = performance.now();
      for (const record of records) ackedAt.set(`${record.headers.ce_subject}#${record.headers.ce_sequence}`, now);
    },
    disconnect: () => publisher.disconnect(),
  };
  const relay = createRelay({
    kafka,
    models: [Item as never],
    name: `bench-relay-c${label}-${RUN}`,
    publisher: timedPublisher,
    ...(config.relayCoalesceMs === undefined ? {} : { coalesceMs: config.relayCoalesceMs }),
    ...(config.relayRemoveAfterMs === undefined ? {} : { removeAfterMs: config.relayRemoveAfterMs }),
  });
  const consumer: ConsumerRunner = createConsumer({
    kafka,
    groupId: groupName(`c${label}`),
    subscriptions: [{ topic, events: [events.Created, events.Recorded] }],
    handlers: Object.fromEntries(
      [events.Created, events.Recorded].map((d) => [
        d.type,
        projectionHandler(View, deferProjections ? decide : onApplied, (subject, sequence) =>
          handledAt.set(`${subject}#${sequence}`, performance.now()),
        ),
      ]),
    ),
    partitionsConcurrently: config.partitions,
    deferProjections,
  });
  const stopAll = async (r: OutboxRelay, c: ConsumerRunner) => {
    await c.stop();
    await r.stop();
  };
  await relay.start();
  await consumer.start();
  stoppers.push(() => stopAll(relay, consumer));

  const ids = aggregateIds(config.latencyAggregates, 'item');
  const states = new Map(ids.map((id) => [id, { sequence: 1, value: 0 }]));
  await inParallel(ids, config.writers, (id) => createItem(Item, events, id));
  await whenCount(() => appliedTotal, ids.length, 60_000, 'latency set-up');

  // The paced open-loop generator: command i is due at t0 + i/rate, whether or not earlier ones
  // are done. Commands on one aggregate queue behind each other (the sequence must be known).
  const chains = new Map<string, Promise<void>>();
  const commitTimes: number[] = [];
  let issued = 0;
  let completed = 0;
  let failures = 0;
  let stopped = false;
  const interval = 1000 / commandsPerS;
  const totalCommands = Math.round((config.warmupSeconds + config.latencySeconds) * commandsPerS);
  const t0 = performance.now() + 50;
  measureFrom = t0 + config.warmupSeconds * 1000;
  measuring = true;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const loopDelayFrom = setTimeout(() => loopDelay.enable(), measureFrom - performance.now());
  const progress = setInterval(
    () =>
      log(
        `(c${label}) ${fmt(issued)} commands issued, ${fmt(completed)} committed, ${fmt(appliedTotal - ids.length)} events applied`,
      ),
    10_000,
  );
  let measuredIssuedAt = 0;
  let measuredCompleted = 0;
  for (let i = 0; i < totalCommands; i += 1) {
    const dueAt = t0 + i * interval;
    const wait = dueAt - performance.now();
    if (wait > 1) await sleep(wait);
    const id = ids[i % ids.length]!;
    const previous = chains.get(id) ?? Promise.resolve();
    issued += 1;
    if (dueAt >= measureFrom && measuredIssuedAt === 0) measuredIssuedAt = performance.now();
    const next = previous.then(async () => {
      if (stopped) return; // the run is over: commands still queued behind a slow one are dropped
      const state = states.get(id)!;
      const startedAt = performance.now();
      for (let k = 1; k <= eventsPerCommand; k += 1) {
        const key = `${id}#${state.sequence + k}`;
        due.set(key, dueAt);
        begun.set(key, startedAt);
      }
      try {
        const sequenceBefore = state.sequence;
        await recordKnown(Item, events, id, state, eventsPerCommand);
        const committed = performance.now();
        for (let k = 1; k <= eventsPerCommand; k += 1) committedAt.set(`${id}#${sequenceBefore + k}`, committed);
        commitTimes.push(committed - startedAt);
        completed += 1;
        if (dueAt >= measureFrom) measuredCompleted += 1;
      } catch (error) {
        failures += 1;
        for (let k = 1; k <= eventsPerCommand; k += 1) begun.delete(`${id}#${state.sequence + k}`);
        if (failures <= 3) log(`(c${label}) command failed: ${(error as Error).message.slice(-160)}`);
      }
    });
    chains.set(id, next);
  }
  const generationEnd = performance.now();
  const drainDeadline = Date.now() + config.drainTimeoutSeconds * 1000;
  log(
    `(c${label}) generator done; ${fmt(issued - completed - failures)} commands not yet committed, ${fmt(ids.length + completed * eventsPerCommand - appliedTotal)} events not yet applied; draining (at most ${config.drainTimeoutSeconds} s)`,
  );
  const allCommitted = Promise.all(chains.values());
  await Promise.race([allCommitted, sleep(config.drainTimeoutSeconds * 1000)]);
  stopped = true; // what has not started by now is dropped (counted below)
  await allCommitted;
  const commandsDone = performance.now();
  const dropped = issued - completed - failures;
  const expected = ids.length + completed * eventsPerCommand;
  const backlogAtEnd = expected - appliedTotal;
  await whenCount(() => appliedTotal, expected, Math.max(1000, drainDeadline - Date.now()), 'latency drain').catch(
    (error: Error) => log(`(c${label}) ${error.message}`),
  );
  log(
    `(c${label}) ${fmt(completed)} commands committed, ${fmt(failures)} failed, ${fmt(dropped)} dropped unstarted; relay ${JSON.stringify(relay.stats)}; consumer ${JSON.stringify(consumer.stats)}`,
  );
  clearInterval(progress);
  measuring = false;
  clearTimeout(loopDelayFrom);
  loopDelay.disable();
  const notApplied = [...begun.values()].filter((t) => t >= measureFrom).length;
  await stopAll(relay, consumer);

  const sorted = [...latencies].sort((a, b) => a - b);
  const sortedDue = [...fromDue].sort((a, b) => a - b);
  const commits = [...commitTimes].sort((a, b) => a - b);
  const measuredSpan = Math.max(commandsDone, generationEnd) - measuredIssuedAt;
  return {
    projections,
    targetEventsPerS: eventsPerS,
    eventsPerCommand,
    targetCommandsPerS: commandsPerS,
    achievedCommandsPerS: rate(measuredCompleted, measuredSpan),
    achievedEventsPerS: rate(measuredCompleted * eventsPerCommand, measuredSpan),
    measuredEvents: sorted.length,
    notApplied,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    p999: percentile(sorted, 0.999),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    p99Scheduled: percentile(sortedDue, 0.99),
    commitP50: percentile(commits, 0.5),
    commitP99: percentile(commits, 0.99),
    stages: Object.fromEntries(
      STAGES.map((stage) => {
        const times = [...stageTimes[stage]].sort((a, b) => a - b);
        return [stage, { p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: times.at(-1) ?? Number.NaN }];
      }),
    ) as LatencyResult['stages'],
    loopDelayP99: loopDelay.percentile(99) / 1e6,
    loopDelayMax: loopDelay.max / 1e6,
    backlogAtEnd,
    failedCommands: failures,
    droppedCommands: dropped,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

function report(
  machine: MachineInfo,
  transport: TransportResult,
  reliability: ReliabilityResult,
  latency: LatencyResult[],
  totalSeconds: number,
): string {
  const { ours, naive } = reliability;
  const oursCmd = rate(ours.commands, ours.commandMs);
  const naiveCmd = rate(naive.commands, naive.commandMs);
  const oursE2e = rate(ours.commands, ours.endToEndMs);
  const naiveE2e = rate(naive.commands, naive.endToEndMs);
  const verdict = (ratio: number, target: number) =>
    `${ratioPct(ratio)} ${ratio >= target ? '✓' : '✗'} (target ≥ ${pct(target)})`;

  const transportTable = table(
    ['(a) transport, no database', 'ours', 'raw kafkajs', 'ours / raw'],
    [
      [
        'producer msgs/s (idempotent, acks=all)',
        fmt(transport.oursProduce),
        fmt(transport.rawProduce),
        verdict(transport.oursProduce / transport.rawProduce, 0.8),
      ],
      [
        'consumer msgs/s (joined → last message)',
        fmt(transport.oursConsume),
        fmt(transport.rawConsume),
        verdict(transport.oursConsume / transport.rawConsume, 0.8),
      ],
      [
        'consumer msgs/s (first → last message)',
        fmt(transport.oursConsumeFirstToLast),
        fmt(transport.rawConsumeFirstToLast),
        pct(transport.oursConsumeFirstToLast / transport.rawConsumeFirstToLast),
      ],
    ],
  );
  const reliabilityTable = table(
    ['(b) reliability, FerretDB + Kafka', 'ours (outbox)', 'naive', 'ours / naive'],
    [
      ['commands', fmt(ours.commands), fmt(naive.commands), ''],
      ['commands/s', fmt(oursCmd), fmt(naiveCmd), verdict(oursCmd / naiveCmd, 0.6)],
      ['events/s end to end (projection complete)', fmt(oursE2e), fmt(naiveE2e), verdict(oursE2e / naiveE2e, 0.6)],
      ['time to last command (s)', fmt(ours.commandMs / 1000, 1), fmt(naive.commandMs / 1000, 1), ''],
      ['time to projection complete (s)', fmt(ours.endToEndMs / 1000, 1), fmt(naive.endToEndMs / 1000, 1), ''],
    ],
  );
  const latencyTable = table(
    [
      '(c) end-to-end latency (ms)',
      ...latency.map(
        (l) => `${l.targetEventsPerS} ev/s (${l.targetCommandsPerS} cmd/s × ${l.eventsPerCommand}), ${l.projections}`,
      ),
    ],
    [
      ['achieved events/s (measured window)', ...latency.map((l) => fmt(l.achievedEventsPerS))],
      ['events measured', ...latency.map((l) => fmt(l.measuredEvents))],
      ['p50  commit call → projection applied', ...latency.map((l) => fmt(l.p50, 1))],
      ['p99', ...latency.map((l) => `${fmt(l.p99, 1)} ${l.p99 <= 100 ? '✓' : '✗'}`)],
      ['p99.9', ...latency.map((l) => fmt(l.p999, 1))],
      ['max', ...latency.map((l) => fmt(l.max, 1))],
      ['p99 from when the command was due', ...latency.map((l) => fmt(l.p99Scheduled, 1))],
      ['commit() p50 / p99', ...latency.map((l) => `${fmt(l.commitP50, 1)} / ${fmt(l.commitP99, 1)}`)],
      ...STAGES.map((stage) => [
        `stage ${stage} p50 / p99 / max`,
        ...latency.map(
          (l) => `${fmt(l.stages[stage].p50, 1)} / ${fmt(l.stages[stage].p99, 1)} / ${fmt(l.stages[stage].max, 0)}`,
        ),
      ]),
      [
        'bench process event-loop delay p99 / max',
        ...latency.map((l) => `${fmt(l.loopDelayP99, 1)} / ${fmt(l.loopDelayMax, 0)}`),
      ],
      ['backlog when commands stopped (events)', ...latency.map((l) => fmt(l.backlogAtEnd))],
      [
        'commands failed / dropped unstarted',
        ...latency.map((l) => `${fmt(l.failedCommands)} / ${fmt(l.droppedCommands)}`),
      ],
      ['not applied within the drain timeout', ...latency.map((l) => fmt(l.notApplied))],
    ],
  );
  const machineLines = [
    `- CPU: ${machine.cpus} × ${machine.cpuModel} (nproc ${machine.cpus}); memory ${machine.memoryGiB} GiB; ${machine.os}`,
    `- Node ${machine.node}; kafkajs 2.2.4; mongoose 9.12.1`,
    `- Kafka: ${machine.kafka}, on this machine`,
    `- Database: ${machine.ferretdb}, on this machine`,
    `- Load average before the run (1/5/15 min): ${machine.loadBefore}; the run took ${totalSeconds.toFixed(0)} s`,
  ];
  return [
    `Run ${RUN}, ${new Date().toISOString()}`,
    ...machineLines,
    '',
    transportTable,
    '',
    reliabilityTable,
    '',
    latencyTable,
  ].join('\n');
}

function draftMarkdown(
  printed: string,
  transport: TransportResult,
  reliability: ReliabilityResult,
  latency: LatencyResult[],
): string {
  const perAggregate = Math.floor(config.commands / config.aggregates);
  return `<!-- Generated by \`npm run bench:bus\` (packages/bus/bench/bench-bus.ts); numbers from the last run. -->
## Bus benchmark figures

\`npm run bench:bus\` measures, in one run against the local stack, what the bus's guarantees cost.
Every figure below is from one run on the machine described; rerun it to get yours.

\`\`\`text
${printed}
\`\`\`

### What is measured

**(a) Transport** — ${fmt(transport.messages)} events (${transport.bytesPerValue}-byte JSON bodies plus the
CloudEvents headers), keyed over ${config.transportKeys} aggregate ids, on a ${config.partitions}-partition topic, no database on
either side. *Ours*: \`KafkaPublisher.publish\` in batches of ${config.batchSize} (the relay's batch size) of
\`toKafkaRecord\` envelopes; the consumer runner (\`createConsumer\`) with a no-op handler, so envelope
decoding, zod validation of the data, tracing context and per-message offset bookkeeping are
included. *Raw*: a kafkajs idempotent producer sending the same batches with \`sendBatch\` (acks=all);
a kafkajs consumer whose \`eachBatch\` JSON-parses each value. Each producer runs three rounds,
alternating, each round to a topic of its own; the first batch of a round is untimed (connection,
metadata, producer id) and the best round counts. Each consumer then reads its side's three topics
(${fmt(3 * transport.messages)} records) from the moment the group is joined (\`start()\`/\`run()\` resolved) to the
last message; the consumers run ${config.consumerRounds} times, alternating, and the best run counts.

**(b) Reliability** — ${fmt(config.aggregates * perAggregate)} commands (one create and ${perAggregate - 1} updates per aggregate) over
${config.aggregates} aggregates by ${config.writers} concurrent writers, each owning its share of the aggregates. Producer
and consumer side each have their own database on the same FerretDB server, on both paths.
*Ours*: \`commitNew\`/\`commit\` (state + event in the document's outbox, one write), the relay
publishing with the idempotent producer and removing what it published, the consumer runner
applying each event with \`applyProjection\` (sequence-guarded upsert). *Naive*: a plain
\`updateOne({_id}, {$set})\` (\`insertOne\` for a create) then \`producer.send\` of the same envelope,
and a kafkajs consumer doing \`updateOne({_id}, {$set}, {upsert: true})\` per event. The naive path
loses events when the process dies between its write and its send, and double-applies on
redelivery; ours does neither (see the integration tests). Both consumers handle the ${config.partitions} partitions
side by side (\`partitionsConcurrently\` / kafkajs \`partitionsConsumedConcurrently\`), as the services'
projection consumers do. "End to end" ends when the projection holds every event (counted in the
handlers, verified against the database afterwards).

**(c) Latency** — a paced open-loop generator issues commands at a fixed rate for
${config.warmupSeconds} s of warm-up (discarded) plus ${config.latencySeconds} s measured, round-robin over ${config.latencyAggregates} aggregates. Latency of an
event = from just before its \`commit\` call to the moment the projection handler applied it
(same process, \`performance.now()\`). "From when the command was due" also counts the time a
command waited behind the previous one on the same aggregate (coordinated omission). The consumer
handles the partitions side by side, as in (b). Its projection is written in one of two ways, each
a column: *deferred* — the handler's \`applyProjection\` calls of one batch merge into one write per
document, made before the batch's offsets are committed (\`deferProjections\`, as the donations and
volunteers services run); *per-event* — one write per event, as in (b). At 200 events/s per-event
writes keep this FerretDB's single writer busy most of the time, so events queue in Kafka for the
consumer (the \`delivery\` stage).

### Reading the figures

- transport: ours/raw producer ${pct(transport.oursProduce / transport.rawProduce)}, consumer ${pct(transport.oursConsume / transport.rawConsume)} (target ≥ 80 %).
- reliability: ours/naive commands/s ${pct(rate(reliability.ours.commands, reliability.ours.commandMs) / rate(reliability.naive.commands, reliability.naive.commandMs))}, end to end ${pct(rate(reliability.ours.commands, reliability.ours.endToEndMs) / rate(reliability.naive.commands, reliability.naive.endToEndMs))} (target ≥ 60 %).
${latency.map((l) => `- latency at ${l.targetEventsPerS} events/s (${l.targetCommandsPerS} commands/s × ${l.eventsPerCommand} events), projections ${l.projections}: p50 ${fmt(l.p50, 1)} ms, p99 ${fmt(l.p99, 1)} ms, p99.9 ${fmt(l.p999, 1)} ms (target p99 ≤ 100 ms at 200 events/s).`).join('\n')}
`;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  log(`bench ${RUN}: Kafka ${config.brokers}, database ${config.mongodbUri}`);
  const probe = await database('probe');
  const machine = await machineInfo(probe);
  log(
    `${machine.cpus} CPUs, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.kafka}, ${machine.ferretdb}, load ${machine.loadBefore}`,
  );

  const phases = (process.env.BENCH_PHASES ?? 'a,b,c').split(',');
  const transport = phases.includes('a') ? await runTransport() : undefined;
  const reliability = phases.includes('b') ? await runReliability() : undefined;
  const latency: LatencyResult[] = [];
  if (phases.includes('c')) {
    const [first, ...others] = config.latencyProjections;
    latency.push(await runLatency(config.latencyRate, config.eventsPerCommand, '1', first!));
    for (const [index, projections] of others.entries())
      latency.push(await runLatency(config.latencyRate, config.eventsPerCommand, `1${'bcd'[index]}`, projections));
    // The same measurement at a rate this machine sustains: a share of the outbox path's measured capacity.
    const capacity = reliability
      ? rate(reliability.ours.commands, reliability.ours.endToEndMs)
      : config.latencyRate / 4;
    const sustainable = Math.max(
      config.eventsPerCommand,
      Math.round((capacity * config.sustainableShare) / config.eventsPerCommand) * config.eventsPerCommand,
    );
    if (sustainable < config.latencyRate)
      latency.push(await runLatency(sustainable, config.eventsPerCommand, '2', first!));
  }
  if (!transport || !reliability || latency.length === 0) {
    console.log(JSON.stringify({ transport, reliability, latency }, null, 2));
    return;
  }
  const totalSeconds = (performance.now() - started) / 1000;

  const printed = report(machine, transport, reliability, latency, totalSeconds);
  console.log(`\n${printed}\n`);
  const draftPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs-bench-draft.md');
  writeFileSync(draftPath, draftMarkdown(printed, transport, reliability, latency));
  log(`figures written to ${draftPath}`);
}

let exitCode = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up before exiting`);
    void cleanup().finally(() => process.exit(130));
  });
}
try {
  await main();
} catch (error) {
  exitCode = 1;
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
} finally {
  log('cleaning up (topics, groups, databases)');
  await cleanup().catch((error: Error) => console.error(`cleanup failed: ${error.message}`));
  log('done');
}
process.exit(exitCode);
