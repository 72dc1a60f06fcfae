/**
 * One trace across the platform: the console's request (a W3C `traceparent` it sends) → the
 * gateway → registry's handler → the outbox commit → the relay's publish to Kafka → the process
 * spans of two other services (facilities and reporting consume `registry.child.registered`).
 *
 * Every service is its own process (launchPlatform, started with the ESM instrumentation hook), so
 * an in-process span exporter cannot see them: each exports its spans with the OTLP/HTTP exporter
 * (JSON, `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) to a small OTLP receiver this test runs in memory
 * on 127.0.0.1, and the assertions read what it received.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { makeResidentId } from '@tongxin/contracts/values';
import type { LaunchedPlatform } from '@tongxin/local-stack';
import { waitFor } from '@tongxin/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { disposePlatform, launchFreshPlatform } from './support/platform.js';

interface ReceivedSpan {
  service: string;
  scope: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
}

/** OTLP/JSON ids are hex; accept base64 too (what the protobuf-to-JSON mapping would give). */
const hex = (id: unknown): string => {
  const text = typeof id === 'string' ? id : '';
  if (text === '' || /^[0-9a-f]+$/i.test(text)) return text.toLowerCase();
  return Buffer.from(text, 'base64').toString('hex');
};

interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: {
      scope?: { name?: string };
      spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number }[];
    }[];
  }[];
}

/** The OTLP/HTTP receiver: POST /v1/traces (JSON), everything kept in memory. */
function otlpReceiver(): Promise<{ server: Server; url: string; spans: ReceivedSpan[] }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
        for (const resource of body.resourceSpans ?? []) {
          const service =
            resource.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
          for (const scope of resource.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              spans.push({
                service,
                scope: scope.scope?.name ?? '?',
                name: span.name,
                kind: span.kind,
                traceId: hex(span.traceId),
                spanId: hex(span.spanId),
                parentSpanId: hex(span.parentSpanId),
              });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, spans });
    });
  });
}

// OTLP span kinds: 1 internal, 2 server, 3 client, 4 producer, 5 consumer.
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;
const HTTP = '@opentelemetry/instrumentation-http';

describe('one trace from the console’s request to two consumers', () => {
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let platform: LaunchedPlatform | undefined;

  beforeAll(async () => {
    receiver = await otlpReceiver();
    platform = await launchFreshPlatform({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
    });
  }, 600_000);
  afterAll(async () => {
    await disposePlatform(platform);
    receiver?.server.close();
  }, 120_000);

  /** A call through the gateway, retried while the platform (or its database, under load) is briefly unavailable. */
  async function call(
    path: string,
    init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${platform!.gatewayUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...init.headers,
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const body = (await res.json()) as Record<string, unknown>;
      if (res.status !== 503 || attempt >= 20) return { status: res.status, body };
      await new Promise((r) => setTimeout(r, 2000));
    }
  }

  it('when the console registers a child, then one trace id spans gateway, registry handler, outbox, publish and the facilities and reporting consumers', async () => {
    const login = async (username: string, password: string) =>
      (await call('/auth/login', { method: 'POST', body: { username, password } })).body.accessToken as string;
    const admin = await login(platform!.admin.username, platform!.admin.password);
    const password = `Pw${randomBytes(6).toString('hex')}9`;
    const username = `pj-county-${randomBytes(3).toString('hex')}`;
    const created = await call('/users', {
      method: 'POST',
      token: admin,
      body: {
        username,
        password,
        name: '平江县民政局',
        role: 'county_officer',
        regions: ['430626'],
        adminRegion: '430626',
        department: 'civil_affairs',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const county = await login(username, password);

    // The console's span: the trace the whole chain must continue.
    const traceId = randomBytes(16).toString('hex');
    const consoleSpanId = randomBytes(8).toString('hex');
    const registered = await call('/api/registry/children', {
      method: 'POST',
      token: county,
      headers: { traceparent: `00-${traceId}-${consoleSpanId}-01`, 'x-purpose': 'registration' },
      body: {
        name: '周小雨',
        sex: 'female',
        birthDate: '2015-04-18',
        ethnicity: '汉族',
        idNumber: makeResidentId({ regionCode: '430626', birthDate: '2015-04-18', sequence: 212, sex: 'female' }),
        hukou: { status: 'registered', kind: 'rural' },
        regionCode: '430626101201',
        address: '平江县安定镇福寿村5组',
        schooling: { status: 'enrolled', school: '安定镇中心小学', grade: '四年级' },
        health: { status: 'healthy' },
        parents: [
          { relation: 'father', name: '周建军', status: 'migrant_worker', workPlace: '广东佛山' },
          { relation: 'mother', name: '刘芳', status: 'migrant_worker', workPlace: '广东佛山' },
        ],
        guardian: { kind: 'grandparent', name: '周桂花', relation: 'paternal_grandmother', capacity: 'capable' },
        supervision: 'supervised',
        assistance: [],
      },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);

    const inTrace = () => receiver.spans.filter((s) => s.traceId === traceId);
    const find = (service: string, predicate: (s: ReceivedSpan) => boolean) =>
      inTrace().find((s) => s.service === service && predicate(s));
    await waitFor(
      () =>
        find('facilities', (s) => s.name === 'registry.child.v1 process') &&
        find('reporting', (s) => s.name === 'registry.child.v1 process') &&
        find('registry', (s) => s.name === 'registry.child.v1 publish'),
      { timeoutMs: 240_000, intervalMs: 500, message: `the publish and both process spans of trace ${traceId}` },
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}; received: ${inTrace()
          .map((s) => `${s.service}:${s.name}`)
          .join(', ')}`,
      );
    });
    const spans = inTrace();
    console.log(
      `trace ${traceId}: ${spans.length} spans\n` +
        spans
          .map(
            (s) =>
              `  ${s.service} [${s.scope}] ${s.name} kind=${s.kind} id=${s.spanId} parent=${s.parentSpanId || '-'}`,
          )
          .join('\n'),
    );
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    /** Walks up the parents: true when `ancestor` is on the way to the root. */
    const descends = (span: ReceivedSpan, ancestor: ReceivedSpan): boolean => {
      for (let at: ReceivedSpan | undefined = span; at; at = byId.get(at.parentSpanId))
        if (at === ancestor) return true;
      return false;
    };

    // The gateway's server span continues the console's span; its client call carries it on.
    const gatewayServer = find(
      'gateway',
      (s) => s.kind === SERVER && s.scope === HTTP && s.parentSpanId === consoleSpanId,
    );
    expect(gatewayServer, 'gateway server span').toBeDefined();
    const gatewayClient = find('gateway', (s) => s.kind === CLIENT && s.scope === HTTP && descends(s, gatewayServer!));
    expect(gatewayClient, 'gateway → registry client span').toBeDefined();
    // Registry: its server span under the gateway's client span, the express handler under it.
    const registryServer = find(
      'registry',
      (s) => s.kind === SERVER && s.scope === HTTP && s.parentSpanId === gatewayClient!.spanId,
    );
    expect(registryServer, 'registry server span').toBeDefined();
    const handler = find(
      'registry',
      (s) => s.scope === '@opentelemetry/instrumentation-express' && /\/children/.test(s.name),
    );
    expect(handler, 'registry express handler span').toBeDefined();
    expect(descends(handler!, registryServer!)).toBe(true);
    // The outbox write in the request, the relay's publish below it.
    const commit = find('registry', (s) => s.name.startsWith('outbox commit'));
    expect(commit, 'outbox commit span').toBeDefined();
    expect(descends(commit!, registryServer!)).toBe(true);
    expect(spans.some((s) => s.service === 'registry' && s.scope === '@opentelemetry/instrumentation-mongodb')).toBe(
      true,
    );
    const publish = find('registry', (s) => s.name === 'registry.child.v1 publish' && s.kind === PRODUCER);
    expect(publish?.parentSpanId).toBe(commit!.spanId);
    // Two different consumers continue the publish span.
    for (const consumer of ['facilities', 'reporting']) {
      const processed = find(consumer, (s) => s.name === 'registry.child.v1 process');
      expect(processed, `${consumer} process span`).toBeDefined();
      expect(processed!.kind).toBe(CONSUMER);
      expect(processed!.parentSpanId).toBe(publish!.spanId);
    }
  }, 420_000);
});
