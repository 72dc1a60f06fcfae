/**
 * The reporting consumer: every topic of registry, facilities, donations and volunteers, turned into
 * the read models (../read-models). Each handler is idempotent:
 * - per-aggregate snapshots (children, cases, reports, volunteer events) apply only when the event's
 *   `sequence` is newer than the stored one (checked first, written last, so a crash in between
 *   re-applies everything on redelivery);
 * - region counters are recomputed from entries (./regions.ts), never incremented;
 * - maps keyed by the id each event carries (allocation, shipment, acknowledgement, evaluation,
 *   funding, enrolment, activity) are set, not appended; timeline entries are keyed by aggregate id
 *   and sequence, or by the id the event carries (activity, allocation, acknowledgement).
 * All writes go through one serialiser: one writer at a time (FerretDB has no isolated updates), and
 * into the write-behind store (../read-models/store.ts), which the consumer writes out before Kafka
 * may commit the offsets of the events in it (the bus's `beforeCommit`): about once a second.
 */
import { createConsumer, type BusLogger, type ConsumerRunner } from '@tongxin/bus';
import type { EventEnvelope } from '@tongxin/contracts';
import { DONATION_TOPIC, donationEvents, type DonationHeader } from '@tongxin/contracts/donations';
import {
  activityEvents,
  enrolmentEvents,
  FACILITY_TOPIC,
  facilityEvents,
  type ActivitySnapshot,
  type EnrolmentSnapshot,
  type FacilitySnapshot,
} from '@tongxin/contracts/facilities';
import {
  CASE_TOPIC,
  caseEvents,
  CHILD_TOPIC,
  childEvents,
  REPORT_TOPIC,
  reportEvents,
  type CaseSnapshot,
  type ChildSnapshot,
  type ReportSnapshot,
} from '@tongxin/contracts/registry';
import {
  VOLUNTEER_EVENT_TOPIC,
  volunteerEventEvents,
  type VolunteerEventSnapshot,
} from '@tongxin/contracts/volunteers';
import type { Kafka } from 'kafkajs';

import { CONSUMES } from '../../consumes.js';

import { monthOf, type CaseEntry, type ChildEntry, type HomeEntry, type ReportEntry } from '../domain/tally.js';
import {
  createSerialiser,
  type ChildDoc,
  type DonationDoc,
  type HomeDoc,
  type LocatedDoc,
  type ReadModels,
  type TimelineEntry,
  type VolunteerEventDoc,
} from '../read-models/models.js';
import { canonical, createRegionTree } from '../read-models/regions.js';
import { createStore, type Store } from '../read-models/store.js';

/** What reporting reads, as declared in ../../consumes.ts (the contract check reads the same). */
export const SUBSCRIPTIONS = CONSUMES.subscriptions;

type Event = EventEnvelope;
type Handler = (event: Event) => Promise<void>;

/** Drops undefined fields (the driver would store them as null). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** An instant as ISO UTC; a plain date is midnight in Beijing. */
export function instant(iso: string): string {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00+08:00` : iso).toISOString();
}

const suffix = (type: string) => type.slice(type.lastIndexOf('.') + 1);

/** The handlers; they write into `store`, which the caller flushes. */
export function createProjector(models: ReadModels, store: Store) {
  const tree = createRegionTree(models, store);

  function timeline(childId: string, set: Record<string, TimelineEntry>, unset: string[] = []) {
    store.timeline(childId, Object.fromEntries(Object.entries(set).map(([k, v]) => [k, compact(v)])), unset);
  }

  /**
   * A per-aggregate snapshot (what `applyProjection` does, in the store): the handler has checked
   * that the event is newer than `stored`.
   */
  function snapshot(
    name: 'Children' | 'Cases' | 'Reports' | 'VolunteerEvents',
    event: Event,
    stored: object | null,
    fields: Record<string, unknown>,
  ) {
    store.put(name, { ...(stored ?? {}), _id: event.subject, ...fields, sequence: event.sequence });
  }

  const onChild: Handler = async (event) => {
    const d = event.data as ChildSnapshot & {
      guardian?: { kind: string; relation: string };
      assignedOn?: string;
      reason?: string;
      exitedOn?: string;
      changedFields?: string[];
    };
    const stored = await store.get<ChildDoc>('Children', event.subject);
    if (stored && stored.sequence >= event.sequence) return;
    const guardianAssigned = Boolean(stored?.guardianAssigned) || event.type === 'registry.child.guardian_assigned';
    const entry: ChildEntry = {
      active: d.status === 'active' ? 1 : 0,
      categories: [...d.categories].sort(),
      difficultyTypes: d.categories.includes('in_difficulty') ? [...d.difficultyTypes].sort() : [],
      unsupervised: d.supervision === 'unsupervised' ? 1 : 0,
      schooling: d.schooling.status,
      guardianAssigned: guardianAssigned ? 1 : 0,
    };
    if (stored && canonical(stored.regionCode) !== canonical(d.regionCode))
      await tree.set(stored.regionCode, 'children', d.childId, null);
    await tree.set(d.regionCode, 'children', d.childId, entry);
    const type = suffix(event.type);
    timeline(d.childId, {
      [`child_${event.sequence}`]: {
        at: instant(event.time),
        tie: event.sequence,
        service: 'registry',
        type,
        categories: type === 'registered' || type === 'categorised' ? d.categories : undefined,
        difficultyTypes: type === 'categorised' ? d.difficultyTypes : undefined,
        changedFields: d.changedFields,
        guardianKind: d.guardian?.kind,
        guardianRelation: d.guardian?.relation,
        on: d.assignedOn ?? d.exitedOn,
        reason: d.reason,
      },
    });
    snapshot('Children', event, stored, {
      name: d.name,
      regionCode: d.regionCode,
      categories: d.categories,
      difficultyTypes: d.difficultyTypes,
      supervision: d.supervision,
      schooling: d.schooling.status,
      status: d.status,
      guardianAssigned,
    });
  };

  const onCase: Handler = async (event) => {
    const d = event.data as CaseSnapshot & { progressedAt?: string };
    const stored = await store.get<LocatedDoc>('Cases', event.subject);
    if (stored && stored.sequence >= event.sequence) return;
    const entry: CaseEntry = compact({
      caseType: d.caseType,
      status: d.status,
      openedMonth: monthOf(d.openedAt),
      resolvedMonth: d.resolvedAt ? monthOf(d.resolvedAt) : undefined,
      closedMonth: d.closedAt ? monthOf(d.closedAt) : undefined,
      outcome: d.outcome,
    });
    if (stored && canonical(stored.regionCode) !== canonical(d.regionCode))
      await tree.set(stored.regionCode, 'cases', d.caseId, null);
    await tree.set(d.regionCode, 'cases', d.caseId, entry);
    const type = suffix(event.type);
    const at = { opened: d.openedAt, progressed: d.progressedAt, resolved: d.resolvedAt, closed: d.closedAt }[type];
    timeline(d.childId, {
      [`case_${d.caseId}_${event.sequence}`]: {
        at: instant(at ?? event.time),
        tie: event.sequence,
        service: 'registry',
        type: `case_${type}`,
        caseType: d.caseType,
        outcome: type === 'resolved' || type === 'closed' ? d.outcome : undefined,
      },
    });
    snapshot('Cases', event, stored, { regionCode: d.regionCode, childId: d.childId });
  };

  const onReport: Handler = async (event) => {
    const d = event.data as ReportSnapshot;
    const stored = await store.get<LocatedDoc>('Reports', event.subject);
    if (stored && stored.sequence >= event.sequence) return;
    const entry: ReportEntry = compact({
      status: d.status,
      receivedMonth: monthOf(d.receivedAt),
      acknowledgedMonth: d.acknowledgedAt ? monthOf(d.acknowledgedAt) : undefined,
      onTime: d.acknowledgedAt ? Date.parse(d.acknowledgedAt) <= Date.parse(d.dueAt) : undefined,
      linked: d.childId ? 1 : 0,
    });
    if (stored && canonical(stored.regionCode) !== canonical(d.regionCode))
      await tree.set(stored.regionCode, 'reports', d.reportId, null);
    await tree.set(d.regionCode, 'reports', d.reportId, entry);
    if (d.childId) {
      timeline(d.childId, {
        [`report_${d.reportId}`]: {
          at: instant(d.receivedAt),
          tie: 0,
          service: 'registry',
          type: 'mandatory_report',
          status: d.status,
        },
      });
    }
    snapshot('Reports', event, stored, {
      regionCode: d.regionCode,
      ...(d.childId ? { childId: d.childId } : {}),
    });
  };

  const home = async (facilityId: string): Promise<HomeDoc> =>
    (await store.get<HomeDoc>('Homes', facilityId)) ?? {
      _id: facilityId,
      enrolments: {},
      activities: {},
      evaluations: {},
      funding: {},
    };

  const onFacility: Handler = async (event) => {
    const d = event.data as FacilitySnapshot & {
      funding?: { fundingId: string; amountFen: number; source: string; receivedOn: string };
      evaluation?: { evaluationId: string; period: string; totalScore: number; grade: string; evaluatedAt: string };
    };
    const doc = await home(d.facilityId);
    const previousRegion = doc.facility?.regionCode;
    if ((doc.facilitySequence ?? 0) < event.sequence) {
      doc.facilitySequence = event.sequence;
      doc.facility = {
        code: d.code,
        name: d.name,
        kind: d.kind,
        regionCode: d.regionCode,
        status: d.status,
        openedOn: d.openedOn,
        capacity: d.capacity,
      };
    }
    if (d.funding) {
      const { fundingId, amountFen, source, receivedOn } = d.funding;
      doc.funding[fundingId] = { amountFen, source, receivedOn };
    }
    if (d.evaluation) {
      const { evaluationId, period, totalScore, grade, evaluatedAt } = d.evaluation;
      doc.evaluations[evaluationId] = { period, totalScore, grade, evaluatedAt };
    }
    const facility = doc.facility!;
    const latest = Object.values(doc.evaluations)
      .sort((a, b) => a.evaluatedAt.localeCompare(b.evaluatedAt))
      .pop();
    const entry: HomeEntry = compact({ status: facility.status, kind: facility.kind, grade: latest?.grade });
    if (previousRegion && canonical(previousRegion) !== canonical(facility.regionCode))
      await tree.set(previousRegion, 'homes', d.facilityId, null);
    await tree.set(facility.regionCode, 'homes', d.facilityId, entry);
    store.put('Homes', doc);
  };

  const onEnrolment: Handler = async (event) => {
    const d = event.data as EnrolmentSnapshot & { reason?: string };
    const doc = await home(d.facilityId);
    const stored = doc.enrolments[d.enrolmentId];
    if (stored && stored.sequence >= event.sequence) return;
    const left = d.status === 'left';
    timeline(d.childId, {
      [`enrolment_${d.enrolmentId}_${event.sequence}`]: {
        at: instant(left && d.leftOn ? d.leftOn : d.enrolledOn),
        tie: event.sequence,
        service: 'facilities',
        type: left ? 'left_home' : 'enrolled',
        facilityId: d.facilityId,
        reason: d.reason,
      },
    });
    doc.enrolments[d.enrolmentId] = compact({
      sequence: event.sequence,
      childId: d.childId,
      status: d.status,
      enrolledOn: d.enrolledOn,
      leftOn: d.leftOn,
    });
    store.put('Homes', doc);
  };

  const onActivity: Handler = async (event) => {
    const d = event.data as ActivitySnapshot;
    const doc = await home(d.facilityId);
    const stored = doc.activities[d.activityId];
    if (stored && stored.sequence >= event.sequence) return;
    const attendees = d.status === 'cancelled' ? [] : d.attendeeChildIds;
    const key = `activity_${d.activityId}`;
    for (const childId of (stored?.childIds ?? []).filter((id) => !attendees.includes(id)))
      timeline(childId, {}, [key]);
    for (const childId of attendees) {
      timeline(childId, {
        [key]: {
          at: instant(d.startsAt),
          tie: 0,
          service: 'facilities',
          type: 'activity_attended',
          activityKind: d.kind,
          // A counselling session is announced by its kind only.
          title: d.kind === 'counselling_session' ? undefined : d.title,
          facilityId: d.facilityId,
        },
      });
    }
    doc.activities[d.activityId] = {
      sequence: event.sequence,
      kind: d.kind,
      month: monthOf(d.startsAt),
      startsAt: d.startsAt,
      status: d.status,
      childIds: d.attendeeChildIds,
      attendeeCount: d.attendeeCount,
    };
    store.put('Homes', doc);
  };

  /**
   * Donation events: the donation's figures (read model `donations`, unchanged by child recipients),
   * and for a bursary or small wish to one child (version 2, recipientKind `child`) two entries on
   * that child's timeline — `donation_allocated` when the allocation was made and `donation_received`
   * on its acknowledgement (never before the allocation) — keyed by allocation and acknowledgement
   * id, so re-delivery sets the same entry again.
   */
  const onDonation: Handler = async (event) => {
    const d = event.data as DonationHeader & {
      allocation?: {
        allocationId: string;
        recipientKind: string;
        recipientId: string;
        recipientName: string;
        recipientRegionCode: string;
        quantity?: number;
        amountFen?: number;
        valueFen: number;
      };
      shipment?: { shipmentId: string; allocationId: string; lines: { quantity: number }[]; amountFen?: number };
      acknowledgement?: {
        acknowledgementId: string;
        allocationId: string;
        recipientKind: string;
        recipientId: string;
        acknowledgedOn: string;
        lines: { quantityReceived: number }[];
        amountFen?: number;
      };
    };
    const doc: DonationDoc = (await store.get<DonationDoc>('Donations', d.donationId)) ?? {
      _id: d.donationId,
      sequence: 0,
      donorId: d.donorId,
      donorKind: d.donorKind,
      donorDisplayName: d.donorDisplayName,
      kind: d.kind,
      status: d.status,
      receivedOn: d.receivedOn,
      receivedValueFen: 0,
      receivedQuantity: 0,
      allocations: {},
      shipments: {},
      acknowledgements: {},
    };
    if (doc.sequence < event.sequence) {
      Object.assign(doc, {
        sequence: event.sequence,
        donorId: d.donorId,
        donorKind: d.donorKind,
        donorDisplayName: d.donorDisplayName,
        kind: d.kind,
        status: d.status,
        receivedOn: d.receivedOn,
        receivedValueFen: d.totals.receivedValueFen,
        receivedQuantity: d.totals.receivedQuantity,
      });
    }
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const toChild = (kind: string) => kind === 'child';
    if (d.allocation) {
      const a = d.allocation;
      const at = instant(event.time);
      doc.allocations[a.allocationId] = {
        recipientKind: a.recipientKind,
        recipientId: a.recipientId,
        recipientName: a.recipientName,
        recipientRegionCode: a.recipientRegionCode,
        quantity: a.quantity ?? 0,
        amountFen: a.amountFen ?? 0,
        valueFen: a.valueFen,
        ...(toChild(a.recipientKind) ? { at } : {}),
      };
      if (toChild(a.recipientKind)) {
        timeline(a.recipientId, {
          [`donation_${a.allocationId}`]: {
            at,
            tie: 0,
            service: 'donations',
            type: 'donation_allocated',
            donationKind: d.kind,
            amountFen: a.amountFen,
            quantity: a.quantity,
            donorDisplayName: d.donorDisplayName,
          },
        });
      }
    }
    if (d.shipment) {
      const s = d.shipment;
      doc.shipments[s.shipmentId] = {
        allocationId: s.allocationId,
        quantity: sum(s.lines.map((l) => l.quantity)),
        amountFen: s.amountFen ?? 0,
      };
    }
    if (d.acknowledgement) {
      const k = d.acknowledgement;
      doc.acknowledgements[k.acknowledgementId] = {
        allocationId: k.allocationId,
        quantityReceived: sum(k.lines.map((l) => l.quantityReceived)),
        amountFen: k.amountFen ?? 0,
      };
      if (toChild(k.recipientKind)) {
        // Acknowledged on a date (midnight in Beijing): on the allocation's own day, right after it.
        const on = instant(k.acknowledgedOn);
        const allocatedAt = doc.allocations[k.allocationId]?.at;
        timeline(k.recipientId, {
          [`donation_ack_${k.acknowledgementId}`]: {
            at: allocatedAt && allocatedAt > on ? allocatedAt : on,
            tie: 1,
            service: 'donations',
            type: 'donation_received',
            donationKind: d.kind,
            amountFen: k.amountFen,
            quantity: k.lines.length ? sum(k.lines.map((l) => l.quantityReceived)) : undefined,
            donorDisplayName: d.donorDisplayName,
          },
        });
      }
    }
    store.put('Donations', doc);
  };

  const onVolunteerEvent: Handler = async (event) => {
    const d = event.data as VolunteerEventSnapshot & { outcome?: string };
    const stored = await store.get<VolunteerEventDoc>('VolunteerEvents', event.subject);
    if (stored && stored.sequence >= event.sequence) return;
    const entry = (type: string, tie: number): TimelineEntry => ({
      at: instant(d.startsOn),
      tie,
      service: 'volunteers',
      type,
      eventKind: d.kind,
      title: d.title,
      ...(d.facilityId ? { facilityId: d.facilityId } : {}),
    });
    const registered = `vevent_${d.eventId}_registered`;
    const attended = `vevent_${d.eventId}_attended`;
    for (const childId of new Set([...(stored?.childIds ?? []), ...(stored?.attendedChildIds ?? [])])) {
      const unset = [
        ...(d.childIds.includes(childId) ? [] : [registered]),
        ...(d.attendedChildIds.includes(childId) ? [] : [attended]),
      ];
      timeline(childId, {}, unset);
    }
    for (const childId of d.childIds) timeline(childId, { [registered]: entry('volunteer_event_registered', 0) });
    for (const childId of d.attendedChildIds) timeline(childId, { [attended]: entry('volunteer_event_attended', 1) });
    snapshot('VolunteerEvents', event, stored, {
      organisationId: d.organisationId,
      kind: d.kind,
      title: d.title,
      startsOn: d.startsOn,
      regionCode: canonical(d.regionCode),
      ...(d.facilityId ? { facilityId: d.facilityId } : {}),
      status: d.status,
      ...(d.outcome ? { outcome: d.outcome } : {}),
      childIds: d.childIds,
      attendedChildIds: d.attendedChildIds,
      volunteerIds: d.volunteerIds,
      confirmedMinutes: d.hours.reduce((a, h) => a + h.minutes, 0),
    });
  };

  const byType = (events: readonly { type: string }[], handler: Handler) =>
    Object.fromEntries(events.map((e) => [e.type, handler]));
  return {
    tree,
    handlers: {
      ...byType(childEvents, onChild),
      ...byType(caseEvents, onCase),
      ...byType(reportEvents, onReport),
      ...byType(facilityEvents, onFacility),
      ...byType(enrolmentEvents, onEnrolment),
      ...byType(activityEvents, onActivity),
      ...byType(donationEvents, onDonation),
      ...byType(volunteerEventEvents, onVolunteerEvent),
    } as Record<string, Handler>,
  };
}

export interface ReportingConsumerOptions {
  kafka: Kafka;
  models: ReadModels;
  groupId: string;
  /** Which events to take in (tests: only their own aggregates); default all. */
  accept?: (event: EventEnvelope) => boolean;
  logger?: BusLogger;
  /**
   * When the read models are written: about once a second, ancestors and all (default), or after
   * every event, ancestors included — how it was done before, kept as the baseline of `npm run
   * bench:reporting`.
   */
  propagate?: 'batched' | 'per-event';
}

/**
 * How long the region ancestors trail their buckets at least (longer while flushes are slow: four
 * times the last flush), and how many dirty regions force a flush.
 */
export const FLUSH_AFTER_MS = 1000;
export const FLUSH_AT_PENDING = 2000;

/** The per-aggregate documents keyed by the topic's message key (the aggregate id). */
const SNAPSHOT_OF_TOPIC: Record<string, keyof ReadModels> = {
  [CHILD_TOPIC]: 'Children',
  [CASE_TOPIC]: 'Cases',
  [REPORT_TOPIC]: 'Reports',
  [FACILITY_TOPIC]: 'Homes',
  [DONATION_TOPIC]: 'Donations',
  [VOLUNTEER_EVENT_TOPIC]: 'VolunteerEvents',
};

/** The consumer, and `flush()`: brings the region ancestors up to date now (tests, after lag 0). */
export type ReportingConsumer = ConsumerRunner & { flush(): Promise<void> };

export function createReportingConsumer(options: ReportingConsumerOptions): ReportingConsumer {
  const store = createStore(options.models);
  const { handlers, tree } = createProjector(options.models, store);
  const serial = createSerialiser();
  const accept = options.accept;
  let timer: NodeJS.Timeout | undefined;
  let lastFlushMs = 0;
  /** Writes what the events did (buckets, timelines, snapshots): before offsets are committed. */
  const write = async () => {
    await serial(() => store.flush());
  };
  const flush = () =>
    serial(async () => {
      const started = Date.now();
      await tree.flush();
      await store.flush();
      lastFlushMs = Date.now() - started;
    });
  const flushSoon = () => {
    if (timer || tree.pending === 0) return;
    // A flush stops the events for its duration: at most a fifth of the time goes to flushing.
    timer = setTimeout(
      () => {
        timer = undefined;
        flush().catch((error: unknown) => {
          options.logger?.error({ err: error }, 'reporting: region totals not flushed; retrying');
          flushSoon();
        });
      },
      Math.max(FLUSH_AFTER_MS, 4 * lastFlushMs),
    );
    timer.unref();
  };
  const runner = createConsumer({
    kafka: options.kafka,
    groupId: options.groupId,
    subscriptions: SUBSCRIPTIONS,
    handlers: Object.fromEntries(
      Object.entries(handlers).map(([type, handle]) => [
        type,
        async (event: EventEnvelope<never>) => {
          if (accept && !accept(event)) return;
          await serial(async () => {
            await handle(event);
            if (options.propagate === 'per-event') {
              await tree.flush();
              await store.flush();
            }
            // A long backlog still brings the counters up regularly, not only when it goes quiet.
            if (tree.pending >= FLUSH_AT_PENDING) await tree.flush();
            if (store.pending >= FLUSH_AT_PENDING) await store.flush();
          });
          flushSoon();
        },
      ]),
    ),
    beforeCommit: write,
    // The snapshots a batch's events will read, read 16 at a time instead of one per event.
    prefetch: (topic, keys) => {
      const collection = SNAPSHOT_OF_TOPIC[topic];
      if (collection) store.hint(collection, keys);
    },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  // Ancestors left behind by a crash between an event and the flush are brought up before consuming;
  // stopping flushes what is pending.
  const start = runner.start.bind(runner);
  const stop = runner.stop.bind(runner);
  runner.start = async () => {
    await serial(() => tree.repair());
    await start();
  };
  runner.stop = async () => {
    await stop();
    clearTimeout(timer);
    timer = undefined;
    await flush();
  };
  return Object.assign(runner, { flush });
}
