/**
 * Who I am, and changing my own password: current, new and confirmation (the confirmation is
 * checked here; the gateway checks the rest and its messages go beside the field they name).
 */
import { ZPasswordChange } from '@tongxin/contracts/gateway/api';
import { Alert, Button, Card, Descriptions, Form, Input, Space } from 'antd';
import { useState } from 'react';

import { changePassword } from '../api';
import { usePrincipal } from '../auth';
import { placeFieldErrors, validateWith, formErrorText } from '../forms';
import { useI18n } from '../i18n';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

function ChangePasswordCard() {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<PasswordForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState(false);

  const submit = async (values: PasswordForm) => {
    setError(undefined);
    setDone(false);
    // The gateway's own schema first: what it refuses is shown beside its field, and nothing is sent.
    const problems = validateWith(
      ZPasswordChange,
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      lang,
    );
    if (problems) {
      const rest = placeFieldErrors(form, problems);
      if (rest.length > 0) setError(rest.join('；'));
      return;
    }
    setBusy(true);
    try {
      await changePassword(values.currentPassword, values.newPassword);
      form.resetFields();
      setDone(true);
    } catch (e) {
      const text = formErrorText(form, e, { server: t('serverError'), network: t('networkError') });
      if (text) setError(text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('changePassword')} data-testid="change-password">
      <Alert type="info" title={t('changePasswordHelp')} style={{ marginBottom: 16 }} />
      {done && (
        <Alert
          type="success"
          showIcon
          title={t('passwordChanged')}
          style={{ marginBottom: 16 }}
          data-testid="password-changed"
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="password-error" />}
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 420 }}
        initialValues={{ currentPassword: '', newPassword: '', confirmPassword: '' }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="currentPassword" label={t('currentPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" data-testid="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('newPassword')}
          extra={t('passwordPolicy')}
          rules={[{ required: true }, { min: 10 }, { max: 256 }]}
        >
          <Input.Password autoComplete="new-password" data-testid="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: async (_rule, value) => {
                if (value && value !== getFieldValue('newPassword')) throw new Error(t('passwordMismatch'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="confirm-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="change-password-submit">
          {t('changePassword')}
        </Button>
      </Form>
    </Card>
  );
}

export default function ProfilePage() {
  const { t, dict } = useI18n();
  const p = usePrincipal();
  const scope = [
    ...p.regions,
    ...p.facilities,
    ...p.donorOrgs,
    ...p.volunteerOrgs,
    ...(p.department ? [dict.departments[p.department] ?? p.department] : []),
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card title={t('profile')}>
        <Descriptions column={1}>
          <Descriptions.Item label={t('username')}>{p.sub}</Descriptions.Item>
          <Descriptions.Item label={t('name')}>{p.name}</Descriptions.Item>
          <Descriptions.Item label={t('role')}>{p.roles.map((r) => dict.roles[r] ?? r).join('、')}</Descriptions.Item>
          <Descriptions.Item label={t('scope')}>{scope.join('、') || '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <ChangePasswordCard />
    </Space>
  );
}
