/**
 * The whole platform, end to end: every service launched as its own process (launchPlatform), the
 * Yueyang profile scaled down built through the gateway only, and the annual report compared with
 * the plan figure by figure; a child's care timeline across services; an officer of another county
 * refused; then every topic replayed into an EMPTY reporting database gives the identical report.
 */
import { createKafkaClient } from '@tongxin/bus';
import { launchPlatform, SERVICE_NAMES, type LaunchedPlatform } from '@tongxin/local-stack';
import { kafkaBrokers, mongodbUri } from '@tongxin/testkit';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createQueries, readModels } from '@tongxin/reporting/read-models';
import { rebuild } from '@tongxin/reporting/rebuild';
import { createPool, Session, until } from '../src/http.js';
import { loadProfile, reportFigures } from '../src/profile.js';
import { createProgress } from '../src/progress.js';
import { runScenario, type ScenarioResult } from '../src/scenario.js';

// 1/20, the size: 1,912 children. About 5½ minutes for the city and 3 for the rebuild here
// since FerretDB's lookups by _id use an index (infra/local/src/id-index.ts); SCENARIO_E2E_SCALE=0.005
// for a quick run.
const SCALE = Number(process.env.SCENARIO_E2E_SCALE ?? 0.05);
const profilePath = new URL('../profiles/yueyang.json', import.meta.url).pathname;

describe(`Yueyang ×${SCALE} (1/${Math.round(1 / SCALE)} of the children, same proportions) through the gateway`, () => {
  let platform: LaunchedPlatform;
  let result: ScenarioResult;
  const rebuildDb = `${'e2e_rebuild'}_${Date.now().toString(36)}`;

  beforeAll(async () => {
    const databasePrefix = `e2e_scn_${Date.now().toString(36)}`;
    platform = await launchPlatform({
      databasePrefix,
      // The shared Kafka holds every earlier run's events: this city needs only its own.
      consumersFrom: 'now',
      kafkaBrokers: kafkaBrokers().join(','),
      mongodbUri: mongodbUri(),
      // A load test through one gateway from one address: the per-IP and per-user limits of a
      // public deployment would only slow it down (429 + Retry-After are honoured anyway).
      serviceEnv: {
        gateway: {
          GATEWAY_RATE_LIMIT_IP_PER_MINUTE: '1000000',
          GATEWAY_RATE_LIMIT_USER_PER_MINUTE: '1000000',
          GATEWAY_LOGIN_LIMIT_PER_MINUTE: '10000',
          GATEWAY_UPSTREAM_TIMEOUT_MS: '120000',
        },
      },
      readyTimeoutSeconds: 180,
    });
    result = await runScenario({
      gateway: platform.gatewayUrl,
      admin: platform.admin,
      profile: loadProfile(profilePath),
      scale: SCALE,
      seed: 42,
      // The reporting consumer applies events one at a time on FerretDB: give it time to catch up.
      settleTimeoutMs: 1_200_000,
      townshipsPerCounty: 2,
      listTownships: 3,
      progress: createProgress({ tty: false }),
    });
  }, 2_700_000);

  afterAll(async () => {
    await platform?.stop();
    const names = [rebuildDb, ...(platform ? SERVICE_NAMES.map((n) => platform.database(n)) : [])];
    for (const dbName of names) {
      const connection = await mongoose.createConnection(mongodbUri(), { dbName }).asPromise();
      await connection.dropDatabase().catch(() => {});
      await connection.close();
    }
  }, 120_000);

  it('when the city is built, then each figure of the annual report equals the scaled profile', () => {
    const mismatches = result.comparisons.filter((c) => !c.ok);
    expect(mismatches).toEqual([]);
    expect(result.comparisons.length).toBeGreaterThan(20);
    expect(result.report.figures.leftBehind).toBe(result.expected.leftBehind);
    expect(result.report.paragraph.zh).toContain(`农村留守儿童${result.expected.leftBehind}人`);
  });

  it(
    'when a child’s timeline is read, then it shows the register, the home, the camp and the bursary in order, and another county gets 404',
    { timeout: 700_000 },
    async () => {
      const pool = createPool(4);
      const stats = { requests: 0, retries: 0 };
      const admin = new Session(platform.gatewayUrl, platform.admin.username, platform.admin.password, pool, stats);
      const child = result.timelineChild!;
      expect(child).toBeDefined();
      // Reporting applies each topic on its own: wait until the home's, the camp's and the bursary's events are in.
      const entries = await until(
        async () => {
          const timeline = await admin.get(`/api/reporting/children/${child.childId}/timeline`);
          const list = timeline.entries as { at: string; service: string; type: string }[];
          return (
            new Set(list.map((e) => e.service)).size >= 4 && list.some((e) => e.type === 'donation_received') && list
          );
        },
        'the timeline to show four services',
        600_000,
        2000,
      ).catch(
        async () =>
          (await admin.get(`/api/reporting/children/${child.childId}/timeline`)).entries as {
            at: string;
            service: string;
            type: string;
          }[],
      );
      const services = new Set(entries.map((e) => e.service));
      // Every service that records something about a child, donations by the bursary paid to it.
      expect([...services].sort()).toEqual(['donations', 'facilities', 'registry', 'volunteers']);
      expect(new Set(entries.map((e) => e.type)).size).toBeGreaterThanOrEqual(4);
      expect(entries.map((e) => e.type)).toEqual(
        expect.arrayContaining([
          'registered',
          'case_opened',
          'enrolled',
          'activity_attended',
          'volunteer_event_registered',
          'donation_allocated',
          'donation_received',
        ]),
      );
      const times = entries.map((e) => e.at);
      expect(times).toEqual([...times].sort());
      // The bursary is paid last, after the home and the camp (enrolment and camp days are dates,
      // midnight in Beijing, so they may stand before the registration's instant of the same day);
      // it was allocated before it was received.
      const first = (service: string) => entries.findIndex((e) => e.service === service);
      expect(first('facilities')).toBeLessThan(first('donations'));
      expect(first('volunteers')).toBeLessThan(first('donations'));
      expect(entries.findIndex((e) => e.type === 'donation_allocated')).toBeLessThan(
        entries.findIndex((e) => e.type === 'donation_received'),
      );

      const outsider = new Session(
        platform.gatewayUrl,
        result.outsider!.username,
        result.outsider!.password,
        pool,
        stats,
      );
      const refused = await outsider.request('GET', `/api/reporting/children/${child.childId}/timeline`);
      expect(refused.status).toBe(404);
    },
  );

  it('when every topic is replayed into an empty reporting database, then the annual report is identical', async () => {
    const pool = createPool(2);
    const admin = new Session(platform.gatewayUrl, platform.admin.username, platform.admin.password, pool, {
      requests: 0,
      retries: 0,
    });
    const live = await admin.get(`/api/reporting/reports/annual?region=4306&year=${result.year}`);
    const connection = await mongoose.createConnection(mongodbUri(), { dbName: rebuildDb }).asPromise();
    try {
      const models = readModels(connection);
      const kafka = createKafkaClient({ clientId: 'scenario-rebuild', brokers: kafkaBrokers() });
      // The shared topics hold every other run's history too: the replay takes this run's
      // aggregates (and the enrolments and activities of its homes).
      const mine = result.created;
      await rebuild({
        kafka,
        models,
        groupId: `${platform.databasePrefix}-rebuild`,
        accept: (event) => {
          const data = event.data as { facilityId?: string; childId?: string };
          return mine.has(event.subject) || mine.has(data.facilityId ?? '') || mine.has(data.childId ?? '');
        },
        timeoutMs: 1_200_000,
      });
      const replayed = await createQueries(models).annual('4306', result.year);
      const figures = reportFigures(replayed.figures as unknown as Record<string, unknown>);
      for (const [figure, value] of Object.entries(result.expected))
        expect({ figure, value: figures[figure] ?? 0 }).toEqual({ figure, value });
      expect(replayed.figures).toEqual(live.figures);
      expect(replayed.paragraph).toEqual(live.paragraph);
      expect(replayed.table).toEqual(live.table);
    } finally {
      await connection.close();
    }
  }, 1_500_000);
});
