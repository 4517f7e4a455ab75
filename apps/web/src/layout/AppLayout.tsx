import {
  AccountBookOutlined,
  AuditOutlined,
  AimOutlined,
  BankOutlined,
  CarryOutOutlined,
  CalculatorOutlined,
  CheckSquareOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  ContactsOutlined,
  EnvironmentOutlined,
  FileTextOutlined,
  FormOutlined,
  FundOutlined,
  HomeOutlined,
  IdcardOutlined,
  LockOutlined,
  MenuOutlined,
  PayCircleOutlined,
  ProfileOutlined,
  ReadOutlined,
  SafetyCertificateOutlined,
  SolutionOutlined,
  ScheduleOutlined,
  ShopOutlined,
  TeamOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, Spin, theme, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { Suspense, useState, type ReactNode } from 'react';
import { Link, Navigate, Outlet, useLocation } from 'react-router';
import { menuFor, selectedMenuPath, type MenuIcon } from '../access';
import { passwordPath } from '../auth/next';
import { useMe } from '../auth/session';
import { useT } from '../i18n';
import { AccountMenu } from './AccountMenu';
import { HealthBadge } from './HealthBadge';
import { LanguageSwitch } from './LanguageSwitch';

const ICONS: Record<MenuIcon, ReactNode> = {
  home: <HomeOutlined />,
  regions: <EnvironmentOutlined />,
  units: <BankOutlined />,
  plans: <ScheduleOutlined />,
  occupations: <ProfileOutlined />,
  me: <IdcardOutlined />,
  persons: <ContactsOutlined />,
  imports: <CloudUploadOutlined />,
  organisations: <ShopOutlined />,
  users: <TeamOutlined />,
  audit: <AuditOutlined />,
  vouchers: <WalletOutlined />,
  classReview: <CheckSquareOutlined />,
  classes: <ReadOutlined />,
  evaluations: <FormOutlined />,
  certificates: <SafetyCertificateOutlined />,
  claims: <AccountBookOutlined />,
  placements: <SolutionOutlined />,
  activity: <CarryOutOutlined />,
  activityPeriods: <LockOutlined />,
  ledger: <CalculatorOutlined />,
  payments: <PayCircleOutlined />,
  statement: <FileTextOutlined />,
  targets: <AimOutlined />,
  dashboard: <DashboardOutlined />,
  reports: <FundOutlined />,
};

const HEADER_HEIGHT = 64;

export function AppLayout() {
  const t = useT();
  const { pathname, search } = useLocation();
  const { data: me } = useMe();
  const screens = Grid.useBreakpoint();
  const { token } = theme.useToken();
  // Before the first measurement every breakpoint is undefined; assume a wide screen then.
  const isPhone = screens.md === false;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);

  const items = menuFor(me);
  const selected = selectedMenuPath(items, pathname);
  const menuItems: NonNullable<MenuProps['items']> = [];
  for (const item of items) {
    const entry = {
      key: item.path,
      icon: ICONS[item.icon],
      label: (
        <Link to={item.path} onClick={() => setDrawerOpen(false)}>
          {t(item.labelKey)}
        </Link>
      ),
    };
    if (!item.group) {
      // A rule ends a group, so the entries after it do not read as its members.
      if (menuItems.at(-1)?.type === 'group') {
        menuItems.push({ type: 'divider', key: `after:${String(menuItems.at(-1)?.key)}` });
      }
      menuItems.push(entry);
      continue;
    }
    // Entries of a group are listed together under its title (always open: no links hidden).
    const key = `group:${item.group}`;
    const last = menuItems.at(-1);
    if (last && last.key === key && last.type === 'group') last.children?.push(entry);
    else {
      menuItems.push({
        type: 'group',
        key,
        label: t(`menu.group.${item.group}`),
        children: [entry],
      });
    }
  }
  const menu = (
    <Menu
      mode="inline"
      items={menuItems}
      selectedKeys={selected ? [selected] : []}
      style={{ borderInlineEnd: 'none' }}
    />
  );

  // An initial password must be changed before anything else, public pages included.
  if (me?.mustChangePassword) return <Navigate to={passwordPath(`${pathname}${search}`)} replace />;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 12,
          paddingInline: isPhone ? 12 : 24,
          background: token.colorBgContainer,
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
          height: HEADER_HEIGHT,
          position: 'sticky',
          top: 0,
          zIndex: 10,
        }}
      >
        {isPhone ? (
          <Button
            type="text"
            icon={<MenuOutlined />}
            aria-label={t('app.openMenu')}
            onClick={() => setDrawerOpen(true)}
          />
        ) : null}
        <Link to="/" style={{ minWidth: 0, flex: 1, display: 'flex', alignItems: 'center' }}>
          <img src="/favicon.svg" alt="" width={28} height={28} style={{ marginInlineEnd: 10 }} />
          <Typography.Text strong ellipsis style={{ fontSize: 18, color: token.colorText }}>
            {screens.sm === false ? t('app.shortName') : t('app.name')}
          </Typography.Text>
        </Link>
        <LanguageSwitch />
        <AccountMenu compact={isPhone} />
      </Layout.Header>
      <Layout>
        {isPhone ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={240}
            title={t('app.name')}
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        ) : (
          <Layout.Sider
            theme="light"
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            breakpoint="lg"
            width={200}
            style={{
              borderInlineEnd: `1px solid ${token.colorBorderSecondary}`,
              // The menu stays in view on long pages, below the sticky header.
              position: 'sticky',
              top: HEADER_HEIGHT,
              height: `calc(100vh - ${HEADER_HEIGHT}px)`,
            }}
          >
            {/* The menu scrolls above the collapse trigger, which is fixed at the bottom: when
                the sider itself scrolled, the trigger covered the last items. */}
            <div style={{ height: '100%', overflowY: 'auto' }}>{menu}</div>
          </Layout.Sider>
        )}
        <Layout>
          <Layout.Content style={{ padding: isPhone ? 12 : 24, minWidth: 0 }}>
            <Suspense fallback={<Spin style={{ display: 'block', marginTop: 48 }} />}>
              <Outlet />
            </Suspense>
          </Layout.Content>
          <Layout.Footer style={{ textAlign: 'center', padding: isPhone ? 12 : '16px 24px' }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('app.footer')}
            </Typography.Text>
            <div>
              <HealthBadge />
            </div>
          </Layout.Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
