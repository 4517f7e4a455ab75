import { ArrowLeftOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Collapse,
  Descriptions,
  Empty,
  Flex,
  Grid,
  Space,
  Spin,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { CollapseProps } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { can } from '../../access';
import { useOrganisation, useSites } from '../../api/queries';
import type { Organisation, Site } from '../../api/types';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../components/PageTitle';
import { RegionName } from '../../components/RegionSelect';
import { formatDateTime } from '../../format';
import { useT, type Translate } from '../../i18n';
import { KIND_COLORS } from './organisationCatalog';
import { OrganisationDrawer } from './OrganisationForm';
import { ScopesEditor } from './ScopesEditor';
import { SiteModal } from './SiteModal';

function statusTag(status: Organisation['status'], t: Translate) {
  return status === 'active' ? (
    <Tag color="green">{t('organisation.status.active')}</Tag>
  ) : (
    <Tag>{t('organisation.status.suspended')}</Tag>
  );
}

function OrganisationDescriptions({ organisation }: { organisation: Organisation }) {
  const t = useT();
  const none = t('common.none');
  const items = [
    { key: 'name', label: t('organisation.name'), children: organisation.name },
    {
      key: 'kind',
      label: t('organisation.kind'),
      children: t(`organisation.kind.${organisation.kind}`),
    },
    {
      key: 'uscc',
      label: t('organisation.uscc'),
      children: organisation.uscc ? (
        <Typography.Text copyable style={{ fontFamily: 'monospace' }}>
          {organisation.uscc}
        </Typography.Text>
      ) : (
        none
      ),
    },
    {
      key: 'region',
      label: t('organisation.region'),
      children: <RegionName code={organisation.regionCode} />,
    },
    { key: 'status', label: t('organisation.status'), children: statusTag(organisation.status, t) },
  ];
  if (organisation.kind === 'evaluation_institution') {
    items.push(
      {
        key: 'evaluationType',
        label: t('organisation.evaluationType'),
        children: organisation.evaluationType
          ? t(`organisation.evaluationType.${organisation.evaluationType}`)
          : none,
      },
      {
        key: 'institutionCode',
        label: t('organisation.institutionCode'),
        children: organisation.institutionCode ?? none,
      },
    );
  }
  if (organisation.kind === 'employer') {
    items.push(
      {
        key: 'sizeClass',
        label: t('organisation.sizeClass'),
        children: organisation.sizeClass
          ? `${t(`organisation.sizeClass.${organisation.sizeClass}`)}${
              organisation.isSme ? ` · ${t('organisation.sme')}` : ''
            }`
          : none,
      },
      {
        key: 'affiliation',
        label: t('organisation.affiliation'),
        children: organisation.affiliation ? (
          <>
            {t(`organisation.affiliation.${organisation.affiliation}`)}
            {organisation.affiliationRegionCode ? (
              <>
                {' · '}
                <RegionName code={organisation.affiliationRegionCode} />
              </>
            ) : null}
          </>
        ) : (
          none
        ),
      },
    );
  }
  items.push(
    { key: 'address', label: t('organisation.address'), children: organisation.address ?? none },
    {
      key: 'contact',
      label: t('organisation.contact'),
      children:
        [organisation.contactName, organisation.contactPhone].filter(Boolean).join(' · ') || none,
    },
    {
      key: 'bank',
      label: t('organisation.bank'),
      children: organisation.bankAccountNo ? (
        <span data-testid="organisation-bank">
          {organisation.bankName} · {organisation.bankAccountName} ·{' '}
          <span style={{ fontFamily: 'monospace' }}>{organisation.bankAccountNo}</span>
        </span>
      ) : (
        <span style={{ color: '#faad14' }}>{t('organisation.bank.none')}</span>
      ),
    },
    {
      key: 'updated',
      label: t('person.updatedAt'),
      children: formatDateTime(organisation.updatedAt),
    },
  );
  return <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} items={items} />;
}

/**
 * An evaluation institution's sites, one panel each, opening onto what the site is approved to
 * evaluate. Panels rather than a table with expanding rows: the scope editor fits a phone then.
 */
function Sites({ organisation }: { organisation: Organisation }) {
  const t = useT();
  const me = useAccount();
  const manage = can(me, 'organisations.manage');
  const canApprove = can(me, 'organisations.scopes.approve');
  const { data, error, isPending, refetch } = useSites(organisation.id);
  const [editing, setEditing] = useState<Site | 'new' | null>(null);
  const sites = data?.items ?? [];

  const items: CollapseProps['items'] = sites.map((site) => ({
    key: site.id,
    label: (
      <Space size={[8, 4]} wrap>
        <Typography.Text strong>{site.name}</Typography.Text>
        <Tooltip title={t('site.serialCode')}>
          <Typography.Text code>{site.serialCode}</Typography.Text>
        </Tooltip>
        <Typography.Text type="secondary">
          <RegionName code={site.regionCode} />
          {site.address ? ` · ${site.address}` : ''}
        </Typography.Text>
        {statusTag(site.status, t)}
      </Space>
    ),
    extra: manage ? (
      <Button
        type="link"
        size="small"
        onClick={(event) => {
          // The button sits in the panel header: editing should not also fold the panel.
          event.stopPropagation();
          setEditing(site);
        }}
      >
        {t('site.edit')}
      </Button>
    ) : null,
    children: <ScopesEditor organisationId={organisation.id} site={site} canApprove={canApprove} />,
  }));

  return (
    <Card
      title={t('site.title')}
      extra={
        manage ? (
          <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('site.add')}
          </Button>
        ) : null
      }
      styles={{ body: { padding: 12 } }}
    >
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      {isPending ? <Spin style={{ display: 'block', margin: 24 }} /> : null}
      {data && sites.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('site.empty')} />
      ) : null}
      {sites.length > 0 ? (
        <Collapse
          // The first site opens at once: its scope is what the page is usually visited for.
          defaultActiveKey={sites.slice(0, 1).map((site) => site.id)}
          items={items}
        />
      ) : null}
      {editing ? (
        <SiteModal
          organisationId={organisation.id}
          site={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </Card>
  );
}

export default function OrganisationDetailPage() {
  const t = useT();
  const { message } = App.useApp();
  const { id = '' } = useParams();
  const me = useAccount();
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;
  const { data: organisation, error, isPending, refetch } = useOrganisation(id);
  const [editing, setEditing] = useState(false);
  useDocumentTitle(organisation?.name ?? t('organisations.title'));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/organisations">
        <ArrowLeftOutlined /> {t('organisationDetail.back')}
      </Link>
      {isPending ? <Spin style={{ display: 'block', marginTop: 48 }} /> : null}
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      {organisation ? (
        <>
          <Flex gap={12} wrap justify="space-between" align="center">
            <Space size={8} wrap>
              <Typography.Title level={3} style={{ margin: 0 }}>
                {organisation.name}
              </Typography.Title>
              <Tag color={KIND_COLORS[organisation.kind]}>
                {t(`organisation.kind.${organisation.kind}`)}
              </Tag>
            </Space>
            {can(me, 'organisations.manage') ? (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                {t('organisationDetail.edit')}
              </Button>
            ) : null}
          </Flex>
          <OrganisationDescriptions organisation={organisation} />
          {organisation.kind === 'evaluation_institution' ? (
            <Sites organisation={organisation} />
          ) : null}
          {editing ? (
            <OrganisationDrawer
              me={me}
              organisation={organisation}
              open
              width={isPhone ? '100%' : 520}
              onClose={() => setEditing(false)}
              onSaved={() => {
                setEditing(false);
                void message.success(t('organisationDetail.saved'));
              }}
            />
          ) : null}
        </>
      ) : null}
    </Space>
  );
}
