/** The allocation rules alone: what one request makes on a donation as it stands, or why it is refused. */
import { describe, expect, it } from 'vitest';

import { decideAllocation } from '../src/domain/allocation.js';
import { DomainProblem } from '@tongxin/contracts/problems';
import type { AllocationDoc, LineDoc } from '../src/persistence/models.js';

const home = { kind: 'facility' as const, id: 'home-1', name: '塘冲村留守儿童之家', regionCode: '430621101201' };
const at = new Date('2026-07-01T02:00:00Z');
const stamp = () => {
  let n = 0;
  return { at, by: 'city-admin', newId: () => `alloc-${++n}` };
};
const empty = { status: 'received' as const, allocations: [] as AllocationDoc[], shipments: [], acknowledgements: [] };
const fund = { ...empty, kind: 'money' as const, amountFen: 300_000, lines: [] };
const books: LineDoc[] = [
  { lineId: 'line-1', type: 'book_batch', title: '绘本一批', quantity: 3, valueFen: 100 },
  { lineId: 'line-2', type: 'goods', title: '书包', unit: '个', quantity: 5, unitValueFen: 3000, valueFen: 15_000 },
];
const bookDonation = { ...empty, kind: 'books' as const, lines: books };

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainProblem);
    return error as DomainProblem;
  }
  throw new Error('expected a refusal');
};

describe('decideAllocation', () => {
  it('allocates money up to what remains, stamped with who, when and a new id', () => {
    const made = decideAllocation(fund, { amountFen: 100_000 }, home, stamp());
    expect(made).toEqual([
      {
        allocationId: 'alloc-1',
        recipientKind: 'facility',
        recipientId: 'home-1',
        recipientName: '塘冲村留守儿童之家',
        recipientRegionCode: '430621101201',
        allocatedAt: at,
        allocatedBy: 'city-admin',
        amountFen: 100_000,
        valueFen: 100_000,
      },
    ]);
    const after = { ...fund, allocations: made };
    expect(decideAllocation(after, { amountFen: 200_000 }, home, stamp())).toHaveLength(1);
    const over = refusal(() => decideAllocation(after, { amountFen: 200_001 }, home, stamp()));
    expect(over).toMatchObject({
      code: 'over_allocation',
      status: 409,
      extra: { remaining: 200_000, requested: 200_001 },
    });
    expect(over.zh).toBe('可分配余额仅剩2,000.00元');
  });

  it('refuses the wrong shape of request for the kind of donation', () => {
    expect(
      refusal(() => decideAllocation(fund, { lines: [{ lineId: 'line-1', quantity: 1 }] }, home, stamp())).code,
    ).toBe('amount_required');
    expect(refusal(() => decideAllocation(fund, {}, home, stamp())).code).toBe('amount_required');
    expect(refusal(() => decideAllocation(bookDonation, { amountFen: 1 }, home, stamp())).code).toBe('lines_required');
  });

  it('adds up several entries for one line, values each line, and refuses an unknown line or too many', () => {
    const made = decideAllocation(
      bookDonation,
      {
        lines: [
          { lineId: 'line-1', quantity: 1 },
          { lineId: 'line-2', quantity: 2 },
          { lineId: 'line-1', quantity: 1 },
        ],
      },
      home,
      stamp(),
    );
    expect(
      made.map(({ allocationId, lineId, quantity, valueFen }) => ({ allocationId, lineId, quantity, valueFen })),
    ).toEqual([
      { allocationId: 'alloc-1', lineId: 'line-1', quantity: 2, valueFen: 66 },
      { allocationId: 'alloc-2', lineId: 'line-2', quantity: 2, valueFen: 6000 },
    ]);
    // The last book of the batch takes the rest of its value.
    const after = { ...bookDonation, allocations: made };
    expect(decideAllocation(after, { lines: [{ lineId: 'line-1', quantity: 1 }] }, home, stamp())[0]!.valueFen).toBe(
      34,
    );

    expect(
      refusal(() => decideAllocation(after, { lines: [{ lineId: 'line-9', quantity: 1 }] }, home, stamp())),
    ).toMatchObject({
      code: 'line_unknown',
      status: 422,
      extra: { lineId: 'line-9' },
    });
    const tooMany = refusal(() =>
      decideAllocation(after, { lines: [{ lineId: 'line-2', quantity: 4 }] }, home, stamp()),
    );
    expect(tooMany).toMatchObject({
      code: 'over_allocation',
      extra: {
        lineId: 'line-2',
        requested: 4,
        remaining: 3,
        remainingByLine: [
          { lineId: 'line-1', remaining: 1 },
          { lineId: 'line-2', remaining: 3 },
        ],
      },
    });
  });
});
