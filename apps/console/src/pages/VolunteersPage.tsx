/** Volunteer coordinators: volunteers with their clearance and expiry warnings; events with sign-ups, attendance and hours. */
import { useQuery } from '@tanstack/react-query';
import { Card, Space, Table, Tag } from 'antd';

import { api } from '../api';
import { useI18n } from '../i18n';

interface Volunteer {
  id: string;
  displayName: string;
  phone: string;
  skills: string[];
  status: string;
  safeguarding: { clearanceStatus: string; clearedForChildren: boolean; clearanceExpiresOn?: string };
}
interface VolunteerEvent {
  id: string;
  title: string;
  kind?: string;
  startsAt?: string;
  status?: string;
  children?: unknown[];
  volunteers?: { volunteerId: string; status?: string; minutes?: number }[];
}

const DAY = 86_400_000;

export default function VolunteersPage() {
  const { t } = useI18n();
  const volunteers = useQuery({
    queryKey: ['volunteers'],
    queryFn: () => api<{ items: Volunteer[] }>('/api/volunteers/volunteers'),
  });
  const events = useQuery({
    queryKey: ['volunteer-events'],
    queryFn: () => api<{ items: VolunteerEvent[] }>('/api/volunteers/events'),
  });
  const expiry = (v: Volunteer) => {
    const on = v.safeguarding.clearanceExpiresOn;
    if (!on) return <Tag>{v.safeguarding.clearanceStatus}</Tag>;
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
            { title: '电话 / Phone', dataIndex: 'phone' },
            { title: '技能 / Skills', render: (_, v) => v.skills.join('、') },
            {
              title: t('clearance'),
              render: (_, v) =>
                v.safeguarding.clearedForChildren ? (
                  <Tag color="green">{v.safeguarding.clearanceStatus}</Tag>
                ) : (
                  <Tag color="red">{v.safeguarding.clearanceStatus}</Tag>
                ),
            },
            { title: t('expiresOn'), render: (_, v) => expiry(v) },
          ]}
        />
      </Card>
      <Card title={t('events')} size="small">
        <Table<VolunteerEvent>
          size="small"
          rowKey="id"
          loading={events.isLoading}
          dataSource={events.data?.items ?? []}
          scroll={{ x: true }}
          columns={[
            { title: t('activityTitle'), dataIndex: 'title' },
            { title: t('startsAt'), render: (_, e) => e.startsAt?.slice(0, 16).replace('T', ' ') },
            { title: t('status'), dataIndex: 'status' },
            { title: '报名 / Sign-ups', render: (_, e) => `${e.children?.length ?? 0} / ${e.volunteers?.length ?? 0}` },
            {
              title: t('hours'),
              render: (_, e) => ((e.volunteers ?? []).reduce((s, v) => s + (v.minutes ?? 0), 0) / 60).toFixed(1),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
