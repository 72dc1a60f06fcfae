/** The frame around every page: header (name, language, account), the role's menu, the page. */
import { Button, Grid, Layout, Space } from 'antd';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';

import { useAuth, usePrincipal } from './auth';
import { useI18n } from './i18n';
import { PAGE_PATHS, pagesOf } from './roles';

const ShellMenu = lazy(() => import('./ShellMenu'));

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
  // The drawer's chunk is fetched on the first tap on ☰, and the drawer stays mounted afterwards.
  const [drawerUsed, setDrawerUsed] = useState(false);

  const items = pagesOf(principal.roles).map((page) => ({
    key: PAGE_PATHS[page],
    label: <Link to={PAGE_PATHS[page]}>{t(page)}</Link>,
  }));
  const selected = items.map((i) => i.key).filter((k) => location.pathname.startsWith(k));

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
          <Button
            aria-label={t('menu')}
            onClick={() => {
              setDrawerUsed(true);
              setOpen(true);
            }}
            size="small"
          >
            ☰
          </Button>
        )}
        <strong style={{ color: '#fff', fontSize: narrow ? 16 : 18, whiteSpace: 'nowrap' }}>{t('appName')}</strong>
        <span style={{ flex: 1 }} />
        <Space size="small">
          {!narrow && (
            <span style={{ color: '#fff' }} data-testid="whoami">
              {principal.name} · {principal.roles.map((r) => dict.roles[r] ?? r).join('、')}
            </span>
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
          drawerUsed && (
            <Suspense fallback={null}>
              <ShellMenu
                items={items}
                selected={selected}
                drawer={{ open, title: principal.name }}
                onClose={() => setOpen(false)}
              />
            </Suspense>
          )
        ) : (
          <Layout.Sider width={200} theme="light">
            <Suspense fallback={null}>
              <ShellMenu items={items} selected={selected} onClose={() => setOpen(false)} />
            </Suspense>
          </Layout.Sider>
        )}
        <Layout.Content style={{ padding: narrow ? 12 : 24, maxWidth: 1280, width: '100%' }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
