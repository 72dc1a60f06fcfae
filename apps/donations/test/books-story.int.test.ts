/**
 * The document's story: the China Charity Federation (中华慈善总会) and the Zhide Charity Foundation
 * (致德慈善基金会) give about 50,000 books worth 1.1 million yuan — two donations (one per donor, so
 * each charity manages its own), together exactly 110,000,000 fen — to five schools; the books are
 * allocated, dispatched, acknowledged with exactly one discrepancy; the traceability report shows five
 * recipients and totals equal to the sum of the lines; a sixth school beyond the balance is refused.
 */
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  charity,
  cityAdmin,
  countyOfficer,
  isbn,
  REGIONS,
  startDonations,
  type Api,
  type RunningDonations,
} from './support/harness.js';

const photo = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

const SCHOOLS = [
  { name: '洛王小学', regionCode: REGIONS.luowangKangle },
  { name: '思源实验学校', regionCode: REGIONS.rongjiawanTangchong },
  { name: '彭昌小学', regionCode: REGIONS.baixiangPengjia },
  { name: '罗城学校', regionCode: REGIONS.luochengVillage },
  { name: '三荷中心学校', regionCode: REGIONS.sanheTownship },
];

describe('50,000 books for five schools', () => {
  let donations: RunningDonations;
  let city: Api;
  let ccf: Api;
  let zhide: Api;
  const schoolIds: string[] = [];
  let sixth: string;
  let ccfDonation: string;
  let zhideDonation: string;

  beforeAll(async () => {
    donations = await startDonations('2026-07-01T02:00:00.000Z');
    city = await donations.as(cityAdmin);
    for (const [donorId, displayName, organisationType] of [
      ['ccf', '中华慈善总会', 'charity_federation'],
      ['zhide', '致德慈善基金会', 'foundation'],
    ]) {
      expect(
        (await city.post('/donors', { donorId, kind: 'organisation', organisationType, displayName })).status,
      ).toBe(201);
    }
    ccf = await donations.as(charity('ccf'));
    zhide = await donations.as(charity('zhide'));
    for (const school of SCHOOLS) {
      const registered = await city.post('/schools', { ...school, contactName: '王校长' });
      expect(registered.status).toBe(201);
      schoolIds.push(registered.body.id);
    }
    sixth = (await city.post('/schools', { name: '三墩中学', regionCode: REGIONS.sanheSanhe })).body.id;
    // A school region must be a known township or village.
    expect((await city.post('/schools', { name: '某校', regionCode: '430626' })).status).toBe(400);
    expect((await city.post('/schools', { name: '某校', regionCode: '430626999999' })).status).toBe(400);
  });
  afterAll(async () => {
    await donations?.close();
  });

  it('when both charities register their books, then each gets a receipt and the two total 50,000 books and exactly 1,100,000.00 yuan', async () => {
    const a = await ccf.post('/donations', {
      donorId: 'ccf',
      kind: 'books',
      purpose: 'restricted',
      restrictedTo: '乡村学校爱心图书室',
      receivedOn: '2026-06-15',
      lines: [
        {
          type: 'book',
          title: '小王子',
          isbn: isbn('978702004287'),
          category: '儿童文学',
          ageBand: '7-12',
          quantity: 8000,
          unitValueYuan: '25.00',
        },
        // Hyphenated as printed on the book: normalised to 13 digits.
        {
          type: 'book',
          title: '草房子',
          isbn: `978-7-5346-${isbn('978753464567').slice(8, 12)}-${isbn('978753464567').slice(12)}`,
          category: '儿童文学',
          ageBand: '9-14',
          quantity: 6000,
          unitValueYuan: '30',
        },
        {
          type: 'book_batch',
          title: '儿童文学图书一批',
          category: '儿童文学',
          quantity: 11000,
          valueYuan: '220,000.00',
        },
      ],
    });
    expect(a.status).toBe(201);
    expect(a.body.lines[1].isbn).toBe(isbn('978753464567'));
    const b = await zhide.post('/donations', {
      donorId: 'zhide',
      kind: 'books',
      purpose: 'restricted',
      receivedOn: '2026-06-20',
      lines: [
        {
          type: 'book',
          title: '十万个为什么',
          isbn: isbn('978756021234'),
          category: '科普',
          quantity: 5000,
          unitValueYuan: '40.00',
        },
        {
          type: 'book',
          title: '西游记（少儿版）',
          isbn: isbn('978751480123'),
          category: '经典',
          quantity: 7000,
          unitValueYuan: '20.00',
        },
        {
          type: 'book_batch',
          title: '科普绘本一批',
          category: '科普',
          ageBand: '3-8',
          quantity: 13000,
          valueYuan: '160,000.00',
        },
      ],
    });
    expect(b.status).toBe(201);
    ccfDonation = a.body.id;
    zhideDonation = b.body.id;
    expect(a.body.receiptNumber).toBe('TX-2026-000001');
    expect(b.body.receiptNumber).toBe('TX-2026-000002');
    expect(a.body.totals.receivedValueFen + b.body.totals.receivedValueFen).toBe(110_000_000);
    expect(a.body.totals.receivedQuantity + b.body.totals.receivedQuantity).toBe(50_000);
    expect(a.body.totalsYuan.received).toBe('600,000.00');
    expect(a.body.status).toBe('received');
  });

  it('when the books are allocated to the five schools, then a sixth school beyond the balance is refused with what remains', async () => {
    const ccfSplit = [
      [1600, 1200, 2200],
      [1600, 1200, 2200],
      [1600, 1200, 2200],
      [1600, 1200, 2200],
      [1600, 1200, 2100], // 100 batch books are kept back
    ];
    for (const [i, [l1, l2, l3]] of ccfSplit.entries()) {
      const allocated = await ccf.post(`/donations/${ccfDonation}/allocations`, {
        recipientKind: 'school',
        recipientId: schoolIds[i],
        lines: [
          { lineId: 'line-1', quantity: l1 },
          { lineId: 'line-2', quantity: l2 },
          { lineId: 'line-3', quantity: l3 },
        ],
      });
      expect(allocated.status).toBe(201);
      expect(allocated.body.allocations).toHaveLength(3);
    }
    for (const id of schoolIds) {
      const allocated = await zhide.post(`/donations/${zhideDonation}/allocations`, {
        recipientKind: 'school',
        recipientId: id,
        lines: [
          { lineId: 'line-1', quantity: 1000 },
          { lineId: 'line-2', quantity: 1400 },
          { lineId: 'line-3', quantity: 2600 },
        ],
      });
      expect(allocated.status).toBe(201);
    }
    const over = await ccf.post(`/donations/${ccfDonation}/allocations`, {
      recipientKind: 'school',
      recipientId: sixth,
      lines: [{ lineId: 'line-3', quantity: 500 }],
    });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ code: 'over_allocation', lineId: 'line-3', requested: 500, remaining: 100 });
    expect(over.body.remainingByLine).toEqual([
      { lineId: 'line-1', remaining: 0 },
      { lineId: 'line-2', remaining: 0 },
      { lineId: 'line-3', remaining: 100 },
    ]);
    const fullyGiven = await ccf.post(`/donations/${ccfDonation}/allocations`, {
      recipientKind: 'school',
      recipientId: sixth,
      lines: [{ lineId: 'line-1', quantity: 1 }],
    });
    expect(fullyGiven.body).toMatchObject({ code: 'over_allocation', remaining: 0 });
    expect((await ccf.get(`/donations/${ccfDonation}`)).body.status).toBe('partially_allocated');
    const zhideNow = await zhide.get(`/donations/${zhideDonation}`);
    expect(zhideNow.body.status).toBe('allocated');
    // The batch line has no unit value: its five shares still add up to its value to the fen.
    expect(zhideNow.body.totals.allocatedValueFen).toBe(50_000_000);
  });

  it('when the books are dispatched and acknowledged, one school short of ten damaged books, then the report shows five recipients, one discrepancy and totals equal to the lines', async () => {
    for (const [api, id] of [
      [ccf, ccfDonation],
      [zhide, zhideDonation],
    ] as const) {
      const doc = (await api.get(`/donations/${id}`)).body;
      // More than allocated is refused.
      const tooMany = await api.post(`/donations/${id}/shipments`, {
        dispatchedOn: '2026-07-01',
        items: [{ allocationId: doc.allocations[0].allocationId, quantity: doc.allocations[0].quantity + 1 }],
      });
      expect(tooMany.status).toBe(409);
      expect(tooMany.body).toMatchObject({ code: 'over_dispatch', remaining: doc.allocations[0].quantity });
      const shipped = await api.post(`/donations/${id}/shipments`, {
        dispatchedOn: '2026-07-02',
        carrier: '中国邮政',
        items: doc.allocations.map((a: { allocationId: string }) => ({ allocationId: a.allocationId })),
      });
      expect(shipped.status).toBe(201);
      expect(shipped.body.shipments).toHaveLength(15);
      const luowang = doc.allocations.find(
        (a: { recipientId: string; lineId: string }) => a.recipientId === schoolIds[0] && a.lineId === 'line-1',
      );
      const items = shipped.body.shipments.map((s: { shipmentId: string; allocationId: string }) =>
        id === ccfDonation && s.allocationId === luowang.allocationId
          ? { shipmentId: s.shipmentId, quantityReceived: 1590, discrepancyReason: 'damaged' }
          : { shipmentId: s.shipmentId },
      );
      const acked = await api.post(`/donations/${id}/acknowledgements`, {
        acknowledgedOn: '2026-07-08',
        note: '已清点入库',
        photoRefs: [photo(`${id}-signed.jpg`)],
        items,
      });
      expect(acked.status).toBe(201);
      const again = await api.post(`/donations/${id}/acknowledgements`, {
        acknowledgedOn: '2026-07-09',
        items: [items[0]],
      });
      expect(again.body.code).toBe('already_acknowledged');
    }
    const plaque = await ccf.post('/plaques', {
      recipientKind: 'school',
      recipientId: schoolIds[0],
      name: '中慈爱心图书室',
      donorId: 'ccf',
      donationId: ccfDonation,
      installedOn: '2026-07-10',
    });
    expect(plaque.status).toBe(201);

    const reports = [
      (await ccf.get(`/donations/${ccfDonation}/traceability`)).body,
      (await zhide.get(`/donations/${zhideDonation}/traceability`)).body,
    ];
    let discrepancies = 0;
    let received = 0;
    for (const report of reports) {
      expect(report.recipients).toHaveLength(5);
      expect(report.recipients.map((r: { recipientName: string }) => r.recipientName).sort()).toEqual(
        SCHOOLS.map((s) => s.name).sort(),
      );
      const lineValue = report.lines.reduce((n: number, l: { valueFen: number }) => n + l.valueFen, 0);
      const lineQuantity = report.lines.reduce((n: number, l: { quantity: number }) => n + l.quantity, 0);
      expect(report.totals.receivedValueFen).toBe(lineValue);
      expect(report.totals.receivedQuantity).toBe(lineQuantity);
      const sum = (key: string) => report.recipients.reduce((n: number, r: Record<string, number>) => n + r[key]!, 0);
      expect(sum('allocatedQuantity')).toBe(report.totals.allocatedQuantity);
      expect(sum('allocatedValueFen')).toBe(report.totals.allocatedValueFen);
      expect(sum('dispatchedQuantity')).toBe(report.totals.dispatchedQuantity);
      expect(sum('acknowledgedQuantity')).toBe(report.totals.acknowledgedQuantity);
      expect(report.totals.dispatchedQuantity).toBe(report.totals.allocatedQuantity);
      for (const r of report.recipients) expect(r.status).toBe('acknowledged');
      discrepancies += report.recipients.reduce(
        (n: number, r: { discrepancies: unknown[] }) => n + r.discrepancies.length,
        0,
      );
      received += report.totals.receivedValueFen;
    }
    expect(received).toBe(110_000_000);
    expect(discrepancies).toBe(1);
    const [ccfReport] = reports;
    expect(ccfReport.totals).toMatchObject({
      receivedQuantity: 25_000,
      allocatedQuantity: 24_900,
      dispatchedQuantity: 24_900,
      acknowledgedQuantity: 24_890,
    });
    const luowang = ccfReport.recipients.find((r: { recipientId: string }) => r.recipientId === schoolIds[0]);
    expect(luowang.discrepancies).toEqual([
      expect.objectContaining({ lineId: 'line-1', discrepancy: -10, reason: 'damaged' }),
    ]);
    expect(luowang.plaques).toEqual([{ name: '中慈爱心图书室', installedOn: '2026-07-10' }]);
  });

  it('when the traceability report is downloaded, then the workbook lists the five schools and the totals', async () => {
    const res = await (await donations.as(cityAdmin)).raw(`/donations/${ccfDonation}/traceability.xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sheet = wb.getWorksheet('受赠单位')!;
    const names: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) names.push(String(row.getCell(1).value));
    });
    expect(names).toEqual([...SCHOOLS.map((s) => s.name).sort((a, b) => names.indexOf(a) - names.indexOf(b)), '合计']);
    expect(names.slice(0, 5).sort()).toEqual(SCHOOLS.map((s) => s.name).sort());
    const total = sheet.getRow(7);
    expect(total.getCell(5).value).toBe(24_900);
    expect(total.getCell(9).value).toBe(24_890);
    expect(String(wb.getWorksheet('捐赠概况')!.getRow(2).getCell(2).value)).toBe('TX-2026-000001');
  });

  it('when the donor and a school look at their reports, then the donor sees its year and delivery rate, the school what it got from whom', async () => {
    const donor = await ccf.get('/donors/ccf/report');
    expect(donor.status).toBe(200);
    expect(donor.body.byYear).toEqual([
      expect.objectContaining({
        year: '2026',
        donations: 1,
        receivedValueFen: 60_000_000,
        receivedQuantity: 25_000,
        acknowledgedQuantity: 24_890,
      }),
    ]);
    expect(donor.body.recipients).toHaveLength(5);
    expect(donor.body.delivery.quantityRate).toBeCloseTo(24_890 / 24_900, 4);
    const school = await (await donations.as(countyOfficer)).get(`/recipients/school/${schoolIds[0]}/report`);
    expect(school.status).toBe(200);
    expect(school.body.donations.map((d: { donorDisplayName: string }) => d.donorDisplayName).sort()).toEqual(
      ['中华慈善总会', '致德慈善基金会'].sort(),
    );
    expect(school.body.totals.allocatedQuantity).toBe(1600 + 1200 + 2200 + 1000 + 1400 + 2600);
    expect(school.body.plaques).toEqual([expect.objectContaining({ name: '中慈爱心图书室' })]);
    // A charity sees only what it gave.
    const asZhide = await zhide.get(`/recipients/school/${schoolIds[0]}/report`);
    expect(asZhide.body.donations.map((d: { donorId: string }) => d.donorId)).toEqual(['zhide']);
  });
});
