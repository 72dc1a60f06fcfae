/**
 * The facilities service's collections. Facilities, enrolments and activities are aggregates with
 * an embedded outbox; children are a projection of `registry.child.v1`; personal files and
 * evaluations are this service's own records. Counselling records are sealed at rest.
 */
import { outboxPlugin, type OutboxFields } from '@tongxin/bus';
import { Schema, type Connection, type Model } from 'mongoose';

import type { EquipmentKind } from '../domain/evaluation.js';
import type { DonationViewDoc, ReceivedAllocationDoc } from '../messaging/donations.js';

export interface Funding {
  fundingId: string;
  amountFen: number;
  source: string;
  receivedOn: string;
  note?: string;
  recordedBy: string;
}

export interface FacilityDoc extends OutboxFields {
  _id: string;
  code: string;
  name: string;
  kind: 'school_based' | 'village_based' | 'community';
  hostSchool?: string;
  hostVillage?: string;
  /** Partner organisation co-running the home (e.g. the women's federation). */
  partner?: string;
  regionCode: string;
  address: string;
  openedOn: string;
  status: 'open' | 'suspended' | 'closed';
  managers: string[];
  equipment: { kind: EquipmentKind; name?: string; quantity: number }[];
  funding: Funding[];
  totalFundingFen: number;
  openingHours: string;
  capacity: number;
  createdAt: Date;
  createdBy: string;
}

export interface ChildViewDoc {
  _id: string;
  sequence: number;
  name: string;
  sex: string;
  birthDate: string;
  regionCode: string;
  categories: string[];
  status: string;
}

export interface EnrolmentDoc extends OutboxFields {
  _id: string;
  facilityId: string;
  childId: string;
  /** The home's region, for scope checks. */
  regionCode: string;
  status: 'enrolled' | 'left';
  enrolledOn: string;
  leftOn?: string;
  leftReason?: string;
  enrolledBy: string;
}

export interface CounsellingRecord {
  recordId: string;
  at: Date;
  by: string;
  /** Sealed (AES-256-GCM): what was said and observed. */
  sealed: string;
}

export interface PersonalFileDoc {
  /** `<facilityId>:<childId>` */
  _id: string;
  facilityId: string;
  childId: string;
  regionCode: string;
  interests: string[];
  strengths: string[];
  needs: string[];
  notes: { at: Date; by: string; text: string }[];
  counselling: CounsellingRecord[];
  updatedAt: Date;
}

export interface ActivityHistoryEntry {
  at: Date;
  by: string;
  action: 'corrected' | 'cancelled';
  reason: string;
  note?: string;
  /** The activity as it was before. */
  before: Record<string, unknown>;
}

export interface ActivityDoc extends OutboxFields {
  _id: string;
  facilityId: string;
  regionCode: string;
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
  status: 'logged' | 'cancelled';
  history: ActivityHistoryEntry[];
  /** Fingerprint of the logging request, to tell a retry from a different activity with the same id. */
  requestHash: string;
  /** When the activity mirrors an event of a volunteer organisation (volunteers.event.v1). */
  volunteerEventId?: string;
  /** The newest sequence of that event it reflects. */
  sourceSequence?: number;
  loggedBy: string;
  loggedAt: Date;
}

export interface EvaluationDoc {
  /** `<facilityId>_<period>` */
  _id: string;
  facilityId: string;
  regionCode: string;
  period: string;
  result: Record<string, unknown>;
  totalScore: number;
  grade: string;
  evaluatedBy: string;
  evaluatedAt: Date;
}

/** Unique claims (an insert decides, atomically everywhere): facility codes, active enrolments, idempotency keys. */
export interface ClaimDoc {
  _id: string;
  ref: string;
  at: Date;
}

export interface VolunteerViewDoc {
  _id: string;
  sequence: number;
  name: string;
  organisationId: string;
  cleared: boolean;
}

const mixed = Schema.Types.Mixed;
const options = (collection: string) => ({ collection, versionKey: false, minimize: false }) as const;

const facilitySchema = new Schema<FacilityDoc>(
  {
    _id: String,
    code: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, required: true },
    hostSchool: String,
    hostVillage: String,
    partner: String,
    regionCode: { type: String, required: true },
    address: { type: String, default: '' },
    openedOn: { type: String, required: true },
    status: { type: String, required: true },
    managers: { type: [String], default: [] },
    equipment: { type: [mixed], default: [] } as never,
    funding: { type: [mixed], default: [] } as never,
    totalFundingFen: { type: Number, default: 0 },
    openingHours: { type: String, default: '' },
    capacity: { type: Number, required: true },
    createdAt: Date,
    createdBy: String,
  },
  options('facilities'),
);
facilitySchema.plugin(outboxPlugin);

const enrolmentSchema = new Schema<EnrolmentDoc>(
  {
    _id: String,
    facilityId: { type: String, required: true },
    childId: { type: String, required: true },
    regionCode: { type: String, required: true },
    status: { type: String, required: true },
    enrolledOn: String,
    leftOn: String,
    leftReason: String,
    enrolledBy: String,
  },
  options('enrolments'),
);
enrolmentSchema.plugin(outboxPlugin);

const activitySchema = new Schema<ActivityDoc>(
  {
    _id: String,
    facilityId: { type: String, required: true },
    regionCode: { type: String, required: true },
    kind: { type: String, required: true },
    subject: String,
    otherDescription: String,
    title: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    place: { type: String, default: '' },
    attendeeChildIds: { type: [String], default: [] },
    volunteerIds: { type: [String], default: [] },
    staff: { type: [String], default: [] },
    otherAttendees: { type: Number, default: 0 },
    notes: { type: String, default: '' },
    photoRefs: { type: [String], default: [] },
    status: { type: String, required: true },
    history: { type: [mixed], default: [] } as never,
    requestHash: String,
    volunteerEventId: String,
    sourceSequence: Number,
    loggedBy: String,
    loggedAt: Date,
  },
  options('activities'),
);
activitySchema.plugin(outboxPlugin);

export function facilityModels(connection: Connection) {
  const plain = <T>(name: string, collection: string) =>
    connection.model<T>(name, new Schema<T>({ _id: String } as never, { ...options(collection), strict: false }));
  return {
    Facilities: connection.model<FacilityDoc>('Facility', facilitySchema) as Model<FacilityDoc>,
    Enrolments: connection.model<EnrolmentDoc>('Enrolment', enrolmentSchema) as Model<EnrolmentDoc>,
    Activities: connection.model<ActivityDoc>('Activity', activitySchema) as Model<ActivityDoc>,
    Children: plain<ChildViewDoc>('ChildView', 'children_view') as Model<ChildViewDoc>,
    Volunteers: plain<VolunteerViewDoc>('VolunteerView', 'volunteers_view') as Model<VolunteerViewDoc>,
    PersonalFiles: plain<PersonalFileDoc>('PersonalFile', 'personal_files') as Model<PersonalFileDoc>,
    Evaluations: plain<EvaluationDoc>('Evaluation', 'evaluations') as Model<EvaluationDoc>,
    Claims: plain<ClaimDoc>('Claim', 'claims') as Model<ClaimDoc>,
    DonationsView: plain<DonationViewDoc>('DonationView', 'donations_view') as Model<DonationViewDoc>,
    ReceivedAllocations: plain<ReceivedAllocationDoc>(
      'ReceivedAllocation',
      'received_allocations',
    ) as Model<ReceivedAllocationDoc>,
  };
}
export type FacilityModels = ReturnType<typeof facilityModels>;
