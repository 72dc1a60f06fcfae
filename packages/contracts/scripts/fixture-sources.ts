/**
 * The data of the golden fixtures: one realistic story in 平江县 (430626), 岳阳市. `write-fixtures.ts`
 * turns each entry into `fixtures/<type>@<version>/<name>.json` through `toKafkaRecord` — once:
 * existing fixtures are never overwritten, because a golden fixture is what was published.
 * Add an entry here when you add an event (or a new shape of an existing one), then run
 * `npx tsx packages/contracts/scripts/write-fixtures.ts`.
 */
import type { z } from 'zod';

import * as donations from '../src/donations/index.js';
import type { EventDefinition } from '../src/events.js';
import * as facilities from '../src/facilities/index.js';
import * as gateway from '../src/gateway/index.js';
import * as registry from '../src/registry/index.js';
import * as volunteers from '../src/volunteers/index.js';

export interface FixtureSource {
  definition: EventDefinition;
  name: string;
  source: string;
  subject: string;
  sequence: number;
  time: string;
  data: unknown;
}

let counter = 0;
/** Deterministic UUIDv7-shaped ids, so regenerating a deleted fixture gives the same bytes. */
const eventId = (): string => {
  counter += 1;
  return `01958a7c-3e20-7${counter.toString(16).padStart(3, '0')}-8a4f-6c1d2e3f4a5b`;
};
const CORRELATION = 'req-20250305-pj-0001';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const sources: FixtureSource[] = [];
function add<D extends EventDefinition>(
  definition: D,
  name: string,
  envelope: { source: string; subject: string; sequence: number; time: string },
  data: z.input<D['data']>,
): void {
  sources.push({ definition, name, ...envelope, data });
}

// ── registry.child.v1: 王梓涵, a left-behind girl in 福寿村, 安定镇, 平江县 ─────────────────────────
const CHILD = 'ch_0196a1b2c3d4';
const village = '430626101201';
const child = {
  childId: CHILD,
  name: '王梓涵',
  sex: 'female',
  birthDate: '2014-03-12',
  regionCode: village,
  categories: [] as ('left_behind' | 'in_difficulty')[],
  difficultyTypes: [] as z.infer<typeof registry.ZDifficultyType>[],
  supervision: 'unsupervised',
  schooling: { status: 'enrolled' },
  status: 'active',
} satisfies z.input<typeof registry.ZChildSnapshot>;
const R = (subject: string, sequence: number, time: string) => ({ source: 'registry', subject, sequence, time });

add(registry.ChildRegistered, 'unsupervised-girl-pingjiang', R(CHILD, 1, '2025-03-05T09:12:00+08:00'), child);
add(registry.ChildCategorised, 'left-behind-and-in-difficulty', R(CHILD, 2, '2025-03-05T09:12:01+08:00'), {
  ...child,
  categories: ['left_behind', 'in_difficulty'],
  difficultyTypes: ['economic_hardship', 'de_facto_unsupported'],
  previousCategories: [],
  previousDifficultyTypes: [],
  rulesVersion: '2025.1',
  effectiveOn: '2025-03-05',
  explanation: [
    { rule: 'left_behind.under_16', met: true },
    { rule: 'left_behind.rural_residence', met: true },
    { rule: 'left_behind.both_parents_migrant', met: true },
    { rule: 'in_difficulty.economic_hardship', met: true },
    { rule: 'in_difficulty.de_facto_unsupported', met: true },
  ],
});
const categorised = {
  ...child,
  categories: ['left_behind', 'in_difficulty'],
  difficultyTypes: ['economic_hardship', 'de_facto_unsupported'],
} satisfies z.input<typeof registry.ZChildSnapshot>;
add(registry.ChildGuardianAssigned, 'grandmother-entrusted', R(CHILD, 3, '2025-03-18T15:40:00+08:00'), {
  ...categorised,
  supervision: 'supervised',
  guardian: { kind: 'grandparent', relation: 'paternal_grandmother' },
  assignedOn: '2025-03-18',
  caseId: 'cs_0196a1b2d001',
});
add(registry.ChildUpdated, 'moved-to-boarding-school', R(CHILD, 4, '2025-09-01T08:30:00+08:00'), {
  ...categorised,
  supervision: 'supervised',
  schooling: { status: 'boarding' },
  changedFields: ['schooling'],
});
add(registry.ChildExited, 'aged-out', R('ch_0196a1b2c3e7', 9, '2025-06-02T00:00:00+08:00'), {
  childId: 'ch_0196a1b2c3e7',
  name: '李浩然',
  sex: 'male',
  birthDate: '2009-06-02',
  regionCode: '430626102201',
  categories: [],
  difficultyTypes: [],
  supervision: 'supervised',
  schooling: { status: 'enrolled' },
  status: 'exited',
  reason: 'aged_out',
  exitedOn: '2025-06-02',
});

// ── registry.case.v1: guardian assignment for 王梓涵 ───────────────────────────────────────────
const CASE = 'cs_0196a1b2d001';
const kase = {
  caseId: CASE,
  childId: CHILD,
  caseType: 'guardian_assignment',
  regionCode: village,
  ownerDepartment: 'civil_affairs',
  status: 'opened',
  openedAt: '2025-03-05T10:00:00+08:00',
  dueAt: '2025-04-04T10:00:00+08:00',
  reportId: 'rp_0196a1b2e001',
} satisfies z.input<typeof registry.ZCaseSnapshot>;
add(registry.CaseOpened, 'guardian-assignment', R(CASE, 1, '2025-03-05T10:00:00+08:00'), kase);
add(registry.CaseProgressed, 'home-visit-logged', R(CASE, 2, '2025-03-10T16:20:00+08:00'), {
  ...kase,
  status: 'in_progress',
  progressedAt: '2025-03-10T16:20:00+08:00',
});
add(registry.CaseResolved, 'guardian-assigned', R(CASE, 3, '2025-03-18T15:40:00+08:00'), {
  ...kase,
  status: 'resolved',
  resolvedAt: '2025-03-18T15:40:00+08:00',
  outcome: 'guardian_assigned',
});
add(registry.CaseClosed, 'closed-after-follow-up', R(CASE, 4, '2025-04-20T11:00:00+08:00'), {
  ...kase,
  status: 'closed',
  resolvedAt: '2025-03-18T15:40:00+08:00',
  closedAt: '2025-04-20T11:00:00+08:00',
  outcome: 'guardian_assigned',
});

// ── registry.report.v1: a school's mandatory report that led to the case ─────────────────────
const REPORT = 'rp_0196a1b2e001';
const report = {
  reportId: REPORT,
  regionCode: '430626101',
  reporterKind: 'school',
  status: 'received',
  receivedAt: '2025-03-04T17:45:00+08:00',
  dueAt: '2025-03-05T17:45:00+08:00',
} satisfies z.input<typeof registry.ZReportSnapshot>;
add(registry.ReportReceived, 'from-school', R(REPORT, 1, '2025-03-04T17:45:00+08:00'), report);
add(registry.ReportAcknowledged, 'within-a-day', R(REPORT, 2, '2025-03-05T08:50:00+08:00'), {
  ...report,
  status: 'acknowledged',
  acknowledgedAt: '2025-03-05T08:50:00+08:00',
});
add(registry.ReportLinked, 'linked-to-child-and-case', R(REPORT, 3, '2025-03-05T10:00:00+08:00'), {
  ...report,
  status: 'linked',
  acknowledgedAt: '2025-03-05T08:50:00+08:00',
  childId: CHILD,
  caseId: CASE,
  linkedAt: '2025-03-05T10:00:00+08:00',
});
add(registry.ReportDismissed, 'duplicate-from-village', R('rp_0196a1b2e002', 3, '2025-03-05T11:30:00+08:00'), {
  reportId: 'rp_0196a1b2e002',
  regionCode: '430626101201',
  reporterKind: 'village_committee',
  status: 'dismissed',
  receivedAt: '2025-03-05T09:05:00+08:00',
  dueAt: '2025-03-06T09:05:00+08:00',
  acknowledgedAt: '2025-03-05T09:30:00+08:00',
  reason: 'duplicate',
  dismissedAt: '2025-03-05T11:30:00+08:00',
});

// ── facilities.facility.v1: the home at 安定镇中心小学 ─────────────────────────────────────────
const FACILITY = 'fa_0196a1b30001';
const facility = {
  facilityId: FACILITY,
  code: 'PJ-014',
  name: '安定镇中心小学留守儿童之家',
  kind: 'school_based',
  regionCode: village,
  hostSchool: '平江县安定镇中心小学',
  status: 'open',
  openedOn: '2024-09-01',
  capacity: 60,
} satisfies z.input<typeof facilities.ZFacilitySnapshot>;
const F = (subject: string, sequence: number, time: string) => ({ source: 'facilities', subject, sequence, time });
add(facilities.FacilityOpened, 'school-based-home', F(FACILITY, 1, '2024-09-01T09:00:00+08:00'), facility);
add(facilities.FacilityUpdated, 'capacity-raised', F(FACILITY, 2, '2025-02-20T14:00:00+08:00'), {
  ...facility,
  capacity: 80,
});
add(facilities.FacilityStatusChanged, 'suspended-for-renovation', F(FACILITY, 3, '2025-07-10T09:00:00+08:00'), {
  ...facility,
  capacity: 80,
  status: 'suspended',
  previousStatus: 'open',
  reason: 'renovation',
  changedOn: '2025-07-10',
});
add(facilities.FacilityFundingRecorded, 'provincial-fund', F(FACILITY, 4, '2025-03-20T10:00:00+08:00'), {
  ...facility,
  capacity: 80,
  funding: { fundingId: 'fd_0196a1b30101', amountFen: 2_000_000, source: 'provincial_fund', receivedOn: '2025-03-20' },
  totalFundingFen: 2_000_000,
});
add(facilities.FacilityEvaluated, 'annual-evaluation-good', F(FACILITY, 5, '2025-12-15T16:00:00+08:00'), {
  ...facility,
  capacity: 80,
  evaluation: {
    evaluationId: 'ev_0196a1b30201',
    period: '2025',
    totalScore: 86.5,
    grade: 'good',
    evaluatedAt: '2025-12-15T16:00:00+08:00',
  },
});

// ── facilities.enrolment.v1 ────────────────────────────────────────────────────────────────────
const ENROLMENT = 'en_0196a1b30301';
const enrolment = {
  enrolmentId: ENROLMENT,
  facilityId: FACILITY,
  childId: CHILD,
  status: 'enrolled',
  enrolledOn: '2025-03-20',
} satisfies z.input<typeof facilities.ZEnrolmentSnapshot>;
add(facilities.ChildEnrolled, 'enrolled-at-school-home', F(ENROLMENT, 1, '2025-03-20T15:00:00+08:00'), enrolment);
add(facilities.ChildLeft, 'aged-out', F('en_0196a1b30302', 2, '2025-06-02T09:00:00+08:00'), {
  enrolmentId: 'en_0196a1b30302',
  facilityId: FACILITY,
  childId: 'ch_0196a1b2c3e7',
  status: 'left',
  enrolledOn: '2024-09-02',
  leftOn: '2025-06-02',
  reason: 'aged_out',
});

// ── facilities.activity.v1 ─────────────────────────────────────────────────────────────────────
const ACTIVITY = 'ac_0196a1b30401';
const activity = {
  activityId: ACTIVITY,
  facilityId: FACILITY,
  kind: 'talent_class',
  subject: 'calligraphy',
  title: '周末书法兴趣班',
  startsAt: '2025-04-12T14:30:00+08:00',
  endsAt: '2025-04-12T16:00:00+08:00',
  attendeeChildIds: [CHILD, 'ch_0196a1b2c3d5', 'ch_0196a1b2c3d6'],
  volunteerIds: ['vo_0196a1b40001'],
  attendeeCount: 4,
  status: 'logged',
} satisfies z.input<typeof facilities.ZActivitySnapshot>;
add(facilities.ActivityLogged, 'calligraphy-class', F(ACTIVITY, 1, '2025-04-12T16:05:00+08:00'), activity);
add(facilities.ActivityLogged, 'counselling-session-no-content', F('ac_0196a1b30402', 1, '2025-04-14T17:10:00+08:00'), {
  activityId: 'ac_0196a1b30402',
  facilityId: FACILITY,
  kind: 'counselling_session',
  title: '沙盘游戏辅导',
  startsAt: '2025-04-14T16:20:00+08:00',
  endsAt: '2025-04-14T17:00:00+08:00',
  attendeeChildIds: [CHILD],
  volunteerIds: [],
  attendeeCount: 1,
  status: 'logged',
});
add(facilities.ActivityCorrected, 'attendee-added', F(ACTIVITY, 2, '2025-04-12T18:30:00+08:00'), {
  ...activity,
  attendeeChildIds: [...activity.attendeeChildIds, 'ch_0196a1b2c3d8'],
  attendeeCount: 5,
  reason: 'wrong_attendees',
});
add(facilities.ActivityCancelled, 'logged-twice', F('ac_0196a1b30403', 2, '2025-04-15T09:00:00+08:00'), {
  activityId: 'ac_0196a1b30403',
  facilityId: FACILITY,
  kind: 'family_video_call',
  title: '亲情视频通话',
  startsAt: '2025-04-13T19:00:00+08:00',
  endsAt: '2025-04-13T19:30:00+08:00',
  attendeeChildIds: [CHILD],
  volunteerIds: [],
  attendeeCount: 1,
  status: 'cancelled',
  reason: 'duplicate',
});

// ── donations.donation.v1: books from the China Charity Federation to five schools ────────────
const DONATION = 'dn_0196a1b50001';
const lines = [
  {
    lineId: 'ln_01',
    isbn: '9787020002207',
    title: '红楼梦',
    quantity: 5_000,
    unitValueFen: 2_300,
    valueFen: 11_500_000,
  },
  {
    lineId: 'ln_02',
    isbn: '9787535375476',
    title: '十万个为什么（少儿版）',
    quantity: 15_000,
    unitValueFen: 2_500,
    valueFen: 37_500_000,
  },
  { lineId: 'ln_03', title: '儿童文学图书一批', quantity: 5_000, valueFen: 6_000_000 },
];
const header = {
  donationId: DONATION,
  donorId: 'do_0196a1b50101',
  donorKind: 'organisation',
  donorDisplayName: '中华慈善总会',
  kind: 'books',
  status: 'received',
  receivedOn: '2025-05-08',
  totals: {
    receivedValueFen: 55_000_000,
    receivedQuantity: 25_000,
    allocatedValueFen: 0,
    allocatedQuantity: 0,
    dispatchedQuantity: 0,
    acknowledgedQuantity: 0,
    acknowledgedValueFen: 0,
  },
} satisfies z.input<typeof donations.ZDonationHeader>;
const D = (subject: string, sequence: number, time: string) => ({ source: 'donations', subject, sequence, time });
add(donations.DonationReceived, 'books-charity-federation', D(DONATION, 1, '2025-05-08T10:00:00+08:00'), {
  ...header,
  purpose: 'restricted',
  lines,
});
add(donations.DonationReceived, 'money-provincial-fund', D('dn_0196a1b50002', 1, '2025-03-01T09:00:00+08:00'), {
  donationId: 'dn_0196a1b50002',
  donorId: 'do_0196a1b50102',
  donorKind: 'organisation',
  donorDisplayName: '湖南省民政厅',
  kind: 'money',
  status: 'received',
  receivedOn: '2025-03-01',
  totals: {
    receivedValueFen: 450_000_000,
    receivedQuantity: 0,
    allocatedValueFen: 0,
    allocatedQuantity: 0,
    dispatchedQuantity: 0,
    acknowledgedQuantity: 0,
    acknowledgedValueFen: 0,
  },
  amountFen: 450_000_000,
  purpose: 'restricted',
  lines: [],
});
const allocatedTotals = { ...header.totals, allocatedQuantity: 3_000, allocatedValueFen: 7_500_000 };
add(donations.DonationAllocated, 'to-luowang-primary', D(DONATION, 2, '2025-05-12T11:00:00+08:00'), {
  ...header,
  status: 'partially_allocated',
  totals: allocatedTotals,
  allocation: {
    allocationId: 'al_0196a1b50201',
    recipientKind: 'school',
    recipientId: 'sc_0196a1b50301',
    recipientName: '洛王小学',
    recipientRegionCode: '430626102',
    lineId: 'ln_02',
    quantity: 3_000,
    valueFen: 7_500_000,
  },
});
const dispatchedTotals = { ...allocatedTotals, dispatchedQuantity: 3_000 };
add(donations.DonationDispatched, 'shipment-to-luowang', D(DONATION, 3, '2025-05-20T08:00:00+08:00'), {
  ...header,
  status: 'partially_allocated',
  totals: dispatchedTotals,
  shipment: {
    shipmentId: 'sh_0196a1b50401',
    allocationId: 'al_0196a1b50201',
    recipientKind: 'school',
    recipientId: 'sc_0196a1b50301',
    dispatchedOn: '2025-05-20',
    carrier: '中国邮政',
    lines: [{ lineId: 'ln_02', quantity: 3_000 }],
  },
});
add(donations.DonationAcknowledged, 'received-with-damage', D(DONATION, 4, '2025-05-26T15:30:00+08:00'), {
  ...header,
  status: 'partially_allocated',
  totals: { ...dispatchedTotals, acknowledgedQuantity: 2_988 },
  acknowledgement: {
    acknowledgementId: 'ak_0196a1b50501',
    allocationId: 'al_0196a1b50201',
    shipmentId: 'sh_0196a1b50401',
    recipientKind: 'school',
    recipientId: 'sc_0196a1b50301',
    acknowledgedOn: '2025-05-26',
    lines: [
      {
        lineId: 'ln_02',
        quantityDispatched: 3_000,
        quantityReceived: 2_988,
        discrepancy: -12,
        discrepancyReason: 'damaged',
      },
    ],
  },
});
add(donations.DonationCancelled, 'entered-twice', D('dn_0196a1b50003', 2, '2025-05-09T09:00:00+08:00'), {
  ...header,
  donationId: 'dn_0196a1b50003',
  status: 'cancelled',
  reason: 'duplicate',
  cancelledOn: '2025-05-09',
});

// ── volunteers.volunteer.v1 ────────────────────────────────────────────────────────────────────
const VOLUNTEER = 'vo_0196a1b40001';
const volunteer = {
  volunteerId: VOLUNTEER,
  organisationId: 'or_0196a1b40101',
  displayName: '刘老师',
  clearance: { status: 'pending' },
  clearedForChildren: false,
} satisfies z.input<typeof volunteers.ZVolunteerSnapshot>;
const V = (subject: string, sequence: number, time: string) => ({ source: 'volunteers', subject, sequence, time });
add(volunteers.VolunteerRegistered, 'youth-league-teacher', V(VOLUNTEER, 1, '2025-06-01T10:00:00+08:00'), volunteer);
add(volunteers.VolunteerClearanceChanged, 'cleared', V(VOLUNTEER, 2, '2025-06-10T14:00:00+08:00'), {
  ...volunteer,
  clearance: { status: 'cleared', expiresOn: '2026-06-09' },
  clearedForChildren: true,
  previousStatus: 'pending',
  changedOn: '2025-06-10',
});

// ── volunteers.event.v1: the Youth League summer camp for 28 children ─────────────────────────
const EVENT = 've_0196a1b60001';
const camp = {
  eventId: EVENT,
  organisationId: 'or_0196a1b40101',
  kind: 'summer_camp',
  title: '共青团平江县委“情暖童心”夏令营',
  startsOn: '2025-07-14',
  endsOn: '2025-07-18',
  regionCode: '430626',
  facilityId: FACILITY,
  status: 'scheduled',
  childIds: [],
  volunteerIds: [],
  attendedChildIds: [],
  attendedVolunteerIds: [],
  hours: [],
} satisfies z.input<typeof volunteers.ZVolunteerEventSnapshot>;
add(volunteers.VolunteerEventCreated, 'summer-camp', V(EVENT, 1, '2025-06-15T09:00:00+08:00'), camp);
const signedUp = { ...camp, childIds: [CHILD], volunteerIds: [VOLUNTEER] };
add(volunteers.ParticipantRegistered, 'child-signed-up', V(EVENT, 3, '2025-06-20T10:30:00+08:00'), {
  ...signedUp,
  participant: { kind: 'child', id: CHILD },
});
const attended = { ...signedUp, attendedChildIds: [CHILD], attendedVolunteerIds: [VOLUNTEER] };
add(volunteers.AttendanceRecorded, 'first-day', V(EVENT, 4, '2025-07-14T18:00:00+08:00'), {
  ...attended,
  attendance: { on: '2025-07-14', childIds: [CHILD], volunteerIds: [VOLUNTEER] },
});
const hours = [{ volunteerId: VOLUNTEER, minutes: 1_800 }];
add(volunteers.HoursConfirmed, 'camp-hours', V(EVENT, 5, '2025-07-19T10:00:00+08:00'), {
  ...attended,
  hours,
  confirmed: hours,
});
add(volunteers.VolunteerEventClosed, 'completed', V(EVENT, 6, '2025-07-20T10:00:00+08:00'), {
  ...attended,
  hours,
  status: 'closed',
  closedOn: '2025-07-20',
  outcome: 'completed',
});

// ── gateway.audit.v1 ───────────────────────────────────────────────────────────────────────────
add(
  gateway.AuditRecorded,
  'township-officer-reads-child',
  { source: 'registry', subject: CHILD, sequence: 1, time: '2025-03-06T09:15:02+08:00' },
  {
    actorSub: 'us_0196a1b70001',
    role: 'township_officer',
    action: 'read',
    resource: 'child',
    resourceId: CHILD,
    purpose: '核查监护落实情况',
    at: '2025-03-06T09:15:02+08:00',
    requestId: 'req-20250306-0915-7f3a',
  },
);

// ── donations.donation.v1, version 2 events (added after the first release: appended last, so the
// ids of the fixtures above stay what they were) ──────────────────────────────────────────────────
// Version 2: a bursary (困境儿童助学金) of 1,000.00 yuan from the provincial fund to 王梓涵 — shown by
// her masked name and village only — transferred and acknowledged by the county officer.
const FUND = 'dn_0196a1b50002';
const fundHeader = {
  donationId: FUND,
  donorId: 'do_0196a1b50102',
  donorKind: 'organisation',
  donorDisplayName: '湖南省民政厅',
  kind: 'money',
  status: 'partially_allocated',
  receivedOn: '2025-03-01',
  totals: {
    receivedValueFen: 450_000_000,
    receivedQuantity: 0,
    allocatedValueFen: 100_000,
    allocatedQuantity: 0,
    dispatchedQuantity: 0,
    acknowledgedQuantity: 0,
    acknowledgedValueFen: 0,
  },
} satisfies z.input<typeof donations.ZDonationHeader>;
add(donations.DonationAllocatedV2, 'bursary-to-child', D(FUND, 2, '2025-09-01T10:00:00+08:00'), {
  ...fundHeader,
  allocation: {
    allocationId: 'al_0196a1b50202',
    recipientKind: 'child',
    recipientId: CHILD,
    recipientName: '王*涵',
    recipientRegionCode: village,
    amountFen: 100_000,
    valueFen: 100_000,
  },
});
add(donations.DonationDispatchedV2, 'bursary-transfer', D(FUND, 3, '2025-09-02T09:00:00+08:00'), {
  ...fundHeader,
  shipment: {
    shipmentId: 'sh_0196a1b50402',
    allocationId: 'al_0196a1b50202',
    recipientKind: 'child',
    recipientId: CHILD,
    dispatchedOn: '2025-09-02',
    lines: [],
    amountFen: 100_000,
  },
});
add(donations.DonationAcknowledgedV2, 'bursary-received', D(FUND, 4, '2025-09-05T16:00:00+08:00'), {
  ...fundHeader,
  totals: { ...fundHeader.totals, acknowledgedValueFen: 100_000 },
  acknowledgement: {
    acknowledgementId: 'ak_0196a1b50502',
    allocationId: 'al_0196a1b50202',
    shipmentId: 'sh_0196a1b50402',
    recipientKind: 'child',
    recipientId: CHILD,
    acknowledgedOn: '2025-09-05',
    lines: [],
    amountFen: 100_000,
  },
});
export const FIXTURE_SOURCES: readonly FixtureSource[] = sources.map((source) => ({ ...source }));
export const envelopeDefaults = { eventId, correlationId: CORRELATION, traceparent: TRACEPARENT };
