/**
 * The consumer runner's own CPU per message (no Kafka, no database): `handleMessage` over kafkajs-shaped
 * messages, against the least a runner must do (decode the envelope, validate the data, await the
 * handler) and what the raw side of bench (a) does per message (JSON.parse of the value).
 * Alternating rounds; prints µs per message for each. `npx tsx bench/probe-runner-cost.ts`
 */
import { fromKafkaRecord, newEventId, toKafkaRecord } from '@tongxin/contracts';

import { createConsumer, createKafkaClient, silentLogger } from '../src/index.js';
import { defineBenchEvents, recordedData } from './events.js';

const N = 100_000;
const { Recorded } = defineBenchEvents('bench.probe', 3);
const messages = Array.from({ length: N }, (_, i) => {
  const r = toKafkaRecord({
    id: newEventId(),
    type: Recorded.type,
    version: 1,
    source: 'bench',
    subject: `item-${i % 200}`,
    sequence: i + 1,
    time: new Date().toISOString(),
    correlationId: 'c',
    data: recordedData(`item-${i % 200}`, 1, i),
  });
  return {
    key: Buffer.from(r.key),
    value: Buffer.from(r.value),
    headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Buffer.from(v)])),
    offset: String(i),
    timestamp: String(Date.now()),
    attributes: 0,
  };
});
let count = 0;
const runner = createConsumer({
  kafka: createKafkaClient({ brokers: ['127.0.0.1:1'], clientId: 'probe', logger: silentLogger }),
  groupId: 'probe',
  subscriptions: [{ topic: 'bench.probe', events: [Recorded] }],
  handlers: {
    [Recorded.type]: async () => {
      count += 1;
    },
  },
  logger: silentLogger,
} as never);
const heartbeat = async () => {};

async function ours(): Promise<number> {
  const t = performance.now();
  for (const m of messages) await runner.handleMessage('bench.probe', 0, m as never, heartbeat);
  return ((performance.now() - t) * 1000) / N;
}
/** The least a runner must do: decode the envelope, validate the data, await the handler. */
async function least(): Promise<number> {
  const handler = async () => {
    count += 1;
  };
  const t = performance.now();
  for (const m of messages) {
    const event = fromKafkaRecord(m as never);
    const parsed = Recorded.data.safeParse(event.data);
    if (!parsed.success) throw new Error('invalid');
    await handler();
  }
  return ((performance.now() - t) * 1000) / N;
}
function raw(): number {
  let checksum = 0;
  const t = performance.now();
  for (const m of messages) checksum += (JSON.parse(m.value.toString()) as { value: number }).value;
  if (checksum <= 0) throw new Error('nothing read');
  return ((performance.now() - t) * 1000) / N;
}
const rounds = Number(process.env.ROUNDS ?? 7);
const results = { ours: [] as number[], least: [] as number[], raw: [] as number[] };
await ours();
await least();
raw();
for (let round = 0; round < rounds; round += 1) {
  results.ours.push(await ours());
  results.least.push(await least());
  results.raw.push(raw());
}
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
console.log(
  `ours handleMessage µs/msg: ${results.ours.map((v) => v.toFixed(2)).join(' ')} (median ${median(results.ours).toFixed(2)})`,
);
console.log(
  `least (decode, validate, await) µs/msg: ${results.least.map((v) => v.toFixed(2)).join(' ')} (median ${median(results.least).toFixed(2)})`,
);
console.log(
  `raw JSON.parse    µs/msg: ${results.raw.map((v) => v.toFixed(2)).join(' ')} (median ${median(results.raw).toFixed(2)})`,
);
const lowest = (list: number[]) => Math.min(...list);
console.log(
  `runner's own: ${(median(results.ours) - median(results.raw)).toFixed(2)} µs/msg by medians, ${(lowest(results.ours) - lowest(results.raw)).toFixed(2)} by minima; handled ${count}`,
);
