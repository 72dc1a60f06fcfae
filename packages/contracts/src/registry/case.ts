/**
 * `registry.case.v1`: casework for one child (guardian assignment, return to school, hukou…).
 * Every event carries the case snapshot; outcomes are codes, never a narrative (the action log and
 * its notes stay in the registry).
 */
import { z } from 'zod';

import { defineEvent } from '../events.js';

import { ZEntityId, ZIsoDateTime, ZRegionCode } from './fields.js';

export const CASE_TOPIC = 'registry.case.v1';

export const ZCaseType = z.enum([
  'guardian_assignment',
  'return_to_school',
  'hukou_registration',
  'rights_protection',
  'temporary_care',
  'parent_education',
  'social_assistance_referral',
]);
export type CaseType = z.infer<typeof ZCaseType>;

export const ZDepartment = z.enum([
  'civil_affairs',
  'education',
  'public_security',
  'women_federation',
  'youth_league',
  'health',
  'justice',
  'other',
]);
export const ZCaseStatus = z.enum(['opened', 'in_progress', 'resolved', 'closed']);

/** What came of a case, as a code. */
export const ZCaseOutcome = z.enum([
  'guardian_assigned',
  'returned_to_school',
  'hukou_registered',
  'rights_protected',
  'care_provided',
  'parents_educated',
  'assistance_granted',
  'referred_elsewhere',
  'not_substantiated',
  'child_exited',
  'other',
]);

export const ZCaseSnapshot = z.object({
  caseId: ZEntityId,
  childId: ZEntityId,
  caseType: ZCaseType,
  /** The child's region when the case was opened (12 digits), or the township/county handling it. */
  regionCode: ZRegionCode,
  ownerDepartment: ZDepartment,
  status: ZCaseStatus,
  openedAt: ZIsoDateTime,
  dueAt: ZIsoDateTime,
  resolvedAt: ZIsoDateTime.optional(),
  closedAt: ZIsoDateTime.optional(),
  outcome: ZCaseOutcome.optional(),
  /** The mandatory report the case came from, when it did. */
  reportId: ZEntityId.optional(),
});
export type CaseSnapshot = z.infer<typeof ZCaseSnapshot>;

export const ZCaseOpenedData = ZCaseSnapshot;
export const CaseOpened = defineEvent({
  type: 'registry.case.opened',
  version: 1,
  topic: CASE_TOPIC,
  data: ZCaseOpenedData,
  description: 'A case was opened for a child, with its owner department and due date.',
});

export const ZCaseProgressedData = ZCaseSnapshot.extend({ progressedAt: ZIsoDateTime });
export const CaseProgressed = defineEvent({
  type: 'registry.case.progressed',
  version: 1,
  topic: CASE_TOPIC,
  data: ZCaseProgressedData,
  description: 'Work on a case was logged (status in_progress); the action itself stays in the registry.',
});

export const ZCaseResolvedData = ZCaseSnapshot.extend({ resolvedAt: ZIsoDateTime, outcome: ZCaseOutcome });
export const CaseResolved = defineEvent({
  type: 'registry.case.resolved',
  version: 1,
  topic: CASE_TOPIC,
  data: ZCaseResolvedData,
  description: 'A case reached its outcome (e.g. guardian_assigned, returned_to_school).',
});

export const ZCaseClosedData = ZCaseSnapshot.extend({ closedAt: ZIsoDateTime, outcome: ZCaseOutcome });
export const CaseClosed = defineEvent({
  type: 'registry.case.closed',
  version: 1,
  topic: CASE_TOPIC,
  data: ZCaseClosedData,
  description: 'A case was closed (after resolution, or without one, with its outcome code).',
});

export const caseEvents = [CaseOpened, CaseProgressed, CaseResolved, CaseClosed] as const;
