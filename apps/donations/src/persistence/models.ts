/**
 * The donations service's collections. Donations are aggregates with an embedded outbox: the lines,
 * allocations, shipments and acknowledgements live inside the donation document, so the invariant
 * "never more allocated than received" is checked and written in one single-document commit. Donors,
 * schools and plaques are this service's own records; homes are a projection of
 * `facilities.facility.v1`, children of `registry.child.v1` (masked name, village and status only);
 * claims are insert-only unique keys (receipt numbers).
 */
import { outboxPlugin, type OutboxFields } from '@tongxin/bus';
import { Schema, type Connection, type Model } from 'mongoose';

export type OrganisationType = 'charity_federation' | 'foundation' | 'company' | 'government' | 'school' | 'other';

export interface DonorDoc {
  _id: string;
  kind: 'organisation' | 'individual';
  /** Organisations only. */
  organisationType?: OrganisationType;
  /** An organisation's name, or the name an individual chose to show — the only donor data in events. */
  displayName: string;
  /** Individuals: the real name, kept here for receipts; never in an event. */
  legalName?: string;
  note?: string;
  createdAt: Date;
  createdBy: string;
}

export type LineType = 'book' | 'book_batch' | 'goods';

export interface LineDoc {
  lineId: string;
  type: LineType;
  /** Book title, batch description or goods description. */
  title: string;
  isbn?: string;
  category?: string;
  ageBand?: string;
  /** Goods: the unit (本, 箱, 台…). */
  unit?: string;
  quantity: number;
  /** Absent on batch lines, which carry only their total. */
  unitValueFen?: number;
  valueFen: number;
}

/** `child`: a bursary (助学金) or small wish (微心愿) for one child of the register. */
export type RecipientKind = 'facility' | 'school' | 'child';

export interface AllocationDoc {
  allocationId: string;
  recipientKind: RecipientKind;
  recipientId: string;
  recipientName: string;
  recipientRegionCode: string;
  lineId?: string;
  quantity?: number;
  amountFen?: number;
  valueFen: number;
  allocatedAt: Date;
  allocatedBy: string;
}

export interface ShipmentDoc {
  shipmentId: string;
  allocationId: string;
  dispatchedOn: string;
  carrier?: string;
  trackingNumber?: string;
  lines: { lineId: string; quantity: number }[];
  amountFen?: number;
  recordedAt: Date;
  recordedBy: string;
}

export type DiscrepancyReason = 'missing' | 'damaged' | 'surplus' | 'wrong_item' | 'other';

export interface AcknowledgementDoc {
  acknowledgementId: string;
  allocationId: string;
  shipmentId: string;
  acknowledgedOn: string;
  lines: {
    lineId: string;
    quantityDispatched: number;
    quantityReceived: number;
    discrepancy: number;
    discrepancyReason?: DiscrepancyReason;
  }[];
  amountFen?: number;
  /** Money: dispatched − received (0 when it all arrived). */
  amountDiscrepancyFen?: number;
  discrepancyReason?: DiscrepancyReason;
  note?: string;
  photoRefs: string[];
  recordedAt: Date;
  recordedBy: string;
}

export type DonationStatus = 'pledged' | 'received' | 'partially_allocated' | 'allocated' | 'cancelled';

export interface DonationDoc extends OutboxFields {
  _id: string;
  donorId: string;
  donorKind: 'organisation' | 'individual';
  donorDisplayName: string;
  kind: 'money' | 'books' | 'goods';
  purpose: 'restricted' | 'unrestricted';
  /** What a restricted donation is for (e.g. 乡村学校图书室). */
  restrictedTo?: string;
  status: DonationStatus;
  /** Absent while pledged. */
  receivedOn?: string;
  receiptNumber?: string;
  amountFen?: number;
  lines: LineDoc[];
  allocations: AllocationDoc[];
  shipments: ShipmentDoc[];
  acknowledgements: AcknowledgementDoc[];
  cancellation?: { reason: string; cancelledOn: string; note?: string; by: string };
  note?: string;
  createdAt: Date;
  createdBy: string;
}

export interface SchoolDoc {
  _id: string;
  name: string;
  regionCode: string;
  contactName?: string;
  createdAt: Date;
  createdBy: string;
}

export interface HomeViewDoc {
  _id: string;
  sequence: number;
  name: string;
  regionCode: string;
  status: string;
}

/**
 * A child of the register, as donations needs it to allocate to one child: the MASKED name (张*明 —
 * this service shows a child to donors only so, and never needs the full name), the village and
 * whether the child is still on the register. Nothing else of `registry.child.v1` is kept.
 */
export interface ChildViewDoc {
  _id: string;
  sequence: number;
  maskedName: string;
  regionCode: string;
  status: string;
}

export interface PlaqueDoc {
  _id: string;
  recipientKind: Exclude<RecipientKind, 'child'>;
  recipientId: string;
  /** e.g. 中慈爱心图书室 */
  name: string;
  donorId: string;
  donationId?: string;
  installedOn: string;
  photoRefs: string[];
  recordedAt: Date;
  recordedBy: string;
}

/** Unique claims (an insert decides, atomically everywhere): receipt numbers. Never deleted. */
export interface ClaimDoc {
  _id: string;
  ref: string;
  at: Date;
}

/** A hint of the last receipt number issued per scope; the claims decide, this only saves retries. */
export interface CounterDoc {
  _id: string;
  last: number;
}

const mixed = Schema.Types.Mixed;
const options = (collection: string) => ({ collection, versionKey: false, minimize: false }) as const;

const donationSchema = new Schema<DonationDoc>(
  {
    _id: String,
    donorId: { type: String, required: true },
    donorKind: { type: String, required: true },
    donorDisplayName: { type: String, required: true },
    kind: { type: String, required: true },
    purpose: { type: String, required: true },
    restrictedTo: String,
    status: { type: String, required: true },
    receivedOn: String,
    receiptNumber: String,
    amountFen: Number,
    lines: { type: [mixed], default: [] } as never,
    allocations: { type: [mixed], default: [] } as never,
    shipments: { type: [mixed], default: [] } as never,
    acknowledgements: { type: [mixed], default: [] } as never,
    cancellation: mixed,
    note: String,
    createdAt: Date,
    createdBy: String,
  },
  options('donations'),
);
donationSchema.plugin(outboxPlugin);

export function donationModels(connection: Connection) {
  const plain = <T>(name: string, collection: string) =>
    connection.model<T>(name, new Schema<T>({ _id: String } as never, { ...options(collection), strict: false }));
  return {
    Donations: connection.model<DonationDoc>('Donation', donationSchema) as Model<DonationDoc>,
    Donors: plain<DonorDoc>('Donor', 'donors') as Model<DonorDoc>,
    Schools: plain<SchoolDoc>('School', 'schools') as Model<SchoolDoc>,
    Homes: plain<HomeViewDoc>('HomeView', 'homes_view') as Model<HomeViewDoc>,
    Children: plain<ChildViewDoc>('ChildView', 'children_view') as Model<ChildViewDoc>,
    Plaques: plain<PlaqueDoc>('Plaque', 'plaques') as Model<PlaqueDoc>,
    Claims: plain<ClaimDoc>('Claim', 'claims') as Model<ClaimDoc>,
    Counters: plain<CounterDoc>('Counter', 'counters') as Model<CounterDoc>,
  };
}
export type DonationModels = ReturnType<typeof donationModels>;
