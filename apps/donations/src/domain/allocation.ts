/**
 * Deciding one allocation request on a donation as it stands: the allocations it makes, or the
 * problem refusing it. Pure — the clock and the id source are passed in — so the service can decide
 * a whole batch in order on a running copy of the document, and the rules can be tested alone.
 */
import { formatYuan } from '@tongxin/contracts/values';

import type { AllocationDoc, RecipientKind } from '../persistence/models.js';
import { allocationValueFen, type Ledger, lineBalances, moneyBalance } from './ledger.js';
import { DomainProblem } from '@tongxin/contracts/problems';

/** What is asked: an amount for money, line quantities for goods and books. */
export interface AllocationAsk {
  amountFen?: number;
  lines?: { lineId: string; quantity: number }[];
}

/** Who receives, as the registers know them. */
export interface AllocationRecipient {
  kind: RecipientKind;
  id: string;
  name: string;
  regionCode: string;
}

/** Who allocates, when, and where new allocation ids come from. */
export interface AllocationStamp {
  at: Date;
  by: string;
  newId: () => string;
}

export function decideAllocation(
  doc: Ledger,
  ask: AllocationAsk,
  recipient: AllocationRecipient,
  stamp: AllocationStamp,
): AllocationDoc[] {
  const base = {
    recipientKind: recipient.kind,
    recipientId: recipient.id,
    recipientName: recipient.name,
    recipientRegionCode: recipient.regionCode,
    allocatedAt: stamp.at,
    allocatedBy: stamp.by,
  };
  if (doc.kind === 'money') {
    if (ask.amountFen === undefined || ask.lines) {
      throw new DomainProblem(
        'amount_required',
        'a money donation is allocated by amount',
        '资金捐赠应按金额分配',
        400,
      );
    }
    const { remaining } = moneyBalance(doc);
    if (ask.amountFen > remaining) {
      throw new DomainProblem(
        'over_allocation',
        `only ${formatYuan(remaining)} yuan remain to be allocated`,
        `可分配余额仅剩${formatYuan(remaining)}元`,
        409,
        { remaining, remainingYuan: formatYuan(remaining), requested: ask.amountFen },
      );
    }
    return [{ allocationId: stamp.newId(), ...base, amountFen: ask.amountFen, valueFen: ask.amountFen }];
  }
  if (!ask.lines || ask.amountFen !== undefined) {
    throw new DomainProblem(
      'lines_required',
      'an in-kind donation is allocated by line quantities',
      '实物捐赠应按明细数量分配',
      400,
    );
  }
  // Several entries for one line add up.
  const wanted = new Map<string, number>();
  for (const l of ask.lines) wanted.set(l.lineId, (wanted.get(l.lineId) ?? 0) + l.quantity);
  const balances = lineBalances(doc);
  for (const [lineId, quantity] of wanted) {
    const balance = balances.find((b) => b.lineId === lineId);
    if (!balance) {
      throw new DomainProblem('line_unknown', `the donation has no line ${lineId}`, `该捐赠没有明细 ${lineId}`, 422, {
        lineId,
      });
    }
    if (quantity > balance.remaining) {
      throw new DomainProblem(
        'over_allocation',
        `line ${lineId}: ${quantity} requested, only ${balance.remaining} remain to be allocated`,
        `明细 ${lineId}：申请分配${quantity}，可分配余量仅剩${balance.remaining}`,
        409,
        {
          lineId,
          requested: quantity,
          remaining: balance.remaining,
          remainingByLine: balances.map((b) => ({ lineId: b.lineId, remaining: b.remaining })),
        },
      );
    }
  }
  return [...wanted].map(([lineId, quantity]) => {
    const line = doc.lines.find((l) => l.lineId === lineId)!;
    const before = balances.find((b) => b.lineId === lineId)!.allocated;
    return {
      allocationId: stamp.newId(),
      ...base,
      lineId,
      quantity,
      valueFen: allocationValueFen(line, before, quantity),
    };
  });
}
