/**
 * (B) The database goes away and comes back. The service runs against its OWN FerretDB process
 * (never the shared one): readiness turns 503, writes answer 503 problem+json with Retry-After and
 * write nothing, and after FerretDB restarts on the same port and data the service recovers by
 * itself — no service restart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, startFerretdb, stopProcess, type FerretdbProcess } from '@tongxin/local-stack';
import { waitFor } from '@tongxin/testkit';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CHILD_ID, pingjiangOfficer, startNotes, validNote, type RunningNotes } from './example/harness.js';

let dir: string;
let port: number;
let ferret: FerretdbProcess | undefined;
let notes: RunningNotes;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'service-kit-ferret-'));
  port = await freePort();
  ferret = await startFerretdb({ dir, port });
  notes = await startNotes({
    mongodbUri: ferret.uri,
    dbName: 'tongxin_notes',
    serverSelectionTimeoutMS: 1500,
    heartbeatFrequencyMS: 500,
  });
});

afterAll(async () => {
  await notes?.service.stop();
  if (ferret) await stopProcess(ferret.pid);
  await rm(dir, { recursive: true, force: true });
});

describe('when the database stops and restarts', () => {
  it('then readiness and writes answer 503 meanwhile, nothing is half-written, and the service recovers on its own', async () => {
    const token = await notes.issuer.sign(pingjiangOfficer);
    const write = (text: string) =>
      request(notes.url)
        .post(`/children/${CHILD_ID}/notes`)
        .set('Authorization', `Bearer ${token}`)
        .send(validNote({ text }));

    expect((await request(notes.url).get('/readyz')).status).toBe(200);
    expect((await write('before the outage')).status).toBe(201);

    await stopProcess(ferret!.pid);
    ferret = undefined;

    const notReady = await waitFor(
      async () => {
        const res = await request(notes.url).get('/readyz');
        return res.status === 503 ? res : undefined;
      },
      { timeoutMs: 15_000, message: '/readyz to turn 503' },
    );
    expect(notReady.body).toMatchObject({ status: 'not_ready', checks: { database: { ready: false } } });

    const refused = await write('during the outage');
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(JSON.parse(refused.text)).toMatchObject({ code: 'database_unavailable', retriable: true, status: 503 });

    // A read goes to the driver and fails after server selection: 503 as well, never 500.
    const read = await request(notes.url).get('/notes').set('Authorization', `Bearer ${token}`);
    expect(read.status).toBe(503);
    expect(read.headers['retry-after']).toBeDefined();

    ferret = await startFerretdb({ dir, port });

    await waitFor(async () => (await request(notes.url).get('/readyz')).status === 200, {
      timeoutMs: 20_000,
      message: '/readyz to be 200 again after FerretDB restarted',
    });
    const after = await waitFor(
      async () => {
        const res = await write('after the outage');
        return res.status === 201 ? res : undefined;
      },
      { timeoutMs: 10_000, message: 'a write to succeed again' },
    );
    expect(after.body.text).toBe('after the outage');

    const texts = (await notes.Notes.find({}).lean()).map((n) => n.text).sort();
    expect(texts).toEqual(['after the outage', 'before the outage']);
    expect(await notes.db.connection.collection('audit_log').countDocuments({ action: 'create' })).toBe(2);
  });
});
