/**
 * Balances and totals of a donation, always computed from its lines, allocations, shipments and
 * acknowledgements — never stored and typed. Pure functions: the service checks the invariant with
 * them before each commit, the reports and events show what they compute.
 */
import type { DonationDoc, DonationStatus, LineDoc } from '../persistence/models.js';

export interface LineBalance {
  lineId: string;
  quantity: number;
  valueFen: number;
  allocated: number;
  allocatedValueFen: number;
  dispatched: number;
  acknowledged: number;
  /** quantity − allocated: what can still be allocated. */
  remaining: number;
}

export interface AllocationBalance {
  allocationId: string;
  /** Quantity (in-kind) or fen (money). */
  allocated: number;
  dispatched: number;
  /** Received as acknowledged by the recipient. */
  acknowledged: number;
  /** allocated − dispatched: what can still be dispatched. */
  undispatched: number;
}

/** What balances are computed from. */
export type Ledger = Pick<
  DonationDoc,
  'kind' | 'status' | 'amountFen' | 'lines' | 'allocations' | 'shipments' | 'acknowledgements'
>;

const sum = (values: Iterable<number>) => {
  let total = 0;
  for (const v of values) total += v;
  if (!Number.isSafeInteger(total)) throw new RangeError('total exceeds the safe integer range');
  return total;
};

export function lineBalances(doc: Ledger): LineBalance[] {
  return doc.lines.map((line) => {
    const allocations = doc.allocations.filter((a) => a.lineId === line.lineId);
    return {
      lineId: line.lineId,
      quantity: line.quantity,
      valueFen: line.valueFen,
      allocated: sum(allocations.map((a) => a.quantity ?? 0)),
      allocatedValueFen: sum(allocations.map((a) => a.valueFen)),
      dispatched: sum(
        doc.shipments.flatMap((s) => s.lines.filter((l) => l.lineId === line.lineId).map((l) => l.quantity)),
      ),
      acknowledged: sum(
        doc.acknowledgements.flatMap((a) =>
          a.lines.filter((l) => l.lineId === line.lineId).map((l) => l.quantityReceived),
        ),
      ),
      remaining: line.quantity - sum(allocations.map((a) => a.quantity ?? 0)),
    };
  });
}

export function moneyBalance(doc: Ledger) {
  const amountFen = doc.amountFen ?? 0;
  const allocated = sum(doc.allocations.map((a) => a.amountFen ?? 0));
  return {
    amountFen,
    allocated,
    dispatched: sum(doc.shipments.map((s) => s.amountFen ?? 0)),
    acknowledged: sum(doc.acknowledgements.map((a) => a.amountFen ?? 0)),
    remaining: amountFen - allocated,
  };
}

export function allocationBalance(doc: Ledger, allocationId: string): AllocationBalance | undefined {
  const allocation = doc.allocations.find((a) => a.allocationId === allocationId);
  if (!allocation) return undefined;
  const shipments = doc.shipments.filter((s) => s.allocationId === allocationId);
  const acks = doc.acknowledgements.filter((a) => a.allocationId === allocationId);
  const money = allocation.amountFen !== undefined;
  const allocated = money ? allocation.amountFen! : (allocation.quantity ?? 0);
  const dispatched = money
    ? sum(shipments.map((s) => s.amountFen ?? 0))
    : sum(shipments.flatMap((s) => s.lines.map((l) => l.quantity)));
  const acknowledged = money
    ? sum(acks.map((a) => a.amountFen ?? 0))
    : sum(acks.flatMap((a) => a.lines.map((l) => l.quantityReceived)));
  return { allocationId, allocated, dispatched, acknowledged, undispatched: allocated - dispatched };
}

/**
 * The value of `quantity` units allocated from `line` after `allocatedBefore` units: the difference of
 * the cumulative shares floor(value × n / quantity), so the allocations of a fully allocated line add
 * up to its value to the fen — also for batch lines, which have no unit value.
 */
export function allocationValueFen(line: LineDoc, allocatedBefore: number, quantity: number): number {
  if (line.unitValueFen !== undefined) return line.unitValueFen * quantity;
  const share = (n: number) => (BigInt(line.valueFen) * BigInt(n)) / BigInt(line.quantity);
  return Number(share(allocatedBefore + quantity) - share(allocatedBefore));
}

export function totals(doc: Ledger) {
  const money = doc.kind === 'money';
  const lines = lineBalances(doc);
  return {
    receivedValueFen: money ? (doc.amountFen ?? 0) : sum(doc.lines.map((l) => l.valueFen)),
    receivedQuantity: money ? 0 : sum(doc.lines.map((l) => l.quantity)),
    allocatedValueFen: sum(doc.allocations.map((a) => a.valueFen)),
    allocatedQuantity: sum(lines.map((l) => l.allocated)),
    dispatchedQuantity: sum(lines.map((l) => l.dispatched)),
    acknowledgedQuantity: sum(lines.map((l) => l.acknowledged)),
    acknowledgedValueFen: moneyBalance(doc).acknowledged,
  };
}

/** cancelled and pledged are kept; otherwise the allocations decide. */
export function deriveStatus(doc: Ledger): DonationStatus {
  if (doc.status === 'cancelled' || doc.status === 'pledged') return doc.status;
  if (doc.allocations.length === 0) return 'received';
  const complete =
    doc.kind === 'money' ? moneyBalance(doc).remaining === 0 : lineBalances(doc).every((l) => l.remaining === 0);
  return complete ? 'allocated' : 'partially_allocated';
}
