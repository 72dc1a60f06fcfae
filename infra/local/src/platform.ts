/**
 * `npm start`: the whole platform on one machine — the stack (Kafka + FerretDB), then every service
 * as its own process with development secrets, until Ctrl-C.
 *
 * Development secrets (ID-number keys, a token-signing key pair) are generated into
 * `.data/dev/secrets.json` on the first start and reused; they are git-ignored and never used
 * outside development. The gateway (port 3000) issues the tokens: its keys are in
 * `.data/gateway/keys.json`, its first city administrator (`admin`) gets a password kept in the
 * secrets file, and how to log in is printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { exportJWK, generateKeyPair, type JWK } from 'jose';

import { repoRoot } from './paths.js';
import { up } from './stack.js';

interface Secrets {
  registryIdKey: string;
  registryIndexKey: string;
  facilitiesNotesKey?: string;
  volunteersSealKey?: string;
  /** Password of the development city administrator the gateway bootstraps (`admin`). */
  gatewayAdminPassword?: string;
  jwtPrivate: JWK;
  jwtPublic: JWK;
}

const ISSUER = 'https://tongxin.dev.local';
const DEV_ADMIN = 'admin';
const JWKS_URL = 'http://127.0.0.1:3000/.well-known/jwks.json';
const AUDIENCE = 'tongxin';
/** tsx for TypeScript, then the OpenTelemetry ESM hook (packages/service-kit/src/register-telemetry.mjs). */
const NODE_ARGS = ['--import', 'tsx', '--import', '@tongxin/service-kit/register-telemetry'];
const CONSOLE_DIR = join(repoRoot, 'apps', 'console', 'dist');

interface ServiceSpec {
  name: string;
  port: number;
  entry: string;
  env: (secrets: Secrets) => Record<string, string>;
}

/** The services `npm start` runs. Each issue adds its service here. */
export const SERVICES: readonly ServiceSpec[] = [
  // First: it issues the tokens; the others verify them through its JWKS.
  {
    name: 'gateway',
    port: 3000,
    entry: 'apps/gateway/src/main.ts',
    env: (s) => ({
      GATEWAY_KEYS_FILE: join(repoRoot, '.data', 'gateway', 'keys.json'),
      GATEWAY_BOOTSTRAP_ADMIN_USERNAME: DEV_ADMIN,
      GATEWAY_BOOTSTRAP_ADMIN_PASSWORD: s.gatewayAdminPassword!,
      GATEWAY_UPSTREAMS:
        'registry=http://127.0.0.1:3001,facilities=http://127.0.0.1:3002,donations=http://127.0.0.1:3003,volunteers=http://127.0.0.1:3004,reporting=http://127.0.0.1:3005',
      // The console, once built (`npm run build -w @tongxin/console`), served at http://127.0.0.1:3000/.
      ...(existsSync(CONSOLE_DIR) ? { GATEWAY_CONSOLE_DIR: CONSOLE_DIR } : {}),
    }),
  },
  {
    name: 'registry',
    port: 3001,
    entry: 'apps/registry/src/main.ts',
    env: (s) => ({ REGISTRY_ID_KEY: s.registryIdKey, REGISTRY_INDEX_KEY: s.registryIndexKey }),
  },
  {
    name: 'facilities',
    port: 3002,
    entry: 'apps/facilities/src/main.ts',
    env: (s) => ({ FACILITIES_NOTES_KEY: s.facilitiesNotesKey! }),
  },
  // No secrets: receipt numbers use the default format (DONATIONS_RECEIPT_FORMAT).
  { name: 'donations', port: 3003, entry: 'apps/donations/src/main.ts', env: () => ({}) },
  {
    name: 'volunteers',
    port: 3004,
    entry: 'apps/volunteers/src/main.ts',
    env: (s) => ({ VOLUNTEERS_SEAL_KEY: s.volunteersSealKey! }),
  },
  // No secrets: read models only (rebuild them with `npm run rebuild -w @tongxin/reporting`).
  { name: 'reporting', port: 3005, entry: 'apps/reporting/src/main.ts', env: () => ({}) },
];

/** Letters and digits, 16 characters: meets the gateway's password policy. */
const devAdminPassword = (): string => `Dev${randomBytes(8).toString('hex')}x1`;

async function loadSecrets(file: string): Promise<Secrets> {
  if (existsSync(file)) {
    const existing = JSON.parse(readFileSync(file, 'utf8')) as Secrets;
    // Keys of services added since the file was written.
    let added = false;
    if (!existing.facilitiesNotesKey) {
      existing.facilitiesNotesKey = randomBytes(32).toString('base64');
      added = true;
    }
    if (!existing.volunteersSealKey) {
      existing.volunteersSealKey = randomBytes(32).toString('base64');
      added = true;
    }
    if (!existing.gatewayAdminPassword) {
      existing.gatewayAdminPassword = devAdminPassword();
      added = true;
    }
    if (added) writeFileSync(file, JSON.stringify(existing, null, 2), { mode: 0o600 });
    return existing;
  }
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = `dev-${randomBytes(4).toString('hex')}`;
  const secrets: Secrets = {
    registryIdKey: randomBytes(32).toString('base64'),
    registryIndexKey: randomBytes(32).toString('base64'),
    facilitiesNotesKey: randomBytes(32).toString('base64'),
    volunteersSealKey: randomBytes(32).toString('base64'),
    gatewayAdminPassword: devAdminPassword(),
    jwtPrivate: { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA' },
    jwtPublic: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' },
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

async function waitReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`not ready after ${timeoutMs / 1000} s`);
}

export async function startPlatform(say: (line: string) => void): Promise<number> {
  const endpoints = await up({ say });
  const root = repoRoot;
  const secrets = await loadSecrets(join(root, '.data', 'dev', 'secrets.json'));
  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = () => {
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);

  for (const spec of SERVICES) {
    const child = spawn(process.execPath, [...NODE_ARGS, spec.entry], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        PORT: String(spec.port),
        MONGODB_URI: endpoints.mongodbUri,
        KAFKA_BROKERS: endpoints.kafkaBrokers,
        // Services verify the gateway's tokens through its JWKS (current + previous key).
        ...(spec.name === 'gateway' ? {} : { JWKS_URL }),
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        ...spec.env(secrets),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: Ctrl-C reaches it once, forwarded by us, not also from the terminal.
      detached: true,
    });
    const prefix = `[${spec.name}] `;
    const relay = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) =>
      stream.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) if (line) out.write(prefix + line + '\n');
      });
    relay(child.stdout!, process.stdout);
    relay(child.stderr!, process.stderr);
    children.push(child);
    try {
      await waitReady(`http://127.0.0.1:${spec.port}/readyz`, child);
      say(`${spec.name.padEnd(10)} http://127.0.0.1:${spec.port}  (API list: /docs, OpenAPI: /openapi.json)`);
    } catch (error) {
      say(`${spec.name} did not start: ${(error as Error).message}; see its output above.`);
      stopAll();
      return 1;
    }
  }

  say('');
  say('Tongxin is running. 童心平台已启动。');
  say(`Log in through the gateway as the development city administrator (${DEV_ADMIN}):`);
  say(
    `  export TOKEN=$(curl -s -H 'content-type: application/json' -d '{"username":"${DEV_ADMIN}","password":"${secrets.gatewayAdminPassword}"}' http://127.0.0.1:3000/auth/login | node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken')`,
  );
  say('  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3000/api/registry/children');
  say(
    'Create other accounts with POST /users (apps/gateway/README.md); tokens last 15 minutes, refresh with /auth/refresh.',
  );
  say(
    existsSync(join(CONSOLE_DIR, 'index.html'))
      ? 'Console (工作台): http://127.0.0.1:3000/'
      : 'Console (工作台): not built — npm run build -w @tongxin/console, then restart (or npm run dev -w @tongxin/console).',
  );
  say('Ctrl-C stops the services; the stack keeps running (npm run stack -- down stops it).');

  return new Promise<number>((resolve) => {
    let exited = 0;
    for (const child of children) {
      child.on('exit', (code) => {
        exited += 1;
        if (!stopping) {
          say(`a service exited (code ${code}); stopping the others`);
          stopAll();
        }
        if (exited === children.length) resolve(stopping && code === 0 ? 0 : (code ?? 1));
      });
    }
  });
}
