/**
 * Who sees what, and bad input: a charity sees only its own organisation's donations (another's is 404,
 * as if missing); county officers read but do not record; every bad input is a clear 4xx problem+json
 * naming the field or the rule — never a 500, never a partial write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  charity,
  cityAdmin,
  countyOfficer,
  isbn,
  moneyDonation,
  REGIONS,
  startDonations,
  type Api,
  type RunningDonations,
} from './support/harness.js';

describe('access and bad input', () => {
  let donations: RunningDonations;
  let city: Api;
  let ccf: Api;
  let zhide: Api;
  let school: string;
  let ccfDonation: string;

  const books = (extra: Record<string, unknown> = {}) => ({
    donorId: 'ccf',
    kind: 'books',
    purpose: 'unrestricted',
    receivedOn: '2026-06-01',
    lines: [{ type: 'book', title: '小王子', isbn: isbn('978702004287'), quantity: 100, unitValueYuan: '25.00' }],
    ...extra,
  });

  beforeAll(async () => {
    donations = await startDonations();
    city = await donations.as(cityAdmin);
    await city.post('/donors', {
      donorId: 'ccf',
      kind: 'organisation',
      organisationType: 'charity_federation',
      displayName: '中华慈善总会',
    });
    await city.post('/donors', {
      donorId: 'zhide',
      kind: 'organisation',
      organisationType: 'foundation',
      displayName: '致德慈善基金会',
    });
    ccf = await donations.as(charity('ccf'));
    zhide = await donations.as(charity('zhide'));
    school = (await city.post('/schools', { name: '罗城学校', regionCode: REGIONS.luochengVillage })).body.id;
    const created = await ccf.post('/donations', books());
    expect(created.status).toBe(201);
    ccfDonation = created.body.id;
  });
  afterAll(async () => {
    await donations?.close();
  });

  it('when a charity touches another charity’s donation, then it is 404 everywhere, as if it did not exist', async () => {
    expect((await zhide.get(`/donations/${ccfDonation}`)).status).toBe(404);
    expect((await zhide.get(`/donations/${ccfDonation}/traceability`)).status).toBe(404);
    expect((await zhide.raw(`/donations/${ccfDonation}/traceability.xlsx`)).status).toBe(404);
    const allocate = await zhide.post(`/donations/${ccfDonation}/allocations`, {
      recipientKind: 'school',
      recipientId: school,
      lines: [{ lineId: 'line-1', quantity: 1 }],
    });
    expect(allocate.status).toBe(404);
    expect(
      (await zhide.post(`/donations/${ccfDonation}/cancel`, { reason: 'other', cancelledOn: '2026-06-02' })).status,
    ).toBe(404);
    expect((await zhide.get('/donors/ccf/report')).status).toBe(404);
    expect((await zhide.get('/donations')).body.items).toEqual([]);
    // Nor can it record a donation in another organisation's name.
    expect((await zhide.post('/donations', books())).status).toBe(404);
    // The owner and the city see it; a county officer reads it but may not allocate.
    expect((await ccf.get(`/donations/${ccfDonation}`)).status).toBe(200);
    expect((await city.get(`/donations/${ccfDonation}`)).status).toBe(200);
    const county = await donations.as(countyOfficer);
    expect((await county.get(`/donations/${ccfDonation}`)).status).toBe(200);
    expect(
      (
        await county.post(`/donations/${ccfDonation}/allocations`, {
          recipientKind: 'school',
          recipientId: school,
          lines: [{ lineId: 'line-1', quantity: 1 }],
        })
      ).status,
    ).toBe(403);
    // Only the city registers donors.
    expect((await ccf.post('/donors', { kind: 'individual', displayName: '某人' })).status).toBe(403);
  });

  it('when the input is bad, then each gets a clear 4xx naming the field or the rule', async () => {
    const negative = await ccf.post(
      '/donations',
      books({ lines: [{ type: 'book', title: '小王子', quantity: -5, unitValueYuan: '25.00' }] }),
    );
    expect(negative.status).toBe(400);
    expect(negative.headers.get('content-type')).toContain('application/problem+json');
    expect(negative.body.errors).toEqual([expect.objectContaining({ path: 'body.lines.0.quantity' })]);

    const badIsbn = await ccf.post(
      '/donations',
      books({ lines: [{ type: 'book', title: '小王子', isbn: '9787020042870', quantity: 5, unitValueYuan: '25.00' }] }),
    );
    expect(badIsbn.status).toBe(400);
    expect(badIsbn.body.errors).toEqual([expect.objectContaining({ path: 'body.lines.0.isbn' })]);
    expect(JSON.stringify(badIsbn.body.errors)).toMatch(/ISBN/);

    const threeDecimals = await city
      .post('/donors', {
        donorId: 'gov',
        kind: 'organisation',
        organisationType: 'government',
        displayName: '湖南省民政厅',
      })
      .then(() => city.post('/donations', moneyDonation('gov', '12.345')));
    expect(threeDecimals.status).toBe(400);
    expect(threeDecimals.body.errors).toEqual([expect.objectContaining({ path: 'body.amountYuan' })]);
    const asNumber = await city.post('/donations', { ...moneyDonation('gov', '0'), amountYuan: 12.5 });
    expect(asNumber.status).toBe(400);
    const bigAmount = await city.post('/donations', moneyDonation('gov', '1100000.00'));
    expect(bigAmount.status).toBe(201);
    expect(bigAmount.body.amountFen).toBe(110_000_000);

    const goodsInBooks = await ccf.post(
      '/donations',
      books({ lines: [{ type: 'goods', title: '书包', unit: '个', quantity: 5, unitValueYuan: '30.00' }] }),
    );
    expect(goodsInBooks.status).toBe(400);
    const unknownField = await ccf.post('/donations', books({ status: 'allocated' }));
    expect(unknownField.status).toBe(400);

    const negativeAllocation = await ccf.post(`/donations/${ccfDonation}/allocations`, {
      recipientKind: 'school',
      recipientId: school,
      lines: [{ lineId: 'line-1', quantity: -1 }],
    });
    expect(negativeAllocation.status).toBe(400);
    const unknownRecipient = await ccf.post(`/donations/${ccfDonation}/allocations`, {
      recipientKind: 'school',
      recipientId: 'no-such-school',
      lines: [{ lineId: 'line-1', quantity: 1 }],
    });
    expect(unknownRecipient.status).toBe(422);
    expect(unknownRecipient.body).toMatchObject({ code: 'recipient_unknown', recipientId: 'no-such-school' });
    const unknownHome = await ccf.post(`/donations/${ccfDonation}/allocations`, {
      recipientKind: 'facility',
      recipientId: 'no-such-home',
      lines: [{ lineId: 'line-1', quantity: 1 }],
    });
    expect(unknownHome.body.code).toBe('recipient_unknown');
    const unknownLine = await ccf.post(`/donations/${ccfDonation}/allocations`, {
      recipientKind: 'school',
      recipientId: school,
      lines: [{ lineId: 'line-9', quantity: 1 }],
    });
    expect(unknownLine.body.code).toBe('line_unknown');

    // A discrepancy must say why.
    const allocated = await ccf.post(`/donations/${ccfDonation}/allocations`, {
      recipientKind: 'school',
      recipientId: school,
      lines: [{ lineId: 'line-1', quantity: 10 }],
    });
    const shipped = await ccf.post(`/donations/${ccfDonation}/shipments`, {
      dispatchedOn: '2026-06-05',
      items: [{ allocationId: allocated.body.allocations[0].allocationId }],
    });
    const shipmentId = shipped.body.shipments[0].shipmentId;
    const noReason = await ccf.post(`/donations/${ccfDonation}/acknowledgements`, {
      acknowledgedOn: '2026-06-06',
      items: [{ shipmentId, quantityReceived: 8 }],
    });
    expect(noReason.status).toBe(422);
    expect(noReason.body).toMatchObject({ code: 'discrepancy_reason_required', discrepancy: -2 });
    const badPhoto = await ccf.post(`/donations/${ccfDonation}/acknowledgements`, {
      acknowledgedOn: '2026-06-06',
      photoRefs: ['photo.jpg'],
      items: [{ shipmentId }],
    });
    expect(badPhoto.status).toBe(400);
    expect(badPhoto.body.errors).toEqual([expect.objectContaining({ path: 'body.photoRefs.0' })]);
    // Dispatched: it can no longer be cancelled.
    const late = await ccf.post(`/donations/${ccfDonation}/cancel`, {
      reason: 'entered_in_error',
      cancelledOn: '2026-06-07',
    });
    expect(late.body.code).toBe('already_dispatched');
  });

  it('when a donation is cancelled, then nothing more can be allocated from it', async () => {
    const created = await ccf.post('/donations', books());
    const cancelled = await ccf.post(`/donations/${created.body.id}/cancel`, {
      reason: 'duplicate',
      cancelledOn: '2026-06-02',
      note: '重复登记',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancellation: { reason: 'duplicate' } });
    const after = await ccf.post(`/donations/${created.body.id}/allocations`, {
      recipientKind: 'school',
      recipientId: school,
      lines: [{ lineId: 'line-1', quantity: 1 }],
    });
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({ code: 'donation_cancelled', reason: 'duplicate' });
    const badReason = await ccf.post(`/donations/${created.body.id}/cancel`, {
      reason: 'changed_my_mind',
      cancelledOn: '2026-06-02',
    });
    expect(badReason.status).toBe(400);
  });
});
