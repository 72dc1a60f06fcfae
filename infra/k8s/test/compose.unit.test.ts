/**
 * infra/docker/compose.yaml cannot be run here (no Docker): this checks what can be checked
 * offline — it parses; every service of launchPlatform's list is there, from its image at the
 * version in its package.json, with a healthcheck, depends_on the infrastructure, and an
 * environment its own config schema accepts (with ${VAR} interpolated as compose would); Kafka
 * advertises the address the services use; the OTel collector config wires its pipelines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { SERVICE_NAMES } from '../../local/src/launch.js';

import { REPO_ROOT } from './render.js';
import { appVersion, configSchema, STAND_IN_SECRET } from './services.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML is walked as plain data */
type Any = any;

const DOCKER_DIR = join(REPO_ROOT, 'infra/docker');
const compose = parse(readFileSync(join(DOCKER_DIR, 'compose.yaml'), 'utf8'), { merge: true }) as Any;

/** Compose interpolation: ${X:-default} → default, ${X:?message} → a stand-in secret, ${X} → ''. */
function interpolate(value: unknown, secrets: string[]): string {
  return String(value).replace(
    /\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g,
    (_all, name: string, op?: string, arg?: string) => {
      if (op === '-') return arg ?? '';
      if (op === '?') {
        secrets.push(name);
        return STAND_IN_SECRET;
      }
      return '';
    },
  );
}

describe('infra/docker/compose.yaml', () => {
  it('has the infrastructure: Kafka (KRaft), MongoDB as a replica set, the OTel collector and Jaeger', () => {
    const { kafka, mongo, jaeger } = compose.services;
    const collector = compose.services['otel-collector'];
    expect(kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(kafka.environment.KAFKA_ADVERTISED_LISTENERS).toContain('//kafka:9092');
    expect(kafka.healthcheck.test.join(' ')).toContain('kafka-broker-api-versions');
    expect(mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(mongo.healthcheck.test.join(' ')).toContain('rs.initiate');
    expect(jaeger.image).toContain('jaegertracing/all-in-one');
    expect(collector.volumes[0]).toMatch(/^\.\/otel-collector\.yaml:/);
    expect(collector.depends_on.jaeger).toBeDefined();
  });

  it('the collector config wires traces to Jaeger and scrapes every service’s /metrics', () => {
    const config = parse(readFileSync(join(DOCKER_DIR, 'otel-collector.yaml'), 'utf8')) as Any;
    for (const [name, pipeline] of Object.entries<Any>(config.service.pipelines)) {
      for (const r of pipeline.receivers) expect(config.receivers[r], `${name} receiver ${r}`).toBeDefined();
      for (const p of pipeline.processors ?? []) expect(config.processors[p], `${name} processor ${p}`).toBeDefined();
      for (const e of pipeline.exporters) expect(config.exporters[e], `${name} exporter ${e}`).toBeDefined();
    }
    expect(config.service.pipelines.traces.receivers).toContain('otlp');
    const jaegerExporter = config.service.pipelines.traces.exporters.map((e: string) => config.exporters[e].endpoint);
    expect(jaegerExporter).toContain('jaeger:4317');
    const targets = config.receivers.prometheus.config.scrape_configs[0].static_configs[0].targets;
    expect([...targets].sort()).toEqual(SERVICE_NAMES.map((n) => `${n}:3000`).sort());
  });

  for (const name of SERVICE_NAMES) {
    it(`${name}: image, healthcheck, depends_on and the environment it needs`, async () => {
      const service = compose.services[name];
      expect(service, `service ${name} in compose.yaml`).toBeDefined();
      const secrets: string[] = [];
      expect(interpolate(service.image, secrets)).toBe(`tongxin/${name}:${appVersion(name)}`);
      expect(service.healthcheck.test.join(' ')).toContain('/readyz');
      expect(service.read_only).toBe(true);
      expect(Number.parseInt(service.stop_grace_period, 10)).toBeGreaterThanOrEqual(25);
      expect(service.depends_on.kafka.condition).toBe('service_healthy');
      expect(service.depends_on.mongo.condition).toBe('service_healthy');
      if (name !== 'gateway') expect(service.depends_on.gateway.condition).toBe('service_healthy');

      const env = Object.fromEntries(
        Object.entries<unknown>(service.environment).map(([k, v]) => [k, interpolate(v, secrets)]),
      );
      expect(env.KAFKA_BROKERS).toBe('kafka:9092');
      expect(env.MONGODB_URI).toMatch(/^mongodb:\/\/mongo:27027\//);
      expect(compose.services[new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT!).hostname]).toBeDefined();
      const parsed = (await configSchema(name)).safeParse(env);
      expect(parsed.error?.issues ?? []).toEqual([]);
      if (name === 'gateway') {
        const upstreams = (parsed.data as { GATEWAY_UPSTREAMS: Record<string, string> }).GATEWAY_UPSTREAMS;
        for (const url of Object.values(upstreams)) expect(compose.services[new URL(url).hostname]).toBeDefined();
        expect(secrets).toContain('GATEWAY_SIGNING_KEY');
      } else {
        expect(compose.services[new URL(env.JWKS_URL!).hostname]).toBe(compose.services.gateway);
      }
      // Secrets come from the environment / .env file, never from the compose file itself.
      for (const key of Object.keys(env).filter((k) => /_KEY$|PASSWORD/.test(k))) expect(secrets).toContain(key);
    }, 120_000);
  }
});
