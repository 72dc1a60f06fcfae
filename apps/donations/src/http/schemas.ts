/** Request and response schemas of the donations API. Money comes in as yuan text (ZYuan) and is held in fen. */
import { ZDonationCancellationReason } from '@tongxin/contracts/donations';
import { ZId, ZPhotoRef } from '@tongxin/contracts/donations/api';
import { parseKnownRegionCode } from '@tongxin/contracts/values';
import { z } from 'zod';

/** The request bodies the console validates its forms with, and the views it reads: shared through the contracts. */
export {
  ZAcknowledgementInput,
  ZAcknowledgementView,
  ZAllocationBatchInput,
  ZAllocationInput,
  ZAllocationRecipientKind,
  ZAllocationView,
  ZDispatchInput,
  ZDonationInput,
  ZDonationView,
  ZDonorView,
  ZHomeView,
  ZId,
  ZLineInput,
  ZPhotoRef,
  ZQuantity,
  ZSchoolView,
  ZShipmentView,
} from '@tongxin/contracts/donations/api';

/** Who can carry a plaque or have a recipient report: a home or a school. */
export const ZRecipientKind = z.enum(['facility', 'school']);
const text = (max: number) => z.string().trim().min(1).max(max);

export const ZOrganisationType = z.enum([
  'charity_federation',
  'foundation',
  'company',
  'government',
  'school',
  'other',
]);

export const ZDonorInput = z
  .object({
    /** Chosen by the platform administrator so the gateway can bind charity users (`donorOrgs`) to it. */
    donorId: ZId.optional(),
    kind: z.enum(['organisation', 'individual']),
    organisationType: ZOrganisationType.optional(),
    /** An organisation's name, or the name an individual chose to show (e.g. 爱心人士王先生). */
    displayName: text(100),
    /** Individuals only: the real name, for the receipt; never in an event. */
    legalName: text(50).optional(),
    note: z.string().trim().max(500).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.kind === 'organisation' && !d.organisationType)
      ctx.addIssue({
        code: 'custom',
        path: ['organisationType'],
        message: 'an organisation needs its type / 请填写机构类型',
      });
    if (d.kind === 'organisation' && d.legalName)
      ctx.addIssue({ code: 'custom', path: ['legalName'], message: 'only for individuals / 仅个人捐赠者填写' });
    if (d.kind === 'individual' && d.organisationType)
      ctx.addIssue({ code: 'custom', path: ['organisationType'], message: 'only for organisations / 仅机构填写' });
  });

/** A township (9 digits) or village (12 digits) known to the region directory. */
export const ZSchoolRegion = z.string().transform((input, ctx) => {
  const parsed = parseKnownRegionCode(input);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: `${parsed.error.message} / ${parsed.error.messageZh}` });
    return z.NEVER;
  }
  if (parsed.value.level !== 'township' && parsed.value.level !== 'village') {
    ctx.addIssue({
      code: 'custom',
      message:
        'a school’s region is a township (9 digits) or village (12 digits) / 学校所在地应为9位乡镇或12位村级代码',
    });
    return z.NEVER;
  }
  return parsed.value.code;
});

export const ZSchoolInput = z.object({
  schoolId: ZId.optional(),
  name: text(100),
  regionCode: ZSchoolRegion,
  contactName: text(50).optional(),
});

export const ZCancelInput = z.object({
  reason: ZDonationCancellationReason,
  cancelledOn: z.iso.date(),
  note: z.string().trim().max(500).optional(),
});

export const ZPlaqueInput = z.object({
  recipientKind: ZRecipientKind,
  recipientId: ZId,
  name: text(100),
  donorId: ZId,
  donationId: ZId.optional(),
  installedOn: z.iso.date(),
  photoRefs: z.array(ZPhotoRef).max(30).default([]),
});
