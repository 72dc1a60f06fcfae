import type { IncomingMessage, ServerResponse } from 'node:http';

import { metrics, type Counter, type Histogram, type Meter } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { RequestHandler } from 'express';

interface MetricsState {
  exporter: PrometheusExporter;
  provider: MeterProvider;
  http?: { requests: Counter; duration: Histogram };
}
let state: MetricsState | undefined;

/**
 * The process-wide meter provider, exported as Prometheus text at `/metrics`. It is registered as
 * the global OpenTelemetry meter provider, so other packages (the bus: Kafka lag, outbox backlog)
 * just call `metrics.getMeter('…')` from `@opentelemetry/api` — after `initTelemetry()` or
 * `createService()` ran, since meters obtained earlier stay no-ops.
 */
export function ensureMetrics(): MetricsState {
  if (!state) {
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const provider = new MeterProvider({ readers: [exporter] });
    metrics.setGlobalMeterProvider(provider);
    state = { exporter, provider };
  }
  return state;
}

/** A meter on the provider `/metrics` exports. */
export function getMeter(name: string, version?: string): Meter {
  return ensureMetrics().provider.getMeter(name, version);
}

function httpInstruments(): { requests: Counter; duration: Histogram } {
  const current = ensureMetrics();
  if (!current.http) {
    const meter = getMeter('@tongxin/service-kit');
    current.http = {
      requests: meter.createCounter('tongxin.http.server.requests', { description: 'HTTP requests handled' }),
      duration: meter.createHistogram('tongxin.http.server.duration', {
        description: 'HTTP request duration',
        unit: 's',
        advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
      }),
    };
  }
  return current.http;
}

/** Counts and times every request by service, method, route template (never the raw URL) and status. */
export function httpMetricsMiddleware(service: string): RequestHandler {
  const { requests, duration } = httpInstruments();
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const attributes = {
        service,
        method: req.method,
        route: typeof res.locals.route === 'string' ? res.locals.route : 'unmatched',
        status: res.statusCode,
      };
      requests.add(1, attributes);
      duration.record(Number(process.hrtime.bigint() - started) / 1e9, attributes);
    });
    next();
  };
}

export function serveMetrics(req: IncomingMessage, res: ServerResponse): void {
  ensureMetrics().exporter.getMetricsRequestHandler(req, res);
}
