import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { can } from '../../access';
import { usePlacements, type Placement } from '../../api/employment';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { listPagination } from '../../components/pagination';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { claimStatusColor, claimStatusText } from '../claims/claimCatalog';
import { RecordPlacementModal } from './RecordPlacementModal';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE };

/**
 * 职业介绍: the placements in scope (an agency its own, a county its agencies', the city all),
 * each with its placement subsidy claim once the insured months made one; agency staff and
 * administrators record new ones.
 */
export default function PlacementsPage() {
  const t = useT();
  const me = useAccount();
  const [params, setParams] = useSearchParams();
  const page = readPositiveInt(params, 'page', DEFAULTS.page);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const [recording, setRecording] = useState(false);
  const { data, error, isFetching, refetch } = usePlacements({ page, pageSize });
  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));
  const columns: TableColumnsType<Placement> = [
    { title: t('placement.person'), dataIndex: 'personName' },
    {
      title: t('placement.idNumber'),
      dataIndex: 'personIdNumberMasked',
      render: (value: string) => <span style={{ fontFamily: 'monospace' }}>{value}</span>,
    },
    { title: t('placement.employerName'), dataIndex: 'employerName' },
    {
      title: t('placement.region'),
      key: 'region',
      responsive: ['md'],
      render: (_, p) => p.employerRegionName ?? p.employerRegionCode,
    },
    { title: t('placement.placedOn'), dataIndex: 'placedOn' },
    ...(me.scope.kind === 'organisation'
      ? []
      : [
          {
            title: t('placement.agency'),
            dataIndex: 'agencyName',
            responsive: ['lg'],
          } satisfies TableColumnsType<Placement>[number],
        ]),
    {
      title: t('placement.claim'),
      key: 'claim',
      render: (_, p) =>
        p.claim ? (
          <Space size={4} wrap>
            <span style={{ fontFamily: 'monospace' }}>{p.claim.number}</span>
            <Tag color={claimStatusColor(p.claim.status)}>{claimStatusText(p.claim.status, t)}</Tag>
          </Space>
        ) : (
          <Tag>{t('placement.claim.none')}</Tag>
        ),
    },
  ];
  return (
    <>
      <PageTitle titleKey="placements.title" descriptionKey="placements.description" />
      <Space orientation="vertical" style={{ width: '100%' }}>
        {can(me, 'placements.write') ? (
          <Flex justify="flex-end">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)}>
              {t('placements.record')}
            </Button>
          </Flex>
        ) : null}
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        <Table<Placement>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isFetching}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('placements.empty') }}
          pagination={listPagination({ page, pageSize, total: data?.total, update, t })}
        />
      </Space>
      {can(me, 'placements.write') ? (
        <RecordPlacementModal me={me} open={recording} onClose={() => setRecording(false)} />
      ) : null}
    </>
  );
}
