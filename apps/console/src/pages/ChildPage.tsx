/** One child: the register's facts (ID masked), the care timeline, the child's cases. Out of scope → 404 page. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Space, Spin, Table, Tag, Timeline } from 'antd';
import { useParams } from 'react-router-dom';

import { api, ApiError, messageOf } from '../api';
import { useI18n } from '../i18n';
import { regionLabel } from '../township';
import NotFoundPage from './NotFoundPage';

interface Child {
  id: string;
  name: string;
  sex: string;
  birthDate: string;
  age?: number;
  idNumber?: string;
  regionCode: string;
  regionName?: string;
  address?: string;
  categories: string[];
  supervision: string;
  status: string;
  schooling?: { status: string; school?: string; grade?: string };
  guardian?: { kind?: string; name?: string; relation?: string };
}
interface TimelineEntry {
  at: string;
  kind?: string;
  type?: string;
  summary?: string;
  summaryZh?: string;
  source?: string;
  service?: string;
  /** Donations (a bursary or small wish for this child): what, how much, from whom. */
  donationKind?: string;
  amountFen?: number;
  quantity?: number;
  donorDisplayName?: string;
}

/** "1,000.00" from 100000 fen. */
const yuan = (fen: number) =>
  (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

interface Case {
  id: string;
  caseTypeZh: string;
  status: string;
  dueAt: string;
  overdue: boolean;
}

export default function ChildPage() {
  const { id = '' } = useParams();
  const { t, lang, dict } = useI18n();
  const entryText = (e: TimelineEntry) => {
    const label =
      (lang === 'zh' ? e.summaryZh : e.summary) ?? e.summary ?? dict.timelineTypes[e.type ?? ''] ?? e.kind ?? e.type;
    if (e.service !== 'donations') return label;
    const what =
      e.amountFen !== undefined
        ? `${yuan(e.amountFen)} ${t('unitYuan')}`
        : `${dict.donationKinds[e.donationKind ?? ''] ?? e.donationKind ?? ''} ${e.quantity ?? ''}`.trim();
    return [label, what, e.donorDisplayName].filter(Boolean).join(' · ');
  };
  const child = useQuery({
    queryKey: ['child', id],
    queryFn: () =>
      api<Child>(`/api/registry/children/${encodeURIComponent(id)}`, {
        headers: { 'x-purpose': encodeURIComponent('档案查看') },
      }),
  });
  const timeline = useQuery({
    queryKey: ['timeline', id],
    queryFn: () => api<{ entries: TimelineEntry[] }>(`/api/reporting/children/${encodeURIComponent(id)}/timeline`),
    enabled: child.isSuccess,
  });
  const cases = useQuery({
    queryKey: ['child-cases', id],
    queryFn: () => api<{ items: Case[] }>(`/api/registry/cases?childId=${encodeURIComponent(id)}`),
    enabled: child.isSuccess,
  });

  if (child.isLoading) return <Spin />;
  if (child.error instanceof ApiError && (child.error.status === 404 || child.error.status === 403))
    return <NotFoundPage />;
  if (child.error || !child.data)
    return <Alert type="error" title={messageOf(child.error, t('serverError'), t('networkError'))} />;
  const c = child.data;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card title={`${t('child')} · ${c.name}`} size="small" data-testid="child-card">
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('sex')}>{c.sex === 'female' ? t('female') : t('male')}</Descriptions.Item>
          <Descriptions.Item label={t('birthDate')}>{c.birthDate}</Descriptions.Item>
          <Descriptions.Item label={t('idNumber')}>
            <code>{c.idNumber ?? '—'}</code>
          </Descriptions.Item>
          <Descriptions.Item label={t('region')}>{regionLabel(lang, c.regionCode, c.regionName)}</Descriptions.Item>
          <Descriptions.Item label={t('categories')}>{c.categories.join('、')}</Descriptions.Item>
          <Descriptions.Item label={t('supervision')}>{c.supervision}</Descriptions.Item>
          <Descriptions.Item label={t('status')}>{c.status}</Descriptions.Item>
          {c.schooling && (
            <Descriptions.Item label={t('schooling')}>
              {[c.schooling.school, c.schooling.grade].filter(Boolean).join(' ') || c.schooling.status}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card title={t('cases')} size="small">
        <Table<Case>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={cases.data?.items ?? []}
          rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
          columns={[
            { title: t('caseType'), dataIndex: 'caseTypeZh' },
            { title: t('status'), dataIndex: 'status' },
            {
              title: t('dueAt'),
              render: (_, r) => (
                <Space>
                  {r.dueAt.slice(0, 10)}
                  {r.overdue && <Tag color="red">{t('overdue')}</Tag>}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card title={t('timeline')} size="small" loading={timeline.isLoading}>
        {timeline.error ? (
          <Alert type="info" title={messageOf(timeline.error, t('none'), t('networkError'))} />
        ) : (
          <Timeline
            items={(timeline.data?.entries ?? []).map((e) => ({
              content: (
                <>
                  <strong>{e.at.slice(0, 10)}</strong> {entryText(e)}
                </>
              ),
            }))}
          />
        )}
      </Card>
    </Space>
  );
}
