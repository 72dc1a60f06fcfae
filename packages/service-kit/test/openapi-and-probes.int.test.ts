/**
 * (C) What a service publishes about itself: the OpenAPI 3.1 document generated from the routes,
 * the docs page, the probes and the Prometheus metrics.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CHILD_ID, pingjiangOfficer, startNotes, validNote, type RunningNotes } from './example/harness.js';

let notes: RunningNotes;
beforeAll(async () => {
  notes = await startNotes();
});
afterAll(async () => {
  await notes?.close();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function resolveRefs(doc: Json, node: unknown, seen: string[] = []): void {
  if (Array.isArray(node)) node.forEach((n) => resolveRefs(doc, n, seen));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref') {
        expect(value).toMatch(/^#\//);
        const target = (value as string)
          .slice(2)
          .split('/')
          .reduce<unknown>((at, part) => (at as Json | undefined)?.[part], doc);
        expect(target, `${value as string} resolves`).toBeDefined();
        seen.push(value as string);
      } else resolveRefs(doc, value, seen);
    }
  }
}

describe('OpenAPI', () => {
  it('when /openapi.json is fetched, then it is an OpenAPI 3.1 document with every route and its request schema', async () => {
    const res = await request(notes.url).get('/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as Json;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Tongxin notes', version: expect.any(String) });
    expect(Object.keys(doc.paths).sort()).toEqual(['/children/{childId}/notes', '/notes', '/notes/{id}']);

    const create = doc.paths['/children/{childId}/notes'].post;
    expect(create.summary).toBe('Write a note about a child');
    expect(create.parameters).toEqual([expect.objectContaining({ name: 'childId', in: 'path', required: true })]);
    const body = create.requestBody.content['application/json'].schema;
    expect(body).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: expect.arrayContaining(['regionCode', 'text', 'child']),
    });
    expect(body.properties.child).toMatchObject({
      additionalProperties: false,
      properties: { birthDate: { type: 'string', format: 'date' } },
    });
    expect(body.$schema).toBeUndefined();
    expect(create.responses['201'].content['application/json'].schema.properties.id).toBeDefined();
    expect(create.responses['400'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
    expect(create.security).toEqual([{ bearer: [] }]);
    expect(create['x-roles']).toEqual(['city_admin', 'county_officer', 'township_officer']);

    const list = doc.paths['/notes'].get;
    expect(list.parameters).toEqual([expect.objectContaining({ name: 'limit', in: 'query', required: false })]);
    expect(doc.paths['/notes/{id}'].get.parameters[0]).toMatchObject({
      name: 'id',
      in: 'path',
      schema: { type: 'string', format: 'uuid' },
    });

    // Structural validity: unique operation ids, every path template parameter declared, refs resolve.
    const operations = Object.entries(doc.paths as Json).flatMap(([path, ops]) =>
      Object.values(ops as Json).map((op) => [path, op] as const),
    );
    const ids = operations.map(([, op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [path, op] of operations) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(op.parameters.filter((p: Json) => p.in === 'path').map((p: Json) => p.name)).toEqual(templated);
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
    }
    const refs: string[] = [];
    resolveRefs(doc, doc, refs);
    expect(refs.length).toBeGreaterThan(0);
  });

  it('when /docs is fetched, then a self-contained HTML page lists the operations', async () => {
    const res = await request(notes.url).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('/children/{childId}/notes');
    expect(res.text).toContain('Write a note about a child');
    expect(res.text).not.toMatch(/<script|https?:\/\/(?!json-schema)/);
  });
});

describe('probes and metrics', () => {
  it('when /healthz is fetched, then 200 ok; when /readyz is fetched with the database up, then 200 with its checks', async () => {
    expect((await request(notes.url).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(notes.url).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { database: { ready: true } } });
  });

  it('when requests were served, then /metrics shows them as Prometheus text by route template and status', async () => {
    const token = await notes.issuer.sign(pingjiangOfficer);
    const created = await request(notes.url)
      .post(`/children/${CHILD_ID}/notes`)
      .set('Authorization', `Bearer ${token}`)
      .send(validNote());
    expect(created.status).toBe(201);
    await request(notes.url)
      .get(`/notes/${created.body.id as string}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);

    const res = await request(notes.url).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    const lines = res.text.split('\n');
    const counter = lines.find(
      (l) =>
        l.startsWith('tongxin_http_server_requests_total{') &&
        l.includes('route="/notes/:id"') &&
        l.includes('status="200"'),
    );
    expect(counter, res.text.slice(0, 2000)).toBeDefined();
    expect(
      lines.some(
        (l) =>
          l.startsWith('tongxin_http_server_duration_seconds_bucket{') ||
          l.startsWith('tongxin_http_server_duration_bucket{'),
      ),
    ).toBe(true);
    // Raw ids never become labels: the route template does.
    expect(res.text).not.toContain(created.body.id as string);
  });
});
