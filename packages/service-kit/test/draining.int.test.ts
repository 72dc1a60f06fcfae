/**
 * Draining: once stop() has begun, a request in flight still finishes, and a NEW request (one that
 * reaches the app on a connection still open) is answered 503 problem+json with Retry-After and
 * nothing done — the gateway and clients retry it after the restart instead of losing it.
 */
import { mongodbUri, uniqueDatabase } from '@tongxin/testkit';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { createDatabase, createLogger, createService, defineRoute } from '../src/index.js';

describe('draining', () => {
  it('when stop() has begun, then a new request is 503 with Retry-After and is not run, while the one in flight completes', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let runs = 0;
    const db = createDatabase({ uri: mongodbUri(), dbName: uniqueDatabase('draining') });
    const service = createService({
      name: 'draining',
      config: { PORT: 0 },
      logger: createLogger({ name: 'draining', level: 'silent' }),
      mongoose: db,
      routes: [
        defineRoute({
          method: 'post',
          path: '/work',
          summary: 'counts its runs; the first waits until released',
          auth: 'public',
          response: z.object({ run: z.number() }),
          handler: async () => {
            runs += 1;
            if (runs === 1) {
              entered();
              await released;
            }
            return { run: runs };
          },
        }),
      ],
    });
    const { port } = await service.start();
    const inFlight = request(`http://127.0.0.1:${port}`)
      .post('/work')
      .then((res) => res);
    await inHandler;
    const stopped = service.stop();

    const late = await request(service.app).post('/work');
    expect(late.status).toBe(503);
    expect(late.headers['content-type']).toContain('application/problem+json');
    expect(late.headers['retry-after']).toBe('2');
    expect(late.body).toMatchObject({ code: 'service_draining', status: 503 });
    expect(runs).toBe(1);
    // Probes still answer: readiness says it is shutting down.
    expect((await request(service.app).get('/readyz')).status).toBe(503);

    release();
    const first = await inFlight;
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ run: 1 });
    await stopped;
  });
});
