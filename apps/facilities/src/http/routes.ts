/** The facilities API: homes, enrolled children and their files, the activity log, evaluations. */
import {
  AppError,
  assertInScope,
  canSeeRegion,
  defineRoute,
  isInScope,
  type Principal,
  type Sealer,
} from '@tongxin/service-kit';
import { formatYuan, regionName } from '@tongxin/contracts/values';
import { z } from 'zod';

import type { ActivityDoc, FacilityDoc, FacilityModels, PersonalFileDoc } from '../persistence/models.js';
import type { Activities, ActivityInput } from '../service/activities.js';
import type { Evaluations } from '../service/evaluations.js';
import type { Homes } from '../service/homes.js';
import {
  ZActivityInput,
  ZActivityView,
  ZCancellation,
  ZCorrection,
  ZFacilityChange,
  ZFacilityInput,
  ZFacilityView,
  ZFileInput,
  ZFundingInput,
  ZId,
  ZLeave,
  ZStatusChange,
} from './schemas.js';

export interface FacilitiesContext {
  models: FacilityModels;
  homes: Homes;
  activities: Activities;
  evaluations: Evaluations;
  sealer: Sealer;
  now: () => Date;
}

const OFFICERS = ['city_admin', 'county_officer', 'township_officer'] as const;
const STAFF = [...OFFICERS, 'facility_manager'] as const;
const WRITERS = ['county_officer', 'township_officer', 'facility_manager'] as const;

const scoped = (doc: FacilityDoc | null) => doc && { ...doc, facilityId: doc._id };

/** The home, when the caller may see it (its managers, officers of its region, the city); else 404. */
async function visibleFacility(ctx: FacilitiesContext, principal: Principal, id: string): Promise<FacilityDoc> {
  return assertInScope(principal, scoped(await ctx.models.Facilities.findById(id).lean<FacilityDoc>()));
}

/** Counselling records: the home's managers and the county officer only — not the city, not a township. */
function mayReadCounselling(principal: Principal, facility: FacilityDoc): boolean {
  const manager = principal.roles.includes('facility_manager') && principal.facilities.includes(facility._id);
  const countyOfficer = principal.roles.includes('county_officer') && canSeeRegion(principal, facility.regionCode);
  return manager || countyOfficer;
}

function facilityView(doc: FacilityDoc): z.input<typeof ZFacilityView> {
  const region = regionName(doc.regionCode);
  return {
    id: doc._id,
    sequence: doc.sequence,
    code: doc.code,
    name: doc.name,
    kind: doc.kind,
    ...(doc.hostSchool ? { hostSchool: doc.hostSchool } : {}),
    ...(doc.hostVillage ? { hostVillage: doc.hostVillage } : {}),
    ...(doc.partner ? { partner: doc.partner } : {}),
    regionCode: doc.regionCode,
    ...(region ? { regionName: region } : {}),
    address: doc.address,
    openedOn: doc.openedOn,
    status: doc.status,
    managers: doc.managers,
    equipment: doc.equipment,
    funding: doc.funding.map((f) => ({
      fundingId: f.fundingId,
      amountFen: f.amountFen,
      amountYuan: formatYuan(f.amountFen),
      source: f.source,
      receivedOn: f.receivedOn,
      ...(f.note ? { note: f.note } : {}),
    })),
    totalFundingFen: doc.totalFundingFen,
    totalFundingYuan: formatYuan(doc.totalFundingFen),
    openingHours: doc.openingHours,
    capacity: doc.capacity,
  };
}

function activityView(doc: ActivityDoc): z.input<typeof ZActivityView> {
  return {
    id: doc._id,
    sequence: doc.sequence,
    facilityId: doc.facilityId,
    kind: doc.kind,
    ...(doc.subject ? { subject: doc.subject } : {}),
    ...(doc.otherDescription ? { otherDescription: doc.otherDescription } : {}),
    title: doc.title,
    startsAt: new Date(doc.startsAt).toISOString(),
    endsAt: new Date(doc.endsAt).toISOString(),
    place: doc.place,
    attendeeChildIds: doc.attendeeChildIds,
    volunteerIds: doc.volunteerIds,
    staff: doc.staff,
    otherAttendees: doc.otherAttendees,
    notes: doc.notes,
    photoRefs: doc.photoRefs,
    status: doc.status,
    history: doc.history.map((h) => ({
      at: new Date(h.at).toISOString(),
      by: h.by,
      action: h.action,
      reason: h.reason,
      ...(h.note ? { note: h.note } : {}),
      before: h.before,
    })),
  };
}

function toActivityInput(body: z.output<typeof ZActivityInput>): ActivityInput {
  return {
    kind: body.kind,
    ...(body.subject ? { subject: body.subject } : {}),
    ...(body.otherDescription ? { otherDescription: body.otherDescription } : {}),
    title: body.title,
    startsAt: new Date(body.startsAt),
    endsAt: new Date(body.endsAt),
    place: body.place,
    attendeeChildIds: [...new Set(body.attendeeChildIds)],
    volunteerIds: [...new Set(body.volunteerIds)],
    staff: body.staff,
    otherAttendees: body.otherAttendees,
    notes: body.notes,
    photoRefs: body.photoRefs,
  };
}

const fileView = (file: PersonalFileDoc, complete: boolean) => ({
  facilityId: file.facilityId,
  childId: file.childId,
  interests: file.interests,
  strengths: file.strengths,
  needs: file.needs,
  notes: file.notes.map((n) => ({ at: new Date(n.at).toISOString(), by: n.by, text: n.text })),
  counsellingRecords: file.counselling.length,
  complete,
});
const ZFileView = z.object({
  facilityId: z.string(),
  childId: z.string(),
  interests: z.array(z.string()),
  strengths: z.array(z.string()),
  needs: z.array(z.string()),
  notes: z.array(z.object({ at: z.string(), by: z.string(), text: z.string() })),
  /** How many counselling records there are; their content is read through /counselling. */
  counsellingRecords: z.number(),
  complete: z.boolean(),
});

export function facilityRoutes(ctx: FacilitiesContext) {
  const { models, homes, activities } = ctx;
  const idParams = z.object({ id: ZId });
  const childParams = z.object({ id: ZId, childId: ZId });

  const open = defineRoute({
    method: 'post',
    path: '/facilities',
    summary: 'Open a children’s home (新建儿童之家)',
    tags: ['facilities'],
    body: ZFacilityInput,
    response: ZFacilityView,
    auth: { roles: ['city_admin', 'county_officer'] },
    handler: async ({ body, principal, audit, req }) => {
      assertInScope(principal, { regionCode: body.regionCode });
      const doc = await homes.open(body, principal.sub, req.requestId);
      await audit({ action: 'create', resource: 'facility', resourceId: doc._id, outcome: 'success' });
      return facilityView(doc);
    },
  });

  const list = defineRoute({
    method: 'get',
    path: '/facilities',
    summary: 'The homes you may see (my homes, for a manager)',
    tags: ['facilities'],
    query: z.object({
      region: z
        .string()
        .regex(/^\d{2,12}$/)
        .optional(),
      status: z.enum(['open', 'suspended', 'closed']).optional(),
    }),
    response: z.object({ items: z.array(ZFacilityView) }),
    auth: { roles: STAFF },
    handler: async ({ query, principal }) => {
      const filter: Record<string, unknown> = {};
      if (query.status) filter.status = query.status;
      const docs = await models.Facilities.find(filter, { outbox: 0 })
        .sort({ regionCode: 1, code: 1 })
        .lean<FacilityDoc[]>();
      const items = docs
        .filter((d) => isInScope(principal, { regionCode: d.regionCode, facilityId: d._id }))
        .filter((d) => !query.region || d.regionCode.startsWith(query.region));
      return { items: items.map(facilityView) };
    },
  });

  const read = defineRoute({
    method: 'get',
    path: '/facilities/:id',
    summary: 'Read a home',
    tags: ['facilities'],
    params: idParams,
    response: ZFacilityView,
    auth: { roles: STAFF },
    handler: async ({ params, principal }) => facilityView(await visibleFacility(ctx, principal, params.id)),
  });

  const update = defineRoute({
    method: 'patch',
    path: '/facilities/:id',
    summary: 'Change a home: rooms and equipment, hours, capacity, managers (更新儿童之家信息)',
    description: 'Managers change equipment, opening hours and capacity; officers anything.',
    tags: ['facilities'],
    params: idParams,
    body: ZFacilityChange,
    response: ZFacilityView,
    auth: { roles: WRITERS },
    handler: async ({ params, body, principal, audit, req }) => {
      await visibleFacility(ctx, principal, params.id);
      const { expectedSequence, ...change } = body;
      const officer = principal.roles.some((r) => r === 'county_officer' || r === 'township_officer');
      const managerFields = new Set(['equipment', 'openingHours', 'capacity']);
      const forbidden = Object.keys(change).filter((k) => !managerFields.has(k));
      if (!officer && forbidden.length > 0) {
        throw new AppError({
          code: 'forbidden',
          status: 403,
          detail: {
            en: `a manager may not change ${forbidden.join(', ')}`,
            zh: `管理员不能修改：${forbidden.join('、')}`,
          },
        });
      }
      const doc = await homes.update(params.id, change, expectedSequence, req.requestId);
      await audit({ action: 'update', resource: 'facility', resourceId: doc._id, outcome: 'success' });
      return facilityView(doc);
    },
  });

  const status = defineRoute({
    method: 'post',
    path: '/facilities/:id/status',
    summary: 'Suspend, reopen or close a home',
    tags: ['facilities'],
    params: idParams,
    body: ZStatusChange,
    response: ZFacilityView,
    status: 200,
    auth: { roles: ['county_officer'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await visibleFacility(ctx, principal, params.id);
      const doc = await homes.changeStatus(params.id, body, req.requestId);
      await audit({ action: 'update', resource: 'facility', resourceId: doc._id, outcome: 'success' });
      return facilityView(doc);
    },
  });

  const fund = defineRoute({
    method: 'post',
    path: '/facilities/:id/funding',
    summary: 'Record funds a home received (amount in fen) (登记资金)',
    tags: ['facilities'],
    params: idParams,
    body: ZFundingInput,
    response: ZFacilityView,
    auth: { roles: ['county_officer'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await visibleFacility(ctx, principal, params.id);
      const input = {
        amountFen: body.amountFen,
        source: body.source,
        receivedOn: body.receivedOn,
        ...(body.note ? { note: body.note } : {}),
      };
      const doc = await homes.recordFunding(params.id, input, principal.sub, req.requestId);
      await audit({ action: 'update', resource: 'facility', resourceId: doc._id, outcome: 'success' });
      return facilityView(doc);
    },
  });

  // ----- children -----

  const ZEnrolledChild = z.object({
    enrolmentId: z.string(),
    childId: z.string(),
    name: z.string(),
    sex: z.string(),
    birthDate: z.string(),
    categories: z.array(z.string()),
    enrolledOn: z.string(),
    fileComplete: z.boolean(),
  });

  const children = defineRoute({
    method: 'get',
    path: '/facilities/:id/children',
    summary: 'Children enrolled at a home (我的孩子)',
    tags: ['children'],
    params: idParams,
    response: z.object({ items: z.array(ZEnrolledChild) }),
    auth: { roles: STAFF },
    handler: async ({ params, principal, audit }) => {
      await visibleFacility(ctx, principal, params.id);
      const enrolments = await models.Enrolments.find(
        { facilityId: params.id, status: 'enrolled' },
        { outbox: 0 },
      ).lean();
      const complete = new Set(
        await homes.completeFileChildIds(
          params.id,
          enrolments.map((e) => e.childId),
        ),
      );
      const items = [];
      for (const e of enrolments) {
        const child = await models.Children.findById(e.childId).lean();
        if (!child) continue;
        items.push({
          enrolmentId: e._id,
          childId: e.childId,
          name: child.name,
          sex: child.sex,
          birthDate: child.birthDate,
          categories: child.categories,
          enrolledOn: e.enrolledOn,
          fileComplete: complete.has(e.childId),
        });
      }
      await audit({ action: 'read', resource: 'child_list', resourceId: params.id, outcome: 'success' });
      return { items: items.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')) };
    },
  });

  const enrol = defineRoute({
    method: 'post',
    path: '/facilities/:id/children',
    summary: 'Enrol a child at the home (儿童入园登记)',
    description:
      'The child must be on the register (received through its events), active, and live in the home’s county.',
    tags: ['children'],
    params: idParams,
    body: z.object({ childId: ZId, enrolledOn: z.iso.date() }),
    response: z.object({
      enrolmentId: z.string(),
      childId: z.string(),
      facilityId: z.string(),
      status: z.string(),
      enrolledOn: z.string(),
    }),
    auth: { roles: WRITERS },
    handler: async ({ params, body, principal, audit, req }) => {
      await visibleFacility(ctx, principal, params.id);
      const doc = await homes.enrol(params.id, body.childId, body.enrolledOn, principal.sub, req.requestId);
      await audit({ action: 'create', resource: 'enrolment', resourceId: doc._id, outcome: 'success' });
      return {
        enrolmentId: doc._id,
        childId: doc.childId,
        facilityId: doc.facilityId,
        status: doc.status,
        enrolledOn: doc.enrolledOn,
      };
    },
  });

  const leave = defineRoute({
    method: 'post',
    path: '/enrolments/:id/leave',
    summary: 'A child leaves the home',
    tags: ['children'],
    params: idParams,
    body: ZLeave,
    response: z.object({ enrolmentId: z.string(), status: z.string(), leftOn: z.string() }),
    status: 200,
    auth: { roles: WRITERS },
    handler: async ({ params, body, principal, audit, req }) => {
      const enrolment = await models.Enrolments.findById(params.id).lean();
      assertInScope(principal, enrolment && { regionCode: enrolment.regionCode, facilityId: enrolment.facilityId });
      const doc = await homes.leave(params.id, body, req.requestId);
      await audit({ action: 'update', resource: 'enrolment', resourceId: doc._id, outcome: 'success' });
      return { enrolmentId: doc._id, status: doc.status, leftOn: doc.leftOn! };
    },
  });

  const readFile = defineRoute({
    method: 'get',
    path: '/facilities/:id/children/:childId/file',
    summary: 'A child’s personal file (个人档案), without counselling content',
    tags: ['personal files'],
    params: childParams,
    response: ZFileView,
    auth: { roles: STAFF },
    handler: async ({ params, principal, audit }) => {
      await visibleFacility(ctx, principal, params.id);
      const file = await homes.readFile(params.id, params.childId);
      await audit({ action: 'read', resource: 'personal_file', resourceId: params.childId, outcome: 'success' });
      return fileView(file, homes.isComplete(file));
    },
  });

  const writeFile = defineRoute({
    method: 'put',
    path: '/facilities/:id/children/:childId/file',
    summary: 'Update a child’s personal file: interests, strengths, needs, a note',
    tags: ['personal files'],
    params: childParams,
    body: ZFileInput,
    response: ZFileView,
    auth: { roles: WRITERS },
    handler: async ({ params, body, principal, audit }) => {
      await visibleFacility(ctx, principal, params.id);
      const file = await homes.writeFile(params.id, params.childId, body, principal.sub);
      await audit({ action: 'update', resource: 'personal_file', resourceId: params.childId, outcome: 'success' });
      return fileView(file, homes.isComplete(file));
    },
  });

  const ZCounselling = z.object({
    items: z.array(z.object({ recordId: z.string(), at: z.string(), by: z.string(), text: z.string() })),
  });

  const readCounselling = defineRoute({
    method: 'get',
    path: '/facilities/:id/children/:childId/counselling',
    summary: 'Counselling records (心理辅导记录): the home’s managers and the county officer only; every read audited',
    tags: ['personal files'],
    params: childParams,
    response: ZCounselling,
    auth: { roles: ['facility_manager', 'county_officer'] },
    handler: async ({ params, principal, audit }) => {
      const facility = await visibleFacility(ctx, principal, params.id);
      if (!mayReadCounselling(principal, facility)) {
        await audit({ action: 'read', resource: 'counselling', resourceId: params.childId, outcome: 'denied' });
        throw AppError.notFound();
      }
      const file = await homes.readFile(params.id, params.childId);
      await audit({ action: 'read', resource: 'counselling', resourceId: params.childId, outcome: 'success' });
      return {
        items: homes.openCounselling(file).map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
      };
    },
  });

  const addCounselling = defineRoute({
    method: 'post',
    path: '/facilities/:id/children/:childId/counselling',
    summary: 'Add a counselling record (stored sealed; never in events or logs)',
    tags: ['personal files'],
    params: childParams,
    body: z.object({ text: z.string().trim().min(1).max(5000) }),
    response: z.object({ counsellingRecords: z.number() }),
    auth: { roles: ['facility_manager', 'county_officer'] },
    handler: async ({ params, body, principal, audit }) => {
      const facility = await visibleFacility(ctx, principal, params.id);
      if (!mayReadCounselling(principal, facility)) throw AppError.notFound();
      const file = await homes.writeFile(params.id, params.childId, { counselling: body.text }, principal.sub);
      await audit({ action: 'create', resource: 'counselling', resourceId: params.childId, outcome: 'success' });
      return { counsellingRecords: file.counselling.length };
    },
  });

  // ----- activities -----

  const logActivity = defineRoute({
    method: 'post',
    path: '/facilities/:id/activities',
    summary: 'Log an activity (登记活动) — idempotent',
    description:
      'Send a client-generated `activityId` (or an `Idempotency-Key` header): a retry stores nothing new and answers 200 with the stored activity; the same id with a different activity is 409 idempotency_conflict.',
    tags: ['activities'],
    params: idParams,
    body: ZActivityInput,
    response: ZActivityView,
    auth: { roles: WRITERS },
    handler: async ({ params, body, principal, audit, req, res }) => {
      await visibleFacility(ctx, principal, params.id);
      const key = req.get('idempotency-key');
      if (key !== undefined && !/^[A-Za-z0-9_.:-]{8,128}$/.test(key)) {
        throw new AppError({
          code: 'bad_idempotency_key',
          status: 400,
          detail: {
            en: 'Idempotency-Key: 8–128 letters, digits or _.:-',
            zh: 'Idempotency-Key 应为8至128位字母、数字或 _.:-',
          },
        });
      }
      const { activity, created } = await activities.log(params.id, toActivityInput(body), {
        ...(body.activityId ? { activityId: body.activityId } : {}),
        ...(key ? { idempotencyKey: key } : {}),
        actor: principal.sub,
        correlationId: req.requestId,
      });
      if (created)
        await audit({ action: 'create', resource: 'activity', resourceId: activity._id, outcome: 'success' });
      res.locals.status = created ? 201 : 200;
      return activityView(activity);
    },
  });

  const listActivities = defineRoute({
    method: 'get',
    path: '/facilities/:id/activities',
    summary: 'Activities of a home in a month (本月活动)',
    tags: ['activities'],
    params: idParams,
    query: z.object({
      month: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
        .optional(),
      includeCancelled: z.enum(['true', 'false']).default('false'),
    }),
    response: z.object({ month: z.string(), items: z.array(ZActivityView) }),
    auth: { roles: STAFF },
    handler: async ({ params, query, principal }) => {
      await visibleFacility(ctx, principal, params.id);
      // Months are Beijing months.
      const month = query.month ?? new Date(ctx.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
      const from = new Date(`${month}-01T00:00:00+08:00`);
      const [y, m] = month.split('-').map(Number) as [number, number];
      const to = new Date(`${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-01T00:00:00+08:00`);
      const docs = await models.Activities.find({ facilityId: params.id }, { outbox: 0 }).lean<ActivityDoc[]>();
      const items = docs
        .filter((d) => new Date(d.startsAt) >= from && new Date(d.startsAt) < to)
        .filter((d) => query.includeCancelled === 'true' || d.status === 'logged')
        .sort((a, b) => new Date(a.startsAt).getTime() - new Date(b.startsAt).getTime());
      return { month, items: items.map(activityView) };
    },
  });

  const readActivity = defineRoute({
    method: 'get',
    path: '/activities/:id',
    summary: 'Read an activity with its history',
    tags: ['activities'],
    params: idParams,
    response: ZActivityView,
    auth: { roles: STAFF },
    handler: async ({ params, principal }) => {
      const doc = await models.Activities.findById(params.id).lean<ActivityDoc>();
      return activityView(assertInScope(principal, doc && { ...doc, facilityId: doc.facilityId }));
    },
  });

  const correct = defineRoute({
    method: 'post',
    path: '/activities/:id/correct',
    summary: 'Correct an activity (the previous version stays in its history)',
    tags: ['activities'],
    params: idParams,
    body: ZCorrection,
    response: ZActivityView,
    status: 200,
    auth: { roles: WRITERS },
    handler: async ({ params, body, principal, audit, req }) => {
      const doc = await models.Activities.findById(params.id).lean<ActivityDoc>();
      assertInScope(principal, doc && { ...doc, facilityId: doc.facilityId });
      const corrected = await activities.correct(params.id, toActivityInput(body.activity), {
        expectedSequence: body.expectedSequence,
        reason: body.reason,
        ...(body.note ? { note: body.note } : {}),
        actor: principal.sub,
        correlationId: req.requestId,
      });
      await audit({ action: 'update', resource: 'activity', resourceId: params.id, outcome: 'success' });
      return activityView(corrected);
    },
  });

  const cancel = defineRoute({
    method: 'post',
    path: '/activities/:id/cancel',
    summary: 'Cancel an activity with a reason',
    tags: ['activities'],
    params: idParams,
    body: ZCancellation,
    response: ZActivityView,
    status: 200,
    auth: { roles: WRITERS },
    handler: async ({ params, body, principal, audit, req }) => {
      const doc = await models.Activities.findById(params.id).lean<ActivityDoc>();
      assertInScope(principal, doc && { ...doc, facilityId: doc.facilityId });
      const cancelled = await activities.cancel(params.id, {
        ...body,
        actor: principal.sub,
        correlationId: req.requestId,
      } as never);
      await audit({ action: 'update', resource: 'activity', resourceId: params.id, outcome: 'success' });
      return activityView(cancelled);
    },
  });

  const received = defineRoute({
    method: 'get',
    path: '/facilities/:id/donations',
    summary: 'Books and funds the home received from donations (受赠图书和资金)',
    description:
      'From the donations service’s events: each allocation to this home, and whether (and how much) the home acknowledged receiving.',
    tags: ['facilities'],
    params: idParams,
    response: z.object({
      items: z.array(
        z.object({
          allocationId: z.string(),
          donationId: z.string(),
          donor: z.string(),
          kind: z.string(),
          title: z.string().optional(),
          quantity: z.number().optional(),
          amountFen: z.number().optional(),
          valueFen: z.number(),
          acknowledged: z.boolean(),
          quantityReceived: z.number().optional(),
          amountReceivedFen: z.number().optional(),
          acknowledgedOn: z.string().optional(),
        }),
      ),
      totals: z.object({
        booksAllocated: z.number(),
        booksReceived: z.number(),
        fundsAllocatedFen: z.number(),
        fundsReceivedFen: z.number(),
        fundsAllocatedYuan: z.string(),
        valueFen: z.number(),
      }),
    }),
    auth: { roles: STAFF },
    handler: async ({ params, principal }) => {
      await visibleFacility(ctx, principal, params.id);
      const docs = await models.ReceivedAllocations.find({ facilityId: params.id }).lean();
      const items = docs.map((d) => ({
        allocationId: d._id,
        donationId: d.donationId,
        donor: d.donorDisplayName,
        kind: d.kind,
        ...(d.title ? { title: d.title } : {}),
        ...(d.quantity !== undefined ? { quantity: d.quantity } : {}),
        ...(d.amountFen !== undefined ? { amountFen: d.amountFen } : {}),
        valueFen: d.valueFen,
        acknowledged: d.acknowledged ?? false,
        ...(d.quantityReceived !== undefined ? { quantityReceived: d.quantityReceived } : {}),
        ...(d.amountReceivedFen !== undefined ? { amountReceivedFen: d.amountReceivedFen } : {}),
        ...(d.acknowledgedOn ? { acknowledgedOn: d.acknowledgedOn } : {}),
      }));
      const sum = (values: (number | undefined)[]) => values.reduce<number>((a, b) => a + (b ?? 0), 0);
      const books = items.filter((i) => i.kind === 'books');
      const money = items.filter((i) => i.kind === 'money');
      const fundsAllocatedFen = sum(money.map((m) => m.amountFen));
      return {
        items,
        totals: {
          booksAllocated: sum(books.map((b) => b.quantity)),
          booksReceived: sum(books.map((b) => b.quantityReceived)),
          fundsAllocatedFen,
          fundsReceivedFen: sum(money.map((m) => m.amountReceivedFen)),
          fundsAllocatedYuan: formatYuan(fundsAllocatedFen),
          valueFen: sum(items.map((i) => i.valueFen)),
        },
      };
    },
  });

  return [
    open,
    list,
    received,
    read,
    update,
    status,
    fund,
    children,
    enrol,
    leave,
    readFile,
    writeFile,
    readCounselling,
    addCounselling,
    logActivity,
    listActivities,
    readActivity,
    correct,
    cancel,
  ];
}
