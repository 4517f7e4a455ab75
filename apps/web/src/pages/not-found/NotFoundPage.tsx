import { Button, Result } from 'antd';
import { useLocation, useNavigate } from 'react-router';
import { useT } from '../../i18n';

export default function NotFoundPage() {
  const t = useT();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('notFound.title')}
      subTitle={t('notFound.subtitle', { path: pathname })}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('common.backHome')}
        </Button>
      }
    />
  );
}
