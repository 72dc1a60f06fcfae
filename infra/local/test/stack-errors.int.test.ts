/**
 * Bad environments get a clear message, not a stack trace. Each case runs the real CLI or library
 * against a temporary stack folder, so the suite's own stack is never touched.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { down, freePort, status, up, type StackError } from '../src/index.js';

const cli = resolve(import.meta.dirname, '..', 'src', 'cli.ts');
const tsxCli = resolve(import.meta.dirname, '..', '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function tempStack(): string {
  return mkdtempSync(join(tmpdir(), 'tongxin-stack-test-'));
}

/** Runs `npm run stack -- <args>` as a person would, with an adjusted environment. */
function runCli(args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, [tsxCli, cli, ...args], { encoding: 'utf8', env, timeout: 60_000 });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

function occupy(port: number): Promise<void> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    servers.push(server);
    server.listen(port, '127.0.0.1', () => resolvePromise());
  });
}

const baseEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.KAFKA_BROKERS;
  delete env.MONGODB_URI;
  return env;
};

describe('stack CLI with a bad environment', () => {
  it('when Java is missing, then it says so and how to fix it, without a stack trace', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'tongxin-nojava-'));
    symlinkSync(process.execPath, join(bin, 'node')); // node only: no java, mvn or go on PATH
    const env = {
      ...baseEnv(),
      PATH: bin,
      TONGXIN_STACK_DIR: tempStack(),
      TONGXIN_KAFKA_PORT: String(await freePort()),
      TONGXIN_KAFKA_CONTROLLER_PORT: String(await freePort()),
    };
    const { code, out } = runCli(['up'], env);
    expect(code).toBe(1);
    expect(out).toContain('java was not found on PATH');
    expect(out).toContain('openjdk-17');
    expect(out).toContain('KAFKA_BROKERS');
    expect(out).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack frames
  });

  it('when the Kafka port is taken by another program, then it names the port and the variable to change', async () => {
    const port = await freePort();
    await occupy(port);
    const env = {
      ...baseEnv(),
      TONGXIN_STACK_DIR: tempStack(),
      TONGXIN_KAFKA_PORT: String(port),
      TONGXIN_KAFKA_CONTROLLER_PORT: String(await freePort()),
    };
    const { code, out } = runCli(['up'], env);
    expect(code).toBe(1);
    expect(out).toContain(`port ${port} on 127.0.0.1, which the local Kafka needs, is already taken`);
    expect(out).toContain('TONGXIN_KAFKA_PORT=<port>');
    expect(out).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('when KAFKA_BROKERS points at nothing, then it says the broker did not answer and how to fall back', async () => {
    const env = { ...baseEnv(), KAFKA_BROKERS: `127.0.0.1:${await freePort()}`, MONGODB_URI: process.env.MONGODB_URI };
    const { code, out } = runCli(['up'], env);
    expect(code).toBe(1);
    expect(out).toMatch(/KAFKA_BROKERS=127\.0\.0\.1:\d+ is set, but no Kafka broker answered/);
    expect(out).toContain('unset KAFKA_BROKERS');
    expect(out).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('when a port variable is not a port, then it names the variable', () => {
    const { code, out } = runCli(['up'], { ...baseEnv(), TONGXIN_MONGO_PORT: 'abc' });
    expect(code).toBe(1);
    expect(out).toContain('TONGXIN_MONGO_PORT=abc is not a TCP port');
  });

  it('when the platform is asked for on the tests’ stack (--test), then it refuses and says why', () => {
    const { code, out } = runCli(['platform', '--test'], baseEnv());
    expect(code).toBe(2);
    expect(out).toContain('--test names the stack npm test uses');
  });
});

describe('stack with a stale PID file', () => {
  it('when the recorded pid is dead, then status reports it, and up clears it and starts a fresh server', async () => {
    const dir = tempStack();
    mkdirSync(join(dir, 'ferretdb'), { recursive: true });
    // A pid that cannot be running: beyond the kernel's pid_max.
    const stale = {
      pid: 4_194_305,
      port: 1,
      version: 'v1.24.2',
      startedAt: '2020-01-01T00:00:00Z',
      logFile: '/nonexistent',
    };
    writeFileSync(join(dir, 'ferretdb', 'ferretdb.pid.json'), JSON.stringify(stale));
    // Kafka comes from the suite's running stack, so only FerretDB is started here.
    const env = {
      ...baseEnv(),
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      TONGXIN_STACK_DIR: dir,
      TONGXIN_MONGO_PORT: String(await freePort()),
    };

    const before = await status(env);
    expect(before.find((s) => s.name === 'ferretdb')?.state).toBe('stale pid file');

    const lines: string[] = [];
    try {
      const endpoints = await up({ env, say: (l) => lines.push(l) });
      expect(lines.join('\n')).toContain('stale PID file (pid 4194305 is not running ferretdb)');
      expect(endpoints.started).toEqual(['ferretdb']);
      expect(endpoints.external).toEqual(['kafka']);
      const after = await status(env);
      expect(after.find((s) => s.name === 'ferretdb')).toMatchObject({
        state: 'up',
        version: expect.stringContaining('FerretDB v1.24.2'),
      });

      // Running it again reports it is already up and starts nothing.
      const again: string[] = [];
      const second = await up({ env, say: (l) => again.push(l) });
      expect(second.started).toEqual([]);
      expect(again.join('\n')).toContain('FerretDB is already up');
    } finally {
      await down({ env, only: ['ferretdb'] });
    }
    expect(existsSync(join(dir, 'ferretdb', 'ferretdb.pid.json'))).toBe(false);
    expect((await status(env)).find((s) => s.name === 'ferretdb')?.state).toBe('down');
  });

  it('when up fails with a StackError, then the error carries the message a person reads', async () => {
    const env = {
      ...baseEnv(),
      MONGODB_URI: `mongodb://127.0.0.1:${await freePort()}`,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    };
    const error = (await up({ env }).catch((e: unknown) => e)) as StackError;
    expect(error.name).toBe('StackError');
    expect(error.message).toMatch(
      /MONGODB_URI=mongodb:\/\/127\.0\.0\.1:\d+ is set, but no MongoDB-protocol server answered/,
    );
  });
});
