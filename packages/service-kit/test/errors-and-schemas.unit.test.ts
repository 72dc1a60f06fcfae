import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { DomainProblem, notFound } from '@tongxin/contracts/problems';

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

  it('when domain code refuses or loses a race, then the client gets 404/409 problem+json in its language without a rethrow in the route', async () => {
    const service = createService({
      name: 'refusals',
      config: {},
      logger: createLogger({ name: 'refusals', level: 'silent' }),
      routes: [
        defineRoute({
          method: 'get',
          path: '/full',
          summary: 'refused',
          auth: 'public',
          handler: async () => {
            throw new DomainProblem('home_full', 'the home has no free place', '该儿童之家已满员', 409, {
              capacity: 40,
            });
          },
        }),
        defineRoute({
          method: 'get',
          path: '/missing',
          summary: 'not found',
          auth: 'public',
          handler: async () => {
            throw notFound('home', '儿童之家');
          },
        }),
        defineRoute({
          method: 'get',
          path: '/race',
          summary: 'lost race',
          auth: 'public',
          handler: async () => {
            throw named('ConcurrencyError', 'expected sequence 3, found 4');
          },
        }),
      ],
    });
    const full = await request(service.app).get('/full').set('Accept-Language', 'zh-CN');
    expect(full.status).toBe(409);
    expect(full.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(full.text)).toMatchObject({
      type: 'urn:tongxin:problem:home_full',
      code: 'home_full',
      title: '该儿童之家已满员',
      detail: '该儿童之家已满员',
      capacity: 40,
      retriable: false,
    });
    const missing = await request(service.app).get('/missing').set('Accept-Language', 'en');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({ code: 'not_found', detail: 'no such home' });
    // The default status follows the code: 404 for not_found, else 409.
    expect(new DomainProblem('not_found', 'no such child', '未找到该儿童').status).toBe(404);
    expect(new DomainProblem('child_exited', 'left', '已退出').status).toBe(409);
    const race = await request(service.app).get('/race').set('Accept-Language', 'zh-CN');
    expect(race.status).toBe(409);
    expect(JSON.parse(race.text)).toMatchObject({
      code: 'conflict',
      retriable: true,
      detail: '已被他人修改，请重新读取',
    });
    expect(race.text).not.toContain('expected sequence');
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
