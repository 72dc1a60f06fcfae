/** Cases and mandatory reports of my regions, the overdue ones highlighted. */
import { useQuery } from '@tanstack/react-query';
import { Card, Segmented, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';

import { api } from '../api';
import { useI18n } from '../i18n';

interface Case {
  id: string;
  childId: string;
  caseTypeZh: string;
  caseType: string;
  ownerDepartment: string;
  status: string;
  dueAt: string;
  overdue: boolean;
}
interface Report {
  id: string;
  reporterOrganisation: string;
  childName?: string;
  status: string;
  receivedAt: string;
  dueAt: string;
  overdue: boolean;
}

const due = (iso: string, overdue: boolean, label: string) => (
  <Space>
    {iso.slice(0, 10)}
    {overdue && <Tag color="red">{label}</Tag>}
  </Space>
);

export default function CasesPage() {
  const { t, lang } = useI18n();
  const [onlyOverdue, setOnlyOverdue] = useState('all');
  const q = onlyOverdue === 'overdue' ? '?overdue=true' : '';
  const cases = useQuery({ queryKey: ['cases', q], queryFn: () => api<{ items: Case[] }>(`/api/registry/cases${q}`) });
  const reports = useQuery({
    queryKey: ['reports', q],
    queryFn: () => api<{ items: Report[] }>(`/api/registry/reports${q}`),
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Segmented
        value={onlyOverdue}
        onChange={(v) => setOnlyOverdue(String(v))}
        options={[
          { value: 'all', label: t('all') },
          { value: 'overdue', label: t('overdue') },
        ]}
      />
      <Card title={t('caseList')} size="small">
        <Table<Case>
          size="small"
          rowKey="id"
          loading={cases.isLoading}
          dataSource={cases.data?.items ?? []}
          rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
          columns={[
            { title: t('caseType'), render: (_, r) => (lang === 'zh' ? r.caseTypeZh : r.caseType) },
            { title: t('child'), render: (_, r) => <Link to={`/children/${r.childId}`}>{r.childId.slice(0, 8)}</Link> },
            { title: t('department'), dataIndex: 'ownerDepartment' },
            { title: t('status'), dataIndex: 'status' },
            { title: t('dueAt'), render: (_, r) => due(r.dueAt, r.overdue, t('overdue')) },
          ]}
        />
      </Card>
      <Card title={t('mandatoryReports')} size="small">
        <Table<Report>
          size="small"
          rowKey="id"
          loading={reports.isLoading}
          dataSource={reports.data?.items ?? []}
          rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
          columns={[
            { title: t('reporter'), dataIndex: 'reporterOrganisation' },
            { title: t('name'), dataIndex: 'childName' },
            { title: t('status'), dataIndex: 'status' },
            { title: t('receivedAt'), render: (_, r) => r.receivedAt.slice(0, 10) },
            { title: t('dueAt'), render: (_, r) => due(r.dueAt, r.overdue, t('overdue')) },
          ]}
        />
      </Card>
    </Space>
  );
}
