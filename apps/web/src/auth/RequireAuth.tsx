import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { can, type Permission } from '../access';
import { ErrorAlert } from '../components/ErrorAlert';
import { useT } from '../i18n';
import { loginPath, passwordPath } from './next';
import { useMe } from './session';

/**
 * Renders `children` for a logged-in account holding `permission` (any one of a list); sends a visitor to the login
 * page (and back here afterwards) and an account with an initial password to change it first.
 */
export function RequireAuth({
  permission,
  children,
}: {
  permission?: Permission | readonly Permission[];
  children: ReactNode;
}) {
  const t = useT();
  const navigate = useNavigate();
  const { pathname, search } = useLocation();
  const { data: me, error, isPending, refetch } = useMe();
  const here = `${pathname}${search}`;

  if (isPending) return <Spin style={{ display: 'block', marginTop: 48 }} />;
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  if (!me) return <Navigate to={loginPath(here)} replace />;
  if (me.mustChangePassword) return <Navigate to={passwordPath(here)} replace />;
  const needed: readonly Permission[] =
    permission === undefined ? [] : typeof permission === 'string' ? [permission] : permission;
  if (needed.length > 0 && !needed.some((one) => can(me, one))) {
    return (
      <Result
        status="403"
        title={t('common.forbidden.title')}
        subTitle={t('common.forbidden.subtitle')}
        extra={
          <Button type="primary" onClick={() => navigate('/')}>
            {t('common.backHome')}
          </Button>
        }
      />
    );
  }
  return children;
}
