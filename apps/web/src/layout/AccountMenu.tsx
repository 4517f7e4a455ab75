import {
  DownOutlined,
  IdcardOutlined,
  KeyOutlined,
  LogoutOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { App, Button, Dropdown, Flex, Space, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { useLocation, useNavigate } from 'react-router';
import { isWorker } from '../access';
import { loginPath, passwordPath } from '../auth/next';
import { useLogout, useMe } from '../auth/session';
import { describeError } from '../components/ErrorAlert';
import { useT } from '../i18n';

/**
 * The header's account corner: a login button for visitors; for an account, its name and role
 * with a menu to change the password or log out.
 */
export function AccountMenu({ compact }: { compact: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { pathname, search } = useLocation();
  const { data: me, isPending } = useMe();
  // Leave first, synchronously: router navigations are transitions, so otherwise a page that
  // needs the session would see it end first and bounce to the login page.
  const logout = useLogout(() => navigate('/', { flushSync: true }));

  if (isPending) return null;
  if (!me) {
    return (
      <Space size={compact ? 4 : 8}>
        <Button size={compact ? 'small' : 'middle'} onClick={() => void navigate('/register')}>
          {t('auth.register')}
        </Button>
        <Button
          type="primary"
          size={compact ? 'small' : 'middle'}
          onClick={() => void navigate(loginPath(`${pathname}${search}`))}
        >
          {t('auth.login')}
        </Button>
      </Space>
    );
  }

  const items: MenuProps['items'] = [
    {
      key: 'identity',
      disabled: true,
      label: (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{me.displayName}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {me.username} · {t(`role.${me.role}`)}
          </Typography.Text>
        </Space>
      ),
    },
    { type: 'divider' },
    ...(isWorker(me) ? [{ key: 'me', icon: <IdcardOutlined />, label: t('menu.me') }] : []),
    { key: 'password', icon: <KeyOutlined />, label: t('auth.changePassword') },
    { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout') },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'me') void navigate('/me');
    if (key === 'password') void navigate(passwordPath(`${pathname}${search}`));
    if (key === 'logout') {
      logout.mutate(undefined, {
        onSuccess: () => void message.success(t('auth.loggedOut')),
        onError: (error) => void message.error(describeError(error, t)),
      });
    }
  };

  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <Button type="text" aria-label={t('auth.accountMenu')} style={{ paddingInline: 8 }}>
        <UserOutlined />
        {/* On a phone the header has room for the icon only; the menu names the account. */}
        {compact ? null : (
          <Flex align="baseline" gap={6}>
            <Typography.Text ellipsis style={{ maxWidth: 200 }}>
              {me.displayName}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`role.${me.role}`)}
            </Typography.Text>
          </Flex>
        )}
        <DownOutlined style={{ fontSize: 10 }} />
      </Button>
    </Dropdown>
  );
}
