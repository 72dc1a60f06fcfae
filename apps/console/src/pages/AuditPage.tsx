/** Auditors: search the hash-chained audit trail, export it, verify the chain. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Space, Table } from 'antd';
import { useState } from 'react';

import { api, download, messageOf } from '../api';
import { useI18n } from '../i18n';

interface Entry {
  _id?: number;
  seq?: number;
  at?: string;
  time?: string;
  user: string;
  method: string;
  path: string;
  status: number;
  action: string;
  purpose?: string;
  childId?: string;
}

export default function AuditPage() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [verify, setVerify] = useState<string>();
  const q = new URLSearchParams(filters).toString();
  const entries = useQuery({ queryKey: ['audit', q], queryFn: () => api<{ items: Entry[] } | Entry[]>(`/audit?${q}`) });
  const items = Array.isArray(entries.data) ? entries.data : (entries.data?.items ?? []);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card
        title={t('audit')}
        size="small"
        extra={
          <Space>
            <Button size="small" onClick={() => void download(`/audit/export.xlsx?${q}`, t('auditFile'))}>
              xlsx
            </Button>
            <Button
              size="small"
              type="primary"
              onClick={() =>
                void api<{ ok: boolean; entries?: number; brokenAt?: number; reason?: string }>('/audit/verify')
                  .then((r) =>
                    setVerify(
                      r.ok
                        ? t('verifyOk', { n: r.entries ?? 0 })
                        : t('verifyBroken', { n: r.brokenAt ?? '?', reason: r.reason ?? '' }),
                    ),
                  )
                  .catch((e: unknown) => setVerify(messageOf(e, t('serverError'), t('networkError'))))
              }
            >
              {t('verifyChain')}
            </Button>
          </Space>
        }
      >
        {verify && <Alert title={verify} style={{ marginBottom: 12 }} data-testid="verify-result" />}
        <Form
          layout="inline"
          style={{ rowGap: 8, marginBottom: 12 }}
          onFinish={(v: Record<string, string | undefined>) =>
            setFilters(Object.fromEntries(Object.entries(v).filter(([, x]) => x)) as Record<string, string>)
          }
        >
          <Form.Item name="user" label={t('user')}>
            <Input allowClear />
          </Form.Item>
          <Form.Item name="childId" label={t('child')}>
            <Input allowClear />
          </Form.Item>
          <Form.Item name="from" label={t('from')}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="to" label={t('to')}>
            <Input type="date" />
          </Form.Item>
          <Button htmlType="submit" type="primary">
            {t('search')}
          </Button>
        </Form>
        <Table<Entry>
          size="small"
          rowKey={(e) => String(e._id ?? e.seq ?? `${e.at}${e.path}`)}
          loading={entries.isLoading}
          dataSource={items}
          scroll={{ x: true }}
          columns={[
            { title: '#', render: (_, e) => e._id ?? e.seq },
            { title: t('time'), render: (_, e) => (e.at ?? e.time ?? '').slice(0, 19).replace('T', ' ') },
            { title: t('user'), dataIndex: 'user' },
            { title: t('action'), dataIndex: 'action' },
            { title: t('request'), render: (_, e) => `${e.method} ${e.path}` },
            { title: t('status'), dataIndex: 'status' },
            { title: t('purpose'), dataIndex: 'purpose', render: (p?: string) => (p ? decodeURIComponent(p) : '') },
          ]}
        />
      </Card>
    </Space>
  );
}
