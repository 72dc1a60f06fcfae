import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate } from 'react-router-dom';

import { messageOf } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { homePath } from '../roles';
import { LanguageSwitch } from '../Shell';

export default function LoginPage() {
  const { t } = useI18n();
  const { login, principal } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (principal) return <Navigate to={homePath(principal.roles)} replace />;

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await login(values.username.trim(), values.password);
      navigate('/', { replace: true });
    } catch (e) {
      setError(messageOf(e, t('loginFailed'), t('networkError')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f5ff', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <div style={{ display: 'flex', alignItems: 'center', marginBottom: 16 }}>
          <Typography.Title level={3} style={{ margin: 0, flex: 1 }}>
            {t('appName')}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form layout="vertical" onFinish={(v: { username: string; password: string }) => void submit(v)}>
          <Form.Item name="username" label={t('username')} rules={[{ required: true }]}>
            <Input autoComplete="username" size="large" />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {t('login')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
