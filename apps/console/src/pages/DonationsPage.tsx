/**
 * A charity's page: register a donation (money, or books line by line with an ISBN input a
 * barcode scanner can type into: Enter adds the line), allocate to a home or school, follow the
 * deliveries, download the traceability report.
 */
import {
  ZAllocationBatchInput,
  ZAllocationInput,
  ZDonationInput,
  type DonationView,
} from '@tongxin/contracts/donations/api';
import { ZIsbn13, ZYuan } from '@tongxin/contracts/values';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  type InputRef,
} from 'antd';
import { useRef, useState } from 'react';

import { api, ApiError, download } from '../api';
import { usePrincipal } from '../auth';
import { placeFieldErrors, validateWith, zodRule, formErrorText } from '../forms';
import { useI18n } from '../i18n';
import { Deliveries } from './DonationDeliveries';

type Donation = DonationView;
type Line = DonationView['lines'][number];
interface Recipient {
  id: string;
  name: string;
}

interface BookLine {
  key: string;
  isbn?: string;
  title: string;
  quantity: number;
  unitValueYuan: string;
}

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export default function DonationsPage() {
  const { t, dict } = useI18n();
  const principal = usePrincipal();
  const donorId = principal.donorOrgs[0] ?? '';
  const [selected, setSelected] = useState<string>();
  const queryClient = useQueryClient();
  const donations = useQuery({
    queryKey: ['donations', donorId],
    queryFn: () => api<{ items: Donation[] }>(`/api/donations/donations?donorId=${encodeURIComponent(donorId)}`),
  });
  const current = donations.data?.items.find((d) => d.id === selected);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['donations'] });

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <RegisterDonation
        donorId={donorId}
        onRegistered={(d) => {
          refresh();
          setSelected(d.id);
        }}
      />
      <Card title={t('donations')} size="small">
        <Table<Donation>
          rowKey="id"
          size="small"
          loading={donations.isLoading}
          dataSource={donations.data?.items ?? []}
          pagination={{ pageSize: 10 }}
          scroll={{ x: true }}
          onRow={(d) => ({ onClick: () => setSelected(d.id), style: { cursor: 'pointer' } })}
          rowClassName={(d) => (d.id === selected ? 'ant-table-row-selected' : '')}
          columns={[
            { title: t('receiptNumber'), dataIndex: 'receiptNumber' },
            {
              title: t('donationKind'),
              dataIndex: 'kind',
              render: (k: string) => (k === 'money' ? t('money') : t('books')),
            },
            { title: t('receivedOn'), dataIndex: 'receivedOn' },
            { title: t('total'), render: (_, d) => `¥${d.totalsYuan.received}` },
            { title: t('allocated'), render: (_, d) => `¥${d.totalsYuan.allocated}` },
            {
              title: t('status'),
              dataIndex: 'status',
              render: (s: string) => <Tag>{dict.donationStatuses[s] ?? s}</Tag>,
            },
          ]}
        />
      </Card>
      {current && <DonationDetail donation={current} onChanged={refresh} />}
    </Space>
  );
}

function RegisterDonation({ donorId, onRegistered }: { donorId: string; onRegistered: (d: Donation) => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [scan] = Form.useForm<{ isbn?: string; title?: string; quantity: number; unitValueYuan: string }>();
  const [lines, setLines] = useState<BookLine[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const kind = Form.useWatch('kind', form) ?? 'books';
  const isbnRef = useRef<InputRef>(null);

  const addLine = async () => {
    const values = await scan.validateFields().catch(() => undefined);
    if (!values) return;
    const isbn = values.isbn ? String(ZIsbn13.parse(values.isbn)) : undefined;
    // A scanner types only the ISBN and Enter: the title may be filled in later on the receipt.
    const title = values.title?.trim() || (isbn ? `ISBN ${isbn}` : '');
    if (!title) {
      scan.setFields([{ name: 'title', errors: [t('bookTitle')] }]);
      return;
    }
    setLines((ls) => [...ls, { key: crypto.randomUUID(), ...values, title, isbn }]);
    scan.resetFields(['isbn', 'title']);
    isbnRef.current?.focus();
  };

  const submit = async (values: { kind: string; purpose: string; receivedOn: string; amountYuan?: string }) => {
    setError(undefined);
    const body =
      values.kind === 'money'
        ? {
            donorId,
            kind: 'money',
            purpose: values.purpose,
            receivedOn: values.receivedOn,
            amountYuan: values.amountYuan,
          }
        : {
            donorId,
            kind: 'books',
            purpose: values.purpose,
            receivedOn: values.receivedOn,
            lines: lines.map((l) => ({
              type: 'book',
              title: l.title,
              ...(l.isbn ? { isbn: l.isbn } : {}),
              quantity: l.quantity,
              unitValueYuan: l.unitValueYuan,
            })),
          };
    // The API's own schema first: what it refuses is shown beside its field, and nothing is sent.
    const problems = validateWith(ZDonationInput, body, lang);
    if (problems) {
      const rest = placeFieldErrors(form, problems);
      if (rest.length > 0) setError(rest.join('；'));
      return;
    }
    setBusy(true);
    try {
      const donation = await api<Donation>('/api/donations/donations', { method: 'POST', body });
      void message.success(t('registered', { receipt: donation.receiptNumber ?? donation.id }));
      setLines([]);
      onRegistered(donation);
    } catch (e) {
      const text = formErrorText(form, e, { server: t('serverError'), network: t('networkError') });
      if (text) setError(text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('donations')} size="small">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="donation-error" />}
      <Form
        form={form}
        layout="inline"
        initialValues={{ kind: 'books', purpose: 'unrestricted', receivedOn: today() }}
        onFinish={(v) => void submit(v as { kind: string; purpose: string; receivedOn: string; amountYuan?: string })}
        style={{ rowGap: 8, marginBottom: 12 }}
      >
        <Form.Item name="kind" label={t('donationKind')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'books', label: t('books') },
              { value: 'money', label: t('money') },
            ]}
          />
        </Form.Item>
        <Form.Item name="purpose" label={t('purpose')}>
          <Select
            style={{ width: 120 }}
            options={[
              { value: 'unrestricted', label: t('unrestricted') },
              { value: 'restricted', label: t('restricted') },
            ]}
          />
        </Form.Item>
        <Form.Item name="receivedOn" label={t('receivedOn')} rules={[{ required: true }]}>
          <Input type="date" />
        </Form.Item>
        {kind === 'money' && (
          <Form.Item name="amountYuan" label={t('amountYuan')} rules={[{ required: true }, zodRule(ZYuan, lang)]}>
            <Input style={{ width: 160 }} inputMode="decimal" />
          </Form.Item>
        )}
      </Form>
      {kind === 'books' && (
        <>
          <Form
            form={scan}
            layout="inline"
            initialValues={{ quantity: 1, unitValueYuan: '20.00' }}
            style={{ rowGap: 8, marginBottom: 8 }}
          >
            <Form.Item name="isbn" label={t('isbn')} rules={[zodRule(ZIsbn13, lang)]} extra={t('isbnHelp')}>
              <Input
                ref={isbnRef}
                autoFocus
                inputMode="numeric"
                style={{ width: 190 }}
                data-testid="isbn"
                onPressEnter={(e) => {
                  e.preventDefault();
                  void addLine();
                }}
              />
            </Form.Item>
            <Form.Item name="title" label={t('bookTitle')}>
              <Input style={{ width: 180 }} data-testid="book-title" onPressEnter={() => void addLine()} />
            </Form.Item>
            <Form.Item name="quantity" label={t('quantity')} rules={[{ required: true }]}>
              <InputNumber min={1} precision={0} data-testid="book-quantity" onPressEnter={() => void addLine()} />
            </Form.Item>
            <Form.Item
              name="unitValueYuan"
              label={t('unitValueYuan')}
              rules={[{ required: true }, zodRule(ZYuan, lang)]}
            >
              <Input style={{ width: 100 }} inputMode="decimal" onPressEnter={() => void addLine()} />
            </Form.Item>
            <Button onClick={() => void addLine()} data-testid="add-line">
              {t('addLine')}
            </Button>
          </Form>
          <Table<BookLine>
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={lines}
            data-testid="book-lines"
            columns={[
              { title: t('isbn'), dataIndex: 'isbn' },
              { title: t('bookTitle'), dataIndex: 'title' },
              { title: t('quantity'), dataIndex: 'quantity' },
              { title: t('unitValueYuan'), dataIndex: 'unitValueYuan' },
              {
                title: t('actions'),
                render: (_, l) => (
                  <a onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}>{t('discard')}</a>
                ),
              },
            ]}
          />
        </>
      )}
      <Button
        type="primary"
        style={{ marginTop: 12 }}
        loading={busy}
        disabled={kind === 'books' && lines.length === 0}
        onClick={() => form.submit()}
        data-testid="register-donation"
      >
        {t('register')}
      </Button>
    </Card>
  );
}

function DonationDetail({ donation, onChanged }: { donation: Donation; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const recipientKind = Form.useWatch('recipientKind', form) ?? 'facility';
  const homes = useQuery({ queryKey: ['homes'], queryFn: () => api<{ items: Recipient[] }>('/api/donations/homes') });
  const schools = useQuery({
    queryKey: ['schools'],
    queryFn: () => api<{ items: Recipient[] }>('/api/donations/schools'),
  });
  const recipients = (recipientKind === 'school' ? schools.data?.items : homes.data?.items) ?? [];
  // Several recipients at once (the city sharing a fund among its homes): the same amount or
  // quantities for each, sent as one batch that is allocated whole or not at all.
  const [several, setSeveral] = useState(false);
  const chosen: string[] = Form.useWatch('recipientIds', form) ?? [];
  const shareEqually = () => {
    const each = Math.floor((donation.remainingFen ?? 0) / Math.max(1, chosen.length));
    form.setFieldValue('amountYuan', (each / 100).toFixed(2));
  };

  const allocate = async (values: {
    recipientKind: string;
    recipientId?: string;
    recipientIds?: string[];
    quantities?: Record<string, number>;
    amountYuan?: string;
  }) => {
    setError(undefined);
    const lines = donation.lines
      .map((l) => ({ lineId: l.lineId, quantity: values.quantities?.[l.lineId] ?? 0 }))
      .filter((l) => l.quantity > 0);
    const aliases = Object.fromEntries(lines.map((l, i) => [`lines.${i}.quantity`, ['quantities', l.lineId]]));
    const ids = several ? (values.recipientIds ?? []) : [values.recipientId ?? ''];
    const each = (recipientId: string) => ({
      recipientKind: values.recipientKind,
      recipientId,
      ...(donation.kind === 'money' ? { amountYuan: values.amountYuan } : { lines }),
    });
    // Every request of a batch has the same amount or lines: checking the first checks them all.
    const problems =
      validateWith(ZAllocationInput, each(ids[0] ?? ''), lang) ??
      (several ? validateWith(ZAllocationBatchInput, { allocations: ids.map(each) }, lang) : undefined);
    if (problems) {
      const rest = placeFieldErrors(form, problems, {
        ...aliases,
        recipientId: [several ? 'recipientIds' : 'recipientId'],
        allocations: ['recipientIds'],
      });
      if (rest.length > 0) setError(rest.join('；'));
      return;
    }
    setBusy(true);
    try {
      if (several) {
        await api(`/api/donations/donations/${donation.id}/allocations/batch`, {
          method: 'POST',
          body: { allocations: ids.map(each) },
        });
        void message.success(t('allocatedToMany', { n: ids.length }));
        form.resetFields(['quantities', 'amountYuan', 'recipientIds']);
      } else {
        await api(`/api/donations/donations/${donation.id}/allocations`, { method: 'POST', body: each(ids[0]!) });
        void message.success(t('allocationDone'));
        form.resetFields(['quantities', 'amountYuan']);
      }
      onChanged();
    } catch (e) {
      // A batch's refusal names its request by index: say which recipient it was.
      const index = e instanceof ApiError ? (e.problem.index as number | undefined) : undefined;
      const who = index === undefined ? undefined : recipients.find((r) => r.id === ids[index])?.name;
      const detail = e instanceof ApiError ? (e.problem.detail ?? e.message) : '';
      const named = who ? `${who}：${detail.replace(/^(第\d+项：|allocation \d+: )/, '')}` : detail;
      // over_allocation names the line: its message goes beside that line's quantity.
      if (e instanceof ApiError && e.code === 'over_allocation') {
        const lineId = e.problem.lineId as string | undefined;
        form.setFields([{ name: lineId ? ['quantities', lineId] : ['amountYuan'], errors: [named] }]);
      } else if (who) {
        form.setFields([{ name: ['recipientIds'], errors: [named] }]);
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
      title={`${t('allocate')} · ${donation.receiptNumber ?? donation.id}`}
      data-testid="donation-detail"
      extra={
        <Button
          size="small"
          onClick={() =>
            void download(
              `/api/donations/donations/${donation.id}/traceability.xlsx`,
              `${t('traceability')}-${donation.receiptNumber ?? donation.id}.xlsx`,
            )
          }
        >
          {t('traceability')}
        </Button>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ recipientKind: 'facility' }}
        onFinish={(v) => void allocate(v as Parameters<typeof allocate>[0])}
      >
        <Space wrap>
          <Form.Item name="recipientKind" label={t('recipient')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'facility', label: t('homeRecipient') },
                { value: 'school', label: t('schoolRecipient') },
              ]}
            />
          </Form.Item>
          {several ? (
            <Form.Item name="recipientIds" label=" " rules={[{ required: true }]}>
              <Select
                mode="multiple"
                style={{ minWidth: 360 }}
                showSearch={{ optionFilterProp: 'label' }}
                data-testid="recipients"
                options={recipients.map((r) => ({ value: r.id, label: r.name }))}
              />
            </Form.Item>
          ) : (
            <Form.Item name="recipientId" label=" " rules={[{ required: true }]}>
              <Select
                style={{ minWidth: 240 }}
                showSearch={{ optionFilterProp: 'label' }}
                data-testid="recipient"
                options={recipients.map((r) => ({ value: r.id, label: r.name }))}
              />
            </Form.Item>
          )}
          <Form.Item label=" ">
            <Space>
              <Switch checked={several} onChange={setSeveral} data-testid="several-recipients" />
              {t('severalRecipients')}
            </Space>
          </Form.Item>
        </Space>
        {donation.kind === 'money' ? (
          <Space align="end">
            <Form.Item
              name="amountYuan"
              label={`${several ? t('amountEach') : t('amountYuan')}（${t('remaining')} ¥${((donation.remainingFen ?? 0) / 100).toFixed(2)}）`}
              rules={[{ required: true }, zodRule(ZYuan, lang)]}
            >
              <Input style={{ width: 200 }} data-testid="allocate-amount" />
            </Form.Item>
            {several && (
              <Form.Item>
                <Button onClick={shareEqually} disabled={chosen.length === 0} data-testid="share-equally">
                  {t('shareEqually')}
                </Button>
              </Form.Item>
            )}
          </Space>
        ) : (
          <Table<Line>
            size="small"
            rowKey="lineId"
            pagination={false}
            dataSource={donation.lines}
            scroll={{ x: true }}
            columns={[
              { title: t('bookTitle'), dataIndex: 'title' },
              { title: t('isbn'), dataIndex: 'isbn' },
              { title: t('quantity'), dataIndex: 'quantity' },
              { title: t('allocated'), dataIndex: 'allocated' },
              { title: t('remaining'), dataIndex: 'remaining' },
              {
                title: t('allocate'),
                render: (_, l) => (
                  <Form.Item name={['quantities', l.lineId]} style={{ margin: 0 }} data-testid={`allocate-${l.lineId}`}>
                    <InputNumber min={0} precision={0} data-testid="allocate-quantity" />
                  </Form.Item>
                ),
              },
            ]}
          />
        )}
        <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 12 }} data-testid="allocate">
          {t('allocate')}
        </Button>
      </Form>
      <Deliveries donation={donation} onChanged={onChanged} />
      <Descriptions size="small" column={3} style={{ marginTop: 12 }}>
        <Descriptions.Item label={t('total')}>¥{donation.totalsYuan.received}</Descriptions.Item>
        <Descriptions.Item label={t('allocated')}>¥{donation.totalsYuan.allocated}</Descriptions.Item>
        <Descriptions.Item label={t('acknowledgedTotal')}>
          {/* Money is acknowledged by amount, books and goods by units received. */}
          {donation.kind === 'money' ? `¥${donation.totalsYuan.acknowledged}` : donation.totals.acknowledgedQuantity}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
