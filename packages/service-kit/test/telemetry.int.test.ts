/**
 * Tracing, with an in-memory exporter. Telemetry is initialised BEFORE express and mongoose are
 * loaded (dynamic import below), as a service's main.ts does. This file runs in its own worker
 * process, so the global providers it registers touch no other test.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { waitFor } from '@tongxin/testkit';
import { afterAll, describe, expect, it } from 'vitest';

import { initTelemetry } from '../src/telemetry.js';

const exporter = new InMemorySpanExporter();
const telemetry = await initTelemetry({
  serviceName: 'notes',
  spanProcessors: [new SimpleSpanProcessor(exporter)],
  env: {},
});
const { startNotes, pingjiangOfficer } = await import('./example/harness.js');

afterAll(async () => {
  await telemetry.shutdown();
});

describe('tracing', () => {
  it('when a request arrives with a W3C traceparent, then the server span continues that trace and the span is recorded with its status', async () => {
    const notes = await startNotes();
    try {
      const token = await notes.issuer.sign(pingjiangOfficer);
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const res = await fetch(`${notes.url}/notes`, {
        headers: { authorization: `Bearer ${token}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      });
      expect(res.status).toBe(200);
      const serverSpan = await waitFor(
        () => exporter.getFinishedSpans().find((s) => s.spanContext().traceId === traceId && s.kind === 1 /* SERVER */),
        { message: 'the HTTP server span of the request' },
      );
      expect(serverSpan.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(serverSpan.instrumentationScope.name).toBe('@opentelemetry/instrumentation-http');
      expect(serverSpan.attributes['http.response.status_code'] ?? serverSpan.attributes['http.status_code']).toBe(200);

      // Outgoing context is injected as traceparent (what the kafkajs instrumentation does for messages).
      const carrier: Record<string, string> = {};
      const tracer = trace.getTracer('test');
      tracer.startActiveSpan('outgoing', (span) => {
        propagation.inject(context.active(), carrier);
        span.end();
      });
      expect(carrier.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    } finally {
      await notes.close();
    }
  });
});
