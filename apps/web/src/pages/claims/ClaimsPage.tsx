import { Alert, Checkbox, Flex, Select, Space, Table, Tabs, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { useSearchParams } from 'react-router';
import { can } from '../../access';
import { useClaims, type Claim, type ClaimKind, type ClaimStatus } from '../../api/evaluations';
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
import { CLAIM_KINDS, CLAIM_STATUS_COLORS, CLAIM_STATUSES } from './claimCatalog';
import { listPagination } from '../../components/pagination';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE, tab: 'claims' };

function ClaimList() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const page = readPositiveInt(params, 'page', DEFAULTS.page);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const flagged = params.get('flagged') === 'true' ? true : undefined;
  const kind = CLAIM_KINDS.find((candidate) => candidate === params.get('kind'));
  const status = CLAIM_STATUSES.find((candidate) => candidate === params.get('status'));
  const { data, error, isFetching, refetch } = useClaims({ kind, status, flagged, page, pageSize });
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
          <Tag color={CLAIM_STATUS_COLORS[claim.status]}>{t(`claim.status.${claim.status}`)}</Tag>
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
      // Why a claim was refused — by a reviewer, or by the system (e.g. the enterprise cap).
      title: t('claim.rejectionReason'),
      key: 'rejectionReason',
      render: (_, claim) =>
        claim.rejectionReason ? (
          <span>
            {claim.rejectionReason}
            {claim.rejectedBy === null ? (
              <Tag style={{ marginInlineStart: 6 }}>{t('claim.rejectedBy.system')}</Tag>
            ) : null}
          </span>
        ) : (
          t('common.none')
        ),
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
      <Flex gap={12} wrap align="center">
        <Select<ClaimKind>
          aria-label={t('claims.filter.kind')}
          allowClear
          placeholder={t('claims.filter.allKinds')}
          value={kind}
          style={{ minWidth: 160 }}
          options={CLAIM_KINDS.map((value) => ({ value, label: t(`claim.kind.${value}`) }))}
          onChange={(next) => update({ kind: next, page: undefined })}
        />
        <Select<ClaimStatus>
          aria-label={t('claims.filter.status')}
          allowClear
          placeholder={t('claims.filter.allStatuses')}
          value={status}
          style={{ minWidth: 140 }}
          options={CLAIM_STATUSES.map((value) => ({ value, label: t(`claim.status.${value}`) }))}
          onChange={(next) => update({ status: next, page: undefined })}
        />
        <Checkbox
          checked={flagged === true}
          onChange={(event) =>
            update({ flagged: event.target.checked ? 'true' : undefined, page: undefined })
          }
        >
          {t('claims.filter.flaggedOnly')}
        </Checkbox>
      </Flex>
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
