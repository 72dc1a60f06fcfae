/**
 * One trace spans HTTP → outbox → Kafka → consumer: commit() stores the active W3C trace context
 * with each outbox entry, the relay sends it as `traceparent`, and the consumer runner continues it.
 */
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { connectTestDatabase, testKafka, uniqueGroup, uniqueTopic, waitFor } from '@tongxin/testkit';
import { afterAll, describe, expect, it } from 'vitest';

import { createConsumer, createRelay, ensureTopics } from '../src/index.js';
import { counterEvents, counterModel, createCounter, type CounterDoc } from './support/counter.js';

// Each vitest file runs in its own process, so registering a global provider here is isolated.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

const parentOf = (span: ReadableSpan): string | undefined =>
  (span as unknown as { parentSpanContext?: { spanId: string } }).parentSpanContext?.spanId ??
  (span as unknown as { parentSpanId?: string }).parentSpanId;

describe('tracing through the outbox', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    await provider.shutdown();
  });

  it('when a request commits an event, then the consumer’s span continues the request’s trace', async () => {
    const db = await connectTestDatabase('bus_trace');
    cleanups.push(() => db.closeAndDrop());
    const topic = uniqueTopic('trace');
    const events = counterEvents(topic);
    const kafka = testKafka();
    await ensureTopics(kafka, [events.declaration]);
    const Counter = counterModel(db);

    const tracer = trace.getTracer('test-http');
    const request = await tracer.startActiveSpan('POST /counters', async (span) => {
      await createCounter(Counter, events, 'traced');
      span.end();
      return span.spanContext();
    });
    const stored = (await Counter.findById('traced').lean()) as CounterDoc;
    expect(stored.outbox[0]!.traceparent).toBe(`00-${request.traceId}-${request.spanId}-01`);

    const relay = createRelay({ kafka, models: [Counter as never], name: `trace-${topic}` });
    await relay.start();
    cleanups.push(() => relay.stop());
    let handled = false;
    const consumer = createConsumer({
      kafka,
      groupId: uniqueGroup('trace'),
      subscriptions: [{ topic, events: [events.Created] }],
      handlers: {
        'test.counter.created': async () => {
          handled = true;
        },
      },
    });
    await consumer.start();
    cleanups.push(() => consumer.stop());
    await waitFor(() => handled, { timeoutMs: 30_000, message: 'the event to be handled' });

    const consumerSpan = await waitFor(() => exporter.getFinishedSpans().find((s) => s.name === `${topic} process`), {
      message: 'the consumer span',
    });
    expect(consumerSpan.spanContext().traceId).toBe(request.traceId);
    expect(parentOf(consumerSpan)).toBe(request.spanId);
    expect(consumerSpan.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'tongxin.event.type': 'test.counter.created',
    });
  });
});
