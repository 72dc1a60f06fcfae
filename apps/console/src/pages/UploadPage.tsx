/**
 * A township officer's or department clerk's upload of a department list (.xlsx or .csv): the
 * registry answers with a job, polled here until it is stored or rejected with a per-row report.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Progress, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';

import { api, download, messageOf } from '../api';
import { usePrincipal } from '../auth';
import { useI18n } from '../i18n';
import { townshipsOf } from '../township';

interface Issue {
  row: number;
  column: string;
  code: string;
  message: string;
  messageZh: string;
}
interface Submission {
  id: string;
  status: 'processing' | 'rejected' | 'stored' | 'failed';
  filename: string;
  progress: { rowsRead: number; rowsValidated: number; rowsStored: number };
  issueCount: number;
  issues: Issue[];
}

const DEPARTMENTS = ['civil_affairs', 'education', 'public_security'] as const;
const contentTypeOf = (name: string) =>
  name.toLowerCase().endsWith('.csv')
    ? 'text/csv'
    : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export default function UploadPage() {
  const { t, dict, lang } = useI18n();
  const principal = usePrincipal();
  const townships = townshipsOf(principal, lang);
  const officer = principal.roles.some((r) => r === 'county_officer' || r === 'township_officer');
  const departments = officer ? DEPARTMENTS : DEPARTMENTS.filter((d) => d === principal.department);
  const [form] = Form.useForm<{ township: string; department: string }>();
  const [file, setFile] = useState<File>();
  const [jobId, setJobId] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const job = useQuery({
    queryKey: ['submission', jobId],
    queryFn: () => api<Submission>(`/api/registry/submissions/${jobId}`),
    enabled: Boolean(jobId),
    refetchInterval: (query) => (query.state.data?.status === 'processing' || !query.state.data ? 1000 : false),
  });

  const start = async (values: { township: string; department: string }) => {
    if (!file) return;
    setError(undefined);
    setBusy(true);
    try {
      const started = await api<Submission>(
        `/api/registry/submissions/${values.township}/${values.department}?filename=${encodeURIComponent(file.name)}`,
        { method: 'PUT', raw: await file.arrayBuffer(), contentType: contentTypeOf(file.name) },
      );
      setJobId(started.id);
    } catch (e) {
      setError(messageOf(e, t('serverError'), t('networkError')));
    } finally {
      setBusy(false);
    }
  };

  const data = job.data;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={t('upload')}
        size="small"
        extra={
          <Button
            size="small"
            onClick={() => void download('/api/registry/submissions/template.xlsx', t('templateFile'))}
          >
            {t('template')}
          </Button>
        }
      >
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form
          form={form}
          layout="inline"
          style={{ rowGap: 8 }}
          initialValues={{ township: townships[0]?.code, department: departments[0] }}
          onFinish={(v) => void start(v)}
        >
          <Form.Item name="township" label={t('township')} rules={[{ required: true }]}>
            <Select
              style={{ minWidth: 200 }}
              showSearch={{ optionFilterProp: 'label' }}
              options={townships.map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` }))}
            />
          </Form.Item>
          <Form.Item name="department" label={t('department')} rules={[{ required: true }]}>
            <Select
              style={{ minWidth: 120 }}
              options={departments.map((d) => ({ value: d, label: dict.departments[d] }))}
            />
          </Form.Item>
          <Form.Item label={t('file')} required>
            <input
              type="file"
              accept=".xlsx,.csv"
              data-testid="list-file"
              aria-label={t('chooseFile')}
              onChange={(e) => setFile(e.target.files?.[0])}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} disabled={!file} data-testid="upload">
            {t('uploadStart')}
          </Button>
        </Form>
      </Card>
      {data && (
        <Card size="small" title={`${t('progress')} · ${data.filename}`} data-testid="upload-result">
          {data.status === 'processing' && (
            <>
              <Progress
                percent={
                  data.progress.rowsRead ? Math.round((data.progress.rowsValidated / data.progress.rowsRead) * 100) : 5
                }
              />
              <Typography.Text>{t('rowsRead', { n: data.progress.rowsRead })}</Typography.Text>
            </>
          )}
          {data.status === 'stored' && (
            <Alert type="success" showIcon title={`${t('uploadStored')}（${data.progress.rowsStored}）`} />
          )}
          {(data.status === 'rejected' || data.status === 'failed') && (
            <>
              <Alert
                type="error"
                showIcon
                title={t('uploadRejected', { n: data.issueCount })}
                style={{ marginBottom: 12 }}
                data-testid="upload-rejected"
              />
              <Table<Issue>
                size="small"
                rowKey={(i) => `${i.row}-${i.column}-${i.code}`}
                dataSource={data.issues}
                pagination={{ pageSize: 50 }}
                data-testid="row-errors"
                columns={[
                  { title: t('row'), dataIndex: 'row', width: 70 },
                  { title: t('column'), dataIndex: 'column', width: 160 },
                  { title: t('problem'), render: (_, i) => (lang === 'zh' ? i.messageZh : i.message) },
                ]}
              />
            </>
          )}
        </Card>
      )}
    </Space>
  );
}
