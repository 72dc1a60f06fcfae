/**
 * The volunteers service's collections. Volunteers and events are aggregates with an embedded
 * outbox. An event holds its registered children, wait-list, assigned volunteers, attendance and
 * confirmed hours inside its one document, so capacity and role slots are checked and written in one
 * single-document commit. Organisations are this service's own records; children are a projection of
 * `registry.child.v1`, homes of `facilities.facility.v1`.
 */
import { outboxPlugin, type OutboxFields } from '@tongxin/bus';
import { Schema, type Connection, type Model } from 'mongoose';

import type { EventKind, Skill } from '../domain/kinds.js';
import type { Eligibility } from '../domain/eligibility.js';

export type OrganisationKind =
  'youth_league' | 'young_pioneers' | 'women_federation' | 'school' | 'charity' | 'social_work' | 'company';

export interface OrganisationDoc {
  _id: string;
  kind: OrganisationKind;
  name: string;
  regionCode: string;
  createdAt: Date;
  createdBy: string;
}

export interface VolunteerDoc extends OutboxFields {
  _id: string;
  /** The first is the volunteer's organisation in events; coordinators of any of them manage the volunteer. */
  organisationIds: string[];
  /** Full name: shown inside the organisation and on certificates, never in events. */
  name: string;
  /** The name shown elsewhere and in events (e.g. 刘老师). */
  displayName: string;
  /** AES-256-GCM sealed mobile number. */
  phoneSealed: string;
  skills: Skill[];
  counsellingQualification?: { title: string; issuer: string; issuedOn: string };
  availability: { periods: string[]; note?: string };
  status: 'active' | 'inactive';
  /** The volunteer's own platform account (token `sub`), for self-application and their certificate. */
  userId?: string;
  clearance?: {
    documentType: string;
    /** Sealed: never in an event, a log or a response (only its last 4 characters, to the organisation). */
    numberSealed: string;
    numberLast4: string;
    issuedOn: string;
    expiresOn: string;
    verifiedBy: string;
    verifiedAt: Date;
  };
  revoked?: { on: string; by: string; reason: string };
  training?: { completedOn: string; provider?: string; recordedBy: string };
  createdAt: Date;
  createdBy: string;
}

export type VenueDoc =
  | { kind: 'home'; facilityId: string; name: string; regionCode: string }
  | { kind: 'school'; name: string; regionCode: string }
  | { kind: 'address'; address: string; regionCode: string };

export interface RoleDoc {
  roleId: string;
  name: string;
  slots: number;
  requiredSkills: Skill[];
}

export interface ChildEntry {
  childId: string;
  name: string;
  at: Date;
  by: string;
}

export interface AssignmentDoc {
  volunteerId: string;
  displayName: string;
  roleId: string;
  via: 'coordinator' | 'self';
  at: Date;
  by: string;
}

export interface AttendanceDoc {
  on: string;
  childIds: string[];
  volunteerIds: string[];
  recordedAt: Date;
  recordedBy: string;
}

export interface HoursDoc {
  volunteerId: string;
  minutes: number;
  confirmedAt: Date;
  confirmedBy: string;
}

export interface CancellationDoc {
  kind: 'child' | 'volunteer';
  id: string;
  reason: string;
  at: Date;
  by: string;
  /** A child taken from the wait-list into the freed place. */
  promoted?: string;
}

export interface EventDoc extends OutboxFields {
  _id: string;
  organisationId: string;
  kind: EventKind;
  title: string;
  description?: string;
  startsOn: string;
  endsOn: string;
  venue: VenueDoc;
  regionCode: string;
  capacity: number;
  roles: RoleDoc[];
  eligibility: Eligibility;
  registration: { opensOn: string; closesOn: string };
  involvesChildren: boolean;
  status: 'scheduled' | 'closed';
  children: ChildEntry[];
  waitlist: ChildEntry[];
  volunteers: AssignmentDoc[];
  attendance: AttendanceDoc[];
  hours: HoursDoc[];
  cancellations: CancellationDoc[];
  closed?: { closedOn: string; outcome: 'completed' | 'cancelled'; by: string };
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

export interface HomeViewDoc {
  _id: string;
  sequence: number;
  code: string;
  name: string;
  regionCode: string;
  status: string;
}

const mixed = Schema.Types.Mixed;
const options = (collection: string) => ({ collection, versionKey: false, minimize: false }) as const;

const volunteerSchema = new Schema<VolunteerDoc>(
  {
    _id: String,
    organisationIds: { type: [String], default: [] },
    name: { type: String, required: true },
    displayName: { type: String, required: true },
    phoneSealed: { type: String, required: true },
    skills: { type: [String], default: [] },
    counsellingQualification: mixed,
    availability: mixed,
    status: { type: String, required: true },
    userId: String,
    clearance: mixed,
    revoked: mixed,
    training: mixed,
    createdAt: Date,
    createdBy: String,
  },
  options('volunteers'),
);
volunteerSchema.plugin(outboxPlugin);

const eventSchema = new Schema<EventDoc>(
  {
    _id: String,
    organisationId: { type: String, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    description: String,
    startsOn: { type: String, required: true },
    endsOn: { type: String, required: true },
    venue: mixed,
    regionCode: { type: String, required: true },
    capacity: { type: Number, required: true },
    roles: { type: [mixed], default: [] } as never,
    eligibility: mixed,
    registration: mixed,
    involvesChildren: Boolean,
    status: { type: String, required: true },
    children: { type: [mixed], default: [] } as never,
    waitlist: { type: [mixed], default: [] } as never,
    volunteers: { type: [mixed], default: [] } as never,
    attendance: { type: [mixed], default: [] } as never,
    hours: { type: [mixed], default: [] } as never,
    cancellations: { type: [mixed], default: [] } as never,
    closed: mixed,
    createdAt: Date,
    createdBy: String,
  },
  options('events'),
);
eventSchema.plugin(outboxPlugin);

export function volunteerModels(connection: Connection) {
  const plain = <T>(name: string, collection: string) =>
    connection.model<T>(name, new Schema<T>({ _id: String } as never, { ...options(collection), strict: false }));
  return {
    Volunteers: connection.model<VolunteerDoc>('Volunteer', volunteerSchema) as Model<VolunteerDoc>,
    Events: connection.model<EventDoc>('VolunteerEvent', eventSchema) as Model<EventDoc>,
    Organisations: plain<OrganisationDoc>('Organisation', 'organisations') as Model<OrganisationDoc>,
    Children: plain<ChildViewDoc>('ChildView', 'children_view') as Model<ChildViewDoc>,
    Homes: plain<HomeViewDoc>('HomeView', 'homes_view') as Model<HomeViewDoc>,
  };
}
export type VolunteerModels = ReturnType<typeof volunteerModels>;
