/**
 * Every service of the platform as its own process, on free ports with throwaway databases and
 * consumer groups — for the tests and benchmarks that need the whole platform (end-to-end scenario,
 * console, rolling restarts, traces). `npm start` uses fixed ports and the development databases;
 * this uses nothing another run on the machine could be using, so several can run at once.
 *
 * The gateway issues the tokens (its own generated key file) and the other services verify them
 * through its JWKS, exactly as in production. Processes run `node --import tsx --import
 * @tongxin/service-kit/register-telemetry apps/<name>/src/main.ts` (the second: OpenTelemetry
 * instrumentation of ESM modules, see packages/service-kit/src/telemetry.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MongoClient } from 'mongodb';

import { repoRoot } from './paths.js';
import { freePort } from './processes.js';

export const SERVICE_NAMES = ['gateway', 'registry', 'facilities', 'donations', 'volunteers', 'reporting'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface LaunchOptions {
  kafkaBrokers: string;
  mongodbUri: string;
  /** Fixed ports; every other service gets a free one. */
  ports?: Partial<Record<ServiceName, number>>;
  /** Database names are `<prefix>_<service>`; default a fresh unique prefix. */
  databasePrefix?: string;
  /** Extra environment for every service, then per service. */
  env?: Record<string, string>;
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Where the services' output goes: kept in memory (default) or also relayed to this process. */
  relayOutput?: boolean;
  /** Seconds each service may take to answer /readyz 200. */
  readyTimeoutSeconds?: number;
  /**
   * Where the platform's new consumer groups start: at the beginning of every topic (`'beginning'`,
   * the default, as a new service in production), or at their current end (`'now'`). A Kafka shared
   * with other runs keeps every event they ever published; a test that needs only its own events
   * uses `'now'`, so its read models do not first replay everybody's history.
   */
  consumersFrom?: 'beginning' | 'now';
}

export interface LaunchedService {
  name: ServiceName;
  port: number;
  url: string;
  pid(): number | undefined;
  /** The last lines it printed. */
  output(): string;
}

export interface LaunchedPlatform {
  gatewayUrl: string;
  services: Record<ServiceName, LaunchedService>;
  /** The city administrator the gateway bootstrapped. */
  admin: { username: string; password: string };
  issuer: string;
  audience: string;
  databasePrefix: string;
  /** Database name of one service. */
  database(name: ServiceName): string;
  /** Sends SIGTERM (or the given signal) and waits for the process to exit. */
  stopService(name: ServiceName, signal?: NodeJS.Signals): Promise<number | null>;
  /** Starts it again (same port, database and secrets) and waits for /readyz. */
  startService(name: ServiceName): Promise<void>;
  restartService(name: ServiceName): Promise<void>;
  /** Stops every service (reverse order). Databases are kept: see dispose(). */
  stop(): Promise<void>;
  /** Stops every service and drops every database of the launch. */
  dispose(): Promise<void>;
}

const ISSUER = 'https://gateway.tongxin.test';
const AUDIENCE = 'tongxin';

export async function launchPlatform(options: LaunchOptions): Promise<LaunchedPlatform> {
  const prefix = options.databasePrefix ?? `e2e_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const ports = {} as Record<ServiceName, number>;
  for (const name of SERVICE_NAMES) ports[name] = options.ports?.[name] ?? (await freePort());
  const url = (name: ServiceName) => `http://127.0.0.1:${ports[name]}`;
  const admin = { username: 'cityadmin', password: `Adm1n${randomBytes(6).toString('hex')}x` };
  const keysDir = mkdtempSync(join(tmpdir(), 'tongxin-gateway-keys-'));
  const key = () => randomBytes(32).toString('base64');
  const secrets = {
    REGISTRY_ID_KEY: key(),
    REGISTRY_INDEX_KEY: key(),
    FACILITIES_NOTES_KEY: key(),
    VOLUNTEERS_SEAL_KEY: key(),
  };
  const upstreams = SERVICE_NAMES.filter((n) => n !== 'gateway')
    .map((n) => `${n}=${url(n)}`)
    .join(',');
  const envFor = (name: ServiceName): Record<string, string> => ({
    ...(process.env as Record<string, string>),
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: String(ports[name]),
    MONGODB_URI: options.mongodbUri,
    MONGODB_DATABASE: `${prefix}_${name}`,
    KAFKA_BROKERS: options.kafkaBrokers,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    ...(name === 'gateway'
      ? {
          GATEWAY_KEYS_FILE: join(keysDir, 'keys.json'),
          GATEWAY_BOOTSTRAP_ADMIN_USERNAME: admin.username,
          GATEWAY_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
          GATEWAY_UPSTREAMS: upstreams,
        }
      : { JWKS_URL: `${url('gateway')}/.well-known/jwks.json` }),
    ...secrets,
    FACILITIES_CONSUMER_GROUP: `${prefix}-facilities`,
    DONATIONS_CONSUMER_GROUP: `${prefix}-donations`,
    VOLUNTEERS_CONSUMER_GROUP: `${prefix}-volunteers`,
    REPORTING_CONSUMER_GROUP: `${prefix}-reporting`,
    // The bus starts a group that has no committed offsets here (packages/bus, createConsumer).
    KAFKA_NEW_GROUPS_FROM: options.consumersFrom === 'now' ? 'latest' : 'earliest',
    ...options.env,
    ...options.serviceEnv?.[name],
  });

  const children = new Map<ServiceName, ChildProcess>();
  const outputs = new Map<ServiceName, string[]>();
  const remember = (name: ServiceName, chunk: string) => {
    const lines = outputs.get(name) ?? [];
    lines.push(chunk);
    if (lines.length > 400) lines.splice(0, lines.length - 400);
    outputs.set(name, lines);
    if (options.relayOutput) {
      for (const line of chunk.split('\n')) if (line) process.stdout.write(`[${name}] ${line}\n`);
    }
  };
  const output = (name: ServiceName) => (outputs.get(name) ?? []).join('').slice(-4000);

  const startService = async (name: ServiceName) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', '@tongxin/service-kit/register-telemetry', `apps/${name}/src/main.ts`],
      {
        cwd: repoRoot,
        env: envFor(name),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.set(name, child);
    child.stdout?.on('data', (c: Buffer) => remember(name, c.toString()));
    child.stderr?.on('data', (c: Buffer) => remember(name, c.toString()));
    const deadline = Date.now() + (options.readyTimeoutSeconds ?? 120) * 1000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${output(name)}`);
      try {
        if ((await fetch(`${url(name)}/readyz`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${name} not ready in ${options.readyTimeoutSeconds ?? 120} s:\n${output(name)}`);
  };

  const stopService = async (name: ServiceName, signal: NodeJS.Signals = 'SIGTERM') => {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill(signal);
    return exited;
  };

  const stop = async () => {
    for (const name of [...SERVICE_NAMES].reverse()) await stopService(name);
  };

  try {
    // The gateway first: it issues the tokens the others verify through its JWKS.
    for (const name of SERVICE_NAMES) await startService(name);
  } catch (error) {
    await stop();
    throw error;
  }

  const services = Object.fromEntries(
    SERVICE_NAMES.map((name) => [
      name,
      { name, port: ports[name], url: url(name), pid: () => children.get(name)?.pid, output: () => output(name) },
    ]),
  ) as Record<ServiceName, LaunchedService>;

  return {
    gatewayUrl: url('gateway'),
    services,
    admin,
    issuer: ISSUER,
    audience: AUDIENCE,
    databasePrefix: prefix,
    database: (name) => `${prefix}_${name}`,
    stopService,
    startService,
    restartService: async (name) => {
      await stopService(name);
      await startService(name);
    },
    stop,
    dispose: async () => {
      await stop();
      const client = await MongoClient.connect(options.mongodbUri);
      try {
        for (const name of SERVICE_NAMES)
          await client
            .db(`${prefix}_${name}`)
            .dropDatabase()
            .catch(() => {});
      } finally {
        await client.close();
      }
    },
  };
}
