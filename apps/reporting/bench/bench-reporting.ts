/**
 * `npm run bench:reporting` — how fast the reporting read models take in a city's events, replayed
 * from Kafka into an empty database (what `npm run rebuild` does, and what the live consumer does
 * when it trails the producers).
 *
 * Publishes a synthetic city (BENCH_CHILDREN children over Yueyang's villages: registered, some
 * categorised in difficulty, some given a guardian, some with a case opened, resolved and closed)
 * with ids of this run's prefix, then replays it twice into fresh databases — each time a new consumer
 * group starting at the offsets the topics had before the city was published, so only this run's
 * events are read:
 *  - baseline: every event's documents written, and its region ancestors brought up to date, as
 *    soon as it is handled (how it was done before);
 *  - ours: the write-behind store flushed before offsets are committed (about once a second) and
 *    ancestors once per region flush (FLUSH_AFTER_MS / FLUSH_AT_PENDING).
 * Prints wall time and events/s of each, checks that both give the same city totals, and
 * drops both databases.
 */
import { randomBytes } from 'node:crypto';

import { createKafkaClient } from '@tongxin/bus';
import { eventStandIn } from '@tongxin/bus/testing';
import { caseEvents, CASE_TOPIC, childEvents, CHILD_TOPIC, type ChildSnapshot } from '@tongxin/contracts/registry';
import { YUEYANG_VILLAGES } from '@tongxin/contracts/values';
import { createDatabase } from '@tongxin/service-kit';

import { stable } from '../src/domain/tally.js';
import { readModels } from '../src/read-models/models.js';
import { regionTotals } from '../src/read-models/regions.js';
import { createReportingConsumer, SUBSCRIPTIONS } from '../src/messaging/projections.js';

const CHILDREN = Number(process.env.BENCH_CHILDREN ?? 600);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const mongodbUri = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027';
const run = `bench${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const kafka = createKafkaClient({ clientId: 'bench-reporting', brokers });

/** A small deterministic generator (mulberry32), so two runs publish the same city. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function publishCity(): Promise<number> {
  const standIn = eventStandIn(kafka);
  const definitions = new Map<string, (typeof childEvents)[number] | (typeof caseEvents)[number]>(
    [...childEvents, ...caseEvents].map((d) => [d.type, d]),
  );
  // Every event exactly as its contract says (a wrong one would be dead-lettered, not measured).
  const bus = {
    publish: (topic: string, subject: string, type: string, data: unknown, options?: { time?: string }) =>
      standIn.publish(topic, subject, type, definitions.get(type)!.data.parse(data), options),
    close: () => standIn.close(),
  };
  const rnd = random(20_181_231);
  let events = 0;
  try {
    for (let i = 0; i < CHILDREN; i++) {
      const village = YUEYANG_VILLAGES[Math.floor(rnd() * YUEYANG_VILLAGES.length)]!.code;
      const childId = `${run}-c${i}`;
      const child: ChildSnapshot = {
        childId,
        name: `儿童${i}`,
        sex: i % 2 ? 'female' : 'male',
        birthDate: '2010-05-01',
        regionCode: village,
        categories: ['left_behind'],
        difficultyTypes: [],
        supervision: rnd() < 0.1 ? 'unsupervised' : 'supervised',
        schooling: { status: 'enrolled' },
        status: 'active',
      };
      await bus.publish(CHILD_TOPIC, childId, 'registry.child.registered', child, {
        time: '2018-03-01T09:00:00+08:00',
      });
      events += 1;
      if (rnd() < 0.15) {
        const categorised = {
          ...child,
          categories: ['left_behind', 'in_difficulty'],
          difficultyTypes: ['economic_hardship'],
          previousCategories: child.categories,
          previousDifficultyTypes: [],
          rulesVersion: '2018.1',
          effectiveOn: '2018-03-01',
          explanation: [{ rule: 'in_difficulty.economic_hardship', met: true }],
        };
        await bus.publish(CHILD_TOPIC, childId, 'registry.child.categorised', categorised);
        events += 1;
      }
      if (child.supervision === 'unsupervised') {
        const caseId = `${run}-k${i}`;
        const opened = {
          caseId,
          childId,
          caseType: 'guardian_assignment',
          regionCode: village,
          ownerDepartment: 'civil_affairs',
          status: 'opened',
          openedAt: '2018-03-02T09:00:00+08:00',
          dueAt: '2018-04-02T09:00:00+08:00',
        };
        await bus.publish(CASE_TOPIC, caseId, 'registry.case.opened', opened);
        const done = { ...opened, resolvedAt: '2018-03-10T09:00:00+08:00', outcome: 'guardian_assigned' };
        await bus.publish(CASE_TOPIC, caseId, 'registry.case.resolved', { ...done, status: 'resolved' });
        await bus.publish(CHILD_TOPIC, childId, 'registry.child.guardian_assigned', {
          ...child,
          supervision: 'supervised',
          guardian: { kind: 'entrusted_person', relation: 'uncle_or_aunt' },
          assignedOn: '2018-03-10',
          caseId,
        });
        events += 3;
      }
    }
  } finally {
    await bus.close();
  }
  return events;
}

/** Where every topic ends now: the replays start there. */
async function endOffsets() {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = [];
    for (const { topic } of SUBSCRIPTIONS) {
      const partitions = await admin.fetchTopicOffsets(topic);
      ends.push({ topic, partitions: partitions.map((p) => ({ partition: p.partition, offset: p.high })) });
    }
    return ends;
  } finally {
    await admin.disconnect();
  }
}

async function replay(propagate: 'batched' | 'per-event', from: Awaited<ReturnType<typeof endOffsets>>) {
  const db = createDatabase({ uri: mongodbUri, dbName: `bench_reporting_${run}_${propagate.replace('-', '')}` });
  await db.open();
  const groupId = `${run}-${propagate}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const { topic, partitions } of from) await admin.setOffsets({ groupId, topic, partitions });
    const models = readModels(db.connection);
    const logger = {
      info: () => {},
      warn: (o: object, m?: string) => console.warn(m, o),
      error: (o: object, m?: string) => console.error(m, o),
    };
    const consumer = createReportingConsumer({ kafka, models, groupId, propagate, logger });
    const started = Date.now();
    await consumer.start();
    try {
      while ((await consumer.lag()) > 0) await new Promise((r) => setTimeout(r, 250));
    } finally {
      await consumer.stop(); // flushes what is pending
    }
    const ms = Date.now() - started;
    const city = await regionTotals(models, '4306');
    return { ms, processed: consumer.stats.processed, deadLettered: consumer.stats.deadLettered, city };
  } finally {
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect();
    await db.connection.dropDatabase().catch(() => {});
    await db.close();
  }
}

console.log(`bench:reporting — ${CHILDREN} children (BENCH_CHILDREN), run ${run}`);
const t0 = Date.now();
const from = await endOffsets();
const events = await publishCity();
console.log(`published ${events} events in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const rows: { mode: string; ms: number; read: number }[] = [];
let reference: string | undefined;
for (const mode of ['per-event', 'batched'] as const) {
  const r = await replay(mode, from);
  rows.push({ mode, ms: r.ms, read: r.processed });
  const totals = stable(r.city);
  if (reference !== undefined && totals !== reference)
    throw new Error(`${mode}: the city totals differ from the baseline's`);
  reference = totals;
  console.log(
    `${mode === 'per-event' ? 'baseline (written per event)      ' : 'ours (written once a second)      '}: ${events} events applied` +
      ` (${r.processed} read, ${r.deadLettered} dead-lettered) in ${(r.ms / 1000).toFixed(1)} s = ` +
      `${(events / (r.ms / 1000)).toFixed(1)} events/s; city: ${r.city.counts['children:active'] ?? 0} active children`,
  );
}
const [base, ours] = rows as [(typeof rows)[0], (typeof rows)[0]];
console.log(`speed-up ×${(base.ms / ours.ms).toFixed(2)}; both replays give identical city totals`);
