/**
 * The invariant under concurrency, on FerretDB: allocations racing for one donation's balance are
 * serialised through `commit(…expectedSequence…)` and re-checked on a lost race, so together they never
 * exceed what was received; receipt numbers claimed concurrently are distinct and consecutive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cityAdmin, REGIONS, startDonations, type Api, type RunningDonations } from './support/harness.js';

describe('concurrency', () => {
  let donations: RunningDonations;
  let city: Api;
  const schools: string[] = [];

  beforeAll(async () => {
    donations = await startDonations();
    city = await donations.as(cityAdmin);
    const donor = await city.post('/donors', {
      donorId: 'ccf',
      kind: 'organisation',
      organisationType: 'charity_federation',
      displayName: '中华慈善总会',
    });
    expect(donor.status).toBe(201);
    for (let i = 0; i < 10; i++) {
      const school = await city.post('/schools', { name: `测试小学${i}`, regionCode: REGIONS.luochengVillage });
      expect(school.status).toBe(201);
      schools.push(school.body.id);
    }
  });
  afterAll(async () => {
    await donations?.close();
  });

  const books = (quantity: number) => ({
    donorId: 'ccf',
    kind: 'books',
    purpose: 'restricted',
    receivedOn: '2026-06-01',
    lines: [{ type: 'book_batch', title: '儿童读物一批', quantity, valueYuan: '10,000.00' }],
  });

  it('when two allocations together exceed the balance arrive at once, then exactly one succeeds and the other is 409 with the remaining balance', async () => {
    const created = await city.post('/donations', books(1000));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const results = await Promise.all(
      [schools[0], schools[1]].map((school) =>
        city.post(`/donations/${id}/allocations`, {
          recipientKind: 'school',
          recipientId: school,
          lines: [{ lineId: 'line-1', quantity: 600 }],
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const refused = results.find((r) => r.status === 409)!;
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'over_allocation', lineId: 'line-1', remaining: 400, requested: 600 });
    const after = await city.get(`/donations/${id}`);
    expect(after.body.lines[0]).toMatchObject({ allocated: 600, remaining: 400 });
    expect(after.body.status).toBe('partially_allocated');
  });

  it('when ten allocations of 150 race for 1,000 books, then six succeed and 100 remain; the values add up to the fen', async () => {
    const created = await city.post('/donations', books(1000));
    const id = created.body.id as string;
    const results = await Promise.all(
      schools.map((school) =>
        city.post(`/donations/${id}/allocations`, {
          recipientKind: 'school',
          recipientId: school,
          lines: [{ lineId: 'line-1', quantity: 150 }],
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(6);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(4);
    for (const r of refused) expect([100, 250]).toContain(r.body.remaining);
    const after = await city.get(`/donations/${id}`);
    expect(after.body.lines[0]).toMatchObject({ allocated: 900, remaining: 100 });
    expect(after.body.allocations).toHaveLength(6);
    // Finish the line: the batch's value (no unit value) is split without losing a fen.
    const last = await city.post(`/donations/${id}/allocations`, {
      recipientKind: 'school',
      recipientId: schools[9],
      lines: [{ lineId: 'line-1', quantity: 100 }],
    });
    expect(last.status).toBe(201);
    expect(last.body.donation.status).toBe('allocated');
    const values = (last.body.donation.allocations as { valueFen: number }[]).map((a) => a.valueFen);
    expect(values.reduce((a, b) => a + b, 0)).toBe(1_000_000);
    expect(last.body.donation.totals.allocatedValueFen).toBe(1_000_000);
  });

  it('when ten donations are registered at once, then they get ten distinct, consecutive receipt numbers', async () => {
    const before = await city.get('/donations');
    const issued = before.body.items.length as number;
    const results = await Promise.all(Array.from({ length: 10 }, () => city.post('/donations', books(10))));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const numbers = results.map((r) => r.body.receiptNumber as string).sort();
    expect(new Set(numbers).size).toBe(10);
    const expected = Array.from({ length: 10 }, (_, i) => `TX-2026-${String(issued + i + 1).padStart(6, '0')}`);
    expect(numbers).toEqual(expected);
    // And the claims that decided them are there, one per number, never to be reused.
    expect(await donations.models.Claims.countDocuments({})).toBe(issued + 10);
  });
});
