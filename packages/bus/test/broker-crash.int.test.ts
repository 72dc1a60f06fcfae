/**
 * Acceptance 3: the Kafka broker killed (SIGKILL) during a stream of commands and restarted: no
 * accepted command loses its event; the projection converges to the exact expected state.
 * This test starts its own broker and database processes (own ports and folders), so killing them
 * never disturbs the rest of the suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  freePort,
  killProcess,
  startFerretdb,
  startKafka,
  stopProcess,
  type FerretdbProcess,
  type KafkaProcess,
} from '@tongxin/local-stack';
import { waitFor } from '@tongxin/testkit';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createConsumer, createKafkaClient, createRelay, ensureTopics } from '../src/index.js';
import {
  counterEvents,
  counterModel,
  counterProjectionHandlers,
  counterViewModel,
  createCounter,
  incrementKnown,
  inParallel,
} from './support/counter.js';

const AGGREGATES = 40;

describe('broker crash during a stream of commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongxin-broker-crash-'));
  let kafkaProcess: KafkaProcess;
  let ferret: FerretdbProcess;
  let kafkaPort: number;
  let controllerPort: number;
  const connections: Connection[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    [kafkaPort, controllerPort] = [await freePort(), await freePort()];
    kafkaProcess = await startKafka({ dir: join(dir, 'kafka'), port: kafkaPort, controllerPort, heap: '256m' });
    ferret = await startFerretdb({ dir: join(dir, 'ferretdb'), port: await freePort() });
  }, 180_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    for (const connection of connections) await connection.close().catch(() => {});
    if (kafkaProcess) await stopProcess(kafkaProcess.pid, 10_000);
    if (ferret) await stopProcess(ferret.pid, 10_000);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('when the broker is killed mid-stream and restarted, then every accepted command’s event reaches the projection exactly once', async () => {
    const connect = async (dbName: string) => {
      const connection = await mongoose.createConnection(ferret.uri, { dbName }).asPromise();
      connections.push(connection);
      return connection;
    };
    const Counter = counterModel(await connect('producer'));
    const View = counterViewModel(await connect('consumer'));
    const events = counterEvents('counters.crash.v1');
    const kafka = createKafkaClient({ brokers: kafkaProcess.brokers, clientId: 'broker-crash-test' });
    await ensureTopics(kafka, [events.declaration]);

    const relay = createRelay({ kafka, models: [Counter as never], name: 'crash-relay', pollMs: 200 });
    await relay.start();
    cleanups.push(() => relay.stop());
    const consumer = createConsumer({
      kafka,
      groupId: 'crash-projection',
      subscriptions: [{ topic: events.declaration.name, events: [events.Created, events.Incremented] }],
      handlers: counterProjectionHandlers(View),
      sessionTimeoutMs: 10_000,
    });
    await consumer.start();
    cleanups.push(() => consumer.stop());

    const ids = Array.from({ length: AGGREGATES }, (_, i) => `agg-${i}`);
    await inParallel(ids, 4, (id) => createCounter(Counter, events, id));
    const states = new Map(ids.map((id) => [id, { sequence: 1, value: 0 }]));
    let accepted = AGGREGATES;
    const round = async () => {
      for (const id of ids) {
        await incrementKnown(Counter, events, id, states.get(id)!);
        accepted += 1;
      }
    };

    // Before the crash: the path works end to end.
    await round();
    await waitFor(async () => (await View.countDocuments({ sequence: 2 })) === AGGREGATES, {
      timeoutMs: 60_000,
      message: 'the first round in the projection',
    });

    // The broker dies; commands go on being accepted (they only need the database).
    await killProcess(kafkaProcess.pid);
    await round();
    await round();
    const acceptedWhileDown = 2 * AGGREGATES;
    expect(await Counter.countDocuments({ outboxPending: true })).toBe(AGGREGATES); // waiting, not lost

    // The broker comes back on the same port with the same data.
    kafkaProcess = await startKafka({ dir: join(dir, 'kafka'), port: kafkaPort, controllerPort, heap: '256m' });
    await round();

    const finalSequence = 5;
    await waitFor(async () => (await View.countDocuments({ sequence: finalSequence })) === AGGREGATES, {
      timeoutMs: 120_000,
      intervalMs: 500,
      message: `every aggregate at sequence ${finalSequence} in the projection after the broker restart`,
    });
    const views = await View.find().sort({ _id: 1 }).lean();
    for (const view of views) {
      expect(view.applied, view._id).toEqual([1, 2, 3, 4, 5]);
      expect(view.value).toBe(states.get(view._id)!.value);
    }
    expect(accepted).toBe(AGGREGATES * finalSequence);
    expect(acceptedWhileDown).toBeGreaterThan(0);
    // Every outbox emptied (a removal waits up to the relay's removeAfterMs for a next commit).
    await waitFor(async () => (await Counter.countDocuments({ 'outbox.0': { $exists: true } })) === 0, {
      timeoutMs: 15_000,
      message: 'every outbox empty',
    });
    expect(relay.stats.failures).toBeGreaterThan(0); // the relay did see the outage and recovered
  }, 300_000);
});
