/**
 * The managers' activity log. Logging is idempotent: the client sends the activity id it generated
 * (or an `Idempotency-Key`, mapped to an id by a unique claim), and a retry of the same request
 * returns the stored activity instead of a second one. Corrections and cancellations keep the
 * previous version in `history`; nothing is overwritten silently.
 */
import { createHash } from 'node:crypto';

import { AggregateExistsError, commit, commitNew, type CommitContext } from '@tongxin/bus';
import { draft, newEventId } from '@tongxin/contracts';
import {
  ActivityCancelled,
  ActivityCorrected,
  ActivityLogged,
  type ActivitySnapshot,
} from '@tongxin/contracts/facilities';

import type { VolunteerEventSnapshot } from '@tongxin/contracts/volunteers';

import type { ActivityDoc, FacilityModels } from '../persistence/models.js';
import { DomainProblem, notFound } from '@tongxin/contracts/problems';
import type { Homes } from './homes.js';

/** How a volunteer organisation's event kind shows in a home's activity log. */
export const VOLUNTEER_KIND_TO_ACTIVITY: Record<VolunteerEventSnapshot['kind'], string> = {
  summer_camp: 'summer_programme',
  class: 'tutoring',
  visit: 'other',
  care_event: 'festival_event',
  other: 'other',
};

export interface ActivityInput {
  kind: string;
  subject?: string;
  otherDescription?: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  attendeeChildIds: string[];
  volunteerIds: string[];
  staff: string[];
  otherAttendees: number;
  notes: string;
  photoRefs: string[];
}

export function activitySnapshot(doc: ActivityDoc): ActivitySnapshot {
  return {
    activityId: doc._id,
    facilityId: doc.facilityId,
    kind: doc.kind as ActivitySnapshot['kind'],
    ...(doc.subject ? { subject: doc.subject as ActivitySnapshot['subject'] } : {}),
    title: doc.title,
    startsAt: doc.startsAt.toISOString(),
    endsAt: doc.endsAt.toISOString(),
    attendeeChildIds: doc.attendeeChildIds,
    volunteerIds: doc.volunteerIds,
    attendeeCount: doc.attendeeChildIds.length + doc.volunteerIds.length + doc.staff.length + doc.otherAttendees,
    ...(doc.volunteerEventId ? { volunteerEventId: doc.volunteerEventId } : {}),
    status: doc.status,
  };
}

/** A stable fingerprint of what was asked, so a retry is recognised and a clash is not. */
export function requestHash(facilityId: string, input: ActivityInput): string {
  const canonical = JSON.stringify({
    facilityId,
    ...input,
    startsAt: input.startsAt.toISOString(),
    endsAt: input.endsAt.toISOString(),
    attendeeChildIds: [...input.attendeeChildIds].sort(),
    volunteerIds: [...input.volunteerIds].sort(),
  });
  return createHash('sha256').update(canonical).digest('base64url');
}

export interface ActivitiesDeps {
  models: FacilityModels;
  homes: Homes;
  now: () => Date;
  /** How far in the future an activity may start (a phone's clock may be a little ahead). */
  futureToleranceMs: number;
}

export function createActivities(deps: ActivitiesDeps) {
  const { models, homes, now } = deps;
  const { Activities, Claims } = models;
  const context = (correlationId?: string): CommitContext => ({
    source: 'facilities',
    now,
    ...(correlationId ? { correlationId } : {}),
  });

  async function check(facilityId: string, input: ActivityInput): Promise<void> {
    if (input.endsAt.getTime() < input.startsAt.getTime()) {
      throw new DomainProblem('ends_before_start', 'the activity ends before it starts', '结束时间早于开始时间', 400);
    }
    if (input.startsAt.getTime() > now().getTime() + deps.futureToleranceMs) {
      throw new DomainProblem(
        'in_the_future',
        `an activity is logged after it starts (tolerance ${Math.round(deps.futureToleranceMs / 60_000)} minutes)`,
        '活动尚未开始，不能提前登记',
        400,
      );
    }
    const enrolled = new Set(await homes.enrolledChildIds(facilityId));
    const strangers = [...new Set(input.attendeeChildIds)].filter((id) => !enrolled.has(id));
    if (strangers.length > 0) {
      throw new DomainProblem(
        'attendee_not_enrolled',
        `${strangers.length} attendee(s) are not enrolled at this home`,
        `${strangers.length}名参加儿童未在本儿童之家登记`,
        422,
        { childIds: strangers },
      );
    }
  }

  /**
   * Logs an activity under `activityId` (client-generated) or the id an `Idempotency-Key` maps to.
   * Returns `created: false` for a retry of the same request.
   */
  async function log(
    facilityId: string,
    input: ActivityInput,
    options: { activityId?: string; idempotencyKey?: string; actor: string; correlationId?: string },
  ): Promise<{ activity: ActivityDoc; created: boolean }> {
    const facility = await homes.load(facilityId);
    if (facility.status !== 'open') {
      throw new DomainProblem('facility_not_open', `the home is ${facility.status}`, '该儿童之家未开放');
    }
    const hash = requestHash(facilityId, input);
    let id = options.activityId;
    if (!id && options.idempotencyKey) {
      const claimId = `idempotency:${facilityId}:${options.idempotencyKey}`;
      const proposed = newEventId();
      try {
        await Claims.collection.insertOne({ _id: claimId as never, ref: proposed, at: now() });
        id = proposed;
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
        id = (await Claims.findById(claimId).lean())?.ref;
      }
    }
    id ??= newEventId();
    const existing = await Activities.findById(id).lean<ActivityDoc>();
    if (existing) return replay(existing, facilityId, hash);
    await check(facilityId, input);
    const state = {
      facilityId,
      regionCode: facility.regionCode,
      ...input,
      status: 'logged' as const,
      history: [],
      requestHash: hash,
      loggedBy: options.actor,
      loggedAt: now(),
    };
    const doc = { _id: id, ...state } as unknown as ActivityDoc;
    try {
      const activity = await commitNew(Activities, {
        id,
        state: state as never,
        events: [draft(ActivityLogged, activitySnapshot(doc))],
        context: context(options.correlationId),
      });
      return { activity, created: true };
    } catch (error) {
      // Two retries raced: the other one stored it.
      if (error instanceof AggregateExistsError) {
        return replay((await Activities.findById(id).lean<ActivityDoc>())!, facilityId, hash);
      }
      throw error;
    }
  }

  function replay(existing: ActivityDoc, facilityId: string, hash: string) {
    if (existing.facilityId !== facilityId || existing.requestHash !== hash) {
      throw new DomainProblem(
        'idempotency_conflict',
        'this activity id (or idempotency key) was used for a different activity',
        '该活动编号（或幂等键）已用于另一条不同的活动记录',
        409,
      );
    }
    return { activity: existing, created: false };
  }

  async function load(activityId: string): Promise<ActivityDoc> {
    const doc = await Activities.findById(activityId).lean<ActivityDoc>();
    if (!doc) throw notFound('activity', '活动');
    return doc;
  }

  const beforeOf = (doc: ActivityDoc) => {
    const { outbox: _o, outboxPending: _p, history: _h, ...rest } = doc;
    return rest as Record<string, unknown>;
  };

  async function correct(
    activityId: string,
    input: ActivityInput,
    options: { expectedSequence: number; reason: string; note?: string; actor: string; correlationId?: string },
  ): Promise<ActivityDoc> {
    const doc = await load(activityId);
    if (doc.status === 'cancelled') {
      throw new DomainProblem('activity_cancelled', 'a cancelled activity cannot be corrected', '已取消的活动不能更正');
    }
    if (doc.sequence !== options.expectedSequence) {
      throw new DomainProblem('stale_activity', 'the activity was changed meanwhile', '该活动已被他人修改', 409, {
        currentSequence: doc.sequence,
      });
    }
    await check(doc.facilityId, input);
    const next = { ...doc, ...input } as ActivityDoc;
    return commit(Activities, {
      id: activityId,
      expectedSequence: doc.sequence,
      update: {
        $set: { ...input },
        $push: {
          history: {
            at: now(),
            by: options.actor,
            action: 'corrected',
            reason: options.reason,
            ...(options.note ? { note: options.note } : {}),
            before: beforeOf(doc),
          },
        },
      } as never,
      events: [draft(ActivityCorrected, { ...activitySnapshot(next), reason: options.reason as never })],
      context: context(options.correlationId),
    });
  }

  async function cancel(
    activityId: string,
    options: { reason: string; note?: string; actor: string; correlationId?: string },
  ): Promise<ActivityDoc> {
    const doc = await load(activityId);
    if (doc.status === 'cancelled') return doc;
    const next = { ...doc, status: 'cancelled' as const };
    return commit(Activities, {
      id: activityId,
      expectedSequence: doc.sequence,
      update: {
        $set: { status: 'cancelled' },
        $push: {
          history: {
            at: now(),
            by: options.actor,
            action: 'cancelled',
            reason: options.reason,
            ...(options.note ? { note: options.note } : {}),
            before: beforeOf(doc),
          },
        },
      } as never,
      events: [draft(ActivityCancelled, { ...activitySnapshot(next), reason: options.reason as never })],
      context: context(options.correlationId),
    });
  }

  /**
   * An event of a volunteer organisation held at this home (`volunteers.event.v1` with a
   * facilityId) appears in the home's activity log: logged when first seen, corrected when its
   * participants change, cancelled when it is. Idempotent: the activity remembers the newest event
   * sequence it reflects and ignores older or repeated ones.
   */
  async function mirrorVolunteerEvent(
    snapshot: VolunteerEventSnapshot,
    source: { sequence: number; closed?: 'completed' | 'cancelled' },
  ): Promise<'logged' | 'corrected' | 'cancelled' | 'unchanged' | 'ignored'> {
    if (!snapshot.facilityId) return 'ignored';
    const facility = await models.Facilities.findById(snapshot.facilityId).lean();
    if (!facility) return 'ignored';
    const id = `ve-${snapshot.eventId}`;
    const attendees = snapshot.attendedChildIds.length > 0 ? snapshot.attendedChildIds : snapshot.childIds;
    const volunteers = snapshot.attendedVolunteerIds.length > 0 ? snapshot.attendedVolunteerIds : snapshot.volunteerIds;
    const input: ActivityInput = {
      kind: VOLUNTEER_KIND_TO_ACTIVITY[snapshot.kind],
      ...(VOLUNTEER_KIND_TO_ACTIVITY[snapshot.kind] === 'other' ? { otherDescription: snapshot.title } : {}),
      title: snapshot.title,
      // Days of the event, in Beijing time.
      startsAt: new Date(`${snapshot.startsOn}T00:00:00+08:00`),
      endsAt: new Date(`${snapshot.endsOn}T23:59:59+08:00`),
      place: facility.name,
      attendeeChildIds: attendees,
      volunteerIds: volunteers,
      staff: [],
      otherAttendees: 0,
      notes: '',
      photoRefs: [],
    };
    const existing = await Activities.findById(id).lean<ActivityDoc & { sourceSequence?: number }>();
    if (existing && (existing.sourceSequence ?? 0) >= source.sequence) return 'unchanged';
    if (!existing) {
      const state = {
        facilityId: snapshot.facilityId,
        regionCode: facility.regionCode,
        ...input,
        status: 'logged' as const,
        history: [],
        requestHash: requestHash(snapshot.facilityId, input),
        loggedBy: `volunteers:${snapshot.organisationId}`,
        loggedAt: now(),
        volunteerEventId: snapshot.eventId,
        sourceSequence: source.sequence,
      };
      const doc = { _id: id, ...state } as unknown as ActivityDoc;
      await commitNew(Activities, {
        id,
        state: state as never,
        events: [draft(ActivityLogged, activitySnapshot(doc))],
        context: context(),
      });
      return 'logged';
    }
    if (source.closed === 'cancelled' && existing.status !== 'cancelled') {
      await cancel(id, { reason: 'did_not_take_place', actor: `volunteers:${snapshot.organisationId}` });
      await Activities.updateOne({ _id: id }, { $set: { sourceSequence: source.sequence } });
      return 'cancelled';
    }
    const changed =
      existing.attendeeChildIds.join() !== input.attendeeChildIds.join() ||
      existing.volunteerIds.join() !== input.volunteerIds.join() ||
      existing.title !== input.title ||
      new Date(existing.startsAt).getTime() !== input.startsAt.getTime() ||
      new Date(existing.endsAt).getTime() !== input.endsAt.getTime();
    if (!changed || existing.status === 'cancelled') {
      await Activities.updateOne({ _id: id }, { $set: { sourceSequence: source.sequence } });
      return 'unchanged';
    }
    const next = { ...existing, ...input } as ActivityDoc;
    await commit(Activities, {
      id,
      expectedSequence: existing.sequence,
      update: {
        $set: { ...input, sourceSequence: source.sequence },
        $push: {
          history: {
            at: now(),
            by: `volunteers:${snapshot.organisationId}`,
            action: 'corrected',
            reason: 'wrong_attendees',
            note: 'updated from the volunteer event',
            before: beforeOf(existing),
          },
        },
      } as never,
      events: [draft(ActivityCorrected, { ...activitySnapshot(next), reason: 'wrong_attendees' })],
      context: context(),
    });
    return 'corrected';
  }

  return { log, load, correct, cancel, mirrorVolunteerEvent };
}
export type Activities = ReturnType<typeof createActivities>;
