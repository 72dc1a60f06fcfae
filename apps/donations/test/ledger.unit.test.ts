/** The pure parts: batch-line value shares, status derivation, receipt rendering and formats. */
import { describe, expect, it } from 'vitest';

import { allocationValueFen, deriveStatus, totals } from '../src/domain/ledger.js';
import type { LineDoc } from '../src/persistence/models.js';
import { checkReceiptFormat, renderReceipt } from '../src/service/receipts.js';

const batch: LineDoc = { lineId: 'line-1', type: 'book_batch', title: '一批', quantity: 3, valueFen: 100 };

describe('ledger', () => {
  it('splits a batch line’s value so the shares of the whole line add up to its value', () => {
    const shares = [allocationValueFen(batch, 0, 1), allocationValueFen(batch, 1, 1), allocationValueFen(batch, 2, 1)];
    expect(shares).toEqual([33, 33, 34]);
    expect(allocationValueFen({ ...batch, unitValueFen: 2500, valueFen: 7500 }, 1, 2)).toBe(5000);
  });

  it('derives the status from the allocations; pledged and cancelled stay', () => {
    const base = {
      kind: 'books' as const,
      status: 'received' as const,
      lines: [batch],
      allocations: [],
      shipments: [],
      acknowledgements: [],
    };
    expect(deriveStatus(base)).toBe('received');
    const one = {
      recipientKind: 'school' as const,
      recipientId: 's',
      recipientName: 's',
      recipientRegionCode: '430681101201',
      allocatedAt: new Date(),
      allocatedBy: 'x',
    };
    expect(
      deriveStatus({
        ...base,
        allocations: [{ ...one, allocationId: 'a', lineId: 'line-1', quantity: 1, valueFen: 33 }],
      }),
    ).toBe('partially_allocated');
    expect(
      deriveStatus({
        ...base,
        allocations: [{ ...one, allocationId: 'a', lineId: 'line-1', quantity: 3, valueFen: 100 }],
      }),
    ).toBe('allocated');
    expect(deriveStatus({ ...base, status: 'cancelled' })).toBe('cancelled');
    expect(totals({ ...base, kind: 'money', amountFen: 450_000_000, lines: [] })).toMatchObject({
      receivedValueFen: 450_000_000,
      receivedQuantity: 0,
    });
  });

  it('renders receipt numbers in the configured format, with the year in Beijing time', () => {
    expect(renderReceipt('TX-{YYYY}-{seq:6}', new Date('2026-12-31T17:00:00Z'), 42)).toBe('TX-2027-000042');
    expect(renderReceipt('YY/{seq}', new Date('2026-06-01T00:00:00Z'), 7)).toBe('YY/7');
    expect(checkReceiptFormat('TX-{YYYY}')).toMatch(/seq/);
    expect(checkReceiptFormat('TX-{seq}-{seq}')).toMatch(/one/);
    expect(checkReceiptFormat('TX-{YYYY}-{seq:6}')).toBeUndefined();
  });
});
