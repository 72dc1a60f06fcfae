/**
 * The platform as containers, end to end: Kafka and FerretDB, then the six services from their own
 * images (`npm run images`), all with testcontainers on the host network at free ports (all traffic
 * on 127.0.0.1), configured as infra/local's launchPlatform() configures the processes. Then one
 * journey through the gateway, and every container is stopped again (Ryuk is disabled: nobody else
 * would), also when something fails.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { ensureTopics } from '@tongxin/bus';
import { ALL_TOPICS } from '@tongxin/contracts/catalog';
import { makeResidentId } from '@tongxin/contracts/values';
import { freePort, waitForKafka, waitForMongo } from '@tongxin/local-stack';
import { apiClient, waitFor, type Api } from '@tongxin/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
const SERVICES = ['gateway', 'registry', 'facilities', 'donations', 'volunteers', 'reporting'] as const;
type Service = (typeof SERVICES)[number];
const version = (app: Service) =>
  (JSON.parse(readFileSync(join(repoRoot, 'apps', app, 'package.json'), 'utf8')) as { version: string }).version;
const image = (app: Service) => `${process.env.TONGXIN_IMAGE_PREFIX ?? 'localhost/tongxin-'}${app}:${version(app)}`;
const KAFKA_IMAGE = process.env.TONGXIN_KAFKA_IMAGE ?? 'localhost/tongxin-kafka:3.9.1';
const FERRETDB_IMAGE = process.env.TONGXIN_MONGO_IMAGE ?? 'localhost/tongxin-ferretdb:1.24.2';

const ISSUER = 'https://gateway.tongxin.test';
const AUDIENCE = 'tongxin';
const ANDING_TOWN = '430626101';
const FUSHOU_VILLAGE = '430626101201';
const CHANGFENG_VILLAGE = '430626101202';
const PINGJIANG = '430626';
const LABEL = { 'org.tongxin.suite': 'images-containers' };

const containers: { name: string; container: StartedTestContainer }[] = [];
let gatewayUrl = '';
const admin = { username: 'cityadmin', password: `Adm1n${randomBytes(6).toString('hex')}x` };

async function stopAll(): Promise<void> {
  // Reverse order: services before the servers they use. Each is removed after it stops.
  const results = await Promise.allSettled(
    [...containers].reverse().map(async ({ name, container }) => {
      await container.stop({ timeout: 15_000 });
      return name;
    }),
  );
  containers.length = 0;
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length > 0) console.error('could not stop every container:', failed);
}

async function logsOf(container: StartedTestContainer): Promise<string> {
  const stream = await container.logs({ tail: 60 });
  return new Promise((done) => {
    let text = '';
    stream.on('data', (chunk: Buffer | string) => (text += chunk.toString()));
    stream.on('end', () => done(text));
    stream.on('error', () => done(text));
    setTimeout(() => done(text), 2000);
  });
}

async function waitForReady(name: string, container: StartedTestContainer, url: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${name} was not ready in 180 s:\n${await logsOf(container)}`);
}

/**
 * Every declared topic, created before the services start and read back until each partition has a
 * leader — as a deployment does (Strimzi KafkaTopics from the same ALL_TOPICS, infra/k8s). A broker
 * that has just started can answer "This server does not host this topic-partition" for a topic
 * created a moment before, and a service whose start-up ensureTopics() meets that exits.
 */
async function prepareTopics(brokers: string, timeoutMs: number): Promise<void> {
  const kafka = new Kafka({ clientId: 'tongxin-containers-suite', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  try {
    for (;;) {
      try {
        await ensureTopics(kafka, ALL_TOPICS);
        const metadata = await admin.fetchTopicMetadata({ topics: ALL_TOPICS.map((t) => t.name) });
        if (metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
        lastError = 'partitions without a leader';
      } catch (error) {
        lastError = (error as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`the platform's topics were not served in time: ${lastError}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await admin.disconnect();
  }
}

describe('the platform as containers (podman/docker, host network)', () => {
  beforeAll(async () => {
    try {
      const [kafkaPort, controllerPort, mongoPort] = [await freePort(), await freePort(), await freePort()];
      const kafka = await new GenericContainer(KAFKA_IMAGE)
        .withName(`tongxin-e2e-kafka-${kafkaPort}`)
        .withNetworkMode('host')
        .withLabels(LABEL)
        .withEnvironment({
          KAFKA_NODE_ID: '1',
          KAFKA_PROCESS_ROLES: 'broker,controller',
          KAFKA_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort},CONTROLLER://127.0.0.1:${controllerPort}`,
          KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
          KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
          KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
          KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
          KAFKA_CONTROLLER_QUORUM_VOTERS: `1@127.0.0.1:${controllerPort}`,
          KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
          KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
          KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
          KAFKA_HEAP_OPTS: '-Xmx384m -Xms128m',
        })
        .start();
      containers.push({ name: 'kafka', container: kafka });
      const ferretdb = await new GenericContainer(FERRETDB_IMAGE)
        .withName(`tongxin-e2e-ferretdb-${mongoPort}`)
        .withNetworkMode('host')
        .withLabels(LABEL)
        .withEnvironment({ FERRETDB_LISTEN_ADDR: `127.0.0.1:${mongoPort}`, FERRETDB_HANDLER: 'sqlite' })
        .start();
      containers.push({ name: 'ferretdb', container: ferretdb });
      const kafkaBrokers = `127.0.0.1:${kafkaPort}`;
      const mongodbUri = `mongodb://127.0.0.1:${mongoPort}`;
      await waitForKafka(kafkaBrokers, { timeoutMs: 120_000 });
      await prepareTopics(kafkaBrokers, 120_000);
      await waitForMongo(mongodbUri, { timeoutMs: 60_000 });

      // The services, configured like infra/local/src/launch.ts configures the processes.
      const ports = {} as Record<Service, number>;
      for (const name of SERVICES) ports[name] = await freePort();
      const url = (name: Service) => `http://127.0.0.1:${ports[name]}`;
      const key = () => randomBytes(32).toString('base64');
      const secrets = {
        REGISTRY_ID_KEY: key(),
        REGISTRY_INDEX_KEY: key(),
        FACILITIES_NOTES_KEY: key(),
        VOLUNTEERS_SEAL_KEY: key(),
      };
      const upstreams = SERVICES.filter((n) => n !== 'gateway')
        .map((n) => `${n}=${url(n)}`)
        .join(',');
      for (const name of SERVICES) {
        const env: Record<string, string> = {
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          PORT: String(ports[name]),
          MONGODB_URI: mongodbUri,
          MONGODB_DATABASE: `containers_${name}`,
          KAFKA_BROKERS: kafkaBrokers,
          JWT_ISSUER: ISSUER,
          JWT_AUDIENCE: AUDIENCE,
          ...secrets,
          ...(name === 'gateway'
            ? {
                GATEWAY_BOOTSTRAP_ADMIN_USERNAME: admin.username,
                GATEWAY_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
                GATEWAY_UPSTREAMS: upstreams,
              }
            : { JWKS_URL: `${url('gateway')}/.well-known/jwks.json` }),
        };
        const container = await new GenericContainer(image(name))
          .withName(`tongxin-e2e-${name}-${ports[name]}`)
          .withNetworkMode('host')
          .withLabels(LABEL)
          .withEnvironment(env)
          .start();
        containers.push({ name, container });
        // The gateway first: it issues the tokens the others verify through its JWKS.
        await waitForReady(name, container, url(name));
      }
      gatewayUrl = url('gateway');
    } catch (error) {
      await stopAll();
      throw error;
    }
  });

  afterAll(async () => {
    await stopAll();
  });

  it('runs each service from its image as a non-root user, NODE_ENV=production, PID 1 = node', async () => {
    for (const { name, container } of containers.filter((c) => (SERVICES as readonly string[]).includes(c.name))) {
      const result = await container.exec([
        'node',
        '-e',
        "const fs=require('fs');console.log(JSON.stringify({uid:process.getuid(),env:process.env.NODE_ENV,pid1:fs.readFileSync('/proc/1/cmdline','utf8').split('\\0').join(' ')}))",
      ]);
      const info = JSON.parse(result.output.trim().split('\n').pop()!) as { uid: number; env: string; pid1: string };
      expect(info.uid, name).not.toBe(0);
      expect(info.env, name).toBe('production');
      expect(info.pid1, name).toMatch(
        /^node --import tsx --import @tongxin\/service-kit\/register-telemetry src\/main\.ts/,
      );
    }
  });

  it('an administrator sets up a home, a child is enrolled, an activity shows in reporting', async () => {
    const login = async (username: string, password: string): Promise<string> => {
      const res = await fetch(`${gatewayUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      expect(res.status, `login ${username}`).toBe(200);
      return ((await res.json()) as { accessToken: string }).accessToken;
    };
    const as = async (username: string, password: string): Promise<Api> =>
      apiClient(gatewayUrl, await login(username, password));
    const suffix = randomBytes(3).toString('hex');
    const pw = () => `Pw${randomBytes(5).toString('hex')}x9`;

    // 1. The city administrator (bootstrapped by the gateway) logs in and creates a township officer.
    const adminApi = await as(admin.username, admin.password);
    const officer = { username: `anding-${suffix}`, password: pw() };
    const createdOfficer = await adminApi.post('/users', {
      ...officer,
      name: '安定镇民政办 陈干事',
      role: 'township_officer',
      department: 'civil_affairs',
      regions: [ANDING_TOWN],
      adminRegion: ANDING_TOWN,
    });
    expect(createdOfficer.status, JSON.stringify(createdOfficer.body)).toBe(201);
    const officerApi = await as(officer.username, officer.password);

    // 2. The township officer registers a child.
    const birthDate = '2015-04-12';
    const child = await officerApi.post(
      '/api/registry/children',
      {
        name: '李小红',
        sex: 'female',
        birthDate,
        ethnicity: '汉族',
        idNumber: makeResidentId({ regionCode: PINGJIANG, birthDate, sequence: 123, sex: 'female' }),
        hukou: { status: 'registered', kind: 'rural' },
        regionCode: FUSHOU_VILLAGE,
        address: '村民小组',
        schooling: { status: 'enrolled', school: '中心小学', grade: '四年级' },
        health: { status: 'healthy' },
        parents: [
          { relation: 'father', name: '父亲', status: 'migrant_worker', workPlace: '广东东莞' },
          { relation: 'mother', name: '母亲', status: 'migrant_worker', workPlace: '广东深圳' },
        ],
        guardian: { kind: 'grandparent', name: '祖母', relation: 'paternal_grandmother', capacity: 'capable' },
        supervision: 'supervised',
        assistance: [],
      },
      { 'x-purpose': 'registration' },
    );
    expect(child.status, JSON.stringify(child.body)).toBe(201);
    const childId = child.body.id as string;
    expect(child.body.categories).toContain('left_behind');

    // 3. The administrator opens a children's home and creates its manager.
    const home = await adminApi.post('/api/facilities/facilities', {
      code: `PJ-${randomUUID().slice(0, 6)}`,
      name: `长丰村儿童之家-${suffix}`,
      kind: 'village_based',
      regionCode: CHANGFENG_VILLAGE,
      address: '平江县安定镇长丰村村部二楼',
      openedOn: '2017-09-01',
      capacity: 30,
    });
    expect(home.status, JSON.stringify(home.body)).toBe(201);
    const facilityId = home.body.id as string;
    const manager = { username: `mgr-${suffix}`, password: pw() };
    const createdManager = await adminApi.post('/users', {
      ...manager,
      name: '儿童主任 何老师',
      role: 'facility_manager',
      facilities: [facilityId],
      adminRegion: ANDING_TOWN,
    });
    expect(createdManager.status, JSON.stringify(createdManager.body)).toBe(201);
    const managerApi = await as(manager.username, manager.password);

    // 4. The manager enrols the child: facilities knows the child from registry's events (422 until then).
    // Dates in China Standard Time; enrolled two days ago, the activity ended an hour ago (the
    // service refuses activities in the future).
    const cstDate = (msAgo: number) => new Date(Date.now() - msAgo + 8 * 3_600_000).toISOString().slice(0, 10);
    const enrolledOn = cstDate(2 * 86_400_000);
    const enrolment = await waitFor(
      async () => {
        const res = await managerApi.post(`/api/facilities/facilities/${facilityId}/children`, {
          childId,
          enrolledOn,
        });
        if (res.status === 201 || res.status === 200) return res.body;
        if (res.status === 422 || res.status === 404) return undefined;
        throw new Error(`enrol: ${res.status} ${JSON.stringify(res.body)}`);
      },
      { timeoutMs: 90_000, intervalMs: 500, message: 'the child enrolled at the home' },
    );
    expect(enrolment.status).toBe('enrolled');

    // 5. The manager logs an activity the child attended.
    const title = `集体生日会-${suffix}`;
    const activity = await managerApi.post(`/api/facilities/facilities/${facilityId}/activities`, {
      activityId: randomUUID(),
      kind: 'birthday_party',
      title,
      startsAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
      endsAt: new Date(Date.now() - 3_600_000).toISOString(),
      place: '活动室',
      attendeeChildIds: [childId],
      staff: ['何老师'],
    });
    expect(activity.status, JSON.stringify(activity.body)).toBe(201);

    // 6. Reporting (from the events) shows the home's activity figure and the child's timeline.
    // Enrolments and activities are two topics, consumed side by side: either may arrive first.
    const stats = await waitFor(
      async () => {
        const res = await adminApi.get(`/api/reporting/stats/homes/${facilityId}`);
        const arrived = res.status === 200 && res.body.activities.total === 1 && res.body.enrolledChildren === 1;
        return arrived ? res.body : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000, message: "the home's activity in reporting" },
    );
    expect(stats.enrolledChildren).toBe(1);
    expect(stats.activities.byKind.birthday_party).toBe(1);
    expect(
      stats.activities.byMonth.reduce((sum: number, m: { childAttendances: number }) => sum + m.childAttendances, 0),
    ).toBe(1);

    const timeline = await waitFor(
      async () => {
        const res = await adminApi.get(`/api/reporting/children/${childId}/timeline`);
        const entries = (res.body?.entries ?? []) as {
          service: string;
          type: string;
          facilityId?: string;
          activityKind?: string;
          title?: string;
        }[];
        return res.status === 200 && entries.some((e) => e.type === 'activity_attended') ? entries : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000, message: "the activity on the child's timeline" },
    );
    expect(timeline.some((e) => e.service === 'registry')).toBe(true);
    const attended = timeline.find((e) => e.type === 'activity_attended')!;
    expect(attended).toMatchObject({ service: 'facilities', facilityId, activityKind: 'birthday_party', title });
  });
});
