// No Card (it brings Tabs and Dropdown along) and no Typography: the login page is a phone's first
// load too (README, "Size and first load").
import { Alert, Button, Form, Input } from 'antd';
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
      <div
        style={{
          width: '100%',
          maxWidth: 380,
          boxSizing: 'border-box',
          padding: 24,
          background: '#fff',
          border: '1px solid #f0f0f0',
          borderRadius: 8,
        }}
      >
        <div style={{ display: 'flex', alignItems: 'center', marginBottom: 16 }}>
          <h3 style={{ margin: 0, flex: 1, fontSize: 24, fontWeight: 600, color: 'rgba(0, 0, 0, 0.88)' }}>
            {t('appName')}
          </h3>
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
      </div>
    </div>
  );
}
