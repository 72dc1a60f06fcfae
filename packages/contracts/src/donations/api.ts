/**
 * Request bodies of the donations API (`@tongxin/contracts/donations/api`): the service validates
 * with them at its edge and the console validates its forms with the same schemas before sending.
 * Deliberately light — field types, the money and ISBN value types and zod, never the event
 * definitions or the region tables — so the console's bundle does not pull those in. Money comes
 * in as yuan text (ZYuan).
 */
import { z } from 'zod';

import { ZIsbn13 } from '../values/isbn.js';
import { ZYuan } from '../values/money.js';

import { ZDiscrepancyReason } from './fields.js';

export const ZId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'an id: letters, digits, "-" or "_"');
export const ZQuantity = z
  .number()
  .int()
  .positive('a quantity is a whole number above 0 / 数量须为正整数')
  .max(10_000_000);

/** Who can receive an allocation: also one child (a bursary 助学金 or small wish 微心愿), by its childId. */
export const ZAllocationRecipientKind = z.enum(['facility', 'school', 'child']);
export const ZPhotoRef = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/, 'a photo reference: sha256:<64 hex digits> / 照片引用格式应为 sha256:64位十六进制');
const text = (max: number) => z.string().trim().min(1).max(max);

const ZBookLine = z.object({
  type: z.literal('book'),
  title: text(200),
  isbn: ZIsbn13.optional(),
  category: text(50).optional(),
  ageBand: text(20).optional(),
  quantity: ZQuantity,
  unitValueYuan: ZYuan,
});
const ZBookBatchLine = z.object({
  type: z.literal('book_batch'),
  title: text(200),
  category: text(50).optional(),
  ageBand: text(20).optional(),
  quantity: ZQuantity,
  valueYuan: ZYuan,
});
const ZGoodsLine = z.object({
  type: z.literal('goods'),
  title: text(200),
  unit: text(10),
  quantity: ZQuantity,
  unitValueYuan: ZYuan,
});
export const ZLineInput = z.discriminatedUnion('type', [ZBookLine, ZBookBatchLine, ZGoodsLine]);

export const ZDonationInput = z
  .object({
    donorId: ZId,
    kind: z.enum(['money', 'books', 'goods']),
    purpose: z.enum(['restricted', 'unrestricted']),
    restrictedTo: text(200).optional(),
    /** Absent only for a pledge. */
    receivedOn: z.iso.date().optional(),
    /** Promised, not yet received: no receipt, no event until `POST /donations/{id}/receive`. */
    pledged: z.boolean().default(false),
    /** Money: yuan as text, at most two decimals ("1,100,000.00"). */
    amountYuan: ZYuan.optional(),
    lines: z.array(ZLineInput).max(500).optional(),
    note: z.string().trim().max(500).optional(),
  })
  .superRefine((d, ctx) => {
    if (!d.pledged && !d.receivedOn)
      ctx.addIssue({ code: 'custom', path: ['receivedOn'], message: 'the date received / 请填写接收日期' });
    if (d.kind === 'money') {
      if (d.amountYuan === undefined || d.amountYuan <= 0)
        ctx.addIssue({
          code: 'custom',
          path: ['amountYuan'],
          message: 'a money donation needs its amount / 请填写捐赠金额',
        });
      if (d.lines?.length)
        ctx.addIssue({ code: 'custom', path: ['lines'], message: 'a money donation has no lines / 资金捐赠无明细' });
    } else {
      if (!d.lines?.length)
        ctx.addIssue({
          code: 'custom',
          path: ['lines'],
          message: 'an in-kind donation needs its lines / 请填写捐赠明细',
        });
      if (d.amountYuan !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['amountYuan'],
          message: 'in-kind value is given per line / 实物价值按明细填写',
        });
      d.lines?.forEach((line, i) => {
        const book = line.type === 'book' || line.type === 'book_batch';
        if (book !== (d.kind === 'books'))
          ctx.addIssue({
            code: 'custom',
            path: ['lines', i, 'type'],
            message: `not a line of a ${d.kind} donation / 明细类型与捐赠类型不符`,
          });
      });
    }
  });

export const ZAllocationInput = z.object({
  recipientKind: ZAllocationRecipientKind,
  recipientId: ZId,
  /** In-kind: quantities per line. */
  lines: z
    .array(z.object({ lineId: ZId, quantity: ZQuantity }))
    .min(1)
    .max(500)
    .optional(),
  /** Money: yuan as text. */
  amountYuan: ZYuan.optional(),
});

/** Several recipients in one go (the city sharing a fund among its homes): all or none. */
export const ZAllocationBatchInput = z.object({
  allocations: z.array(ZAllocationInput).min(1).max(500),
});

export const ZDispatchInput = z.object({
  dispatchedOn: z.iso.date(),
  carrier: text(100).optional(),
  trackingNumber: text(64).optional(),
  items: z
    .array(
      z.object({
        allocationId: ZId,
        /** Default: all that is allocated and not yet dispatched. */
        quantity: ZQuantity.optional(),
        amountYuan: ZYuan.optional(),
      }),
    )
    .min(1)
    .max(500),
});

export const ZAcknowledgementInput = z.object({
  acknowledgedOn: z.iso.date(),
  note: z.string().trim().max(1000).optional(),
  photoRefs: z.array(ZPhotoRef).max(30).default([]),
  items: z
    .array(
      z.object({
        shipmentId: ZId,
        /** Default: what was dispatched. */
        quantityReceived: z.number().int().min(0).max(10_000_000).optional(),
        amountYuan: ZYuan.optional(),
        discrepancyReason: ZDiscrepancyReason.optional(),
      }),
    )
    .min(1)
    .max(500),
});

export type DonationInput = z.input<typeof ZDonationInput>;
export type AllocationInput = z.input<typeof ZAllocationInput>;
export type AllocationBatchInput = z.input<typeof ZAllocationBatchInput>;
export type DispatchInput = z.input<typeof ZDispatchInput>;
export type AcknowledgementInput = z.input<typeof ZAcknowledgementInput>;

// ----- views: what the API answers (the console reads them with these types) -----

export const ZDonorView = z.object({
  id: z.string(),
  kind: z.string(),
  organisationType: z.string().optional(),
  displayName: z.string(),
  legalName: z.string().optional(),
  note: z.string().optional(),
});

export const ZSchoolView = z.object({
  id: z.string(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string().optional(),
  contactName: z.string().optional(),
});

export const ZHomeView = z.object({ id: z.string(), name: z.string(), regionCode: z.string(), status: z.string() });

const ZTotals = z.object({
  receivedValueFen: z.number(),
  receivedQuantity: z.number(),
  allocatedValueFen: z.number(),
  allocatedQuantity: z.number(),
  dispatchedQuantity: z.number(),
  acknowledgedQuantity: z.number(),
  acknowledgedValueFen: z.number(),
});

export const ZAllocationView = z.object({
  allocationId: z.string(),
  recipientKind: z.string(),
  recipientId: z.string(),
  recipientName: z.string(),
  recipientRegionCode: z.string(),
  lineId: z.string().optional(),
  quantity: z.number().optional(),
  amountFen: z.number().optional(),
  valueFen: z.number(),
});

export const ZShipmentView = z.object({
  shipmentId: z.string(),
  allocationId: z.string(),
  dispatchedOn: z.string(),
  carrier: z.string().optional(),
  trackingNumber: z.string().optional(),
  lines: z.array(z.object({ lineId: z.string(), quantity: z.number() })),
  amountFen: z.number().optional(),
});

export const ZAcknowledgementView = z.object({
  acknowledgementId: z.string(),
  allocationId: z.string(),
  shipmentId: z.string(),
  acknowledgedOn: z.string(),
  lines: z.array(
    z.object({
      lineId: z.string(),
      quantityDispatched: z.number(),
      quantityReceived: z.number(),
      discrepancy: z.number(),
      discrepancyReason: z.string().optional(),
    }),
  ),
  amountFen: z.number().optional(),
  amountDiscrepancyFen: z.number().optional(),
  discrepancyReason: z.string().optional(),
  note: z.string().optional(),
  photoRefs: z.array(z.string()),
});

export const ZDonationView = z.object({
  id: z.string(),
  sequence: z.number(),
  receiptNumber: z.string().optional(),
  donorId: z.string(),
  donorKind: z.string(),
  donorDisplayName: z.string(),
  kind: z.string(),
  purpose: z.string(),
  restrictedTo: z.string().optional(),
  status: z.string(),
  receivedOn: z.string().optional(),
  amountFen: z.number().optional(),
  amountYuan: z.string().optional(),
  lines: z.array(
    z.object({
      lineId: z.string(),
      type: z.string(),
      title: z.string(),
      isbn: z.string().optional(),
      category: z.string().optional(),
      ageBand: z.string().optional(),
      unit: z.string().optional(),
      quantity: z.number(),
      unitValueFen: z.number().optional(),
      valueFen: z.number(),
      allocated: z.number(),
      remaining: z.number(),
    }),
  ),
  /** Money: what can still be allocated, in fen. */
  remainingFen: z.number().optional(),
  totals: ZTotals,
  totalsYuan: z.object({ received: z.string(), allocated: z.string(), acknowledged: z.string() }),
  allocations: z.array(ZAllocationView),
  shipments: z.array(ZShipmentView),
  acknowledgements: z.array(ZAcknowledgementView),
  cancellation: z.object({ reason: z.string(), cancelledOn: z.string(), note: z.string().optional() }).optional(),
  note: z.string().optional(),
});

export type DonorView = z.output<typeof ZDonorView>;
export type SchoolView = z.output<typeof ZSchoolView>;
export type HomeView = z.output<typeof ZHomeView>;
export type AllocationView = z.output<typeof ZAllocationView>;
export type ShipmentView = z.output<typeof ZShipmentView>;
export type AcknowledgementView = z.output<typeof ZAcknowledgementView>;
export type DonationView = z.output<typeof ZDonationView>;
