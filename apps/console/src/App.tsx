/** Providers, routes and the role gate. Every page is its own lazy chunk. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider, Spin } from 'antd';
// `antd/es`: the ES modules (`antd/locale/*` is CommonJS and brings its own helpers along). English is
// Ant Design's own default locale, in the bundle either way.
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';

import { ApiError } from './api';
import { AuthProvider, useAuth } from './auth';
import { prefetchLanding } from './facility-queries';
import { Feedback } from './feedback';
import { I18nProvider, useI18n } from './i18n';
import { homePath, pagesOf, type PageKey } from './roles';
import { Shell } from './Shell';

const LoginPage = lazy(() => import('./pages/LoginPage'));
const ProfilePage = lazy(() => import('./pages/ProfilePage'));
const FacilityPage = lazy(() => import('./pages/FacilityPage'));
const DonationsPage = lazy(() => import('./pages/DonationsPage'));
const UploadPage = lazy(() => import('./pages/UploadPage'));
const ReconciliationPage = lazy(() => import('./pages/ReconciliationPage'));
const ChildrenPage = lazy(() => import('./pages/ChildrenPage'));
const ChildPage = lazy(() => import('./pages/ChildPage'));
const DashboardPage = lazy(() => import('./pages/DashboardPage'));
const AnnualReportPage = lazy(() => import('./pages/AnnualReportPage'));
const AccountsPage = lazy(() => import('./pages/AccountsPage'));
const AuditPage = lazy(() => import('./pages/AuditPage'));
const CasesPage = lazy(() => import('./pages/CasesPage'));
const VolunteersPage = lazy(() => import('./pages/VolunteersPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // 404/403 are answers, not failures to retry; the network is retried.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      staleTime: 15_000,
      refetchOnWindowFocus: false,
    },
  },
});

const spinner = (
  <div style={{ padding: 48, textAlign: 'center' }}>
    <Spin />
  </div>
);

function Gate({ page, children }: { page: PageKey; children: ReactNode }) {
  const { principal, ready } = useAuth();
  if (!ready) return spinner;
  if (!principal) return <Navigate to="/login" replace />;
  if (!pagesOf(principal.roles).includes(page))
    return (
      <Shell>
        <NotFoundPage />
      </Shell>
    );
  return <Shell>{children}</Shell>;
}

/** Asks for the landing page's data as soon as the claims are known, while its chunk still loads. */
function Prefetch() {
  const { principal } = useAuth();
  useEffect(() => prefetchLanding(queryClient, principal), [principal]);
  return null;
}

function Home() {
  const { principal, ready } = useAuth();
  if (!ready) return spinner;
  return <Navigate to={principal ? homePath(principal.roles) : '/login'} replace />;
}

function Localised({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1677ff' } }}>
      <Feedback>{children}</Feedback>
    </ConfigProvider>
  );
}

function LoggedIn({ children }: { children: ReactNode }) {
  const { principal, ready } = useAuth();
  if (!ready) return spinner;
  if (!principal) return <Navigate to="/login" replace />;
  return <Shell>{children}</Shell>;
}

export function App() {
  return (
    <I18nProvider onChange={() => void queryClient.invalidateQueries()}>
      <Localised>
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            <Prefetch />
            <BrowserRouter>
              <Suspense fallback={spinner}>
                <Routes>
                  <Route path="/" element={<Home />} />
                  <Route path="/login" element={<LoginPage />} />
                  <Route
                    path="/profile"
                    element={
                      <Gate page="profile">
                        <ProfilePage />
                      </Gate>
                    }
                  />
                  <Route
                    path="/facility"
                    element={
                      <Gate page="myHome">
                        <FacilityPage />
                      </Gate>
                    }
                  />
                  <Route
                    path="/donations"
                    element={
                      <Gate page="donations">
                        <DonationsPage />
                      </Gate>
                    }
                  />
                  <Route
                    path="/lists/upload"
                    element={
                      <Gate page="upload">
                        <UploadPage />
                      </Gate>
                    }
                  />
                  <Route
                    path="/lists/reconciliation"
                    element={
                      <Gate page="reconciliation">
                        <ReconciliationPage />
                      </Gate>
                    }
                  />
                  <Route
                    path="/lists/ledger"
                    element={
                      <Gate page="ledger">
                        <ReconciliationPage />
                      </Gate>
                    }
                  />
                  <Route
                    path="/children"
                    element={
                      <Gate page="children">
                        <ChildrenPage />
                      </Gate>
                    }
                  />
                  <Route
                    path="/children/:id"
                    element={
                      <Gate page="children">
                        <ChildPage />
                      </Gate>
                    }
                  />
                  <Route
                    path="/cases"
                    element={
                      <Gate page="cases">
                        <CasesPage />
                      </Gate>
                    }
                  />
                  <Route
                    path="/dashboard"
                    element={
                      <Gate page="dashboard">
                        <DashboardPage />
                      </Gate>
                    }
                  />
                  <Route
                    path="/annual-report"
                    element={
                      <Gate page="annualReport">
                        <AnnualReportPage />
                      </Gate>
                    }
                  />
                  <Route
                    path="/accounts"
                    element={
                      <Gate page="accounts">
                        <AccountsPage />
                      </Gate>
                    }
                  />
                  <Route
                    path="/audit-trail"
                    element={
                      <Gate page="audit">
                        <AuditPage />
                      </Gate>
                    }
                  />
                  <Route
                    path="/volunteers"
                    element={
                      <Gate page="volunteers">
                        <VolunteersPage />
                      </Gate>
                    }
                  />
                  <Route
                    path="/volunteer-events"
                    element={
                      <Gate page="events">
                        <VolunteersPage />
                      </Gate>
                    }
                  />
                  <Route
                    path="*"
                    element={
                      <LoggedIn>
                        <NotFoundPage />
                      </LoggedIn>
                    }
                  />
                </Routes>
              </Suspense>
            </BrowserRouter>
          </AuthProvider>
        </QueryClientProvider>
      </Localised>
    </I18nProvider>
  );
}
