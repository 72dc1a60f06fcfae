/**
 * Consumer-side contract test: every golden fixture of every event version reporting declares it
 * reads (../consumes.ts) goes through the service's own read-model consumer — `handleMessage`, the
 * same decode, schema validation and handlers as a message from Kafka — into a real database, in
 * the order the producers published them, and the read models must change as the event says.
 */
import { goldenMessagesFor, type GoldenMessage } from '@tongxin/bus/testing';
import { createTestIssuer } from '@tongxin/service-kit/testing';
import { kafkaBrokers, mongodbUri, uniqueDatabase, uniqueGroup } from '@tongxin/testkit';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CONSUMES } from '../consumes.js';
import { createReportingService, reportingConfigSchema } from '../src/service.js';

async function contents(connection: Connection): Promise<string> {
  const names = (await connection.db!.listCollections().toArray()).map((c) => c.name).sort();
  const all: Record<string, unknown[]> = {};
  for (const name of names) all[name] = await connection.db!.collection(name).find({}).sort({ _id: 1 }).toArray();
  return JSON.stringify(all);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;
const suffix = (type: string) => type.slice(type.lastIndexOf('.') + 1);

describe('reporting consumes the producers’ golden fixtures', () => {
  let reporting: ReturnType<typeof createReportingService>;
  const golden = goldenMessagesFor(CONSUMES);
  const doc = async (collection: string, id: string) =>
    (await reporting.db.connection.db!.collection(collection).findOne({ _id: id as never })) as Doc | null;

  beforeAll(async () => {
    const issuer = await createTestIssuer();
    const config = reportingConfigSchema.parse({
      PORT: '0',
      LOG_LEVEL: 'silent',
      MONGODB_URI: mongodbUri(),
      KAFKA_BROKERS: kafkaBrokers().join(','),
      JWT_PUBLIC_JWK: JSON.stringify(issuer.jwks),
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: issuer.audience,
      REPORTING_CONSUMER_GROUP: uniqueGroup('reporting-contract'),
    });
    // The service's own consumer, never started: messages are handed to it directly.
    reporting = createReportingService({ config, dbName: uniqueDatabase('reporting_contract') });
    await reporting.db.open();
  });
  afterAll(async () => {
    await reporting?.db.connection.dropDatabase().catch(() => {});
    await reporting?.db.close();
  });

  const checks: Record<string, (g: GoldenMessage, body: Doc) => Promise<void>> = {
    'registry.child.v1': async (g, body) => {
      expect(await doc('children', g.subject)).toMatchObject({
        sequence: g.sequence,
        name: body.name,
        regionCode: body.regionCode,
        status: body.status,
      });
      const timeline = await doc('timelines', body.childId);
      expect(timeline?.entries[`child_${g.sequence}`]).toMatchObject({ service: 'registry', type: suffix(g.type) });
    },
    'registry.case.v1': async (g, body) => {
      expect(await doc('cases', g.subject)).toMatchObject({ sequence: g.sequence, childId: body.childId });
      const timeline = await doc('timelines', body.childId);
      expect(timeline?.entries[`case_${body.caseId}_${g.sequence}`]).toMatchObject({
        type: `case_${suffix(g.type)}`,
        caseType: body.caseType,
      });
    },
    'registry.report.v1': async (g, body) => {
      expect(await doc('reports', g.subject)).toMatchObject({ sequence: g.sequence, regionCode: body.regionCode });
      if (body.childId)
        expect((await doc('timelines', body.childId))?.entries[`report_${body.reportId}`]).toMatchObject({
          type: 'mandatory_report',
          status: body.status,
        });
    },
    'facilities.facility.v1': async (g, body) => {
      const home = await doc('homes', body.facilityId);
      expect(home).toMatchObject({
        facilitySequence: g.sequence,
        facility: { name: body.name, status: body.status, capacity: body.capacity },
      });
      if (body.funding)
        expect(home!.funding[body.funding.fundingId]).toMatchObject({ amountFen: body.funding.amountFen });
      if (body.evaluation)
        expect(home!.evaluations[body.evaluation.evaluationId]).toMatchObject({ grade: body.evaluation.grade });
    },
    'facilities.enrolment.v1': async (g, body) => {
      const home = await doc('homes', body.facilityId);
      expect(home!.enrolments[body.enrolmentId]).toMatchObject({
        sequence: g.sequence,
        childId: body.childId,
        status: body.status,
      });
    },
    'facilities.activity.v1': async (g, body) => {
      const home = await doc('homes', body.facilityId);
      expect(home!.activities[body.activityId]).toMatchObject({
        sequence: g.sequence,
        status: body.status,
        attendeeCount: body.attendeeCount,
      });
    },
    'donations.donation.v1': async (g, body) => {
      const donation = await doc('donations', body.donationId);
      expect(donation).toMatchObject({ sequence: g.sequence, status: body.status });
      if (body.allocation) expect(donation!.allocations[body.allocation.allocationId]).toBeDefined();
      if (body.shipment) expect(donation!.shipments[body.shipment.shipmentId]).toBeDefined();
      if (body.acknowledgement)
        expect(donation!.acknowledgements[body.acknowledgement.acknowledgementId]).toBeDefined();
    },
    'volunteers.event.v1': async (g, body) => {
      expect(await doc('volunteer_events', g.subject)).toMatchObject({
        sequence: g.sequence,
        status: body.status,
        childIds: body.childIds,
      });
    },
  };

  it('has a golden fixture and a check for every event version and topic it declares', () => {
    const declared = CONSUMES.subscriptions.flatMap((s) => s.events.map((e) => `${e.type}@${e.version}`));
    expect(new Set(golden.map((g) => g.key))).toEqual(new Set(declared));
    expect(Object.keys(checks).sort()).toEqual(CONSUMES.subscriptions.map((s) => s.topic).sort());
  });

  it('when each fixture is delivered in the producers’ order, then the read models change as the event says', async () => {
    for (const g of golden) {
      const before = await contents(reporting.db.connection);
      const outcome = await reporting.consumer.handleMessage(g.topic, 0, g.message, async () => {});
      await reporting.consumer.flush(); // what the runner does before committing the offset
      const changed = (await contents(reporting.db.connection)) !== before;
      expect({ fixture: `${g.key}/${g.fixture}`, outcome, changed }).toEqual({
        fixture: `${g.key}/${g.fixture}`,
        outcome: 'processed',
        changed: true,
      });
      await checks[g.topic]!(g, g.body as Doc);
    }
  }, 240_000);
});
