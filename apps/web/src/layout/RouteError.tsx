import { Button, Result } from 'antd';
import { useNavigate, useRouteError } from 'react-router';
import { describeError } from '../components/ErrorAlert';
import { useT } from '../i18n';

/** Shown in place of a page that threw while rendering, instead of a blank screen. */
export function RouteError() {
  const error = useRouteError();
  const t = useT();
  const navigate = useNavigate();
  return (
    <Result
      status="error"
      title={t('common.error.title')}
      subTitle={describeError(error, t)}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('common.backHome')}
        </Button>
      }
    />
  );
}
