/**
 * One volunteer event for its coordinator: sign-ups (children by their register ID, volunteers by
 * role through the safeguarding gate), attendance of a day, hours per attending volunteer, and
 * closing. Every write shows the server's problem message beside the field it concerns.
 */
import {
  ZAssignInput,
  ZAttendanceInput,
  ZChildSignUpInput,
  ZCloseInput,
  ZHoursInput,
} from '@tongxin/contracts/volunteers/api';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  type FormInstance,
} from 'antd';
import { useEffect, useState } from 'react';

import { api, ApiError } from '../api';
import { placeFieldErrors, validateWith, formErrorText } from '../forms';
import { useI18n } from '../i18n';
import { regionLabel } from '../township';

export interface VolunteerEvent {
  id: string;
  title: string;
  kind: string;
  startsOn: string;
  endsOn: string;
  venue: { kind: string; name?: string; address?: string; facilityId?: string };
  regionCode?: string;
  regionName?: string;
  capacity: number;
  roles: { roleId: string; name: string; slots: number; assigned: number }[];
  status: string;
  registeredCount: number;
  waitlistCount: number;
  placesLeft: number;
  children?: { childId: string; name: string }[];
  waitlist?: { childId: string; name: string; position: number }[];
  attendance?: { on: string; childIds: string[]; volunteerIds: string[] }[];
  volunteers: { volunteerId: string; displayName: string; roleId: string; via: string }[];
  attendedVolunteerIds: string[];
  hours: { volunteerId: string; minutes: number }[];
  closed?: { closedOn: string; outcome: string };
}
export interface VolunteerOption {
  id: string;
  displayName: string;
  safeguarding: { clearedForChildren: boolean };
}

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
export const hoursOf = (minutes: number) => (minutes / 60).toFixed(1);

/** Runs a write; problem codes listed in `beside` go next to that field, the rest to the form's fields or an alert. */
function useWrite(
  form: FormInstance,
  beside: Record<string, (string | number)[]>,
  onProblem?: (e: ApiError) => boolean,
) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  /** The API's own schema first: true when it refuses the body (shown beside the fields; nothing is sent). */
  const refuses = (
    schema: Parameters<typeof validateWith>[0],
    body: unknown,
    aliases: Record<string, (string | number)[]> = {},
  ) => {
    setError(undefined);
    const problems = validateWith(schema, body, lang);
    if (!problems) return false;
    const rest = placeFieldErrors(form, problems, aliases);
    if (rest.length > 0) setError(rest.join('；'));
    return true;
  };
  const run = async (
    call: () => Promise<unknown>,
    done: string | (() => string),
    aliases: Record<string, (string | number)[]> = {},
  ) => {
    setError(undefined);
    setBusy(true);
    try {
      await call();
      void message.success(typeof done === 'string' ? done : done());
      await queryClient.invalidateQueries({ queryKey: ['volunteer-event'] });
      void queryClient.invalidateQueries({ queryKey: ['volunteer-events'] });
      return true;
    } catch (e) {
      const field = e instanceof ApiError && e.code ? beside[e.code] : undefined;
      if (e instanceof ApiError && onProblem?.(e)) {
        // shown by the caller
      } else if (e instanceof ApiError && field) {
        form.setFields([{ name: field, errors: [e.problem.detail ?? e.message] }]);
      } else {
        const text = formErrorText(form, e, { server: t('serverError'), network: t('networkError') }, aliases);
        if (text) setError(text);
      }
      return false;
    } finally {
      setBusy(false);
    }
  };
  const alert = error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} /> : null;
  return { run, refuses, busy, alert };
}

export function EventDetail({ eventId, volunteers }: { eventId: string; volunteers: VolunteerOption[] }) {
  const { t, dict, lang } = useI18n();
  const query = useQuery({
    queryKey: ['volunteer-event', eventId],
    queryFn: () => api<VolunteerEvent>(`/api/volunteers/events/${eventId}`),
  });
  const event = query.data;
  if (!event) return <Card size="small" loading={query.isLoading} />;
  const closed = event.status === 'closed';
  const path = `/api/volunteers/events/${event.id}`;
  const roleName = (roleId: string) => event.roles.find((r) => r.roleId === roleId)?.name ?? roleId;
  const minutes = new Map(event.hours.map((h) => [h.volunteerId, h.minutes]));
  const attendedChildren = new Set((event.attendance ?? []).flatMap((a) => a.childIds));
  const attendedVolunteers = new Set(event.attendedVolunteerIds);
  const venue = event.venue.name ?? event.venue.address ?? event.venue.facilityId ?? '';
  const presence = (yes: boolean) => (yes ? <Tag color="green">{t('present')}</Tag> : <Tag>{t('absent')}</Tag>);

  return (
    <Card size="small" title={event.title} data-testid="event-detail">
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }}>
        <Descriptions.Item label={t('activityKind')}>{dict.eventKinds[event.kind] ?? event.kind}</Descriptions.Item>
        <Descriptions.Item label={t('eventDates')}>
          {event.startsOn === event.endsOn ? event.startsOn : `${event.startsOn} – ${event.endsOn}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('venue')}>
          {[regionLabel(lang, event.regionCode, event.regionName), venue].filter(Boolean).join(' ')}
        </Descriptions.Item>
        <Descriptions.Item label={t('status')}>
          <Tag color={closed ? 'default' : 'blue'} data-testid="event-status">
            {dict.eventStatuses[event.status] ?? event.status}
            {event.closed ? ` · ${dict.eventOutcomes[event.closed.outcome] ?? event.closed.outcome}` : ''}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('capacity')}>{event.capacity}</Descriptions.Item>
        <Descriptions.Item label={t('placesLeft')}>{event.placesLeft}</Descriptions.Item>
      </Descriptions>

      <Typography.Title level={5}>
        {t('registeredChildren')}（{event.registeredCount}）
      </Typography.Title>
      <Table
        size="small"
        rowKey="childId"
        pagination={false}
        data-testid="event-children"
        dataSource={event.children ?? []}
        scroll={{ x: true }}
        columns={[
          { title: t('name'), dataIndex: 'name' },
          { title: t('childId'), dataIndex: 'childId' },
          { title: t('attendance'), render: (_, c) => presence(attendedChildren.has(c.childId)) },
        ]}
      />
      {(event.waitlist ?? []).length > 0 && (
        <Typography.Paragraph type="secondary">
          {t('waitlist')}：{(event.waitlist ?? []).map((w) => `${w.position}. ${w.name}`).join('、')}
        </Typography.Paragraph>
      )}
      {!closed && <SignUpChild path={path} />}

      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('assignedVolunteers')}（{event.volunteers.length}）
      </Typography.Title>
      <Table
        size="small"
        rowKey="volunteerId"
        pagination={false}
        data-testid="event-volunteers"
        dataSource={event.volunteers}
        scroll={{ x: true }}
        columns={[
          { title: t('name'), dataIndex: 'displayName' },
          { title: t('volunteerRole'), render: (_, v) => roleName(v.roleId) },
          { title: t('signUps'), render: (_, v) => dict.via[v.via] ?? v.via },
          { title: t('attendance'), render: (_, v) => presence(attendedVolunteers.has(v.volunteerId)) },
          {
            title: t('confirmedHours'),
            render: (_, v) => {
              const m = minutes.get(v.volunteerId);
              return m === undefined ? (
                <Tag>{t('notConfirmed')}</Tag>
              ) : (
                <span data-testid="confirmed-hours">{hoursOf(m)}</span>
              );
            },
          },
        ]}
      />
      {!closed && <AssignVolunteer path={path} event={event} volunteers={volunteers} />}

      {!closed && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('recordAttendance')}
          </Typography.Title>
          <Attendance path={path} event={event} />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('confirmHours')}
          </Typography.Title>
          <Hours path={path} event={event} />
          <CloseEvent path={path} />
        </>
      )}
    </Card>
  );
}

function SignUpChild({ path }: { path: string }) {
  const { t, dict } = useI18n();
  const [form] = Form.useForm<{ childId: string }>();
  const beside = Object.fromEntries(
    [
      'child_unknown',
      'child_exited',
      'region_not_eligible',
      'category_not_eligible',
      'age_not_eligible',
      'already_registered',
      'already_waitlisted',
      'registration_closed',
      'registration_not_open',
    ].map((c) => [c, ['childId']]),
  );
  const { run, refuses, busy, alert } = useWrite(form, beside);
  let outcome = '';
  const signUp = (childId: string) => {
    const body = { childId: childId.trim() };
    if (refuses(ZChildSignUpInput, body)) return;
    void run(
      async () => {
        const res = await api<{ outcome: string }>(`${path}/children`, { method: 'POST', body });
        outcome = dict.signUpOutcomes[res.outcome] ?? res.outcome;
      },
      () => t('signedUp', { outcome }),
    ).then((ok) => {
      if (ok) form.resetFields();
    });
  };
  return (
    <>
      {alert}
      <Form form={form} layout="inline" style={{ rowGap: 8, marginTop: 8 }} onFinish={(v) => signUp(v.childId)}>
        <Form.Item name="childId" label={t('signUpChild')} rules={[{ required: true, whitespace: true }]}>
          <Input style={{ width: 260 }} placeholder={t('childId')} data-testid="signup-child-id" />
        </Form.Item>
        <Button htmlType="submit" loading={busy} data-testid="signup-child">
          {t('signUp')}
        </Button>
      </Form>
    </>
  );
}

function AssignVolunteer({
  path,
  event,
  volunteers,
}: {
  path: string;
  event: VolunteerEvent;
  volunteers: VolunteerOption[];
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ volunteerId: string; roleId: string }>();
  const beside: Record<string, string[]> = {
    role_full: ['roleId'],
    skill_missing: ['volunteerId'],
    already_assigned: ['volunteerId'],
    volunteer_unknown: ['volunteerId'],
    training_missing: ['volunteerId'],
  };
  for (const c of ['missing', 'revoked', 'not_yet_valid', 'expired', 'expires_during_event'])
    beside[`clearance_${c}`] = ['volunteerId'];
  const { run, refuses, busy, alert } = useWrite(form, beside);
  const assign = (body: { volunteerId: string; roleId: string }) => {
    if (refuses(ZAssignInput, body)) return;
    void run(() => api(`${path}/volunteers`, { method: 'POST', body }), t('assigned')).then((ok) => {
      if (ok) form.resetFields(['volunteerId']);
    });
  };
  const taken = new Set(event.volunteers.map((v) => v.volunteerId));
  return (
    <>
      {alert}
      <Form
        form={form}
        layout="inline"
        style={{ rowGap: 8, marginTop: 8 }}
        initialValues={event.roles.length === 1 ? { roleId: event.roles[0]!.roleId } : {}}
        onFinish={(v) => assign(v)}
      >
        <Form.Item name="volunteerId" label={t('assignVolunteer')} rules={[{ required: true }]}>
          <Select
            style={{ minWidth: 180 }}
            data-testid="assign-volunteer"
            showSearch={{ optionFilterProp: 'label' }}
            options={volunteers
              .filter((v) => !taken.has(v.id))
              .map((v) => ({
                value: v.id,
                label: v.displayName,
              }))}
          />
        </Form.Item>
        <Form.Item name="roleId" label={t('volunteerRole')} rules={[{ required: true }]}>
          <Select
            style={{ minWidth: 160 }}
            data-testid="assign-role"
            options={event.roles.map((r) => ({ value: r.roleId, label: `${r.name}（${r.assigned}/${r.slots}）` }))}
          />
        </Form.Item>
        <Button htmlType="submit" loading={busy} data-testid="assign">
          {t('assign')}
        </Button>
      </Form>
    </>
  );
}

interface AttendanceValues {
  on: string;
  childIds: string[];
  volunteerIds: string[];
}

function Attendance({ path, event }: { path: string; event: VolunteerEvent }) {
  const { t } = useI18n();
  const [form] = Form.useForm<AttendanceValues>();
  const { run, refuses, busy, alert } = useWrite(form, {
    attendance_outside_event: ['on'],
    attendance_in_future: ['on'],
  });
  const record = (v: AttendanceValues) => {
    const body = { on: v.on, childIds: v.childIds ?? [], volunteerIds: v.volunteerIds ?? [] };
    if (refuses(ZAttendanceInput, body)) return;
    void run(() => api(`${path}/attendance`, { method: 'POST', body }), t('attendanceRecorded'));
  };
  const on = Form.useWatch('on', form);
  // The day's earlier record, if any, is what the boxes start from (a new record replaces it).
  useEffect(() => {
    const record = (event.attendance ?? []).find((a) => a.on === on);
    form.setFieldsValue({ childIds: record?.childIds ?? [], volunteerIds: record?.volunteerIds ?? [] });
  }, [on, event.attendance, form]);
  const day = today();
  return (
    <>
      {alert}
      <Form<AttendanceValues>
        form={form}
        layout="vertical"
        initialValues={{
          on: day < event.startsOn ? event.startsOn : day > event.endsOn ? event.endsOn : day,
          childIds: [],
          volunteerIds: [],
        }}
        onFinish={(v) => record(v)}
      >
        <Form.Item name="on" label={t('attendanceOn')} rules={[{ required: true }]}>
          <Input type="date" min={event.startsOn} max={event.endsOn} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="childIds" label={t('registeredChildren')}>
          <Checkbox.Group
            data-testid="attendance-children"
            options={(event.children ?? []).map((c) => ({ value: c.childId, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="volunteerIds" label={t('assignedVolunteers')}>
          <Checkbox.Group
            data-testid="attendance-volunteers"
            options={event.volunteers.map((v) => ({ value: v.volunteerId, label: v.displayName }))}
          />
        </Form.Item>
        <Button htmlType="submit" loading={busy} data-testid="record-attendance">
          {t('recordAttendance')}
        </Button>
      </Form>
    </>
  );
}

function Hours({ path, event }: { path: string; event: VolunteerEvent }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ hours: Record<string, number | null | undefined> }>();
  // volunteer_not_attended and minutes_exceed_event name the volunteers: the message goes beside their hours.
  const { run, refuses, busy, alert } = useWrite(form, {}, (e) => {
    const ids = e.problem.volunteerIds;
    if (!Array.isArray(ids) || ids.length === 0) return false;
    form.setFields(ids.map((id) => ({ name: ['hours', String(id)], errors: [e.problem.detail ?? e.message] })));
    return true;
  });
  const attending = event.volunteers.filter((v) => event.attendedVolunteerIds.includes(v.volunteerId));
  if (attending.length === 0) return <Typography.Text type="secondary">{t('none')}</Typography.Text>;
  const confirmed = Object.fromEntries(event.hours.map((h) => [h.volunteerId, Number(hoursOf(h.minutes))]));

  const submit = async (values: { hours?: Record<string, number | null | undefined> }) => {
    const entries = Object.entries(values.hours ?? {})
      .filter(([, h]) => typeof h === 'number' && h > 0)
      .map(([volunteerId, h]) => ({ volunteerId, minutes: Math.round((h as number) * 60) }));
    if (entries.length === 0) {
      form.setFields(attending.map((v) => ({ name: ['hours', v.volunteerId], errors: [t('hoursInput')] })));
      return;
    }
    const aliases = Object.fromEntries(entries.map((e, i) => [`entries.${i}.minutes`, ['hours', e.volunteerId]]));
    if (refuses(ZHoursInput, { entries }, aliases)) return;
    await run(() => api(`${path}/hours`, { method: 'POST', body: { entries } }), t('hoursConfirmed'), aliases);
  };
  return (
    <>
      {alert}
      <Form
        form={form}
        layout="inline"
        style={{ rowGap: 8 }}
        initialValues={{ hours: confirmed }}
        onFinish={(v) => void submit(v)}
      >
        {attending.map((v) => (
          <Form.Item key={v.volunteerId} name={['hours', v.volunteerId]} label={`${v.displayName} ${t('hoursInput')}`}>
            <InputNumber min={0} max={24 * 60} step={0.5} data-testid={`hours-${v.volunteerId}`} />
          </Form.Item>
        ))}
        <Button htmlType="submit" loading={busy} data-testid="confirm-hours">
          {t('confirmHours')}
        </Button>
      </Form>
    </>
  );
}

function CloseEvent({ path }: { path: string }) {
  const { t, dict } = useI18n();
  const [form] = Form.useForm<{ outcome: string }>();
  const { run, refuses, busy, alert } = useWrite(form, {});
  const close = (outcome: string) => {
    const body = { closedOn: today(), outcome };
    if (refuses(ZCloseInput, body)) return;
    void run(() => api(`${path}/close`, { method: 'POST', body }), t('eventClosed'));
  };
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('closeEvent')}
      </Typography.Title>
      {alert}
      <Form form={form} layout="inline" initialValues={{ outcome: 'completed' }} onFinish={(v) => close(v.outcome)}>
        <Form.Item name="outcome" label={t('outcome')}>
          <Select
            style={{ width: 140 }}
            options={Object.entries(dict.eventOutcomes).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Space>
          <Button danger htmlType="submit" loading={busy} data-testid="close-event">
            {t('closeEvent')}
          </Button>
        </Space>
      </Form>
    </>
  );
}
