/**
 * A bursary (困境儿童助学金) for one child: children are known only through `registry.child.v1`
 * (published here exactly as the registry would); the county officer of the child's county
 * allocates from the provincial fund, records the transfer and acknowledges it for the child. The
 * child appears in events, the traceability report and its workbook by masked name and village only.
 */
import { newEventId } from '@tongxin/contracts';
import { waitFor } from '@tongxin/testkit';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  charity,
  cityAdmin,
  countyOfficer,
  facilitiesStandIn,
  observeDonations,
  moneyDonation,
  REGIONS,
  registryStandIn,
  startDonations,
  type Api,
  type RunningDonations,
} from './support/harness.js';

// The shared Kafka holds every earlier run's register: this test's groups start at its end (as the
// whole-platform tests do) instead of replaying thousands of children first.
process.env.KAFKA_NEW_GROUPS_FROM = 'latest';

/**
 * Publishes until the projection shows it: an event published in the instant a new group positions
 * itself at the end can be passed over, so it is said again (the same snapshot, a newer sequence).
 */
async function announce(publish: () => Promise<unknown>, seen: () => Promise<boolean>, what: string) {
  await waitFor(
    async () => {
      if (await seen()) return true;
      await publish();
      return false;
    },
    { timeoutMs: 60_000, intervalMs: 2000, message: what },
  );
}

/** An officer of 岳阳县, not 平江县. */
const otherCountyOfficer = {
  sub: 'officer-yyx',
  name: '岳阳县民政局',
  roles: ['county_officer' as const],
  regions: ['430621'],
  department: 'civil_affairs' as const,
};

describe('a bursary for one child', () => {
  let donations: RunningDonations;
  let registry: ReturnType<typeof registryStandIn>;
  let facilities: ReturnType<typeof facilitiesStandIn>;
  let observer: Awaited<ReturnType<typeof observeDonations>>;
  let city: Api;
  let officer: Api;
  let fund: string;
  let pingjiangChild: string;
  let otherCountyChild: string;
  let exitedChild: string;
  let home: string;

  beforeAll(async () => {
    observer = await observeDonations();
    donations = await startDonations();
    registry = registryStandIn();
    facilities = facilitiesStandIn();
    city = await donations.as(cityAdmin);
    officer = await donations.as(countyOfficer);
    await waitFor(() => donations.consumer.ready() && donations.childConsumer.ready(), { timeoutMs: 60_000 });
    const child = async (id: string, status: string) =>
      (await donations.models.Children.findById(id).lean())?.status === status;
    pingjiangChild = newEventId();
    otherCountyChild = newEventId();
    exitedChild = newEventId();
    home = newEventId();
    await announce(
      () => registry.child({ childId: pingjiangChild, name: '王梓涵', regionCode: REGIONS.pingjiangFushou }),
      () => child(pingjiangChild, 'active'),
      'the child of 平江县 in the projection',
    );
    await announce(
      () =>
        registry.child({
          childId: otherCountyChild,
          name: '李思远',
          sex: 'male',
          regionCode: REGIONS.rongjiawanTangchong,
        }),
      () => child(otherCountyChild, 'active'),
      'the child of 岳阳县 in the projection',
    );
    await registry.child({ childId: exitedChild, name: '陈雨欣', regionCode: REGIONS.pingjiangChangfeng });
    await announce(
      () =>
        registry.child(
          { childId: exitedChild, name: '陈雨欣', regionCode: REGIONS.pingjiangChangfeng, status: 'exited' },
          'registry.child.exited',
        ),
      () => child(exitedChild, 'exited'),
      'the exited child in the projection',
    );
    await announce(
      () => facilities.home({ facilityId: home, name: '福寿村留守儿童之家', regionCode: REGIONS.pingjiangFushou }),
      async () => Boolean(await donations.models.Homes.findById(home).lean()),
      'the home in the projection',
    );
    await city.post('/donors', {
      donorId: 'hunan-mz',
      kind: 'organisation',
      organisationType: 'government',
      displayName: '湖南省民政厅',
    });
    const created = await city.post(
      '/donations',
      moneyDonation('hunan-mz', '5,000.00', { restrictedTo: '困境儿童助学金', receivedOn: '2026-06-20' }),
    );
    expect(created.status).toBe(201);
    fund = created.body.id;
  }, 180_000);
  afterAll(async () => {
    delete process.env.KAFKA_NEW_GROUPS_FROM;
    await observer?.runner.stop();
    await registry?.close();
    await facilities?.close();
    await donations?.close();
  });

  it('when the projection is read, then it holds the masked name, village and status only', async () => {
    const view = await donations.models.Children.findById(pingjiangChild).lean();
    expect(view).toEqual({
      _id: pingjiangChild,
      sequence: expect.any(Number),
      maskedName: '王*涵',
      regionCode: REGIONS.pingjiangFushou,
      status: 'active',
    });
  });

  it('when the county officer allocates 1,000.00 yuan to a child of the county, then it is accepted, shown masked, and published as version 2', async () => {
    const res = await officer.post(`/donations/${fund}/allocations`, {
      recipientKind: 'child',
      recipientId: pingjiangChild,
      amountYuan: '1,000.00',
    });
    expect(res.status).toBe(201);
    expect(res.body.allocations).toEqual([
      expect.objectContaining({
        recipientKind: 'child',
        recipientId: pingjiangChild,
        recipientName: '王*涵',
        recipientRegionCode: REGIONS.pingjiangFushou,
        amountFen: 100_000,
        valueFen: 100_000,
      }),
    ]);
    expect(res.body.donation.remainingFen).toBe(400_000);
    const allocated = await waitFor(
      () => observer.about(fund).find((e) => e.envelope.type === 'donations.donation.allocated'),
      { timeoutMs: 30_000 },
    );
    expect(allocated.envelope.version).toBe(2);
    expect((allocated.envelope.data as { allocation: unknown }).allocation).toEqual({
      allocationId: res.body.allocations[0].allocationId,
      recipientKind: 'child',
      recipientId: pingjiangChild,
      recipientName: '王*涵',
      recipientRegionCode: REGIONS.pingjiangFushou,
      amountFen: 100_000,
      valueFen: 100_000,
    });
    expect(allocated.raw).not.toContain('王梓涵');
  });

  it('when the child is unknown, or of another county, then both are the same 404; an exited child is 422', async () => {
    const unknown = await officer.post(`/donations/${fund}/allocations`, {
      recipientKind: 'child',
      recipientId: 'ch-not-registered',
      amountYuan: '100.00',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body.code).toBe('recipient_unknown');
    const elsewhere = await officer.post(`/donations/${fund}/allocations`, {
      recipientKind: 'child',
      recipientId: otherCountyChild,
      amountYuan: '100.00',
    });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.code).toBe('recipient_unknown');
    expect(elsewhere.body.detail).toEqual(unknown.body.detail);
    const exited = await officer.post(`/donations/${fund}/allocations`, {
      recipientKind: 'child',
      recipientId: exitedChild,
      amountYuan: '100.00',
    });
    expect(exited.status).toBe(422);
    expect(exited.body.code).toBe('recipient_not_active');
    // The officer of that other county reaches its own child; the city reaches every child.
    const theirs = await (
      await donations.as(otherCountyOfficer)
    ).post(`/donations/${fund}/allocations`, {
      recipientKind: 'child',
      recipientId: otherCountyChild,
      amountYuan: '500.00',
    });
    expect(theirs.status).toBe(201);
    expect(theirs.body.allocations[0].recipientName).toBe('李*远');
  });

  it('when more than remains is asked for a child, then it is refused with what remains', async () => {
    const res = await officer.post(`/donations/${fund}/allocations`, {
      recipientKind: 'child',
      recipientId: pingjiangChild,
      amountYuan: '3,600.00',
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('over_allocation');
    expect(res.body.remaining).toBe(350_000);
    expect((await officer.get(`/donations/${fund}`)).body.allocations).toHaveLength(2);
  });

  it('when a charity or the county officer address what is not theirs, then they are refused', async () => {
    // A charity never addresses a child, even from its own donation.
    await city.post('/donors', {
      donorId: 'ccf',
      kind: 'organisation',
      organisationType: 'foundation',
      displayName: '中华慈善总会',
    });
    const own = await city.post(
      '/donations',
      moneyDonation('ccf', '800.00', { purpose: 'unrestricted', receivedOn: '2026-06-21' }),
    );
    const byCharity = await (
      await donations.as(charity('ccf'))
    ).post(`/donations/${own.body.id}/allocations`, {
      recipientKind: 'child',
      recipientId: pingjiangChild,
      amountYuan: '100.00',
    });
    expect(byCharity.status).toBe(403);
    expect(byCharity.body.code).toBe('forbidden');
    // The county officer allocates to children only, not to homes.
    const toHome = await officer.post(`/donations/${fund}/allocations`, {
      recipientKind: 'facility',
      recipientId: home,
      amountYuan: '100.00',
    });
    expect(toHome.status).toBe(403);
  });

  it('when the officer transfers the bursary and acknowledges it for the child, then both are version 2 events; another county cannot acknowledge', async () => {
    const donation = (await officer.get(`/donations/${fund}`)).body;
    const allocationId = donation.allocations.find(
      (a: { recipientId: string }) => a.recipientId === pingjiangChild,
    ).allocationId;
    const otherAllocation = donation.allocations.find(
      (a: { recipientId: string }) => a.recipientId === otherCountyChild,
    ).allocationId;
    // Not the other county's child's transfer.
    const notMine = await officer.post(`/donations/${fund}/shipments`, {
      dispatchedOn: '2026-06-25',
      items: [{ allocationId: otherAllocation }],
    });
    expect(notMine.status).toBe(403);
    const shipped = await officer.post(`/donations/${fund}/shipments`, {
      dispatchedOn: '2026-06-25',
      items: [{ allocationId }],
    });
    expect(shipped.status).toBe(201);
    const shipmentId = shipped.body.shipments[0].shipmentId;
    const outsider = await (
      await donations.as(otherCountyOfficer)
    ).post(`/donations/${fund}/acknowledgements`, { acknowledgedOn: '2026-06-28', items: [{ shipmentId }] });
    expect(outsider.status).toBe(404);
    const ack = await officer.post(`/donations/${fund}/acknowledgements`, {
      acknowledgedOn: '2026-06-28',
      note: '监护人已确认到账',
      items: [{ shipmentId }],
    });
    expect(ack.status).toBe(201);
    expect(ack.body.donation.totals.acknowledgedValueFen).toBe(100_000);
    const events = await waitFor(
      () => {
        const all = observer.about(fund);
        return all.some((e) => e.envelope.type === 'donations.donation.acknowledged') && all;
      },
      { timeoutMs: 30_000 },
    );
    const dispatched = events.find((e) => e.envelope.type === 'donations.donation.dispatched')!;
    const acknowledged = events.find((e) => e.envelope.type === 'donations.donation.acknowledged')!;
    expect([dispatched.envelope.version, acknowledged.envelope.version]).toEqual([2, 2]);
    expect(acknowledged.envelope.data).toMatchObject({
      acknowledgement: { recipientKind: 'child', recipientId: pingjiangChild, amountFen: 100_000 },
    });
    for (const e of events) {
      expect(e.raw).not.toContain('王梓涵');
      expect(e.raw).not.toContain('李思远');
      expect(e.raw).not.toContain('监护人');
    }
  });

  it('when a home gets part of the same fund, then its allocation is still published as version 1', async () => {
    const res = await city.post(`/donations/${fund}/allocations`, {
      recipientKind: 'facility',
      recipientId: home,
      amountYuan: '1,000.00',
    });
    expect(res.status).toBe(201);
    const allocationId = res.body.allocations[0].allocationId;
    const event = await waitFor(
      () =>
        observer
          .about(fund)
          .find(
            (e) =>
              e.envelope.type === 'donations.donation.allocated' &&
              (e.envelope.data as { allocation: { allocationId: string } }).allocation.allocationId === allocationId,
          ),
      { timeoutMs: 30_000 },
    );
    expect(event.envelope.version).toBe(1);
  });

  it('when the donor reads the traceability report and its workbook, then the children appear masked with their village', async () => {
    const report = await city.get(`/donations/${fund}/traceability`);
    expect(report.status).toBe(200);
    const child = report.body.recipients.find((r: { recipientId: string }) => r.recipientId === pingjiangChild);
    expect(child).toMatchObject({
      recipientKind: 'child',
      recipientName: '王*涵',
      recipientRegionCode: REGIONS.pingjiangFushou,
      allocatedAmountFen: 100_000,
      acknowledgedAmountFen: 100_000,
      status: 'acknowledged',
    });
    expect(JSON.stringify(report.body)).not.toContain('王梓涵');
    expect(JSON.stringify(report.body)).not.toContain('李思远');

    const res = await city.raw(`/donations/${fund}/traceability.xlsx`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const rows: string[][] = [];
    wb.getWorksheet('受赠单位')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String)));
    expect(rows).toContainEqual(expect.arrayContaining(['王*涵', '受助儿童', REGIONS.pingjiangFushou]));
    expect(rows).toContainEqual(expect.arrayContaining(['李*远', '受助儿童', REGIONS.rongjiawanTangchong]));
    const cells: string[] = [];
    wb.eachSheet((sheet) => sheet.eachRow((row) => cells.push(JSON.stringify(row.values))));
    expect(cells.join('\n')).not.toContain('王梓涵');
    expect(cells.join('\n')).not.toContain('李思远');
  });
});
