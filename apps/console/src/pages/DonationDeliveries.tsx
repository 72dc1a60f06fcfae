/**
 * A donation's deliveries on the charity's page: per allocation what is still to dispatch and a
 * "record shipment" form (POST /donations/:id/shipments), then every shipment with the
 * recipient's acknowledgement: delivered, short (or over) by how much, or awaiting it.
 */
import {
  ZDispatchInput,
  type AcknowledgementView,
  type AllocationView,
  type DonationView,
  type ShipmentView,
} from '@tongxin/contracts/donations/api';
import { formatYuan, ZYuan } from '@tongxin/contracts/values';
import { Alert, App, Button, Card, Form, Input, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';

import { api, ApiError } from '../api';
import { placeFieldErrors, validateWith, zodRule, formErrorText } from '../forms';
import { useI18n } from '../i18n';

/** The donation as the donations API answers it (its view schemas are in the contracts). */
export type Allocation = AllocationView;
export type Shipment = ShipmentView;
export type Acknowledgement = AcknowledgementView;
/** What the deliveries panel reads of a donation. */
export type DeliveryDonation = Pick<
  DonationView,
  'id' | 'kind' | 'lines' | 'allocations' | 'shipments' | 'acknowledgements'
>;

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Allocated and not yet dispatched: units, or fen for money. */
export function undispatched(donation: DeliveryDonation, a: Allocation): number {
  const shipped = donation.shipments.filter((s) => s.allocationId === a.allocationId);
  if (a.amountFen !== undefined) return a.amountFen - sum(shipped.map((s) => s.amountFen ?? 0));
  return (a.quantity ?? 0) - sum(shipped.flatMap((s) => s.lines.map((l) => l.quantity)));
}

export function Deliveries({ donation, onChanged }: { donation: DeliveryDonation; onChanged: () => void }) {
  const { t, dict } = useI18n();
  const [shipping, setShipping] = useState<string>();
  const money = donation.kind === 'money';
  const titleOf = (lineId?: string) => donation.lines.find((l) => l.lineId === lineId)?.title ?? '';
  const measure = (a: { quantity?: number; amountFen?: number }) =>
    a.amountFen !== undefined ? `¥${formatYuan(a.amountFen)}` : String(a.quantity ?? '');
  const allocationOf = (s: Shipment) => donation.allocations.find((a) => a.allocationId === s.allocationId);
  const current = donation.allocations.find((a) => a.allocationId === shipping);

  const status = (s: Shipment) => {
    const ack = donation.acknowledgements.find((k) => k.shipmentId === s.shipmentId);
    if (!ack) return <Tag color="gold">{t('awaitingAck')}</Tag>;
    const difference =
      ack.amountDiscrepancyFen !== undefined ? ack.amountDiscrepancyFen : sum(ack.lines.map((l) => l.discrepancy));
    const shown = money ? `¥${formatYuan(Math.abs(difference))}` : Math.abs(difference);
    const reason = ack.discrepancyReason ?? ack.lines.map((l) => l.discrepancyReason).find(Boolean);
    const why = reason ? `（${dict.discrepancyReasons[reason] ?? reason}）` : '';
    if (difference < 0) return <Tag color="red">{t('shortBy', { n: shown }) + why}</Tag>;
    if (difference > 0) return <Tag color="orange">{t('overBy', { n: shown }) + why}</Tag>;
    return <Tag color="green">{t('delivered')}</Tag>;
  };

  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('deliveries')}
      </Typography.Title>
      <Table<Allocation>
        size="small"
        rowKey="allocationId"
        pagination={false}
        dataSource={donation.allocations}
        data-testid="allocations"
        scroll={{ x: true }}
        columns={[
          { title: t('recipient'), dataIndex: 'recipientName' },
          ...(money ? [] : [{ title: t('bookTitle'), render: (_: unknown, a: Allocation) => titleOf(a.lineId) }]),
          { title: t('allocated'), render: (_, a) => measure(a) },
          {
            title: t('undispatched'),
            render: (_, a) => {
              const left = undispatched(donation, a);
              return money ? `¥${formatYuan(left)}` : left;
            },
          },
          {
            title: t('status'),
            render: (_, a) => {
              const shipped = donation.shipments.filter((s) => s.allocationId === a.allocationId);
              return shipped.length ? (
                <Tag color="green">
                  {t('dispatched')} {shipped.map((s) => s.dispatchedOn).join('、')}
                </Tag>
              ) : (
                <Tag>{t('toDispatch')}</Tag>
              );
            },
          },
          {
            title: t('actions'),
            render: (_, a) =>
              // A child's bursary is transferred by civil affairs, not by the charity.
              undispatched(donation, a) > 0 && a.recipientKind !== 'child' ? (
                <Button size="small" data-testid="record-shipment" onClick={() => setShipping(a.allocationId)}>
                  {t('recordShipment')}
                </Button>
              ) : null,
          },
        ]}
      />
      {current && (
        <ShipmentForm
          key={current.allocationId}
          donation={donation}
          allocation={current}
          onDone={() => {
            setShipping(undefined);
            onChanged();
          }}
          onCancel={() => setShipping(undefined)}
        />
      )}
      {donation.shipments.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('shipments')}
          </Typography.Title>
          <Table<Shipment>
            size="small"
            rowKey="shipmentId"
            pagination={false}
            dataSource={donation.shipments}
            data-testid="shipments"
            scroll={{ x: true }}
            columns={[
              { title: t('dispatchedOn'), dataIndex: 'dispatchedOn' },
              { title: t('recipient'), render: (_, s) => allocationOf(s)?.recipientName },
              ...(money
                ? []
                : [{ title: t('bookTitle'), render: (_: unknown, s: Shipment) => titleOf(s.lines[0]?.lineId) }]),
              {
                title: t('dispatched'),
                render: (_, s) => measure({ amountFen: s.amountFen, quantity: sum(s.lines.map((l) => l.quantity)) }),
              },
              { title: t('carrier'), render: (_, s) => [s.carrier, s.trackingNumber].filter(Boolean).join(' ') },
              {
                title: t('received'),
                render: (_, s) => {
                  const ack = donation.acknowledgements.find((k) => k.shipmentId === s.shipmentId);
                  if (!ack) return '';
                  return ack.amountFen !== undefined
                    ? `¥${formatYuan(ack.amountFen)}`
                    : sum(ack.lines.map((l) => l.quantityReceived));
                },
              },
              {
                title: t('acknowledgedOn'),
                render: (_, s) => donation.acknowledgements.find((k) => k.shipmentId === s.shipmentId)?.acknowledgedOn,
              },
              { title: t('status'), render: (_, s) => <span data-testid="shipment-status">{status(s)}</span> },
            ]}
          />
        </>
      )}
    </>
  );
}

interface ShipmentValues {
  dispatchedOn: string;
  carrier?: string;
  trackingNumber?: string;
  quantity?: number;
  amountYuan?: string;
}

/** The record-shipment form of one allocation; the server's messages go beside their fields. */
function ShipmentForm({
  donation,
  allocation,
  onDone,
  onCancel,
}: {
  donation: DeliveryDonation;
  allocation: Allocation;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ShipmentValues>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const money = allocation.amountFen !== undefined;
  const left = undispatched(donation, allocation);

  const submit = async (values: ShipmentValues) => {
    setError(undefined);
    const field = money ? 'amountYuan' : 'quantity';
    const aliases: Record<string, (string | number)[]> = {
      'items.0.quantity': ['quantity'],
      'items.0.amountYuan': ['amountYuan'],
      'items.0.allocationId': [field],
      items: [field],
    };
    const body = {
      dispatchedOn: values.dispatchedOn,
      ...(values.carrier?.trim() ? { carrier: values.carrier.trim() } : {}),
      ...(values.trackingNumber?.trim() ? { trackingNumber: values.trackingNumber.trim() } : {}),
      items: [
        {
          allocationId: allocation.allocationId,
          ...(money ? { amountYuan: values.amountYuan } : { quantity: values.quantity }),
        },
      ],
    };
    // The API's own schema first: what it refuses is shown beside its field, and nothing is sent.
    const problems = validateWith(ZDispatchInput, body, lang);
    if (problems) {
      const rest = placeFieldErrors(form, problems, aliases);
      if (rest.length > 0) setError(rest.join('；'));
      return;
    }
    setBusy(true);
    try {
      await api(`/api/donations/donations/${donation.id}/shipments`, { method: 'POST', body });
      void message.success(t('shipmentRecorded'));
      onDone();
    } catch (e) {
      // over_dispatch and its kin name the allocation: the message goes beside the quantity (or amount).
      if (e instanceof ApiError && ['over_dispatch', 'nothing_to_dispatch', 'wrong_measure'].includes(e.code ?? '')) {
        form.setFields([{ name: field, errors: [e.problem.detail ?? e.message] }]);
      } else {
        const text = formErrorText(form, e, { server: t('serverError'), network: t('networkError') }, aliases);
        if (text) setError(text);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      style={{ marginTop: 12 }}
      title={t('recordShipmentFor', { recipient: allocation.recipientName })}
      data-testid="shipment-form"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<ShipmentValues>
        form={form}
        layout="vertical"
        initialValues={{
          dispatchedOn: today(),
          ...(money ? { amountYuan: formatYuan(left).replace(/,/g, '') } : { quantity: left }),
        }}
        onFinish={(v) => void submit(v)}
      >
        <Space wrap align="start">
          <Form.Item name="dispatchedOn" label={t('dispatchedOn')} rules={[{ required: true }]}>
            <Input type="date" data-testid="shipment-date" />
          </Form.Item>
          {money ? (
            <Form.Item
              name="amountYuan"
              label={t('amountYuan')}
              rules={[{ required: true }, zodRule(ZYuan, lang)]}
              extra={`${t('undispatched')} ¥${formatYuan(left)}`}
            >
              <Input style={{ width: 160 }} inputMode="decimal" data-testid="shipment-amount" />
            </Form.Item>
          ) : (
            <Form.Item
              name="quantity"
              label={t('quantity')}
              rules={[{ required: true }]}
              extra={`${t('undispatched')} ${left}`}
            >
              <InputNumber min={1} precision={0} data-testid="shipment-quantity" />
            </Form.Item>
          )}
          <Form.Item name="carrier" label={t('carrier')} rules={[{ max: 100 }]}>
            <Input style={{ width: 180 }} data-testid="shipment-carrier" />
          </Form.Item>
          <Form.Item name="trackingNumber" label={t('trackingNumber')} rules={[{ max: 64 }]}>
            <Input style={{ width: 180 }} data-testid="shipment-tracking" />
          </Form.Item>
        </Space>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="submit-shipment">
            {t('recordShipment')}
          </Button>
          <Button onClick={onCancel}>{t('cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
