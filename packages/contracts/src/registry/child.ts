/**
 * `registry.child.v1`: the life of a child on the register. Every event carries the child's
 * snapshot (event-carried state), so a projection keyed by childId applies any one event alone when
 * its envelope `sequence` is newer than the stored one. The snapshot is the minimum consumers need
 * (ARCHITECTURE §3): never the resident ID number, a phone number, health detail or parents' data.
 */
import { z } from 'zod';

import { defineEvent } from '../events.js';

import { ZEntityId, ZIsoDate, ZVillageCode } from './fields.js';

export const CHILD_TOPIC = 'registry.child.v1';

export const ZChildCategory = z.enum(['left_behind', 'in_difficulty']);
export type ChildCategory = z.infer<typeof ZChildCategory>;

/** Kinds of difficulty (困境儿童 types). A kind, never the diagnosis or disability detail behind it. */
export const ZDifficultyType = z.enum([
  'economic_hardship',
  'disability_or_illness',
  'orphan',
  'de_facto_unsupported',
  'parent_imprisoned',
  'parent_in_drug_rehabilitation',
  'other_lack_of_guardianship',
]);
export type DifficultyType = z.infer<typeof ZDifficultyType>;

export const ZSupervision = z.enum(['supervised', 'unsupervised']);
export const ZSchoolingStatus = z.enum([
  'enrolled',
  'boarding',
  'dropped_out',
  'returned',
  'not_school_age',
  'graduated',
]);
export const ZChildStatus = z.enum(['active', 'exited']);
export const ZSex = z.enum(['female', 'male']);

/** The child as every registry.child.v1 event carries it. */
export const ZChildSnapshot = z.object({
  childId: ZEntityId,
  name: z.string().min(1).max(64),
  sex: ZSex,
  birthDate: ZIsoDate,
  /** Where the child lives: village or residents' committee (12 digits). */
  regionCode: ZVillageCode,
  categories: z.array(ZChildCategory),
  /** Empty unless `categories` holds `in_difficulty`. */
  difficultyTypes: z.array(ZDifficultyType),
  supervision: ZSupervision,
  schooling: z.object({ status: ZSchoolingStatus }),
  status: ZChildStatus,
});
export type ChildSnapshot = z.infer<typeof ZChildSnapshot>;

export const ZChildRegisteredData = ZChildSnapshot;
export const ChildRegistered = defineEvent({
  type: 'registry.child.registered',
  version: 1,
  topic: CHILD_TOPIC,
  data: ZChildRegisteredData,
  description:
    'A child was put on the register. Carries the snapshot; categories follow in registry.child.categorised.',
});

/** Snapshot fields a `registry.child.updated` event may name as changed. */
export const ZChildField = z.enum(['name', 'sex', 'birthDate', 'regionCode', 'supervision', 'schooling']);

export const ZChildUpdatedData = ZChildSnapshot.extend({
  /** Which snapshot fields this update changed (facts outside the snapshot are not announced). */
  changedFields: z.array(ZChildField),
});
export const ChildUpdated = defineEvent({
  type: 'registry.child.updated',
  version: 1,
  topic: CHILD_TOPIC,
  data: ZChildUpdatedData,
  description: 'Facts of a child that consumers see changed (name, residence, supervision, schooling…).',
});

/**
 * One rule of the eligibility rules and whether it held. Rule ids are codes such as
 * `left_behind.under_16` or `in_difficulty.economic_hardship`: an explanation a consumer can show,
 * with no free text that could carry health detail.
 */
export const ZCategoryReason = z.object({
  rule: z.string().regex(/^[a-z_]+(\.[a-z0-9_]+)+$/, 'a rule id such as "left_behind.under_16"'),
  met: z.boolean(),
});

export const ZChildCategorisedData = ZChildSnapshot.extend({
  previousCategories: z.array(ZChildCategory),
  previousDifficultyTypes: z.array(ZDifficultyType),
  /** Version of the eligibility rules that decided, e.g. "2025.1". */
  rulesVersion: z.string().min(1).max(32),
  /** The date the decision takes effect (e.g. the 16th birthday when a child ages out of left_behind). */
  effectiveOn: ZIsoDate,
  explanation: z.array(ZCategoryReason),
});
export const ChildCategorised = defineEvent({
  type: 'registry.child.categorised',
  version: 1,
  topic: CHILD_TOPIC,
  data: ZChildCategorisedData,
  description:
    'The eligibility rules (re)computed the categories of a child (left_behind, in_difficulty + types), with the rule codes that decided.',
});

export const ZGuardianKind = z.enum(['parent', 'grandparent', 'other_relative', 'entrusted_person', 'institution']);
export const ZGuardianRelation = z.enum([
  'father',
  'mother',
  'paternal_grandfather',
  'paternal_grandmother',
  'maternal_grandfather',
  'maternal_grandmother',
  'sibling',
  'uncle_or_aunt',
  'other_relative',
  'neighbour',
  'village_cadre',
  'teacher',
  'welfare_institution',
  'other',
]);

export const ZChildGuardianAssignedData = ZChildSnapshot.extend({
  /** Kind and relation only: never the guardian's name, ID number or phone. */
  guardian: z.object({ kind: ZGuardianKind, relation: ZGuardianRelation }),
  assignedOn: ZIsoDate,
  /** The guardian-assignment case that led to it, when there was one. */
  caseId: ZEntityId.optional(),
});
export const ChildGuardianAssigned = defineEvent({
  type: 'registry.child.guardian_assigned',
  version: 1,
  topic: CHILD_TOPIC,
  data: ZChildGuardianAssignedData,
  description: 'A guardian (kind and relation only) now looks after the child; supervision in the snapshot follows.',
});

export const ZChildExitReason = z.enum(['aged_out', 'parents_returned', 'moved_away', 'deceased', 'other']);

export const ZChildExitedData = ZChildSnapshot.extend({
  reason: ZChildExitReason,
  exitedOn: ZIsoDate,
});
export const ChildExited = defineEvent({
  type: 'registry.child.exited',
  version: 1,
  topic: CHILD_TOPIC,
  data: ZChildExitedData,
  description:
    'The child left the register (aged out, parents returned, moved away, deceased, other); status becomes exited.',
});

export const childEvents = [
  ChildRegistered,
  ChildUpdated,
  ChildCategorised,
  ChildGuardianAssigned,
  ChildExited,
] as const;
