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
 * Known limit (see README): under ESM, express/mongodb/kafkajs reached through `import` are not
 * seen by the instrumentations' require hook; HTTP server/client spans and W3C propagation work
 * (tested), express/mongodb/kafkajs spans need the process started with an import-in-the-middle
 * loader (`node --import ./register-otel.mjs`), which is not wired or tested yet.
 *
 * This module imports only OpenTelemetry packages, so importing it does not load what it patches.
 * Spans go to OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set; tests pass their own span
 * processors (an InMemorySpanExporter). W3C `traceparent`/`baggage` are extracted from incoming
 * and injected into outgoing HTTP requests (and Kafka messages, via the kafkajs instrumentation).
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
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
      new KafkaJsInstrumentation(),
    ],
  });
  sdk.start();
  current = {
    async shutdown() {
      await sdk.shutdown();
      current = undefined;
    },
  };
  return current;
}
