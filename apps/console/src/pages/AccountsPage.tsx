/** Accounts I manage (city, county and township officers) and creating one below me. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';

import { api, messageOf } from '../api';
import { usePrincipal } from '../auth';
import { formErrorText } from '../forms';
import { useI18n } from '../i18n';

interface User {
  username: string;
  name: string;
  role: string;
  regions: string[];
  facilities: string[];
  disabled: boolean;
  locked: boolean;
}

const CREATABLE: Record<string, string[]> = {
  city_admin: [
    'county_officer',
    'township_officer',
    'department_clerk',
    'facility_manager',
    'charity',
    'volunteer_coordinator',
    'auditor',
    'ops',
    'city_admin',
  ],
  county_officer: ['township_officer', 'department_clerk', 'facility_manager', 'volunteer_coordinator', 'charity'],
  township_officer: ['facility_manager'],
};

const list = (text?: string) => (text ? text.split(/[,，\s]+/).filter(Boolean) : undefined);

export default function AccountsPage() {
  const { t, dict } = useI18n();
  const principal = usePrincipal();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const users = useQuery({ queryKey: ['users'], queryFn: () => api<{ items: User[] }>('/users') });
  const roles = [...new Set(principal.roles.flatMap((r) => CREATABLE[r] ?? []))];

  const create = async (v: Record<string, string | undefined>) => {
    setError(undefined);
    try {
      await api('/users', {
        method: 'POST',
        body: {
          username: v.username,
          password: v.password,
          name: v.name,
          role: v.role,
          ...(list(v.regions) ? { regions: list(v.regions) } : {}),
          ...(list(v.facilities) ? { facilities: list(v.facilities) } : {}),
          ...(list(v.donorOrgs) ? { donorOrgs: list(v.donorOrgs) } : {}),
          ...(list(v.volunteerOrgs) ? { volunteerOrgs: list(v.volunteerOrgs) } : {}),
          ...(v.department ? { department: v.department } : {}),
          ...(v.adminRegion ? { adminRegion: v.adminRegion } : {}),
        },
      });
      void message.success(t('saved'));
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    } catch (e) {
      const text = formErrorText(form, e, { server: t('serverError'), network: t('networkError') });
      if (text) setError(text);
    }
  };

  const act = (username: string, action: string) =>
    void api(`/users/${encodeURIComponent(username)}/${action}`, { method: 'POST' })
      .then(() => queryClient.invalidateQueries({ queryKey: ['users'] }))
      .catch((e: unknown) => void message.error(messageOf(e, t('serverError'), t('networkError'))));

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card title={t('accounts')} size="small">
        <Table<User>
          size="small"
          rowKey="username"
          loading={users.isLoading}
          dataSource={users.data?.items ?? []}
          scroll={{ x: true }}
          columns={[
            { title: t('username'), dataIndex: 'username' },
            { title: t('name'), dataIndex: 'name' },
            { title: t('role'), dataIndex: 'role', render: (r: string) => dict.roles[r] ?? r },
            { title: t('scope'), render: (_, u) => [...u.regions, ...u.facilities].join('、') },
            {
              title: t('status'),
              render: (_, u) => (
                <Space>
                  {u.disabled && <Tag color="red">{t('accountDisabled')}</Tag>}
                  {u.locked && <Tag color="orange">{t('accountLocked')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('actions'),
              render: (_, u) => (
                <Space>
                  <a onClick={() => act(u.username, u.disabled ? 'enable' : 'disable')}>
                    {u.disabled ? t('enableAccount') : t('disableAccount')}
                  </a>
                  {u.locked && <a onClick={() => act(u.username, 'unlock')}>{t('unlockAccount')}</a>}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {roles.length > 0 && (
        <Card title={t('createAccount')} size="small">
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <Form
            form={form}
            layout="vertical"
            onFinish={(v) => void create(v as Record<string, string>)}
            style={{ maxWidth: 520 }}
          >
            <Form.Item name="username" label={t('username')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="name" label={t('name')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="password" label={t('password')} rules={[{ required: true, min: 10 }]}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item name="role" label={t('role')} rules={[{ required: true }]}>
              <Select options={roles.map((r) => ({ value: r, label: dict.roles[r] ?? r }))} />
            </Form.Item>
            <Form.Item name="adminRegion" label={t('adminRegion')}>
              <Input />
            </Form.Item>
            <Form.Item name="regions" label={t('regions')}>
              <Input placeholder="430626101" />
            </Form.Item>
            <Form.Item name="facilities" label={t('homes')}>
              <Input />
            </Form.Item>
            <Form.Item name="donorOrgs" label={t('donorOrgs')}>
              <Input />
            </Form.Item>
            <Form.Item name="volunteerOrgs" label={t('volunteerOrgs')}>
              <Input />
            </Form.Item>
            <Form.Item name="department" label={t('department')}>
              <Select
                allowClear
                options={Object.entries(dict.departments).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('createAccount')}
            </Button>
          </Form>
        </Card>
      )}
    </Space>
  );
}
