/** Where the consumer runner's per-message CPU goes (no Kafka): the steps of handleMessage in a tight loop. */
import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { fromKafkaRecord, headersToStrings, newEventId, toKafkaRecord } from '@tongxin/contracts';
import { z } from 'zod';
const data = z.object({
  itemId: z.string(),
  by: z.number().int(),
  value: z.number().int(),
  note: z.string(),
  region: z.string(),
});
const N = 50_000;
const messages = Array.from({ length: N }, (_, i) => {
  const r = toKafkaRecord({
    id: newEventId(),
    type: 'bench.item.recorded',
    version: 1,
    source: 'bench',
    subject: 'item-' + (i % 200),
    sequence: i + 1,
    time: new Date().toISOString(),
    correlationId: 'c',
    data: { itemId: 'k', by: 1, value: i, note: 'x'.repeat(200), region: '520000' },
  });
  return {
    key: Buffer.from(r.key),
    value: r.value,
    headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Buffer.from(v)])),
    offset: String(i),
  };
});
const tracer = trace.getTracer('x');
const time = (name: string, f: (m: (typeof messages)[number]) => unknown) => {
  for (let i = 0; i < 5000; i++) f(messages[i]!);
  const t = performance.now();
  for (const m of messages) f(m);
  console.log(name.padEnd(48), (((performance.now() - t) * 1000) / N).toFixed(2), 'µs/msg');
};
time('JSON.parse(value) (what raw does)', (m) => JSON.parse(m.value.toString()));
time('headersToStrings', (m) => headersToStrings(m.headers));
time('fromKafkaRecord (headers + JSON + ZEventMeta)', (m) => fromKafkaRecord(m));
const events = messages.map((m) => fromKafkaRecord(m));
time('data safeParse', (_m) => data.safeParse(events[0]!.data));
time('propagation.extract(headersToStrings)', (m) => propagation.extract(ROOT_CONTEXT, headersToStrings(m.headers)));
time('context.with + startActiveSpan + end', () =>
  context.with(ROOT_CONTEXT, () =>
    tracer.startActiveSpan(
      'x',
      { kind: SpanKind.CONSUMER, attributes: { a: 1, b: 'x', c: 2, d: 'y', e: 'z', f: 'g', g: 'h', h: 'i' } },
      (s) => s.end(),
    ),
  ),
);
