/**
 * One trace spans HTTP → outbox → Kafka → consumer: commit() writes inside an `outbox commit` span
 * and stores its W3C trace context with each outbox entry; the relay publishes each event in a
 * publish span, a child of that commit, and sends the publish span's context as `traceparent`;
 * the consumer runner continues it with its process span.
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

  it('when a request commits an event, then commit, publish and the consumer’s span continue the request’s trace in order', async () => {
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
    const commitSpan = exporter.getFinishedSpans().find((s) => s.name === `outbox commit ${Counter.collection.name}`);
    expect(commitSpan?.spanContext().traceId).toBe(request.traceId);
    expect(parentOf(commitSpan!)).toBe(request.spanId);
    const stored = (await Counter.findById('traced').lean()) as CounterDoc;
    expect(stored.outbox[0]!.traceparent).toBe(`00-${request.traceId}-${commitSpan!.spanContext().spanId}-01`);

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
    const publishSpan = exporter.getFinishedSpans().find((s) => s.name === `${topic} publish`);
    expect(publishSpan?.spanContext().traceId).toBe(request.traceId);
    expect(parentOf(publishSpan!)).toBe(commitSpan!.spanContext().spanId);
    expect(publishSpan!.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'tongxin.event.type': 'test.counter.created',
    });
    expect(consumerSpan.spanContext().traceId).toBe(request.traceId);
    expect(parentOf(consumerSpan)).toBe(publishSpan!.spanContext().spanId);
    expect(consumerSpan.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'tongxin.event.type': 'test.counter.created',
    });
  });
});
