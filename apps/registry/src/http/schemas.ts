/**
 * Request and response schemas of the registry API. Requests use the validating value types of
 * `@tongxin/contracts/values` (ID checksum, known village codes, mobile numbers); responses mask
 * ID numbers and phones unless the caller's role may see them.
 */
import {
  ZCaseType,
  ZChildCategory,
  ZDepartment,
  ZDifficultyType,
  ZGuardianKind,
  ZGuardianRelation,
  ZSchoolingStatus,
  ZSex,
} from '@tongxin/contracts/registry';
import { ZMobile, ZRegionCode, ZVillageCode, residentIdSchema } from '@tongxin/contracts/values';
import { z } from 'zod';

export { ZDepartment, ZSchoolingStatus, ZSex };
export const ZIsoDate = z.iso.date();
export const ZParentStatus = z.enum([
  'migrant_worker',
  'at_home',
  'unable_to_guard',
  'deceased',
  'missing',
  'imprisoned',
  'in_drug_rehabilitation',
]);
export const ZGuardianCapacity = z.enum(['capable', 'limited', 'incapable']);
export const ZAssistance = z.enum([
  'dibao',
  'tekun',
  'temporary',
  'medical',
  'orphan_allowance',
  'unsupported_child_allowance',
  'disability_allowance',
  'education',
  'other',
]);

/** Validated today (no future birth dates); the service's clock is not reachable from a schema. */
const ZIdNumber = residentIdSchema();

export const ZParentInput = z.object({
  relation: z.enum(['father', 'mother']),
  name: z.string().trim().min(1).max(32).optional(),
  idNumber: ZIdNumber.optional(),
  phone: ZMobile.optional(),
  status: ZParentStatus,
  workPlace: z.string().trim().max(100).optional(),
});

export const ZGuardianInput = z.object({
  kind: ZGuardianKind,
  name: z.string().trim().min(1).max(32),
  relation: ZGuardianRelation,
  phone: ZMobile.optional(),
  capacity: ZGuardianCapacity,
});

export const ZHealthInput = z.discriminatedUnion('status', [
  z.object({ status: z.literal('healthy') }),
  z.object({
    status: z.literal('disability'),
    disabilityCategory: z.enum(['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple']),
    disabilityGrade: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  }),
  z.object({ status: z.literal('illness'), seriousIllness: z.boolean() }),
]);

export const ZChildFields = z.object({
  name: z.string().trim().min(1).max(32),
  sex: ZSex,
  birthDate: ZIsoDate,
  ethnicity: z.string().trim().min(1).max(16).default('汉族'),
  idNumber: ZIdNumber.optional(),
  hukou: z.object({
    status: z.enum(['registered', 'not_registered', 'in_progress']),
    kind: z.enum(['rural', 'urban']),
    placeCode: ZRegionCode.optional(),
  }),
  regionCode: ZVillageCode,
  address: z.string().trim().max(200).default(''),
  schooling: z.object({
    status: ZSchoolingStatus,
    school: z.string().trim().max(100).optional(),
    grade: z.string().trim().max(20).optional(),
  }),
  health: ZHealthInput.default({ status: 'healthy' }),
  parents: z.array(ZParentInput).max(2).default([]),
  guardian: ZGuardianInput.optional(),
  supervision: z.enum(['supervised', 'unsupervised']),
  assistance: z.array(ZAssistance).max(9).default([]),
  purpose: z.string().max(200).optional(),
});

/** Birth date and sex written in an 18-character ID number. */
export function idFacts(id: string): { birthDate: string; sex: 'female' | 'male' } {
  return {
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: Number(id.charAt(16)) % 2 === 1 ? 'male' : 'female',
  };
}

export const ZChildInput = ZChildFields.superRefine((child, ctx) => {
  if (child.idNumber && idFacts(child.idNumber).birthDate !== child.birthDate) {
    ctx.addIssue({
      code: 'custom',
      path: ['idNumber'],
      message: `the ID number's birth date differs from birthDate / 身份号码中的出生日期与出生日期不一致`,
    });
  }
  if (child.idNumber && idFacts(child.idNumber).sex !== child.sex) {
    ctx.addIssue({
      code: 'custom',
      path: ['idNumber'],
      message: `the ID number's sex differs from sex / 身份号码中的性别与性别不一致`,
    });
  }
  const relations = child.parents.map((p) => p.relation);
  if (new Set(relations).size !== relations.length) {
    ctx.addIssue({ code: 'custom', path: ['parents'], message: 'one father and one mother at most / 父母各一' });
  }
});
export type ChildInput = z.output<typeof ZChildInput>;

/** A partial change of facts: any top-level group may be replaced. */
export const ZChildChange = z.object({
  expectedSequence: z.number().int().min(0),
  name: z.string().trim().min(1).max(32).optional(),
  ethnicity: z.string().trim().min(1).max(16).optional(),
  idNumber: ZIdNumber.optional(),
  hukou: ZChildFields.shape.hukou.optional(),
  regionCode: ZVillageCode.optional(),
  address: z.string().trim().max(200).optional(),
  schooling: ZChildFields.shape.schooling.optional(),
  health: ZHealthInput.optional(),
  parents: z.array(ZParentInput).max(2).optional(),
  guardian: ZGuardianInput.optional(),
  supervision: z.enum(['supervised', 'unsupervised']).optional(),
  assistance: z.array(ZAssistance).max(9).optional(),
  purpose: z.string().max(200).optional(),
});

export const ZExplanation = z.object({ rule: z.string(), met: z.boolean(), en: z.string(), zh: z.string() });

export const ZChildView = z.object({
  id: z.string(),
  sequence: z.number(),
  name: z.string(),
  sex: ZSex,
  birthDate: z.string(),
  age: z.number(),
  ethnicity: z.string(),
  /** Masked (430626********123X) unless the role may see it and asked to (`?reveal=idNumber`). */
  idNumber: z.string().optional(),
  hukou: z.object({ status: z.string(), kind: z.string(), placeCode: z.string().optional() }),
  regionCode: z.string(),
  regionName: z.string().optional(),
  address: z.string(),
  schooling: z.object({ status: z.string(), school: z.string().optional(), grade: z.string().optional() }),
  health: z.record(z.string(), z.unknown()),
  parents: z.array(
    z.object({
      relation: z.string(),
      name: z.string().optional(),
      idNumber: z.string().optional(),
      phone: z.string().optional(),
      status: z.string(),
      workPlace: z.string().optional(),
    }),
  ),
  guardian: z
    .object({
      kind: z.string(),
      name: z.string(),
      relation: z.string(),
      phone: z.string().optional(),
      capacity: z.string(),
    })
    .optional(),
  supervision: z.string(),
  assistance: z.array(z.string()),
  categories: z.array(ZChildCategory),
  difficultyTypes: z.array(ZDifficultyType),
  rulesVersion: z.string(),
  explanation: z.array(ZExplanation),
  reviewOn: z.string().optional(),
  status: z.enum(['active', 'exited']),
  exitReason: z.string().optional(),
  exitedOn: z.string().optional(),
  factSources: z.record(z.string(), z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ZChildSummary = ZChildView.pick({
  id: true,
  name: true,
  sex: true,
  birthDate: true,
  age: true,
  idNumber: true,
  regionCode: true,
  regionName: true,
  categories: true,
  difficultyTypes: true,
  supervision: true,
  status: true,
}).extend({ schoolingStatus: z.string() });

export const ZCaseView = z.object({
  id: z.string(),
  sequence: z.number(),
  childId: z.string(),
  caseType: ZCaseType,
  caseTypeZh: z.string(),
  regionCode: z.string(),
  ownerDepartment: z.string(),
  ownerUser: z.string(),
  status: z.string(),
  openedAt: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
  resolvedAt: z.string().optional(),
  closedAt: z.string().optional(),
  outcome: z.string().optional(),
  reportId: z.string().optional(),
  actions: z.array(z.object({ at: z.string(), by: z.string(), note: z.string() })),
});

export const ZReportView = z.object({
  id: z.string(),
  sequence: z.number(),
  regionCode: z.string(),
  reporterKind: z.string(),
  reporterOrganisation: z.string(),
  reporterContact: z.string().optional(),
  narrative: z.string(),
  childName: z.string().optional(),
  status: z.string(),
  receivedAt: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
  acknowledgedAt: z.string().optional(),
  childId: z.string().optional(),
  caseId: z.string().optional(),
  dismissal: z.object({ reason: z.string(), note: z.string().optional() }).optional(),
});

export const ZPage = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });

export const ZPaging = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};
