/** Request and response schemas of the facilities API. */
import {
  ZCancellationReason,
  ZChildLeftReason,
  ZCorrectionReason,
  ZFacilityKind,
  ZFacilityStatus,
  ZFacilityStatusReason,
  ZFundingSource,
} from '@tongxin/contracts/facilities';
import { ZActivityInput } from '@tongxin/contracts/facilities/api';
import { ZVillageCode } from '@tongxin/contracts/values';
import { z } from 'zod';

/** The request bodies the console validates its forms with too: shared through the contracts. */
export { MAX_ATTENDEES, ZActivityInput, ZId, ZPhotoRef } from '@tongxin/contracts/facilities/api';

export const ZEquipmentKind = z.enum([
  'counselling_room',
  'sand_tray_room',
  'assessment_room',
  'reading_corner',
  'computers',
  'internet',
  'video_chat',
  'sports_equipment',
  'other',
]);

export const ZEquipment = z
  .array(
    z.object({
      kind: ZEquipmentKind,
      name: z.string().trim().max(50).optional(),
      quantity: z.number().int().min(0).max(10_000),
    }),
  )
  .max(100);

export const ZFacilityInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,32}$/, 'a code such as PJ-014'),
  name: z.string().trim().min(1).max(100),
  kind: ZFacilityKind,
  hostSchool: z.string().trim().min(1).max(100).optional(),
  hostVillage: z.string().trim().min(1).max(100).optional(),
  partner: z.string().trim().min(1).max(100).optional(),
  regionCode: ZVillageCode,
  address: z.string().trim().max(200).default(''),
  openedOn: z.iso.date(),
  managers: z.array(z.string().min(1).max(64)).max(20).default([]),
  equipment: ZEquipment.default([]),
  openingHours: z.string().trim().max(200).default(''),
  capacity: z.number().int().min(0).max(10_000),
});

export const ZFacilityChange = z.object({
  expectedSequence: z.number().int().min(0),
  name: z.string().trim().min(1).max(100).optional(),
  kind: ZFacilityKind.optional(),
  hostSchool: z.string().trim().min(1).max(100).optional(),
  hostVillage: z.string().trim().min(1).max(100).optional(),
  partner: z.string().trim().min(1).max(100).optional(),
  address: z.string().trim().max(200).optional(),
  managers: z.array(z.string().min(1).max(64)).max(20).optional(),
  equipment: ZEquipment.optional(),
  openingHours: z.string().trim().max(200).optional(),
  capacity: z.number().int().min(0).max(10_000).optional(),
});

export const ZStatusChange = z.object({
  status: ZFacilityStatus,
  reason: ZFacilityStatusReason,
  changedOn: z.iso.date(),
});

export const ZFundingInput = z.object({
  /** Integer fen (1 yuan = 100 fen); a decimal amount is refused rather than rounded. */
  amountFen: z.number().int().positive().max(1e12),
  source: ZFundingSource,
  receivedOn: z.iso.date(),
  note: z.string().trim().max(200).optional(),
});

export const ZCorrection = z.object({
  expectedSequence: z.number().int().min(0),
  reason: ZCorrectionReason,
  note: z.string().trim().max(500).optional(),
  activity: ZActivityInput,
});
export const ZCancellation = z.object({ reason: ZCancellationReason, note: z.string().trim().max(500).optional() });
export const ZLeave = z.object({ leftOn: z.iso.date(), reason: ZChildLeftReason });

export const ZFileInput = z.object({
  interests: z.array(z.string().trim().min(1).max(50)).max(30).optional(),
  strengths: z.array(z.string().trim().min(1).max(50)).max(30).optional(),
  needs: z.array(z.string().trim().min(1).max(100)).max(30).optional(),
  note: z.string().trim().min(1).max(2000).optional(),
});

export const ZFacilityView = z.object({
  id: z.string(),
  sequence: z.number(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  hostSchool: z.string().optional(),
  hostVillage: z.string().optional(),
  partner: z.string().optional(),
  regionCode: z.string(),
  regionName: z.string().optional(),
  address: z.string(),
  openedOn: z.string(),
  status: z.string(),
  managers: z.array(z.string()),
  equipment: z.array(z.object({ kind: z.string(), name: z.string().optional(), quantity: z.number() })),
  funding: z.array(
    z.object({
      fundingId: z.string(),
      amountFen: z.number(),
      amountYuan: z.string(),
      source: z.string(),
      receivedOn: z.string(),
      note: z.string().optional(),
    }),
  ),
  totalFundingFen: z.number(),
  totalFundingYuan: z.string(),
  openingHours: z.string(),
  capacity: z.number(),
});

export const ZActivityView = z.object({
  id: z.string(),
  sequence: z.number(),
  facilityId: z.string(),
  kind: z.string(),
  subject: z.string().optional(),
  otherDescription: z.string().optional(),
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string(),
  attendeeChildIds: z.array(z.string()),
  volunteerIds: z.array(z.string()),
  staff: z.array(z.string()),
  otherAttendees: z.number(),
  notes: z.string(),
  photoRefs: z.array(z.string()),
  status: z.string(),
  history: z.array(
    z.object({
      at: z.string(),
      by: z.string(),
      action: z.string(),
      reason: z.string(),
      note: z.string().optional(),
      before: z.record(z.string(), z.unknown()),
    }),
  ),
});
