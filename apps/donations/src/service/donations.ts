/**
 * Donations: received (or pledged), allocated to homes, schools or one child (a bursary 助学金 or
 * small wish 微心愿), dispatched, acknowledged, cancelled. Everything about one donation — its lines, allocations, shipments and
 * acknowledgements — is one document, changed by single-document commits that carry the events.
 *
 * The invariant (never more allocated per line, or in money, than was received; never more
 * dispatched than allocated) is checked on the document as read, and written with
 * `commit(…, expectedSequence)`: if anyone changed the donation in between, the commit is a
 * ConcurrencyError and the command re-reads and re-checks, so a concurrent allocation sees the other
 * one's effect and is refused if the balance no longer suffices.
 */
import { commit, commitNew, retryOnConflict, type CommitContext } from '@tongxin/bus';
import { draft, newEventId, type DraftEvent, type EventDefinition } from '@tongxin/contracts';
import {
  DonationAcknowledged,
  DonationAcknowledgedV2,
  DonationAllocated,
  DonationAllocatedV2,
  DonationCancelled,
  DonationDispatched,
  DonationDispatchedV2,
  DonationReceived,
  type DonationHeader,
} from '@tongxin/contracts/donations';
import type { z } from 'zod';

import { decideAllocation } from '../domain/allocation.js';
import { allocationBalance, deriveStatus, totals } from '../domain/ledger.js';
import { DomainProblem, notFound } from '@tongxin/contracts/problems';
import type {
  AcknowledgementDoc,
  AllocationDoc,
  DiscrepancyReason,
  DonationDoc,
  DonationModels,
  LineDoc,
  RecipientKind,
  ShipmentDoc,
} from '../persistence/models.js';
import type { Receipts } from './receipts.js';
import type { Recipient, Registers } from './registers.js';

export interface DonationInput {
  donorId: string;
  kind: DonationDoc['kind'];
  purpose: DonationDoc['purpose'];
  restrictedTo?: string;
  /** Absent for a pledge. */
  receivedOn?: string;
  pledged: boolean;
  amountFen?: number;
  lines: Omit<LineDoc, 'lineId'>[];
  note?: string;
}

export interface AllocationRequest {
  recipientKind: RecipientKind;
  recipientId: string;
  /** The caller's region scope: a child outside it is refused as unknown. */
  inScope?: (regionCode: string) => boolean;
  lines?: { lineId: string; quantity: number }[];
  amountFen?: number;
}

export interface DispatchRequest {
  dispatchedOn: string;
  carrier?: string;
  trackingNumber?: string;
  items: { allocationId: string; quantity?: number; amountFen?: number }[];
}

export interface AcknowledgementRequest {
  acknowledgedOn: string;
  note?: string;
  photoRefs: string[];
  items: { shipmentId: string; quantityReceived?: number; amountFen?: number; discrepancyReason?: DiscrepancyReason }[];
}

type State = Omit<DonationDoc, 'outbox' | 'outboxPending'>;

/** The header every event carries: who, what, status and the totals as they are after the change. */
export function donationHeader(doc: State): DonationHeader {
  return {
    donationId: doc._id,
    donorId: doc.donorId,
    donorKind: doc.donorKind,
    donorDisplayName: doc.donorDisplayName,
    kind: doc.kind,
    status: doc.status as DonationHeader['status'],
    receivedOn: doc.receivedOn!,
    totals: totals(doc),
  };
}

/**
 * Allocated, dispatched and acknowledged: version 2 only when the recipient is a child (version 1
 * cannot say so), version 1 for homes and schools — what a consumer still on version 1 reads.
 */
function forRecipient<D1 extends EventDefinition, D2 extends EventDefinition>(
  v1: D1,
  v2: D2,
  kind: RecipientKind,
  data: z.input<D2['data']>,
): DraftEvent {
  // A home's or a school's data fits version 1 exactly: the recipient kinds are the only difference.
  return kind === 'child' ? draft(v2, data) : draft(v1, data as z.input<D1['data']>);
}

const MAX_ATTEMPTS = 50;

export function createDonations(deps: {
  models: DonationModels;
  registers: Registers;
  receipts: Receipts;
  now: () => Date;
}) {
  const { models, registers, receipts, now } = deps;
  const { Donations } = models;
  const context = (correlationId?: string): CommitContext => ({
    source: 'donations',
    now,
    ...(correlationId ? { correlationId } : {}),
  });

  async function load(donationId: string): Promise<DonationDoc> {
    const doc = await Donations.findById(donationId, { outbox: 0 }).lean<DonationDoc>();
    if (!doc) throw notFound('donation', '捐赠');
    return doc;
  }

  /**
   * Read, decide, commit at the sequence read; a lost race re-reads and decides again (the decision
   * may now be a refusal). `decide` returns the new entries and the events built from the next state.
   * This process's commands on one donation queue (`retryOnConflict`): a fund shared among 212 homes
   * has many in flight at once.
   */
  async function change(
    donationId: string,
    correlationId: string | undefined,
    decide: (doc: DonationDoc) => { update: Record<string, unknown>; events: DraftEvent[] },
  ): Promise<DonationDoc> {
    return retryOnConflict(
      Donations.collection.collectionName,
      donationId,
      async () => {
        const doc = await load(donationId);
        const { update, events } = decide(doc);
        return commit(Donations, {
          id: donationId,
          expectedSequence: doc.sequence,
          update,
          events,
          context: context(correlationId),
        });
      },
      { attempts: MAX_ATTEMPTS },
    );
  }

  function assertOpen(doc: DonationDoc) {
    if (doc.status === 'cancelled') {
      throw new DomainProblem('donation_cancelled', 'the donation was cancelled', '该捐赠已取消', 409, {
        reason: doc.cancellation?.reason,
      });
    }
    if (doc.status === 'pledged') {
      throw new DomainProblem(
        'donation_not_received',
        'the donation is only pledged; record its receipt first',
        '该捐赠尚为认捐，请先登记到账/到货',
      );
    }
  }

  async function create(input: DonationInput, actor: string, correlationId?: string): Promise<DonationDoc> {
    const donor = await registers.donor(input.donorId);
    const id = newEventId();
    const lines: LineDoc[] = input.lines.map((line, index) => ({ lineId: `line-${index + 1}`, ...line }));
    const state: State = {
      _id: id,
      sequence: 0,
      donorId: donor._id,
      donorKind: donor.kind,
      donorDisplayName: donor.displayName,
      kind: input.kind,
      purpose: input.purpose,
      ...(input.restrictedTo ? { restrictedTo: input.restrictedTo } : {}),
      status: input.pledged ? 'pledged' : 'received',
      ...(input.receivedOn && !input.pledged ? { receivedOn: input.receivedOn } : {}),
      ...(input.amountFen !== undefined ? { amountFen: input.amountFen } : {}),
      lines,
      allocations: [],
      shipments: [],
      acknowledgements: [],
      ...(input.note ? { note: input.note } : {}),
      createdAt: now(),
      createdBy: actor,
    };
    totals(state); // refuses totals beyond the safe integer range before anything is written
    const events: DraftEvent[] = [];
    if (!input.pledged) {
      state.receiptNumber = await receipts.issue(id);
      events.push(receivedEvent(state));
    }
    const { _id, sequence, ...fields } = state;
    void _id;
    void sequence;
    return commitNew(Donations, { id, state: fields as never, events, context: context(correlationId) });
  }

  function receivedEvent(doc: State): DraftEvent {
    return draft(DonationReceived, {
      ...donationHeader(doc),
      ...(doc.kind === 'money' ? { amountFen: doc.amountFen } : {}),
      purpose: doc.purpose,
      lines: doc.lines.map((l) => ({
        lineId: l.lineId,
        ...(l.isbn ? { isbn: l.isbn } : {}),
        title: l.title,
        quantity: l.quantity,
        ...(l.unitValueFen !== undefined ? { unitValueFen: l.unitValueFen } : {}),
        valueFen: l.valueFen,
      })),
    });
  }

  /** A pledge arrives: the receipt is issued and the donation announced. */
  async function receive(donationId: string, receivedOn: string, correlationId?: string): Promise<DonationDoc> {
    const current = await load(donationId);
    if (current.status !== 'pledged') {
      throw new DomainProblem('not_pledged', 'the donation was already received', '该捐赠已登记到账/到货');
    }
    // Claimed once, outside the retry loop: a retry must not burn a second number.
    const receiptNumber = await receipts.issue(donationId);
    return change(donationId, correlationId, (doc) => {
      if (doc.status !== 'pledged') {
        throw new DomainProblem('not_pledged', 'the donation was already received', '该捐赠已登记到账/到货');
      }
      const next = { ...doc, status: 'received' as const, receivedOn, receiptNumber };
      return { update: { $set: { status: 'received', receivedOn, receiptNumber } }, events: [receivedEvent(next)] };
    });
  }

  /** One recipient: a batch of one. */
  async function allocate(
    donationId: string,
    request: AllocationRequest,
    actor: string,
    correlationId?: string,
  ): Promise<{ donation: DonationDoc; allocations: AllocationDoc[] }> {
    return allocateMany(donationId, [request], actor, correlationId);
  }

  /**
   * Several recipients in one commit (the city sharing a fund among its homes, a county officer
   * paying its children's bursaries): each is checked against the balance the ones before it
   * left, and one refusal refuses them all — the problem names the request by `index`.
   */
  async function allocateMany(
    donationId: string,
    requests: AllocationRequest[],
    actor: string,
    correlationId?: string,
  ): Promise<{ donation: DonationDoc; allocations: AllocationDoc[] }> {
    // In a batch, a refusal says which request it refuses.
    const numbered = (index: number, error: unknown): unknown =>
      requests.length > 1 && error instanceof DomainProblem
        ? new DomainProblem(
            error.code,
            `allocation ${index + 1}: ${error.en}`,
            `第${index + 1}项：${error.zh}`,
            error.status,
            { ...error.extra, index },
          )
        : error;
    const recipients: Recipient[] = [];
    for (const [index, request] of requests.entries()) {
      try {
        recipients.push(await registers.recipient(request.recipientKind, request.recipientId, request.inScope));
      } catch (error) {
        throw numbered(index, error);
      }
    }
    let created: AllocationDoc[] = [];
    const donation = await change(donationId, correlationId, (doc) => {
      assertOpen(doc);
      created = [];
      // Each request is decided against the document as the ones before it left it.
      let running: DonationDoc = doc;
      const events: DraftEvent[] = [];
      for (const [index, request] of requests.entries()) {
        let made: AllocationDoc[];
        try {
          made = decideAllocation(running, request, recipients[index]!, {
            at: now(),
            by: actor,
            newId: newEventId,
          });
        } catch (error) {
          throw numbered(index, error);
        }
        for (const allocation of made) {
          running = { ...running, allocations: [...running.allocations, allocation] };
          running = { ...running, status: deriveStatus(running) };
          events.push(allocatedEvent(running, allocation));
        }
        created.push(...made);
      }
      return {
        update: { $push: { allocations: { $each: created } }, $set: { status: running.status } },
        events,
      };
    });
    return { donation, allocations: created };
  }

  /** One event per allocation, with the totals as they stand after it. */
  function allocatedEvent(running: DonationDoc, allocation: AllocationDoc): DraftEvent {
    return forRecipient(DonationAllocated, DonationAllocatedV2, allocation.recipientKind, {
      ...donationHeader(running),
      allocation: {
        allocationId: allocation.allocationId,
        recipientKind: allocation.recipientKind,
        recipientId: allocation.recipientId,
        recipientName: allocation.recipientName,
        recipientRegionCode: allocation.recipientRegionCode,
        ...(allocation.lineId ? { lineId: allocation.lineId, quantity: allocation.quantity } : {}),
        ...(allocation.amountFen !== undefined ? { amountFen: allocation.amountFen } : {}),
        valueFen: allocation.valueFen,
      },
    });
  }

  async function dispatch(
    donationId: string,
    request: DispatchRequest,
    actor: string,
    correlationId?: string,
  ): Promise<{ donation: DonationDoc; shipments: ShipmentDoc[] }> {
    let created: ShipmentDoc[] = [];
    const donation = await change(donationId, correlationId, (doc) => {
      assertOpen(doc);
      created = [];
      const events: DraftEvent[] = [];
      let running: DonationDoc = doc;
      for (const item of request.items) {
        const allocation = running.allocations.find((a) => a.allocationId === item.allocationId);
        const balance = allocationBalance(running, item.allocationId);
        if (!allocation || !balance) {
          throw new DomainProblem(
            'allocation_unknown',
            `no allocation ${item.allocationId} in this donation`,
            '该捐赠没有此分配记录',
            422,
            {
              allocationId: item.allocationId,
            },
          );
        }
        const money = allocation.amountFen !== undefined;
        if (money ? item.quantity !== undefined : item.amountFen !== undefined) {
          throw new DomainProblem(
            'wrong_measure',
            money ? 'a money allocation is dispatched by amount' : 'an in-kind allocation is dispatched by quantity',
            money ? '资金分配应按金额拨付' : '实物分配应按数量发运',
            400,
            { allocationId: item.allocationId },
          );
        }
        const requested = (money ? item.amountFen : item.quantity) ?? balance.undispatched;
        if (requested <= 0 || requested > balance.undispatched) {
          throw new DomainProblem(
            balance.undispatched === 0 ? 'nothing_to_dispatch' : 'over_dispatch',
            `allocation ${item.allocationId}: ${balance.undispatched} allocated and not yet dispatched`,
            `分配 ${item.allocationId}：已分配未发运的数量为${balance.undispatched}`,
            409,
            { allocationId: item.allocationId, requested, remaining: balance.undispatched },
          );
        }
        const shipment: ShipmentDoc = {
          shipmentId: newEventId(),
          allocationId: allocation.allocationId,
          dispatchedOn: request.dispatchedOn,
          ...(request.carrier ? { carrier: request.carrier } : {}),
          ...(request.trackingNumber ? { trackingNumber: request.trackingNumber } : {}),
          lines: money ? [] : [{ lineId: allocation.lineId!, quantity: requested }],
          ...(money ? { amountFen: requested } : {}),
          recordedAt: now(),
          recordedBy: actor,
        };
        created.push(shipment);
        running = { ...running, shipments: [...running.shipments, shipment] };
        events.push(
          forRecipient(DonationDispatched, DonationDispatchedV2, allocation.recipientKind, {
            ...donationHeader(running),
            shipment: {
              shipmentId: shipment.shipmentId,
              allocationId: shipment.allocationId,
              recipientKind: allocation.recipientKind,
              recipientId: allocation.recipientId,
              dispatchedOn: shipment.dispatchedOn,
              ...(shipment.carrier ? { carrier: shipment.carrier } : {}),
              lines: shipment.lines,
              ...(money ? { amountFen: requested } : {}),
            },
          }),
        );
      }
      return { update: { $push: { shipments: { $each: created } } }, events };
    });
    return { donation, shipments: created };
  }

  async function acknowledge(
    donationId: string,
    request: AcknowledgementRequest,
    actor: string,
    correlationId?: string,
  ): Promise<{ donation: DonationDoc; acknowledgements: AcknowledgementDoc[] }> {
    let created: AcknowledgementDoc[] = [];
    const donation = await change(donationId, correlationId, (doc) => {
      created = [];
      const events: DraftEvent[] = [];
      let running: DonationDoc = doc;
      for (const item of request.items) {
        const shipment = running.shipments.find((s) => s.shipmentId === item.shipmentId);
        if (!shipment) {
          throw new DomainProblem(
            'shipment_unknown',
            `no shipment ${item.shipmentId} in this donation`,
            '该捐赠没有此发运记录',
            422,
            {
              shipmentId: item.shipmentId,
            },
          );
        }
        if (running.acknowledgements.some((a) => a.shipmentId === item.shipmentId)) {
          throw new DomainProblem(
            'already_acknowledged',
            'this shipment was already acknowledged',
            '该批次已签收',
            409,
            {
              shipmentId: item.shipmentId,
            },
          );
        }
        const allocation = running.allocations.find((a) => a.allocationId === shipment.allocationId)!;
        const money = shipment.amountFen !== undefined;
        const dispatched = money ? shipment.amountFen! : shipment.lines.reduce((n, l) => n + l.quantity, 0);
        const received = (money ? item.amountFen : item.quantityReceived) ?? dispatched;
        if (money ? item.quantityReceived !== undefined : item.amountFen !== undefined) {
          throw new DomainProblem(
            'wrong_measure',
            'acknowledge money by amount, goods by quantity',
            '资金按金额签收，实物按数量签收',
            400,
          );
        }
        const discrepancy = received - dispatched;
        if (discrepancy !== 0 && !item.discrepancyReason) {
          throw new DomainProblem(
            'discrepancy_reason_required',
            `received ${received}, dispatched ${dispatched}: give the reason of the difference`,
            `实收${received}，发运${dispatched}：请说明差异原因`,
            422,
            { shipmentId: item.shipmentId, discrepancy },
          );
        }
        const reason = discrepancy !== 0 ? item.discrepancyReason : undefined;
        const ack: AcknowledgementDoc = {
          acknowledgementId: newEventId(),
          allocationId: shipment.allocationId,
          shipmentId: shipment.shipmentId,
          acknowledgedOn: request.acknowledgedOn,
          lines: money
            ? []
            : shipment.lines.map((l) => ({
                lineId: l.lineId,
                quantityDispatched: l.quantity,
                quantityReceived: received,
                discrepancy,
                ...(reason ? { discrepancyReason: reason } : {}),
              })),
          ...(money ? { amountFen: received, amountDiscrepancyFen: discrepancy } : {}),
          ...(reason ? { discrepancyReason: reason } : {}),
          ...(request.note ? { note: request.note } : {}),
          photoRefs: request.photoRefs,
          recordedAt: now(),
          recordedBy: actor,
        };
        created.push(ack);
        running = { ...running, acknowledgements: [...running.acknowledgements, ack] };
        events.push(
          forRecipient(DonationAcknowledged, DonationAcknowledgedV2, allocation.recipientKind, {
            ...donationHeader(running),
            acknowledgement: {
              acknowledgementId: ack.acknowledgementId,
              allocationId: ack.allocationId,
              shipmentId: ack.shipmentId,
              recipientKind: allocation.recipientKind,
              recipientId: allocation.recipientId,
              acknowledgedOn: ack.acknowledgedOn,
              lines: ack.lines,
              ...(money ? { amountFen: received } : {}),
            },
          }),
        );
      }
      return { update: { $push: { acknowledgements: { $each: created } } }, events };
    });
    return { donation, acknowledgements: created };
  }

  async function cancel(
    donationId: string,
    input: { reason: string; cancelledOn: string; note?: string },
    actor: string,
    correlationId?: string,
  ): Promise<DonationDoc> {
    return change(donationId, correlationId, (doc) => {
      if (doc.status === 'cancelled') {
        throw new DomainProblem('already_cancelled', 'the donation is already cancelled', '该捐赠已取消');
      }
      if (doc.shipments.length > 0) {
        throw new DomainProblem(
          'already_dispatched',
          'part of the donation was dispatched; it can no longer be cancelled',
          '该捐赠已有发运，不能取消',
        );
      }
      const cancellation = { ...input, by: actor };
      const next = { ...doc, status: 'cancelled' as const, cancellation };
      // A pledge was never announced: its cancellation is not either.
      const events =
        doc.status === 'pledged'
          ? []
          : [
              draft(DonationCancelled, {
                ...donationHeader(next),
                reason: input.reason as never,
                cancelledOn: input.cancelledOn,
              }),
            ];
      return { update: { $set: { status: 'cancelled', cancellation } }, events };
    });
  }

  return { load, create, receive, allocate, allocateMany, dispatch, acknowledge, cancel };
}
export type Donations = ReturnType<typeof createDonations>;
