/** Routes of casework and mandatory reports (强制报告). */
import { assertInScope, defineRoute, regionFilter, type Principal } from '@tongxin/service-kit';
import { ZCaseOutcome, ZCaseType, ZDismissalReason, ZReporterKind } from '@tongxin/contracts/registry';
import { ZMobile, ZRegionCode } from '@tongxin/contracts/values';
import { z } from 'zod';

import { CASE_TYPE_TEXT, isOverdue } from '../domain/cases.js';
import type { CaseDoc, ReportDoc } from '../persistence/models.js';
import { childView, factsFromInput, OFFICERS } from './children-routes.js';
import type { RegistryContext } from './context.js';
import { DomainProblem } from '@tongxin/contracts/problems';
import { findPage } from '../persistence/find-page.js';
import {
  ZCaseView,
  ZChildInput,
  ZChildView,
  ZDepartment,
  ZGuardianInput,
  ZPage,
  ZPaging,
  ZReportView,
} from './schemas.js';

/** Case workers: officers, and department clerks for the cases their department owns. */
const CASE_WORKERS = [...OFFICERS, 'department_clerk'] as const;
const OPEN_CASE = ['opened', 'in_progress'];
const OPEN_REPORT = ['received'];

function caseView(doc: CaseDoc, now: Date): z.input<typeof ZCaseView> {
  return {
    id: doc._id,
    sequence: doc.sequence,
    childId: doc.childId,
    caseType: doc.caseType as z.input<typeof ZCaseType>,
    caseTypeZh: CASE_TYPE_TEXT[doc.caseType as z.infer<typeof ZCaseType>]?.zh ?? doc.caseType,
    regionCode: doc.regionCode,
    ownerDepartment: doc.ownerDepartment,
    ownerUser: doc.ownerUser,
    status: doc.status,
    openedAt: doc.openedAt.toISOString(),
    dueAt: doc.dueAt.toISOString(),
    overdue: isOverdue(doc, now, OPEN_CASE),
    ...(doc.resolvedAt ? { resolvedAt: doc.resolvedAt.toISOString() } : {}),
    ...(doc.closedAt ? { closedAt: doc.closedAt.toISOString() } : {}),
    ...(doc.outcome ? { outcome: doc.outcome } : {}),
    ...(doc.reportId ? { reportId: doc.reportId } : {}),
    actions: doc.actions.map((a) => ({ at: new Date(a.at).toISOString(), by: a.by, note: a.note })),
  };
}

function reportView(doc: ReportDoc, now: Date): z.input<typeof ZReportView> {
  return {
    id: doc._id,
    sequence: doc.sequence,
    regionCode: doc.regionCode,
    reporterKind: doc.reporterKind,
    reporterOrganisation: doc.reporterOrganisation,
    ...(doc.reporterContactMasked ? { reporterContact: doc.reporterContactMasked } : {}),
    narrative: doc.narrative,
    ...(doc.childName ? { childName: doc.childName } : {}),
    status: doc.status,
    receivedAt: doc.receivedAt.toISOString(),
    dueAt: doc.dueAt.toISOString(),
    overdue: isOverdue(doc, now, OPEN_REPORT),
    ...(doc.acknowledgedAt ? { acknowledgedAt: doc.acknowledgedAt.toISOString() } : {}),
    ...(doc.childId ? { childId: doc.childId } : {}),
    ...(doc.caseId ? { caseId: doc.caseId } : {}),
    ...(doc.dismissal
      ? { dismissal: { reason: doc.dismissal.reason, ...(doc.dismissal.note ? { note: doc.dismissal.note } : {}) } }
      : {}),
  };
}

/** A clerk sees the cases of their own department in their regions; officers all in their regions. */
function assertCaseAccess(principal: Principal, doc: CaseDoc | null): CaseDoc {
  const visible = assertInScope(principal, doc);
  const officer = principal.roles.some((r) => (OFFICERS as readonly string[]).includes(r));
  if (!officer && principal.department !== visible.ownerDepartment) return assertInScope<CaseDoc>(principal, null);
  return visible;
}

function caseFilter(principal: Principal): Record<string, unknown> {
  const filter = regionFilter(principal);
  const officer = principal.roles.some((r) => (OFFICERS as readonly string[]).includes(r));
  return officer ? filter : { ...filter, ownerDepartment: principal.department ?? '—' };
}

export function caseRoutes(ctx: RegistryContext) {
  const { models, cases, children } = ctx;
  const idParams = z.object({ id: z.string().min(1).max(64) });

  const openCase = defineRoute({
    method: 'post',
    path: '/cases',
    summary: 'Open a case for a child (立案)',
    description: 'The due date follows the configured time limit of the case type (CASE_TIME_LIMITS).',
    tags: ['cases'],
    body: z.object({
      childId: z.string().min(1).max(64),
      caseType: ZCaseType,
      ownerDepartment: ZDepartment,
      ownerUser: z.string().min(1).max(64).optional(),
      note: z.string().trim().min(1).max(2000).optional(),
    }),
    response: ZCaseView,
    auth: { roles: ['county_officer', 'township_officer'] },
    handler: async ({ body, principal, audit, req }) => {
      assertInScope(principal, await models.Children.findById(body.childId, { regionCode: 1 }).lean());
      const doc = await cases.open({
        ...body,
        ownerUser: body.ownerUser ?? principal.sub,
        actor: principal.sub,
        correlationId: req.requestId,
      });
      await audit({ action: 'create', resource: 'case', resourceId: doc._id, outcome: 'success' });
      return caseView(doc, ctx.now());
    },
  });

  const readCase = defineRoute({
    method: 'get',
    path: '/cases/:id',
    summary: 'Read a case with its action log',
    tags: ['cases'],
    params: idParams,
    response: ZCaseView,
    auth: { roles: CASE_WORKERS },
    handler: async ({ params, principal, audit }) => {
      const doc = assertCaseAccess(principal, await models.Cases.findById(params.id).lean<CaseDoc>());
      await audit({ action: 'read', resource: 'case', resourceId: doc._id, outcome: 'success' });
      return caseView(doc, ctx.now());
    },
  });

  const listCases = defineRoute({
    method: 'get',
    path: '/cases',
    summary: 'List cases (案件列表); `overdue=true` lists the open ones past their due date',
    tags: ['cases'],
    query: z.object({
      region: z
        .string()
        .regex(/^\d{2,12}$/)
        .optional(),
      childId: z.string().max(64).optional(),
      caseType: ZCaseType.optional(),
      status: z.enum(['opened', 'in_progress', 'resolved', 'closed']).optional(),
      overdue: z.enum(['true', 'false']).optional(),
      ...ZPaging,
    }),
    response: ZPage(ZCaseView),
    auth: { roles: CASE_WORKERS },
    handler: async ({ query, principal, audit }) => {
      const filter: Record<string, unknown> = caseFilter(principal);
      if (query.region) filter.$and = [{ regionCode: { $regex: `^${query.region}` } }];
      if (query.childId) filter.childId = query.childId;
      if (query.caseType) filter.caseType = query.caseType;
      if (query.status) filter.status = query.status;
      if (query.overdue === 'true') {
        filter.status = { $in: OPEN_CASE };
        filter.dueAt = { $lt: ctx.now() };
      }
      const { total, docs } = await findPage(models.Cases, filter, { dueAt: 1, _id: 1 }, query);
      await audit({ action: 'read', resource: 'case_list', resourceId: query.region ?? 'scope', outcome: 'success' });
      return { total, page: query.page, pageSize: query.pageSize, items: docs.map((d) => caseView(d, ctx.now())) };
    },
  });

  const progress = defineRoute({
    method: 'post',
    path: '/cases/:id/actions',
    summary: 'Log an action on a case (办理记录)',
    tags: ['cases'],
    params: idParams,
    body: z.object({ note: z.string().trim().min(1).max(2000) }),
    response: ZCaseView,
    auth: { roles: CASE_WORKERS },
    handler: async ({ params, body, principal, audit, req }) => {
      assertCaseAccess(principal, await models.Cases.findById(params.id).lean<CaseDoc>());
      const doc = await cases.progress(params.id, principal.sub, body.note, req.requestId);
      await audit({ action: 'update', resource: 'case', resourceId: doc._id, outcome: 'success' });
      return caseView(doc, ctx.now());
    },
  });

  const resolve = defineRoute({
    method: 'post',
    path: '/cases/:id/resolve',
    summary: 'Resolve a case (办结)',
    description:
      'Resolving changes the child: guardian_assignment needs `resolution.guardian` and sets guardian and supervision; return_to_school sets schooling (default returned); hukou_registration marks the hukou registered.',
    tags: ['cases'],
    params: idParams,
    body: z.object({
      note: z.string().trim().min(1).max(2000).optional(),
      resolution: z
        .object({
          guardian: ZGuardianInput.optional(),
          schooling: z
            .object({
              status: z.enum(['enrolled', 'boarding', 'returned']),
              school: z.string().max(100).optional(),
              grade: z.string().max(20).optional(),
            })
            .optional(),
          hukou: z
            .object({ placeCode: ZRegionCode.optional(), kind: z.enum(['rural', 'urban']).optional() })
            .optional(),
        })
        .optional(),
    }),
    response: ZCaseView,
    status: 200,
    auth: { roles: CASE_WORKERS },
    handler: async ({ params, body, principal, audit, req }) => {
      assertCaseAccess(principal, await models.Cases.findById(params.id).lean<CaseDoc>());
      const doc = await cases.resolve(params.id, principal.sub, {
        ...(body.note ? { note: body.note } : {}),
        ...(body.resolution ? { resolution: body.resolution } : {}),
        correlationId: req.requestId,
      });
      await audit({ action: 'update', resource: 'case', resourceId: doc._id, outcome: 'success' });
      return caseView(doc, ctx.now());
    },
  });

  const close = defineRoute({
    method: 'post',
    path: '/cases/:id/close',
    summary: 'Close a case (结案)',
    description:
      'A resolved case closes with its outcome; an unresolved one needs `outcome` (referred_elsewhere, not_substantiated, child_exited, other).',
    tags: ['cases'],
    params: idParams,
    body: z.object({ outcome: ZCaseOutcome.optional(), note: z.string().trim().min(1).max(2000).optional() }),
    response: ZCaseView,
    status: 200,
    auth: { roles: CASE_WORKERS },
    handler: async ({ params, body, principal, audit, req }) => {
      assertCaseAccess(principal, await models.Cases.findById(params.id).lean<CaseDoc>());
      const doc = await cases.close(params.id, principal.sub, {
        ...(body.outcome ? { outcome: body.outcome } : {}),
        ...(body.note ? { note: body.note } : {}),
        correlationId: req.requestId,
      });
      await audit({ action: 'update', resource: 'case', resourceId: doc._id, outcome: 'success' });
      return caseView(doc, ctx.now());
    },
  });

  // ----- mandatory reports -----

  const receive = defineRoute({
    method: 'post',
    path: '/reports',
    summary: 'Record a mandatory report (接收强制报告)',
    description: 'It must be acknowledged within the configured time (REPORT_ACK_HOURS).',
    tags: ['reports'],
    body: z.object({
      regionCode: ZRegionCode,
      reporterKind: ZReporterKind,
      reporterOrganisation: z.string().trim().min(1).max(100),
      reporterContact: ZMobile.optional(),
      narrative: z.string().trim().min(1).max(5000),
      childName: z.string().trim().min(1).max(32).optional(),
    }),
    response: ZReportView,
    auth: { roles: ['county_officer', 'township_officer'] },
    handler: async ({ body, principal, audit, req }) => {
      assertInScope(principal, { regionCode: body.regionCode });
      const doc = await cases.receiveReport({ ...body, actor: principal.sub, correlationId: req.requestId });
      await audit({ action: 'create', resource: 'mandatory_report', resourceId: doc._id, outcome: 'success' });
      return reportView(doc, ctx.now());
    },
  });

  const listReports = defineRoute({
    method: 'get',
    path: '/reports',
    summary: 'List mandatory reports; `overdue=true` lists those not acknowledged in time',
    tags: ['reports'],
    query: z.object({
      region: z
        .string()
        .regex(/^\d{2,12}$/)
        .optional(),
      status: z.enum(['received', 'acknowledged', 'linked', 'dismissed']).optional(),
      overdue: z.enum(['true', 'false']).optional(),
      ...ZPaging,
    }),
    response: ZPage(ZReportView),
    auth: { roles: OFFICERS },
    handler: async ({ query, principal, audit }) => {
      const filter: Record<string, unknown> = regionFilter(principal);
      if (query.region) filter.$and = [{ regionCode: { $regex: `^${query.region}` } }];
      if (query.status) filter.status = query.status;
      if (query.overdue === 'true') {
        filter.status = 'received';
        filter.dueAt = { $lt: ctx.now() };
      }
      const { total, docs } = await findPage(models.Reports, filter, { dueAt: 1, _id: 1 }, query);
      await audit({ action: 'read', resource: 'report_list', resourceId: query.region ?? 'scope', outcome: 'success' });
      return { total, page: query.page, pageSize: query.pageSize, items: docs.map((d) => reportView(d, ctx.now())) };
    },
  });

  const readReport = defineRoute({
    method: 'get',
    path: '/reports/:id',
    summary: 'Read a mandatory report',
    tags: ['reports'],
    params: idParams,
    response: ZReportView,
    auth: { roles: OFFICERS },
    handler: async ({ params, principal, audit }) => {
      const doc = assertInScope(principal, await models.Reports.findById(params.id).lean<ReportDoc>());
      await audit({ action: 'read', resource: 'mandatory_report', resourceId: doc._id, outcome: 'success' });
      return reportView(doc, ctx.now());
    },
  });

  const acknowledge = defineRoute({
    method: 'post',
    path: '/reports/:id/acknowledge',
    summary: 'Acknowledge a mandatory report (受理)',
    tags: ['reports'],
    params: idParams,
    response: ZReportView,
    status: 200,
    auth: { roles: ['county_officer', 'township_officer'] },
    handler: async ({ params, principal, audit, req }) => {
      assertInScope(principal, await models.Reports.findById(params.id, { regionCode: 1 }).lean());
      const doc = await cases.acknowledgeReport(params.id, principal.sub, req.requestId);
      await audit({ action: 'update', resource: 'mandatory_report', resourceId: doc._id, outcome: 'success' });
      return reportView(doc, ctx.now());
    },
  });

  const link = defineRoute({
    method: 'post',
    path: '/reports/:id/link',
    summary: 'Link a report to a child, registering the child if new, and open a case (关联儿童并立案)',
    description: 'Give `childId` of a child on the register, or `newChild` to register one; `openCase` to open a case.',
    tags: ['reports'],
    params: idParams,
    body: z
      .object({
        childId: z.string().min(1).max(64).optional(),
        newChild: ZChildInput.optional(),
        openCase: z
          .object({
            caseType: ZCaseType,
            ownerDepartment: ZDepartment,
            ownerUser: z.string().min(1).max(64).optional(),
            note: z.string().trim().min(1).max(2000).optional(),
          })
          .optional(),
      })
      .refine((b) => Boolean(b.childId) !== Boolean(b.newChild), {
        message: 'give exactly one of childId and newChild / childId 与 newChild 二选一',
      }),
    response: z.object({ report: ZReportView, case: ZCaseView.optional(), child: ZChildView }),
    status: 200,
    auth: { roles: ['county_officer', 'township_officer'] },
    handler: async ({ params, body, principal, audit, req }) => {
      const report = assertInScope(
        principal,
        await models.Reports.findById(params.id, { regionCode: 1, status: 1 }).lean(),
      );
      // Checked before anything is written: a new child is not registered for a report that cannot be linked.
      if (report.status !== 'acknowledged') {
        throw new DomainProblem(
          'report_not_acknowledged',
          report.status === 'received'
            ? 'acknowledge the report before linking it'
            : `the report is already ${report.status}`,
          report.status === 'received' ? '请先受理该报告' : '该报告已处理',
        );
      }
      let childId = body.childId;
      if (body.newChild) {
        assertInScope(principal, { regionCode: body.newChild.regionCode });
        const created = await children.register(factsFromInput(body.newChild), principal.sub, {
          correlationId: req.requestId,
        });
        await audit({ action: 'create', resource: 'child', resourceId: created._id, outcome: 'success' });
        childId = created._id;
      }
      const child = assertInScope(principal, await models.Children.findById(childId).lean());
      const result = await cases.linkReport(params.id, {
        childId: child._id,
        actor: principal.sub,
        ...(body.openCase
          ? { openCase: { ...body.openCase, ownerUser: body.openCase.ownerUser ?? principal.sub } }
          : {}),
        correlationId: req.requestId,
      });
      await audit({ action: 'update', resource: 'mandatory_report', resourceId: params.id, outcome: 'success' });
      const fresh = (await models.Children.findById(child._id).lean())!;
      return {
        report: reportView(result.report, ctx.now()),
        ...(result.case ? { case: caseView(result.case, ctx.now()) } : {}),
        child: childView(ctx, fresh, false),
      };
    },
  });

  const dismiss = defineRoute({
    method: 'post',
    path: '/reports/:id/dismiss',
    summary: 'Dismiss a report with a reason (不予立案)',
    tags: ['reports'],
    params: idParams,
    body: z.object({ reason: ZDismissalReason, note: z.string().trim().min(1).max(2000).optional() }),
    response: ZReportView,
    status: 200,
    auth: { roles: ['county_officer', 'township_officer'] },
    handler: async ({ params, body, principal, audit }) => {
      assertInScope(principal, await models.Reports.findById(params.id, { regionCode: 1 }).lean());
      const doc = await cases.dismissReport(params.id, {
        reason: body.reason,
        ...(body.note ? { note: body.note } : {}),
        actor: principal.sub,
      });
      await audit({ action: 'update', resource: 'mandatory_report', resourceId: doc._id, outcome: 'success' });
      return reportView(doc, ctx.now());
    },
  });

  return [
    openCase,
    listCases,
    readCase,
    progress,
    resolve,
    close,
    receive,
    listReports,
    readReport,
    acknowledge,
    link,
    dismiss,
  ];
}
