/**
 * A small city published as the other services would (registry, facilities, donations,
 * volunteers), read back through the reporting API: region counts, the annual report, the care
 * timeline and its scope, then replays and a rebuild into empty read models.
 */
import { CASE_TOPIC, CHILD_TOPIC, REPORT_TOPIC, type ChildSnapshot } from '@tongxin/contracts/registry';
import { ACTIVITY_TOPIC, ENROLMENT_TOPIC, FACILITY_TOPIC } from '@tongxin/contracts/facilities';
import { DONATION_TOPIC } from '@tongxin/contracts/donations';
import { VOLUNTEER_EVENT_TOPIC } from '@tongxin/contracts/volunteers';
import { waitFor } from '@tongxin/testkit';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { rebuild } from '../src/rebuild.js';
import {
  auditor,
  cityAdmin,
  countyOfficer,
  eventsStandIn,
  startReporting,
  uniquePrefix,
  type RunningReporting,
} from './support/harness.js';

const PINGJIANG = '430626';
const YUEYANG_COUNTY = '430621';
const PJ_A = '430626101201'; // 福寿村, 安定镇
const PJ_B = '430626101202';
const YY_C = '430621201201'; // 范家村, 长湖乡
const YY_TOWNSHIP = '430621201';

describe('reporting read models', () => {
  const prefix = uniquePrefix();
  const id = (name: string) => `${prefix}-${name}`;
  let reporting: RunningReporting;
  let bus: ReturnType<typeof eventsStandIn>;
  /** The children as the test last published them: the truth the counts are checked against. */
  const children = new Map<string, ChildSnapshot>();
  const cases: { caseType: string; regionCode: string; openedAt: string; resolvedAt?: string; outcome?: string }[] = [];

  async function child(type: string, snapshot: ChildSnapshot, extra: Record<string, unknown>, time: string) {
    children.set(snapshot.childId, snapshot);
    await bus.publish(CHILD_TOPIC, snapshot.childId, `registry.child.${type}`, { ...snapshot, ...extra }, time);
  }

  const base = (name: string, regionCode: string, over: Partial<ChildSnapshot> = {}): ChildSnapshot => ({
    childId: id(name),
    name: `儿童${name}`,
    sex: 'female',
    birthDate: '2010-05-01',
    regionCode,
    categories: ['left_behind'],
    difficultyTypes: [],
    supervision: 'supervised',
    schooling: { status: 'enrolled' },
    status: 'active',
    ...over,
  });

  /** A case's life: opened, then resolved and closed when an outcome is given. */
  async function caseOf(
    name: string,
    childId: string,
    caseType: string,
    regionCode: string,
    openedAt: string,
    resolved?: { at: string; outcome: string },
  ) {
    const snapshot = {
      caseId: id(name),
      childId,
      caseType,
      regionCode,
      ownerDepartment: 'civil_affairs',
      status: 'opened',
      openedAt,
      dueAt: '2019-06-30T00:00:00+08:00',
    };
    await bus.publish(CASE_TOPIC, snapshot.caseId, 'registry.case.opened', snapshot);
    cases.push({
      caseType,
      regionCode,
      openedAt,
      ...(resolved ? { resolvedAt: resolved.at, outcome: resolved.outcome } : {}),
    });
    if (!resolved) return;
    const done = { ...snapshot, resolvedAt: resolved.at, outcome: resolved.outcome };
    await bus.publish(CASE_TOPIC, snapshot.caseId, 'registry.case.resolved', { ...done, status: 'resolved' });
    await bus.publish(CASE_TOPIC, snapshot.caseId, 'registry.case.closed', {
      ...done,
      status: 'closed',
      closedAt: resolved.at,
    });
  }

  const facility = {
    facilityId: id('home'),
    code: 'PJ-001',
    name: '福寿村留守儿童之家',
    kind: 'school_based',
    regionCode: PJ_A,
    hostSchool: '福寿小学',
    status: 'open',
    openedOn: '2017-09-01',
    capacity: 60,
  };

  beforeAll(async () => {
    reporting = await startReporting(prefix);
    bus = eventsStandIn();

    // Registry: five children in two counties.
    const c1 = base('c1', PJ_A, { supervision: 'unsupervised' });
    await child('registered', c1, {}, '2018-01-10T09:00:00+08:00');
    const c1b = {
      ...c1,
      categories: ['left_behind', 'in_difficulty'] as const,
      difficultyTypes: ['economic_hardship'] as const,
    };
    await child(
      'categorised',
      { ...c1b, categories: [...c1b.categories], difficultyTypes: [...c1b.difficultyTypes] },
      {
        previousCategories: ['left_behind'],
        previousDifficultyTypes: [],
        rulesVersion: '2018.1',
        effectiveOn: '2018-01-11',
        explanation: [{ rule: 'in_difficulty.economic_hardship', met: true }],
      },
      '2018-01-11T09:00:00+08:00',
    );
    await child(
      'guardian_assigned',
      { ...children.get(c1.childId)!, supervision: 'supervised' },
      { guardian: { kind: 'grandparent', relation: 'paternal_grandmother' }, assignedOn: '2018-03-05' },
      '2018-03-05T09:00:00+08:00',
    );
    const c2 = base('c2', PJ_A, { schooling: { status: 'dropped_out' } });
    await child('registered', c2, {}, '2018-01-12T09:00:00+08:00');
    await child(
      'updated',
      { ...c2, regionCode: PJ_B, schooling: { status: 'returned' } },
      { changedFields: ['regionCode', 'schooling'] },
      '2018-04-20T09:00:00+08:00',
    );
    const c3 = base('c3', YY_C, { categories: ['in_difficulty'], difficultyTypes: ['orphan'] });
    await child('registered', c3, {}, '2018-02-01T09:00:00+08:00');
    await child(
      'exited',
      { ...c3, status: 'exited' },
      { reason: 'moved_away', exitedOn: '2018-09-01' },
      '2018-09-01T09:00:00+08:00',
    );
    const c4 = base('c4', YY_C, { supervision: 'unsupervised' });
    await child('registered', c4, {}, '2018-02-02T09:00:00+08:00');
    const c5 = base('c5', PJ_B, {
      categories: ['left_behind', 'in_difficulty'],
      difficultyTypes: ['disability_or_illness'],
    });
    await child('registered', c5, {}, '2018-02-03T09:00:00+08:00');

    // Cases of several types, one left open; one handled at the township.
    await caseOf('k1', c1.childId, 'guardian_assignment', PJ_A, '2018-02-20T10:00:00+08:00', {
      at: '2018-03-05T10:00:00+08:00',
      outcome: 'guardian_assigned',
    });
    await caseOf('k2', c2.childId, 'return_to_school', PJ_A, '2018-03-01T10:00:00+08:00', {
      at: '2018-04-20T10:00:00+08:00',
      outcome: 'returned_to_school',
    });
    await caseOf('k3', c3.childId, 'hukou_registration', YY_TOWNSHIP, '2018-05-02T10:00:00+08:00', {
      at: '2018-06-10T10:00:00+08:00',
      outcome: 'hukou_registered',
    });
    await caseOf('k4', c4.childId, 'rights_protection', YY_C, '2018-06-01T10:00:00+08:00', {
      at: '2018-07-01T10:00:00+08:00',
      outcome: 'rights_protected',
    });
    await caseOf('k5', c5.childId, 'parent_education', PJ_B, '2018-07-01T10:00:00+08:00', {
      at: '2018-07-15T10:00:00+08:00',
      outcome: 'parents_educated',
    });
    await caseOf('k6', c4.childId, 'guardian_assignment', YY_C, '2018-08-01T10:00:00+08:00');

    // Mandatory reports: one acknowledged on time (and linked to c1), one late.
    const r1 = {
      reportId: id('r1'),
      regionCode: PJ_A,
      reporterKind: 'school',
      status: 'received',
      receivedAt: '2018-02-19T08:00:00+08:00',
      dueAt: '2018-02-20T08:00:00+08:00',
    };
    await bus.publish(REPORT_TOPIC, r1.reportId, 'registry.report.received', r1);
    const r1a = { ...r1, status: 'acknowledged', acknowledgedAt: '2018-02-19T12:00:00+08:00' };
    await bus.publish(REPORT_TOPIC, r1.reportId, 'registry.report.acknowledged', r1a);
    await bus.publish(REPORT_TOPIC, r1.reportId, 'registry.report.linked', {
      ...r1a,
      status: 'linked',
      childId: c1.childId,
      linkedAt: '2018-02-20T09:00:00+08:00',
    });
    const r2 = {
      reportId: id('r2'),
      regionCode: YY_TOWNSHIP,
      reporterKind: 'village_committee',
      status: 'received',
      receivedAt: '2018-05-01T08:00:00+08:00',
      dueAt: '2018-05-02T08:00:00+08:00',
    };
    await bus.publish(REPORT_TOPIC, r2.reportId, 'registry.report.received', r2);
    await bus.publish(REPORT_TOPIC, r2.reportId, 'registry.report.acknowledged', {
      ...r2,
      status: 'acknowledged',
      acknowledgedAt: '2018-05-04T08:00:00+08:00',
    });

    // Facilities: a home, two enrolments, two activities, an evaluation.
    await bus.publish(FACILITY_TOPIC, facility.facilityId, 'facilities.facility.opened', facility);
    await bus.publish(FACILITY_TOPIC, facility.facilityId, 'facilities.facility.evaluated', {
      ...facility,
      evaluation: {
        evaluationId: id('ev1'),
        period: '2018',
        totalScore: 86,
        grade: 'good',
        evaluatedAt: '2018-12-10T10:00:00+08:00',
      },
    });
    for (const [n, childId] of [
      ['e1', c1.childId],
      ['e5', c5.childId],
    ] as const) {
      await bus.publish(ENROLMENT_TOPIC, id(n), 'facilities.enrolment.child_enrolled', {
        enrolmentId: id(n),
        facilityId: facility.facilityId,
        childId,
        status: 'enrolled',
        enrolledOn: '2018-03-10',
      });
    }
    const activity = (n: string, kind: string, title: string, startsAt: string, attendees: string[]) => ({
      activityId: id(n),
      facilityId: facility.facilityId,
      kind,
      title,
      startsAt,
      endsAt: startsAt.replace('T09', 'T11'),
      attendeeChildIds: attendees,
      volunteerIds: [],
      attendeeCount: attendees.length,
      status: 'logged',
    });
    await bus.publish(
      ACTIVITY_TOPIC,
      id('a1'),
      'facilities.activity.logged',
      activity('a1', 'talent_class', '暑期书法班', '2018-07-15T09:00:00+08:00', [c1.childId, c5.childId]),
    );
    await bus.publish(
      ACTIVITY_TOPIC,
      id('a2'),
      'facilities.activity.logged',
      activity('a2', 'counselling_session', '心理辅导：家庭矛盾', '2018-08-20T09:00:00+08:00', [c1.childId]),
    );

    // Donations: books allocated to two schools (one acknowledged), provincial money to the home.
    const books = {
      donationId: id('d1'),
      donorId: id('donor1'),
      donorKind: 'organisation',
      donorDisplayName: '中华慈善总会',
      kind: 'books',
      status: 'received',
      receivedOn: '2018-04-20',
      totals: {
        receivedValueFen: 2_000_000,
        receivedQuantity: 1000,
        allocatedValueFen: 0,
        allocatedQuantity: 0,
        dispatchedQuantity: 0,
        acknowledgedQuantity: 0,
        acknowledgedValueFen: 0,
      },
    };
    await bus.publish(DONATION_TOPIC, books.donationId, 'donations.donation.received', {
      ...books,
      purpose: 'restricted',
      lines: [{ lineId: 'l1', title: '儿童文学图书一批', quantity: 1000, unitValueFen: 2000, valueFen: 2_000_000 }],
    });
    const allocations = [
      { allocationId: id('al1'), recipientId: id('school1'), name: '福寿小学', region: PJ_A, quantity: 600 },
      { allocationId: id('al2'), recipientId: id('school2'), name: '范家小学', region: YY_C, quantity: 400 },
    ];
    let allocated = 0;
    for (const a of allocations) {
      allocated += a.quantity;
      await bus.publish(DONATION_TOPIC, books.donationId, 'donations.donation.allocated', {
        ...books,
        status: allocated === 1000 ? 'allocated' : 'partially_allocated',
        totals: { ...books.totals, allocatedQuantity: allocated, allocatedValueFen: allocated * 2000 },
        allocation: {
          allocationId: a.allocationId,
          recipientKind: 'school',
          recipientId: a.recipientId,
          recipientName: a.name,
          recipientRegionCode: a.region,
          lineId: 'l1',
          quantity: a.quantity,
          valueFen: a.quantity * 2000,
        },
      });
    }
    const allocatedTotals = { ...books.totals, allocatedQuantity: 1000, allocatedValueFen: 2_000_000 };
    await bus.publish(DONATION_TOPIC, books.donationId, 'donations.donation.dispatched', {
      ...books,
      status: 'allocated',
      totals: { ...allocatedTotals, dispatchedQuantity: 600 },
      shipment: {
        shipmentId: id('sh1'),
        allocationId: id('al1'),
        recipientKind: 'school',
        recipientId: id('school1'),
        dispatchedOn: '2018-04-25',
        lines: [{ lineId: 'l1', quantity: 600 }],
      },
    });
    await bus.publish(DONATION_TOPIC, books.donationId, 'donations.donation.acknowledged', {
      ...books,
      status: 'allocated',
      totals: { ...allocatedTotals, dispatchedQuantity: 600, acknowledgedQuantity: 598 },
      acknowledgement: {
        acknowledgementId: id('ack1'),
        allocationId: id('al1'),
        shipmentId: id('sh1'),
        recipientKind: 'school',
        recipientId: id('school1'),
        acknowledgedOn: '2018-04-28',
        lines: [
          {
            lineId: 'l1',
            quantityDispatched: 600,
            quantityReceived: 598,
            discrepancy: -2,
            discrepancyReason: 'damaged',
          },
        ],
      },
    });
    const money = {
      donationId: id('d2'),
      donorId: id('donor2'),
      donorKind: 'organisation',
      donorDisplayName: '湖南省民政厅',
      kind: 'money',
      status: 'received',
      receivedOn: '2018-03-01',
      totals: { ...books.totals, receivedValueFen: 450_000_000, receivedQuantity: 0 },
    };
    await bus.publish(DONATION_TOPIC, money.donationId, 'donations.donation.received', {
      ...money,
      amountFen: 450_000_000,
      purpose: 'restricted',
      lines: [],
    });

    // Volunteers: a summer camp with two children, two volunteers and confirmed hours.
    const camp = {
      eventId: id('v1'),
      organisationId: id('org1'),
      kind: 'summer_camp',
      title: '童行中国·夏梦有我',
      startsOn: '2018-08-06',
      endsOn: '2018-08-06',
      regionCode: PINGJIANG,
      status: 'scheduled',
      childIds: [c1.childId, c5.childId],
      volunteerIds: [id('vol1'), id('vol2')],
      attendedChildIds: [] as string[],
      attendedVolunteerIds: [] as string[],
      hours: [] as { volunteerId: string; minutes: number }[],
    };
    await bus.publish(VOLUNTEER_EVENT_TOPIC, camp.eventId, 'volunteers.event.created', {
      ...camp,
      childIds: [],
      volunteerIds: [],
    });
    await bus.publish(VOLUNTEER_EVENT_TOPIC, camp.eventId, 'volunteers.event.participant_registered', {
      ...camp,
      participant: { kind: 'child', id: c5.childId },
    });
    const attended = { ...camp, attendedChildIds: camp.childIds, attendedVolunteerIds: camp.volunteerIds };
    await bus.publish(VOLUNTEER_EVENT_TOPIC, camp.eventId, 'volunteers.event.attendance_recorded', {
      ...attended,
      attendance: { on: '2018-08-06', childIds: camp.childIds, volunteerIds: camp.volunteerIds },
    });
    const hours = camp.volunteerIds.map((volunteerId) => ({ volunteerId, minutes: 480 }));
    await bus.publish(VOLUNTEER_EVENT_TOPIC, camp.eventId, 'volunteers.event.closed', {
      ...attended,
      hours,
      status: 'closed',
      closedOn: '2018-08-07',
      outcome: 'completed',
    });

    await waitFor(async () => (await reporting.consumer.lag()) === 0 && reporting.consumer.stats.processed > 0, {
      timeoutMs: 120_000,
      message: 'the read models to catch up',
    });
    // Region ancestors trail their buckets until the next flush (about a second): bring them up now.
    await reporting.consumer.flush();
  }, 180_000);

  afterAll(async () => {
    await bus?.close();
    await reporting?.close();
  });

  /** The counts the test expects for a region, computed from what it published. */
  function expected(region: string) {
    const active = [...children.values()].filter((c) => c.status === 'active' && c.regionCode.startsWith(region));
    const mine = cases.filter((k) => k.regionCode.startsWith(region));
    const count = (xs: unknown[]) => xs.length;
    return {
      'children:active': count(active),
      'children:left_behind': count(active.filter((c) => c.categories.includes('left_behind'))),
      'children:in_difficulty': count(active.filter((c) => c.categories.includes('in_difficulty'))),
      'children:difficulty:economic_hardship': count(
        active.filter((c) => c.difficultyTypes.includes('economic_hardship')),
      ),
      'children:unsupervised': count(active.filter((c) => c.supervision === 'unsupervised')),
      'children:schooling:dropped_out': count(active.filter((c) => c.schooling.status === 'dropped_out')),
      'children:schooling:returned': count(active.filter((c) => c.schooling.status === 'returned')),
      'cases:opened:guardian_assignment': count(mine.filter((k) => k.caseType === 'guardian_assignment')),
      'cases:succeeded:guardian_assignment': count(mine.filter((k) => k.outcome === 'guardian_assigned')),
      'cases:succeeded:return_to_school': count(mine.filter((k) => k.outcome === 'returned_to_school')),
      'cases:succeeded:hukou_registration': count(mine.filter((k) => k.outcome === 'hukou_registered')),
      'cases:resolved:rights_protection': count(mine.filter((k) => k.caseType === 'rights_protection' && k.resolvedAt)),
      'cases:succeeded:parent_education': count(mine.filter((k) => k.outcome === 'parents_educated')),
    };
  }
  const pick = (counts: Record<string, number>, keys: string[]) =>
    Object.fromEntries(keys.map((k) => [k, counts[k] ?? 0]));

  it('counts every region level from what was published (moves, exits and categories followed)', async () => {
    const api = await reporting.as(cityAdmin);
    for (const region of ['4306', PINGJIANG, YUEYANG_COUNTY, '430626101', PJ_A, PJ_B, YY_C]) {
      const res = await api.get(`/stats/regions/${region}?months=12&to=2018-12`);
      expect(res.status, region).toBe(200);
      const want = expected(region);
      expect(pick(res.body.counts, Object.keys(want)), region).toEqual(want);
    }
    const city = (await api.get('/stats/regions/4306?months=12&to=2018-12')).body;
    expect(city.counts['reports:received']).toBe(2);
    expect(city.counts['reports:on_time']).toBe(1);
    expect(city.counts['reports:late']).toBe(1);
    expect(city.counts['homes:open']).toBe(1);
    expect(city.counts['cases:open:guardian_assignment']).toBe(1);
    expect(city.months).toHaveLength(12);
    const march = city.months.find((m: { month: string }) => m.month === '2018-03');
    expect(march.counts['cases:succeeded:guardian_assignment']).toBe(1);

    // Scope: a county officer sees his county, not the other one nor the city.
    const pj = await reporting.as(countyOfficer(PINGJIANG));
    expect((await pj.get(`/stats/regions/${PINGJIANG}`)).status).toBe(200);
    expect((await pj.get(`/stats/regions/${YUEYANG_COUNTY}`)).status).toBe(404);
    expect((await pj.get('/stats/regions/4306')).status).toBe(404);
  });

  it('regenerates the annual report with every figure computed, in JSON, HTML and .xlsx', async () => {
    const api = await reporting.as(auditor);
    const res = await api.get('/reports/annual?region=4306&year=2018');
    expect(res.status).toBe(200);
    const want = expected('4306');
    const f = res.body.figures;
    expect(f).toMatchObject({
      leftBehind: want['children:left_behind'],
      inDifficulty: want['children:in_difficulty'],
      unsupervisedGivenGuardian: {
        cases: want['cases:opened:guardian_assignment'],
        succeeded: want['cases:succeeded:guardian_assignment'],
      },
      dropoutsReturned: { cases: 1, succeeded: want['cases:succeeded:return_to_school'] },
      hukouRegistered: { cases: 1, succeeded: want['cases:succeeded:hukou_registration'] },
      rightsIncidentsHandled: want['cases:resolved:rights_protection'],
      negligentParentsEducated: want['cases:succeeded:parent_education'],
      mandatoryReports: { received: 2, acknowledged: 2, onTime: 1, late: 1 },
      homes: 1,
      funds: { fen: 450_000_000, basis: 'received' },
      books: { quantity: 1000, valueFen: 2_000_000, recipients: 2, donors: 1 },
      summerCamp: { events: 1, participants: 2 },
    });
    expect(res.body.paragraph.zh).toContain(
      `共有农村留守儿童${want['children:left_behind']}人，困境儿童${want['children:in_difficulty']}人`,
    );
    expect(res.body.paragraph.zh).toContain('2名无人监护儿童中1名已安排监护人员');
    expect(res.body.paragraph.zh).toContain('1名辍学儿童全部复学');
    expect(res.body.paragraph.zh).toContain('争取资金450.00万元');
    expect(res.body.paragraph.en).toContain('4,500,000.00 yuan');
    expect(res.body.region).toMatchObject({ name: '岳阳市', nameEn: 'Yueyang' });
    expect(res.body.paragraph.en).toMatch(/^Yueyang has /);
    const rows = Object.fromEntries(res.body.table.map((r: { code: string }) => [r.code, r]));
    expect(rows[PINGJIANG]).toMatchObject({
      leftBehind: expected(PINGJIANG)['children:left_behind'],
      inDifficulty: expected(PINGJIANG)['children:in_difficulty'],
      guardiansAssigned: 1,
      dropoutsReturned: 1,
      homes: 1,
      reportsOnTime: 1,
    });
    expect(rows[YUEYANG_COUNTY]).toMatchObject({
      leftBehind: expected(YUEYANG_COUNTY)['children:left_behind'],
      inDifficulty: 0,
      unsupervised: 1,
      guardiansAssigned: 0,
      hukouRegistered: 1,
      rightsIncidentsHandled: 1,
      reportsReceived: 1,
      reportsOnTime: 0,
    });

    // A county's report: allocations to its recipients, a row per township.
    const county = (await api.get(`/reports/annual?region=${PINGJIANG}&year=2018`)).body;
    expect(county.figures.books).toEqual({ quantity: 600, valueFen: 1_200_000, recipients: 1, donors: 1 });
    expect(county.figures.funds).toEqual({ fen: 0, basis: 'allocated' });
    expect(county.table.find((r: { code: string }) => r.code === '430626101').leftBehind).toBe(3);
    // Its townships named in English too: 安定镇 → Anding Town.
    expect(county.table.find((r: { code: string }) => r.code === '430626101')).toMatchObject({
      name: '安定镇',
      nameEn: 'Anding Town',
    });
    const countyHtml = await (await api.raw(`/reports/annual.html?region=${PINGJIANG}&year=2018`)).text();
    expect(countyHtml).toContain('<td>Anding Town</td>');

    const html = await (await api.raw('/reports/annual.html?region=4306&year=2018')).text();
    expect(html.indexOf('一、基本情况')).toBeGreaterThan(0);
    expect(html.indexOf('1. Basic situation')).toBeGreaterThan(html.indexOf('一、基本情况'));
    expect(html).toContain('平江县');
    expect(html).toContain('<h1>Yueyang (4306): care and protection');
    expect(html).toContain('<td>Pingjiang County</td>'); // the English table's row
    const xlsx = await api.raw('/reports/annual.xlsx?region=4306&year=2018');
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await xlsx.arrayBuffer()) as never);
    const summary = wb.getWorksheet('基本情况')!;
    const values = new Map<string, unknown>();
    summary.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(3).value));
    expect(values.get('农村留守儿童（人）')).toBe(f.leftBehind);
    expect(values.get('捐赠图书（册）')).toBe(1000);
  });

  it("shows a child's care timeline from every service in order, scoped and audited", async () => {
    const c1 = id('c1');
    const res = await (await reporting.as(countyOfficer(PINGJIANG))).get(`/children/${c1}/timeline`);
    expect(res.status).toBe(200);
    const entries = res.body.entries as { at: string; service: string; type: string; title?: string }[];
    expect(new Set(entries.map((e) => e.service))).toEqual(new Set(['registry', 'facilities', 'volunteers']));
    const ats = entries.map((e) => e.at);
    expect(ats).toEqual([...ats].sort());
    expect(entries.map((e) => e.type)).toEqual([
      'registered',
      'categorised',
      'mandatory_report',
      'case_opened',
      'guardian_assigned',
      'case_resolved',
      'case_closed',
      'enrolled',
      'activity_attended',
      'volunteer_event_registered',
      'volunteer_event_attended',
      'activity_attended',
    ]);
    // No counselling content: the session appears by its kind only.
    expect(JSON.stringify(res.body)).not.toContain('心理辅导');
    expect(entries.find((e) => e.type === 'enrolled')).toMatchObject({ facilityName: facility.name });

    const outsider = await reporting.as(countyOfficer(YUEYANG_COUNTY));
    expect((await outsider.get(`/children/${c1}/timeline`)).status).toBe(404);
    const audit = await reporting.db.connection.collection('audit_log').find({ resourceId: c1 }).toArray();
    expect(audit.map((a) => [a.actor, a.outcome]).sort()).toEqual([
      [`officer-${YUEYANG_COUNTY}`, 'denied'],
      [`officer-${PINGJIANG}`, 'success'],
    ]);
  });

  it('answers per home, per donor and recipient, and per volunteer region', async () => {
    const api = await reporting.as(cityAdmin);
    const home = (await api.get(`/stats/homes/${facility.facilityId}`)).body;
    expect(home).toMatchObject({
      name: facility.name,
      enrolledChildren: 2,
      activities: { total: 2, byKind: { talent_class: 1, counselling_session: 1 } },
      latestEvaluation: { grade: 'good', totalScore: 86 },
    });
    expect(home.activities.byMonth.map((m: { month: string }) => m.month)).toEqual(['2018-07', '2018-08']);

    const donations = (await api.get('/stats/donations')).body;
    const mineDonors = donations.donors.filter((d: { donorId: string }) => d.donorId.startsWith(prefix));
    expect(mineDonors).toHaveLength(2);
    const school1 = donations.recipients.find((r: { recipientId: string }) => r.recipientId === id('school1'));
    expect(school1).toMatchObject({ allocatedQuantity: 600, dispatchedQuantity: 600, deliveredQuantity: 598 });
    const pjDonations = (await (await reporting.as(countyOfficer(PINGJIANG))).get('/stats/donations')).body;
    expect(pjDonations.donors).toEqual([]);
    expect(pjDonations.recipients.map((r: { recipientId: string }) => r.recipientId)).toEqual([id('school1')]);

    const volunteers = (await api.get(`/stats/volunteers?region=${PINGJIANG}`)).body;
    expect(volunteers).toMatchObject({ events: 1, childParticipants: 2, childrenAttended: 2, confirmedHours: 16 });
  });

  it('gives the same annual report after two replays from the earliest offsets and a rebuild from nothing', async () => {
    const api = await reporting.as(cityAdmin);
    const read = async () => ({
      city: (await api.get('/reports/annual?region=4306&year=2018')).body,
      county: (await api.get(`/reports/annual?region=${PINGJIANG}&year=2018`)).body,
      timeline: (await api.get(`/children/${id('c1')}/timeline`)).body,
      village: (await api.get(`/stats/regions/${PJ_B}?months=12&to=2018-12`)).body,
    });
    const before = await read();
    await reporting.consumer.stop();
    const options = {
      kafka: reporting.kafka,
      models: reporting.models,
      groupId: reporting.groupId,
      accept: reporting.accept,
    };
    for (let round = 1; round <= 2; round++) {
      const replay = await rebuild({ ...options, drop: false, timeoutMs: 120_000 });
      expect(replay.processed).toBeGreaterThan(0);
      expect(await read()).toEqual(before);
    }
    const rebuilt = await rebuild({ ...options, drop: true, timeoutMs: 120_000 });
    expect(rebuilt.processed).toBeGreaterThan(0);
    expect(await read()).toEqual(before);
  }, 400_000);
});
