/**
 * Consumer-side contract test: every golden fixture of every event version volunteers declares it
 * reads (../consumes.ts) goes through the service's own projection consumer — `handleMessage`, the
 * same decode, schema validation and handlers as a message from Kafka — into a real database, in
 * the order the producer published them, and the projection must change as the event says.
 */
import { randomBytes } from 'node:crypto';

import { goldenMessagesFor, type GoldenMessage } from '@tongxin/bus/testing';
import { createTestIssuer } from '@tongxin/service-kit/testing';
import { kafkaBrokers, mongodbUri, uniqueDatabase, uniqueGroup } from '@tongxin/testkit';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CONSUMES } from '../consumes.js';
import { createVolunteersService, volunteersConfigSchema } from '../src/service.js';

async function contents(connection: Connection): Promise<string> {
  const names = (await connection.db!.listCollections().toArray()).map((c) => c.name).sort();
  const all: Record<string, unknown[]> = {};
  for (const name of names) all[name] = await connection.db!.collection(name).find({}).sort({ _id: 1 }).toArray();
  return JSON.stringify(all);
}

type Body = Record<string, never>;

describe('volunteers consumes the producers’ golden fixtures', () => {
  let volunteers: ReturnType<typeof createVolunteersService>;
  const golden = goldenMessagesFor(CONSUMES);

  beforeAll(async () => {
    const issuer = await createTestIssuer();
    const config = volunteersConfigSchema.parse({
      PORT: '0',
      LOG_LEVEL: 'silent',
      MONGODB_URI: mongodbUri(),
      KAFKA_BROKERS: kafkaBrokers().join(','),
      JWT_PUBLIC_JWK: JSON.stringify(issuer.jwks),
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: issuer.audience,
      VOLUNTEERS_SEAL_KEY: randomBytes(32).toString('base64'),
      VOLUNTEERS_CONSUMER_GROUP: uniqueGroup('volunteers-contract'),
    });
    // The service's own consumer, never started: messages are handed to it directly.
    volunteers = createVolunteersService({ config, dbName: uniqueDatabase('volunteers_contract') });
    await volunteers.db.open();
  });
  afterAll(async () => {
    await volunteers?.db.connection.dropDatabase().catch(() => {});
    await volunteers?.db.close();
  });

  const checks: Record<string, (g: GoldenMessage) => Promise<void>> = {
    'registry.child.v1': async (g) => {
      const body = g.body as Body;
      expect(await volunteers.models.Children.findById(g.subject).lean()).toMatchObject({
        sequence: g.sequence,
        name: body.name,
        sex: body.sex,
        birthDate: body.birthDate,
        regionCode: body.regionCode,
        categories: body.categories,
        status: body.status,
      });
    },
    'facilities.facility.v1': async (g) => {
      const body = g.body as Body;
      expect(await volunteers.models.Homes.findById(g.subject).lean()).toMatchObject({
        sequence: g.sequence,
        code: body.code,
        name: body.name,
        regionCode: body.regionCode,
        status: body.status,
      });
    },
  };

  it('has a golden fixture and a check for every event version and topic it declares', () => {
    const declared = CONSUMES.subscriptions.flatMap((s) => s.events.map((e) => `${e.type}@${e.version}`));
    expect(new Set(golden.map((g) => g.key))).toEqual(new Set(declared));
    expect(Object.keys(checks).sort()).toEqual(CONSUMES.subscriptions.map((s) => s.topic).sort());
  });

  it('when each fixture is delivered in the producer’s order, then the projection changes as the event says', async () => {
    for (const g of golden) {
      const before = await contents(volunteers.db.connection);
      const outcome = await volunteers.consumer.handleMessage(g.topic, 0, g.message, async () => {});
      const changed = (await contents(volunteers.db.connection)) !== before;
      expect({ fixture: `${g.key}/${g.fixture}`, outcome, changed }).toEqual({
        fixture: `${g.key}/${g.fixture}`,
        outcome: 'processed',
        changed: true,
      });
      await checks[g.topic]!(g);
    }
  }, 240_000);
});
