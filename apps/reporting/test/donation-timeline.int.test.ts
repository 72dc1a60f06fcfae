/**
 * A bursary (助学金) for one child on the child's care timeline: the donations service's version 2
 * events (recipientKind `child`), published as it does, become `donation_allocated` and
 * `donation_received` entries among the register's, in time order; re-delivery changes nothing and
 * the donation figures are what they were.
 */
import { toKafkaRecord, type EventEnvelope } from '@tongxin/contracts';
import { DONATION_TOPIC } from '@tongxin/contracts/donations';
import { CHILD_TOPIC } from '@tongxin/contracts/registry';
import { waitFor } from '@tongxin/testkit';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cityAdmin, eventsStandIn, startReporting, uniquePrefix, type RunningReporting } from './support/harness.js';

const PJ_A = '430626101201'; // 福寿村, 安定镇, 平江县

/** The same Kafka message again, as a redelivery after a crash would hand it over. */
const redelivered = (envelope: EventEnvelope): KafkaMessage => {
  const record = toKafkaRecord(envelope);
  return {
    key: Buffer.from(record.key),
    value: record.value,
    headers: Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, Buffer.from(v)])),
    offset: '0',
    timestamp: String(Date.now()),
    attributes: 0,
  } as KafkaMessage;
};

describe('a bursary on a child’s care timeline', () => {
  const prefix = uniquePrefix();
  const id = (name: string) => `${prefix}-${name}`;
  let reporting: RunningReporting;
  let bus: ReturnType<typeof eventsStandIn>;
  let allocated: EventEnvelope;
  let acknowledged: EventEnvelope;

  const child = {
    childId: id('c1'),
    name: '王梓涵',
    sex: 'female',
    birthDate: '2010-05-01',
    regionCode: PJ_A,
    categories: ['left_behind', 'in_difficulty'],
    difficultyTypes: ['economic_hardship'],
    supervision: 'supervised',
    schooling: { status: 'enrolled' },
    status: 'active',
  };
  const totals = (over: Record<string, number> = {}) => ({
    receivedValueFen: 500_000,
    receivedQuantity: 0,
    allocatedValueFen: 0,
    allocatedQuantity: 0,
    dispatchedQuantity: 0,
    acknowledgedQuantity: 0,
    acknowledgedValueFen: 0,
    ...over,
  });
  const header = (status: string, over: Record<string, number> = {}) => ({
    donationId: id('fund'),
    donorId: id('hunan-mz'),
    donorKind: 'organisation',
    donorDisplayName: '湖南省民政厅',
    kind: 'money',
    status,
    receivedOn: '2019-02-01',
    totals: totals(over),
  });

  beforeAll(async () => {
    reporting = await startReporting(prefix);
    bus = eventsStandIn();
    const fund = id('fund');
    await bus.publish(CHILD_TOPIC, child.childId, 'registry.child.registered', child, '2019-01-10T09:00:00+08:00');
    await bus.publish(
      DONATION_TOPIC,
      fund,
      'donations.donation.received',
      { ...header('received'), amountFen: 500_000, purpose: 'restricted', lines: [] },
      '2019-02-01T09:00:00+08:00',
    );
    allocated = await bus.publish(
      DONATION_TOPIC,
      fund,
      'donations.donation.allocated',
      {
        ...header('partially_allocated', { allocatedValueFen: 100_000 }),
        allocation: {
          allocationId: id('al1'),
          recipientKind: 'child',
          recipientId: child.childId,
          recipientName: '王*涵',
          recipientRegionCode: PJ_A,
          amountFen: 100_000,
          valueFen: 100_000,
        },
      },
      '2019-03-01T10:00:00+08:00',
      2,
    );
    await bus.publish(
      DONATION_TOPIC,
      fund,
      'donations.donation.dispatched',
      {
        ...header('partially_allocated', { allocatedValueFen: 100_000 }),
        shipment: {
          shipmentId: id('sh1'),
          allocationId: id('al1'),
          recipientKind: 'child',
          recipientId: child.childId,
          dispatchedOn: '2019-03-01',
          lines: [],
          amountFen: 100_000,
        },
      },
      '2019-03-01T11:00:00+08:00',
      2,
    );
    // Acknowledged the same day: the entry must still come after the allocation's.
    acknowledged = await bus.publish(
      DONATION_TOPIC,
      fund,
      'donations.donation.acknowledged',
      {
        ...header('partially_allocated', { allocatedValueFen: 100_000, acknowledgedValueFen: 100_000 }),
        acknowledgement: {
          acknowledgementId: id('ak1'),
          allocationId: id('al1'),
          shipmentId: id('sh1'),
          recipientKind: 'child',
          recipientId: child.childId,
          acknowledgedOn: '2019-03-01',
          lines: [],
          amountFen: 100_000,
        },
      },
      '2019-03-01T16:00:00+08:00',
      2,
    );
    // A home's share of the same fund, as version 1: on no child's timeline.
    await bus.publish(
      DONATION_TOPIC,
      fund,
      'donations.donation.allocated',
      {
        ...header('partially_allocated', { allocatedValueFen: 300_000 }),
        allocation: {
          allocationId: id('al2'),
          recipientKind: 'facility',
          recipientId: id('home1'),
          recipientName: '福寿村留守儿童之家',
          recipientRegionCode: PJ_A,
          amountFen: 200_000,
          valueFen: 200_000,
        },
      },
      '2019-03-05T10:00:00+08:00',
    );
    await bus.publish(
      CHILD_TOPIC,
      child.childId,
      'registry.child.guardian_assigned',
      {
        ...child,
        supervision: 'supervised',
        guardian: { kind: 'grandparent', relation: 'paternal_grandmother' },
        assignedOn: '2019-03-20',
      },
      '2019-03-20T09:00:00+08:00',
    );
    await waitFor(
      async () => {
        const doc = (await reporting.models.Donations.collection.findOne({ _id: id('fund') as never })) as {
          sequence: number;
        } | null;
        const timeline = await reporting.models.Timelines.collection.findOne({ _id: child.childId as never });
        return (
          doc?.sequence === 5 && Object.keys((timeline as { entries?: object } | null)?.entries ?? {}).length === 4
        );
      },
      { timeoutMs: 240_000, intervalMs: 500, message: 'the child’s and the fund’s events in reporting' },
    );
  }, 300_000);
  afterAll(async () => {
    await bus?.close();
    await reporting?.close();
  });

  const read = async () => (await (await reporting.as(cityAdmin)).get(`/children/${id('c1')}/timeline`)).body;

  it('when the timeline is read, then the bursary’s allocation and receipt stand in time order among the register’s entries', async () => {
    const body = await read();
    expect(body.entries).toEqual([
      expect.objectContaining({ service: 'registry', type: 'registered', at: '2019-01-10T01:00:00.000Z' }),
      {
        at: '2019-03-01T02:00:00.000Z',
        service: 'donations',
        type: 'donation_allocated',
        donationKind: 'money',
        amountFen: 100_000,
        donorDisplayName: '湖南省民政厅',
      },
      {
        at: '2019-03-01T02:00:00.000Z',
        service: 'donations',
        type: 'donation_received',
        donationKind: 'money',
        amountFen: 100_000,
        donorDisplayName: '湖南省民政厅',
      },
      expect.objectContaining({ service: 'registry', type: 'guardian_assigned', at: '2019-03-20T01:00:00.000Z' }),
    ]);
    expect(new Set(body.entries.map((e: { service: string }) => e.service))).toEqual(
      new Set(['registry', 'donations']),
    );
  });

  it('when the allocation and the acknowledgement are delivered again, then the timeline and the donation figures are unchanged', async () => {
    const timelineBefore = await read();
    const fundBefore = await reporting.models.Donations.collection.findOne({ _id: id('fund') as never });
    for (const envelope of [allocated, acknowledged]) {
      const outcome = await reporting.consumer.handleMessage(DONATION_TOPIC, 0, redelivered(envelope), async () => {});
      expect(outcome).toBe('processed');
    }
    expect(await read()).toEqual(timelineBefore);
    expect(await reporting.models.Donations.collection.findOne({ _id: id('fund') as never })).toEqual(fundBefore);
    expect(fundBefore).toMatchObject({
      receivedValueFen: 500_000,
      allocations: {
        [id('al1')]: { recipientKind: 'child', recipientName: '王*涵', amountFen: 100_000 },
        [id('al2')]: { recipientKind: 'facility', amountFen: 200_000 },
      },
      acknowledgements: { [id('ak1')]: { allocationId: id('al1'), amountFen: 100_000 } },
    });
  });
});
