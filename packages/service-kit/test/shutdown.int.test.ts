/**
 * Graceful shutdown: readiness turns 503 at once, new connections are refused, the request in
 * flight finishes, lifecycles stop in reverse order, the database closes; SIGTERM exits 0.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { mongodbUri, uniqueDatabase, waitFor } from '@tongxin/testkit';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { createDatabase, createLogger, createService, defineRoute, type Lifecycle } from '../src/index.js';

describe('graceful shutdown', () => {
  it('when stop() is called during a request, then readiness is 503 at once, the request completes, lifecycles stop in reverse and the database closes', async () => {
    const order: string[] = [];
    const lifecycle = (name: string): Lifecycle => ({
      name,
      start: async () => void order.push(`start ${name}`),
      stop: async () => void order.push(`stop ${name}`),
      ready: () => true,
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const db = createDatabase({ uri: mongodbUri(), dbName: uniqueDatabase('shutdown') });
    const service = createService({
      name: 'shutdown',
      config: { PORT: 0 },
      logger: createLogger({ name: 'shutdown', level: 'silent' }),
      mongoose: db,
      lifecycles: [lifecycle('consumer'), lifecycle('relay')],
      routes: [
        defineRoute({
          method: 'get',
          path: '/slow',
          summary: 'waits until released',
          auth: 'public',
          response: z.object({ done: z.boolean() }),
          handler: async () => {
            entered();
            await released;
            return { done: true };
          },
        }),
      ],
    });
    const { port } = await service.start();
    const url = `http://127.0.0.1:${port}`;
    expect((await request(url).get('/readyz')).body.checks).toEqual({
      database: { ready: true, detail: 'readyState 1' },
      consumer: { ready: true },
      relay: { ready: true },
    });

    const slow = request(url)
      .get('/slow')
      .then((res) => res);
    await inHandler;
    const stopped = service.stop();

    const readiness = await request(service.app).get('/readyz');
    expect(readiness.status).toBe(503);
    expect(readiness.body.status).toBe('shutting_down');
    await waitFor(
      async () =>
        request(url)
          .get('/healthz')
          .then(
            () => false,
            () => true,
          ),
      { message: 'new connections to be refused' },
    );

    release();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ done: true });
    await stopped;
    expect(order).toEqual(['start consumer', 'start relay', 'stop relay', 'stop consumer']);
    expect(db.connection.readyState).toBe(0);
  });

  it('when a running service process gets SIGTERM, then it stops its lifecycles and exits 0', async () => {
    const main = fileURLToPath(new URL('./fixtures/notes-main.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const child = spawn(tsx, [main], {
      env: { ...process.env, NOTES_DB: uniqueDatabase('sigterm') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const port = await waitFor(() => /"msg":"ready","port":(\d+)/.exec(output)?.[1], {
        timeoutMs: 30_000,
        message: 'the service process to listen',
      });
      expect((await request(`http://127.0.0.1:${port}`).get('/healthz')).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('relay stopped');
      expect(output).toContain('notes stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
