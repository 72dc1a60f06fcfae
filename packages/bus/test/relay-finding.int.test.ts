/**
 * How the relay finds what to publish: documents this process committed (or created) come with the
 * outbox their commit left; a document only named is read by `_id`; the search for `{ outboxPending: true }` — a full collection read on FerretDB
 * v1 — only runs at its own pace, and finds what others wrote.
 */
import { randomUUID } from 'node:crypto';

import {
  connectTestDatabase,
  mongodbUri,
  testKafka,
  uniqueDatabase,
  uniqueGroup,
  uniqueTopic,
  waitFor,
} from '@tongxin/testkit';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createConsumer, createRelay, ensureTopics, KafkaPublisher, type OutboxEntry } from '../src/index.js';
import { notifyCommitted } from '../src/outbox/signal.js';
import {
  counterEvents,
  counterModel,
  counterProjectionHandlers,
  counterViewModel,
  createCounter,
  incrementCounter,
} from './support/counter.js';

describe('outbox relay: finding pending documents', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  let producerDb: Awaited<ReturnType<typeof connectTestDatabase>>;
  let consumerDb: Awaited<ReturnType<typeof connectTestDatabase>>;
  beforeAll(async () => {
    producerDb = await connectTestDatabase('bus_finding');
    consumerDb = await connectTestDatabase('bus_finding_view');
    cleanups.push(
      () => producerDb.closeAndDrop(),
      () => consumerDb.closeAndDrop(),
    );
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  /** A topic, the producer's model in its own database, and a consumer projecting into a view. */
  async function setUp(label: string) {
    const topic = uniqueTopic(label);
    const events = counterEvents(topic);
    const kafka = testKafka();
    await ensureTopics(kafka, [events.declaration]);
    const Counter = counterModel(producerDb.useDb(`${producerDb.name}_${label}`));
    await Counter.init();
    cleanups.push(() => Counter.db.dropDatabase());
    const View = counterViewModel(consumerDb.useDb(`${consumerDb.name}_${label}`));
    cleanups.push(() => View.db.dropDatabase());
    const consumer = createConsumer({
      kafka,
      groupId: uniqueGroup(label),
      subscriptions: [{ topic, events: [events.Created, events.Incremented] }],
      handlers: counterProjectionHandlers(View),
    });
    await consumer.start();
    cleanups.push(() => consumer.stop());
    return { kafka, topic, events, Counter, View };
  }

  /** A second consumer group on the topic that counts every event delivered to it (duplicates too). */
  async function countDeliveries(
    kafka: ReturnType<typeof testKafka>,
    topic: string,
    events: ReturnType<typeof counterEvents>,
    label: string,
  ) {
    const counted = { delivered: 0 };
    const consumer = createConsumer({
      kafka,
      groupId: uniqueGroup(`${label}-count`),
      subscriptions: [{ topic, events: [events.Created, events.Incremented] }],
      handlers: Object.fromEntries(
        [events.Created, events.Incremented].map((d) => [d.type, async () => void (counted.delivered += 1)]),
      ),
    });
    await consumer.start();
    cleanups.push(() => consumer.stop());
    return counted;
  }

  /** What another process's commit leaves behind: a document with a pending event, and no signal here. */
  async function writeAsAnotherProcess(Counter: ReturnType<typeof counterModel>, topic: string, id: string) {
    const entry: OutboxEntry = {
      id: randomUUID(),
      type: 'test.counter.created',
      version: 1,
      topic,
      subject: id,
      sequence: 1,
      time: new Date().toISOString(),
      source: 'test',
      data: { counterId: id, value: 7 },
    };
    await Counter.collection.insertOne({
      _id: id,
      value: 7,
      sequence: 1,
      outbox: [entry],
      outboxPending: true,
    } as never);
  }

  it('when this process commits, then the relay publishes what those commits left, reading none of them, and does not search again', async () => {
    const { kafka, topic, events, Counter, View } = await setUp('named');
    const relay = createRelay({ kafka, models: [Counter as never], name: `relay-${topic}`, scanIntervalMs: 600_000 });
    await relay.start();
    cleanups.push(() => relay.stop());
    await waitFor(() => relay.stats.scans === 1 && relay.stats.isLeader, { timeoutMs: 15_000 });

    const ids = Array.from({ length: 20 }, (_, i) => `named-${i}`);
    for (const id of ids) await createCounter(Counter, events, id);
    for (const id of ids) await incrementCounter(Counter, events, id, 3);

    await waitFor(async () => (await View.countDocuments({ value: 3, sequence: 2 })) === ids.length, {
      timeoutMs: 20_000,
    });
    expect(relay.stats.published).toBe(40);
    expect(relay.stats.scans).toBe(1); // the start's search only
    // None was read: each commit, the creations too, passed its document's outbox along.
    expect(relay.stats.readById).toBe(0);
    // The removals wait a moment for a next commit (removeAfterMs), then come.
    await waitFor(async () => (await Counter.countDocuments({ outboxPending: true })) === 0, { timeoutMs: 10_000 });
    expect(await Counter.countDocuments({ 'outbox.0': { $exists: true } })).toBe(0);
  });

  it('when the relay is made before its connection has opened, then it still takes what this process commits', async () => {
    const topic = uniqueTopic('early');
    const events = counterEvents(topic);
    const kafka = testKafka();
    await ensureTopics(kafka, [events.declaration]);
    // As a service does at start: models and relay first, the connection opens after.
    const connection = mongoose.createConnection(mongodbUri(), { dbName: uniqueDatabase('bus_early') });
    cleanups.push(async () => {
      await connection.dropDatabase();
      await connection.close();
    });
    const Counter = counterModel(connection);
    const relay = createRelay({ kafka, models: [Counter as never], name: `relay-${topic}`, scanIntervalMs: 600_000 });
    await connection.asPromise();
    await Counter.init();
    await relay.start();
    cleanups.push(() => relay.stop());
    await waitFor(() => relay.stats.scans === 1 && relay.stats.isLeader, { timeoutMs: 15_000 });

    await createCounter(Counter, events, 'early-1');
    await incrementCounter(Counter, events, 'early-1', 4);
    await waitFor(() => relay.stats.published === 2, { timeoutMs: 15_000, message: 'both events published' });
    expect(relay.stats.scans).toBe(1); // found through the commits' signals, not a search
  });

  it("when a document's events are published and it is committed again, then that commit replaces the outbox and no removal is written for them", async () => {
    const { kafka, topic, events, View } = await setUp('replace');
    // Its own connection, to see the commands sent (the view's consumer reads the same topic).
    const db = mongoose.createConnection(mongodbUri(), {
      dbName: uniqueDatabase('bus_replace'),
      monitorCommands: true,
    });
    await db.asPromise();
    cleanups.push(async () => {
      await db.dropDatabase();
      await db.close();
    });
    const Counter = counterModel(db);
    await Counter.init();
    const relay = createRelay({ kafka, models: [Counter as never], name: `relay-${topic}`, removeAfterMs: 60_000 });
    await relay.start();
    cleanups.push(() => relay.stop());
    await waitFor(() => relay.stats.isLeader, { timeoutMs: 15_000 });
    const updates: unknown[] = [];
    const client = db.getClient();
    const onCommand = (e: { commandName: string; command: Record<string, unknown> }) => {
      if (e.commandName === 'update' && e.command.update === Counter.collection.collectionName) updates.push(e.command);
    };
    client.on('commandStarted', onCommand);
    cleanups.push(async () => void client.off('commandStarted', onCommand));

    // A creation is this process's first commit of the document: nothing before it shows the
    // document in use, so its event is removed at once.
    await createCounter(Counter, events, 'replace-1');
    await waitFor(async () => (await Counter.findById('replace-1').lean())?.outboxPending === false, {
      timeoutMs: 20_000,
    });
    // Committed again soon after: in use. Its published event waits in the outbox for the next commit…
    await incrementCounter(Counter, events, 'replace-1', 1);
    await waitFor(() => relay.stats.published === 2, { timeoutMs: 10_000 });
    updates.length = 0;
    expect((await Counter.findById('replace-1').lean())?.outbox.map((e) => e.sequence)).toEqual([2]);

    // …whose own write replaces it: only the new event is stored.
    await incrementCounter(Counter, events, 'replace-1', 2);
    expect((await Counter.findById('replace-1').lean())?.outbox.map((e) => e.sequence)).toEqual([3]);
    await waitFor(async () => (await View.countDocuments({ _id: 'replace-1', value: 3, sequence: 3 })) === 1, {
      timeoutMs: 20_000,
    });
    await waitFor(() => relay.stats.published === 3, { timeoutMs: 10_000 });
    expect(updates).toEqual([]); // no removal written: it waits for a next commit
    expect((await Counter.findById('replace-1').lean())?.outboxPending).toBe(true);

    // Left alone, the document gets its removal (here at once: flush removes what waits).
    await relay.flush();
    const stored = (await Counter.findById('replace-1').lean())!;
    expect(stored.outbox).toEqual([]);
    expect(stored.outboxPending).toBe(false);
    expect(updates).toHaveLength(1);
    expect(relay.stats.published).toBe(3);
  });

  it('when a command commits while its document is being published, then the removal keeps the new event and the next round publishes it', async () => {
    const { kafka, topic, events, Counter, View } = await setUp('racing');
    const counted = await countDeliveries(kafka, topic, events, 'racing');
    // The relay's own Kafka publisher; the first time it has published the creation, and before the
    // relay removes it, the next command commits on the same document.
    // When the increment is about to be published, what is stored must still hold it: had the first
    // removal emptied the outbox, only this process's memory would still have the event.
    const kafkaPublisher = new KafkaPublisher(kafka);
    let raced = false;
    let storedBeforeSecond: number[] | undefined;
    const publisher: Pick<KafkaPublisher, 'publish' | 'disconnect'> = {
      publish: async (records) => {
        if (raced && storedBeforeSecond === undefined && records.some((r) => r.headers.ce_sequence === '2')) {
          storedBeforeSecond = (await Counter.findById('race-1').lean())?.outbox.map((e) => e.sequence);
        }
        await kafkaPublisher.publish(records);
        if (!raced && records.some((r) => r.headers.ce_subject === 'race-1')) {
          raced = true;
          await incrementCounter(Counter, events, 'race-1', 5);
        }
      },
      disconnect: () => kafkaPublisher.disconnect(),
    };
    const relay = createRelay({ kafka, models: [Counter as never], name: `relay-${topic}`, publisher });
    await relay.start();
    cleanups.push(() => relay.stop());
    await waitFor(() => relay.stats.isLeader, { timeoutMs: 15_000 });
    await createCounter(Counter, events, 'race-1');

    await waitFor(async () => (await View.countDocuments({ _id: 'race-1', value: 5, sequence: 2 })) === 1, {
      timeoutMs: 20_000,
    });
    await waitFor(async () => (await Counter.findById('race-1').lean())?.outboxPending === false, {
      timeoutMs: 10_000,
    });
    expect(raced).toBe(true);
    expect(storedBeforeSecond).toEqual([2]);
    expect(relay.stats.published).toBe(2);
    await waitFor(() => counted.delivered >= 2, { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // time for a duplicate to arrive
    expect(counted.delivered).toBe(2);
    expect((await Counter.findById('race-1').lean())?.outbox).toEqual([]);
  });

  it('when a late signal carries an outbox whose events are already published, then they are not published again', async () => {
    const { kafka, topic, events, Counter } = await setUp('stale');
    const counted = await countDeliveries(kafka, topic, events, 'stale');
    // Two events wait in the outbox before any relay runs; the relay's first search publishes them.
    await createCounter(Counter, events, 'stale-1');
    await incrementCounter(Counter, events, 'stale-1', 2);
    const pending = (await Counter.findById('stale-1').lean())!;
    expect(pending.outbox.map((entry) => entry.sequence)).toEqual([1, 2]);
    const relay = createRelay({ kafka, models: [Counter as never], name: `relay-${topic}`, scanIntervalMs: 600_000 });
    await relay.start();
    cleanups.push(() => relay.stop());
    await waitFor(
      async () => counted.delivered === 2 && (await Counter.countDocuments({ 'outbox.0': { $exists: true } })) === 0,
      {
        timeoutMs: 20_000,
      },
    );

    // The signal a commit would have sent had it been taken before the relay removed both events.
    const rounds = relay.stats.rounds;
    notifyCommitted(Counter, 'stale-1', {
      _id: 'stale-1',
      sequence: pending.sequence,
      outbox: pending.outbox,
    });
    await waitFor(() => relay.stats.rounds > rounds, { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 1500)); // time for a duplicate to arrive
    expect(relay.stats.readById).toBe(0); // the signal's outbox was used, not a read
    expect(relay.stats.published).toBe(2);
    expect(counted.delivered).toBe(2);
    expect((await Counter.findById('stale-1').lean())?.outboxPending).toBe(false);
  });

  it('when another process left a pending document, then the next search finds it and publishes it', async () => {
    const { kafka, topic, Counter, View } = await setUp('other');
    const relay = createRelay({ kafka, models: [Counter as never], name: `relay-${topic}`, scanIntervalMs: 300 });
    await relay.start();
    cleanups.push(() => relay.stop());
    await waitFor(() => relay.stats.scans >= 1, { timeoutMs: 15_000 });
    const scansBefore = relay.stats.scans;

    await writeAsAnotherProcess(Counter, topic, 'elsewhere-1');
    await waitFor(async () => (await View.countDocuments({ _id: 'elsewhere-1', value: 7 })) === 1, {
      timeoutMs: 20_000,
    });
    expect(relay.stats.scans).toBeGreaterThan(scansBefore);
    // The relay removes what it published after Kafka acknowledged it: the consumer can be first.
    await waitFor(async () => (await Counter.findById('elsewhere-1').lean())?.outboxPending === false, {
      timeoutMs: 10_000,
    });
    expect((await Counter.findById('elsewhere-1').lean())?.outbox).toEqual([]);
  });

  it('when the relay flushes, then it searches at once, whatever its pace', async () => {
    const { kafka, topic, Counter, View } = await setUp('flush');
    const relay = createRelay({ kafka, models: [Counter as never], name: `relay-${topic}`, scanIntervalMs: 600_000 });
    await relay.start();
    cleanups.push(() => relay.stop());
    await waitFor(() => relay.stats.scans === 1 && relay.stats.isLeader, { timeoutMs: 15_000 });

    await writeAsAnotherProcess(Counter, topic, 'elsewhere-2');
    await relay.flush();
    expect(relay.stats.scans).toBeGreaterThanOrEqual(2);
    expect((await Counter.findById('elsewhere-2').lean())?.outboxPending).toBe(false);
    await waitFor(async () => (await View.countDocuments({ _id: 'elsewhere-2', value: 7 })) === 1, {
      timeoutMs: 20_000,
    });
  });
});
