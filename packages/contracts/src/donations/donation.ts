/**
 * `donations.donation.v1`: a donation from donor to recipients. Every event carries the donation's
 * header and running totals (event-carried state), plus the one allocation, shipment or
 * acknowledgement it records — each with its own id, so projections per recipient apply them
 * idempotently too. Donors appear by id and display name only (an organisation's name, or the name
 * an individual chose to show): no contact data, no ID numbers.
 */
import { z } from 'zod';

import { defineEvent } from '../events.js';

import { ZEntityId, ZFen, ZIsoDate, ZRegionCode } from './fields.js';

export const DONATION_TOPIC = 'donations.donation.v1';

export const ZDonationKind = z.enum(['money', 'books', 'goods']);
export const ZDonorKind = z.enum(['organisation', 'individual']);
export const ZDonationStatus = z.enum(['received', 'partially_allocated', 'allocated', 'cancelled']);
export const ZRecipientKind = z.enum(['facility', 'school']);

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

export const ZDiscrepancyReason = z.enum(['missing', 'damaged', 'surplus', 'wrong_item', 'other']);
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
  DonationDispatched,
  DonationAcknowledged,
  DonationCancelled,
] as const;
