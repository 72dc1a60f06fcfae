/** Routes of department lists, cross-checking (比对核实) and the township ledger (台账). */
import { AppError, assertInScope, defineRoute, type Principal } from '@tongxin/service-kit';
import { findRegion, regionName } from '@tongxin/contracts/values';
import getRawBody from 'raw-body';
import type { Request } from 'express';
import type { Model } from 'mongoose';
import { z } from 'zod';

import type { SourceDepartment } from '../domain/child.js';
import { buildTemplate } from '../import/index.js';
import { buildLedger, type LedgerChild } from '../ledger/index.js';
import type { Reconciliations, ReconciliationDoc } from '../service/reconciliations.js';
import type { SubmissionDoc, SubmissionModels, Submissions } from '../service/submissions.js';
import type { RegistryContext } from './context.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ZSourceDepartment = z.enum(['civil_affairs', 'education', 'public_security']);
const ZTownship = z.string().regex(/^\d{9}$/, 'a 9-digit township code / 9位乡镇（街道）代码');
/** Who may submit a department's list: officers for any department, clerks for their own. */
const SUBMITTERS = ['county_officer', 'township_officer', 'department_clerk'] as const;
const REVIEWERS = ['county_officer', 'township_officer'] as const;

export interface SubmissionContext extends RegistryContext {
  submissionModels: SubmissionModels;
  submissions: Submissions;
  reconciliations: Reconciliations;
  reconciliationModel: Model<ReconciliationDoc>;
  uploadLimit: string;
}

function assertTownship(principal: Principal, township: string): void {
  const region = findRegion(township);
  if (!region || region.level !== 'township') {
    throw new AppError({
      code: 'unknown_township',
      status: 404,
      detail: { en: `no township ${township} in the region directory`, zh: `区划目录中没有乡镇 ${township}` },
    });
  }
  assertInScope(principal, { regionCode: township });
}

function assertDepartment(principal: Principal, department: SourceDepartment): void {
  const officer = principal.roles.includes('county_officer') || principal.roles.includes('township_officer');
  if (!officer && principal.department !== department) {
    throw new AppError({
      code: 'forbidden',
      status: 403,
      detail: { en: 'clerks submit their own department’s list only', zh: '部门办事员只能报送本部门名单' },
    });
  }
}

async function readUpload(req: Request, limit: string): Promise<Buffer> {
  try {
    return await getRawBody(req, { limit });
  } catch (error) {
    const e = error as { type?: string; status?: number };
    if (e.type === 'entity.too.large') {
      throw new AppError({
        code: 'payload_too_large',
        status: 413,
        detail: {
          en: `the file is larger than ${limit}; split the list by village`,
          zh: `文件超过 ${limit} 上限，请按村拆分后分批上传`,
        },
        extra: { limit },
        // The rest of the body is not read: the connection is not reused for another request.
        headers: { Connection: 'close' },
      });
    }
    throw error;
  }
}

const ZIssue = z.object({
  row: z.number(),
  column: z.string(),
  code: z.string(),
  message: z.string(),
  messageZh: z.string(),
});
const ZSubmissionView = z.object({
  id: z.string(),
  township: z.string(),
  department: z.string(),
  filename: z.string(),
  bytes: z.number(),
  status: z.enum(['processing', 'rejected', 'stored', 'failed']),
  progress: z.object({ rowsRead: z.number(), rowsValidated: z.number(), rowsStored: z.number() }),
  issueCount: z.number(),
  issues: z.array(ZIssue),
  superseded: z.boolean(),
  uploadedAt: z.string(),
  uploadedBy: z.string(),
  finishedAt: z.string().optional(),
});

const submissionView = (doc: SubmissionDoc): z.input<typeof ZSubmissionView> => ({
  id: doc._id,
  township: doc.township,
  department: doc.department,
  filename: doc.filename,
  bytes: doc.bytes,
  status: doc.status,
  progress: doc.progress,
  issueCount: doc.issueCount,
  issues: doc.issues,
  superseded: Boolean(doc.supersededBy),
  uploadedAt: doc.uploadedAt.toISOString(),
  uploadedBy: doc.uploadedBy,
  ...(doc.finishedAt ? { finishedAt: doc.finishedAt.toISOString() } : {}),
});

const ZReconciliationView = z.object({
  id: z.string(),
  township: z.string(),
  status: z.enum(['open', 'applied']),
  submissions: z.record(z.string(), z.string()),
  summary: z.record(z.string(), z.unknown()),
  groups: z.array(z.record(z.string(), z.unknown())),
  createdAt: z.string(),
});
const reconciliationView = (doc: ReconciliationDoc): z.input<typeof ZReconciliationView> => ({
  id: doc._id,
  township: doc.township,
  status: doc.status,
  submissions: doc.submissions as Record<string, string>,
  summary: doc.summary as unknown as Record<string, unknown>,
  groups: doc.groups as unknown as Record<string, unknown>[],
  createdAt: doc.createdAt.toISOString(),
});

export function submissionRoutes(ctx: SubmissionContext) {
  const { submissionModels, submissions, reconciliations } = ctx;

  const template = defineRoute({
    method: 'get',
    path: '/submissions/template.xlsx',
    summary: 'Download the department list template (名单填报模板)',
    tags: ['submissions'],
    auth: { roles: [...SUBMITTERS, 'city_admin'] },
    handler: async ({ res }) => {
      const file = await buildTemplate();
      res
        .status(200)
        .type(XLSX)
        .setHeader(
          'Content-Disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent('留守儿童名单填报模板.xlsx')}`,
        )
        .send(file);
      return undefined;
    },
  });

  const upload = defineRoute({
    method: 'put',
    path: '/submissions/:township/:department',
    summary: 'Upload one department’s list for one township (.xlsx or .csv) (上传部门名单)',
    description:
      'The body is the file itself (Content-Type of an .xlsx or text/csv). Answers 202 with a job to poll at /submissions/{id}: progress, then `stored` or `rejected` with a per-row report (row, column, problem in Chinese and English). Nothing is stored unless every row is valid.',
    tags: ['submissions'],
    params: z.object({ township: ZTownship, department: ZSourceDepartment }),
    query: z.object({ filename: z.string().max(200).optional() }),
    response: ZSubmissionView,
    status: 202,
    auth: { roles: SUBMITTERS },
    handler: async ({ req, res, params, query, principal, audit }) => {
      // The body is read (within the limit) before any refusal, so a client still sending it gets the
      // answer instead of a reset connection.
      const file = await readUpload(req, ctx.uploadLimit);
      assertTownship(principal, params.township);
      assertDepartment(principal, params.department);
      const doc = await submissions.start({
        township: params.township,
        department: params.department,
        filename: query.filename ?? 'upload',
        file,
        uploadedBy: principal.sub,
      });
      await audit({ action: 'create', resource: 'submission', resourceId: doc._id, outcome: 'success' });
      res.setHeader('Location', `/submissions/${doc._id}`);
      return submissionView(doc);
    },
  });

  const readSubmission = defineRoute({
    method: 'get',
    path: '/submissions/:id',
    summary: 'Progress and report of an uploaded list',
    tags: ['submissions'],
    params: z.object({ id: z.string().min(1).max(64) }),
    response: ZSubmissionView,
    auth: { roles: SUBMITTERS },
    handler: async ({ params, principal }) => {
      const doc = await submissionModels.Submissions.findById(params.id).lean<SubmissionDoc>();
      const visible = assertInScope(principal, doc && { ...doc, regionCode: doc.township });
      assertDepartment(principal, visible.department);
      return submissionView(visible);
    },
  });

  const runReconciliation = defineRoute({
    method: 'post',
    path: '/reconciliations',
    summary: 'Cross-check a township’s department lists (比对核实)',
    description:
      'Matches the latest stored list of each department: exact on the ID blind index, else scored on name (simplified/traditional, pinyin), birth date, village and sex, with the reason per field and conflicts per fact. Strong matches are accepted; the others wait for review.',
    tags: ['reconciliation'],
    body: z.object({ township: ZTownship }),
    response: ZReconciliationView,
    auth: { roles: REVIEWERS },
    handler: async ({ body, principal, audit }) => {
      assertTownship(principal, body.township);
      const doc = await reconciliations.run(body.township, principal.sub);
      await audit({ action: 'create', resource: 'reconciliation', resourceId: doc._id, outcome: 'success' });
      return reconciliationView(doc);
    },
  });

  const readReconciliation = defineRoute({
    method: 'get',
    path: '/reconciliations/:id',
    summary: 'Read a reconciliation with its proposed groups',
    tags: ['reconciliation'],
    params: z.object({ id: z.string().min(1).max(64) }),
    response: ZReconciliationView,
    auth: { roles: REVIEWERS },
    handler: async ({ params, principal, audit }) => {
      const doc = await ctx.reconciliationModel.findById(params.id).lean<ReconciliationDoc>();
      const visible = assertInScope(principal, doc && { ...doc, regionCode: doc.township });
      await audit({ action: 'read', resource: 'reconciliation', resourceId: visible._id, outcome: 'success' });
      return reconciliationView(visible);
    },
  });

  const decide = defineRoute({
    method: 'post',
    path: '/reconciliations/:id/groups/:groupId',
    summary: 'Accept, reject or edit a proposed group (审核)',
    description:
      'accepted: the rows are one child (with `edits` replacing merged facts); rejected: the rows are different children (a single row: left out).',
    tags: ['reconciliation'],
    params: z.object({ id: z.string().min(1).max(64), groupId: z.string().min(1).max(128) }),
    body: z.object({
      decision: z.enum(['accepted', 'rejected']),
      edits: z
        .object({
          name: z.string().trim().min(1).max(32).optional(),
          birthDate: z.iso.date().optional(),
          sex: z.enum(['female', 'male']).optional(),
          supervision: z.enum(['supervised', 'unsupervised']).optional(),
          regionCode: z
            .string()
            .regex(/^\d{12}$/)
            .optional(),
        })
        .optional(),
    }),
    response: ZReconciliationView,
    status: 200,
    auth: { roles: REVIEWERS },
    handler: async ({ params, body, principal, audit }) => {
      const doc = await ctx.reconciliationModel.findById(params.id, { township: 1 }).lean();
      assertInScope(principal, doc && { regionCode: doc.township });
      const updated = await reconciliations.decide(params.id, params.groupId, {
        ...body,
        actor: principal.sub,
      } as never);
      await audit({ action: 'update', resource: 'reconciliation', resourceId: params.id, outcome: 'success' });
      return reconciliationView(updated);
    },
  });

  const apply = defineRoute({
    method: 'post',
    path: '/reconciliations/:id/apply',
    summary: 'Apply the reviewed result to the register (入库)',
    tags: ['reconciliation'],
    params: z.object({ id: z.string().min(1).max(64) }),
    response: ZReconciliationView,
    status: 200,
    auth: { roles: REVIEWERS },
    handler: async ({ params, principal, audit }) => {
      const doc = await ctx.reconciliationModel.findById(params.id, { township: 1 }).lean();
      assertInScope(principal, doc && { regionCode: doc.township });
      const applied = await reconciliations.apply(params.id, principal.sub);
      await audit({ action: 'update', resource: 'reconciliation', resourceId: params.id, outcome: 'success' });
      return reconciliationView(applied);
    },
  });

  const ledger = defineRoute({
    method: 'get',
    path: '/ledger/:township',
    summary: 'Export the township ledger (乡镇台账) as .xlsx',
    description:
      'One row per active left-behind child or child in difficulty of the township, with totals and consistency checks. ID numbers masked.',
    tags: ['ledger'],
    params: z.object({ township: ZTownship }),
    auth: { roles: ['city_admin', 'county_officer', 'township_officer'] },
    handler: async ({ params, principal, audit, res }) => {
      assertTownship(principal, params.township);
      // The ledger is of left-behind children and children in difficulty: children on the register
      // with neither category (a list named them, the facts do not qualify them) are not in it.
      const filter: Record<string, unknown> = {
        status: 'active',
        regionCode: { $regex: `^${params.township}` },
        'categories.0': { $exists: true },
      };
      const docs = await ctx.childIndex.all(filter, [params.township]);
      const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      docs.sort((a, b) => order(a.regionCode, b.regionCode) || order(a.name, b.name));
      const children: LedgerChild[] = docs.map((doc) => ({
        name: doc.name,
        sex: doc.sex,
        birthDate: doc.birthDate,
        idNumberDisplay: doc.idMasked ?? '',
        villageName: regionName(doc.regionCode) ?? doc.regionCode,
        hukouStatus: doc.hukou.status,
        categories: doc.decision.categories,
        difficultyTypes: doc.decision.difficultyTypes,
        ...(doc.guardian ? { guardianName: doc.guardian.name, guardianRelation: doc.guardian.relation } : {}),
        supervision: doc.supervision,
        schoolingStatus: doc.schooling.status,
        ...(doc.parents.find((p) => p.relation === 'father')
          ? { fatherStatus: doc.parents.find((p) => p.relation === 'father')!.status }
          : {}),
        ...(doc.parents.find((p) => p.relation === 'mother')
          ? { motherStatus: doc.parents.find((p) => p.relation === 'mother')!.status }
          : {}),
        assistance: doc.assistance,
        sources: [...new Set(Object.values(doc.factSources ?? {}))],
      }));
      const file = await buildLedger({
        township: { code: params.township, name: regionName(params.township) ?? params.township },
        generatedAt: ctx.now(),
        children,
      });
      await audit({ action: 'export', resource: 'ledger', resourceId: params.township, outcome: 'success' });
      res
        .status(200)
        .type(XLSX)
        .setHeader(
          'Content-Disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`${regionName(params.township) ?? params.township}台账.xlsx`)}`,
        )
        .send(file);
      return undefined;
    },
  });

  return [template, upload, readSubmission, runReconciliation, readReconciliation, decide, apply, ledger];
}
