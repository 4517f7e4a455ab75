import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Grid, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { can } from '../../access';
import { useOrganisations } from '../../api/queries';
import type { Organisation, OrganisationKind } from '../../api/types';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { RegionName } from '../../components/RegionSelect';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { OrganisationDrawer } from './OrganisationForm';
import { isOrganisationKind, KIND_COLORS, ORGANISATION_KINDS } from './organisationCatalog';
import { listPagination } from '../../components/pagination';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE };

export default function OrganisationsPage() {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;
  const me = useAccount();
  const manage = can(me, 'organisations.manage');

  // Search, filter and paging live in the URL, so a list can be bookmarked and shared.
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const kindParam = params.get('kind');
  const kind = isOrganisationKind(kindParam) ? kindParam : undefined;
  const page = readPositiveInt(params, 'page', DEFAULTS.page);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const { data, error, isFetching, refetch } = useOrganisations({
    q: q || undefined,
    kind,
    page,
    pageSize,
  });
  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));
  const [creating, setCreating] = useState(false);

  const columns: TableColumnsType<Organisation> = [
    {
      title: t('organisation.name'),
      dataIndex: 'name',
      render: (name: string, organisation) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/organisations/${organisation.id}`}>{name}</Link>
          {organisation.uscc ? (
            <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
              {organisation.uscc}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('organisation.kind'),
      dataIndex: 'kind',
      render: (value: OrganisationKind) => (
        <Tag color={KIND_COLORS[value]}>{t(`organisation.kind.${value}`)}</Tag>
      ),
    },
    {
      title: t('organisation.region'),
      dataIndex: 'regionCode',
      responsive: ['md'],
      render: (value: string) => <RegionName code={value} />,
    },
    {
      title: t('organisation.contact'),
      key: 'contact',
      responsive: ['lg'],
      render: (_: unknown, organisation) =>
        organisation.contactName || organisation.contactPhone ? (
          <Space orientation="vertical" size={0}>
            <span>{organisation.contactName ?? t('common.none')}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {organisation.contactPhone ?? ''}
            </Typography.Text>
          </Space>
        ) : (
          t('common.none')
        ),
    },
    {
      title: t('organisation.status'),
      dataIndex: 'status',
      render: (value: Organisation['status']) =>
        value === 'active' ? (
          <Tag color="green">{t('organisation.status.active')}</Tag>
        ) : (
          <Tag>{t('organisation.status.suspended')}</Tag>
        ),
    },
  ];

  return (
    <>
      <PageTitle titleKey="organisations.title" descriptionKey="organisations.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Flex gap={12} wrap justify="space-between">
          <Flex gap={12} wrap style={{ flex: 1 }}>
            <Input.Search
              // Remounting on a new `q` keeps the box in step with back/forward navigation.
              key={q}
              defaultValue={q}
              placeholder={t('organisations.searchPlaceholder')}
              aria-label={t('organisations.searchPlaceholder')}
              enterButton={t('common.search')}
              allowClear
              style={{ maxWidth: 360, minWidth: 220, flex: 1 }}
              onSearch={(value) => update({ q: value.trim(), page: undefined })}
            />
            <Select<OrganisationKind>
              value={kind}
              placeholder={t('organisations.allKinds')}
              aria-label={t('organisations.filterKind')}
              allowClear
              style={{ width: 200 }}
              options={ORGANISATION_KINDS.map((value) => ({
                value,
                label: t(`organisation.kind.${value}`),
              }))}
              onChange={(value) => update({ kind: value, page: undefined })}
            />
          </Flex>
          {manage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('organisations.create')}
            </Button>
          ) : null}
        </Flex>
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        <Table<Organisation>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isFetching}
          locale={{ emptyText: t('organisations.empty') }}
          scroll={{ x: 'max-content' }}
          pagination={listPagination({ page, pageSize, total: data?.total, update, t })}
        />
      </Space>
      {manage ? (
        <OrganisationDrawer
          me={me}
          organisation={null}
          open={creating}
          width={isPhone ? '100%' : 520}
          onClose={() => setCreating(false)}
          onSaved={(organisation) => {
            setCreating(false);
            void message.success(t('organisations.created', { name: organisation.name }));
            void navigate(`/organisations/${organisation.id}`);
          }}
        />
      ) : null}
    </>
  );
}
