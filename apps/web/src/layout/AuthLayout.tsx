import { Flex, Layout, Spin, theme, Typography } from 'antd';
import { Suspense } from 'react';
import { Outlet } from 'react-router';
import { useT } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';

/**
 * The frame of the login and change-password pages: no menu and no links away, one centred
 * card that fits a phone.
 */
export function AuthLayout() {
  const t = useT();
  const { token } = theme.useToken();
  return (
    <Layout style={{ minHeight: '100vh', background: token.colorBgLayout }}>
      <Flex justify="flex-end" style={{ padding: '12px 16px' }}>
        <LanguageSwitch />
      </Flex>
      <Flex vertical align="center" style={{ flex: 1, padding: '0 16px 48px' }}>
        <Flex align="center" gap={10} style={{ margin: '4vh 0 24px' }}>
          <img src="/favicon.svg" alt="" width={36} height={36} />
          <Typography.Text strong style={{ fontSize: 22 }}>
            {t('app.name')}
          </Typography.Text>
        </Flex>
        <div style={{ width: '100%', maxWidth: 400 }}>
          <Suspense fallback={<Spin style={{ display: 'block', marginTop: 48 }} />}>
            <Outlet />
          </Suspense>
        </div>
      </Flex>
    </Layout>
  );
}
