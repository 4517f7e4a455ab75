import { DownOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Dropdown,
  Flex,
  Grid,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { MenuProps, TableColumnsType } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { can, ROLES } from '../../access';
import { api } from '../../api/client';
import { useRegions, useUnits, useUsers } from '../../api/queries';
import type { Me, Role, User } from '../../api/types';
import { useAccount } from '../../auth/session';
import { describeError, ErrorAlert } from '../../components/ErrorAlert';
import { InitialPasswordModal, type InitialPassword } from '../../components/InitialPasswordModal';
import { PageTitle } from '../../components/PageTitle';
import { SHANGQIU } from '../../deployment';
import { formatDateTime } from '../../format';
import { useT, type Translate } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { CreateUserDrawer } from './CreateUserDrawer';
import { RenameUserModal } from './RenameUserModal';
import { listPagination } from '../../components/pagination';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE };

function isRole(value: string | null): value is Role {
  return ROLES.some((role) => role === value);
}

function StatusTags({ user, t }: { user: User; t: Translate }) {
  return (
    <Space size={[0, 4]} wrap>
      {user.status === 'active' ? (
        <Tag color="green">{t('users.status.active')}</Tag>
      ) : (
        <Tag>{t('users.status.disabled')}</Tag>
      )}
      {user.lockedUntil ? (
        <Tooltip title={t('users.tag.locked.hint', { time: formatDateTime(user.lockedUntil) })}>
          <Tag color="red">{t('users.tag.locked')}</Tag>
        </Tooltip>
      ) : null}
      {user.mustChangePassword ? (
        <Tooltip title={t('users.tag.mustChange.hint')}>
          <Tag color="orange">{t('users.tag.mustChange')}</Tag>
        </Tooltip>
      ) : null}
    </Space>
  );
}

/**
 * The row's actions: renaming at hand, the rest (each confirmed first) under "more". An account
 * cannot disable itself or reset its own password here.
 */
function UserActions({
  user,
  me,
  onRename,
  onPassword,
}: {
  user: User;
  me: Me;
  onRename: (user: User) => void;
  onPassword: (value: InitialPassword) => void;
}) {
  const t = useT();
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const params = { username: user.username };
  const settle = (run: Promise<unknown>) =>
    run.then(
      () => void client.invalidateQueries({ queryKey: ['users'] }),
      (error: unknown) => void message.error(describeError(error, t)),
    );

  const confirm = (title: string, okText: string, action: () => Promise<unknown>, danger = false) =>
    modal.confirm({
      title,
      okText,
      cancelText: t('common.cancel'),
      okButtonProps: { danger },
      // The dialog shows a spinner until the call ends, then closes either way.
      onOk: () => settle(action()),
    });

  const self = user.id === me.id;
  const items: MenuProps['items'] = [];
  if (!self && user.status === 'active') {
    items.push({ key: 'disable', danger: true, label: t('users.action.disable') });
  }
  if (!self && user.status === 'disabled') {
    items.push({ key: 'enable', label: t('users.action.enable') });
  }
  if (!self) items.push({ key: 'reset', label: t('users.action.resetPassword') });
  if (user.lockedUntil) items.push({ key: 'unlock', label: t('users.action.unlock') });

  const onMenu: MenuProps['onClick'] = ({ key }) => {
    switch (key) {
      case 'disable':
        return confirm(
          t('users.confirm.disable', params),
          t('users.action.disable'),
          async () => {
            await api.users.update(user.id, { status: 'disabled' });
            void message.success(t('users.done.disabled', params));
          },
          true,
        );
      case 'enable':
        return confirm(t('users.confirm.enable', params), t('users.action.enable'), async () => {
          await api.users.update(user.id, { status: 'active' });
          void message.success(t('users.done.enabled', params));
        });
      case 'reset':
        return confirm(
          t('users.confirm.resetPassword', params),
          t('users.action.resetPassword'),
          async () => {
            const { initialPassword } = await api.users.resetPassword(user.id);
            onPassword({ username: user.username, password: initialPassword, reason: 'reset' });
          },
        );
      case 'unlock':
        return confirm(t('users.confirm.unlock', params), t('users.action.unlock'), async () => {
          await api.users.unlock(user.id);
          void message.success(t('users.done.unlocked', params));
        });
    }
  };

  return (
    <Space size={0}>
      <Button type="link" size="small" onClick={() => onRename(user)}>
        {t('users.action.rename')}
      </Button>
      {items.length > 0 ? (
        <Dropdown menu={{ items, onClick: onMenu }} trigger={['click']}>
          <Button type="link" size="small">
            {t('users.action.more')} <DownOutlined />
          </Button>
        </Dropdown>
      ) : null}
    </Space>
  );
}

export default function UsersPage() {
  const t = useT();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;
  const me = useAccount();
  const manage = can(me, 'users.manage');

  // Search, filter and paging live in the URL, so a list can be bookmarked and shared.
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const roleParam = params.get('role');
  const role = isRole(roleParam) ? roleParam : undefined;
  const page = readPositiveInt(params, 'page', DEFAULTS.page);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const { data, error, isFetching, refetch } = useUsers({
    q: q || undefined,
    role,
    page,
    pageSize,
  });
  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));

  const regions = useRegions({ parent: SHANGQIU });
  const units = useUnits({ withoutTarget: true });
  const regionName = (code: string) =>
    regions.data?.items.find((region) => region.code === code)?.name ?? code;
  const unitName = (id: string) =>
    units.data?.items.find((unit) => unit.id === id)?.canonicalName ?? id;

  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<User | null>(null);
  const [initialPassword, setInitialPassword] = useState<InitialPassword | null>(null);

  const scopeOf = (user: User): string => {
    if (user.unitId) return t('users.scope.unit', { name: unitName(user.unitId) });
    if (user.regionCode) return regionName(user.regionCode);
    if (user.organisationId) return t('users.scope.organisation', { id: user.organisationId });
    if (user.personId) return t('users.scope.person', { id: user.personId });
    return t('users.scope.city');
  };

  const columns: TableColumnsType<User> = [
    {
      title: t('users.col.account'),
      dataIndex: 'username',
      render: (username: string, user) => (
        <Space orientation="vertical" size={0}>
          <Space size={4}>
            <Typography.Text strong>{username}</Typography.Text>
            {user.id === me.id ? <Tag color="blue">{t('users.tag.self')}</Tag> : null}
          </Space>
          <Typography.Text type="secondary">{user.displayName}</Typography.Text>
        </Space>
      ),
    },
    {
      title: t('users.col.role'),
      dataIndex: 'role',
      render: (value: Role) => t(`role.${value}`),
    },
    {
      title: t('users.col.scope'),
      key: 'scope',
      responsive: ['lg'],
      render: (_: unknown, user) => (
        <Typography.Text ellipsis={{ tooltip: true }} style={{ maxWidth: 200 }}>
          {scopeOf(user)}
        </Typography.Text>
      ),
    },
    {
      title: t('users.col.status'),
      key: 'status',
      render: (_: unknown, user) => <StatusTags user={user} t={t} />,
    },
    {
      title: t('users.col.lastLogin'),
      dataIndex: 'lastLoginAt',
      responsive: ['md'],
      render: (value: string | null) =>
        value ? (
          formatDateTime(value)
        ) : (
          <Typography.Text type="secondary">{t('users.never')}</Typography.Text>
        ),
    },
    {
      title: t('users.col.createdAt'),
      dataIndex: 'createdAt',
      responsive: ['xxl'],
      render: (value: string) => formatDateTime(value),
    },
  ];
  if (manage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: isPhone ? undefined : 'right',
      render: (_: unknown, user) => (
        <UserActions user={user} me={me} onRename={setRenaming} onPassword={setInitialPassword} />
      ),
    });
  }

  return (
    <>
      <PageTitle titleKey="users.title" descriptionKey="users.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {manage ? null : <Alert type="info" showIcon title={t('users.readOnly')} />}
        <Flex gap={12} wrap justify="space-between">
          <Flex gap={12} wrap style={{ flex: 1 }}>
            <Input.Search
              // Remounting on a new `q` keeps the box in step with back/forward navigation.
              key={q}
              defaultValue={q}
              placeholder={t('users.searchPlaceholder')}
              aria-label={t('users.searchPlaceholder')}
              enterButton={t('common.search')}
              allowClear
              style={{ maxWidth: 360, minWidth: 220, flex: 1 }}
              onSearch={(value) => update({ q: value.trim(), page: undefined })}
            />
            <Select<Role>
              value={role}
              placeholder={t('users.allRoles')}
              aria-label={t('users.filterRole')}
              allowClear
              style={{ width: 200 }}
              options={ROLES.map((value) => ({ value, label: t(`role.${value}`) }))}
              onChange={(value) => update({ role: value, page: undefined })}
            />
          </Flex>
          {manage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('users.create')}
            </Button>
          ) : null}
        </Flex>
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        <Table<User>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isFetching}
          locale={{ emptyText: t('users.empty') }}
          scroll={{ x: 'max-content' }}
          pagination={listPagination({ page, pageSize, total: data?.total, update, t })}
        />
      </Space>
      {manage ? (
        <>
          <CreateUserDrawer
            me={me}
            open={creating}
            width={isPhone ? '100%' : 480}
            onClose={() => setCreating(false)}
            onCreated={(result) => {
              setCreating(false);
              setInitialPassword({
                username: result.user.username,
                password: result.initialPassword,
                reason: 'created',
              });
            }}
          />
          <RenameUserModal
            user={renaming}
            onClose={() => setRenaming(null)}
            onDone={() => {
              setRenaming(null);
              void message.success(t('users.done.renamed'));
            }}
          />
          <InitialPasswordModal value={initialPassword} onClose={() => setInitialPassword(null)} />
        </>
      ) : null}
    </>
  );
}
