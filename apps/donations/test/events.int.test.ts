/**
 * What the service publishes on `donations.donation.v1`, read back by a consumer group of its own:
 * one donation's events in order with consecutive sequences, each carrying the header and the totals
 * after its change; a pledge is silent until received; an individual donor appears by display name
 * only.
 */
import { waitFor } from '@tongxin/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  cityAdmin,
  isbn,
  moneyDonation,
  observeDonations,
  REGIONS,
  startDonations,
  type Api,
  type RunningDonations,
} from './support/harness.js';

describe('donations.donation.v1', () => {
  let donations: RunningDonations;
  let observer: Awaited<ReturnType<typeof observeDonations>>;
  let city: Api;
  let school: string;

  beforeAll(async () => {
    observer = await observeDonations();
    donations = await startDonations();
    city = await donations.as(cityAdmin);
    school = (await city.post('/schools', { name: '彭昌小学', regionCode: REGIONS.baixiangPengjia })).body.id;
    const donor = await city.post('/donors', {
      kind: 'individual',
      displayName: '爱心人士王先生',
      legalName: '王建国',
      note: '退休教师，联系电话见纸质收据',
    });
    expect(donor.status).toBe(201);
    expect(donor.body.legalName).toBe('王建国');
    donorId = donor.body.id;
  });
  let donorId: string;
  afterAll(async () => {
    await observer?.runner.stop();
    await donations?.close();
  });

  it('when a donation is received, allocated, dispatched and acknowledged, then its events say so in order, with header and totals, and the donor by display name only', async () => {
    const created = await city.post('/donations', {
      donorId,
      kind: 'books',
      purpose: 'restricted',
      receivedOn: '2026-06-01',
      lines: [
        { type: 'book', title: '小王子', isbn: isbn('978702004287'), quantity: 40, unitValueYuan: '25.00' },
        { type: 'book_batch', title: '绘本一批', quantity: 60, valueYuan: '900.00' },
      ],
    });
    const id = created.body.id as string;
    const allocated = await city.post(`/donations/${id}/allocations`, {
      recipientKind: 'school',
      recipientId: school,
      lines: [
        { lineId: 'line-1', quantity: 40 },
        { lineId: 'line-2', quantity: 30 },
      ],
    });
    expect(allocated.status).toBe(201);
    const shipped = await city.post(`/donations/${id}/shipments`, {
      dispatchedOn: '2026-06-03',
      carrier: '顺丰速运',
      items: [{ allocationId: allocated.body.allocations[0].allocationId }],
    });
    await city.post(`/donations/${id}/acknowledgements`, {
      acknowledgedOn: '2026-06-05',
      items: [{ shipmentId: shipped.body.shipments[0].shipmentId, quantityReceived: 39, discrepancyReason: 'missing' }],
    });

    const events = await waitFor(() => observer.about(id).length >= 5 && observer.about(id), { timeoutMs: 30_000 });
    expect(events.map((e) => e.envelope.type)).toEqual([
      'donations.donation.received',
      'donations.donation.allocated',
      'donations.donation.allocated',
      'donations.donation.dispatched',
      'donations.donation.acknowledged',
    ]);
    expect(events.map((e) => e.envelope.sequence)).toEqual([1, 2, 3, 4, 5]);
    for (const e of events) {
      expect(e.envelope.source).toBe('donations');
      expect(e.envelope.data).toMatchObject({
        donationId: id,
        donorId,
        donorKind: 'individual',
        donorDisplayName: '爱心人士王先生',
        kind: 'books',
      });
      // No personal data of an individual donor beyond the display name.
      expect(e.raw).not.toContain('王建国');
      expect(e.raw).not.toContain('退休教师');
      expect(e.raw).not.toContain('legalName');
    }
    const data = events.map((e) => e.envelope.data as { status: string; totals: Record<string, number> });
    expect(data[0]!.totals).toMatchObject({ receivedValueFen: 190_000, receivedQuantity: 100, allocatedQuantity: 0 });
    expect(data[1]).toMatchObject({
      status: 'partially_allocated',
      totals: { allocatedQuantity: 40, allocatedValueFen: 100_000 },
    });
    expect(data[2]).toMatchObject({
      status: 'partially_allocated',
      totals: { allocatedQuantity: 70, allocatedValueFen: 145_000 },
    });
    expect(data[3]!.totals).toMatchObject({ dispatchedQuantity: 40 });
    expect(events[4]!.envelope.data).toMatchObject({
      totals: { acknowledgedQuantity: 39 },
      acknowledgement: {
        recipientKind: 'school',
        recipientId: school,
        lines: [
          {
            lineId: 'line-1',
            quantityDispatched: 40,
            quantityReceived: 39,
            discrepancy: -1,
            discrepancyReason: 'missing',
          },
        ],
      },
    });
    expect(events[0]!.envelope.data).toMatchObject({
      purpose: 'restricted',
      lines: [
        { lineId: 'line-1', isbn: isbn('978702004287'), unitValueFen: 2500, valueFen: 100_000 },
        { lineId: 'line-2', valueFen: 90_000 },
      ],
    });
  });

  it('when a pledge is recorded, then nothing is published until it is received; a cancellation is published with its reason', async () => {
    const pledged = await city.post(
      '/donations',
      moneyDonation(donorId, '5,000.00', { purpose: 'unrestricted', pledged: true, receivedOn: undefined }),
    );
    expect(pledged.status).toBe(201);
    expect(pledged.body.status).toBe('pledged');
    expect(pledged.body.receiptNumber).toBeUndefined();
    const id = pledged.body.id as string;
    const early = await city.post(`/donations/${id}/allocations`, {
      recipientKind: 'school',
      recipientId: school,
      amountYuan: '1.00',
    });
    expect(early.body.code).toBe('donation_not_received');
    const received = await city.post(`/donations/${id}/receive`, { receivedOn: '2026-06-10' });
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({ status: 'received', receivedOn: '2026-06-10' });
    expect(received.body.receiptNumber).toMatch(/^TX-2026-\d{6}$/);
    const cancelled = await city.post(`/donations/${id}/cancel`, {
      reason: 'donor_withdrew',
      cancelledOn: '2026-06-11',
    });
    expect(cancelled.status).toBe(200);
    const events = await waitFor(() => observer.about(id).length >= 2 && observer.about(id), { timeoutMs: 30_000 });
    expect(events.map((e) => [e.envelope.type, e.envelope.sequence])).toEqual([
      ['donations.donation.received', 1],
      ['donations.donation.cancelled', 2],
    ]);
    expect(events[0]!.envelope.data).toMatchObject({ amountFen: 500_000, lines: [], receivedOn: '2026-06-10' });
    expect(events[1]!.envelope.data).toMatchObject({
      status: 'cancelled',
      reason: 'donor_withdrew',
      cancelledOn: '2026-06-11',
    });
  });
});
