/** Request schemas of the volunteers API (strict: service-kit rejects unknown fields at every depth). */
import { ZMobile, ZRegionCode } from '@tongxin/contracts/values';
import { ZDate, ZId } from '@tongxin/contracts/volunteers/api';
import { z } from 'zod';

import { EVENT_KINDS, ORGANISATION_KINDS, SKILLS } from '../domain/kinds.js';

/** The request bodies the console validates its forms with too: shared through the contracts. */
export {
  ZAssignInput,
  ZAttendanceInput,
  ZChildSignUpInput,
  ZCloseInput,
  ZDate,
  ZHoursInput,
  ZId,
} from '@tongxin/contracts/volunteers/api';

export const ZSkill = z.enum(SKILLS);
const text = (max: number) => z.string().trim().min(1).max(max);

/** A known county, township or village (events' region codes are 6, 9 or 12 digits). */
export const ZLocalRegion = ZRegionCode.refine((code) => code.length >= 6, {
  message: 'a county, township or village code (6, 9 or 12 digits) / 应为县、乡镇或村级代码',
});

export const ZOrganisationInput = z.object({
  /** Chosen by the platform administrator so the gateway can bind coordinators (`volunteerOrgs`). */
  organisationId: ZId,
  kind: z.enum(ORGANISATION_KINDS),
  name: text(100),
  regionCode: ZRegionCode,
});

export const ZVolunteerInput = z
  .object({
    organisationIds: z.array(ZId).min(1).max(5),
    name: text(50),
    displayName: text(64),
    phone: ZMobile,
    skills: z.array(ZSkill).max(SKILLS.length).default([]),
    counsellingQualification: z.object({ title: text(100), issuer: text(100), issuedOn: ZDate }).optional(),
    availability: z
      .object({
        periods: z.array(z.enum(['weekdays', 'weekends', 'summer_holiday', 'winter_holiday', 'festivals'])).max(5),
        note: z.string().trim().max(200).optional(),
      })
      .default({ periods: [] }),
    /** The volunteer's own platform account (token `sub`): lets them apply to events and fetch their certificate. */
    userId: text(128).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.skills.includes('counselling') && !v.counsellingQualification)
      ctx.addIssue({
        code: 'custom',
        path: ['counsellingQualification'],
        message: 'counselling requires a qualification record / 心理辅导须登记资质',
      });
    if (new Set(v.skills).size !== v.skills.length)
      ctx.addIssue({ code: 'custom', path: ['skills'], message: 'a skill listed twice / 技能重复' });
  });

export const ZClearanceInput = z.object({
  /** e.g. 无犯罪记录证明 (no_criminal_record), 从业查询结果 (employment_check). */
  documentType: z.enum(['no_criminal_record', 'employment_check', 'other']),
  /** Sealed at rest; never returned, logged or published (the organisation sees its last 4 characters). */
  number: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9()（）〔〕[\]第号字-]{4,40}$/, 'a certificate number of 4–40 letters or digits'),
  issuedOn: ZDate,
  expiresOn: ZDate,
});

export const ZTrainingInput = z.object({ completedOn: ZDate, provider: text(100).optional() });

const ZVenue = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('home'), facilityId: ZId }),
  z.object({ kind: z.literal('school'), name: text(100), regionCode: ZLocalRegion }),
  z.object({ kind: z.literal('address'), address: text(200), regionCode: ZLocalRegion }),
]);

export const ZEventInput = z
  .object({
    organisationId: ZId,
    kind: z.enum(EVENT_KINDS),
    title: text(100),
    description: z.string().trim().max(2000).optional(),
    startsOn: ZDate,
    endsOn: ZDate,
    venue: ZVenue,
    capacity: z.number().int().min(1, 'capacity is at least 1 / 名额至少为1').max(10_000),
    roles: z
      .array(
        z.object({
          name: text(50),
          slots: z.number().int().min(1).max(1000),
          requiredSkills: z.array(ZSkill).max(SKILLS.length).default([]),
        }),
      )
      .max(20)
      .default([]),
    eligibility: z
      .object({
        regionPrefixes: z.array(ZRegionCode).max(50).default([]),
        categories: z
          .array(z.enum(['left_behind', 'in_difficulty']))
          .max(2)
          .default([]),
        minAge: z.number().int().min(0).max(18).optional(),
        maxAge: z.number().int().min(0).max(18).optional(),
      })
      .default({ regionPrefixes: [], categories: [] }),
    registration: z.object({ opensOn: ZDate, closesOn: ZDate }),
    /** Children take part: every volunteer needs a valid clearance and training. */
    involvesChildren: z.boolean().default(true),
  })
  .superRefine((e, ctx) => {
    if (e.endsOn < e.startsOn)
      ctx.addIssue({
        code: 'custom',
        path: ['endsOn'],
        message: 'the event ends before it starts / 结束日期早于开始日期',
      });
    if (e.registration.closesOn < e.registration.opensOn)
      ctx.addIssue({
        code: 'custom',
        path: ['registration', 'closesOn'],
        message: 'registration closes before it opens / 报名截止早于开始',
      });
    if (e.registration.closesOn > e.endsOn)
      ctx.addIssue({
        code: 'custom',
        path: ['registration', 'closesOn'],
        message: 'registration closes after the event ends / 报名截止晚于活动结束',
      });
    const { minAge, maxAge } = e.eligibility;
    if (minAge !== undefined && maxAge !== undefined && minAge > maxAge)
      ctx.addIssue({
        code: 'custom',
        path: ['eligibility', 'maxAge'],
        message: 'maxAge below minAge / 年龄上限低于下限',
      });
  });

export const ZReason = z.object({ reason: text(200) });
