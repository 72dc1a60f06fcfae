/**
 * Acceptance 4: a consumer is a real process applying effects with `applyOnce`, and it is killed
 * with SIGKILL from inside a handler right after it applied an effect — after applying, before the
 * runner resolved or committed that offset (offsets are committed at most once a second). Restarted
 * in the same group, it receives the uncommitted messages again: every total is exact and every
 * event id is remembered once, although messages were really delivered twice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { draft } from '@tongxin/contracts';
import { kafkaBrokers, mongodbUri, testKafka, uniqueGroup, uniqueTopic, waitFor } from '@tongxin/testkit';
import type { Model } from 'mongoose';
import { describe, expect, it } from 'vitest';

import { commit, createRelay, ensureTopics } from '../src/index.js';
import {
  counterEvents,
  counterModel,
  createCounter,
  inParallel,
  type CounterDoc,
  type CounterEvents,
} from './support/counter.js';
import { useCrashTestEnvironment } from './support/crash-test.js';
import { startTestProcess } from './support/processes.js';
import { committedMessageCount, topicMessageCount } from './support/topic.js';
import { counterTotalModel, type CounterTotal } from './support/totals.js';

const AGGREGATES = 50;
const EVENTS_PER_AGGREGATE = 20;
const TOTAL = AGGREGATES * EVENTS_PER_AGGREGATE;
/** The first consumer kills itself right after applying this many effects. */
const KILL_AFTER_APPLIED = 400;
const consumerProcessFile = join(import.meta.dirname, 'processes', 'consumer-process.ts');

/** The increments of aggregate `a`: varied, so a total applied twice or missed cannot go unnoticed. */
const incrementBy = (a: number, i: number) => 1 + ((a * 7 + i * 3) % 11);

/** One command on a counter whose sequence the caller knows, emitting one event per increment. */
async function incrementMany(
  Counter: Model<CounterDoc>,
  events: CounterEvents,
  id: string,
  state: { sequence: number; value: number },
  bys: readonly number[],
): Promise<void> {
  let value = state.value;
  const drafts = bys.map((by) => draft(events.Incremented, { counterId: id, by, value: (value += by) }));
  await commit(Counter, {
    id,
    expectedSequence: state.sequence,
    update: { $set: { value } },
    events: drafts,
    context: { source: 'test' },
  });
  state.sequence += drafts.length;
  state.value = value;
}

describe('consumer killed with SIGKILL between applying and committing', () => {
  const crash = useCrashTestEnvironment('consumer-crash', {
    producer: 'bus_consumer_crash',
    side: 'bus_consumer_crash_fx',
  });

  it('when a consumer is killed after applying an effect and before committing its offset, then after a restart in the same group every total is exact and no effect was applied twice', async () => {
    const t0 = Date.now();
    const topic = uniqueTopic('consumer-crash');
    const group = uniqueGroup('consumer-crash-effects');
    const events = counterEvents(topic);
    const kafka = testKafka();
    await ensureTopics(kafka, [events.declaration]);
    const Counter = counterModel(crash.producerDb);
    await Counter.init();
    const Totals = counterTotalModel(crash.sideDb);

    // 1. The stream: commands through the outbox, published by a relay in this process.
    const ids = Array.from({ length: AGGREGATES }, (_, a) => `counter-${String(a).padStart(3, '0')}`);
    const expectedTotals = new Map<string, number>();
    const relay = createRelay({ kafka, models: [Counter as never], name: `relay-${topic}` });
    await relay.start();
    crash.cleanups.push(() => relay.stop());
    await inParallel(
      ids.map((id, a) => ({ id, a })),
      2,
      async ({ id, a }) => {
        await createCounter(Counter, events, id);
        const state = { sequence: 1, value: 0 };
        const bys = Array.from({ length: EVENTS_PER_AGGREGATE - 1 }, (_, i) => incrementBy(a, i + 1));
        // Commands that emit five events each: fewer writes, the same stream.
        for (let i = 0; i < bys.length; i += 5) await incrementMany(Counter, events, id, state, bys.slice(i, i + 5));
        expectedTotals.set(id, state.value);
      },
    );
    await waitFor(async () => (await topicMessageCount(crash.admin, topic)) >= TOTAL, {
      timeoutMs: 60_000,
      intervalMs: 200,
      message: `${TOTAL} events on the topic`,
    });
    await relay.stop();
    expect(await topicMessageCount(crash.admin, topic)).toBe(TOTAL);
    const tPublished = Date.now();

    const deliveriesFile = join(crash.scratch, 'deliveries.log');
    const consumerEnv = {
      MONGODB_URI: mongodbUri(),
      KAFKA_BROKERS: kafkaBrokers().join(','),
      BUS_TEST_DATABASE: crash.sideDb.name,
      BUS_TEST_TOPIC: topic,
      BUS_TEST_GROUP: group,
      BUS_TEST_DELIVERIES_FILE: deliveriesFile,
      // The group forgets the killed member after this long, so the restart gets its partitions.
      BUS_TEST_SESSION_TIMEOUT_MS: '10000',
    };
    const startConsumer = (name: string, env: Record<string, string> = {}) => {
      const child = startTestProcess(name, consumerProcessFile, { ...consumerEnv, ...env });
      crash.processes.push(child);
      return child;
    };
    const appliedEffects = async () =>
      (await Totals.find({}, { count: 1 }).lean()).reduce((sum, t) => sum + (t.count ?? 0), 0);

    // 2. The kill: inside the handler, right after the KILL_AFTER_APPLIED-th effect was applied.
    const first = startConsumer('consumer-1', { BUS_TEST_KILL_AFTER_APPLIED: String(KILL_AFTER_APPLIED) });
    const exit1 = await waitFor(() => first.exitStatus(), {
      timeoutMs: 90_000,
      intervalMs: 100,
      message: `the first consumer to kill itself after ${KILL_AFTER_APPLIED} effects`,
    });
    expect(exit1, first.output()).toEqual({ code: null, signal: 'SIGKILL' });
    const appliedAtKill = await appliedEffects();
    const committedAtKill = await committedMessageCount(crash.admin, group, topic);
    console.log(
      `consumer 1 killed itself after applying ${appliedAtKill}/${TOTAL} effects (${Date.now() - t0} ms); the group had committed ${committedAtKill} offsets`,
    );
    expect(appliedAtKill).toBe(KILL_AFTER_APPLIED);
    // Applied but not committed: these come back to the next member of the group.
    expect(committedAtKill).toBeLessThan(appliedAtKill);

    // 3. The restart, same group: it starts from the committed offsets.
    const second = startConsumer('consumer-2');
    await waitFor(
      async () =>
        (await appliedEffects()) >= TOTAL && (await committedMessageCount(crash.admin, group, topic)) === TOTAL,
      {
        timeoutMs: 120_000,
        intervalMs: 250,
        message: `all ${TOTAL} effects applied and every offset committed (consumer 2: ${second.output(5)})`,
      },
    );
    expect(await second.stop(), second.output()).toEqual({ code: 0, signal: null });
    console.log(
      `${TOTAL} events published after ${tPublished - t0} ms; crash and recovery done after ${Date.now() - t0} ms`,
    );

    // Every total exact, every event id remembered exactly once.
    const totals: CounterTotal[] = await Totals.find().lean();
    expect(totals).toHaveLength(AGGREGATES);
    for (const total of totals) {
      expect(total.total, `total of ${total._id}`).toBe(expectedTotals.get(total._id));
      expect(total.count, `effects applied to ${total._id}`).toBe(EVENTS_PER_AGGREGATE);
      expect(total.appliedEvents).toHaveLength(EVENTS_PER_AGGREGATE);
      expect(new Set(total.appliedEvents).size).toBe(EVENTS_PER_AGGREGATE);
    }
    const remembered = totals.flatMap((t) => t.appliedEvents);
    expect(new Set(remembered).size).toBe(TOTAL);

    // Redelivery really happened, and applyOnce turned each repeat into a 'duplicate'.
    const deliveries = readFileSync(deliveriesFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [id, result, pid] = line.split(' ');
        return { id: id!, result: result!, pid: Number(pid) };
      });
    const applied = deliveries.filter((d) => d.result === 'applied');
    const duplicates = deliveries.filter((d) => d.result === 'duplicate');
    console.log(
      `${deliveries.length} deliveries: ${applied.length} applied, ${duplicates.length} duplicates (redelivered after the kill)`,
    );
    expect(applied).toHaveLength(TOTAL);
    expect(new Set(applied.map((d) => d.id)).size).toBe(TOTAL);
    expect(duplicates.length).toBeGreaterThan(0);
    expect(duplicates.length).toBeGreaterThanOrEqual(appliedAtKill - committedAtKill);
    // The very effect the first consumer was killed right after came back and was recognised.
    const lastAppliedByFirst = applied.filter((d) => d.pid === first.pid).at(-1)!;
    expect(duplicates.filter((d) => d.pid === second.pid).map((d) => d.id)).toContain(lastAppliedByFirst.id);
  }, 180_000);
});
