/**
 * Consumer-side contract test: every golden fixture of every event version facilities declares it
 * reads (../consumes.ts) goes through the service's own projection consumer — `handleMessage`, the
 * same decode, schema validation and handlers as a message from Kafka — into a real database, in
 * the order the producer published them, and the projection must change as the event says. A
 * producer change that would break facilities fails here (and `npm run contracts:check` names it).
 */
import { randomBytes } from 'node:crypto';

import { goldenMessagesFor, type GoldenMessage } from '@tongxin/bus/testing';
import { createTestIssuer } from '@tongxin/service-kit/testing';
import { kafkaBrokers, mongodbUri, uniqueDatabase, uniqueGroup } from '@tongxin/testkit';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CONSUMES } from '../consumes.js';
import { createFacilitiesService, facilitiesConfigSchema, type FacilitiesService } from '../src/service.js';

/** Every collection's documents, to see whether an event changed anything. */
async function contents(connection: Connection): Promise<string> {
  const names = (await connection.db!.listCollections().toArray()).map((c) => c.name).sort();
  const all: Record<string, unknown[]> = {};
  for (const name of names) all[name] = await connection.db!.collection(name).find({}).sort({ _id: 1 }).toArray();
  return JSON.stringify(all);
}

type Body = Record<string, never>;
type Expectation = { outcome: 'processed' | 'skipped'; changes: boolean; check?: (g: GoldenMessage) => Promise<void> };

describe('facilities consumes the producers’ golden fixtures', () => {
  let facilities: FacilitiesService;
  const golden = goldenMessagesFor(CONSUMES);
  const HOME = 'fa_0196a1b30001';

  beforeAll(async () => {
    const issuer = await createTestIssuer();
    const config = facilitiesConfigSchema.parse({
      PORT: '0',
      LOG_LEVEL: 'silent',
      MONGODB_URI: mongodbUri(),
      KAFKA_BROKERS: kafkaBrokers().join(','),
      JWT_PUBLIC_JWK: JSON.stringify(issuer.jwks),
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: issuer.audience,
      FACILITIES_NOTES_KEY: randomBytes(32).toString('base64'),
      FACILITIES_CONSUMER_GROUP: uniqueGroup('facilities-contract'),
    });
    // The service's own consumer, never started: messages are handed to it directly.
    facilities = createFacilitiesService({ config, dbName: uniqueDatabase('facilities_contract') });
    await facilities.db.open();
    // The home the volunteer organisation's camp is held at (this service's own data).
    await facilities.models.Facilities.collection.insertOne({
      _id: HOME as never,
      code: 'PJ-014',
      name: '安定镇中心小学留守儿童之家',
      regionCode: '430626101201',
      status: 'open',
    });
  });
  afterAll(async () => {
    await facilities?.db.connection.dropDatabase().catch(() => {});
    await facilities?.db.close();
  });

  const m = () => facilities.models;

  const child: Expectation = {
    outcome: 'processed',
    changes: true,
    check: async (g) => {
      const body = g.body as Body;
      expect(await m().Children.findById(g.subject).lean()).toMatchObject({
        sequence: g.sequence,
        name: body.name,
        regionCode: body.regionCode,
        categories: body.categories,
        status: body.status,
      });
    },
  };
  const volunteer: Expectation = {
    outcome: 'processed',
    changes: true,
    check: async (g) => {
      const body = g.body as Body & { displayName: string; clearedForChildren: boolean };
      expect(await m().Volunteers.findById(g.subject).lean()).toMatchObject({
        sequence: g.sequence,
        name: body.displayName,
        cleared: body.clearedForChildren,
      });
    },
  };
  const volunteerEvent: Expectation = {
    outcome: 'processed',
    changes: true,
    check: async (g) => {
      const body = g.body as Body & { eventId: string; title: string; childIds: string[]; attendedChildIds: string[] };
      const mirrored = await m().Activities.findById(`ve-${body.eventId}`).lean<Record<string, unknown>>();
      expect(mirrored).toMatchObject({ facilityId: HOME, title: body.title, sourceSequence: g.sequence });
      const attendees = body.attendedChildIds.length > 0 ? body.attendedChildIds : body.childIds;
      expect(mirrored!.attendeeChildIds).toEqual(attendees);
    },
  };
  const EXPECTED: Record<string, Expectation> = {
    'registry.child.registered': child,
    'registry.child.updated': child,
    'registry.child.categorised': child,
    'registry.child.guardian_assigned': child,
    'registry.child.exited': child,
    'volunteers.volunteer.registered': volunteer,
    'volunteers.volunteer.clearance_changed': volunteer,
    'volunteers.event.created': volunteerEvent,
    'volunteers.event.participant_registered': volunteerEvent,
    'volunteers.event.attendance_recorded': volunteerEvent,
    'volunteers.event.hours_confirmed': volunteerEvent,
    'volunteers.event.closed': {
      ...volunteerEvent,
      check: async (g) => {
        await volunteerEvent.check!(g);
        const body = g.body as Body & { eventId: string; outcome: string };
        const mirrored = await m().Activities.findById(`ve-${body.eventId}`).lean<Record<string, unknown>>();
        expect(mirrored!.status).toBe(body.outcome === 'cancelled' ? 'cancelled' : 'logged');
      },
    },
    'donations.donation.received': {
      outcome: 'processed',
      changes: true,
      check: async (g) => {
        const body = g.body as Body & { donationId: string; lines: { lineId: string; title: string }[] };
        const view = await m().DonationsView.findById(body.donationId).lean();
        expect(view?.lines.map((l) => [l.lineId, l.title])).toEqual(body.lines.map((l) => [l.lineId, l.title]));
      },
    },
    // The golden allocations and acknowledgements are for a school (version 1) and a child (version 2,
    // a bursary): facilities keeps only its homes'.
    'donations.donation.allocated': {
      outcome: 'processed',
      changes: false,
      check: async (g) => {
        const body = g.body as Body & { allocation: { allocationId: string; recipientKind: string } };
        expect(body.allocation.recipientKind).toBe(g.key.endsWith('@2') ? 'child' : 'school');
        expect(await m().ReceivedAllocations.findById(body.allocation.allocationId).lean()).toBeNull();
      },
    },
    'donations.donation.acknowledged': {
      outcome: 'processed',
      changes: false,
      check: async (g) => {
        const body = g.body as Body & { acknowledgement: { allocationId: string; recipientKind: string } };
        expect(body.acknowledgement.recipientKind).not.toBe('facility');
        expect(await m().ReceivedAllocations.findById(body.acknowledgement.allocationId).lean()).toBeNull();
      },
    },
    // Validated (a malformed one would be dead-lettered) but not kept.
    'donations.donation.dispatched': { outcome: 'skipped', changes: false },
    'donations.donation.cancelled': { outcome: 'skipped', changes: false },
  };

  it('has a golden fixture and an expectation for every event version it declares', () => {
    const declared = CONSUMES.subscriptions.flatMap((s) => s.events.map((e) => `${e.type}@${e.version}`));
    expect(new Set(golden.map((g) => g.key))).toEqual(new Set(declared));
    expect(Object.keys(EXPECTED).sort()).toEqual([...new Set(golden.map((g) => g.type))].sort());
  });

  it('when each fixture is delivered in the producer’s order, then the projection changes as the event says', async () => {
    for (const g of golden) {
      const expected = EXPECTED[g.type]!;
      const before = await contents(facilities.db.connection);
      const outcome = await facilities.consumer.handleMessage(g.topic, 0, g.message, async () => {});
      const changed = (await contents(facilities.db.connection)) !== before;
      expect({ fixture: `${g.key}/${g.fixture}`, outcome, changed }).toEqual({
        fixture: `${g.key}/${g.fixture}`,
        outcome: expected.outcome,
        changed: expected.changes,
      });
      await expected.check?.(g);
    }
  }, 240_000);
});
