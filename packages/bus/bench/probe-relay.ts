/** Commits alone vs commits with the relay running: where does the outbox path's time go? */
import { draft } from '@tongxin/contracts';
import mongoose from 'mongoose';
import { commit, commitNew, createKafkaClient, createRelay, ensureTopics } from '../src/index.js';
import { counterEvents, counterModel } from '../test/support/counter.js';
const RUN = 'probe' + Date.now().toString(36);
const mode = process.argv[2] ?? 'alone';
const N = Number(process.argv[3] ?? 800),
  AGG = 100,
  W = 8;
const conn = await mongoose.createConnection('mongodb://127.0.0.1:27027', { dbName: `bench_${RUN}_x` }).asPromise();
const kafka = createKafkaClient({ brokers: '127.0.0.1:19092', clientId: 'probe' });
const topic = `bench.p.${RUN}`;
const events = counterEvents(topic);
await ensureTopics(kafka, [events.declaration]);
const Counter = counterModel(conn);
await Counter.init();
const ids = Array.from({ length: AGG }, (_, i) => `c${i}`);
for (const id of ids)
  await commitNew(Counter, {
    id,
    state: { value: 0 },
    events: [draft(events.Created, { counterId: id, value: 0 })],
    context: { source: 'p' },
  });
const relay = createRelay({ kafka, models: [Counter as never], name: 'r' + RUN });
if (mode === 'relay') await relay.start();
else {
  await relay.flush(60000);
}
const states = new Map(ids.map((id) => [id, { sequence: 1, value: 0 }]));
const lat: number[] = [];
let t = performance.now();
await Promise.all(
  Array.from({ length: W }, async (_, w) => {
    const mine = ids.filter((_, i) => i % W === w);
    for (let r = 0; r < N / AGG; r++)
      for (const id of mine) {
        const s = states.get(id)!;
        const t0 = performance.now();
        await commit(Counter, {
          id,
          expectedSequence: s.sequence,
          update: { $set: { value: s.value + 1 } },
          events: [draft(events.Incremented, { counterId: id, by: 1, value: s.value + 1 })],
          context: { source: 'p' },
        });
        lat.push(performance.now() - t0);
        s.sequence++;
        s.value++;
      }
  }),
);
const cmdMs = performance.now() - t;
lat.sort((a, b) => a - b);
console.log(
  mode,
  N,
  'commits in',
  cmdMs.toFixed(0),
  'ms =',
  ((N / cmdMs) * 1000).toFixed(0),
  '/s; commit p50',
  lat[lat.length >> 1]!.toFixed(1),
  'p99',
  lat[Math.floor(lat.length * 0.99)]!.toFixed(1),
  'relay',
  JSON.stringify(relay.stats),
);
t = performance.now();
if (mode === 'relay') await relay.stop();
const r2 = createRelay({ kafka, models: [Counter as never], name: 'r2' + RUN });
await r2.flush(300000);
console.log('flush after', (performance.now() - t).toFixed(0), 'ms', JSON.stringify(r2.stats));
await conn.dropDatabase();
await conn.close();
const admin = kafka.admin();
await admin.connect();
await admin.deleteTopics({ topics: [topic] });
await admin.disconnect();
