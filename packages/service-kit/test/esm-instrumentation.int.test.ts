/**
 * The ESM loader hook (`--import @tongxin/service-kit/register-telemetry`, as launchPlatform and
 * `npm start` run every service): express and mongodb reached through `import` are instrumented —
 * their spans share the HTTP request's trace. Without the hook they are not (the reason it exists).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { mongodbUri, uniqueDatabase } from '@tongxin/testkit';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/esm-traced.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function run(imports: string[]): { name: string; scope: string; traceId: string }[] {
  const result = spawnSync(process.execPath, [...imports, FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, MONGODB_URI: mongodbUri(), FIXTURE_DB: uniqueDatabase('esm_trace') },
    encoding: 'utf8',
    timeout: 90_000,
  });
  expect(result.status, result.stderr).toBe(0);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as { name: string; scope: string; traceId: string }[];
}

describe('OpenTelemetry under ESM', () => {
  it('when the process starts with the register-telemetry hook, then express and mongodb spans join the request’s trace', () => {
    const spans = run(['--import', 'tsx', '--import', '@tongxin/service-kit/register-telemetry']);
    const server = spans.find((s) => s.scope === '@opentelemetry/instrumentation-http' && s.name.startsWith('GET'));
    expect(server).toBeDefined();
    const trace = spans.filter((s) => s.traceId === server!.traceId).map((s) => s.scope);
    expect(trace).toContain('@opentelemetry/instrumentation-express');
    expect(trace).toContain('@opentelemetry/instrumentation-mongodb');
  }, 120_000);

  it('when it starts without the hook, then only HTTP is traced (express is loaded through import)', () => {
    const spans = run(['--import', 'tsx']);
    expect(spans.some((s) => s.scope === '@opentelemetry/instrumentation-http')).toBe(true);
    expect(spans.some((s) => s.scope === '@opentelemetry/instrumentation-express')).toBe(false);
  }, 120_000);
});
