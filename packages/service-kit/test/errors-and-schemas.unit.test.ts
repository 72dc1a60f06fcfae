import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import {
  AppError,
  createLogger,
  createService,
  defineRoute,
  isDatabaseUnavailable,
  strictDeep,
  toAppError,
} from '../src/index.js';

const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });

describe('errors', () => {
  it('when the driver reports the database unreachable, then it maps to 503 database_unavailable with Retry-After', () => {
    for (const name of [
      'MongoServerSelectionError',
      'MongoNetworkError',
      'MongoNotConnectedError',
      'MongoTopologyClosedError',
    ]) {
      const error = toAppError(named(name));
      expect(error).toMatchObject({ status: 503, code: 'database_unavailable', retriable: true });
      expect(error.headers['Retry-After']).toBe('5');
    }
    expect(
      isDatabaseUnavailable(named('MongooseError', 'Operation `notes.insertOne()` buffering timed out after 1500ms')),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: named('MongoNetworkError') }))).toBe(true);
    expect(isDatabaseUnavailable(named('MongoServerError'))).toBe(false);
    expect(toAppError(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }))).toMatchObject({
      status: 409,
      code: 'conflict',
    });
  });

  it('when a handler throws an unknown error, then the client gets a bare 500 problem without internals', async () => {
    const service = createService({
      name: 'boom',
      config: {},
      logger: createLogger({ name: 'boom', level: 'silent' }),
      routes: [
        defineRoute({
          method: 'get',
          path: '/boom',
          summary: 'fails',
          auth: 'public',
          handler: async () => {
            throw new Error('connection string mongodb://admin:pw@db.internal failed at /srv/app/x.ts:12');
          },
        }),
        defineRoute({
          method: 'get',
          path: '/teapot',
          summary: 'app error',
          auth: 'public',
          handler: async () => {
            throw new AppError({
              code: 'teapot',
              status: 418,
              detail: { en: 'short and stout', zh: '矮又胖' },
              extra: { spout: 1 },
            });
          },
        }),
      ],
    });
    const res = await request(service.app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({
      code: 'internal_error',
      status: 500,
      title: 'Something went wrong on our side',
    });
    expect(res.text).not.toMatch(/mongodb:|db\.internal|\.ts:|stack/);

    const teapot = await request(service.app).get('/teapot').set('Accept-Language', 'zh-CN');
    expect(teapot.status).toBe(418);
    expect(JSON.parse(teapot.text)).toMatchObject({
      code: 'teapot',
      detail: '矮又胖',
      spout: 1,
      instance: '/teapot',
      retriable: false,
    });
    expect(express).toBeDefined();
  });
});

describe('strictDeep', () => {
  it('when a schema uses plain z.object at any depth, then unknown keys are rejected everywhere and metadata is kept', () => {
    const schema = strictDeep(
      z.object({
        a: z.string().describe('the a'),
        nested: z.object({ b: z.number() }).optional(),
        list: z.array(z.object({ c: z.boolean() })),
        choice: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('x') }),
          z.object({ kind: z.literal('y'), v: z.number() }),
        ]),
      }),
    );
    const result = schema.safeParse({
      a: 'a',
      extra: 1,
      nested: { b: 1, e: 2 },
      list: [{ c: true, f: 3 }],
      choice: { kind: 'x', g: 4 },
    });
    expect(result.success).toBe(false);
    const unknown = result
      .error!.issues.filter((i) => i.code === 'unrecognized_keys')
      .map((i) => [...i.path, ...(i as { keys: string[] }).keys].join('.'));
    expect(unknown.sort()).toEqual(['choice.g', 'extra', 'list.0.f', 'nested.e']);
    expect(schema.safeParse({ a: 'a', list: [], choice: { kind: 'y', v: 1 } }).success).toBe(true);
    expect(
      (z.toJSONSchema(schema) as unknown as { properties: { a: { description?: string } } }).properties.a.description,
    ).toBe('the a');
  });

  it('when an object is deliberately loose, then it stays loose', () => {
    const schema = strictDeep(z.object({ meta: z.looseObject({ k: z.string() }) }));
    expect(schema.safeParse({ meta: { k: 'v', anything: 1 } }).success).toBe(true);
  });
});
