/**
 * 4.5 million yuan of provincial funds from 湖南省民政厅 allocated across several children's homes,
 * which are known only through the `facilities.facility.v1` events (published here exactly as the
 * facilities service would); transferred and confirmed; the money report reconciles to the fen.
 */
import { waitFor } from '@tongxin/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  cityAdmin,
  facilitiesStandIn,
  manager,
  moneyDonation,
  REGIONS,
  startDonations,
  type Api,
  type RunningDonations,
} from './support/harness.js';

describe('provincial funds for the homes', () => {
  let donations: RunningDonations;
  let facilities: ReturnType<typeof facilitiesStandIn>;
  let city: Api;
  const homes: string[] = [];
  let suspended: string;
  let donationId: string;

  beforeAll(async () => {
    donations = await startDonations();
    facilities = facilitiesStandIn();
    city = await donations.as(cityAdmin);
    homes.push(await facilities.home({ name: '福寿村留守儿童之家', regionCode: REGIONS.pingjiangFushou }));
    homes.push(await facilities.home({ name: '长丰村留守儿童之家', regionCode: REGIONS.pingjiangChangfeng }));
    homes.push(
      await facilities.home({
        name: '罗城村留守儿童之家',
        regionCode: REGIONS.luochengVillage,
        kind: 'school_based',
        hostSchool: '罗城学校',
      }),
    );
    suspended = await facilities.home({ name: '塘冲村留守儿童之家', regionCode: REGIONS.rongjiawanTangchong });
    await facilities.home(
      {
        facilityId: suspended,
        name: '塘冲村留守儿童之家',
        regionCode: REGIONS.rongjiawanTangchong,
        status: 'suspended',
      },
      'facilities.facility.status_changed',
    );
    await waitFor(
      async () => {
        const known = await donations.models.Homes.find({ _id: { $in: [...homes, suspended] } }).lean();
        return known.length === 4 && known.find((h) => h._id === suspended)?.status === 'suspended';
      },
      { timeoutMs: 30_000, message: 'the homes to reach the projection' },
    );
    expect(
      (
        await city.post('/donors', {
          donorId: 'hunan-mz',
          kind: 'organisation',
          organisationType: 'government',
          displayName: '湖南省民政厅',
        })
      ).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await facilities?.close();
    await donations?.close();
  });

  it('when 4,500,000.00 yuan are allocated across three homes, then nothing remains and a suspended or unknown home is refused', async () => {
    const created = await city.post(
      '/donations',
      moneyDonation('hunan-mz', '4,500,000.00', { restrictedTo: '留守儿童之家建设与运行', receivedOn: '2026-05-20' }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      amountFen: 450_000_000,
      amountYuan: '4,500,000.00',
      remainingFen: 450_000_000,
    });
    donationId = created.body.id;
    const listed = await city.get('/homes');
    // The topic is shared with other tests (and the real facilities service): ours are among them.
    const listedIds = listed.body.items.map((h: { id: string }) => h.id);
    for (const id of [...homes, suspended]) expect(listedIds).toContain(id);

    const refusedSuspended = await city.post(`/donations/${donationId}/allocations`, {
      recipientKind: 'facility',
      recipientId: suspended,
      amountYuan: '100.00',
    });
    expect(refusedSuspended.status).toBe(422);
    expect(refusedSuspended.body.code).toBe('recipient_not_open');

    for (const [home, amountYuan] of [
      [homes[0], '1,500,000.00'],
      [homes[1], '1,234,567.89'],
      [homes[2], '1765432.11'],
    ] as const) {
      const allocated = await city.post(`/donations/${donationId}/allocations`, {
        recipientKind: 'facility',
        recipientId: home,
        amountYuan,
      });
      expect(allocated.status).toBe(201);
    }
    const over = await city.post(`/donations/${donationId}/allocations`, {
      recipientKind: 'facility',
      recipientId: homes[0],
      amountYuan: '0.01',
    });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ code: 'over_allocation', remaining: 0, remainingYuan: '0.00', requested: 1 });
    const lines = await city.post(`/donations/${donationId}/allocations`, {
      recipientKind: 'facility',
      recipientId: homes[0],
      lines: [{ lineId: 'line-1', quantity: 1 }],
    });
    expect(lines.status).toBe(400);
    const doc = (await city.get(`/donations/${donationId}`)).body;
    expect(doc.status).toBe('allocated');
    expect(doc.remainingFen).toBe(0);
  });

  it('when the money is transferred and the homes confirm it, then the report reconciles to the fen', async () => {
    const doc = (await city.get(`/donations/${donationId}`)).body;
    const transferred = await city.post(`/donations/${donationId}/shipments`, {
      dispatchedOn: '2026-06-01',
      carrier: '湖南省财政厅国库集中支付',
      items: doc.allocations.map((a: { allocationId: string }) => ({ allocationId: a.allocationId })),
    });
    expect(transferred.status).toBe(201);
    // Each home's manager confirms what arrived at their home; another home's transfer is not theirs.
    for (const [i, shipment] of (transferred.body.shipments as { shipmentId: string }[]).entries()) {
      const homeManager = await donations.as(manager(homes[i]!));
      if (i === 0) {
        const notMine = await homeManager.post(`/donations/${donationId}/acknowledgements`, {
          acknowledgedOn: '2026-06-03',
          items: [{ shipmentId: transferred.body.shipments[1].shipmentId }],
        });
        expect(notMine.status).toBe(404);
      }
      const acked = await homeManager.post(`/donations/${donationId}/acknowledgements`, {
        acknowledgedOn: '2026-06-03',
        items: [{ shipmentId: shipment.shipmentId }],
      });
      expect(acked.status).toBe(201);
    }
    const report = (await city.get(`/donations/${donationId}/traceability`)).body;
    expect(report.recipients).toHaveLength(3);
    expect(report.money).toEqual({
      amountFen: 450_000_000,
      allocatedFen: 450_000_000,
      remainingFen: 0,
      dispatchedFen: 450_000_000,
      acknowledgedFen: 450_000_000,
    });
    const sum = (key: string) => report.recipients.reduce((n: number, r: Record<string, number>) => n + r[key]!, 0);
    expect(sum('allocatedAmountFen')).toBe(450_000_000);
    expect(sum('acknowledgedAmountFen')).toBe(450_000_000);
    expect(report.totals).toMatchObject({
      receivedValueFen: 450_000_000,
      allocatedValueFen: 450_000_000,
      acknowledgedValueFen: 450_000_000,
      receivedQuantity: 0,
    });
    expect(report.recipients.find((r: { recipientId: string }) => r.recipientId === homes[1]).allocatedAmountFen).toBe(
      123_456_789,
    );

    const home = await (await donations.as(manager(homes[1]!))).get(`/recipients/facility/${homes[1]}/report`);
    expect(home.status).toBe(200);
    expect(home.body).toMatchObject({
      recipientName: '长丰村留守儿童之家',
      totals: { donations: 1, acknowledgedAmountFen: 123_456_789 },
    });
    expect(home.body.donations[0].donorDisplayName).toBe('湖南省民政厅');
    const otherHome = await (await donations.as(manager(homes[1]!))).get(`/recipients/facility/${homes[0]}/report`);
    expect(otherHome.status).toBe(404);

    const donor = (await city.get('/donors/hunan-mz/report')).body;
    expect(donor.byYear).toEqual([
      expect.objectContaining({ year: '2026', receivedValueFen: 450_000_000, acknowledgedValueFen: 450_000_000 }),
    ]);
    expect(donor.delivery).toMatchObject({ dispatchedFen: 450_000_000, acknowledgedFen: 450_000_000, moneyRate: 1 });
  });

  it('when a fund is shared among the homes in one batch, then all are written, and one refused request refuses the whole batch by its index', async () => {
    const created = await city.post(
      '/donations',
      moneyDonation('hunan-mz', '3,000.00', { restrictedTo: '留守儿童之家运行经费', receivedOn: '2026-07-01' }),
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const sequence = async () => (await donations.models.Donations.findById(id).lean())!.sequence;
    const before = await sequence();
    const batch = (amounts: [string, string][]) =>
      city.post(`/donations/${id}/allocations/batch`, {
        allocations: amounts.map(([recipientId, amountYuan]) => ({
          recipientKind: 'facility',
          recipientId,
          amountYuan,
        })),
      });

    const withSuspended = await batch([
      [homes[0]!, '1,000.00'],
      [suspended, '100.00'],
    ]);
    expect(withSuspended.status).toBe(422);
    expect(withSuspended.body).toMatchObject({ code: 'recipient_not_open', index: 1 });
    expect(withSuspended.body.detail).toMatch(/allocation 2|第2项/);

    const tooMuch = await batch([
      [homes[0]!, '1,000.00'],
      [homes[1]!, '1,000.00'],
      [homes[2]!, '1,000.01'],
    ]);
    expect(tooMuch.status).toBe(409);
    // Decided after the two before it: 1,000.00 yuan were left for the third.
    expect(tooMuch.body).toMatchObject({ code: 'over_allocation', index: 2, remaining: 100_000, requested: 100_001 });
    expect(await sequence()).toBe(before);
    expect((await city.get(`/donations/${id}`)).body.allocations).toHaveLength(0);

    const shared = await batch([
      [homes[0]!, '1,000.00'],
      [homes[1]!, '1,000.00'],
      [homes[2]!, '1,000.00'],
    ]);
    expect(shared.status).toBe(201);
    expect(shared.body.allocations.map((a: { recipientId: string }) => a.recipientId)).toEqual(homes);
    expect(shared.body.donation).toMatchObject({ status: 'allocated', remainingFen: 0 });
    // One event per allocation, each numbered on the donation.
    expect(await sequence()).toBe(before + 3);

    const empty = await city.post(`/donations/${id}/allocations/batch`, { allocations: [] });
    expect(empty.status).toBe(400);
  });
});
