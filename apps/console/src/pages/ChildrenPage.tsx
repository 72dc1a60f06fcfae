/** The children of my regions: search and filters; ID numbers come masked from the registry. */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Form, Input, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';

import { api } from '../api';
import { usePrincipal } from '../auth';
import { useI18n } from '../i18n';
import { regionLabel, townshipsOf } from '../township';

export interface ChildSummary {
  id: string;
  name: string;
  sex: string;
  birthDate: string;
  age?: number;
  idNumber?: string;
  regionCode: string;
  regionName?: string;
  categories: string[];
  supervision: string;
  status: string;
}

export default function ChildrenPage() {
  const { t, dict, lang } = useI18n();
  const principal = usePrincipal();
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [page, setPage] = useState(1);
  const query = new URLSearchParams({ ...filters, page: String(page), pageSize: '20' });
  const list = useQuery({
    queryKey: ['children', filters, page],
    queryFn: () =>
      api<{ items: ChildSummary[]; total: number }>(`/api/registry/children?${query.toString()}`, {
        headers: { 'x-purpose': encodeURIComponent('名单查看') },
      }),
  });
  return (
    <Card title={t('children')} size="small">
      <Form
        layout="inline"
        style={{ rowGap: 8, marginBottom: 12 }}
        onFinish={(v: Record<string, string | undefined>) => {
          setPage(1);
          setFilters(Object.fromEntries(Object.entries(v).filter(([, x]) => x)) as Record<string, string>);
        }}
      >
        <Form.Item name="name" label={t('name')}>
          <Input allowClear style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="region" label={t('region')}>
          <Select
            allowClear
            style={{ width: 180 }}
            showSearch={{ optionFilterProp: 'label' }}
            options={townshipsOf(principal, lang).map((r) => ({ value: r.code, label: r.name }))}
          />
        </Form.Item>
        <Form.Item name="category" label={t('categories')}>
          <Select
            allowClear
            style={{ width: 120 }}
            options={Object.entries(dict.categoryNames).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="supervision" label={t('supervision')}>
          <Select
            allowClear
            style={{ width: 120 }}
            options={[
              { value: 'supervised', label: t('supervised') },
              { value: 'unsupervised', label: t('unsupervised') },
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('search')}
        </Button>
      </Form>
      <Table<ChildSummary>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: true }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: t('name'), render: (_, c) => <Link to={`/children/${c.id}`}>{c.name}</Link> },
          { title: t('sex'), dataIndex: 'sex', render: (s: string) => (s === 'female' ? t('female') : t('male')) },
          { title: t('birthDate'), dataIndex: 'birthDate' },
          { title: t('idNumber'), dataIndex: 'idNumber', render: (v?: string) => <code>{v ?? '—'}</code> },
          { title: t('region'), render: (_, c) => regionLabel(lang, c.regionCode, c.regionName) },
          {
            title: t('categories'),
            render: (_, c) => c.categories.map((k) => <Tag key={k}>{dict.categoryNames[k] ?? k}</Tag>),
          },
          {
            title: t('supervision'),
            dataIndex: 'supervision',
            render: (s: string) =>
              s === 'unsupervised' ? <Tag color="red">{t('unsupervised')}</Tag> : <Tag>{t('supervised')}</Tag>,
          },
        ]}
      />
    </Card>
  );
}
