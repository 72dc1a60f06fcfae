/**
 * The children's home manager's page, phone first: my home, log an activity in a few taps
 * (attendees picked from the enrolled children), what waits to be sent, this month's activities,
 * my children with their personal files, this month's evaluation.
 *
 * Its first load must stay under 3 s on a slow phone connection (README, "Size and first load"):
 * the heavy Ant Design components (Card pulls in Tabs and Dropdown, List pulls in Pagination and
 * Select, Descriptions, Badge, Tag) are replaced by the light ones below, the kind is a native
 * `<select>` (the phone's own picker), and what sits behind a tab loads when the tab is opened.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Form, Input, Space, Spin } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState, type CSSProperties, type ReactNode } from 'react';

import { api, messageOf, NetworkError } from '../api';
import { usePrincipal } from '../auth';
import { placeFieldErrors, validateWith, formErrorText } from '../forms';
import {
  beijingMonth,
  facilityActivitiesQuery,
  facilityChildrenQuery,
  facilityQuery,
  type EnrolledChild,
} from '../facility-queries';
import { useFeedback } from '../feedback';
import { useI18n } from '../i18n';
import { regionLabel } from '../township';
import { discard, enqueue, flush, newActivityId, postActivity, useOnline, useQueue } from '../offline-queue';

/** Acknowledging donors' deliveries: its own chunk, loaded when the tab is opened. */
const FacilityDeliveries = lazy(() => import('./FacilityDeliveries'));

/**
 * The API's own activity schema (and zod with it): not on the first load, fetched when the form is
 * first touched and awaited on submit. Offline without it cached, the activity is queued unchecked
 * and the server checks it when it is sent.
 */
let activitySchema: Promise<typeof import('@tongxin/contracts/facilities/api') | undefined> | undefined;
const loadActivitySchema = () =>
  (activitySchema ??= import('@tongxin/contracts/facilities/api').catch(() => {
    activitySchema = undefined;
    return undefined;
  }));

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
const time = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

const border = '1px solid #f0f0f0';

/** A card: title bar, optional action, body (a spinner while loading). */
function Panel({
  title,
  extra,
  loading,
  testId,
  children,
}: {
  title?: ReactNode;
  extra?: ReactNode;
  loading?: boolean;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <section data-testid={testId} style={{ background: '#fff', border, borderRadius: 8 }}>
      {(title || extra) && (
        <div
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            padding: '8px 12px',
            borderBottom: border,
            minHeight: 40,
          }}
        >
          <strong style={{ flex: 1 }}>{title}</strong>
          {extra}
        </div>
      )}
      <div style={{ padding: 12 }}>{loading ? <Spin size="small" /> : children}</div>
    </section>
  );
}

/** A list: one row per item, divided by a line; the text "none" when empty. */
function Rows<T>({
  items,
  render,
  loading,
  empty,
}: {
  items: T[];
  render: (item: T) => ReactNode;
  loading?: boolean;
  empty: string;
}) {
  if (loading) return <Spin size="small" />;
  if (items.length === 0) return <span style={secondary}>{empty}</span>;
  return <div>{items.map(render)}</div>;
}
const secondary: CSSProperties = { color: 'rgba(0, 0, 0, 0.45)' };
const danger: CSSProperties = { color: '#ff4d4f' };
const rowStyle: CSSProperties = { padding: '8px 0', borderBottom: border };

const LABEL_COLOURS = {
  blue: ['#e6f4ff', '#91caff', '#0958d9'],
  green: ['#f6ffed', '#b7eb8f', '#389e0d'],
  orange: ['#fff7e6', '#ffd591', '#d46b08'],
} as const;
/** A small coloured label (what antd's Tag looks like). */
const Label = ({ color, children }: { color: keyof typeof LABEL_COLOURS; children: ReactNode }) => {
  const [background, borderColor, text] = LABEL_COLOURS[color];
  return (
    <span
      style={{
        display: 'inline-block',
        padding: '0 7px',
        fontSize: 12,
        lineHeight: '20px',
        borderRadius: 4,
        border: `1px solid ${borderColor}`,
        background,
        color: text,
      }}
    >
      {children}
    </span>
  );
};
/** A count in a pill (what antd's Badge looks like). */
const Count = ({ n, color }: { n: number; color: string }) => (
  <span
    style={{
      display: 'inline-block',
      minWidth: 20,
      padding: '0 6px',
      borderRadius: 10,
      background: color,
      color: '#fff',
      fontSize: 12,
      lineHeight: '20px',
      textAlign: 'center',
      fontWeight: 'normal',
    }}
  >
    {n}
  </span>
);
/** The phone's own picker, sized like antd's large inputs. */
const nativeSelect: CSSProperties = {
  width: '100%',
  height: 40,
  padding: '0 11px',
  fontSize: 16,
  border: '1px solid #d9d9d9',
  borderRadius: 8,
  background: '#fff',
  color: 'rgba(0, 0, 0, 0.88)',
};

type TabKey = 'activities' | 'children' | 'evaluation' | 'deliveries';

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
  const { t, dict, lang } = useI18n();
  const principal = usePrincipal();
  const [facilityId, setFacilityId] = useState(principal.facilities[0] ?? '');
  const queryClient = useQueryClient();
  const online = useOnline();
  const queue = useQueue();
  const month = beijingMonth();

  const facility = useQuery(facilityQuery(facilityId));
  const children = useQuery(facilityChildrenQuery(facilityId));
  const activities = useQuery(facilityActivitiesQuery(facilityId, month));

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

  const [tab, setTab] = useState<TabKey>('activities');
  // A tab once opened stays mounted (hidden), so a half-filled form survives a look at the children.
  const [visited, setVisited] = useState<ReadonlySet<TabKey>>(() => new Set(['activities']));
  const open = (key: TabKey) => {
    setTab(key);
    setVisited((v) => new Set(v).add(key));
  };

  const activityTab = (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <LogActivity
        facilityId={facilityId}
        children={children.data?.items ?? []}
        onLogged={() => void queryClient.invalidateQueries({ queryKey: ['facility-activities'] })}
      />
      <Panel
        title={
          <span>
            {t('queue')} <Count n={waiting.length} color={waiting.length ? '#fa8c16' : '#52c41a'} />
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
        testId="queue"
      >
        <Rows
          items={waiting}
          empty={t('queueEmpty')}
          render={(q) => (
            <div key={q.activityId} data-testid="queued-item" style={{ ...rowStyle, display: 'flex', gap: 8 }}>
              <div style={{ flex: 1 }}>
                <div>{String(q.body.title)}</div>
                {q.error ? (
                  <span style={danger}>
                    {t('failed')}：{q.error}
                  </span>
                ) : (
                  <span style={secondary}>
                    {`${time(String(q.body.startsAt))} · ${t('attendeesPicked', { n: (q.body.attendeeChildIds as string[]).length })}`}
                  </span>
                )}
              </div>
              {q.error && (
                <Button type="link" size="small" onClick={() => discard(q.activityId)}>
                  {t('discard')}
                </Button>
              )}
            </div>
          )}
        />
      </Panel>
      <Panel title={`${t('activitiesThisMonth')}（${month}）`} testId="activities">
        <Rows
          loading={activities.isLoading}
          items={[...(activities.data?.items ?? [])].reverse()}
          empty={t('none')}
          render={(a) => (
            <div key={a.id} data-testid="activity-item" style={rowStyle}>
              <Space wrap size={4}>
                <span>{a.title}</span>
                <Label color="blue">{dict.kinds[a.kind] ?? a.kind}</Label>
              </Space>
              <div style={secondary}>
                {time(a.startsAt)}–{time(a.endsAt)} {a.place}
              </div>
              <div style={secondary}>
                {t('attendees')}（{a.attendeeChildIds.length}）：
                {a.attendeeChildIds.map((id) => names.get(id) ?? id).join('、')}
              </div>
            </div>
          )}
        />
      </Panel>
    </Space>
  );

  const tabs: { key: TabKey; label: string; content: ReactNode }[] = [
    { key: 'activities', label: t('logActivity'), content: activityTab },
    {
      key: 'children',
      label: `${t('myChildren')}（${children.data?.items.length ?? 0}）`,
      content: <MyChildren facilityId={facilityId} items={children.data?.items ?? []} />,
    },
    { key: 'evaluation', label: t('evaluation'), content: <EvaluationCard facilityId={facilityId} month={month} /> },
    {
      key: 'deliveries',
      label: t('incomingDeliveries'),
      content: (
        <Suspense fallback={<Spin size="small" />}>
          <FacilityDeliveries facilityId={facilityId} />
        </Suspense>
      ),
    },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      {!online && <Alert type="warning" showIcon title={t('offline')} data-testid="offline-banner" />}
      {principal.facilities.length > 1 && (
        <select value={facilityId} onChange={(e) => setFacilityId(e.target.value)} style={nativeSelect}>
          {principal.facilities.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      )}
      <Panel loading={facility.isLoading} testId="my-home">
        <h4 style={{ margin: 0, fontSize: 20, fontWeight: 600 }}>{facility.data?.name ?? t('myHome')}</h4>
        <span style={secondary}>
          {[regionLabel(lang, facility.data?.regionCode, facility.data?.regionName), facility.data?.address]
            .filter(Boolean)
            .join(' · ')}
        </span>
        {facility.data?.openingHours && (
          <div>
            {t('openingHours')}：{facility.data.openingHours}
          </div>
        )}
      </Panel>
      <div role="tablist" style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        {tabs.map(({ key, label }) => (
          <Button
            key={key}
            role="tab"
            aria-selected={tab === key}
            type={tab === key ? 'primary' : 'default'}
            onClick={() => open(key)}
          >
            {label}
          </Button>
        ))}
      </div>
      {tabs
        .filter(({ key }) => visited.has(key))
        .map(({ key, content }) => (
          <div key={key} role="tabpanel" hidden={tab !== key}>
            {content}
          </div>
        ))}
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
  const { t, dict, lang } = useI18n();
  const { message } = useFeedback();
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
    const schemas = await loadActivitySchema();
    const problems = schemas && validateWith(schemas.ZActivityInput, body, lang);
    if (problems) {
      const rest = placeFieldErrors(form, problems);
      if (rest.length > 0) setError(rest.join('；'));
      return;
    }
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
      const text = formErrorText(form, e, { server: t('serverError'), network: t('networkError') });
      if (text) setError(text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel title={t('logActivity')}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="activity-error" />}
      <Form
        form={form}
        layout="vertical"
        initialValues={initial()}
        onFinish={(v) => void submit(v)}
        onFocus={() => void loadActivitySchema()}
        onValuesChange={(changed: Partial<ActivityForm>) => {
          if (changed.kind) form.setFieldValue('title', dict.kinds[changed.kind] ?? '');
        }}
      >
        <Form.Item name="kind" label={t('activityKind')} rules={[{ required: true }]}>
          <select style={nativeSelect} data-testid="activity-kind">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {dict.kinds[k]}
              </option>
            ))}
          </select>
        </Form.Item>
        {kind === 'talent_class' && (
          <Form.Item name="subject" label={t('subject')} rules={[{ required: true }]}>
            <select style={nativeSelect}>
              <option value="" />
              {SUBJECTS.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
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
              <span style={secondary}>{t('attendeesPicked', { n: picked.length })}</span>
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
          <Input data-testid="activity-place" />
        </Form.Item>
        <Form.Item name="notes" label={t('notes')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="log-activity">
          {t('submit')}
        </Button>
      </Form>
    </Panel>
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
    <Panel>
      <Rows
        items={items}
        empty={t('none')}
        render={(c) => (
          <div
            key={c.childId}
            onClick={() => setOpen(open === c.childId ? undefined : c.childId)}
            style={{ ...rowStyle, cursor: 'pointer' }}
          >
            <Space wrap>
              <strong>{c.name}</strong>
              <span>{c.sex === 'female' ? t('female') : t('male')}</span>
              <span>{c.birthDate}</span>
              {c.fileComplete ? (
                <Label color="green">{t('fileComplete')}</Label>
              ) : (
                <Label color="orange">{t('fileIncomplete')}</Label>
              )}
            </Space>
            {open === c.childId && (
              <div style={{ marginTop: 8 }}>
                <strong>{t('personalFiles')}</strong>
                <dl style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '4px 12px', margin: '8px 0 0' }}>
                  <dt>兴趣 / Interests</dt>
                  <dd style={{ margin: 0 }}>{file.data?.interests?.join('、') || '—'}</dd>
                  <dt>特长 / Strengths</dt>
                  <dd style={{ margin: 0 }}>{file.data?.strengths?.join('、') || '—'}</dd>
                  <dt>需求 / Needs</dt>
                  <dd style={{ margin: 0 }}>{file.data?.needs?.join('、') || '—'}</dd>
                </dl>
              </div>
            )}
          </div>
        )}
      />
    </Panel>
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
    <Panel loading={evaluation.isLoading} title={`${t('evaluation')}（${month}）`}>
      <h2 style={{ margin: 0, fontSize: 30, fontWeight: 600 }}>{evaluation.data?.grade ?? '—'}</h2>
      <div>
        {t('total')}：{evaluation.data?.totalScore ?? '—'}
      </div>
    </Panel>
  );
}
