/**
 * OpenTelemetry tracing for a service. Call `initTelemetry()` FIRST in the service's main.ts —
 * before anything imports express, mongoose/mongodb or kafkajs — because instrumentations patch
 * modules as they are loaded. The usual shape:
 *
 *   // apps/registry/src/main.ts
 *   import { initTelemetry } from '@tongxin/service-kit/telemetry';
 *   await initTelemetry({ serviceName: 'registry' });
 *   const { main } = await import('./service.js'); // express, mongoose… load after this line
 *   await main();
 *
 * ESM: the instrumentations' require hook does not see modules reached through `import` (express,
 * and kafkajs/mongodb through ESM code). Start the process with the loader hook,
 * `node --import tsx --import @tongxin/service-kit/register-telemetry main.ts` (launchPlatform and
 * `npm start` do): `initTelemetry()` then waits until the loader knows which modules to wrap, and
 * express and mongodb spans are recorded. Without the hook only HTTP spans are (as before).
 *
 * Kafka is traced by the bus, not by the kafkajs instrumentation: an event is published by the
 * outbox relay long after the request, in batches mixing many requests, so only the bus knows each
 * message's trace (the outbox entry's `traceparent`). The relay makes a publish span per event, a
 * child of the request's outbox commit, and the consumer runner continues it with a process span.
 * The kafkajs instrumentation would re-parent every message of a batch onto the relay's context and
 * overwrite its `traceparent`, cutting the trace in two — so it is not installed.
 *
 * This module imports only OpenTelemetry packages, so importing it does not load what it patches.
 * Spans go to OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set; tests pass their own span
 * processors (an InMemorySpanExporter). W3C `traceparent`/`baggage` are extracted from incoming
 * and injected into outgoing HTTP requests (Kafka messages carry the bus's own `traceparent`).
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { NodeSDK } from '@opentelemetry/sdk-node';

import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

import { ensureMetrics } from './metrics.js';

const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface TelemetryOptions {
  serviceName: string;
  /** Extra span processors (tests: `new SimpleSpanProcessor(new InMemorySpanExporter())`). */
  spanProcessors?: SpanProcessor[];
  env?: Record<string, string | undefined>;
}

export interface Telemetry {
  shutdown(): Promise<void>;
}

let current: Telemetry | undefined;

export async function initTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  if (current) return current; // once per process: instrumentations and providers are global
  const env = options.env ?? process.env;
  // Metrics first, so instrumentations registered below find the global meter provider.
  ensureMetrics();
  const spanProcessors = [...(options.spanProcessors ?? [])];
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    // Explicit empty lists: nothing is configured behind our back from OTEL_* defaults.
    spanProcessors,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => PROBE_PATHS.has((req.url ?? '').split('?')[0] ?? ''),
      }),
      new ExpressInstrumentation(),
      new MongoDBInstrumentation({ enhancedDatabaseReporting: false }), // never record query values
    ],
  });
  sdk.start();
  // With the ESM loader hook (register-telemetry.mjs): the loader must know the instrumentations'
  // modules before the service imports them.
  const acknowledged = (globalThis as Record<symbol, unknown>)[Symbol.for('tongxin.telemetry.hooksAcknowledged')];
  if (typeof acknowledged === 'function') await (acknowledged as () => Promise<void>)();
  current = {
    async shutdown() {
      await sdk.shutdown();
      current = undefined;
    },
  };
  return current;
}
