/**
 * What each home received from donations, from `donations.donation.v1`: the donation's lines (titles)
 * when it is received, each allocation to a home, and the home's acknowledgement of what arrived.
 * Writes are keyed by donation and allocation id and set values (never increment), so redelivery
 * and replays change nothing; one donation's events arrive in order (one partition per donation).
 */
import type { EventEnvelope } from '@tongxin/contracts';
import type { z } from 'zod';
import type {
  ZDonationAcknowledgedData,
  ZDonationAllocatedData,
  ZDonationReceivedData,
} from '@tongxin/contracts/donations';

import type { FacilityModels } from '../persistence/models.js';

export interface DonationViewDoc {
  _id: string;
  donorDisplayName: string;
  kind: string;
  lines: { lineId: string; title: string; isbn?: string }[];
}

export interface ReceivedAllocationDoc {
  /** The allocation id. */
  _id: string;
  facilityId: string;
  donationId: string;
  donorDisplayName: string;
  kind: string;
  lineId?: string;
  title?: string;
  quantity?: number;
  amountFen?: number;
  valueFen: number;
  acknowledged: boolean;
  quantityReceived?: number;
  amountReceivedFen?: number;
  acknowledgedOn?: string;
}

export function donationHandlers(models: FacilityModels) {
  const Donations = models.DonationsView;
  const Received = models.ReceivedAllocations;

  const received = async (event: EventEnvelope) => {
    const data = event.data as z.infer<typeof ZDonationReceivedData>;
    await Donations.collection.updateOne(
      { _id: data.donationId as never },
      {
        $set: {
          donorDisplayName: data.donorDisplayName,
          kind: data.kind,
          lines: data.lines.map((l) => ({ lineId: l.lineId, title: l.title, ...(l.isbn ? { isbn: l.isbn } : {}) })),
        },
      },
      { upsert: true },
    );
  };

  const allocated = async (event: EventEnvelope) => {
    const data = event.data as z.infer<typeof ZDonationAllocatedData>;
    const a = data.allocation;
    if (a.recipientKind !== 'facility') return;
    const donation = await Donations.findById(data.donationId).lean<DonationViewDoc>();
    const title = donation?.lines.find((l) => l.lineId === a.lineId)?.title;
    await Received.collection.updateOne(
      { _id: a.allocationId as never },
      {
        $set: {
          facilityId: a.recipientId,
          donationId: data.donationId,
          donorDisplayName: data.donorDisplayName,
          kind: data.kind,
          ...(a.lineId ? { lineId: a.lineId } : {}),
          ...(title ? { title } : {}),
          ...(a.quantity !== undefined ? { quantity: a.quantity } : {}),
          ...(a.amountFen !== undefined ? { amountFen: a.amountFen } : {}),
          valueFen: a.valueFen,
        },
        $setOnInsert: { acknowledged: false },
      },
      { upsert: true },
    );
  };

  const acknowledged = async (event: EventEnvelope) => {
    const data = event.data as z.infer<typeof ZDonationAcknowledgedData>;
    const ack = data.acknowledgement;
    if (ack.recipientKind !== 'facility') return;
    await Received.collection.updateOne(
      { _id: ack.allocationId as never },
      {
        $set: {
          acknowledged: true,
          acknowledgedOn: ack.acknowledgedOn,
          quantityReceived: ack.lines.reduce((sum, l) => sum + l.quantityReceived, 0),
          ...(ack.amountFen !== undefined ? { amountReceivedFen: ack.amountFen } : {}),
        },
      },
      { upsert: true },
    );
  };

  return {
    'donations.donation.received': received,
    'donations.donation.allocated': allocated,
    'donations.donation.acknowledged': acknowledged,
  };
}
