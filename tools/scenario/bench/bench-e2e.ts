/**
 * `npm run bench:e2e`: how long a write through the gateway takes to show in the reporting read
 * model. Launches the platform (launchPlatform, throwaway databases), then:
 * 1. baseline — children registered through the gateway at a fixed rate: HTTP latency alone;
 * 2. visibility — the same writes at the same rate, each followed by polling the child's care
 *    timeline in reporting (404 until the read model has it): write → visible latency;
 * 3. sustained — writes as fast as 8 in flight allow, until every one is visible: writes/s.
 * Prints p50/p99 of each. Options: --rate 2 --seconds 30 --burst 120.
 */
import { parseArgs } from 'node:util';

import { launchPlatform } from '@tongxin/local-stack';

import { birthDateForAge, personName, residentIds } from '../src/people.js';
import { createPool, Session } from '../src/http.js';
import { seeded } from '../src/random.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '30' },
    burst: { type: 'string', default: '120' },
  },
});
const rate = Number(values.rate);
const count = Math.round(rate * Number(values.seconds));
const burst = Number(values.burst);

const databasePrefix = `bench_e2e_${Date.now().toString(36)}`;
const platform = await launchPlatform({
  databasePrefix,
  // Only this run's events: the development Kafka keeps every earlier run's.
  consumersFrom: 'now',
  kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:19092',
  mongodbUri: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027',
  serviceEnv: {
    gateway: { GATEWAY_RATE_LIMIT_IP_PER_MINUTE: '1000000', GATEWAY_RATE_LIMIT_USER_PER_MINUTE: '1000000' },
  },
  readyTimeoutSeconds: 180,
});
const stats = { requests: 0, retries: 0 };
const pool = createPool(16);
const admin = new Session(platform.gatewayUrl, platform.admin.username, platform.admin.password, pool, stats);
const random = seeded(7);
const ids = residentIds();
const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const VILLAGE = '430626101201';

try {
  await admin.post('/users', {
    username: 'bench-county',
    password: 'BenchCounty2026x',
    name: '平江县民政局',
    role: 'county_officer',
    regions: ['430626'],
    adminRegion: '430626',
  });
  const officer = new Session(platform.gatewayUrl, 'bench-county', 'BenchCounty2026x', pool, stats);

  const child = () => {
    const sex = random.chance(0.5) ? 'male' : 'female';
    const birthDate = birthDateForAge(random, today, random.int(3, 13));
    return {
      name: personName(random, sex),
      sex,
      birthDate,
      idNumber: ids('430626', birthDate, sex),
      hukou: { status: 'registered', kind: 'rural' },
      regionCode: VILLAGE,
      schooling: { status: 'enrolled' },
      parents: [
        { relation: 'father', status: 'migrant_worker' },
        { relation: 'mother', status: 'migrant_worker' },
      ],
      guardian: {
        kind: 'grandparent',
        name: personName(random, 'female'),
        relation: 'paternal_grandmother',
        capacity: 'capable',
      },
      supervision: 'supervised',
    };
  };
  const write = async () => {
    const t0 = performance.now();
    const body = await officer.post('/api/registry/children', child());
    return { id: body.id as string, t0, ms: performance.now() - t0 };
  };
  const visible = async (id: string) => {
    for (;;) {
      const res = await officer.request('GET', `/api/reporting/children/${id}/timeline`);
      if (res.status === 200) return performance.now();
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const atRate = async <T>(n: number, f: () => Promise<T>): Promise<T[]> => {
    const start = performance.now();
    const out: Promise<T>[] = [];
    for (let i = 0; i < n; i++) {
      const due = start + (i * 1000) / rate;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      out.push(f());
    }
    return Promise.all(out);
  };
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  };
  const line = (name: string, xs: number[]) =>
    console.log(
      `${name.padEnd(44)} p50 ${pct(xs, 50).toFixed(0).padStart(6)} ms  p99 ${pct(xs, 99).toFixed(0).padStart(6)} ms  (n=${xs.length})`,
    );

  // Warm up (JIT, connections, the first topic metadata).
  for (let i = 0; i < 5; i++) await visible((await write()).id);

  const baseline = await atRate(count, write);
  const measured = await atRate(count, async () => {
    const w = await write();
    const seen = await visible(w.id);
    return { http: w.ms, visible: seen - w.t0 };
  });
  const t0 = performance.now();
  const burstPool = createPool(8);
  const written = await Promise.all(Array.from({ length: burst }, () => burstPool(write)));
  const accepted = performance.now();
  // One poller, child after child: 120 pollers at once would load the very services being measured.
  for (const w of written) await visible(w.id);
  const allVisible = performance.now();

  console.log(
    `\nbench:e2e — registering a child through the gateway (${platform.gatewayUrl}), ${rate} writes/s for ${values.seconds} s`,
  );
  line(
    'baseline: HTTP write latency (no waiting)',
    baseline.map((b) => b.ms),
  );
  line(
    'HTTP write latency (with visibility polling)',
    measured.map((m) => m.http),
  );
  line(
    'write → visible in reporting (timeline 200)',
    measured.map((m) => m.visible),
  );
  console.log(
    `sustained: ${burst} writes, 8 in flight: accepted at ${((burst * 1000) / (accepted - t0)).toFixed(1)} writes/s, all visible at ${((burst * 1000) / (allVisible - t0)).toFixed(1)} writes/s (last visible ${((allVisible - accepted) / 1000).toFixed(1)} s after the last write was accepted)`,
  );
} finally {
  await platform.stop();
}
