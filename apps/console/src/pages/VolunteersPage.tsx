/** Volunteer coordinators: volunteers with their clearance and expiry warnings; events with sign-ups, attendance and hours. */
import { useQuery } from '@tanstack/react-query';
import { Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';

import { api } from '../api';
import { useI18n } from '../i18n';
import { EventDetail, hoursOf, type VolunteerEvent } from './VolunteerEventDetail';

interface Volunteer {
  id: string;
  displayName: string;
  phone: string;
  skills: string[];
  status: string;
  safeguarding: { clearanceStatus: string; clearedForChildren: boolean; clearanceExpiresOn?: string };
}
const DAY = 86_400_000;

export default function VolunteersPage() {
  const { t, dict } = useI18n();
  const [selected, setSelected] = useState<string>();
  const volunteers = useQuery({
    queryKey: ['volunteers'],
    queryFn: () => api<{ items: Volunteer[] }>('/api/volunteers/volunteers'),
  });
  const events = useQuery({
    queryKey: ['volunteer-events'],
    queryFn: () => api<{ items: VolunteerEvent[] }>('/api/volunteers/events'),
  });
  const clearance = (v: Volunteer) =>
    dict.clearanceStatuses[v.safeguarding.clearanceStatus] ?? v.safeguarding.clearanceStatus;
  const expiry = (v: Volunteer) => {
    const on = v.safeguarding.clearanceExpiresOn;
    if (!on) return <Tag>{clearance(v)}</Tag>;
    const left = new Date(on).getTime() - Date.now();
    if (left < 0)
      return (
        <Tag color="red">
          {t('expired')} {on}
        </Tag>
      );
    if (left < 60 * DAY)
      return (
        <Tag color="orange">
          {t('expiringSoon')} {on}
        </Tag>
      );
    return <Tag color="green">{on}</Tag>;
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card title={t('volunteers')} size="small">
        <Table<Volunteer>
          size="small"
          rowKey="id"
          loading={volunteers.isLoading}
          dataSource={volunteers.data?.items ?? []}
          scroll={{ x: true }}
          columns={[
            { title: t('name'), dataIndex: 'displayName' },
            { title: t('phone'), dataIndex: 'phone' },
            { title: t('skills'), render: (_, v) => v.skills.join('、') },
            {
              title: t('clearance'),
              render: (_, v) =>
                v.safeguarding.clearedForChildren ? (
                  <Tag color="green">{clearance(v)}</Tag>
                ) : (
                  <Tag color="red">{clearance(v)}</Tag>
                ),
            },
            { title: t('expiresOn'), render: (_, v) => expiry(v) },
          ]}
        />
      </Card>
      <Card
        title={t('events')}
        size="small"
        extra={<Typography.Text type="secondary">{t('selectEvent')}</Typography.Text>}
      >
        <Table<VolunteerEvent>
          size="small"
          rowKey="id"
          loading={events.isLoading}
          dataSource={events.data?.items ?? []}
          scroll={{ x: true }}
          data-testid="events"
          // An event's `children` are its signed-up children, not nested rows.
          expandable={{ childrenColumnName: 'nestedRows' }}
          onRow={(e) => ({ onClick: () => setSelected(e.id), style: { cursor: 'pointer' } })}
          rowClassName={(e) => (e.id === selected ? 'ant-table-row-selected' : '')}
          columns={[
            { title: t('activityTitle'), dataIndex: 'title' },
            {
              title: t('eventDates'),
              render: (_, e) => (e.startsOn === e.endsOn ? e.startsOn : `${e.startsOn} – ${e.endsOn}`),
            },
            { title: t('status'), render: (_, e) => <Tag>{dict.eventStatuses[e.status] ?? e.status}</Tag> },
            { title: t('signUps'), render: (_, e) => `${e.registeredCount} / ${e.volunteers.length}` },
            {
              title: t('hours'),
              render: (_, e) => hoursOf(e.hours.reduce((s, h) => s + h.minutes, 0)),
            },
          ]}
        />
      </Card>
      {selected && <EventDetail key={selected} eventId={selected} volunteers={volunteers.data?.items ?? []} />}
    </Space>
  );
}
