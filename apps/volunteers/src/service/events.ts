/**
 * Volunteer events (camps, classes, visits…): one document per event holding its registered
 * children, wait-list, assigned volunteers, attendance and confirmed hours, changed by
 * single-document commits that carry the `volunteers.event.v1` events.
 *
 * Capacity and role slots are checked on the document as read and written with
 * `commit(…, expectedSequence)`: a concurrent sign-up that changed the event in between makes the
 * commit a ConcurrencyError, and the command re-reads and decides again — so 30 children signed up
 * at once for 28 places give exactly 28 registered and 2 wait-listed. Within one process the
 * commands on one event queue rather than race (`retryOnConflict`), so the places go in the order
 * the requests arrived.
 */
import { commit, commitNew, retryOnConflict, type CommitContext } from '@tongxin/bus';
import { draft, newEventId, type DraftEvent } from '@tongxin/contracts';
import {
  AttendanceRecorded,
  HoursConfirmed,
  ParticipantRegistered,
  VolunteerEventClosed,
  VolunteerEventCreated,
  type VolunteerEventSnapshot,
} from '@tongxin/contracts/volunteers';

import { beijingDate } from '../domain/dates.js';
import { ineligibility, type Eligibility } from '../domain/eligibility.js';
import { CONTRACT_KIND, type EventKind, type Skill } from '../domain/kinds.js';
import { safeguardingRefusal } from '../domain/safeguarding.js';
import type {
  AssignmentDoc,
  ChildEntry,
  ChildViewDoc,
  EventDoc,
  HomeViewDoc,
  RoleDoc,
  VenueDoc,
  VolunteerModels,
} from '../persistence/models.js';
import type { Organisations } from './organisations.js';
import { DomainProblem, notFound } from '@tongxin/contracts/problems';
import type { Volunteers } from './volunteers.js';

export type VenueInput =
  | { kind: 'home'; facilityId: string }
  | { kind: 'school'; name: string; regionCode: string }
  | { kind: 'address'; address: string; regionCode: string };

export interface EventInput {
  organisationId: string;
  kind: EventKind;
  title: string;
  description?: string;
  startsOn: string;
  endsOn: string;
  venue: VenueInput;
  capacity: number;
  roles: { name: string; slots: number; requiredSkills: Skill[] }[];
  eligibility: Eligibility;
  registration: { opensOn: string; closesOn: string };
  involvesChildren: boolean;
}

type State = Omit<EventDoc, 'outbox' | 'outboxPending'>;

const unique = (ids: string[]) => [...new Set(ids)];

/** The snapshot every `volunteers.event.v1` event carries. */
export function eventSnapshot(doc: State): VolunteerEventSnapshot {
  return {
    eventId: doc._id,
    organisationId: doc.organisationId,
    kind: CONTRACT_KIND[doc.kind],
    title: doc.title,
    startsOn: doc.startsOn,
    endsOn: doc.endsOn,
    regionCode: doc.regionCode,
    ...(doc.venue.kind === 'home' ? { facilityId: doc.venue.facilityId } : {}),
    status: doc.status,
    childIds: doc.children.map((c) => c.childId),
    volunteerIds: doc.volunteers.map((v) => v.volunteerId),
    attendedChildIds: unique(doc.attendance.flatMap((a) => a.childIds)),
    attendedVolunteerIds: unique(doc.attendance.flatMap((a) => a.volunteerIds)),
    hours: doc.hours.map((h) => ({ volunteerId: h.volunteerId, minutes: h.minutes })),
  };
}

const MAX_ATTEMPTS = 200;
const jitter = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 5));

export function createEvents(deps: {
  models: VolunteerModels;
  organisations: Organisations;
  volunteers: Volunteers;
  now: () => Date;
}) {
  const { models, organisations, volunteers, now } = deps;
  const { Events } = models;
  const today = () => beijingDate(now());
  const context = (correlationId?: string): CommitContext => ({
    source: 'volunteers',
    now,
    ...(correlationId ? { correlationId } : {}),
  });

  async function load(eventId: string): Promise<EventDoc> {
    const doc = await Events.findById(eventId, { outbox: 0 }).lean<EventDoc>();
    if (!doc) throw notFound('event', '活动');
    return doc;
  }

  /**
   * Read, decide, commit at the sequence read; a lost race re-reads and decides again (the decision
   * may now differ: wait-listed instead of registered, or a refusal).
   */
  async function change<R>(
    eventId: string,
    correlationId: string | undefined,
    decide: (doc: EventDoc) => { update: Record<string, unknown>; events: (next: State) => DraftEvent[]; result: R },
  ): Promise<{ event: EventDoc; result: R }> {
    return retryOnConflict(
      Events.collection.collectionName,
      eventId,
      async () => {
        const doc = await load(eventId);
        if (doc.status === 'closed') throw new DomainProblem('event_closed', 'the event is closed', '该活动已结束');
        const { update, events, result } = decide(doc);
        const next = applyLocally(doc, update);
        const event = await commit(Events, {
          id: eventId,
          expectedSequence: doc.sequence,
          update,
          events: events(next),
          context: context(correlationId),
        });
        return { event, result };
      },
      { attempts: MAX_ATTEMPTS, pause: jitter },
    );
  }

  async function venueOf(input: VenueInput): Promise<VenueDoc> {
    if (input.kind !== 'home') return input;
    const home = await models.Homes.findById(input.facilityId).lean<HomeViewDoc>();
    if (!home) {
      throw new DomainProblem(
        'venue_unknown',
        'no children’s home with this id (or not yet received from the facilities service)',
        '没有该儿童之家（或尚未从儿童之家系统同步）',
        422,
        { facilityId: input.facilityId },
      );
    }
    if (home.status !== 'open') {
      throw new DomainProblem('venue_not_open', `the home is ${home.status}`, '该儿童之家未开放', 422, {
        facilityId: input.facilityId,
      });
    }
    return { kind: 'home', facilityId: home._id, name: home.name, regionCode: home.regionCode };
  }

  async function create(input: EventInput, actor: string, correlationId?: string): Promise<EventDoc> {
    await organisations.get(input.organisationId);
    const venue = await venueOf(input.venue);
    const id = newEventId();
    const roles: RoleDoc[] = input.roles.map((r, i) => ({ roleId: `role-${i + 1}`, ...r }));
    const state: State = {
      _id: id,
      sequence: 0,
      organisationId: input.organisationId,
      kind: input.kind,
      title: input.title,
      ...(input.description ? { description: input.description } : {}),
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      venue,
      regionCode: venue.regionCode,
      capacity: input.capacity,
      roles,
      eligibility: input.eligibility,
      registration: input.registration,
      involvesChildren: input.involvesChildren,
      status: 'scheduled',
      children: [],
      waitlist: [],
      volunteers: [],
      attendance: [],
      hours: [],
      cancellations: [],
      createdAt: now(),
      createdBy: actor,
    };
    const { _id, sequence, ...fields } = state;
    void _id;
    void sequence;
    return commitNew(Events, {
      id,
      state: fields as never,
      events: [draft(VolunteerEventCreated, eventSnapshot(state))],
      context: context(correlationId),
    });
  }

  /** A child known from the register, eligible by the event's rules (422 with every reason otherwise). */
  async function eligibleChild(doc: EventDoc, childId: string): Promise<ChildViewDoc> {
    const child = await models.Children.findById(childId).lean<ChildViewDoc>();
    if (!child) {
      throw new DomainProblem(
        'child_unknown',
        'no child with this id on the register (or not yet received from the registry)',
        '登记册中没有该儿童（或尚未同步）',
        422,
        { childId },
      );
    }
    const reasons = ineligibility(child, doc.eligibility, doc.startsOn);
    if (reasons.length > 0) {
      throw new DomainProblem(
        reasons[0]!,
        `the child is not eligible for this event: ${reasons.join(', ')}`,
        '该儿童不符合本活动的报名条件',
        422,
        { childId, reasons },
      );
    }
    return child;
  }

  function assertRegistrationOpen(doc: EventDoc) {
    const day = today();
    if (day < doc.registration.opensOn) {
      throw new DomainProblem('registration_not_open', 'registration has not opened yet', '报名尚未开始', 409, {
        opensOn: doc.registration.opensOn,
      });
    }
    if (day > doc.registration.closesOn) {
      throw new DomainProblem('registration_closed', 'registration has closed', '报名已截止', 409, {
        closesOn: doc.registration.closesOn,
      });
    }
  }

  /** Registered while places remain, else wait-listed (first come, first promoted). */
  async function registerChild(eventId: string, childId: string, actor: string, correlationId?: string) {
    const first = await load(eventId);
    assertRegistrationOpen(first);
    const child = await eligibleChild(first, childId);
    type SignUp = { outcome: 'registered' | 'waitlisted'; position?: number };
    return change<SignUp>(eventId, correlationId, (doc) => {
      assertRegistrationOpen(doc);
      if (doc.children.some((c) => c.childId === childId))
        throw new DomainProblem('already_registered', 'the child is already registered', '该儿童已报名');
      if (doc.waitlist.some((c) => c.childId === childId))
        throw new DomainProblem('already_waitlisted', 'the child is already on the wait-list', '该儿童已在候补名单中');
      const entry: ChildEntry = { childId, name: child.name, at: now(), by: actor };
      if (doc.children.length < doc.capacity) {
        return {
          update: { $push: { children: entry } },
          events: (next) => [
            draft(ParticipantRegistered, { ...eventSnapshot(next), participant: { kind: 'child', id: childId } }),
          ],
          result: { outcome: 'registered' },
        };
      }
      return {
        update: { $push: { waitlist: entry } },
        events: () => [],
        result: { outcome: 'waitlisted', position: doc.waitlist.length + 1 },
      };
    });
  }

  /** A child leaves; a freed place goes to the first child on the wait-list. */
  async function cancelChild(eventId: string, childId: string, reason: string, actor: string, correlationId?: string) {
    return change(eventId, correlationId, (doc) => {
      const registered = doc.children.some((c) => c.childId === childId);
      const waiting = doc.waitlist.some((c) => c.childId === childId);
      if (!registered && !waiting) throw notFound('registration', '报名记录');
      const next = doc.waitlist.filter((c) => c.childId !== childId);
      const promoted = registered && doc.children.length - 1 < doc.capacity ? next[0] : undefined;
      const children = doc.children.filter((c) => c.childId !== childId);
      if (promoted) {
        children.push(promoted);
        next.shift();
      }
      return {
        update: {
          $set: { children, waitlist: next },
          $push: {
            cancellations: {
              kind: 'child',
              id: childId,
              reason,
              at: now(),
              by: actor,
              ...(promoted ? { promoted: promoted.childId } : {}),
            },
          },
        },
        // The contract has no "participant cancelled" event: a promotion is announced (its snapshot
        // shows the cancelled child gone); a cancellation alone shows in the next event's snapshot.
        events: (state) =>
          promoted
            ? [
                draft(ParticipantRegistered, {
                  ...eventSnapshot(state),
                  participant: { kind: 'child', id: promoted.childId },
                }),
              ]
            : [],
        result: { promoted: promoted?.childId },
      };
    });
  }

  async function assignVolunteer(
    eventId: string,
    input: { volunteerId: string; roleId: string; via: 'coordinator' | 'self' },
    actor: string,
    correlationId?: string,
  ) {
    const volunteer = await volunteers.load(input.volunteerId);
    return change(eventId, correlationId, (doc) => {
      const role = doc.roles.find((r) => r.roleId === input.roleId);
      if (!role) {
        throw new DomainProblem('role_unknown', 'the event has no such role', '本活动没有该岗位', 422, {
          roleId: input.roleId,
        });
      }
      if (doc.volunteers.some((v) => v.volunteerId === volunteer._id))
        throw new DomainProblem('already_assigned', 'the volunteer is already assigned', '该志愿者已在本活动中');
      if (volunteer.status !== 'active')
        throw new DomainProblem('volunteer_inactive', 'the volunteer is inactive', '该志愿者已停用', 422);
      if (doc.involvesChildren) {
        const refusal = safeguardingRefusal(volunteer, doc);
        if (refusal) throw safeguardingProblem(refusal, volunteer.clearance?.expiresOn, doc);
      }
      const missing = role.requiredSkills.filter((s) => !volunteer.skills.includes(s));
      if (missing.length > 0) {
        throw new DomainProblem(
          'skill_missing',
          `the role needs: ${missing.join(', ')}`,
          '该志愿者不具备岗位所需技能',
          422,
          {
            roleId: role.roleId,
            missingSkills: missing,
          },
        );
      }
      const taken = doc.volunteers.filter((v) => v.roleId === role.roleId).length;
      if (taken >= role.slots) {
        throw new DomainProblem('role_full', 'every slot of this role is taken', '该岗位名额已满', 409, {
          roleId: role.roleId,
          slots: role.slots,
        });
      }
      const entry: AssignmentDoc = {
        volunteerId: volunteer._id,
        displayName: volunteer.displayName,
        roleId: role.roleId,
        via: input.via,
        at: now(),
        by: actor,
      };
      return {
        update: { $push: { volunteers: entry } },
        events: (next) => [
          draft(ParticipantRegistered, {
            ...eventSnapshot(next),
            participant: { kind: 'volunteer', id: volunteer._id },
          }),
        ],
        result: entry,
      };
    });
  }

  async function cancelVolunteer(
    eventId: string,
    volunteerId: string,
    reason: string,
    actor: string,
    correlationId?: string,
  ) {
    return change(eventId, correlationId, (doc) => {
      if (!doc.volunteers.some((v) => v.volunteerId === volunteerId)) throw notFound('assignment', '志愿者安排');
      if (doc.hours.some((h) => h.volunteerId === volunteerId))
        throw new DomainProblem(
          'hours_confirmed',
          'the volunteer’s hours are already confirmed',
          '该志愿者的服务时长已确认',
        );
      return {
        update: {
          $set: { volunteers: doc.volunteers.filter((v) => v.volunteerId !== volunteerId) },
          $push: { cancellations: { kind: 'volunteer', id: volunteerId, reason, at: now(), by: actor } },
        },
        events: () => [],
        result: undefined,
      };
    });
  }

  /** Attendance of one day (a second record of the same day replaces the first). */
  async function recordAttendance(
    eventId: string,
    input: { on: string; childIds: string[]; volunteerIds: string[] },
    actor: string,
    correlationId?: string,
  ) {
    return change(eventId, correlationId, (doc) => {
      if (input.on < doc.startsOn || input.on > doc.endsOn) {
        throw new DomainProblem(
          'attendance_outside_event',
          'the day is not a day of the event',
          '该日期不在活动期间',
          422,
          {
            startsOn: doc.startsOn,
            endsOn: doc.endsOn,
          },
        );
      }
      if (input.on > today())
        throw new DomainProblem(
          'attendance_in_future',
          'attendance is taken on the day, not before',
          '不能提前登记出勤',
          409,
        );
      const strangers = [
        ...input.childIds.filter((id) => !doc.children.some((c) => c.childId === id)),
        ...input.volunteerIds.filter((id) => !doc.volunteers.some((v) => v.volunteerId === id)),
      ];
      if (strangers.length > 0) {
        throw new DomainProblem(
          'not_a_participant',
          'attendance only of registered children and assigned volunteers',
          '只能登记已报名儿童和已安排志愿者的出勤',
          422,
          { ids: strangers },
        );
      }
      const record = {
        on: input.on,
        childIds: unique(input.childIds),
        volunteerIds: unique(input.volunteerIds),
        recordedAt: now(),
        recordedBy: actor,
      };
      const attendance = [...doc.attendance.filter((a) => a.on !== input.on), record].sort((a, b) =>
        a.on.localeCompare(b.on),
      );
      return {
        update: { $set: { attendance } },
        events: (next) => [
          draft(AttendanceRecorded, {
            ...eventSnapshot(next),
            attendance: { on: record.on, childIds: record.childIds, volunteerIds: record.volunteerIds },
          }),
        ],
        result: record,
      };
    });
  }

  /** The organiser confirms minutes per volunteer (replacing an earlier confirmation for them). */
  async function confirmHours(
    eventId: string,
    entries: { volunteerId: string; minutes: number }[],
    actor: string,
    correlationId?: string,
  ) {
    const confirmers = await Promise.all(entries.map((e) => volunteers.load(e.volunteerId).catch(() => undefined)));
    if (confirmers.some((v) => v?.userId === actor)) {
      throw new DomainProblem(
        'self_confirmation',
        'hours are confirmed by the organiser, not self-declared',
        '服务时长须由组织方确认，不能自行申报',
        403,
      );
    }
    return change(eventId, correlationId, (doc) => {
      const attended = new Set(doc.attendance.flatMap((a) => a.volunteerIds));
      const absent = entries.filter((e) => !attended.has(e.volunteerId)).map((e) => e.volunteerId);
      if (absent.length > 0) {
        throw new DomainProblem(
          'volunteer_not_attended',
          'hours only for volunteers recorded as attending',
          '只能为已登记出勤的志愿者确认时长',
          422,
          { volunteerIds: absent },
        );
      }
      const days = doc.attendance.length;
      const tooMany = entries.filter((e) => e.minutes > days * 24 * 60).map((e) => e.volunteerId);
      if (tooMany.length > 0) {
        throw new DomainProblem(
          'minutes_exceed_event',
          'more minutes than the days attended hold',
          '时长超过出勤天数',
          422,
          {
            volunteerIds: tooMany,
          },
        );
      }
      const confirmed = entries.map((e) => ({ ...e, confirmedAt: now(), confirmedBy: actor }));
      const hours = [...doc.hours.filter((h) => !entries.some((e) => e.volunteerId === h.volunteerId)), ...confirmed];
      return {
        update: { $set: { hours } },
        events: (next) => [
          draft(HoursConfirmed, {
            ...eventSnapshot(next),
            confirmed: entries.map((e) => ({ volunteerId: e.volunteerId, minutes: e.minutes })),
          }),
        ],
        result: confirmed,
      };
    });
  }

  async function close(
    eventId: string,
    input: { closedOn: string; outcome: 'completed' | 'cancelled' },
    actor: string,
    correlationId?: string,
  ) {
    return change(eventId, correlationId, () => ({
      update: { $set: { status: 'closed', closed: { ...input, by: actor } } },
      events: (next) => [draft(VolunteerEventClosed, { ...eventSnapshot(next), ...input })],
      result: undefined,
    }));
  }

  return {
    load,
    create,
    registerChild,
    cancelChild,
    assignVolunteer,
    cancelVolunteer,
    recordAttendance,
    confirmHours,
    close,
  };
}
export type Events = ReturnType<typeof createEvents>;

function safeguardingProblem(code: string, expiresOn: string | undefined, doc: EventDoc): DomainProblem {
  const text: Record<string, [string, string]> = {
    clearance_revoked: ['the volunteer’s safeguarding clearance was revoked', '该志愿者的安全审查已被撤销'],
    clearance_missing: ['no verified safeguarding clearance (e.g. 无犯罪记录证明)', '没有经核验的无犯罪记录证明'],
    clearance_not_yet_valid: ['the clearance was issued after the event starts', '无犯罪记录证明开具日期晚于活动开始'],
    clearance_expired: ['the clearance has expired before the event', '无犯罪记录证明在活动前已过期'],
    clearance_expires_during_event: ['the clearance expires before the event ends', '无犯罪记录证明在活动期间到期'],
    training_missing: ['no completed child-protection training', '未完成儿童保护培训'],
  };
  const [en, zh] = text[code] ?? [code, code];
  return new DomainProblem(code, en, zh, 422, {
    ...(expiresOn ? { clearanceExpiresOn: expiresOn } : {}),
    eventStartsOn: doc.startsOn,
    eventEndsOn: doc.endsOn,
  });
}

/** The state after an update, as far as the snapshot needs it ($set and $push of plain entries). */
function applyLocally(doc: EventDoc, update: Record<string, unknown>): State {
  const next = { ...doc } as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries((update.$set ?? {}) as Record<string, unknown>)) next[key] = value;
  for (const [key, value] of Object.entries((update.$push ?? {}) as Record<string, unknown>))
    next[key] = [...((next[key] as unknown[]) ?? []), value];
  return next as unknown as State;
}
