/**
 * The volunteers API: organisations, volunteers with their safeguarding record, renewals,
 * certificates, homes (read), and events with sign-ups, assignments, attendance, hours and closing.
 *
 * Access: a `volunteer_coordinator` is bound to organisation(s) by the token's `volunteerOrgs`. They
 * manage their organisation's volunteers and events. Another organisation's volunteer is readable
 * (organisers need to know who applies) but with the phone masked and without the clearance
 * document's details; county officers and the city read every volunteer the same masked way. An
 * event's children (names) are shown to its organiser, the city, the county officers of its region
 * and the managers of the hosting home; other readers see counts only.
 */
import { ROLES } from '@tongxin/contracts';
import { maskMobile, regionName } from '@tongxin/contracts/values';
import { AppError, canSeeRegion, defineRoute, type Principal } from '@tongxin/service-kit';
import { z } from 'zod';

import { beijingDate } from '../domain/dates.js';
import { CONTRACT_KIND } from '../domain/kinds.js';
import { clearanceStatus, clearedForChildren } from '../domain/safeguarding.js';
import type { EventDoc, HomeViewDoc, OrganisationDoc, VolunteerDoc, VolunteerModels } from '../persistence/models.js';
import { certificateOf, certificateWorkbook } from '../service/certificates.js';
import type { Events } from '../service/events.js';
import type { Organisations } from '../service/organisations.js';
import type { Volunteers } from '../service/volunteers.js';
import {
  ZAssignInput,
  ZAttendanceInput,
  ZChildSignUpInput,
  ZClearanceInput,
  ZCloseInput,
  ZEventInput,
  ZHoursInput,
  ZId,
  ZOrganisationInput,
  ZReason,
  ZSkill,
  ZTrainingInput,
  ZVolunteerInput,
} from './schemas.js';

export interface VolunteersContext {
  models: VolunteerModels;
  organisations: Organisations;
  volunteers: Volunteers;
  events: Events;
  renewalDays: number;
  now: () => Date;
}

const VOLUNTEER_READERS = ['city_admin', 'county_officer', 'volunteer_coordinator'] as const;
const EVENT_READERS = ['city_admin', 'county_officer', 'volunteer_coordinator', 'facility_manager'] as const;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const forbidden = () => new AppError({ code: 'forbidden', status: 403 });
const coordinates = (principal: Principal, organisationId: string) =>
  principal.roles.includes('volunteer_coordinator') && principal.volunteerOrgs.includes(organisationId);
/** A coordinator of one of the volunteer's organisations: sees the phone and the clearance's details. */
const ownVolunteer = (principal: Principal, doc: VolunteerDoc) =>
  doc.organisationIds.some((o) => coordinates(principal, o));
const hostsEvent = (principal: Principal, doc: EventDoc) =>
  doc.venue.kind === 'home' &&
  principal.roles.includes('facility_manager') &&
  principal.facilities.includes(doc.venue.facilityId);
const seesEvent = (principal: Principal, doc: EventDoc) =>
  principal.roles.includes('city_admin') ||
  principal.roles.includes('volunteer_coordinator') ||
  (principal.roles.includes('county_officer') && canSeeRegion(principal, doc.regionCode)) ||
  hostsEvent(principal, doc);
/** Sees the children's names and the wait-list. */
const seesChildren = (principal: Principal, doc: EventDoc) =>
  principal.roles.includes('city_admin') ||
  coordinates(principal, doc.organisationId) ||
  (principal.roles.includes('county_officer') && canSeeRegion(principal, doc.regionCode)) ||
  hostsEvent(principal, doc);

export function volunteerView(doc: VolunteerDoc, full: boolean, today: string, phone: string) {
  const status = clearanceStatus(doc, today);
  return {
    id: doc._id,
    organisationIds: doc.organisationIds,
    name: doc.name,
    displayName: doc.displayName,
    /** In full to the volunteer's own organisation; masked (138****5678) to everyone else. */
    phone: full ? phone : maskMobile(phone),
    phoneMasked: !full,
    skills: doc.skills,
    ...(doc.counsellingQualification ? { counsellingQualification: doc.counsellingQualification } : {}),
    availability: doc.availability,
    status: doc.status,
    ...(full && doc.userId ? { userId: doc.userId } : {}),
    safeguarding: {
      clearanceStatus: status,
      clearedForChildren: clearedForChildren(doc, today),
      ...(doc.clearance ? { clearanceExpiresOn: doc.clearance.expiresOn } : {}),
      ...(full && doc.clearance
        ? {
            clearance: {
              documentType: doc.clearance.documentType,
              number: `****${doc.clearance.numberLast4}`,
              issuedOn: doc.clearance.issuedOn,
              expiresOn: doc.clearance.expiresOn,
              verifiedBy: doc.clearance.verifiedBy,
              verifiedAt: doc.clearance.verifiedAt,
            },
          }
        : {}),
      ...(doc.training ? { training: { completedOn: doc.training.completedOn } } : {}),
      ...(full && doc.revoked ? { revoked: doc.revoked } : {}),
    },
  };
}

export function eventView(doc: EventDoc, withChildren: boolean) {
  const region = regionName(doc.regionCode);
  return {
    id: doc._id,
    sequence: doc.sequence,
    organisationId: doc.organisationId,
    kind: doc.kind,
    contractKind: CONTRACT_KIND[doc.kind],
    title: doc.title,
    ...(doc.description ? { description: doc.description } : {}),
    startsOn: doc.startsOn,
    endsOn: doc.endsOn,
    venue: doc.venue,
    regionCode: doc.regionCode,
    ...(region ? { regionName: region } : {}),
    capacity: doc.capacity,
    roles: doc.roles.map((r) => ({
      ...r,
      assigned: doc.volunteers.filter((v) => v.roleId === r.roleId).length,
    })),
    eligibility: doc.eligibility,
    registration: doc.registration,
    involvesChildren: doc.involvesChildren,
    status: doc.status,
    registeredCount: doc.children.length,
    waitlistCount: doc.waitlist.length,
    placesLeft: Math.max(0, doc.capacity - doc.children.length),
    ...(withChildren
      ? {
          children: doc.children.map((c) => ({ childId: c.childId, name: c.name, registeredAt: c.at })),
          waitlist: doc.waitlist.map((c, i) => ({ childId: c.childId, name: c.name, position: i + 1, at: c.at })),
          attendance: doc.attendance,
          cancellations: doc.cancellations,
        }
      : {}),
    volunteers: doc.volunteers.map((v) => ({
      volunteerId: v.volunteerId,
      displayName: v.displayName,
      roleId: v.roleId,
      via: v.via,
    })),
    attendedVolunteerIds: [...new Set(doc.attendance.flatMap((a) => a.volunteerIds))],
    hours: doc.hours,
    ...(doc.closed ? { closed: doc.closed } : {}),
  };
}

export function volunteerRoutes(ctx: VolunteersContext) {
  const { models, organisations, volunteers, events } = ctx;
  const today = () => beijingDate(ctx.now());
  const idParams = z.object({ id: ZId });

  async function readVolunteer(id: string): Promise<VolunteerDoc> {
    const doc = await models.Volunteers.findById(id, { outbox: 0 }).lean<VolunteerDoc>();
    if (!doc) throw AppError.notFound();
    return doc;
  }
  /** The volunteer when the caller coordinates one of its organisations; 403 when they only read. */
  async function managedVolunteer(principal: Principal, id: string): Promise<VolunteerDoc> {
    const doc = await readVolunteer(id);
    if (!ownVolunteer(principal, doc)) throw forbidden();
    return doc;
  }
  const view = (principal: Principal, doc: VolunteerDoc) =>
    volunteerView(doc, ownVolunteer(principal, doc), today(), volunteers.openPhone(doc));

  async function visibleEvent(principal: Principal, id: string): Promise<EventDoc> {
    const doc = await models.Events.findById(id, { outbox: 0 }).lean<EventDoc>();
    if (!doc || !seesEvent(principal, doc)) throw AppError.notFound();
    return doc;
  }
  /** The organiser's coordinators (and, when `host`, the hosting home's managers) may change it. */
  async function organisedEvent(principal: Principal, id: string, host = false): Promise<EventDoc> {
    const doc = await visibleEvent(principal, id);
    if (!coordinates(principal, doc.organisationId) && !(host && hostsEvent(principal, doc))) throw forbidden();
    return doc;
  }
  const answer = (principal: Principal, doc: EventDoc) => eventView(doc, seesChildren(principal, doc));

  // ----- organisations -----

  const createOrganisation = defineRoute({
    method: 'post',
    path: '/organisations',
    summary: 'Register a volunteer organisation (共青团委, 少工委, 妇联, school, charity, social work, company)',
    tags: ['organisations'],
    body: ZOrganisationInput,
    auth: { roles: ['city_admin'] },
    handler: async ({ body, principal, audit }) => {
      const doc = await organisations.create(
        { _id: body.organisationId, kind: body.kind, name: body.name, regionCode: body.regionCode },
        principal.sub,
      );
      await audit({ action: 'create', resource: 'organisation', resourceId: doc._id, outcome: 'success' });
      return { id: doc._id, kind: doc.kind, name: doc.name, regionCode: doc.regionCode };
    },
  });

  const listOrganisations = defineRoute({
    method: 'get',
    path: '/organisations',
    summary: 'Volunteer organisations',
    tags: ['organisations'],
    auth: { roles: EVENT_READERS },
    handler: async () => {
      const docs = await models.Organisations.find({}).sort({ _id: 1 }).lean<OrganisationDoc[]>();
      return { items: docs.map((d) => ({ id: d._id, kind: d.kind, name: d.name, regionCode: d.regionCode })) };
    },
  });

  // ----- volunteers -----

  const registerVolunteer = defineRoute({
    method: 'post',
    path: '/volunteers',
    summary: 'Register a volunteer of your organisation (登记志愿者)',
    description:
      'Skills: art, go, calligraphy, music, sport, tutoring, counselling (counselling needs `counsellingQualification`). The phone is sealed at rest. The clearance and training are recorded afterwards by a coordinator who verified them.',
    tags: ['volunteers'],
    body: ZVolunteerInput,
    auth: { roles: ['volunteer_coordinator'] },
    handler: async ({ body, principal, audit, req }) => {
      if (!body.organisationIds.every((o) => coordinates(principal, o))) throw forbidden();
      const doc = await volunteers.register(
        {
          organisationIds: body.organisationIds,
          name: body.name,
          displayName: body.displayName,
          phone: body.phone,
          skills: body.skills,
          ...(body.counsellingQualification ? { counsellingQualification: body.counsellingQualification } : {}),
          availability: {
            periods: body.availability.periods,
            ...(body.availability.note ? { note: body.availability.note } : {}),
          },
          ...(body.userId ? { userId: body.userId } : {}),
        },
        principal.sub,
        req.requestId,
      );
      await audit({ action: 'create', resource: 'volunteer', resourceId: doc._id, outcome: 'success' });
      return view(principal, doc);
    },
  });

  const renewals = defineRoute({
    method: 'get',
    path: '/clearance-renewals',
    summary: 'Clearances expiring soon or expired (续办提醒), soonest first',
    description:
      'Within `days` (default `CLEARANCE_RENEWAL_DAYS`, 60). A coordinator sees their organisations’ volunteers.',
    tags: ['volunteers'],
    query: z.object({ days: z.coerce.number().int().min(0).max(3650).optional() }),
    auth: { roles: ['city_admin', 'volunteer_coordinator'] },
    handler: async ({ query, principal }) => {
      const days = query.days ?? ctx.renewalDays;
      const scope = principal.roles.includes('city_admin') ? undefined : principal.volunteerOrgs;
      return { days, items: await volunteers.renewals(days, scope) };
    },
  });

  const listVolunteers = defineRoute({
    method: 'get',
    path: '/volunteers',
    summary:
      'Volunteers: a coordinator lists their own organisations’; the city and county officers all (phones masked)',
    tags: ['volunteers'],
    query: z.object({
      organisationId: ZId.optional(),
      skill: ZSkill.optional(),
      clearedForChildren: z.enum(['true', 'false']).optional(),
    }),
    auth: { roles: VOLUNTEER_READERS },
    handler: async ({ query, principal }) => {
      const filter: Record<string, unknown> = {};
      if (query.organisationId) filter.organisationIds = query.organisationId;
      const officer = principal.roles.includes('city_admin') || principal.roles.includes('county_officer');
      const docs = (await models.Volunteers.find(filter, { outbox: 0 }).sort({ _id: 1 }).lean<VolunteerDoc[]>())
        .filter((d) => officer || ownVolunteer(principal, d))
        .filter((d) => !query.skill || d.skills.includes(query.skill))
        .filter(
          (d) =>
            query.clearedForChildren === undefined ||
            clearedForChildren(d, today()) === (query.clearedForChildren === 'true'),
        );
      return { items: docs.map((d) => view(principal, d)) };
    },
  });

  const readVolunteerRoute = defineRoute({
    method: 'get',
    path: '/volunteers/:id',
    summary: 'Read a volunteer (phone in full to their own organisation, masked to others)',
    tags: ['volunteers'],
    params: idParams,
    auth: { roles: VOLUNTEER_READERS },
    handler: async ({ params, principal, audit }) => {
      const doc = await readVolunteer(params.id);
      await audit({ action: 'read', resource: 'volunteer', resourceId: doc._id, outcome: 'success' });
      return view(principal, doc);
    },
  });

  const recordClearance = defineRoute({
    method: 'put',
    path: '/volunteers/:id/clearance',
    summary: 'Record a verified safeguarding clearance (无犯罪记录证明) — verified by you, now',
    description:
      'The certificate number is sealed and never returned, logged or published; `volunteers.volunteer.v1` announces the status and expiry only.',
    tags: ['safeguarding'],
    params: idParams,
    body: ZClearanceInput,
    auth: { roles: ['volunteer_coordinator'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await managedVolunteer(principal, params.id);
      const doc = await volunteers.recordClearance(params.id, body, principal.sub, req.requestId);
      await audit({ action: 'update', resource: 'volunteer_clearance', resourceId: doc._id, outcome: 'success' });
      return view(principal, doc);
    },
  });

  const recordTraining = defineRoute({
    method: 'put',
    path: '/volunteers/:id/training',
    summary: 'Record completed child-protection training (儿童保护培训)',
    tags: ['safeguarding'],
    params: idParams,
    body: ZTrainingInput,
    auth: { roles: ['volunteer_coordinator'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await managedVolunteer(principal, params.id);
      const doc = await volunteers.recordTraining(
        params.id,
        { completedOn: body.completedOn, ...(body.provider ? { provider: body.provider } : {}) },
        principal.sub,
        req.requestId,
      );
      await audit({ action: 'update', resource: 'volunteer_training', resourceId: doc._id, outcome: 'success' });
      return view(principal, doc);
    },
  });

  const revoke = defineRoute({
    method: 'post',
    path: '/volunteers/:id/clearance/revoke',
    summary: 'Revoke a volunteer’s clearance (e.g. a concern was raised): no more events with children',
    tags: ['safeguarding'],
    params: idParams,
    body: ZReason,
    status: 200,
    auth: { roles: ['volunteer_coordinator'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await managedVolunteer(principal, params.id);
      const doc = await volunteers.revokeClearance(params.id, body.reason, principal.sub, req.requestId);
      await audit({ action: 'update', resource: 'volunteer_clearance', resourceId: doc._id, outcome: 'success' });
      return view(principal, doc);
    },
  });

  /** The volunteer themself (token `sub` = their `userId`), their organisation's coordinators, the city. */
  async function certificateFor(principal: Principal, id: string) {
    const doc = await readVolunteer(id);
    const self = doc.userId !== undefined && doc.userId === principal.sub;
    if (!self && !ownVolunteer(principal, doc) && !principal.roles.includes('city_admin')) throw AppError.notFound();
    return { doc, certificate: await certificateOf(models, doc, ctx.now()) };
  }

  const certificate = defineRoute({
    method: 'get',
    path: '/volunteers/:id/certificate',
    summary: 'Certificate of service hours (志愿服务时长证明): the organisers’ confirmed minutes, per event',
    tags: ['volunteers'],
    params: idParams,
    auth: { roles: ROLES },
    handler: async ({ params, principal, audit }) => {
      const { doc, certificate } = await certificateFor(principal, params.id);
      await audit({ action: 'export', resource: 'hours_certificate', resourceId: doc._id, outcome: 'success' });
      return certificate;
    },
  });

  const certificateXlsx = defineRoute({
    method: 'get',
    path: '/volunteers/:id/certificate.xlsx',
    summary: 'The certificate of service hours as .xlsx',
    tags: ['volunteers'],
    params: idParams,
    auth: { roles: ROLES },
    handler: async ({ params, principal, audit, res }) => {
      const { doc, certificate } = await certificateFor(principal, params.id);
      const file = await certificateWorkbook(certificate);
      await audit({ action: 'export', resource: 'hours_certificate', resourceId: doc._id, outcome: 'success' });
      res
        .status(200)
        .type(XLSX)
        .setHeader(
          'Content-Disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`志愿服务时长证明-${doc.displayName}.xlsx`)}`,
        )
        .send(file);
      return undefined;
    },
  });

  // ----- homes -----

  const listHomes = defineRoute({
    method: 'get',
    path: '/homes',
    summary: 'Children’s homes that can host events (from the facilities service’s events)',
    tags: ['events'],
    auth: { roles: EVENT_READERS },
    handler: async () => {
      const docs = await models.Homes.find({}).sort({ regionCode: 1, name: 1 }).lean<HomeViewDoc[]>();
      return {
        items: docs.map((d) => ({ id: d._id, code: d.code, name: d.name, regionCode: d.regionCode, status: d.status })),
      };
    },
  });

  // ----- events -----

  const createEvent = defineRoute({
    method: 'post',
    path: '/events',
    summary: 'Publish an event of your organisation: camp, class series, reading, festival care, ceremony, visit',
    description:
      'Venue: a home (`facilityId`, from facilities.facility.v1), a school or an address, with its region. Children: capacity, eligibility (region prefixes, categories, age on the first day), registration window. Roles with slots and required skills.',
    tags: ['events'],
    body: ZEventInput,
    auth: { roles: ['volunteer_coordinator'] },
    handler: async ({ body, principal, audit, req }) => {
      if (!coordinates(principal, body.organisationId)) throw forbidden();
      const doc = await events.create(
        {
          organisationId: body.organisationId,
          kind: body.kind,
          title: body.title,
          ...(body.description ? { description: body.description } : {}),
          startsOn: body.startsOn,
          endsOn: body.endsOn,
          venue: body.venue,
          capacity: body.capacity,
          roles: body.roles,
          eligibility: {
            regionPrefixes: body.eligibility.regionPrefixes,
            categories: body.eligibility.categories,
            ...(body.eligibility.minAge !== undefined ? { minAge: body.eligibility.minAge } : {}),
            ...(body.eligibility.maxAge !== undefined ? { maxAge: body.eligibility.maxAge } : {}),
          },
          registration: body.registration,
          involvesChildren: body.involvesChildren,
        },
        principal.sub,
        req.requestId,
      );
      await audit({ action: 'create', resource: 'volunteer_event', resourceId: doc._id, outcome: 'success' });
      return answer(principal, doc);
    },
  });

  const listEvents = defineRoute({
    method: 'get',
    path: '/events',
    summary: 'Events you may see',
    tags: ['events'],
    query: z.object({ organisationId: ZId.optional(), status: z.enum(['scheduled', 'closed']).optional() }),
    auth: { roles: EVENT_READERS },
    handler: async ({ query, principal }) => {
      const filter: Record<string, unknown> = {};
      if (query.organisationId) filter.organisationId = query.organisationId;
      if (query.status) filter.status = query.status;
      const docs = await models.Events.find(filter, { outbox: 0 }).sort({ startsOn: -1 }).lean<EventDoc[]>();
      return { items: docs.filter((d) => seesEvent(principal, d)).map((d) => answer(principal, d)) };
    },
  });

  const readEvent = defineRoute({
    method: 'get',
    path: '/events/:id',
    summary: 'Read an event (its children’s names to the organiser, the city, the county and the hosting home)',
    tags: ['events'],
    params: idParams,
    auth: { roles: EVENT_READERS },
    handler: async ({ params, principal, audit }) => {
      const doc = await visibleEvent(principal, params.id);
      if (seesChildren(principal, doc))
        await audit({ action: 'read', resource: 'volunteer_event', resourceId: doc._id, outcome: 'success' });
      return answer(principal, doc);
    },
  });

  const signUpChild = defineRoute({
    method: 'post',
    path: '/events/:id/children',
    summary: 'Sign a child up (报名): registered while places remain, else wait-listed',
    description:
      'By the organiser’s coordinators or the hosting home’s managers, within the registration window. The child must be on the register and eligible: 422 `child_unknown`, `child_exited`, `region_not_eligible`, `category_not_eligible`, `age_not_eligible` (all failing rules in `reasons`). 201 `{ outcome: "registered" | "waitlisted", position? }`.',
    tags: ['events'],
    params: idParams,
    body: ZChildSignUpInput,
    auth: { roles: ['volunteer_coordinator', 'facility_manager'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await organisedEvent(principal, params.id, true);
      const { event, result } = await events.registerChild(params.id, body.childId, principal.sub, req.requestId);
      await audit({ action: 'update', resource: 'volunteer_event', resourceId: params.id, outcome: 'success' });
      return {
        outcome: result.outcome,
        ...(result.position !== undefined ? { position: result.position } : {}),
        event: answer(principal, event),
      };
    },
  });

  const cancelChild = defineRoute({
    method: 'post',
    path: '/events/:id/children/:childId/cancel',
    summary: 'Cancel a child’s place (or wait-list entry); the first on the wait-list is promoted',
    tags: ['events'],
    params: z.object({ id: ZId, childId: ZId }),
    body: ZReason,
    status: 200,
    auth: { roles: ['volunteer_coordinator', 'facility_manager'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await organisedEvent(principal, params.id, true);
      const { event, result } = await events.cancelChild(
        params.id,
        params.childId,
        body.reason,
        principal.sub,
        req.requestId,
      );
      await audit({ action: 'update', resource: 'volunteer_event', resourceId: params.id, outcome: 'success' });
      return { ...(result.promoted ? { promoted: result.promoted } : {}), event: answer(principal, event) };
    },
  });

  const assign = defineRoute({
    method: 'post',
    path: '/events/:id/volunteers',
    summary: 'Assign a volunteer to a role (安排志愿者): safeguarding gate, skill match, slots',
    description:
      'Events involving children: 422 `clearance_missing`, `clearance_revoked`, `clearance_not_yet_valid`, `clearance_expired`, `clearance_expires_during_event` (the clearance must cover the whole event), `training_missing`. Then 422 `skill_missing`, 409 `role_full`, `already_assigned`.',
    tags: ['events'],
    params: idParams,
    body: ZAssignInput,
    auth: { roles: ['volunteer_coordinator'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await organisedEvent(principal, params.id);
      await readVolunteer(body.volunteerId).catch(() => {
        throw new AppError({ code: 'volunteer_unknown', status: 422, extra: { volunteerId: body.volunteerId } });
      });
      const { event, result } = await events.assignVolunteer(
        params.id,
        { ...body, via: 'coordinator' },
        principal.sub,
        req.requestId,
      );
      await audit({ action: 'update', resource: 'volunteer_event', resourceId: params.id, outcome: 'success' });
      return { assignment: result, event: answer(principal, event) };
    },
  });

  const apply = defineRoute({
    method: 'post',
    path: '/events/:id/applications',
    summary: 'A volunteer applies for a role themself (自主报名) — the same gates as an assignment',
    description:
      'By the volunteer’s own account (token `sub` = the volunteer’s `userId`) or a coordinator of the volunteer’s organisation on their behalf. Assigned at once when the gates pass.',
    tags: ['events'],
    params: idParams,
    body: ZAssignInput,
    auth: { roles: ROLES },
    handler: async ({ params, body, principal, audit, req }) => {
      await models.Events.exists({ _id: params.id }).then((e) => {
        if (!e) throw AppError.notFound();
      });
      const volunteer = await readVolunteer(body.volunteerId);
      const self = volunteer.userId !== undefined && volunteer.userId === principal.sub;
      if (!self && !ownVolunteer(principal, volunteer)) throw AppError.notFound();
      const { event, result } = await events.assignVolunteer(
        params.id,
        { ...body, via: 'self' },
        principal.sub,
        req.requestId,
      );
      await audit({ action: 'update', resource: 'volunteer_event', resourceId: params.id, outcome: 'success' });
      return { assignment: result, event: eventView(event, false) };
    },
  });

  const cancelVolunteer = defineRoute({
    method: 'post',
    path: '/events/:id/volunteers/:volunteerId/cancel',
    summary: 'Withdraw a volunteer from the event',
    tags: ['events'],
    params: z.object({ id: ZId, volunteerId: ZId }),
    body: ZReason,
    status: 200,
    auth: { roles: ['volunteer_coordinator'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await organisedEvent(principal, params.id);
      const { event } = await events.cancelVolunteer(
        params.id,
        params.volunteerId,
        body.reason,
        principal.sub,
        req.requestId,
      );
      await audit({ action: 'update', resource: 'volunteer_event', resourceId: params.id, outcome: 'success' });
      return answer(principal, event);
    },
  });

  const attendance = defineRoute({
    method: 'post',
    path: '/events/:id/attendance',
    summary: 'Take attendance on a day of the event (签到): registered children and assigned volunteers present',
    tags: ['events'],
    params: idParams,
    body: ZAttendanceInput,
    auth: { roles: ['volunteer_coordinator', 'facility_manager'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await organisedEvent(principal, params.id, true);
      const { event, result } = await events.recordAttendance(params.id, body, principal.sub, req.requestId);
      await audit({ action: 'update', resource: 'volunteer_event', resourceId: params.id, outcome: 'success' });
      return { attendance: result, event: answer(principal, event) };
    },
  });

  const hours = defineRoute({
    method: 'post',
    path: '/events/:id/hours',
    summary: 'Confirm volunteers’ hours (确认服务时长): minutes per attending volunteer, by the organiser only',
    tags: ['events'],
    params: idParams,
    body: ZHoursInput,
    auth: { roles: ['volunteer_coordinator'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await organisedEvent(principal, params.id);
      const { event, result } = await events.confirmHours(params.id, body.entries, principal.sub, req.requestId);
      await audit({ action: 'update', resource: 'volunteer_event', resourceId: params.id, outcome: 'success' });
      return { confirmed: result, event: answer(principal, event) };
    },
  });

  const close = defineRoute({
    method: 'post',
    path: '/events/:id/close',
    summary: 'Close the event, completed or cancelled, with its final participants and hours',
    tags: ['events'],
    params: idParams,
    body: ZCloseInput,
    status: 200,
    auth: { roles: ['volunteer_coordinator'] },
    handler: async ({ params, body, principal, audit, req }) => {
      await organisedEvent(principal, params.id);
      const { event } = await events.close(params.id, body, principal.sub, req.requestId);
      await audit({ action: 'update', resource: 'volunteer_event', resourceId: params.id, outcome: 'success' });
      return answer(principal, event);
    },
  });

  return [
    createOrganisation,
    listOrganisations,
    registerVolunteer,
    renewals,
    listVolunteers,
    readVolunteerRoute,
    recordClearance,
    recordTraining,
    revoke,
    certificate,
    certificateXlsx,
    listHomes,
    createEvent,
    listEvents,
    readEvent,
    signUpChild,
    cancelChild,
    assign,
    apply,
    cancelVolunteer,
    attendance,
    hours,
    close,
  ];
}
