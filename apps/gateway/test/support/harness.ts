/**
 * The gateway in this process (own database, key file and captured log), and real services as
 * child processes verifying tokens through the gateway's JWKS, as `npm start` runs them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { createLogger, loadConfig } from '@tongxin/service-kit';
import {
  connectTestDatabase,
  kafkaBrokers,
  mongodbUri,
  uniqueDatabase,
  uniqueGroup,
  type Json,
} from '@tongxin/testkit';

import { createGatewayService, gatewayConfigSchema, type GatewayService } from '../../src/service.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
export const ISSUER = 'https://gateway.tongxin.test';
export const AUDIENCE = 'tongxin';
export const ADMIN = { username: 'cityadmin', password: `Adm1n-${randomBytes(6).toString('hex')}` };

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export interface RunningGateway extends GatewayService {
  url: string;
  /** Every log line the gateway wrote. */
  logs: string[];
  close(): Promise<void>;
}

export async function startGateway(env: Record<string, string> = {}): Promise<RunningGateway> {
  const logs: string[] = [];
  const logger = createLogger({
    name: 'gateway',
    level: 'debug',
    destination: { write: (line: string) => void logs.push(line) },
  });
  const config = loadConfig(
    gatewayConfigSchema,
    {
      PORT: '0',
      MONGODB_URI: mongodbUri(),
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      GATEWAY_KEYS_FILE: join(mkdtempSync(join(tmpdir(), 'gateway-keys-')), 'keys.json'),
      GATEWAY_BOOTSTRAP_ADMIN_USERNAME: ADMIN.username,
      GATEWAY_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      ...env,
    },
    [],
  );
  const gateway = await createGatewayService({ config, dbName: uniqueDatabase('gateway'), logger, host: '127.0.0.1' });
  const { port } = await gateway.service.start();
  return {
    ...gateway,
    url: `http://127.0.0.1:${port}`,
    logs,
    async close() {
      await gateway.db.connection.dropDatabase().catch(() => {});
      await gateway.service.stop();
    },
  };
}

export interface ChildService {
  name: string;
  port: number;
  url: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops it and drops its database. */
  dispose(): Promise<void>;
}

/** `node --import tsx apps/<name>/src/main.ts` with its environment; resolves when /readyz is 200. */
export async function spawnService(
  name: 'registry' | 'facilities' | 'donations' | 'volunteers',
  port: number,
  jwksUrl: string,
): Promise<ChildService> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    MONGODB_URI: mongodbUri(),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    JWKS_URL: jwksUrl,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    REGISTRY_ID_KEY: randomBytes(32).toString('base64'),
    REGISTRY_INDEX_KEY: randomBytes(32).toString('base64'),
    FACILITIES_NOTES_KEY: randomBytes(32).toString('base64'),
    // Its own database and consumer group: nothing shared with a platform running on this machine.
    MONGODB_DATABASE: uniqueDatabase(name),
    FACILITIES_CONSUMER_GROUP: uniqueGroup('gateway-test-facilities'),
    DONATIONS_CONSUMER_GROUP: uniqueGroup('gateway-test-donations'),
    VOLUNTEERS_CONSUMER_GROUP: uniqueGroup('gateway-test-volunteers'),
    VOLUNTEERS_SEAL_KEY: randomBytes(32).toString('base64'),
  };
  let child: ChildProcess | undefined;
  const output: string[] = [];
  const start = async () => {
    const started = spawn(process.execPath, ['--import', 'tsx', `apps/${name}/src/main.ts`], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    started.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (started.exitCode !== null)
        throw new Error(`${name} exited (${started.exitCode}):\n${output.join('').slice(-3000)}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`${name} not ready in 90 s:\n${output.join('').slice(-3000)}`);
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  const dispose = async () => {
    await stop();
    const db = await connectTestDatabase(env.MONGODB_DATABASE!, { exact: true });
    await db.closeAndDrop();
  };
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    stop,
    dispose,
    restart: async () => (await stop(), await start()),
  };
}

export interface Call {
  status: number;
  body: Json;
  headers: Headers;
}

/** One HTTP call: JSON in and out. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Call> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const res = await fetch(base + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: Json = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function login(
  base: string,
  username: string,
  password: string,
): Promise<{ access: string; refresh: string }> {
  const res = await call(base, 'POST', '/auth/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return { access: res.body.accessToken, refresh: res.body.refreshToken };
}

export const PASSWORD = (label: string) => `Pw${label.replace(/[^a-z]/gi, '')}9${randomBytes(4).toString('hex')}`;
