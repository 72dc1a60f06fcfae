/** Routes of the register itself: children, their facts, categories and exits. */
import { AppError, assertInScope, defineRoute, regionFilter, type Principal } from '@tongxin/service-kit';
import { regionName } from '@tongxin/contracts/values';
import { ZChildExitReason } from '@tongxin/contracts/registry';
import { z } from 'zod';

import type { ChildFacts } from '../domain/child.js';
import { ageOn, RULE_TEXT } from '../domain/eligibility.js';
import type { ChildDoc } from '../persistence/models.js';
import type { RegistryContext } from './context.js';
import { regionsToRead } from './paging.js';
import { ZChildChange, ZChildInput, ZChildSummary, ZChildView, ZPage, ZPaging, type ChildInput } from './schemas.js';

/** Roles that work with the register. */
export const OFFICERS = ['city_admin', 'county_officer', 'township_officer'] as const;
/** Roles that may see a full resident ID number, when they ask for it (audited). */
const MAY_REVEAL_IDS = new Set(['county_officer', 'township_officer']);

export function factsFromInput(input: ChildInput): ChildFacts {
  const facts: ChildFacts = {
    name: input.name,
    sex: input.sex,
    birthDate: input.birthDate,
    ethnicity: input.ethnicity,
    hukou: input.hukou,
    regionCode: input.regionCode,
    address: input.address,
    schooling: input.schooling,
    health: input.health,
    parents: input.parents,
    supervision: input.supervision,
    assistance: input.assistance,
  };
  if (input.idNumber) facts.idNumber = input.idNumber;
  if (input.guardian) facts.guardian = input.guardian;
  return facts;
}

export function childView(ctx: RegistryContext, doc: ChildDoc, reveal: boolean): z.input<typeof ZChildView> {
  const today = ctx.now().toISOString().slice(0, 10);
  const open = (sealed: string | undefined, masked: string | undefined) =>
    reveal && sealed ? ctx.sealer.open(sealed) : masked;
  const idNumber = open(doc.idSealed, doc.idMasked);
  const phone = (sealed?: string, masked?: string) => open(sealed, masked);
  const region = regionName(doc.regionCode);
  return {
    id: doc._id,
    sequence: doc.sequence,
    name: doc.name,
    sex: doc.sex,
    birthDate: doc.birthDate,
    age: ageOn(doc.birthDate, today),
    ethnicity: doc.ethnicity,
    ...(idNumber ? { idNumber } : {}),
    hukou: doc.hukou,
    regionCode: doc.regionCode,
    ...(region ? { regionName: region } : {}),
    address: doc.address,
    schooling: doc.schooling,
    health: doc.health as Record<string, unknown>,
    parents: doc.parents.map((p) => {
      const id = open(p.idSealed, p.idMasked);
      const tel = phone(p.phoneSealed, p.phoneMasked);
      return {
        relation: p.relation,
        status: p.status,
        ...(p.name ? { name: p.name } : {}),
        ...(p.workPlace ? { workPlace: p.workPlace } : {}),
        ...(id ? { idNumber: id } : {}),
        ...(tel ? { phone: tel } : {}),
      };
    }),
    ...(doc.guardian
      ? {
          guardian: {
            kind: doc.guardian.kind,
            name: doc.guardian.name,
            relation: doc.guardian.relation,
            capacity: doc.guardian.capacity,
            ...(phone(doc.guardian.phoneSealed, doc.guardian.phoneMasked)
              ? { phone: phone(doc.guardian.phoneSealed, doc.guardian.phoneMasked)! }
              : {}),
          },
        }
      : {}),
    supervision: doc.supervision,
    assistance: doc.assistance,
    categories: doc.decision.categories,
    difficultyTypes: doc.decision.difficultyTypes,
    rulesVersion: doc.decision.rulesVersion,
    explanation: doc.decision.explanation.map((r) => ({
      ...r,
      en: RULE_TEXT[r.rule]?.en ?? r.rule,
      zh: RULE_TEXT[r.rule]?.zh ?? r.rule,
    })),
    ...(doc.reviewOn ? { reviewOn: doc.reviewOn } : {}),
    status: doc.status,
    ...(doc.exitReason ? { exitReason: doc.exitReason } : {}),
    ...(doc.exitedOn ? { exitedOn: doc.exitedOn } : {}),
    factSources: doc.factSources ?? {},
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

function wantsReveal(principal: Principal, reveal: string | undefined): boolean {
  if (reveal !== 'idNumber') return false;
  if (!principal.roles.some((role) => MAY_REVEAL_IDS.has(role))) {
    throw new AppError({
      code: 'forbidden',
      status: 403,
      detail: { en: 'your role may not see full ID numbers', zh: '您的角色无权查看完整身份号码' },
    });
  }
  return true;
}

export function childRoutes(ctx: RegistryContext) {
  const { models, children } = ctx;

  const register = defineRoute({
    method: 'post',
    path: '/children',
    summary: 'Register a child (登记儿童)',
    description:
      'Categories are derived from the facts by the eligibility rules; the response explains which rules held. A second registration of the same resident ID number is 409 child_already_registered.',
    tags: ['children'],
    body: ZChildInput,
    response: ZChildView,
    auth: { roles: ['county_officer', 'township_officer'] },
    handler: async ({ body, principal, audit, req }) => {
      assertInScope(principal, { regionCode: body.regionCode });
      const doc = await children.register(factsFromInput(body), principal.sub, { correlationId: req.requestId });
      await audit({ action: 'create', resource: 'child', resourceId: doc._id, outcome: 'success' });
      return childView(ctx, doc, false);
    },
  });

  const read = defineRoute({
    method: 'get',
    path: '/children/:id',
    summary: 'Read a child (查看儿童信息)',
    description:
      'ID numbers and phones are masked; `?reveal=idNumber` shows them to county and township officers (audited).',
    tags: ['children'],
    params: z.object({ id: z.string().min(1).max(64) }),
    query: z.object({ reveal: z.enum(['idNumber']).optional() }),
    response: ZChildView,
    auth: { roles: OFFICERS },
    handler: async ({ params, query, principal, audit }) => {
      const doc = assertInScope(principal, await models.Children.findById(params.id).lean<ChildDoc>());
      const reveal = wantsReveal(principal, query.reveal);
      await audit({
        action: 'read',
        resource: reveal ? 'child_identity' : 'child',
        resourceId: doc._id,
        outcome: 'success',
      });
      return childView(ctx, doc, reveal);
    },
  });

  const list = defineRoute({
    method: 'get',
    path: '/children',
    summary: 'List children (儿童名单)',
    description:
      'Scoped to your regions. Filters: region prefix, category, difficulty type, supervision, schooling, status, name.',
    tags: ['children'],
    query: z.object({
      region: z
        .string()
        .regex(/^\d{2,12}$/)
        .optional(),
      category: z.enum(['left_behind', 'in_difficulty']).optional(),
      supervision: z.enum(['supervised', 'unsupervised']).optional(),
      schooling: z.string().max(20).optional(),
      status: z.enum(['active', 'exited']).default('active'),
      name: z.string().max(32).optional(),
      ...ZPaging,
    }),
    response: ZPage(ZChildSummary),
    auth: { roles: OFFICERS },
    handler: async ({ query, principal, audit }) => {
      const filter: Record<string, unknown> = { ...regionFilter(principal), status: query.status };
      const and: Record<string, unknown>[] = [];
      if (query.region) and.push({ regionCode: { $regex: `^${query.region}` } });
      if (query.category) filter.categories = query.category;
      if (query.supervision) filter.supervision = query.supervision;
      if (query.schooling) filter['schooling.status'] = query.schooling;
      if (query.name) filter.name = query.name;
      if (and.length > 0) filter.$and = and;
      const { total, docs } = await ctx.childIndex.page(filter, regionsToRead(principal, query.region), query);
      await audit({
        action: 'read',
        resource: 'child_list',
        resourceId: query.region ?? principal.regions.join(',') ?? 'all',
        outcome: 'success',
      });
      return {
        total,
        page: query.page,
        pageSize: query.pageSize,
        items: docs.map((doc) => {
          const view = childView(ctx, doc, false);
          return {
            id: view.id,
            name: view.name,
            sex: view.sex,
            birthDate: view.birthDate,
            age: view.age,
            ...(view.idNumber ? { idNumber: view.idNumber } : {}),
            regionCode: view.regionCode,
            ...(view.regionName ? { regionName: view.regionName } : {}),
            categories: view.categories,
            difficultyTypes: view.difficultyTypes,
            supervision: view.supervision,
            status: view.status,
            schoolingStatus: view.schooling.status,
          };
        }),
      };
    },
  });

  const update = defineRoute({
    method: 'patch',
    path: '/children/:id',
    summary: 'Change facts of a child (更新儿童信息)',
    description:
      'Send `expectedSequence` (from the last read) and the groups of facts that changed; categories are re-derived. 409 stale_child when someone changed the child meanwhile.',
    tags: ['children'],
    params: z.object({ id: z.string().min(1).max(64) }),
    body: ZChildChange,
    response: ZChildView,
    auth: { roles: ['county_officer', 'township_officer'] },
    handler: async ({ params, body, principal, audit, req }) => {
      assertInScope(principal, await models.Children.findById(params.id, { regionCode: 1 }).lean());
      if (body.regionCode) assertInScope(principal, { regionCode: body.regionCode });
      const { expectedSequence, purpose: _purpose, ...changes } = body;
      const doc = await children.change(
        params.id,
        (facts) => {
          const next = { ...facts, ...changes } as ChildFacts;
          if (next.idNumber === undefined) delete next.idNumber;
          return next;
        },
        { expectedSequence, correlationId: req.requestId },
      );
      await audit({ action: 'update', resource: 'child', resourceId: doc._id, outcome: 'success' });
      return childView(ctx, doc, false);
    },
  });

  const exit = defineRoute({
    method: 'post',
    path: '/children/:id/exit',
    summary: 'Take a child off the register (退出台账)',
    tags: ['children'],
    params: z.object({ id: z.string().min(1).max(64) }),
    body: z.object({
      expectedSequence: z.number().int().min(0),
      reason: ZChildExitReason,
      exitedOn: z.iso.date(),
      purpose: z.string().max(200).optional(),
    }),
    response: ZChildView,
    status: 200,
    auth: { roles: ['county_officer', 'township_officer'] },
    handler: async ({ params, body, principal, audit, req }) => {
      assertInScope(principal, await models.Children.findById(params.id, { regionCode: 1 }).lean());
      const doc = await children.exit(params.id, body.reason, body.exitedOn, {
        expectedSequence: body.expectedSequence,
        correlationId: req.requestId,
      });
      await audit({ action: 'update', resource: 'child', resourceId: doc._id, outcome: 'success' });
      return childView(ctx, doc, false);
    },
  });

  const review = defineRoute({
    method: 'post',
    path: '/admin/age-review',
    summary: 'Run the age review now (年龄复核)',
    description:
      'Re-decides every child whose categories change by age on or before `asOf` (default today); children who turn 16 leave left_behind on their birthday, and leave the register when no category remains. The service also runs it daily.',
    tags: ['admin'],
    body: z.object({ asOf: z.iso.date().optional() }),
    response: z.object({ reviewed: z.number(), recategorised: z.number(), exited: z.number() }),
    status: 200,
    auth: { roles: ['city_admin'] },
    handler: async ({ body }) => children.reviewAges(body.asOf ?? ctx.now().toISOString().slice(0, 10)),
  });

  return [register, list, read, update, exit, review];
}
