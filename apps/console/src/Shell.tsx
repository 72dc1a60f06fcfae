/** The frame around every page: header (name, language, account), the role's menu, the page. */
import { Button, Drawer, Grid, Layout, Menu, Space, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';

import { useAuth, usePrincipal } from './auth';
import { useI18n } from './i18n';
import { PAGE_PATHS, pagesOf } from './roles';

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <Button size="small" data-testid="language-switch" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
      {t('language')}
    </Button>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { t, dict } = useI18n();
  const principal = usePrincipal();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const [open, setOpen] = useState(false);

  const items = pagesOf(principal.roles).map((page) => ({
    key: PAGE_PATHS[page],
    label: <Link to={PAGE_PATHS[page]}>{t(page)}</Link>,
  }));
  const selected = items.map((i) => i.key).filter((k) => location.pathname.startsWith(k));
  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selected}
      onClick={() => setOpen(false)}
      style={{ borderInlineEnd: 0 }}
      data-testid="role-menu"
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 12,
          padding: narrow ? '0 12px' : '0 24px',
          background: '#1677ff',
        }}
      >
        {narrow && (
          <Button aria-label="menu" onClick={() => setOpen(true)} size="small">
            ☰
          </Button>
        )}
        <Typography.Text strong style={{ color: '#fff', fontSize: narrow ? 16 : 18, whiteSpace: 'nowrap' }}>
          {t('appName')}
        </Typography.Text>
        <span style={{ flex: 1 }} />
        <Space size="small">
          {!narrow && (
            <Typography.Text style={{ color: '#fff' }} data-testid="whoami">
              {principal.name} · {principal.roles.map((r) => dict.roles[r] ?? r).join('、')}
            </Typography.Text>
          )}
          <LanguageSwitch />
          <Button
            size="small"
            onClick={() => {
              void logout().then(() => navigate('/login'));
            }}
          >
            {t('logout')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        {narrow ? (
          <Drawer open={open} onClose={() => setOpen(false)} placement="left" size={260} title={principal.name}>
            {menu}
          </Drawer>
        ) : (
          <Layout.Sider width={200} theme="light">
            {menu}
          </Layout.Sider>
        )}
        <Layout.Content style={{ padding: narrow ? 12 : 24, maxWidth: 1280, width: '100%' }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
