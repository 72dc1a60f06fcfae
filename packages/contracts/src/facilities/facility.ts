/**
 * `facilities.facility.v1`: children's homes (留守儿童之家). Every event carries the facility's
 * snapshot; funding and evaluation events add what they record. Managers (user ids), rooms and
 * equipment stay in the facilities service.
 */
import { z } from 'zod';

import { defineEvent } from '../events.js';

import { ZEntityId, ZIsoDate, ZIsoDateTime, ZVillageCode } from './fields.js';

export const FACILITY_TOPIC = 'facilities.facility.v1';

export const ZFacilityKind = z.enum(['school_based', 'village_based', 'community']);
export const ZFacilityStatus = z.enum(['open', 'suspended', 'closed']);

export const ZFacilitySnapshot = z.object({
  facilityId: ZEntityId,
  /** The county's code for the home, e.g. "PJ-014". */
  code: z.string().min(1).max(32),
  name: z.string().min(1).max(100),
  kind: ZFacilityKind,
  /** Where the home is (village or residents' committee, 12 digits). */
  regionCode: ZVillageCode,
  /** The school hosting a school-based home (its name). */
  hostSchool: z.string().min(1).max(100).optional(),
  status: ZFacilityStatus,
  openedOn: ZIsoDate,
  /** How many children the home can take. */
  capacity: z.number().int().nonnegative(),
});
export type FacilitySnapshot = z.infer<typeof ZFacilitySnapshot>;

export const ZFacilityOpenedData = ZFacilitySnapshot;
export const FacilityOpened = defineEvent({
  type: 'facilities.facility.opened',
  version: 1,
  topic: FACILITY_TOPIC,
  data: ZFacilityOpenedData,
  description: "A children's home was opened (registered on the platform).",
});

export const ZFacilityUpdatedData = ZFacilitySnapshot;
export const FacilityUpdated = defineEvent({
  type: 'facilities.facility.updated',
  version: 1,
  topic: FACILITY_TOPIC,
  data: ZFacilityUpdatedData,
  description: "A home's name, kind, host school, region or capacity changed.",
});

export const ZFacilityStatusReason = z.enum([
  'renovation',
  'no_manager',
  'merged',
  'school_closed',
  'reopened',
  'other',
]);
export const ZFacilityStatusChangedData = ZFacilitySnapshot.extend({
  previousStatus: ZFacilityStatus,
  reason: ZFacilityStatusReason,
  changedOn: ZIsoDate,
});
export const FacilityStatusChanged = defineEvent({
  type: 'facilities.facility.status_changed',
  version: 1,
  topic: FACILITY_TOPIC,
  data: ZFacilityStatusChangedData,
  description: 'A home was suspended, reopened or closed.',
});

export const ZFundingSource = z.enum([
  'provincial_fund',
  'city_fund',
  'county_fund',
  'donation',
  'women_federation',
  'other',
]);
export const ZFacilityFundingRecordedData = ZFacilitySnapshot.extend({
  funding: z.object({
    fundingId: ZEntityId,
    /** Integer fen (1 yuan = 100 fen). */
    amountFen: z.number().int().positive(),
    source: ZFundingSource,
    receivedOn: ZIsoDate,
    /** The donations.donation.v1 allocation it came from, when source is donation. */
    allocationId: ZEntityId.optional(),
  }),
  /** Running total of funding recorded for the home, in fen. */
  totalFundingFen: z.number().int().nonnegative(),
});
export const FacilityFundingRecorded = defineEvent({
  type: 'facilities.facility.funding_recorded',
  version: 1,
  topic: FACILITY_TOPIC,
  data: ZFacilityFundingRecordedData,
  description: 'Funds received by a home were recorded (amount in fen, source, date).',
});

export const ZEvaluationGrade = z.enum(['excellent', 'good', 'qualified', 'unqualified']);
export const ZFacilityEvaluatedData = ZFacilitySnapshot.extend({
  evaluation: z.object({
    evaluationId: ZEntityId,
    /** "2025" (year), "2025-H1" (half), "2025-Q3" (quarter) or "2025-06" (month). */
    period: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$/, 'a period: YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM'),
    totalScore: z.number().min(0).max(100),
    grade: ZEvaluationGrade,
    evaluatedAt: ZIsoDateTime,
  }),
});
export const FacilityEvaluated = defineEvent({
  type: 'facilities.facility.evaluated',
  version: 1,
  topic: FACILITY_TOPIC,
  data: ZFacilityEvaluatedData,
  description: 'A home was evaluated (考评) for a period: total score out of 100 and grade.',
});

export const facilityEvents = [
  FacilityOpened,
  FacilityUpdated,
  FacilityStatusChanged,
  FacilityFundingRecorded,
  FacilityEvaluated,
] as const;
