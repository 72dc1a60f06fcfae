import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';

import { useI18n } from '../i18n';

export default function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title={<span data-testid="not-found">{t('notFound')}</span>}
      subTitle={t('notFoundHelp')}
      extra={
        <Link to="/">
          <Button type="primary">{t('backHome')}</Button>
        </Link>
      }
    />
  );
}
