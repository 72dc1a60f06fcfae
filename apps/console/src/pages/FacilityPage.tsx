/**
 * The children's home manager's page, phone first: my home, log an activity in a few taps
 * (attendees picked from the enrolled children), what waits to be sent, this month's activities,
 * my children with their personal files, this month's evaluation.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Select,
  Space,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';

import { api, ApiError, messageOf, NetworkError } from '../api';
import { usePrincipal } from '../auth';
import { showFieldErrors } from '../forms';
import { useI18n } from '../i18n';
import { discard, enqueue, flush, newActivityId, postActivity, useOnline, useQueue } from '../offline-queue';

interface Facility {
  id: string;
  name: string;
  address: string;
  regionName?: string;
  openingHours?: string;
  capacity?: number;
  status: string;
}
interface EnrolledChild {
  childId: string;
  name: string;
  sex: string;
  birthDate: string;
  enrolledOn: string;
  fileComplete: boolean;
}
interface Activity {
  id: string;
  kind: string;
  title: string;
  startsAt: string;
  endsAt: string;
  place: string;
  attendeeChildIds: string[];
}
interface Evaluation {
  period: string;
  totalScore: number;
  grade: string;
  criteria?: { key?: string; criterion?: string; score?: number; weight?: number }[];
}

const KINDS = [
  'reading',
  'tutoring',
  'family_video_call',
  'birthday_party',
  'talent_class',
  'safety_education',
  'arts_performance',
  'festival_event',
  'counselling_session',
  'summer_programme',
  'other',
] as const;
const SUBJECTS = ['art', 'go', 'calligraphy', 'music', 'dance', 'sport', 'handicraft', 'other'];

/** `YYYY-MM-DDTHH:mm` in the phone's own time, for datetime-local inputs. */
const localInput = (date: Date): string => {
  const d = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};
/** The Beijing month of now. */
const beijingMonth = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
const time = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

interface ActivityForm {
  kind: string;
  subject?: string;
  otherDescription?: string;
  title: string;
  startsAt: string;
  endsAt: string;
  place?: string;
  attendeeChildIds: string[];
  notes?: string;
}

export default function FacilityPage() {
  const { t, dict } = useI18n();
  const principal = usePrincipal();
  const [facilityId, setFacilityId] = useState(principal.facilities[0] ?? '');
  const queryClient = useQueryClient();
  const online = useOnline();
  const queue = useQueue();
  const month = beijingMonth();

  const facility = useQuery({
    queryKey: ['facility', facilityId],
    queryFn: () => api<Facility>(`/api/facilities/facilities/${facilityId}`),
    enabled: Boolean(facilityId),
  });
  const children = useQuery({
    queryKey: ['facility-children', facilityId],
    queryFn: () => api<{ items: EnrolledChild[] }>(`/api/facilities/facilities/${facilityId}/children`),
    enabled: Boolean(facilityId),
  });
  const activities = useQuery({
    queryKey: ['facility-activities', facilityId, month],
    queryFn: () => api<{ items: Activity[] }>(`/api/facilities/facilities/${facilityId}/activities?month=${month}`),
    enabled: Boolean(facilityId),
  });

  // Send what waits when the connection returns, when the page opens or regains focus, and every 10 s.
  useEffect(() => {
    // Tried even when the browser says it is offline: a failed try costs nothing, and
    // `navigator.onLine` is not always right (captive portals, some Android WebViews).
    const send = () => {
      void flush().then((sent) => {
        if (sent > 0) void queryClient.invalidateQueries({ queryKey: ['facility-activities'] });
      });
    };
    send();
    window.addEventListener('online', send);
    window.addEventListener('focus', send);
    const timer = setInterval(send, 10_000);
    return () => {
      window.removeEventListener('online', send);
      window.removeEventListener('focus', send);
      clearInterval(timer);
    };
  }, [queryClient]);

  const names = useMemo(() => new Map((children.data?.items ?? []).map((c) => [c.childId, c.name])), [children.data]);
  const waiting = queue.filter((q) => q.facilityId === facilityId);

  const activityTab = (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <LogActivity
        facilityId={facilityId}
        children={children.data?.items ?? []}
        onLogged={() => void queryClient.invalidateQueries({ queryKey: ['facility-activities'] })}
      />
      <Card
        size="small"
        title={
          <span>
            {t('queue')} <Badge count={waiting.length} showZero color={waiting.length ? '#fa8c16' : '#52c41a'} />
          </span>
        }
        extra={
          waiting.length > 0 && online ? (
            <Button
              size="small"
              onClick={() =>
                void flush().then(() => queryClient.invalidateQueries({ queryKey: ['facility-activities'] }))
              }
            >
              {t('sendNow')}
            </Button>
          ) : null
        }
        data-testid="queue"
      >
        {waiting.length === 0 ? (
          <Typography.Text type="secondary">{t('queueEmpty')}</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={waiting}
            renderItem={(q) => (
              <List.Item
                data-testid="queued-item"
                actions={
                  q.error
                    ? [
                        <a key="discard" onClick={() => discard(q.activityId)}>
                          {t('discard')}
                        </a>,
                      ]
                    : []
                }
              >
                <List.Item.Meta
                  title={String(q.body.title)}
                  description={
                    q.error ? (
                      <Typography.Text type="danger">
                        {t('failed')}：{q.error}
                      </Typography.Text>
                    ) : (
                      `${time(String(q.body.startsAt))} · ${t('attendeesPicked', { n: (q.body.attendeeChildIds as string[]).length })}`
                    )
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card size="small" title={`${t('activitiesThisMonth')}（${month}）`} data-testid="activities">
        <List
          loading={activities.isLoading}
          locale={{ emptyText: <Empty description={t('none')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
          dataSource={[...(activities.data?.items ?? [])].reverse()}
          renderItem={(a) => (
            <List.Item data-testid="activity-item">
              <List.Item.Meta
                title={
                  <Space wrap size={4}>
                    <span>{a.title}</span>
                    <Tag color="blue">{dict.kinds[a.kind] ?? a.kind}</Tag>
                  </Space>
                }
                description={
                  <>
                    <div>
                      {time(a.startsAt)}–{time(a.endsAt)} {a.place}
                    </div>
                    <div>
                      {t('attendees')}（{a.attendeeChildIds.length}）：
                      {a.attendeeChildIds.map((id) => names.get(id) ?? id).join('、')}
                    </div>
                  </>
                }
              />
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      {!online && <Alert type="warning" showIcon title={t('offline')} data-testid="offline-banner" />}
      {principal.facilities.length > 1 && (
        <Select
          value={facilityId}
          onChange={setFacilityId}
          options={principal.facilities.map((id) => ({ value: id, label: id }))}
          style={{ width: '100%' }}
        />
      )}
      <Card size="small" loading={facility.isLoading} data-testid="my-home">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {facility.data?.name ?? t('myHome')}
        </Typography.Title>
        <Typography.Text type="secondary">
          {[facility.data?.regionName, facility.data?.address].filter(Boolean).join(' · ')}
        </Typography.Text>
        {facility.data?.openingHours && (
          <div>
            {t('openingHours')}：{facility.data.openingHours}
          </div>
        )}
      </Card>
      <Tabs
        defaultActiveKey="activities"
        items={[
          { key: 'activities', label: t('logActivity'), children: activityTab },
          {
            key: 'children',
            label: `${t('myChildren')}（${children.data?.items.length ?? 0}）`,
            children: <MyChildren facilityId={facilityId} items={children.data?.items ?? []} />,
          },
          {
            key: 'evaluation',
            label: t('evaluation'),
            children: <EvaluationCard facilityId={facilityId} month={month} />,
          },
        ]}
      />
    </Space>
  );
}

function LogActivity({
  facilityId,
  children,
  onLogged,
}: {
  facilityId: string;
  children: EnrolledChild[];
  onLogged: () => void;
}) {
  const { t, dict } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ActivityForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const kind = Form.useWatch('kind', form);
  const picked = Form.useWatch('attendeeChildIds', form) ?? [];

  const initial = (): Partial<ActivityForm> => {
    const now = new Date();
    // An hour ago, but not before midnight in Beijing: it stays in "this month" and "today".
    const midnight = new Date(`${new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)}T00:00:00+08:00`);
    return {
      kind: 'reading',
      title: dict.kinds.reading,
      startsAt: localInput(new Date(Math.max(now.getTime() - 60 * 60_000, midnight.getTime()))),
      endsAt: localInput(now),
      attendeeChildIds: [],
    };
  };

  const submit = async (values: ActivityForm) => {
    setError(undefined);
    const body: Record<string, unknown> = {
      kind: values.kind,
      title: values.title.trim(),
      startsAt: new Date(values.startsAt).toISOString(),
      endsAt: new Date(values.endsAt).toISOString(),
      attendeeChildIds: values.attendeeChildIds ?? [],
      ...(values.place ? { place: values.place } : {}),
      ...(values.notes ? { notes: values.notes } : {}),
      ...(values.subject ? { subject: values.subject } : {}),
      ...(values.otherDescription ? { otherDescription: values.otherDescription } : {}),
    };
    const activityId = newActivityId();
    const keep = () => {
      enqueue({ activityId, facilityId, body });
      void message.info(t('queued'));
      form.resetFields();
      form.setFieldsValue(initial());
    };
    if (!navigator.onLine) return keep();
    setBusy(true);
    try {
      await postActivity(facilityId, activityId, body);
      void message.success(t('saved'));
      form.resetFields();
      form.setFieldsValue(initial());
      onLogged();
    } catch (e) {
      if (e instanceof NetworkError) return keep();
      const rest = showFieldErrors(form, e);
      if (!(e instanceof ApiError) || rest.length > 0 || Object.keys(e.fields).length === 0) {
        setError([messageOf(e, t('serverError'), t('networkError')), ...rest].join('；'));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('logActivity')}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="activity-error" />}
      <Form
        form={form}
        layout="vertical"
        initialValues={initial()}
        onFinish={(v) => void submit(v)}
        onValuesChange={(changed: Partial<ActivityForm>) => {
          if (changed.kind) form.setFieldValue('title', dict.kinds[changed.kind] ?? '');
        }}
      >
        <Form.Item name="kind" label={t('activityKind')} rules={[{ required: true }]}>
          <Select
            size="large"
            options={KINDS.map((k) => ({ value: k, label: dict.kinds[k] }))}
            data-testid="activity-kind"
          />
        </Form.Item>
        {kind === 'talent_class' && (
          <Form.Item name="subject" label={t('subject')} rules={[{ required: true }]}>
            <Select options={SUBJECTS.map((s) => ({ value: s, label: s }))} />
          </Form.Item>
        )}
        {kind === 'other' && (
          <Form.Item name="otherDescription" label={t('otherDescription')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        )}
        <Form.Item name="title" label={t('activityTitle')} rules={[{ required: true, max: 100 }]}>
          <Input size="large" data-testid="activity-title" />
        </Form.Item>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))', columnGap: 12 }}>
          <Form.Item name="startsAt" label={t('startsAt')} rules={[{ required: true }]}>
            <Input type="datetime-local" />
          </Form.Item>
          <Form.Item
            name="endsAt"
            label={t('endsAt')}
            dependencies={['startsAt']}

            rules={[
              { required: true },
              ({ getFieldValue }) => ({
                validator: async (_r, value: string) => {
                  if (value && value <= String(getFieldValue('startsAt')))
                    throw new Error(t('endsAt') + ' > ' + t('startsAt'));
                },
              }),
            ]}
          >
            <Input type="datetime-local" />
          </Form.Item>
        </div>
        <Form.Item
          name="attendeeChildIds"
          label={
            <Space>
              {t('attendees')}
              <Typography.Text type="secondary">{t('attendeesPicked', { n: picked.length })}</Typography.Text>
              <a
                onClick={() =>
                  form.setFieldValue(
                    'attendeeChildIds',
                    children.map((c) => c.childId),
                  )
                }
              >
                {t('selectAll')}
              </a>
            </Space>
          }
        >
          <Checkbox.Group
            style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(120px, 1fr))', gap: 8 }}
          >
            {children.map((c) => (
              <Checkbox key={c.childId} value={c.childId} data-testid="attendee" style={{ padding: '6px 0' }}>
                {c.name}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
        <Form.Item name="place" label={t('place')}>
          <Input />
        </Form.Item>
        <Form.Item name="notes" label={t('notes')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="log-activity">
          {t('submit')}
        </Button>
      </Form>
    </Card>
  );
}

function MyChildren({ facilityId, items }: { facilityId: string; items: EnrolledChild[] }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<string>();
  const file = useQuery({
    queryKey: ['file', facilityId, open],
    queryFn: () =>
      api<{ interests?: string[]; strengths?: string[]; needs?: string[]; counsellingRecords?: number }>(
        `/api/facilities/facilities/${facilityId}/children/${open}/file`,
      ),
    enabled: Boolean(open),
  });
  return (
    <List
      dataSource={items}
      locale={{ emptyText: t('none') }}
      renderItem={(c) => (
        <List.Item
          onClick={() => setOpen(open === c.childId ? undefined : c.childId)}
          style={{ cursor: 'pointer', display: 'block' }}
        >
          <Space wrap>
            <strong>{c.name}</strong>
            <span>{c.sex === 'female' ? t('female') : t('male')}</span>
            <span>{c.birthDate}</span>
            {c.fileComplete ? (
              <Tag color="green">{t('fileComplete')}</Tag>
            ) : (
              <Tag color="orange">{t('fileIncomplete')}</Tag>
            )}
          </Space>
          {open === c.childId && (
            <Descriptions size="small" column={1} style={{ marginTop: 8 }} title={t('personalFiles')}>
              <Descriptions.Item label="兴趣 / Interests">{file.data?.interests?.join('、') || '—'}</Descriptions.Item>
              <Descriptions.Item label="特长 / Strengths">{file.data?.strengths?.join('、') || '—'}</Descriptions.Item>
              <Descriptions.Item label="需求 / Needs">{file.data?.needs?.join('、') || '—'}</Descriptions.Item>
            </Descriptions>
          )}
        </List.Item>
      )}
    />
  );
}

function EvaluationCard({ facilityId, month }: { facilityId: string; month: string }) {
  const { t } = useI18n();
  const evaluation = useQuery({
    queryKey: ['evaluation', facilityId, month],
    queryFn: () => api<Evaluation>(`/api/facilities/facilities/${facilityId}/evaluations/${month}`),
    enabled: Boolean(facilityId),
  });
  if (evaluation.error) return <Alert type="info" title={messageOf(evaluation.error, t('none'), t('networkError'))} />;
  return (
    <Card size="small" loading={evaluation.isLoading} title={`${t('evaluation')}（${month}）`}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {evaluation.data?.grade ?? '—'}
      </Typography.Title>
      <div>
        {t('total')}：{evaluation.data?.totalScore ?? '—'}
      </div>
    </Card>
  );
}
