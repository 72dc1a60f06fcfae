/**
 * The donations API: donors, schools, homes (read), donations with their allocations, shipments and
 * acknowledgements, plaques, and the traceability reports.
 *
 * Access: the city (city_admin) sees and records everything; county officers read everything; a
 * charity (`charity` role) is bound to its donor organisation(s) by the `donorOrgs` claim and sees and
 * manages only those donations — anything else is 404, indistinguishable from missing. A home's
 * managers acknowledge what their home received.
 *
 * A child (a bursary 助学金, a small wish 微心愿) is a recipient only by decision of civil affairs:
 * the city, or the county officer of the child's region, allocates to it from any donation, records
 * the transfer and acknowledges it for the child. A child outside the officer's regions is refused
 * exactly like an unknown one; a charity cannot address a child (it never sees the register).
 */
import { AppError, canSeeRegion, defineRoute, type Principal } from '@tongxin/service-kit';
import { formatYuan, regionName } from '@tongxin/contracts/values';
import { z } from 'zod';

import { lineBalances, moneyBalance, totals } from '../domain/ledger.js';
import type { DonationDoc, DonationModels, DonorDoc, HomeViewDoc, SchoolDoc } from '../persistence/models.js';
import type { Donations } from '../service/donations.js';
import type { Registers } from '../service/registers.js';
import { traceability, traceabilityWorkbook, type Reports } from '../service/reports.js';
import {
  ZAcknowledgementInput,
  ZAcknowledgementView,
  ZAllocationBatchInput,
  ZAllocationInput,
  ZAllocationView,
  ZCancelInput,
  ZDispatchInput,
  ZDonationInput,
  ZDonationView,
  ZDonorInput,
  ZDonorView,
  ZHomeView,
  ZId,
  ZPlaqueInput,
  ZRecipientKind,
  ZSchoolInput,
  ZSchoolView,
  ZShipmentView,
} from './schemas.js';

export interface DonationsContext {
  models: DonationModels;
  donations: Donations;
  registers: Registers;
  reports: Reports;
  now: () => Date;
}

const READERS = ['city_admin', 'county_officer', 'charity'] as const;
const WRITERS = ['city_admin', 'charity'] as const;
/** Who may allocate to a child and record its transfer (within their regions). */
const isCivilAffairs = (principal: Principal) =>
  principal.roles.includes('city_admin') || principal.roles.includes('county_officer');
const childrenOnly = () =>
  new AppError({
    code: 'forbidden',
    status: 403,
    title: { en: 'not allowed', zh: '无权操作' },
    detail: {
      en: 'an allocation to a child is decided by civil affairs: the city or the county officer of the child’s region',
      zh: '向儿童个人分配（助学金、微心愿）由民政部门决定：市级或儿童所在县的民政干部',
    },
  });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const sees = (principal: Principal, donorId: string) =>
  principal.roles.includes('city_admin') ||
  principal.roles.includes('county_officer') ||
  (principal.roles.includes('charity') && principal.donorOrgs.includes(donorId));
const manages = (principal: Principal, donorId: string) =>
  principal.roles.includes('city_admin') ||
  (principal.roles.includes('charity') && principal.donorOrgs.includes(donorId));

function donorView(doc: DonorDoc): z.input<typeof ZDonorView> {
  return {
    id: doc._id,
    kind: doc.kind,
    ...(doc.organisationType ? { organisationType: doc.organisationType } : {}),
    displayName: doc.displayName,
    ...(doc.legalName ? { legalName: doc.legalName } : {}),
    ...(doc.note ? { note: doc.note } : {}),
  };
}

function schoolView(doc: SchoolDoc): z.input<typeof ZSchoolView> {
  const region = regionName(doc.regionCode);
  return {
    id: doc._id,
    name: doc.name,
    regionCode: doc.regionCode,
    ...(region ? { regionName: region } : {}),
    ...(doc.contactName ? { contactName: doc.contactName } : {}),
  };
}

export function donationView(doc: DonationDoc): z.input<typeof ZDonationView> {
  const balances = lineBalances(doc);
  const t = totals(doc);
  return {
    id: doc._id,
    sequence: doc.sequence,
    ...(doc.receiptNumber ? { receiptNumber: doc.receiptNumber } : {}),
    donorId: doc.donorId,
    donorKind: doc.donorKind,
    donorDisplayName: doc.donorDisplayName,
    kind: doc.kind,
    purpose: doc.purpose,
    ...(doc.restrictedTo ? { restrictedTo: doc.restrictedTo } : {}),
    status: doc.status,
    ...(doc.receivedOn ? { receivedOn: doc.receivedOn } : {}),
    ...(doc.amountFen !== undefined ? { amountFen: doc.amountFen, amountYuan: formatYuan(doc.amountFen) } : {}),
    lines: doc.lines.map((l) => {
      const b = balances.find((x) => x.lineId === l.lineId)!;
      return { ...l, allocated: b.allocated, remaining: b.remaining };
    }),
    ...(doc.kind === 'money' ? { remainingFen: moneyBalance(doc).remaining } : {}),
    totals: t,
    totalsYuan: {
      received: formatYuan(t.receivedValueFen),
      allocated: formatYuan(t.allocatedValueFen),
      acknowledged: formatYuan(t.acknowledgedValueFen),
    },
    allocations: doc.allocations,
    shipments: doc.shipments,
    acknowledgements: doc.acknowledgements,
    ...(doc.cancellation ? { cancellation: doc.cancellation } : {}),
    ...(doc.note ? { note: doc.note } : {}),
  };
}

export function donationRoutes(ctx: DonationsContext) {
  const { models, donations, registers, reports } = ctx;
  const idParams = z.object({ id: ZId });

  /** The donation when the caller may see it, else 404. */
  async function visible(principal: Principal, id: string): Promise<DonationDoc> {
    const doc = await models.Donations.findById(id, { outbox: 0 }).lean<DonationDoc>();
    if (!doc || !sees(principal, doc.donorId)) throw AppError.notFound();
    return doc;
  }
  /** The donation when the caller may change it; 404 when they may not even see it, 403 when only read. */
  async function managed(principal: Principal, id: string): Promise<DonationDoc> {
    const doc = await visible(principal, id);
    if (!manages(principal, doc.donorId)) throw new AppError({ code: 'forbidden', status: 403 });
    return doc;
  }

  // ----- donors -----

  const createDonor = defineRoute({
    method: 'post',
    path: '/donors',
    summary: 'Register a donor: an organisation or an individual (登记捐赠方)',
    tags: ['donors'],
    body: ZDonorInput,
    response: ZDonorView,
    auth: { roles: ['city_admin'] },
    handler: async ({ body, principal, audit }) => {
      const doc = await registers.createDonor(body, principal.sub);
      await audit({ action: 'create', resource: 'donor', resourceId: doc._id, outcome: 'success' });
      return donorView(doc);
    },
  });

  const listDonors = defineRoute({
    method: 'get',
    path: '/donors',
    summary: 'Donors you may see (your own organisation, for a charity)',
    tags: ['donors'],
    response: z.object({ items: z.array(ZDonorView) }),
    auth: { roles: READERS },
    handler: async ({ principal }) => {
      const docs = await models.Donors.find({}).sort({ displayName: 1 }).lean<DonorDoc[]>();
      return { items: docs.filter((d) => sees(principal, d._id)).map(donorView) };
    },
  });

  const readDonor = defineRoute({
    method: 'get',
    path: '/donors/:id',
    summary: 'Read a donor',
    tags: ['donors'],
    params: idParams,
    response: ZDonorView,
    auth: { roles: READERS },
    handler: async ({ params, principal }) => {
      const doc = await models.Donors.findById(params.id).lean<DonorDoc>();
      if (!doc || !sees(principal, doc._id)) throw AppError.notFound();
      return donorView(doc);
    },
  });

  const donorReport = defineRoute({
    method: 'get',
    path: '/donors/:id/report',
    summary: 'A donor’s report: totals by year, recipients reached, delivery rate',
    tags: ['reports'],
    params: idParams,
    auth: { roles: READERS },
    handler: async ({ params, principal, audit }) => {
      const donor = await models.Donors.findById(params.id).lean<DonorDoc>();
      if (!donor || !sees(principal, donor._id)) throw AppError.notFound();
      const docs = await models.Donations.find({ donorId: donor._id }, { outbox: 0 }).lean<DonationDoc[]>();
      await audit({ action: 'read', resource: 'donor_report', resourceId: donor._id, outcome: 'success' });
      return { displayName: donor.displayName, ...(await reports.donorReport(donor._id, docs)) };
    },
  });

  // ----- schools and homes -----

  const registerSchool = defineRoute({
    method: 'post',
    path: '/schools',
    summary: 'Register a school that can receive donations (登记受赠学校)',
    tags: ['recipients'],
    body: ZSchoolInput,
    response: ZSchoolView,
    auth: { roles: ['city_admin', 'county_officer'] },
    handler: async ({ body, principal, audit }) => {
      if (!canSeeRegion(principal, body.regionCode)) throw new AppError({ code: 'forbidden', status: 403 });
      const doc = await registers.registerSchool(
        {
          ...(body.schoolId ? { schoolId: body.schoolId } : {}),
          name: body.name,
          regionCode: body.regionCode,
          ...(body.contactName ? { contactName: body.contactName } : {}),
        },
        principal.sub,
      );
      await audit({ action: 'create', resource: 'school', resourceId: doc._id, outcome: 'success' });
      return schoolView(doc);
    },
  });

  const listSchools = defineRoute({
    method: 'get',
    path: '/schools',
    summary: 'Registered schools',
    tags: ['recipients'],
    query: z.object({
      region: z
        .string()
        .regex(/^\d{2,12}$/)
        .optional(),
    }),
    response: z.object({ items: z.array(ZSchoolView) }),
    auth: { roles: READERS },
    handler: async ({ query }) => {
      const docs = await models.Schools.find({}).sort({ regionCode: 1, name: 1 }).lean<SchoolDoc[]>();
      return { items: docs.filter((d) => !query.region || d.regionCode.startsWith(query.region)).map(schoolView) };
    },
  });

  const listHomes = defineRoute({
    method: 'get',
    path: '/homes',
    summary: 'Children’s homes that can receive donations (from the facilities service’s events)',
    tags: ['recipients'],
    response: z.object({ items: z.array(ZHomeView) }),
    auth: { roles: READERS },
    handler: async () => {
      const docs = await models.Homes.find({}).sort({ regionCode: 1, name: 1 }).lean<HomeViewDoc[]>();
      return { items: docs.map((d) => ({ id: d._id, name: d.name, regionCode: d.regionCode, status: d.status })) };
    },
  });

  const recipientReport = defineRoute({
    method: 'get',
    path: '/recipients/:kind/:id/report',
    summary: 'What a home or school received, and from whom (a charity sees only its own donations)',
    tags: ['reports'],
    params: z.object({ kind: ZRecipientKind, id: ZId }),
    auth: { roles: [...READERS, 'facility_manager'] },
    handler: async ({ params, principal, audit }) => {
      const info = await registers.recipientInfo(params.kind, params.id);
      if (!info) throw AppError.notFound();
      const officer = principal.roles.includes('city_admin') || principal.roles.includes('county_officer');
      const manager =
        params.kind === 'facility' &&
        principal.roles.includes('facility_manager') &&
        principal.facilities.includes(params.id);
      const charity = principal.roles.includes('charity');
      if (!officer && !manager && !charity) throw AppError.notFound();
      const all = await models.Donations.find({ 'allocations.recipientId': params.id }, { outbox: 0 }).lean<
        DonationDoc[]
      >();
      const docs = officer || manager ? all : all.filter((d) => sees(principal, d.donorId));
      await audit({ action: 'read', resource: 'recipient_report', resourceId: params.id, outcome: 'success' });
      return {
        recipientName: info.name,
        recipientRegionCode: info.regionCode,
        ...(await reports.recipientReport(params.kind, params.id, docs)),
      };
    },
  });

  const plaque = defineRoute({
    method: 'post',
    path: '/plaques',
    summary: 'Record a plaque or named library at a recipient (e.g. 中慈爱心图书室)',
    tags: ['recipients'],
    body: ZPlaqueInput,
    response: z.object({
      plaqueId: z.string(),
      name: z.string(),
      recipientKind: z.string(),
      recipientId: z.string(),
      installedOn: z.string(),
    }),
    auth: { roles: WRITERS },
    handler: async ({ body, principal, audit }) => {
      if (!manages(principal, body.donorId)) throw AppError.notFound();
      if (body.donationId) {
        const d = await visible(principal, body.donationId);
        if (d.donorId !== body.donorId) throw AppError.notFound();
      }
      const doc = await registers.recordPlaque(
        {
          recipientKind: body.recipientKind,
          recipientId: body.recipientId,
          name: body.name,
          donorId: body.donorId,
          ...(body.donationId ? { donationId: body.donationId } : {}),
          installedOn: body.installedOn,
          photoRefs: body.photoRefs,
        },
        principal.sub,
      );
      await audit({ action: 'create', resource: 'plaque', resourceId: doc._id, outcome: 'success' });
      return {
        plaqueId: doc._id,
        name: doc.name,
        recipientKind: doc.recipientKind,
        recipientId: doc.recipientId,
        installedOn: doc.installedOn,
      };
    },
  });

  // ----- donations -----

  const create = defineRoute({
    method: 'post',
    path: '/donations',
    summary: 'Register a donation of money, books or goods (登记捐赠) — a receipt number is issued',
    description:
      'Money as yuan text with at most two decimals (`amountYuan: "1,100,000.00"`); books per title (ISBN-13 checked when given) or as a batch with its total value; goods with unit and unit value. `pledged: true` records a promise: no receipt and no event until `POST /donations/{id}/receive`.',
    tags: ['donations'],
    body: ZDonationInput,
    response: ZDonationView,
    auth: { roles: WRITERS },
    handler: async ({ body, principal, audit, req }) => {
      if (!manages(principal, body.donorId)) throw AppError.notFound();
      const doc = await donations.create(
        {
          donorId: body.donorId,
          kind: body.kind,
          purpose: body.purpose,
          ...(body.restrictedTo ? { restrictedTo: body.restrictedTo } : {}),
          ...(body.receivedOn ? { receivedOn: body.receivedOn } : {}),
          pledged: body.pledged,
          ...(body.amountYuan !== undefined ? { amountFen: body.amountYuan } : {}),
          lines: (body.lines ?? []).map((l) => {
            if (l.type === 'book_batch') {
              const { valueYuan, ...rest } = l;
              return { ...rest, valueFen: valueYuan };
            }
            const { unitValueYuan, ...rest } = l;
            const valueFen = unitValueYuan * l.quantity;
            if (!Number.isSafeInteger(valueFen)) {
              throw new AppError({
                code: 'amount_too_large',
                status: 400,
                detail: { en: 'a line’s value is too large', zh: '明细金额过大' },
              });
            }
            return { ...rest, unitValueFen: unitValueYuan, valueFen };
          }),
          ...(body.note ? { note: body.note } : {}),
        },
        principal.sub,
        req.requestId,
      );
      await audit({ action: 'create', resource: 'donation', resourceId: doc._id, outcome: 'success' });
      return donationView(doc);
    },
  });

  const list = defineRoute({
    method: 'get',
    path: '/donations',
    summary: 'Donations you may see (your own, for a charity)',
    tags: ['donations'],
    query: z.object({
      donorId: ZId.optional(),
      status: z.enum(['pledged', 'received', 'partially_allocated', 'allocated', 'cancelled']).optional(),
    }),
    response: z.object({ items: z.array(ZDonationView) }),
    auth: { roles: READERS },
    handler: async ({ query, principal }) => {
      const filter: Record<string, unknown> = {};
      if (query.donorId) filter.donorId = query.donorId;
      if (query.status) filter.status = query.status;
      const docs = await models.Donations.find(filter, { outbox: 0 }).sort({ createdAt: -1 }).lean<DonationDoc[]>();
      return { items: docs.filter((d) => sees(principal, d.donorId)).map(donationView) };
    },
  });

  const read = defineRoute({
    method: 'get',
    path: '/donations/:id',
    summary: 'Read a donation with its lines, allocations, shipments and acknowledgements',
    tags: ['donations'],
    params: idParams,
    response: ZDonationView,
    auth: { roles: READERS },
    handler: async ({ params, principal }) => donationView(await visible(principal, params.id)),
  });

  const receive = defineRoute({
    method: 'post',
    path: '/donations/:id/receive',
    summary: 'A pledged donation arrived: issue its receipt and announce it',
    tags: ['donations'],
    params: idParams,
    body: z.object({ receivedOn: z.iso.date() }),
    response: ZDonationView,
    status: 200,
    auth: { roles: WRITERS },
    handler: async ({ params, body, principal, audit, req }) => {
      await managed(principal, params.id);
      const doc = await donations.receive(params.id, body.receivedOn, req.requestId);
      await audit({ action: 'update', resource: 'donation', resourceId: doc._id, outcome: 'success' });
      return donationView(doc);
    },
  });

  /** Who may allocate to these recipients: the donor's managers, and for children civil affairs of their regions. */
  async function mayAllocate(principal: Principal, donationId: string, kinds: string[]) {
    if (kinds.includes('child')) {
      await visible(principal, donationId);
      if (!isCivilAffairs(principal)) throw childrenOnly();
    }
    if (kinds.some((k) => k !== 'child')) await managed(principal, donationId);
  }

  const toRequest = (principal: Principal, body: z.output<typeof ZAllocationInput>) => ({
    recipientKind: body.recipientKind,
    recipientId: body.recipientId,
    inScope: (regionCode: string) => canSeeRegion(principal, regionCode),
    ...(body.lines ? { lines: body.lines } : {}),
    ...(body.amountYuan !== undefined ? { amountFen: body.amountYuan } : {}),
  });

  const allocate = defineRoute({
    method: 'post',
    path: '/donations/:id/allocations',
    summary: 'Allocate line quantities or an amount to a home, a school or one child (分配 / 助学金)',
    description:
      'Never more than what remains: 409 `over_allocation` with `remaining` (units of the line, or fen) in the problem. Concurrent allocations are serialised on the donation: one of two requests that together exceed the balance is refused. `recipientKind: "child"` with the childId (a bursary or small wish): by the city or the county officer of the child’s region, from any donation; an unknown child, or one outside the caller’s regions, is 404 `recipient_unknown`, a child no longer on the register 422 `recipient_not_active`. The child appears by its masked name only (张*明).',
    tags: ['donations'],
    params: idParams,
    body: ZAllocationInput,
    response: z.object({ donation: ZDonationView, allocations: z.array(ZAllocationView) }),
    auth: { roles: [...WRITERS, 'county_officer'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await mayAllocate(principal, params.id, [body.recipientKind]);
      const result = await donations.allocate(params.id, toRequest(principal, body), principal.sub, req.requestId);
      await audit({ action: 'update', resource: 'donation', resourceId: params.id, outcome: 'success' });
      return { donation: donationView(result.donation), allocations: result.allocations };
    },
  });

  const allocateBatch = defineRoute({
    method: 'post',
    path: '/donations/:id/allocations/batch',
    summary: 'Allocate to many recipients at once, all or none (批量分配)',
    description:
      'Up to 500 allocations, each as in `POST …/allocations`, decided in order against what the ones before it left and written in one commit: the city shares a fund among its homes, a county officer pays its children’s bursaries. One refusal refuses the whole batch, and its problem names the request by `index` (from 0) besides its own code (`over_allocation`, `recipient_unknown`, `recipient_not_active`, …).',
    tags: ['donations'],
    params: idParams,
    body: ZAllocationBatchInput,
    response: z.object({ donation: ZDonationView, allocations: z.array(ZAllocationView) }),
    auth: { roles: [...WRITERS, 'county_officer'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await mayAllocate(
        principal,
        params.id,
        body.allocations.map((a) => a.recipientKind),
      );
      const result = await donations.allocateMany(
        params.id,
        body.allocations.map((a) => toRequest(principal, a)),
        principal.sub,
        req.requestId,
      );
      await audit({ action: 'update', resource: 'donation', resourceId: params.id, outcome: 'success' });
      return { donation: donationView(result.donation), allocations: result.allocations };
    },
  });

  const dispatch = defineRoute({
    method: 'post',
    path: '/donations/:id/shipments',
    summary: 'Dispatch allocated units (or transfer allocated money) to recipients (发运/拨付)',
    description:
      'By the city or the donor charity; for allocations to children also by the county officer of their region.',
    tags: ['donations'],
    params: idParams,
    body: ZDispatchInput,
    response: z.object({ donation: ZDonationView, shipments: z.array(ZShipmentView) }),
    auth: { roles: [...WRITERS, 'county_officer'] },
    handler: async ({ params, body, principal, audit, req }) => {
      const doc = await visible(principal, params.id);
      const toOwnChildren =
        isCivilAffairs(principal) &&
        body.items.every((i) => {
          const a = doc.allocations.find((x) => x.allocationId === i.allocationId);
          return a?.recipientKind === 'child' && canSeeRegion(principal, a.recipientRegionCode);
        });
      if (!manages(principal, doc.donorId) && !toOwnChildren) throw new AppError({ code: 'forbidden', status: 403 });
      const result = await donations.dispatch(
        params.id,
        {
          dispatchedOn: body.dispatchedOn,
          ...(body.carrier ? { carrier: body.carrier } : {}),
          ...(body.trackingNumber ? { trackingNumber: body.trackingNumber } : {}),
          items: body.items.map((i) => ({
            allocationId: i.allocationId,
            ...(i.quantity !== undefined ? { quantity: i.quantity } : {}),
            ...(i.amountYuan !== undefined ? { amountFen: i.amountYuan } : {}),
          })),
        },
        principal.sub,
        req.requestId,
      );
      await audit({ action: 'update', resource: 'donation', resourceId: params.id, outcome: 'success' });
      return { donation: donationView(result.donation), shipments: result.shipments };
    },
  });

  const acknowledge = defineRoute({
    method: 'post',
    path: '/donations/:id/acknowledgements',
    summary: 'A recipient acknowledges what it received, with discrepancies and their reasons (签收)',
    description:
      'Per shipment: quantity (or amount) received — default what was dispatched. A difference needs `discrepancyReason` (missing, damaged, surplus, wrong_item, other). Recorded by the city, the donor charity, the home’s managers or the recipient’s county officer (for a child: the county officer of the child’s region).',
    tags: ['donations'],
    params: idParams,
    body: ZAcknowledgementInput,
    response: z.object({ donation: ZDonationView, acknowledgements: z.array(ZAcknowledgementView) }),
    auth: { roles: ['city_admin', 'charity', 'facility_manager', 'county_officer'] },
    handler: async ({ params, body, principal, audit, req }) => {
      const doc = await models.Donations.findById(params.id, { outbox: 0 }).lean<DonationDoc>();
      if (!doc) throw AppError.notFound();
      const recipients = body.items.map((i) => {
        const shipment = doc.shipments.find((s) => s.shipmentId === i.shipmentId);
        return doc.allocations.find((a) => a.allocationId === shipment?.allocationId);
      });
      const forRecipient = recipients.every(
        (a) =>
          a &&
          ((principal.roles.includes('facility_manager') &&
            a.recipientKind === 'facility' &&
            principal.facilities.includes(a.recipientId)) ||
            (principal.roles.includes('county_officer') && canSeeRegion(principal, a.recipientRegionCode))),
      );
      if (!manages(principal, doc.donorId) && !forRecipient) throw AppError.notFound();
      const result = await donations.acknowledge(
        params.id,
        {
          acknowledgedOn: body.acknowledgedOn,
          ...(body.note ? { note: body.note } : {}),
          photoRefs: body.photoRefs,
          items: body.items.map((i) => ({
            shipmentId: i.shipmentId,
            ...(i.quantityReceived !== undefined ? { quantityReceived: i.quantityReceived } : {}),
            ...(i.amountYuan !== undefined ? { amountFen: i.amountYuan } : {}),
            ...(i.discrepancyReason ? { discrepancyReason: i.discrepancyReason } : {}),
          })),
        },
        principal.sub,
        req.requestId,
      );
      await audit({ action: 'update', resource: 'donation', resourceId: params.id, outcome: 'success' });
      return { donation: donationView(result.donation), acknowledgements: result.acknowledgements };
    },
  });

  const cancel = defineRoute({
    method: 'post',
    path: '/donations/:id/cancel',
    summary: 'Cancel a donation with a reason (before anything was dispatched)',
    tags: ['donations'],
    params: idParams,
    body: ZCancelInput,
    response: ZDonationView,
    status: 200,
    auth: { roles: WRITERS },
    handler: async ({ params, body, principal, audit, req }) => {
      await managed(principal, params.id);
      const doc = await donations.cancel(
        params.id,
        { reason: body.reason, cancelledOn: body.cancelledOn, ...(body.note ? { note: body.note } : {}) },
        principal.sub,
        req.requestId,
      );
      await audit({ action: 'update', resource: 'donation', resourceId: doc._id, outcome: 'success' });
      return donationView(doc);
    },
  });

  // ----- traceability -----

  const trace = defineRoute({
    method: 'get',
    path: '/donations/:id/traceability',
    summary: 'Traceability of a donation: every recipient, allocated, dispatched, acknowledged, discrepancies (可追溯)',
    tags: ['reports'],
    params: idParams,
    auth: { roles: READERS },
    handler: async ({ params, principal }) => {
      const doc = await visible(principal, params.id);
      return traceability(doc, await models.Plaques.find({ donorId: doc.donorId }).lean());
    },
  });

  const traceXlsx = defineRoute({
    method: 'get',
    path: '/donations/:id/traceability.xlsx',
    summary: 'The traceability report as .xlsx (捐赠去向追溯表)',
    tags: ['reports'],
    params: idParams,
    auth: { roles: READERS },
    handler: async ({ params, principal, audit, res }) => {
      const doc = await visible(principal, params.id);
      const report = traceability(doc, await models.Plaques.find({ donorId: doc.donorId }).lean());
      const file = await traceabilityWorkbook(report, ctx.now());
      await audit({ action: 'export', resource: 'traceability', resourceId: doc._id, outcome: 'success' });
      res
        .status(200)
        .type(XLSX)
        .setHeader(
          'Content-Disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`捐赠去向追溯表-${doc.receiptNumber ?? doc._id}.xlsx`)}`,
        )
        .send(file);
      return undefined;
    },
  });

  return [
    createDonor,
    listDonors,
    readDonor,
    donorReport,
    registerSchool,
    listSchools,
    listHomes,
    recipientReport,
    plaque,
    create,
    list,
    read,
    receive,
    allocate,
    allocateBatch,
    dispatch,
    acknowledge,
    cancel,
    trace,
    traceXlsx,
  ];
}
