/**
 * Cross-checking a township's department lists (比对核实): run it, review the proposed groups side
 * by side (sources as columns, the reason per field), accept / reject / edit, apply; and the
 * township ledger (台账) export.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useLocation } from 'react-router-dom';

import { api, download, messageOf } from '../api';
import { usePrincipal } from '../auth';
import { useI18n } from '../i18n';
import { townshipsOf } from '../township';

interface Reason {
  field: string;
  outcome: string;
  detail: string;
  detailZh: string;
}
interface Group {
  groupId: string;
  kind: string;
  score: number;
  needsReview: boolean;
  decision?: string;
  members: { source: string; rowId: string }[];
  reasons: Reason[];
  conflicts: { field: string; values: { source: string; value: string }[] }[];
}
interface Reconciliation {
  id: string;
  township: string;
  status: string;
  summary: Record<string, unknown>;
  groups: Group[];
}

const SOURCES = ['civil_affairs', 'education', 'public_security'];
const OUTCOME_COLOR: Record<string, string> = { equal: 'green', similar: 'gold', different: 'red', missing: 'default' };

export default function ReconciliationPage() {
  const { t, dict, lang } = useI18n();
  const principal = usePrincipal();
  const { message } = App.useApp();
  const location = useLocation();
  const townships = townshipsOf(principal, lang);
  const [township, setTownship] = useState(townships[0]?.code ?? '');
  const [id, setId] = useState<string>();
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<string>();
  const queryClient = useQueryClient();
  const rec = useQuery({
    queryKey: ['reconciliation', id],
    queryFn: () => api<Reconciliation>(`/api/registry/reconciliations/${id}`),
    enabled: Boolean(id),
  });

  const run = async () => {
    setError(undefined);
    try {
      const r = await api<Reconciliation>('/api/registry/reconciliations', { method: 'POST', body: { township } });
      setId(r.id);
      queryClient.setQueryData(['reconciliation', r.id], r);
    } catch (e) {
      setError(messageOf(e, t('serverError'), t('networkError')));
    }
  };
  const decide = async (groupId: string, decision: 'accepted' | 'rejected', edits?: Record<string, string>) => {
    try {
      const r = await api<Reconciliation>(`/api/registry/reconciliations/${id}/groups/${encodeURIComponent(groupId)}`, {
        method: 'POST',
        body: { decision, ...(edits && Object.keys(edits).length ? { edits } : {}) },
      });
      queryClient.setQueryData(['reconciliation', id], r);
      setEditing(undefined);
    } catch (e) {
      void message.error(messageOf(e, t('serverError'), t('networkError')));
    }
  };
  const apply = async () => {
    try {
      const r = await api<Reconciliation>(`/api/registry/reconciliations/${id}/apply`, { method: 'POST' });
      queryClient.setQueryData(['reconciliation', id], r);
      void message.success(t('saved'));
    } catch (e) {
      void message.error(messageOf(e, t('serverError'), t('networkError')));
    }
  };

  const picker = (
    <Select
      value={township}
      onChange={setTownship}
      style={{ minWidth: 220 }}
      showSearch={{ optionFilterProp: 'label' }}
      options={townships.map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` }))}
    />
  );

  if (location.pathname.endsWith('/ledger')) {
    return (
      <Card title={t('ledger')} size="small">
        <Space>
          {picker}
          <Button
            type="primary"
            onClick={() => void download(`/api/registry/ledger/${township}`, t('ledgerFile', { township }))}
          >
            {t('download')}
          </Button>
        </Space>
      </Card>
    );
  }

  const groups = (rec.data?.groups ?? []).filter((g) => g.needsReview || g.kind !== 'exact');
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card title={t('reconciliation')} size="small">
        <Space wrap>
          {picker}
          <Button type="primary" onClick={() => void run()}>
            {t('crossCheck')}
          </Button>
          {rec.data && rec.data.status === 'open' && <Button onClick={() => void apply()}>{t('applyReviewed')}</Button>}
        </Space>
        {error && <Alert type="error" title={error} style={{ marginTop: 12 }} />}
        {rec.data && (
          <pre style={{ marginTop: 12, fontSize: 12, whiteSpace: 'pre-wrap' }}>{JSON.stringify(rec.data.summary)}</pre>
        )}
      </Card>
      {rec.data && (
        <Table<Group>
          size="small"
          rowKey="groupId"
          dataSource={groups}
          pagination={{ pageSize: 20 }}
          scroll={{ x: true }}
          expandable={{
            expandedRowKeys: editing ? [editing] : [],
            expandedRowRender: (g) => (
              <Form
                layout="inline"
                onFinish={(v: Record<string, string>) =>
                  void decide(g.groupId, 'accepted', Object.fromEntries(Object.entries(v).filter(([, x]) => x)))
                }
              >
                <Form.Item name="name" label={t('name')}>
                  <Input />
                </Form.Item>
                <Form.Item name="birthDate" label={t('birthDate')}>
                  <Input type="date" />
                </Form.Item>
                <Button htmlType="submit" type="primary">
                  {t('save')}
                </Button>
              </Form>
            ),
            showExpandColumn: false,
          }}
          columns={[
            {
              title: t('group'),
              render: (_, g) => (
                <Tag>
                  {g.kind} {g.score.toFixed(2)}
                </Tag>
              ),
            },
            ...SOURCES.map((source) => ({
              title: dict.departments[source],
              render: (_: unknown, g: Group) => {
                const inGroup = g.members.some((m) => m.source === source);
                const values = g.conflicts.flatMap((c) =>
                  c.values.filter((v) => v.source === source).map((v) => `${c.field}: ${v.value}`),
                );
                return inGroup ? values.join('；') || '✓' : '—';
              },
            })),
            {
              title: t('reasons'),
              render: (_, g) =>
                g.reasons.map((r) => (
                  <Tag key={r.field} color={OUTCOME_COLOR[r.outcome]}>
                    {lang === 'zh' ? r.detailZh : r.detail}
                  </Tag>
                )),
            },
            {
              title: t('actions'),
              render: (_, g) =>
                g.decision ? (
                  <Tag>{g.decision}</Tag>
                ) : (
                  <Space>
                    <a onClick={() => void decide(g.groupId, 'accepted')}>{t('samePerson')}</a>
                    <a onClick={() => void decide(g.groupId, 'rejected')}>{t('notSamePerson')}</a>
                    <a onClick={() => setEditing(editing === g.groupId ? undefined : g.groupId)}>{t('edit')}</a>
                  </Space>
                ),
            },
          ]}
        />
      )}
    </Space>
  );
}
