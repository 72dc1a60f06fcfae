/**
 * Consumer-side contract test: every golden fixture of every event version donations declares it
 * reads (../consumes.ts) goes through the service's own projection consumer — `handleMessage`, the
 * same decode, schema validation and handlers as a message from Kafka — into a real database, in
 * the order the producer published them, and the projection must change as the event says.
 */
import { goldenMessagesFor, type GoldenMessage } from '@tongxin/bus/testing';
import { maskPersonName } from '@tongxin/contracts/values';
import { createTestIssuer } from '@tongxin/service-kit/testing';
import { kafkaBrokers, mongodbUri, uniqueDatabase, uniqueGroup } from '@tongxin/testkit';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CONSUMES } from '../consumes.js';
import { createDonationsService, donationsConfigSchema } from '../src/service.js';

async function contents(connection: Connection): Promise<string> {
  const names = (await connection.db!.listCollections().toArray()).map((c) => c.name).sort();
  const all: Record<string, unknown[]> = {};
  for (const name of names) all[name] = await connection.db!.collection(name).find({}).sort({ _id: 1 }).toArray();
  return JSON.stringify(all);
}

type Body = Record<string, never>;

describe('donations consumes the producers’ golden fixtures', () => {
  let donations: ReturnType<typeof createDonationsService>;
  const golden = goldenMessagesFor(CONSUMES);

  beforeAll(async () => {
    const issuer = await createTestIssuer();
    const config = donationsConfigSchema.parse({
      PORT: '0',
      LOG_LEVEL: 'silent',
      MONGODB_URI: mongodbUri(),
      KAFKA_BROKERS: kafkaBrokers().join(','),
      JWT_PUBLIC_JWK: JSON.stringify(issuer.jwks),
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: issuer.audience,
      DONATIONS_CONSUMER_GROUP: uniqueGroup('donations-contract'),
    });
    // The service's own consumer, never started: messages are handed to it directly.
    donations = createDonationsService({ config, dbName: uniqueDatabase('donations_contract') });
    await donations.db.open();
  });
  afterAll(async () => {
    await donations?.db.connection.dropDatabase().catch(() => {});
    await donations?.db.close();
  });

  const checks: Record<string, (g: GoldenMessage) => Promise<void>> = {
    'facilities.facility.v1': async (g) => {
      const body = g.body as Body;
      expect(await donations.models.Homes.findById(g.subject).lean()).toMatchObject({
        sequence: g.sequence,
        name: body.name,
        regionCode: body.regionCode,
        status: body.status,
      });
    },
    // Only what an allocation to one child needs: the masked name, the village, the status.
    'registry.child.v1': async (g) => {
      const body = g.body as Body & { name: string };
      const view = await donations.models.Children.findById(g.subject).lean();
      expect(view).toEqual({
        _id: g.subject,
        sequence: g.sequence,
        maskedName: maskPersonName(body.name),
        regionCode: body.regionCode,
        status: body.status,
      });
      expect(JSON.stringify(view)).not.toContain(body.name);
    },
  };

  it('has a golden fixture and a check for every event version and topic it declares', () => {
    const declared = CONSUMES.subscriptions.flatMap((s) => s.events.map((e) => `${e.type}@${e.version}`));
    expect(new Set(golden.map((g) => g.key))).toEqual(new Set(declared));
    expect(Object.keys(checks).sort()).toEqual(CONSUMES.subscriptions.map((s) => s.topic).sort());
  });

  it('when each fixture is delivered in the producer’s order, then the projection changes as the event says', async () => {
    for (const g of golden) {
      const before = await contents(donations.db.connection);
      const runner = g.topic === 'registry.child.v1' ? donations.childConsumer : donations.consumer;
      const outcome = await runner.handleMessage(g.topic, 0, g.message, async () => {});
      const changed = (await contents(donations.db.connection)) !== before;
      expect({ fixture: `${g.key}/${g.fixture}`, outcome, changed }).toEqual({
        fixture: `${g.key}/${g.fixture}`,
        outcome: 'processed',
        changed: true,
      });
      await checks[g.topic]!(g);
    }
  }, 240_000);
});
