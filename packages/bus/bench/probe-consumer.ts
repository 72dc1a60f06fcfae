import { defineEvent, newEventId, toKafkaRecord } from '@tongxin/contracts';
import { z } from 'zod';
import { createConsumer, createKafkaClient, ensureTopics, KafkaPublisher } from '../src/index.js';
const RUN = Date.now().toString(36);
const kafka = createKafkaClient({ brokers: '127.0.0.1:19092', clientId: 'probe' });
const topic = `probe.c.${RUN}`;
const N = 40000;
await ensureTopics(kafka, [{ name: topic, partitions: 3, retentionMs: 3600000 }]);
const def = defineEvent({
  type: 'bench.item.recorded',
  version: 1,
  topic,
  data: z.object({
    itemId: z.string(),
    by: z.number().int(),
    value: z.number().int(),
    note: z.string(),
    region: z.string(),
  }),
  description: 'x',
});
const pub = new KafkaPublisher(kafka);
const t = new Date().toISOString();
for (let b = 0; b < N / 500; b++)
  await pub.publish(
    Array.from({ length: 500 }, (_, i) => ({
      topic,
      ...toKafkaRecord({
        id: newEventId(),
        type: def.type,
        version: 1,
        source: 's',
        subject: 'k' + (i % 200),
        sequence: 1 + b * 10 + Math.floor(i / 200),
        time: t,
        correlationId: 'c',
        data: { itemId: 'k', by: 1, value: i, note: 'x'.repeat(200), region: '520000' },
      }),
    })),
  );
await pub.disconnect();
const mode = process.argv[2] ?? 'ours';
const admin = kafka.admin();
await admin.connect();
let count = 0;
const t0 = performance.now();
let last = 0;
if (mode === 'ours') {
  const r = createConsumer({
    kafka,
    groupId: `probe.g.${RUN}`,
    subscriptions: [{ topic, events: [def] }],
    handlers: {
      [def.type]: async () => {
        count++;
        if (count === N) last = performance.now();
      },
    },
  });
  await r.start();
  while (count < N) await new Promise((res) => setTimeout(res, 5));
  await r.stop();
} else {
  const c = kafka.consumer({ groupId: `probe.g.${RUN}` });
  await c.connect();
  await c.subscribe({ topic, fromBeginning: true });
  await c.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) JSON.parse(m.value!.toString());
      count += batch.messages.length;
      if (count >= N) last = performance.now();
    },
  });
  while (count < N) await new Promise((res) => setTimeout(res, 5));
  await c.disconnect();
}
console.log(mode, N, 'in', (last - t0).toFixed(0), 'ms', ((N / (last - t0)) * 1000).toFixed(0), 'msgs/s');
const all = await admin.listTopics();
await admin.deleteTopics({ topics: all.filter((x) => x.includes(RUN)) });
await admin.disconnect();
