/** The annual situation report of my region: HTML to read, xlsx to file. */
import { Button, Card, Form, InputNumber, Space } from 'antd';
import { useState } from 'react';

import { download } from '../api';
import { usePrincipal } from '../auth';
import { useI18n } from '../i18n';

export default function AnnualReportPage() {
  const { t } = useI18n();
  const principal = usePrincipal();
  const region = principal.regions[0] && principal.regions[0].length >= 4 ? principal.regions[0] : '4306';
  const [year, setYear] = useState(new Date().getFullYear() - 1);
  const q = `region=${region}&year=${year}`;
  return (
    <Card title={t('annualReport')} size="small">
      <Form layout="inline">
        <Form.Item label={t('year')}>
          <InputNumber value={year} min={2000} max={2100} onChange={(v) => setYear(Number(v))} />
        </Form.Item>
        <Space>
          <Button
            onClick={() =>
              void download(
                `/api/reporting/reports/annual.html?${q}`,
                `${t('annualReportFile', { region, year })}.html`,
              )
            }
          >
            HTML {t('download')}
          </Button>
          <Button
            type="primary"
            onClick={() =>
              void download(
                `/api/reporting/reports/annual.xlsx?${q}`,
                `${t('annualReportFile', { region, year })}.xlsx`,
              )
            }
          >
            xlsx {t('download')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
