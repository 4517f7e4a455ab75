import { Alert, Space, Table, Tabs, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { useSearchParams } from 'react-router';
import { can } from '../../access';
import { useClaims, type Claim } from '../../api/evaluations';
import { useVouchers } from '../../api/queries';
import type { Voucher } from '../../api/types';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { yuan } from '../vouchers/voucherCatalog';
import { RedeemButton } from './RedeemButton';
import { ReviewQueue } from './ReviewQueue';
import { listPagination } from '../../components/pagination';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE, tab: 'claims' };

function ClaimList() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const page = readPositiveInt(params, 'page', DEFAULTS.page);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const flagged = params.get('flagged') === 'true' ? true : undefined;
  const { data, error, isFetching, refetch } = useClaims({ flagged, page, pageSize });
  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));
  const columns: TableColumnsType<Claim> = [
    {
      title: t('claim.number'),
      dataIndex: 'number',
      render: (value: string) => <span style={{ fontFamily: 'monospace' }}>{value}</span>,
    },
    {
      title: t('claim.kind'),
      dataIndex: 'kind',
      render: (kind: Claim['kind']) => t(`claim.kind.${kind}`),
    },
    { title: t('claim.payee'), dataIndex: 'payeeName' },
    { title: t('claim.person'), dataIndex: 'personName' },
    {
      title: t('certificate.idNumber'),
      dataIndex: 'personIdNumberMasked',
      responsive: ['lg'],
      render: (value: string) => <span style={{ fontFamily: 'monospace' }}>{value}</span>,
    },
    {
      title: t('claim.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (fen: number) => yuan(fen),
    },
    {
      title: t('claim.status'),
      key: 'status',
      render: (_, claim) => (
        <>
          <Tag color="blue">{t(`claim.status.${claim.status}`)}</Tag>
          {claim.flagged ? (
            <Tooltip title={claim.flagReason ?? undefined}>
              <Tag color="red">{t('claim.flagged')}</Tag>
            </Tooltip>
          ) : null}
        </>
      ),
    },
    {
      title: t('claim.flagReason'),
      dataIndex: 'flagReason',
      responsive: ['md'],
      render: (reason: string | null) => reason ?? t('common.none'),
    },
    {
      title: t('claim.createdAt'),
      dataIndex: 'createdAt',
      responsive: ['sm'],
      render: (value: string) => formatDateTime(value),
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Table<Claim>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        pagination={listPagination({ page, pageSize, total: data?.total, update, t })}
      />
    </Space>
  );
}

/** The institution's vouchers whose holders are certified: each can be redeemed (以证兑现). */
function CertifiedVouchers() {
  const t = useT();
  const { data, error, isFetching, refetch } = useVouchers({
    state: 'certified',
    page: 1,
    pageSize: 100,
  });
  const columns: TableColumnsType<Voucher> = [
    {
      title: t('voucher.number'),
      dataIndex: 'number',
      render: (value: string) => <span style={{ fontFamily: 'monospace' }}>{value}</span>,
    },
    { title: t('voucher.holder'), dataIndex: 'holderName' },
    {
      title: t('voucher.occupation'),
      dataIndex: 'occupationName',
      render: (name: string, v) => `${v.occupationCode} ${name}`,
    },
    {
      title: t('voucher.value'),
      dataIndex: 'valueFen',
      align: 'right',
      render: (fen: number) => yuan(fen),
    },
    {
      title: t('common.actions'),
      key: 'redeem',
      render: (_, v) => <RedeemButton voucherId={v.id} voucherNumber={v.number} />,
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('claims.certified.hint')} />
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Table<Voucher>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        pagination={false}
      />
    </Space>
  );
}

/**
 * 补贴申领: subsidy claims in scope; an institution also redeems its certified vouchers here, a
 * reviewer (county or city administrator) works through the claims awaiting review.
 */
export default function ClaimsPage() {
  const t = useT();
  const me = useAccount();
  const [params, setParams] = useSearchParams();
  const tabs = [
    { key: 'claims', label: t('claims.tab.claims'), children: <ClaimList /> },
    ...(can(me, 'subsidies.review')
      ? [{ key: 'review', label: t('claims.tab.review'), children: <ReviewQueue me={me} /> }]
      : []),
    ...(can(me, 'vouchers.redeem')
      ? [{ key: 'redeem', label: t('claims.tab.redeem'), children: <CertifiedVouchers /> }]
      : []),
  ];
  const tab = tabs.find((item) => item.key === params.get('tab'))?.key ?? 'claims';
  return (
    <>
      <PageTitle titleKey="claims.title" descriptionKey="claims.description" />
      {tabs.length > 1 ? (
        <Tabs
          activeKey={tab}
          destroyOnHidden
          onChange={(key) => setParams(new URLSearchParams(key === 'claims' ? {} : { tab: key }))}
          items={tabs}
        />
      ) : (
        <ClaimList />
      )}
    </>
  );
}
