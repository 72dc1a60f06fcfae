/**
 * Traceability (可追溯) and reports, computed on every request from the donations' lines,
 * allocations, shipments and acknowledgements — no total is stored, so none can disagree.
 */
import ExcelJS from 'exceljs';
import { formatYuan, regionName } from '@tongxin/contracts/values';

import { allocationBalance, lineBalances, moneyBalance, totals } from '../domain/ledger.js';
import type { DonationDoc, DonationModels, PlaqueDoc, RecipientKind } from '../persistence/models.js';

export interface RecipientTrace {
  recipientKind: RecipientKind;
  recipientId: string;
  recipientName: string;
  recipientRegionCode: string;
  allocatedQuantity: number;
  allocatedValueFen: number;
  allocatedAmountFen: number;
  dispatchedQuantity: number;
  dispatchedAmountFen: number;
  acknowledgedQuantity: number;
  acknowledgedAmountFen: number;
  lines: { lineId: string; allocated: number; dispatched: number; acknowledged: number }[];
  allocations: {
    allocationId: string;
    lineId?: string;
    allocated: number;
    dispatched: number;
    acknowledged: number;
    valueFen: number;
  }[];
  shipments: {
    shipmentId: string;
    allocationId: string;
    dispatchedOn: string;
    carrier?: string;
    quantity: number;
    amountFen?: number;
    acknowledged: boolean;
  }[];
  discrepancies: {
    shipmentId: string;
    lineId?: string;
    discrepancy: number;
    reason?: string;
    acknowledgedOn: string;
  }[];
  /** allocated → partially_dispatched → dispatched → acknowledged (every shipment acknowledged and all dispatched). */
  status: 'allocated' | 'partially_dispatched' | 'dispatched' | 'partially_acknowledged' | 'acknowledged';
  plaques: { name: string; installedOn: string }[];
}

const add = (a: number, b: number) => a + b;

/** A child appears by its masked name (张*明) and village only: it is what the donor may see. */
const RECIPIENT_KIND_ZH: Record<RecipientKind, string> = { facility: '儿童之家', school: '学校', child: '受助儿童' };

export function traceRecipients(doc: DonationDoc, plaques: PlaqueDoc[] = []): RecipientTrace[] {
  const byRecipient = new Map<string, RecipientTrace>();
  for (const a of doc.allocations) {
    const key = `${a.recipientKind}:${a.recipientId}`;
    let trace = byRecipient.get(key);
    if (!trace) {
      trace = {
        recipientKind: a.recipientKind,
        recipientId: a.recipientId,
        recipientName: a.recipientName,
        recipientRegionCode: a.recipientRegionCode,
        allocatedQuantity: 0,
        allocatedValueFen: 0,
        allocatedAmountFen: 0,
        dispatchedQuantity: 0,
        dispatchedAmountFen: 0,
        acknowledgedQuantity: 0,
        acknowledgedAmountFen: 0,
        lines: [],
        allocations: [],
        shipments: [],
        discrepancies: [],
        status: 'allocated',
        plaques: plaques
          .filter(
            (p) =>
              p.recipientKind === a.recipientKind &&
              p.recipientId === a.recipientId &&
              (!p.donationId || p.donationId === doc._id),
          )
          .map((p) => ({ name: p.name, installedOn: p.installedOn })),
      };
      byRecipient.set(key, trace);
    }
    const balance = allocationBalance(doc, a.allocationId)!;
    const money = a.amountFen !== undefined;
    trace.allocations.push({
      allocationId: a.allocationId,
      ...(a.lineId ? { lineId: a.lineId } : {}),
      allocated: balance.allocated,
      dispatched: balance.dispatched,
      acknowledged: balance.acknowledged,
      valueFen: a.valueFen,
    });
    trace.allocatedValueFen += a.valueFen;
    if (money) {
      trace.allocatedAmountFen += balance.allocated;
      trace.dispatchedAmountFen += balance.dispatched;
      trace.acknowledgedAmountFen += balance.acknowledged;
    } else {
      trace.allocatedQuantity += balance.allocated;
      trace.dispatchedQuantity += balance.dispatched;
      trace.acknowledgedQuantity += balance.acknowledged;
      let line = trace.lines.find((l) => l.lineId === a.lineId);
      if (!line) trace.lines.push((line = { lineId: a.lineId!, allocated: 0, dispatched: 0, acknowledged: 0 }));
      line.allocated += balance.allocated;
      line.dispatched += balance.dispatched;
      line.acknowledged += balance.acknowledged;
    }
    for (const s of doc.shipments.filter((s) => s.allocationId === a.allocationId)) {
      const ack = doc.acknowledgements.find((k) => k.shipmentId === s.shipmentId);
      trace.shipments.push({
        shipmentId: s.shipmentId,
        allocationId: s.allocationId,
        dispatchedOn: s.dispatchedOn,
        ...(s.carrier ? { carrier: s.carrier } : {}),
        quantity: s.lines.map((l) => l.quantity).reduce(add, 0),
        ...(s.amountFen !== undefined ? { amountFen: s.amountFen } : {}),
        acknowledged: Boolean(ack),
      });
      if (!ack) continue;
      for (const l of ack.lines.filter((l) => l.discrepancy !== 0)) {
        trace.discrepancies.push({
          shipmentId: s.shipmentId,
          lineId: l.lineId,
          discrepancy: l.discrepancy,
          ...(l.discrepancyReason ? { reason: l.discrepancyReason } : {}),
          acknowledgedOn: ack.acknowledgedOn,
        });
      }
      if (ack.amountDiscrepancyFen) {
        trace.discrepancies.push({
          shipmentId: s.shipmentId,
          discrepancy: ack.amountDiscrepancyFen,
          ...(ack.discrepancyReason ? { reason: ack.discrepancyReason } : {}),
          acknowledgedOn: ack.acknowledgedOn,
        });
      }
    }
  }
  for (const trace of byRecipient.values()) {
    const allocated = trace.allocations.map((a) => a.allocated).reduce(add, 0);
    const dispatched = trace.allocations.map((a) => a.dispatched).reduce(add, 0);
    const acked = trace.shipments.filter((s) => s.acknowledged).length;
    trace.status =
      dispatched === 0
        ? 'allocated'
        : dispatched < allocated
          ? 'partially_dispatched'
          : acked === 0
            ? 'dispatched'
            : acked < trace.shipments.length
              ? 'partially_acknowledged'
              : 'acknowledged';
  }
  return [...byRecipient.values()];
}

export function traceability(doc: DonationDoc, plaques: PlaqueDoc[] = []) {
  const balances = lineBalances(doc);
  const money = moneyBalance(doc);
  return {
    donationId: doc._id,
    receiptNumber: doc.receiptNumber,
    donorId: doc.donorId,
    donorDisplayName: doc.donorDisplayName,
    kind: doc.kind,
    purpose: doc.purpose,
    status: doc.status,
    receivedOn: doc.receivedOn,
    totals: totals(doc),
    ...(doc.kind === 'money'
      ? {
          money: {
            amountFen: money.amountFen,
            allocatedFen: money.allocated,
            remainingFen: money.remaining,
            dispatchedFen: money.dispatched,
            acknowledgedFen: money.acknowledged,
          },
        }
      : {}),
    lines: doc.lines.map((line) => {
      const b = balances.find((x) => x.lineId === line.lineId)!;
      return {
        lineId: line.lineId,
        type: line.type,
        title: line.title,
        ...(line.isbn ? { isbn: line.isbn } : {}),
        quantity: line.quantity,
        valueFen: line.valueFen,
        allocated: b.allocated,
        remaining: b.remaining,
        dispatched: b.dispatched,
        acknowledged: b.acknowledged,
      };
    }),
    recipients: traceRecipients(doc, plaques),
  };
}
export type Traceability = ReturnType<typeof traceability>;

const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

export function createReports(deps: { models: DonationModels }) {
  const { models } = deps;

  /** Totals by year of receipt, the recipients reached and the delivery rate. */
  async function donorReport(donorId: string, donations: DonationDoc[]) {
    const received = donations.filter((d) => d.status !== 'pledged' && d.status !== 'cancelled');
    const years = new Map<
      string,
      {
        year: string;
        donations: number;
        receivedValueFen: number;
        allocatedValueFen: number;
        receivedQuantity: number;
        allocatedQuantity: number;
        acknowledgedQuantity: number;
        acknowledgedValueFen: number;
      }
    >();
    const recipients = new Map<
      string,
      {
        recipientKind: RecipientKind;
        recipientId: string;
        recipientName: string;
        allocatedValueFen: number;
        allocatedQuantity: number;
        acknowledgedQuantity: number;
        acknowledgedAmountFen: number;
      }
    >();
    let dispatchedQuantity = 0;
    let acknowledgedQuantity = 0;
    let dispatchedFen = 0;
    let acknowledgedFen = 0;
    for (const d of received) {
      const t = totals(d);
      const year = d.receivedOn!.slice(0, 4);
      const y = years.get(year) ?? {
        year,
        donations: 0,
        receivedValueFen: 0,
        allocatedValueFen: 0,
        receivedQuantity: 0,
        allocatedQuantity: 0,
        acknowledgedQuantity: 0,
        acknowledgedValueFen: 0,
      };
      y.donations += 1;
      y.receivedValueFen += t.receivedValueFen;
      y.allocatedValueFen += t.allocatedValueFen;
      y.receivedQuantity += t.receivedQuantity;
      y.allocatedQuantity += t.allocatedQuantity;
      y.acknowledgedQuantity += t.acknowledgedQuantity;
      y.acknowledgedValueFen += t.acknowledgedValueFen;
      years.set(year, y);
      dispatchedQuantity += t.dispatchedQuantity;
      acknowledgedQuantity += t.acknowledgedQuantity;
      const m = moneyBalance(d);
      if (d.kind === 'money') {
        dispatchedFen += m.dispatched;
        acknowledgedFen += m.acknowledged;
      }
      for (const r of traceRecipients(d)) {
        const key = `${r.recipientKind}:${r.recipientId}`;
        const acc = recipients.get(key) ?? {
          recipientKind: r.recipientKind,
          recipientId: r.recipientId,
          recipientName: r.recipientName,
          allocatedValueFen: 0,
          allocatedQuantity: 0,
          acknowledgedQuantity: 0,
          acknowledgedAmountFen: 0,
        };
        acc.allocatedValueFen += r.allocatedValueFen;
        acc.allocatedQuantity += r.allocatedQuantity;
        acc.acknowledgedQuantity += r.acknowledgedQuantity;
        acc.acknowledgedAmountFen += r.acknowledgedAmountFen;
        recipients.set(key, acc);
      }
    }
    return {
      donorId,
      donations: received.length,
      byYear: [...years.values()].sort((a, b) => a.year.localeCompare(b.year)),
      recipients: [...recipients.values()].sort((a, b) => a.recipientName.localeCompare(b.recipientName, 'zh-CN')),
      delivery: {
        dispatchedQuantity,
        acknowledgedQuantity,
        /** Units acknowledged ÷ units dispatched (null when nothing was dispatched). */
        quantityRate: rate(acknowledgedQuantity, dispatchedQuantity),
        dispatchedFen,
        acknowledgedFen,
        moneyRate: rate(acknowledgedFen, dispatchedFen),
      },
    };
  }

  /** What a home or a school received, from whom, of which donation. */
  async function recipientReport(kind: PlaqueDoc['recipientKind'], id: string, donations: DonationDoc[]) {
    const items = [];
    for (const d of donations) {
      const trace = traceRecipients(d).find((r) => r.recipientKind === kind && r.recipientId === id);
      if (!trace) continue;
      items.push({
        donationId: d._id,
        receiptNumber: d.receiptNumber,
        donorId: d.donorId,
        donorDisplayName: d.donorDisplayName,
        kind: d.kind,
        receivedOn: d.receivedOn,
        lines: trace.lines.map((l) => ({ ...l, title: d.lines.find((x) => x.lineId === l.lineId)?.title ?? '' })),
        allocatedQuantity: trace.allocatedQuantity,
        allocatedValueFen: trace.allocatedValueFen,
        allocatedAmountFen: trace.allocatedAmountFen,
        dispatchedQuantity: trace.dispatchedQuantity,
        dispatchedAmountFen: trace.dispatchedAmountFen,
        acknowledgedQuantity: trace.acknowledgedQuantity,
        acknowledgedAmountFen: trace.acknowledgedAmountFen,
        shipments: trace.shipments,
        discrepancies: trace.discrepancies,
        status: trace.status,
      });
    }
    const plaques = await models.Plaques.find({ recipientKind: kind, recipientId: id }).lean<PlaqueDoc[]>();
    return {
      recipientKind: kind,
      recipientId: id,
      totals: {
        donations: items.length,
        allocatedQuantity: items.map((i) => i.allocatedQuantity).reduce(add, 0),
        allocatedValueFen: items.map((i) => i.allocatedValueFen).reduce(add, 0),
        acknowledgedQuantity: items.map((i) => i.acknowledgedQuantity).reduce(add, 0),
        acknowledgedAmountFen: items.map((i) => i.acknowledgedAmountFen).reduce(add, 0),
      },
      donations: items,
      plaques: plaques.map((p) => ({
        plaqueId: p._id,
        name: p.name,
        donorId: p.donorId,
        ...(p.donationId ? { donationId: p.donationId } : {}),
        installedOn: p.installedOn,
      })),
    };
  }

  return { donorReport, recipientReport };
}
export type Reports = ReturnType<typeof createReports>;

/** The traceability report as a workbook: a summary, the lines, and one row per recipient. */
export async function traceabilityWorkbook(report: Traceability, generatedAt: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '童心 Tongxin';
  wb.created = generatedAt;
  const summary = wb.addWorksheet('捐赠概况');
  summary.columns = [
    { header: '项目', key: 'k', width: 22 },
    { header: '内容', key: 'v', width: 40 },
  ];
  const t = report.totals;
  const rows: [string, string | number][] = [
    ['收据编号', report.receiptNumber ?? ''],
    ['捐赠方', report.donorDisplayName],
    ['类型', report.kind === 'money' ? '资金' : report.kind === 'books' ? '图书' : '物资'],
    ['用途', report.purpose === 'restricted' ? '定向' : '非定向'],
    ['接收日期', report.receivedOn ?? ''],
    ['状态', report.status],
    ['捐赠价值（元）', formatYuan(t.receivedValueFen)],
    ['数量', t.receivedQuantity],
    ['已分配价值（元）', formatYuan(t.allocatedValueFen)],
    ['已分配数量', t.allocatedQuantity],
    ['已发运数量', t.dispatchedQuantity],
    ['已签收数量', t.acknowledgedQuantity],
    ['已确认到账（元）', formatYuan(t.acknowledgedValueFen)],
    ['受赠单位数', report.recipients.length],
    ['生成时间', generatedAt.toISOString()],
  ];
  for (const [k, v] of rows) summary.addRow({ k, v });

  const lines = wb.addWorksheet('捐赠明细');
  lines.columns = [
    { header: '明细', key: 'lineId', width: 10 },
    { header: '名称', key: 'title', width: 36 },
    { header: 'ISBN', key: 'isbn', width: 16 },
    { header: '数量', key: 'quantity', width: 10 },
    { header: '价值（分）', key: 'valueFen', width: 14 },
    { header: '已分配', key: 'allocated', width: 10 },
    { header: '未分配', key: 'remaining', width: 10 },
    { header: '已发运', key: 'dispatched', width: 10 },
    { header: '已签收', key: 'acknowledged', width: 10 },
  ];
  for (const l of report.lines) lines.addRow({ ...l, isbn: l.isbn ?? '' });

  const recipients = wb.addWorksheet('受赠单位');
  recipients.columns = [
    { header: '受赠单位', key: 'name', width: 24 },
    { header: '类型', key: 'kind', width: 10 },
    { header: '所在地', key: 'region', width: 16 },
    { header: '区划代码', key: 'regionCode', width: 14 },
    { header: '分配数量', key: 'allocatedQuantity', width: 10 },
    { header: '分配价值（分）', key: 'allocatedValueFen', width: 16 },
    { header: '分配资金（分）', key: 'allocatedAmountFen', width: 16 },
    { header: '发运数量', key: 'dispatchedQuantity', width: 10 },
    { header: '签收数量', key: 'acknowledgedQuantity', width: 10 },
    { header: '确认到账（分）', key: 'acknowledgedAmountFen', width: 16 },
    { header: '差异', key: 'discrepancies', width: 30 },
    { header: '状态', key: 'status', width: 14 },
    { header: '铭牌', key: 'plaques', width: 24 },
  ];
  for (const r of report.recipients) {
    recipients.addRow({
      name: r.recipientName,
      kind: RECIPIENT_KIND_ZH[r.recipientKind],
      region: regionName(r.recipientRegionCode) ?? '',
      regionCode: r.recipientRegionCode,
      allocatedQuantity: r.allocatedQuantity,
      allocatedValueFen: r.allocatedValueFen,
      allocatedAmountFen: r.allocatedAmountFen,
      dispatchedQuantity: r.dispatchedQuantity,
      acknowledgedQuantity: r.acknowledgedQuantity,
      acknowledgedAmountFen: r.acknowledgedAmountFen,
      discrepancies: r.discrepancies
        .map((d) => `${d.lineId ?? '资金'} ${d.discrepancy > 0 ? '+' : ''}${d.discrepancy} ${d.reason ?? ''}`)
        .join('; '),
      status: r.status,
      plaques: r.plaques.map((p) => p.name).join('、'),
    });
  }
  const totalRow = recipients.addRow({
    name: '合计',
    allocatedQuantity: report.recipients.map((r) => r.allocatedQuantity).reduce(add, 0),
    allocatedValueFen: report.recipients.map((r) => r.allocatedValueFen).reduce(add, 0),
    allocatedAmountFen: report.recipients.map((r) => r.allocatedAmountFen).reduce(add, 0),
    dispatchedQuantity: report.recipients.map((r) => r.dispatchedQuantity).reduce(add, 0),
    acknowledgedQuantity: report.recipients.map((r) => r.acknowledgedQuantity).reduce(add, 0),
    acknowledgedAmountFen: report.recipients.map((r) => r.acknowledgedAmountFen).reduce(add, 0),
  });
  totalRow.font = { bold: true };
  for (const sheet of [summary, lines, recipients]) sheet.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
