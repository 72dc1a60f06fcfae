/**
 * Leaders' and county officers' dashboard (from the reporting service's read models): key figures
 * of a region, drill-down city → county → township, charts of categories, cases, homes' activity,
 * donations and volunteer hours.
 */
import { childrenOf } from '@tongxin/contracts/values';
import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Col, Row, Space, Statistic } from 'antd';
import { useMemo, useState } from 'react';

import { api, messageOf } from '../api';
import { usePrincipal } from '../auth';
import { EChart } from '../EChart';
import { useI18n } from '../i18n';
import { regionLabel } from '../township';

type Counts = Record<string, number>;
interface RegionStats {
  code: string;
  name: string;
  counts: Counts;
  months: { month: string; counts: Counts }[];
}
interface DonationStats {
  months: { month: string; receivedValueFen: number; donations: number }[];
  recipients: { name: string; allocatedQuantity: number; deliveredQuantity: number }[];
}
interface VolunteerStats {
  events: number;
  confirmedHours: number;
  months: { month: string; events: number; confirmedMinutes: number }[];
}
interface Facility {
  id: string;
  name: string;
}
interface HomeStats {
  name: string;
  activities: { total: number; byKind: Counts };
}

/** A metric's name from the dictionary (`dict.metrics`); unknown keys show their last segment. */
const label = (key: string, metrics: Record<string, string>) => metrics[key] ?? key.split(':').slice(-1)[0] ?? key;
const sumPrefix = (counts: Counts | undefined, prefix: string) =>
  Object.entries(counts ?? {}).reduce((s, [k, v]) => (k.startsWith(prefix) ? s + v : s), 0);
const byPrefix = (counts: Counts | undefined, prefix: string) =>
  Object.entries(counts ?? {})
    .filter(([k]) => k.startsWith(prefix))
    .map(([k, v]) => [k.slice(prefix.length), v] as const);
const KEY_FIGURES = [
  'children:active',
  'children:left_behind',
  'children:in_difficulty',
  'children:unsupervised',
  'casesOpen',
  'reports:pending',
  'homes:open',
  'children:guardian_assigned',
];

export default function DashboardPage() {
  const { t, dict, lang } = useI18n();
  const principal = usePrincipal();
  const top = principal.regions[0] ?? '4306';
  const [code, setCode] = useState(top.length < 4 ? '4306' : top);
  const region = useQuery({
    queryKey: ['region-stats', code],
    queryFn: () => api<RegionStats>(`/api/reporting/stats/regions/${code}?months=12`),
  });
  const donations = useQuery({
    queryKey: ['donation-stats'],
    queryFn: () => api<DonationStats>('/api/reporting/stats/donations'),
  });
  const volunteers = useQuery({
    queryKey: ['volunteer-stats', code],
    queryFn: () => api<VolunteerStats>(`/api/reporting/stats/volunteers?region=${code}`),
  });
  const homes = useQuery({
    queryKey: ['home-stats', code],
    queryFn: async () => {
      const list = await api<{ items: Facility[] }>(`/api/facilities/facilities?region=${code}`).catch(() => ({
        items: [],
      }));
      return Promise.all(
        list.items.slice(0, 12).map((f) => api<HomeStats>(`/api/reporting/stats/homes/${f.id}`).catch(() => undefined)),
      );
    },
  });

  const path = useMemo(() => {
    const out: { code: string; name: string }[] = [];
    for (
      let c = code;
      c.length >= top.length && c.length >= 4;
      c = c.length === 12 ? c.slice(0, 9) : c.length === 9 ? c.slice(0, 6) : c.slice(0, 4)
    ) {
      out.unshift({ code: c, name: regionLabel(lang, c) });
      if (c.length === 4) break;
    }
    return out;
  }, [code, top, lang]);
  const subRegions = code.length < 9 ? childrenOf(code) : [];
  const all = region.data?.counts;
  const figure = (key: string) => (key === 'casesOpen' ? sumPrefix(all, 'cases:open:') : (all?.[key] ?? 0));
  const categories = [
    ['children:left_behind', all?.['children:left_behind'] ?? 0],
    ['children:in_difficulty', all?.['children:in_difficulty'] ?? 0],
    ...byPrefix(all, 'children:difficulty:'),
  ] as const;
  const openCases = byPrefix(all, 'cases:open:');

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small" title={t('drillDown')}>
        <Breadcrumb items={path.map((p) => ({ title: <a onClick={() => setCode(p.code)}>{p.name}</a> }))} />
        <Space wrap style={{ marginTop: 8 }}>
          {subRegions.slice(0, 40).map((r) => (
            <Button key={r.code} size="small" onClick={() => setCode(r.code)} data-testid="subregion">
              {regionLabel(lang, r.code)}
            </Button>
          ))}
        </Space>
      </Card>
      {region.error && <Alert type="error" title={messageOf(region.error, t('serverError'), t('networkError'))} />}
      <Card
        size="small"
        title={`${t('keyFigures')} · ${regionLabel(lang, code, region.data?.name)}`}
        loading={region.isLoading}
      >
        <Row gutter={[16, 16]}>
          {KEY_FIGURES.map((key) => (
            <Col key={key} xs={12} md={6}>
              <Statistic title={label(key, dict.metrics)} value={figure(key)} />
            </Col>
          ))}
        </Row>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('categoriesAndCases')}>
            <EChart
              testId="chart-categories"
              option={{
                tooltip: {},
                legend: {},
                grid: { left: 40, right: 10, bottom: 60 },
                xAxis: {
                  type: 'category',
                  data: [...categories.map(([k]) => label(k, dict.metrics)), ...openCases.map(([k]) => k)],
                  axisLabel: { rotate: 30 },
                },
                yAxis: { type: 'value', minInterval: 1 },
                series: [
                  {
                    type: 'bar',
                    name: t('seriesChildren'),
                    stack: 'x',
                    data: [...categories.map(([, v]) => v), ...openCases.map(() => 0)],
                    itemStyle: { color: '#1677ff' },
                  },
                  {
                    type: 'bar',
                    name: t('openCases'),
                    stack: 'x',
                    data: [...categories.map(() => 0), ...openCases.map(([, v]) => v)],
                    itemStyle: { color: '#fa8c16' },
                  },
                ],
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('byMonth')}>
            <EChart
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                grid: { left: 40, right: 10 },
                xAxis: { type: 'category', data: region.data?.months.map((m) => m.month) ?? [] },
                yAxis: { type: 'value', minInterval: 1 },
                series: (['casesOpened', 'reports:received'] as const).map((key) => ({
                  type: 'line',
                  name: label(key, dict.metrics),
                  data:
                    region.data?.months.map((m) =>
                      key === 'casesOpened' ? sumPrefix(m.counts, 'cases:opened:') : (m.counts[key] ?? 0),
                    ) ?? [],
                })),
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('homesActivity')}>
            <EChart
              option={{
                tooltip: {},
                grid: { left: 40, right: 10, bottom: 60 },
                xAxis: {
                  type: 'category',
                  data: (homes.data ?? []).filter(Boolean).map((h) => h!.name),
                  axisLabel: { rotate: 30 },
                },
                yAxis: { type: 'value' },
                series: [
                  {
                    type: 'bar',
                    data: (homes.data ?? []).filter(Boolean).map((h) => h!.activities.total),
                    itemStyle: { color: '#52c41a' },
                  },
                ],
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('donationsAndHours')}>
            <EChart
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                grid: { left: 50, right: 50 },
                xAxis: {
                  type: 'category',
                  data: donations.data?.months.map((m) => m.month) ?? volunteers.data?.months.map((m) => m.month) ?? [],
                },
                yAxis: [
                  { type: 'value', name: t('unitYuan') },
                  { type: 'value', name: t('unitHours') },
                ],
                series: [
                  {
                    type: 'bar',
                    name: t('donationsYuan'),
                    data: donations.data?.months.map((m) => m.receivedValueFen / 100) ?? [],
                  },
                  {
                    type: 'line',
                    yAxisIndex: 1,
                    name: t('volunteerHours'),
                    data: volunteers.data?.months.map((m) => Math.round(m.confirmedMinutes / 6) / 10) ?? [],
                  },
                ],
              }}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
