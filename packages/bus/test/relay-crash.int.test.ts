/**
 * Acceptance 2: the relay is a real process and is killed with SIGKILL twice — once from outside
 * while it is working through the outboxes, once from inside right after the broker acknowledged a
 * publish and before the relay could remove what it published. A restarted relay (same name, so it
 * takes the lease over) publishes the rest: every committed event reaches the projection of a
 * second "service" exactly once, the topic really holds duplicates, and no outbox keeps anything.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { draft } from '@tongxin/contracts';
import { kafkaBrokers, mongodbUri, testKafka, uniqueGroup, uniqueTopic, waitFor } from '@tongxin/testkit';
import { describe, expect, it } from 'vitest';

import { applyProjection, commit, commitNew, createConsumer, ensureTopics } from '../src/index.js';
import { counterEvents, counterModel, counterViewModel, inParallel, type CounterView } from './support/counter.js';
import { useCrashTestEnvironment } from './support/crash-test.js';
import { startTestProcess } from './support/processes.js';
import { eventIdsOnTopic, topicMessageCount } from './support/topic.js';

const AGGREGATES = 100;
const EVENTS_PER_AGGREGATE = 10;
const TOTAL = AGGREGATES * EVENTS_PER_AGGREGATE;
const context = { source: 'test' };
const relayProcessFile = join(import.meta.dirname, 'processes', 'relay-process.ts');

describe('outbox relay killed with SIGKILL', () => {
  const crash = useCrashTestEnvironment('relay-crash', { producer: 'bus_relay_crash', side: 'bus_relay_crash_view' });

  it('when the relay process is killed mid-stream and again after a publish but before removing the entries, then after a restart every event reaches the projection exactly once and no outbox keeps anything', async () => {
    const t0 = Date.now();
    const topic = uniqueTopic('relay-crash');
    const events = counterEvents(topic);
    const kafka = testKafka();
    await ensureTopics(kafka, [events.declaration]);
    const Counter = counterModel(crash.producerDb);
    await Counter.init();
    const View = counterViewModel(crash.sideDb);

    // 1. Commands with no relay anywhere: every event waits in its aggregate's outbox. Two commands
    // per aggregate (a creation, then an update), each committing five events in one write.
    const ids = Array.from({ length: AGGREGATES }, (_, i) => `counter-${String(i).padStart(3, '0')}`);
    const increments = (from: number, count: number, id: string) =>
      Array.from({ length: count }, (_, i) => draft(events.Incremented, { counterId: id, by: 1, value: from + i + 1 }));
    const half = EVENTS_PER_AGGREGATE / 2;
    await inParallel(ids, 2, async (id) => {
      await commitNew(Counter, {
        id,
        state: { value: half - 1 },
        events: [draft(events.Created, { counterId: id, value: 0 }), ...increments(0, half - 1, id)],
        context,
      });
      await commit(Counter, {
        id,
        expectedSequence: half,
        update: { $set: { value: EVENTS_PER_AGGREGATE - 1 } },
        events: increments(half - 1, half, id),
        context,
      });
    });
    const committed = await Counter.find().lean();
    const committedIds = committed.flatMap((doc) => doc.outbox.map((entry) => entry.id));
    expect(committedIds).toHaveLength(TOTAL);
    expect(new Set(committedIds).size).toBe(TOTAL);
    expect(await topicMessageCount(crash.admin, topic)).toBe(0);
    const tCommitted = Date.now();

    // The second "service": an idempotent projection that records each sequence it applied and
    // counts what it absorbed as stale.
    const outcomes = { applied: 0, stale: 0 };
    const project = async (event: { subject: string; sequence: number; data: { value: number } }) => {
      outcomes[
        await applyProjection(View as never, event, { value: event.data.value }, { push: { applied: event.sequence } })
      ] += 1;
    };
    const consumer = createConsumer({
      kafka,
      groupId: uniqueGroup('relay-crash-projection'),
      subscriptions: [{ topic, events: [events.Created, events.Incremented] }],
      handlers: {
        'test.counter.created': (e) => project(e as never),
        'test.counter.incremented': (e) => project(e as never),
      },
    });
    await consumer.start();
    crash.cleanups.push(() => consumer.stop());

    // Same relay name for every process: a restart is the same service taking its lease back. A
    // short lease so the lease of a killed relay expires within seconds; small rounds so the first
    // relay is still busy when it is killed.
    const relayEnv = {
      MONGODB_URI: mongodbUri(),
      KAFKA_BROKERS: kafkaBrokers().join(','),
      BUS_TEST_DATABASE: crash.producerDb.name,
      BUS_TEST_RELAY_NAME: `relay-${topic}`,
      BUS_TEST_BATCH_SIZE: '2',
      BUS_TEST_LEASE_MS: '2000',
    };
    const startRelay = (name: string, env: Record<string, string> = {}) => {
      const child = startTestProcess(name, relayProcessFile, { ...relayEnv, ...env });
      crash.processes.push(child);
      return child;
    };
    const pendingDocuments = () => Counter.countDocuments({ 'outbox.0': { $exists: true } });

    // 2. Kill point A, from outside: SIGKILL as soon as the topic holds some events — wherever the
    // relay is in its round (reading, publishing, removing).
    const relayA = startRelay('relay-A');
    await waitFor(async () => (await topicMessageCount(crash.admin, topic)) > 0 || relayA.exitStatus(), {
      timeoutMs: 60_000,
      intervalMs: 10,
      message: 'the first relay to publish something',
    });
    const exitA = await relayA.kill();
    expect(exitA, relayA.output()).toEqual({ code: null, signal: 'SIGKILL' });
    const onTopicAfterA = await topicMessageCount(crash.admin, topic);
    const pendingAfterA = await pendingDocuments();
    console.log(
      `relay A killed from outside: ${onTopicAfterA}/${TOTAL} events on the topic, ${pendingAfterA}/${AGGREGATES} outboxes not empty`,
    );
    expect(onTopicAfterA).toBeGreaterThan(0);
    expect(onTopicAfterA, 'relay A was killed part-way, not after it had published everything').toBeLessThan(TOTAL);
    expect(pendingAfterA).toBeGreaterThan(0);

    // 3. Kill point B, from inside: the relay SIGKILLs itself right after the broker acknowledged
    // its first publish, before it removes those entries (it takes relay A's lease over first).
    const publishedFile = join(crash.scratch, 'published-by-B.json');
    const relayB = startRelay('relay-B', { BUS_TEST_KILL_AFTER_PUBLISH: publishedFile });
    const exitB = await waitFor(() => relayB.exitStatus(), {
      timeoutMs: 60_000,
      message: 'relay B to kill itself after its first publish',
    });
    expect(exitB, relayB.output()).toEqual({ code: null, signal: 'SIGKILL' });
    const publishedByB = JSON.parse(readFileSync(publishedFile, 'utf8')) as string[];
    expect(publishedByB.length).toBeGreaterThan(0);
    const stillPending = new Set((await Counter.find().lean()).flatMap((doc) => doc.outbox.map((entry) => entry.id)));
    expect(
      publishedByB.filter((id) => !stillPending.has(id)),
      'what relay B published is still in the outboxes (published, not removed)',
    ).toEqual([]);
    const onTopicAfterB = await topicMessageCount(crash.admin, topic);
    expect(onTopicAfterB).toBeGreaterThanOrEqual(onTopicAfterA + publishedByB.length);
    console.log(
      `relay B killed itself after publishing ${publishedByB.length} events; ${stillPending.size} events still in outboxes`,
    );

    // 4. A restarted relay publishes the rest, including B's events a second time.
    const relayC = startRelay('relay-C', { BUS_TEST_BATCH_SIZE: '200' });
    await waitFor(
      async () => (await pendingDocuments()) === 0 && (await Counter.countDocuments({ outboxPending: true })) === 0,
      {
        timeoutMs: 90_000,
        intervalMs: 200,
        message: 'every outbox empty after the restart',
      },
    );
    const onTopic = await topicMessageCount(crash.admin, topic);
    await waitFor(() => consumer.stats.processed >= onTopic, {
      timeoutMs: 90_000,
      intervalMs: 200,
      message: `the projection consumer to handle all ${onTopic} messages on the topic`,
    });
    expect(await relayC.stop(), relayC.output()).toEqual({ code: 0, signal: null });
    console.log(
      `${TOTAL} events committed in ${tCommitted - t0} ms; ${onTopic} messages on the topic; done after ${Date.now() - t0} ms`,
    );

    // Every event exactly once in the projection, each aggregate's in order.
    const views: CounterView[] = await View.find().lean();
    expect(views).toHaveLength(AGGREGATES);
    const expectedSequences = Array.from({ length: EVENTS_PER_AGGREGATE }, (_, i) => i + 1);
    for (const view of views) {
      expect(view.applied, `events applied to ${view._id}`).toEqual(expectedSequences);
      expect(view.sequence).toBe(EVENTS_PER_AGGREGATE);
      expect(view.value).toBe(EVENTS_PER_AGGREGATE - 1);
    }
    expect(outcomes.applied).toBe(TOTAL);
    // The duplicates were real (the topic holds more messages than events, B's events at least
    // twice) and the projection absorbed each of them as stale.
    expect(onTopic).toBeGreaterThan(TOTAL);
    expect(outcomes.stale).toBe(consumer.stats.processed - TOTAL);
    expect(outcomes.stale).toBeGreaterThanOrEqual(onTopic - TOTAL);
    const onTopicById = await eventIdsOnTopic(kafka, topic);
    expect([...onTopicById.keys()].sort()).toEqual([...committedIds].sort());
    for (const id of publishedByB)
      expect(onTopicById.get(id), `copies of ${id} on the topic`).toBeGreaterThanOrEqual(2);
    expect(consumer.stats.deadLettered).toBe(0);
    // Nothing left behind.
    expect(await pendingDocuments()).toBe(0);
    expect(await Counter.countDocuments({ outboxPending: true })).toBe(0);
  }, 180_000);
});
