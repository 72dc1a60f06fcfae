/**
 * Rolling restart without loss: the whole platform (launchPlatform: every service its own process),
 * a steady write load through the gateway by real accounts — a township officer registering
 * children, a home's manager logging activities — while every service is restarted in turn
 * (SIGTERM, wait for the exit, a new process; the gateway last). Then:
 *  - every write the platform accepted (2xx, or 409 child_already_registered for a retry of one it
 *    had stored) reads back through the API, and nothing is stored twice;
 *  - every resulting event is in every projection exactly once: facilities', volunteers' and
 *    reporting's children, reporting's region count and the home's activity statistics equal the
 *    accepted writes;
 *  - no 5xx other than a well-formed 503 problem+json with Retry-After.
 * The clients behave as real ones: a 503 is retried after its Retry-After, a refused or broken
 * connection (the gateway itself restarting) after a second, with the same resident ID number or
 * activity id, so a retry of a write that did land is recognised, never doubled.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { makeResidentId } from '@tongxin/contracts/values';
import type { LaunchedPlatform, ServiceName } from '@tongxin/local-stack';
import { mongodbUri, waitFor } from '@tongxin/testkit';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { disposePlatform, launchFreshPlatform } from './support/platform.js';

const PINGJIANG = '430626';
const ANDING_TOWN = '430626101';
const FUSHOU_VILLAGE = '430626101201';
const RESTART_ORDER: ServiceName[] = ['registry', 'facilities', 'donations', 'volunteers', 'reporting', 'gateway'];

interface Tally {
  requests: number;
  accepted: number;
  retriedConflicts: number;
  unavailable503: number;
  connectionErrors: number;
  errors: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('rolling restart of every service under a steady write load', () => {
  let platform: LaunchedPlatform;
  const tally: Tally = {
    requests: 0,
    accepted: 0,
    retriedConflicts: 0,
    unavailable503: 0,
    connectionErrors: 0,
    errors: [],
  };
  const connections: mongoose.Connection[] = [];

  beforeAll(async () => {
    platform = await launchFreshPlatform({
      // The verification reads every write back: not the limits under test here.
      serviceEnv: {
        gateway: { GATEWAY_RATE_LIMIT_IP_PER_MINUTE: '100000', GATEWAY_RATE_LIMIT_USER_PER_MINUTE: '100000' },
      },
    });
  }, 600_000);
  afterAll(async () => {
    for (const connection of connections) await connection.close().catch(() => {});
    await disposePlatform(platform);
  }, 120_000);

  /** One HTTP call through the gateway, counted; 503 and connection failures are reported to the caller. */
  async function send(
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers } | { networkError: string }> {
    tally.requests += 1;
    try {
      const res = await fetch(`${platform.gatewayUrl}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      let parsed: Record<string, unknown> = {};
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        parsed = { text };
      }
      return { status: res.status, body: parsed, headers: res.headers };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      return { networkError: cause?.code ?? (error as Error).name };
    }
  }

  /**
   * A write as a real client makes it: retried after a 503's Retry-After, or a second after a
   * connection failure, until the platform answers; any other 5xx, or a malformed 503, is an error.
   */
  async function write(
    label: string,
    method: string,
    path: string,
    token: string,
    body: unknown,
    accept: (status: number, body: Record<string, unknown>) => string | undefined,
    headers: Record<string, string> = {},
  ): Promise<string | undefined> {
    for (let attempt = 1; attempt <= 200; attempt++) {
      const res = await send(method, path, token, body, headers);
      if ('networkError' in res) {
        tally.connectionErrors += 1;
        await sleep(1000);
        continue;
      }
      if (res.status === 503) {
        tally.unavailable503 += 1;
        const retryAfter = Number(res.headers.get('retry-after'));
        const wellFormed =
          (res.headers.get('content-type') ?? '').includes('application/problem+json') &&
          Number.isInteger(retryAfter) &&
          retryAfter > 0 &&
          res.body.status === 503 &&
          typeof res.body.code === 'string';
        if (!wellFormed) tally.errors.push(`${label}: malformed 503 ${JSON.stringify(res.body)}`);
        await sleep((Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1) * 1000);
        continue;
      }
      const id = accept(res.status, res.body);
      if (id !== undefined) {
        tally.accepted += 1;
        return id;
      }
      tally.errors.push(`${label}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return undefined;
    }
    tally.errors.push(`${label}: gave up after 200 attempts`);
    return undefined;
  }

  /** A set-up call: retried while the platform (or its database, under load) is briefly unavailable. */
  async function setup(
    method: string,
    path: string,
    token: string | undefined,
    body: unknown,
    expected: number,
  ): Promise<Record<string, unknown>> {
    for (let attempt = 1; attempt <= 30; attempt++) {
      const res = await send(method, path, token, body);
      if (!('networkError' in res) && res.status === expected) return res.body;
      if ('networkError' in res || res.status === 503) {
        await sleep(2000);
        continue;
      }
      throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    }
    throw new Error(`${method} ${path}: still unavailable`);
  }

  async function login(username: string, password: string): Promise<string> {
    return (await setup('POST', '/auth/login', undefined, { username, password }, 200)).accessToken as string;
  }

  async function account(token: string, body: Record<string, unknown>): Promise<string> {
    const password = `Pw${randomBytes(6).toString('hex')}9`;
    await setup('POST', '/users', token, { password, ...body }, 201);
    return login(body.username as string, password);
  }

  function childInput(n: number) {
    const birth = new Date(Date.UTC(2013, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    return {
      name: `测试儿童${n}`,
      sex: n % 2 === 0 ? 'female' : 'male',
      birthDate: birth,
      ethnicity: '汉族',
      idNumber: makeResidentId({
        regionCode: PINGJIANG,
        birthDate: birth,
        sequence: 100 + (n % 300),
        sex: n % 2 === 0 ? 'female' : 'male',
      }),
      hukou: { status: 'registered', kind: 'rural' },
      regionCode: FUSHOU_VILLAGE,
      address: '平江县安定镇福寿村3组',
      schooling: { status: 'enrolled', school: '安定镇中心小学', grade: '五年级' },
      health: { status: 'healthy' },
      parents: [
        { relation: 'father', name: '李建国', status: 'migrant_worker', workPlace: '广东东莞' },
        { relation: 'mother', name: '张丽', status: 'migrant_worker', workPlace: '广东深圳' },
      ],
      guardian: { kind: 'grandparent', name: '王秀英', relation: 'paternal_grandmother', capacity: 'capable' },
      supervision: 'supervised',
      assistance: [],
    };
  }

  it('when every service restarts in turn under load, then every accepted write is stored and projected exactly once', async () => {
    const startedAt = Date.now();
    const suffix = randomBytes(3).toString('hex');
    const admin = await login(platform.admin.username, platform.admin.password);
    const county = await account(admin, {
      username: `pj-county-${suffix}`,
      name: '平江县民政局',
      role: 'county_officer',
      regions: [PINGJIANG],
      adminRegion: PINGJIANG,
      department: 'civil_affairs',
    });
    const township = await account(county, {
      username: `anding-${suffix}`,
      name: '安定镇民政',
      role: 'township_officer',
      department: 'civil_affairs',
      regions: [ANDING_TOWN],
      adminRegion: ANDING_TOWN,
    });
    const opened = await setup(
      'POST',
      '/api/facilities/facilities',
      county,
      {
        code: `PJ-${randomUUID().slice(0, 6)}`,
        name: '福寿村儿童之家',
        kind: 'village_based',
        regionCode: FUSHOU_VILLAGE,
        address: '平江县安定镇福寿村',
        openedOn: '2017-09-01',
        managers: [],
        openingHours: '周六 9:00-11:00',
        capacity: 30,
      },
      201,
    );
    const home = opened.id as string;
    const manager = await account(township, {
      username: `mgr-${suffix}`,
      name: '儿童主任',
      role: 'facility_manager',
      facilities: [home],
      adminRegion: ANDING_TOWN,
    });

    // The load: 4 clients registering children, 4 logging activities, each about one write per 1.3 s.
    const children = new Map<string, string>(); // resident ID → child id
    const activities = new Set<string>();
    const months = new Set<string>(); // Beijing months of the activities' start
    let running = true;
    let next = 0;
    const childClient = async () => {
      while (running) {
        const started = Date.now();
        const n = next++;
        const input = childInput(n);
        const id = await write(
          `child ${n}`,
          'POST',
          '/api/registry/children',
          township,
          input,
          (status, body) => {
            if (status === 201) return body.id as string;
            // A retry of a registration that was stored before the connection broke.
            if (status === 409 && body.code === 'child_already_registered') {
              tally.retriedConflicts += 1;
              return body.childId as string;
            }
            return undefined;
          },
          { 'x-purpose': 'registration' },
        );
        if (id) children.set(input.idNumber, id);
        await sleep(Math.max(0, 1300 - (Date.now() - started)));
      }
    };
    const activityClient = async () => {
      while (running) {
        const started = Date.now();
        const activityId = randomUUID();
        const startsAt = new Date(Date.now() - 26 * 3_600_000);
        const id = await write(
          `activity ${activityId}`,
          'POST',
          `/api/facilities/facilities/${home}/activities`,
          manager,
          {
            activityId,
            kind: 'family_video_call',
            title: '亲情视频通话',
            startsAt: startsAt.toISOString(),
            endsAt: new Date(startsAt.getTime() + 30 * 60_000).toISOString(),
            place: '亲情视频室',
            attendeeChildIds: [],
            staff: ['张老师'],
          },
          (status, body) => (status === 201 || status === 200 ? ((body.id ?? activityId) as string) : undefined),
        );
        if (id) {
          activities.add(activityId);
          months.add(new Date(startsAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 7));
        }
        await sleep(Math.max(0, 1300 - (Date.now() - started)));
      }
    };
    const clients = [...Array.from({ length: 4 }, childClient), ...Array.from({ length: 4 }, activityClient)];

    const restarts: string[] = [];
    await sleep(4000);
    for (const name of RESTART_ORDER) {
      const t = Date.now();
      await platform.restartService(name);
      restarts.push(`${name} ${((Date.now() - t) / 1000).toFixed(1)} s`);
      await sleep(1000);
    }
    await sleep(2000);
    running = false;
    await Promise.all(clients);
    const loadSeconds = (Date.now() - startedAt) / 1000;
    const summary = () =>
      [
        `rolling restart: ${loadSeconds.toFixed(0)} s of load; restarts: ${restarts.join(', ')}`,
        `requests ${tally.requests}, writes accepted ${tally.accepted} (children ${children.size}, activities ${activities.size}), ` +
          `409-as-already-stored ${tally.retriedConflicts}, 503 retried ${tally.unavailable503}, ` +
          `connection errors retried ${tally.connectionErrors}, errors ${tally.errors.length}: ${tally.errors.slice(0, 5).join(' | ')}`,
      ].join('\n');
    console.log(summary());

    // Every accepted write reads back through the API, and nothing is stored twice.
    const childIds = [...children.values()];
    expect(new Set(childIds).size).toBe(children.size);
    // The register's sequence of each child: a registration commits several events (registered,
    // then what the eligibility rules decided), and every projection must end at the last of them.
    const sequences = new Map<string, number>();
    for (const id of childIds) {
      const res = await send('GET', `/api/registry/children/${id}`, township, undefined, { 'x-purpose': 'check' });
      expect('networkError' in res ? res : res.status, id).toBe(200);
      if (!('networkError' in res)) sequences.set(id, res.body.sequence as number);
    }
    const listed = await send('GET', `/api/registry/children?region=${FUSHOU_VILLAGE}&pageSize=1`, township);
    expect('networkError' in listed ? listed : listed.body.total).toBe(children.size);
    const stored: string[] = [];
    for (const month of months) {
      const res = await send('GET', `/api/facilities/facilities/${home}/activities?month=${month}`, manager);
      if ('networkError' in res || res.status !== 200) throw new Error(`activities: ${JSON.stringify(res)}`);
      stored.push(...(res.body.items as { id: string }[]).map((a) => a.id));
    }
    expect(stored.length).toBe(activities.size);
    expect(new Set(stored)).toEqual(activities);

    // Every event in every projection, exactly once.
    const db = (name: ServiceName) => {
      const connection = mongoose.createConnection(mongodbUri(), { dbName: platform.database(name) });
      connections.push(connection);
      return connection.asPromise();
    };
    const [facilitiesDb, volunteersDb, reportingDb] = await Promise.all([
      db('facilities'),
      db('volunteers'),
      db('reporting'),
    ]);
    // The topics are shared with every other run on this Kafka, so the projections may also hold
    // others' children: each is checked for exactly THIS test's children, each once, at sequence 1.
    const ids = async (connection: mongoose.Connection, collection: string) =>
      (
        await connection
          .db!.collection(collection)
          .find({ _id: { $in: childIds as never[] } }, { projection: { _id: 1, sequence: 1 } })
          .toArray()
      ).map((d) => `${String(d._id)}@${String(d.sequence)}`);
    const expectedChildren = childIds.map((id) => `${id}@${sequences.get(id)}`).sort();
    // Projections catch up at their own pace (reporting is slow on a busy machine): wait while
    // they make progress, fail when they stop short.
    let seen = '';
    let progress = { total: -1, at: Date.now() };
    await waitFor(
      async () => {
        const counts = [
          (await ids(facilitiesDb, 'children_view')).length,
          (await ids(volunteersDb, 'children_view')).length,
          (await ids(reportingDb, 'children')).length,
        ];
        seen = `facilities ${counts[0]}, volunteers ${counts[1]}, reporting ${counts[2]} of ${childIds.length}`;
        const total = counts.reduce((a, b) => a + b, 0);
        if (total > progress.total) progress = { total, at: Date.now() };
        if (Date.now() - progress.at > 90_000) throw new Error(`no progress for 90 s: ${seen}`);
        return counts.every((c) => c >= childIds.length);
      },
      { timeoutMs: 480_000, intervalMs: 2000, message: 'every projection to hold every accepted child' },
    ).catch((error: Error) => {
      const outputs = (['registry', 'facilities', 'volunteers', 'reporting'] as const)
        .map((name) => `--- ${name}\n${platform.services[name].output().slice(-1500)}`)
        .join('\n');
      throw new Error(`${error.message}: ${seen}\n${summary()}\n${outputs}`);
    });
    console.log(`projections caught up ${((Date.now() - startedAt) / 1000 - loadSeconds).toFixed(0)} s after the load`);
    expect((await ids(facilitiesDb, 'children_view')).sort()).toEqual(expectedChildren);
    expect((await ids(volunteersDb, 'children_view')).sort()).toEqual(expectedChildren);
    expect((await ids(reportingDb, 'children')).sort()).toEqual(expectedChildren);
    // Each of the child's events once in its care timeline: child_1 … child_<sequence>.
    const timelines = await reportingDb
      .db!.collection('timelines')
      .find({ _id: { $in: childIds as never[] } })
      .toArray();
    expect(timelines.length).toBe(childIds.length);
    for (const timeline of timelines) {
      const last = sequences.get(String(timeline._id))!;
      expect(
        Object.keys(timeline.entries as object)
          .filter((k) => k.startsWith('child_'))
          .sort(),
      ).toEqual(Array.from({ length: last }, (_, i) => `child_${i + 1}`).sort());
    }

    // Reporting, through the API: the home's activity count (the home is this test's own).
    await waitFor(
      async () => {
        const res = await send('GET', `/api/reporting/stats/homes/${home}`, county);
        return (
          !('networkError' in res) &&
          res.status === 200 &&
          (res.body.activities as { total: number }).total === activities.size
        );
      },
      { timeoutMs: 240_000, intervalMs: 2000, message: 'reporting to count every accepted activity' },
    );
    const reportingActivities = await reportingDb.db!.collection('homes').findOne({ _id: home as never });
    expect(Object.keys(reportingActivities!.activities as object).sort()).toEqual([...activities].sort());

    console.log(
      `events checked: ${childIds.length} children × 3 projections + timelines, ${activities.size} activities in facilities (API) and reporting (API and read model)`,
    );
    expect(tally.errors).toEqual([]);
    expect(children.size).toBeGreaterThan(20);
    expect(activities.size).toBeGreaterThan(20);
    // The restarts were felt: requests were turned away with 503 and retried.
    expect(tally.unavailable503 + tally.connectionErrors).toBeGreaterThan(0);
  }, 900_000);
});
