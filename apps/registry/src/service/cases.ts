/**
 * Cases and mandatory reports. A case's effect on its child (resolving a guardian assignment sets
 * the guardian and supervision) is a second aggregate's write: the case stores the effect as
 * `pendingChildEffect` in the same write that resolves it, the child applies it idempotently (it
 * remembers the case id), and the flag is cleared afterwards. `settlePendingEffects()` finishes any
 * effect a crash interrupted — no multi-document transaction needed.
 */
import { commit, commitNew, type CommitContext } from '@tongxin/bus';
import { draft, newEventId } from '@tongxin/contracts';
import {
  CaseClosed,
  CaseOpened,
  CaseProgressed,
  CaseResolved,
  ReportAcknowledged,
  ReportDismissed,
  ReportLinked,
  ReportReceived,
  type CaseSnapshot,
  type CaseType,
  type ReportSnapshot,
} from '@tongxin/contracts/registry';

import type { ChildFacts, Guardian, HukouKind, Schooling } from '../domain/child.js';
import {
  assertCaseTransition,
  DEFAULT_CASE_DAYS,
  DEFAULT_REPORT_ACK_HOURS,
  dueAt,
  RESOLUTION_OUTCOME,
  WorkflowError,
  type CaseOutcome,
} from '../domain/cases.js';
import type { Sealer } from '@tongxin/service-kit';
import type { CaseDoc, ChildDoc, RegistryModels, ReportDoc } from '../persistence/models.js';
import { DomainProblem } from '@tongxin/contracts/problems';
import { maskPhone, type Children } from './children.js';

/** What resolving a case changes on the child. Guardian phone is sealed at rest in the case. */
export type ChildEffect =
  | { kind: 'guardian'; guardian: Omit<Guardian, 'phone'> & { phoneSealed?: string } }
  | { kind: 'schooling'; schooling: Schooling }
  | { kind: 'hukou'; placeCode?: string; hukouKind?: HukouKind };

export interface Resolution {
  guardian?: Guardian;
  schooling?: Schooling;
  hukou?: { placeCode?: string; kind?: HukouKind };
}

export interface CasesDeps {
  models: RegistryModels;
  sealer: Sealer;
  children: Children;
  now: () => Date;
  caseDays?: Partial<Record<CaseType, number>>;
  reportAckHours?: number;
}

export function caseSnapshot(doc: CaseDoc): CaseSnapshot {
  return {
    caseId: doc._id,
    childId: doc.childId,
    caseType: doc.caseType as CaseType,
    regionCode: doc.regionCode,
    ownerDepartment: doc.ownerDepartment as CaseSnapshot['ownerDepartment'],
    status: doc.status,
    openedAt: doc.openedAt.toISOString(),
    dueAt: doc.dueAt.toISOString(),
    ...(doc.resolvedAt ? { resolvedAt: doc.resolvedAt.toISOString() } : {}),
    ...(doc.closedAt ? { closedAt: doc.closedAt.toISOString() } : {}),
    ...(doc.outcome ? { outcome: doc.outcome } : {}),
    ...(doc.reportId ? { reportId: doc.reportId } : {}),
  };
}

export function reportSnapshot(doc: ReportDoc): ReportSnapshot {
  return {
    reportId: doc._id,
    regionCode: doc.regionCode,
    reporterKind: doc.reporterKind as ReportSnapshot['reporterKind'],
    status: doc.status,
    receivedAt: doc.receivedAt.toISOString(),
    dueAt: doc.dueAt.toISOString(),
    ...(doc.acknowledgedAt ? { acknowledgedAt: doc.acknowledgedAt.toISOString() } : {}),
    ...(doc.childId ? { childId: doc.childId } : {}),
    ...(doc.caseId ? { caseId: doc.caseId } : {}),
  };
}

const workflow = (error: WorkflowError) => new DomainProblem(error.code, error.en, error.zh);

export function createCases(deps: CasesDeps) {
  const { models, sealer, children, now } = deps;
  const { Cases, Children, Reports } = models;
  const context = (correlationId?: string): CommitContext => ({
    source: 'registry',
    now,
    ...(correlationId ? { correlationId } : {}),
  });
  const days = (type: CaseType) => deps.caseDays?.[type] ?? DEFAULT_CASE_DAYS[type];

  async function load(caseId: string): Promise<CaseDoc> {
    const doc = await Cases.findById(caseId).lean<CaseDoc>();
    if (!doc) throw new DomainProblem('not_found', 'no such case', '未找到该案件');
    return doc;
  }

  async function open(input: {
    childId: string;
    caseType: CaseType;
    ownerDepartment: string;
    ownerUser: string;
    actor: string;
    note?: string;
    reportId?: string;
    correlationId?: string;
  }): Promise<CaseDoc> {
    const child = await Children.findById(input.childId).lean<ChildDoc>();
    if (!child) throw new DomainProblem('not_found', 'no such child', '未找到该儿童');
    if (child.status === 'exited')
      throw new DomainProblem('child_exited', 'the child has left the register', '该儿童已退出台账');
    const openedAt = now();
    const id = newEventId();
    const doc: CaseDoc = {
      _id: id,
      childId: child._id,
      caseType: input.caseType,
      regionCode: child.regionCode,
      ownerDepartment: input.ownerDepartment,
      ownerUser: input.ownerUser,
      status: 'opened',
      openedAt,
      dueAt: dueAt(openedAt, days(input.caseType)),
      actions: input.note ? [{ at: openedAt, by: input.actor, note: input.note }] : [],
      createdBy: input.actor,
      ...(input.reportId ? { reportId: input.reportId } : {}),
      sequence: 0,
      outbox: [],
      outboxPending: false,
    };
    const { sequence: _s, outbox: _o, outboxPending: _p, _id, ...state } = doc;
    return commitNew(Cases, {
      id,
      state: state as never,
      events: [draft(CaseOpened, caseSnapshot(doc))],
      context: context(input.correlationId),
    });
  }

  async function progress(caseId: string, actor: string, note: string, correlationId?: string): Promise<CaseDoc> {
    const doc = await load(caseId);
    try {
      assertCaseTransition(doc.status, 'progress', doc.caseType as CaseType);
    } catch (error) {
      throw error instanceof WorkflowError ? workflow(error) : error;
    }
    const at = now();
    const next = { ...doc, status: 'in_progress' as const };
    return commit(Cases, {
      id: caseId,
      expectedSequence: doc.sequence,
      update: { $set: { status: 'in_progress' }, $push: { actions: { at, by: actor, note } } },
      events: [draft(CaseProgressed, { ...caseSnapshot(next), progressedAt: at.toISOString() })],
      context: context(correlationId),
    });
  }

  function effectOf(caseType: CaseType, resolution: Resolution): ChildEffect | undefined {
    switch (caseType) {
      case 'guardian_assignment': {
        if (!resolution.guardian) {
          throw new DomainProblem(
            'guardian_required',
            'resolving a guardian assignment needs the guardian',
            '落实监护人的案件办结时须填写监护人信息',
          );
        }
        const { phone, ...guardian } = resolution.guardian;
        return { kind: 'guardian', guardian: { ...guardian, ...(phone ? { phoneSealed: sealer.seal(phone) } : {}) } };
      }
      case 'return_to_school':
        return { kind: 'schooling', schooling: resolution.schooling ?? { status: 'returned' } };
      case 'hukou_registration':
        return {
          kind: 'hukou',
          ...(resolution.hukou?.placeCode ? { placeCode: resolution.hukou.placeCode } : {}),
          ...(resolution.hukou?.kind ? { hukouKind: resolution.hukou.kind } : {}),
        };
      default:
        return undefined;
    }
  }

  function applyEffect(facts: ChildFacts, effect: ChildEffect): ChildFacts {
    switch (effect.kind) {
      case 'guardian': {
        const { phoneSealed, ...guardian } = effect.guardian;
        facts.guardian = { ...guardian, ...(phoneSealed ? { phone: sealer.open(phoneSealed) } : {}) };
        facts.supervision = guardian.capacity === 'incapable' ? 'unsupervised' : 'supervised';
        return facts;
      }
      case 'schooling':
        facts.schooling = { ...facts.schooling, ...effect.schooling };
        return facts;
      case 'hukou':
        facts.hukou = {
          ...facts.hukou,
          status: 'registered',
          ...(effect.placeCode ? { placeCode: effect.placeCode } : {}),
          ...(effect.hukouKind ? { kind: effect.hukouKind } : {}),
        };
        return facts;
    }
  }

  /** Applies a resolved case's effect to its child (idempotent), then clears the flag. */
  async function settle(doc: CaseDoc, correlationId?: string): Promise<void> {
    if (!doc.pendingChildEffect) return;
    const effect = doc.pendingChildEffect as unknown as ChildEffect;
    try {
      await children.change(doc.childId, (facts) => applyEffect(facts, effect), {
        caseId: doc._id,
        ...(correlationId ? { correlationId } : {}),
      });
    } catch (error) {
      // The child left the register meanwhile: nothing to apply.
      if (!(error instanceof DomainProblem && error.code === 'child_exited')) throw error;
    }
    await Cases.updateOne({ _id: doc._id }, { $unset: { pendingChildEffect: '' } });
  }

  async function resolve(
    caseId: string,
    actor: string,
    input: { note?: string; resolution?: Resolution; correlationId?: string },
  ): Promise<CaseDoc> {
    const doc = await load(caseId);
    const caseType = doc.caseType as CaseType;
    try {
      assertCaseTransition(doc.status, 'resolve', caseType);
    } catch (error) {
      throw error instanceof WorkflowError ? workflow(error) : error;
    }
    const effect = effectOf(caseType, input.resolution ?? {});
    const at = now();
    const outcome: CaseOutcome = RESOLUTION_OUTCOME[caseType];
    const next: CaseDoc = { ...doc, status: 'resolved', resolvedAt: at, outcome };
    const $set: Record<string, unknown> = { status: 'resolved', resolvedAt: at, outcome };
    if (effect) $set.pendingChildEffect = effect;
    const resolved = await commit(Cases, {
      id: caseId,
      expectedSequence: doc.sequence,
      update: {
        $set,
        ...(input.note ? { $push: { actions: { at, by: actor, note: input.note } } } : {}),
      } as never,
      events: [draft(CaseResolved, { ...caseSnapshot(next), resolvedAt: at.toISOString(), outcome })],
      context: context(input.correlationId),
    });
    await settle(resolved, input.correlationId);
    return (await Cases.findById(caseId).lean<CaseDoc>()) ?? resolved;
  }

  async function close(
    caseId: string,
    actor: string,
    input: { outcome?: CaseOutcome; note?: string; correlationId?: string },
  ): Promise<CaseDoc> {
    const doc = await load(caseId);
    const caseType = doc.caseType as CaseType;
    const outcome = doc.status === 'resolved' ? (doc.outcome ?? RESOLUTION_OUTCOME[caseType]) : input.outcome;
    if (!outcome) {
      throw new DomainProblem(
        'outcome_required',
        'closing an unresolved case needs an outcome',
        '未办结的案件结案须填写结案结果',
      );
    }
    try {
      assertCaseTransition(doc.status, 'close', caseType, outcome);
    } catch (error) {
      throw error instanceof WorkflowError ? workflow(error) : error;
    }
    const at = now();
    const next: CaseDoc = { ...doc, status: 'closed', closedAt: at, outcome };
    return commit(Cases, {
      id: caseId,
      expectedSequence: doc.sequence,
      update: {
        $set: { status: 'closed', closedAt: at, outcome },
        ...(input.note ? { $push: { actions: { at, by: actor, note: input.note } } } : {}),
      } as never,
      events: [draft(CaseClosed, { ...caseSnapshot(next), closedAt: at.toISOString(), outcome })],
      context: context(input.correlationId),
    });
  }

  /** Finishes the child effects of resolved cases that a crash interrupted. */
  async function settlePendingEffects(): Promise<number> {
    const pending = await Cases.find({ pendingChildEffect: { $exists: true } }).lean<CaseDoc[]>();
    for (const doc of pending) await settle(doc);
    return pending.length;
  }

  // ----- mandatory reports -----

  async function loadReport(reportId: string): Promise<ReportDoc> {
    const doc = await Reports.findById(reportId).lean<ReportDoc>();
    if (!doc) throw new DomainProblem('not_found', 'no such report', '未找到该报告');
    return doc;
  }

  async function receiveReport(input: {
    regionCode: string;
    reporterKind: string;
    reporterOrganisation: string;
    reporterContact?: string;
    narrative: string;
    childName?: string;
    actor: string;
    correlationId?: string;
  }): Promise<ReportDoc> {
    const receivedAt = now();
    const id = newEventId();
    const hours = deps.reportAckHours ?? DEFAULT_REPORT_ACK_HOURS;
    const state = {
      regionCode: input.regionCode,
      reporterKind: input.reporterKind,
      reporterOrganisation: input.reporterOrganisation,
      ...(input.reporterContact
        ? {
            reporterContactSealed: sealer.seal(input.reporterContact),
            reporterContactMasked: maskPhone(input.reporterContact),
          }
        : {}),
      narrative: input.narrative,
      ...(input.childName ? { childName: input.childName } : {}),
      status: 'received' as const,
      receivedAt,
      dueAt: new Date(receivedAt.getTime() + hours * 3_600_000),
      createdBy: input.actor,
    };
    const doc = { _id: id, ...state } as ReportDoc;
    return commitNew(Reports, {
      id,
      state: state as never,
      events: [draft(ReportReceived, reportSnapshot(doc))],
      context: context(input.correlationId),
    });
  }

  async function acknowledgeReport(reportId: string, actor: string, correlationId?: string): Promise<ReportDoc> {
    const doc = await loadReport(reportId);
    if (doc.status !== 'received') {
      throw new DomainProblem('report_not_received', `the report is already ${doc.status}`, '该报告已受理');
    }
    const at = now();
    const next: ReportDoc = { ...doc, status: 'acknowledged', acknowledgedAt: at };
    return commit(Reports, {
      id: reportId,
      expectedSequence: doc.sequence,
      update: { $set: { status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: actor } },
      events: [draft(ReportAcknowledged, { ...reportSnapshot(next), acknowledgedAt: at.toISOString() })],
      context: context(correlationId),
    });
  }

  /**
   * Links a report to a child (existing, or registered now by the caller) and optionally opens a
   * case for it. A report must be acknowledged first.
   */
  async function linkReport(
    reportId: string,
    input: {
      childId: string;
      actor: string;
      openCase?: { caseType: CaseType; ownerDepartment: string; ownerUser: string; note?: string };
      correlationId?: string;
    },
  ): Promise<{ report: ReportDoc; case?: CaseDoc }> {
    const doc = await loadReport(reportId);
    if (doc.status !== 'acknowledged') {
      throw new DomainProblem(
        'report_not_acknowledged',
        doc.status === 'received' ? 'acknowledge the report before linking it' : `the report is already ${doc.status}`,
        doc.status === 'received' ? '请先受理该报告' : '该报告已处理',
      );
    }
    const opened = input.openCase
      ? await open({
          childId: input.childId,
          ...input.openCase,
          actor: input.actor,
          reportId,
          ...(input.correlationId ? { correlationId: input.correlationId } : {}),
        })
      : undefined;
    const at = now();
    const next: ReportDoc = {
      ...doc,
      status: 'linked',
      childId: input.childId,
      ...(opened ? { caseId: opened._id } : {}),
    };
    const report = await commit(Reports, {
      id: reportId,
      expectedSequence: doc.sequence,
      update: { $set: { status: 'linked', childId: input.childId, ...(opened ? { caseId: opened._id } : {}) } },
      events: [draft(ReportLinked, { ...reportSnapshot(next), childId: input.childId, linkedAt: at.toISOString() })],
      context: context(input.correlationId),
    });
    return { report, ...(opened ? { case: opened } : {}) };
  }

  async function dismissReport(
    reportId: string,
    input: { reason: 'duplicate' | 'unfounded' | 'outside_jurisdiction' | 'other'; note?: string; actor: string },
  ): Promise<ReportDoc> {
    const doc = await loadReport(reportId);
    if (doc.status === 'linked' || doc.status === 'dismissed') {
      throw new DomainProblem('report_closed', `the report is already ${doc.status}`, '该报告已处理');
    }
    const at = now();
    const next: ReportDoc = { ...doc, status: 'dismissed' };
    return commit(Reports, {
      id: reportId,
      expectedSequence: doc.sequence,
      update: {
        $set: {
          status: 'dismissed',
          dismissal: { reason: input.reason, at, by: input.actor, ...(input.note ? { note: input.note } : {}) },
        },
      },
      events: [
        draft(ReportDismissed, { ...reportSnapshot(next), reason: input.reason, dismissedAt: at.toISOString() }),
      ],
      context: context(),
    });
  }

  return {
    open,
    progress,
    resolve,
    close,
    settlePendingEffects,
    receiveReport,
    acknowledgeReport,
    linkReport,
    dismissReport,
  };
}
export type Cases = ReturnType<typeof createCases>;
