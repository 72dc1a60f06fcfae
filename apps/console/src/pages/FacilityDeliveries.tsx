/**
 * The home manager's deliveries tab (a lazy chunk of the facility page, phone first): what donors
 * dispatched to this home and is not yet acknowledged, and a one-tap "acknowledge receipt" with
 * the quantity (or amount) received — a difference needs its reason.
 */
import { ZAcknowledgementInput } from '@tongxin/contracts/donations/api';
import { formatYuan, ZYuan } from '@tongxin/contracts/values';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, InputNumber, List, Select, Typography } from 'antd';
import { useState } from 'react';

import { api, ApiError, messageOf } from '../api';
import { placeFieldErrors, validateWith, zodRule, formErrorText } from '../forms';
import { useI18n } from '../i18n';

interface ReportShipment {
  shipmentId: string;
  dispatchedOn: string;
  carrier?: string;
  quantity: number;
  amountFen?: number;
  acknowledged: boolean;
}
interface RecipientReport {
  donations: {
    donationId: string;
    receiptNumber?: string;
    donorDisplayName: string;
    kind: string;
    lines: { lineId: string; title: string }[];
    shipments: ReportShipment[];
  }[];
}
interface Pending extends ReportShipment {
  donationId: string;
  donorDisplayName: string;
  receiptNumber?: string;
  what: string;
}

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export default function FacilityDeliveries({ facilityId }: { facilityId: string }) {
  const { t, dict } = useI18n();
  const report = useQuery({
    queryKey: ['facility-deliveries', facilityId],
    queryFn: () => api<RecipientReport>(`/api/donations/recipients/facility/${facilityId}/report`),
    enabled: Boolean(facilityId),
  });
  const pending: Pending[] = (report.data?.donations ?? []).flatMap((d) =>
    d.shipments
      .filter((s) => !s.acknowledged)
      .map((s) => ({
        ...s,
        donationId: d.donationId,
        donorDisplayName: d.donorDisplayName,
        ...(d.receiptNumber ? { receiptNumber: d.receiptNumber } : {}),
        what: d.kind === 'money' ? t('money') : d.lines.map((l) => l.title).join('、') || (dict.kinds.other ?? ''),
      })),
  );
  return (
    <Card size="small" title={t('incomingDeliveries')} data-testid="incoming-deliveries">
      {report.error && (
        <Alert type="error" showIcon title={messageOf(report.error, t('serverError'), t('networkError'))} />
      )}
      <List
        loading={report.isLoading}
        locale={{ emptyText: <Empty description={t('noIncomingDeliveries')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        dataSource={pending}
        renderItem={(s) => (
          <List.Item data-testid="incoming-delivery" style={{ display: 'block' }}>
            <Typography.Text strong>{s.donorDisplayName}</Typography.Text>
            <div>
              {s.what} · {s.amountFen !== undefined ? `¥${formatYuan(s.amountFen)}` : `${t('quantity')} ${s.quantity}`}
            </div>
            <Typography.Text type="secondary">
              {t('dispatchedOn')} {s.dispatchedOn} {s.carrier ?? ''} {s.receiptNumber ?? ''}
            </Typography.Text>
            <AcknowledgeForm shipment={s} facilityId={facilityId} />
          </List.Item>
        )}
      />
    </Card>
  );
}

interface AckValues {
  quantityReceived?: number;
  amountYuan?: string;
  discrepancyReason?: string;
}

function AcknowledgeForm({ shipment, facilityId }: { shipment: Pending; facilityId: string }) {
  const { t, dict, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<AckValues>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const money = shipment.amountFen !== undefined;
  const received = Form.useWatch('quantityReceived', form);
  const amount = Form.useWatch('amountYuan', form);
  const differs = money
    ? amount !== undefined && ZYuan.safeParse(amount).data !== shipment.amountFen
    : received !== undefined && received !== null && received !== shipment.quantity;

  const submit = async (values: AckValues) => {
    setError(undefined);
    const field = money ? 'amountYuan' : 'quantityReceived';
    const aliases: Record<string, (string | number)[]> = {
      'items.0.quantityReceived': ['quantityReceived'],
      'items.0.amountYuan': ['amountYuan'],
      'items.0.discrepancyReason': ['discrepancyReason'],
      items: [field],
    };
    const body = {
      acknowledgedOn: today(),
      items: [
        {
          shipmentId: shipment.shipmentId,
          ...(money ? { amountYuan: values.amountYuan } : { quantityReceived: values.quantityReceived }),
          ...(differs && values.discrepancyReason ? { discrepancyReason: values.discrepancyReason } : {}),
        },
      ],
    };
    // The API's own schema first: what it refuses is shown beside its field, and nothing is sent.
    const problems = validateWith(ZAcknowledgementInput, body, lang);
    if (problems) {
      const rest = placeFieldErrors(form, problems, aliases);
      if (rest.length > 0) setError(rest.join('；'));
      return;
    }
    setBusy(true);
    try {
      await api(`/api/donations/donations/${shipment.donationId}/acknowledgements`, { method: 'POST', body });
      void message.success(t('acknowledgeDone'));
      void queryClient.invalidateQueries({ queryKey: ['facility-deliveries', facilityId] });
    } catch (e) {
      if (e instanceof ApiError && e.code && /discrepancy/.test(e.code)) {
        form.setFields([{ name: 'discrepancyReason', errors: [e.problem.detail ?? e.message] }]);
      } else {
        const text = formErrorText(form, e, { server: t('serverError'), network: t('networkError') }, aliases);
        if (text) setError(text);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<AckValues>
      form={form}
      layout="vertical"
      style={{ marginTop: 8 }}
      initialValues={
        money
          ? { amountYuan: formatYuan(shipment.amountFen ?? 0).replace(/,/g, '') }
          : { quantityReceived: shipment.quantity }
      }
      onFinish={(v) => void submit(v)}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      {money ? (
        <Form.Item name="amountYuan" label={t('received')} rules={[{ required: true }, zodRule(ZYuan, lang)]}>
          <Input inputMode="decimal" style={{ width: '100%' }} />
        </Form.Item>
      ) : (
        <Form.Item name="quantityReceived" label={t('received')} rules={[{ required: true }]}>
          <InputNumber min={0} precision={0} inputMode="numeric" style={{ width: '100%' }} data-testid="ack-quantity" />
        </Form.Item>
      )}
      {differs && (
        <Form.Item name="discrepancyReason" label={t('discrepancyReason')} rules={[{ required: true }]}>
          <Select
            data-testid="ack-reason"
            options={Object.entries(dict.discrepancyReasons).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" block loading={busy} data-testid="acknowledge">
        {t('acknowledge')}
      </Button>
    </Form>
  );
}
