/**
 * `donations.donation.v1`: a donation from donor to recipients. Every event carries the donation's
 * header and running totals (event-carried state), plus the one allocation, shipment or
 * acknowledgement it records — each with its own id, so projections per recipient apply them
 * idempotently too. Donors appear by id and display name only (an organisation's name, or the name
 * an individual chose to show): no contact data, no ID numbers.
 */
import { z } from 'zod';

import { defineEvent } from '../events.js';

import { ZDiscrepancyReason, ZEntityId, ZFen, ZIsoDate, ZRegionCode } from './fields.js';

export { ZDiscrepancyReason };

export const DONATION_TOPIC = 'donations.donation.v1';

export const ZDonationKind = z.enum(['money', 'books', 'goods']);
export const ZDonorKind = z.enum(['organisation', 'individual']);
export const ZDonationStatus = z.enum(['received', 'partially_allocated', 'allocated', 'cancelled']);
/** Version 1 of allocated, dispatched and acknowledged: homes and schools only. */
export const ZRecipientKind = z.enum(['facility', 'school']);
/**
 * Version 2 adds `child` (a bursary 助学金 or a small wish 微心愿 for one child). A new enum value
 * would make a consumer still on version 1 dead-letter the event (src/compat/compare.ts), so it is a
 * new version; the producer keeps publishing version 1 for homes and schools.
 */
export const ZRecipientKindV2 = z.enum(['facility', 'school', 'child']);

/** Totals computed from the lines, allocations, shipments and acknowledgements — never typed. */
export const ZDonationTotals = z.object({
  receivedValueFen: ZFen,
  /** Units received (books or goods); 0 for money. */
  receivedQuantity: z.number().int().nonnegative(),
  allocatedValueFen: ZFen,
  allocatedQuantity: z.number().int().nonnegative(),
  dispatchedQuantity: z.number().int().nonnegative(),
  acknowledgedQuantity: z.number().int().nonnegative(),
  /** Money confirmed received by recipients, in fen. */
  acknowledgedValueFen: ZFen,
});

export const ZDonationHeader = z.object({
  donationId: ZEntityId,
  donorId: ZEntityId,
  donorKind: ZDonorKind,
  /** An organisation's name or an individual donor's chosen display name; nothing else about a person. */
  donorDisplayName: z.string().min(1).max(100),
  kind: ZDonationKind,
  status: ZDonationStatus,
  receivedOn: ZIsoDate,
  totals: ZDonationTotals,
});
export type DonationHeader = z.infer<typeof ZDonationHeader>;

/** One line of an in-kind donation: a book title, a batch of books, or goods. */
export const ZDonationLine = z.object({
  lineId: ZEntityId,
  /** ISBN-13, 13 digits without hyphens (as values' ZIsbn13 normalises it), when known. */
  isbn: z
    .string()
    .regex(/^97[89]\d{10}$/, 'an ISBN-13 of 13 digits')
    .optional(),
  /** Book title, batch description ("儿童文学图书一批") or goods description. */
  title: z.string().min(1).max(200),
  quantity: z.number().int().positive(),
  /** Value of one unit; absent on batch lines, which carry only their total. */
  unitValueFen: ZFen.optional(),
  /** Value of the whole line. */
  valueFen: ZFen,
});

export const ZDonationReceivedData = ZDonationHeader.extend({
  /** Money donations: the amount received. */
  amountFen: ZFen.optional(),
  purpose: z.enum(['restricted', 'unrestricted']),
  /** In-kind donations: the lines; empty for money. */
  lines: z.array(ZDonationLine),
});
export const DonationReceived = defineEvent({
  type: 'donations.donation.received',
  version: 1,
  topic: DONATION_TOPIC,
  data: ZDonationReceivedData,
  description: 'A donation of money (fen) or books/goods (lines) was received from a donor.',
});

export const ZAllocation = z.object({
  allocationId: ZEntityId,
  recipientKind: ZRecipientKind,
  /** A facilityId (facilities.facility.v1) or a school id of the donations service. */
  recipientId: ZEntityId,
  recipientName: z.string().min(1).max(100),
  recipientRegionCode: ZRegionCode,
  /** In-kind: the line and the quantity allocated from it. */
  lineId: ZEntityId.optional(),
  quantity: z.number().int().positive().optional(),
  /** Money: the amount allocated. */
  amountFen: ZFen.optional(),
  /** Value of what is allocated (the amount, or quantity × unit value). */
  valueFen: ZFen,
});
export const ZDonationAllocatedData = ZDonationHeader.extend({ allocation: ZAllocation });
export const DonationAllocated = defineEvent({
  type: 'donations.donation.allocated',
  version: 1,
  topic: DONATION_TOPIC,
  data: ZDonationAllocatedData,
  description: 'Part of a donation (a line quantity or an amount) was allocated to a home or a school.',
});

/**
 * Version 2: the recipient may be a child. Then `recipientId` is the childId (registry.child.v1),
 * `recipientName` the child's MASKED name (张*明, never the full name: the donor sees these events'
 * data) and `recipientRegionCode` the child's village.
 */
export const ZAllocationV2 = ZAllocation.extend({ recipientKind: ZRecipientKindV2 });
export const ZDonationAllocatedDataV2 = ZDonationHeader.extend({ allocation: ZAllocationV2 });
export const DonationAllocatedV2 = defineEvent({
  type: 'donations.donation.allocated',
  version: 2,
  topic: DONATION_TOPIC,
  data: ZDonationAllocatedDataV2,
  description:
    'Part of a donation was allocated to a home, a school or one child (bursary); published for child recipients, version 1 for the others.',
});

export const ZShipment = z.object({
  shipmentId: ZEntityId,
  allocationId: ZEntityId,
  recipientKind: ZRecipientKind,
  recipientId: ZEntityId,
  dispatchedOn: ZIsoDate,
  /** The carrier company's name, when known. */
  carrier: z.string().min(1).max(100).optional(),
  lines: z.array(z.object({ lineId: ZEntityId, quantity: z.number().int().positive() })),
  /** Money transferred, for money allocations. */
  amountFen: ZFen.optional(),
});
export const ZDonationDispatchedData = ZDonationHeader.extend({ shipment: ZShipment });
export const DonationDispatched = defineEvent({
  type: 'donations.donation.dispatched',
  version: 1,
  topic: DONATION_TOPIC,
  data: ZDonationDispatchedData,
  description: 'A shipment (or transfer) of allocated units or money was dispatched to its recipient.',
});

export const ZShipmentV2 = ZShipment.extend({ recipientKind: ZRecipientKindV2 });
export const ZDonationDispatchedDataV2 = ZDonationHeader.extend({ shipment: ZShipmentV2 });
export const DonationDispatchedV2 = defineEvent({
  type: 'donations.donation.dispatched',
  version: 2,
  topic: DONATION_TOPIC,
  data: ZDonationDispatchedDataV2,
  description:
    'A shipment or transfer was dispatched to a home, a school or one child; published for child recipients, version 1 for the others.',
});

export const ZAcknowledgement = z.object({
  acknowledgementId: ZEntityId,
  allocationId: ZEntityId,
  shipmentId: ZEntityId.optional(),
  recipientKind: ZRecipientKind,
  recipientId: ZEntityId,
  acknowledgedOn: ZIsoDate,
  lines: z.array(
    z.object({
      lineId: ZEntityId,
      quantityDispatched: z.number().int().nonnegative(),
      quantityReceived: z.number().int().nonnegative(),
      /** quantityReceived − quantityDispatched: negative when short, positive when over. */
      discrepancy: z.number().int(),
      discrepancyReason: ZDiscrepancyReason.optional(),
    }),
  ),
  /** Money confirmed received, for money allocations. */
  amountFen: ZFen.optional(),
});
export const ZDonationAcknowledgedData = ZDonationHeader.extend({ acknowledgement: ZAcknowledgement });
export const DonationAcknowledged = defineEvent({
  type: 'donations.donation.acknowledged',
  version: 1,
  topic: DONATION_TOPIC,
  data: ZDonationAcknowledgedData,
  description: 'A recipient acknowledged what it received, with quantities and discrepancies per line.',
});

export const ZAcknowledgementV2 = ZAcknowledgement.extend({ recipientKind: ZRecipientKindV2 });
export const ZDonationAcknowledgedDataV2 = ZDonationHeader.extend({ acknowledgement: ZAcknowledgementV2 });
export const DonationAcknowledgedV2 = defineEvent({
  type: 'donations.donation.acknowledged',
  version: 2,
  topic: DONATION_TOPIC,
  data: ZDonationAcknowledgedDataV2,
  description:
    'A home, a school or a child (through the officer of its region) acknowledged what it received; published for child recipients, version 1 for the others.',
});

export const ZDonationCancellationReason = z.enum(['donor_withdrew', 'duplicate', 'entered_in_error', 'other']);
export const ZDonationCancelledData = ZDonationHeader.extend({
  reason: ZDonationCancellationReason,
  cancelledOn: ZIsoDate,
});
export const DonationCancelled = defineEvent({
  type: 'donations.donation.cancelled',
  version: 1,
  topic: DONATION_TOPIC,
  data: ZDonationCancelledData,
  description: 'A donation was cancelled with a reason code; nothing more can be allocated from it.',
});

export const donationEvents = [
  DonationReceived,
  DonationAllocated,
  DonationAllocatedV2,
  DonationDispatched,
  DonationDispatchedV2,
  DonationAcknowledged,
  DonationAcknowledgedV2,
  DonationCancelled,
] as const;
