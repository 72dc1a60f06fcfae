/**
 * The read models: plain collections keyed by `_id`, every read and write by `_id` alone (the only
 * filter FerretDB pushes down). See README "Read models".
 */
import { Schema, type Connection, type Model } from 'mongoose';

import type { BucketEntries, Totals } from '../domain/tally.js';

const loose = () => new Schema({ _id: String }, { strict: false, versionKey: false, minimize: false });

/** One per region code that has anything (village, township, county, city). */
export interface RegionDoc {
  _id: string;
  /** Entries whose region is exactly this code. */
  own: BucketEntries;
  /** The totals of each direct sub-region, as last propagated. */
  parts: Record<string, Totals>;
  /** tally(own) + Σ parts. */
  totals: Totals;
}

/** Per child: the last snapshot applied (newer sequence only) and sticky facts. */
export interface ChildDoc {
  _id: string;
  sequence: number;
  name: string;
  regionCode: string;
  categories: string[];
  difficultyTypes: string[];
  supervision: string;
  schooling: string;
  status: string;
  guardianAssigned: boolean;
}

/** Per case / mandatory report: the region it is counted in (to move it when that changes). */
export interface LocatedDoc {
  _id: string;
  sequence: number;
  regionCode: string;
  childId?: string;
}

export interface HomeDoc {
  _id: string;
  facilitySequence?: number;
  facility?: {
    code: string;
    name: string;
    kind: string;
    regionCode: string;
    status: string;
    openedOn: string;
    capacity: number;
  };
  enrolments: Record<
    string,
    { sequence: number; childId: string; status: string; enrolledOn: string; leftOn?: string }
  >;
  activities: Record<
    string,
    {
      sequence: number;
      kind: string;
      month: string;
      startsAt: string;
      status: string;
      childIds: string[];
      attendeeCount: number;
    }
  >;
  evaluations: Record<string, { period: string; grade: string; totalScore: number; evaluatedAt: string }>;
  funding: Record<string, { amountFen: number; source: string; receivedOn: string }>;
}

export interface DonationDoc {
  _id: string;
  sequence: number;
  donorId: string;
  donorKind: string;
  donorDisplayName: string;
  kind: string;
  status: string;
  receivedOn: string;
  receivedValueFen: number;
  receivedQuantity: number;
  allocations: Record<
    string,
    {
      recipientKind: string;
      recipientId: string;
      recipientName: string;
      recipientRegionCode: string;
      quantity: number;
      amountFen: number;
      valueFen: number;
      /** Allocations to a child only: when it was allocated, so its receipt never shows before it. */
      at?: string;
    }
  >;
  shipments: Record<string, { allocationId: string; quantity: number; amountFen: number }>;
  acknowledgements: Record<string, { allocationId: string; quantityReceived: number; amountFen: number }>;
}

export interface VolunteerEventDoc {
  _id: string;
  sequence: number;
  organisationId: string;
  kind: string;
  title: string;
  startsOn: string;
  regionCode: string;
  facilityId?: string;
  status: string;
  outcome?: string;
  childIds: string[];
  attendedChildIds: string[];
  volunteerIds: string[];
  confirmedMinutes: number;
}

export interface TimelineEntry {
  at: string;
  service: 'registry' | 'facilities' | 'volunteers' | 'donations';
  type: string;
  /** Orders entries with the same `at`. */
  tie?: number;
  [detail: string]: unknown;
}
export interface TimelineDoc {
  _id: string;
  entries: Record<string, TimelineEntry>;
}

export const READ_MODEL_COLLECTIONS = [
  'region_buckets',
  'children',
  'cases',
  'reports',
  'homes',
  'donations',
  'volunteer_events',
  'timelines',
] as const;

export function readModels(connection: Connection) {
  const model = (name: string, collection: string) =>
    connection.model(name, loose(), collection) as unknown as Model<never>;
  return {
    Regions: model('RegionBucket', 'region_buckets'),
    Children: model('ChildState', 'children'),
    Cases: model('CaseState', 'cases'),
    Reports: model('ReportState', 'reports'),
    Homes: model('HomeStats', 'homes'),
    Donations: model('DonationStats', 'donations'),
    VolunteerEvents: model('VolunteerEventStats', 'volunteer_events'),
    Timelines: model('Timeline', 'timelines'),
  };
}
export type ReadModels = ReturnType<typeof readModels>;

/** The raw document by `_id` (the driver, not mongoose: no casting, no defaults). */
export async function byId<T>(model: Model<never>, id: string): Promise<T | null> {
  return (await model.collection.findOne({ _id: id as never })) as T | null;
}

/** Replaces (or inserts) the whole document, by `_id`. */
export async function put<T extends { _id: string }>(model: Model<never>, doc: T): Promise<void> {
  await model.collection.replaceOne({ _id: doc._id as never }, doc as never, { upsert: true });
}

/** Drops every read model (not the audit log): the start of a rebuild. */
export async function dropReadModels(connection: Connection): Promise<void> {
  const existing = new Set((await connection.db!.listCollections().toArray()).map((c) => c.name));
  for (const name of READ_MODEL_COLLECTIONS) if (existing.has(name)) await connection.db!.dropCollection(name);
}

/** One writer at a time for all read models (see README: single-document atomicity only). */
export function createSerialiser() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => {});
    return run;
  };
}
