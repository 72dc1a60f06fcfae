import { Alert, Card, Descriptions, Space } from 'antd';

import { usePrincipal } from '../auth';
import { useI18n } from '../i18n';

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
      <Card title={t('changePassword')}>
        <Alert type="info" title={t('changePasswordHelp')} />
      </Card>
    </Space>
  );
}
