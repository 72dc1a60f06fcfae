/**
 * Casework (pure): the case types of the document, their workflow and time limits, and the effect
 * a resolved case has on the child. Mandatory reports (强制报告) and their acknowledgement limit.
 */
import type { CaseType, ZCaseOutcome, ZCaseStatus } from '@tongxin/contracts/registry';
import type { z } from 'zod';

export type CaseStatus = z.infer<typeof ZCaseStatus>;
export type CaseOutcome = z.infer<typeof ZCaseOutcome>;

/** The outcome that resolving a case of each type means. */
export const RESOLUTION_OUTCOME: Record<CaseType, CaseOutcome> = {
  guardian_assignment: 'guardian_assigned',
  return_to_school: 'returned_to_school',
  hukou_registration: 'hukou_registered',
  rights_protection: 'rights_protected',
  temporary_care: 'care_provided',
  parent_education: 'parents_educated',
  social_assistance_referral: 'assistance_granted',
};

/** Outcomes with which a case may be closed without being resolved. */
export const CLOSING_OUTCOMES: readonly CaseOutcome[] = [
  'referred_elsewhere',
  'not_substantiated',
  'child_exited',
  'other',
];

/** Default time limits in days, per case type (configurable: CASE_TIME_LIMITS). */
export const DEFAULT_CASE_DAYS: Record<CaseType, number> = {
  guardian_assignment: 7, // an unsupervised child gets a guardian within a week
  return_to_school: 30,
  hukou_registration: 60,
  rights_protection: 15,
  temporary_care: 3,
  parent_education: 30,
  social_assistance_referral: 30,
};

/** Default hours to acknowledge a mandatory report (configurable: REPORT_ACK_HOURS). */
export const DEFAULT_REPORT_ACK_HOURS = 24;

export const CASE_TYPE_TEXT: Record<CaseType, { zh: string; en: string }> = {
  guardian_assignment: { zh: '无人监护儿童落实监护人', en: 'guardian assignment for an unsupervised child' },
  return_to_school: { zh: '辍学儿童返校复学', en: 'return to school' },
  hukou_registration: { zh: '无户籍儿童登记户口', en: 'household registration (hukou)' },
  rights_protection: { zh: '侵权事件处置', en: 'rights protection' },
  temporary_care: { zh: '临时照料', en: 'temporary care' },
  parent_education: { zh: '失职父母批评教育', en: 'education of negligent parents' },
  social_assistance_referral: { zh: '转介社会救助', en: 'referral to social assistance' },
};

export class WorkflowError extends Error {
  constructor(
    readonly code: string,
    readonly en: string,
    readonly zh: string,
  ) {
    super(en);
  }
}

export function dueAt(openedAt: Date, days: number): Date {
  return new Date(openedAt.getTime() + days * 86_400_000);
}

/** Checks a transition; throws WorkflowError naming why not. */
export function assertCaseTransition(
  status: CaseStatus,
  action: 'progress' | 'resolve' | 'close',
  caseType: CaseType,
  outcome?: CaseOutcome,
): void {
  if (status === 'closed') {
    throw new WorkflowError('case_closed', 'the case is closed', '案件已结案，不能再操作');
  }
  if (action === 'progress' && status === 'resolved') {
    throw new WorkflowError('case_resolved', 'the case is resolved; close it or open a new one', '案件已办结');
  }
  if (action === 'resolve') {
    if (status === 'resolved') throw new WorkflowError('case_resolved', 'the case is already resolved', '案件已办结');
    if (outcome && outcome !== RESOLUTION_OUTCOME[caseType]) {
      throw new WorkflowError(
        'wrong_outcome',
        `a ${caseType} case resolves with ${RESOLUTION_OUTCOME[caseType]}`,
        `该类案件的办结结果应为 ${RESOLUTION_OUTCOME[caseType]}`,
      );
    }
  }
  if (action === 'close' && status !== 'resolved' && outcome && !CLOSING_OUTCOMES.includes(outcome)) {
    throw new WorkflowError(
      'wrong_outcome',
      `an unresolved case closes with one of ${CLOSING_OUTCOMES.join(', ')}`,
      `未办结的案件结案结果只能是：${CLOSING_OUTCOMES.join('、')}`,
    );
  }
}

export function isOverdue(item: { status: string; dueAt: Date }, now: Date, openStatuses: readonly string[]): boolean {
  return openStatuses.includes(item.status) && item.dueAt.getTime() < now.getTime();
}
