import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Select, Space, Table, Tabs, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { can } from '../../access';
import { useClaims, type Claim } from '../../api/evaluations';
import { useBatches, type BatchStatus, type PaymentBatch } from '../../api/payments';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { listPagination } from '../../components/pagination';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { fundLabel } from '../claims/ReviewDrawer';
import { yuan } from '../vouchers/voucherCatalog';
import { BatchBuilder } from './BatchBuilder';
import { BATCH_STATUS_COLORS, BATCH_STATUSES } from './paymentCatalog';
import { RepaymentModal, useOutstanding } from './RepaymentModal';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE };

function BatchList({ manage }: { manage: boolean }) {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const [building, setBuilding] = useState(false);
  const page = readPositiveInt(params, 'page', DEFAULTS.page);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const status = BATCH_STATUSES.find((candidate) => candidate === params.get('status'));
  const { data, error, isFetching, refetch } = useBatches({ status, page, pageSize });
  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));
  const columns: TableColumnsType<PaymentBatch> = [
    {
      title: t('batch.number'),
      dataIndex: 'number',
      render: (value: string, batch) => (
        <Link to={`/payments/${batch.id}`} style={{ fontFamily: 'monospace' }}>
          {value}
        </Link>
      ),
    },
    { title: t('batch.fund'), dataIndex: 'fundName' },
    { title: t('batch.payer'), dataIndex: 'payerName' },
    {
      title: t('batch.status'),
      dataIndex: 'status',
      render: (value: BatchStatus) => (
        <Tag color={BATCH_STATUS_COLORS[value]}>{t(`batch.status.${value}`)}</Tag>
      ),
    },
    { title: t('batch.lines'), dataIndex: 'lineCount', align: 'right' },
    {
      title: t('batch.total'),
      dataIndex: 'totalFen',
      align: 'right',
      render: (fen: number) => yuan(fen),
    },
    {
      title: t('batch.createdAt'),
      dataIndex: 'createdAt',
      responsive: ['sm'],
      render: (value: string) => formatDateTime(value),
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Flex gap={12} wrap align="center" justify="space-between">
        <Select<BatchStatus>
          aria-label={t('payments.filter.status')}
          allowClear
          placeholder={t('payments.filter.allStatuses')}
          value={status}
          style={{ minWidth: 140 }}
          options={BATCH_STATUSES.map((value) => ({ value, label: t(`batch.status.${value}`) }))}
          onChange={(next) => update({ status: next, page: undefined })}
        />
        {manage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setBuilding(true)}>
            {t('payments.new')}
          </Button>
        ) : null}
      </Flex>
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Table<PaymentBatch>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        pagination={listPagination({ page, pageSize, total: data?.total, update, t })}
      />
      {manage ? <BatchBuilder open={building} onClose={() => setBuilding(false)} /> : null}
    </Space>
  );
}

function Outstanding({ claim }: { claim: Claim }) {
  const t = useT();
  const outstanding = useOutstanding(claim);
  return <>{outstanding === null ? t('common.none') : yuan(outstanding)}</>;
}

/** 追回款: clawed-back claims, what each payee still owes, and 登记退回. */
function Clawbacks({ manage }: { manage: boolean }) {
  const t = useT();
  const [repaying, setRepaying] = useState<Claim | null>(null);
  const { data, error, isFetching, refetch } = useClaims({
    status: 'clawed_back',
    page: 1,
    pageSize: 100,
  });
  const columns: TableColumnsType<Claim> = [
    {
      title: t('claim.number'),
      dataIndex: 'number',
      render: (value: string) => <span style={{ fontFamily: 'monospace' }}>{value}</span>,
    },
    {
      title: t('claim.kind'),
      dataIndex: 'kind',
      render: (k: Claim['kind']) => t(`claim.kind.${k}`),
    },
    { title: t('claim.payee'), dataIndex: 'payeeName' },
    { title: t('claim.person'), dataIndex: 'personName' },
    {
      title: t('batch.fund'),
      dataIndex: 'fundCode',
      render: (code: string | null) => (code ? fundLabel(t, code) : t('common.none')),
    },
    {
      title: t('claim.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (fen: number) => yuan(fen),
    },
    {
      title: t('clawbacks.outstanding'),
      key: 'outstanding',
      align: 'right',
      render: (_, claim) => <Outstanding claim={claim} />,
    },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'repay',
            render: (_: unknown, claim: Claim) => (
              <Button size="small" onClick={() => setRepaying(claim)}>
                {t('clawbacks.repay')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('clawbacks.hint')} />
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Table<Claim>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        pagination={false}
      />
      {repaying ? <RepaymentModal claim={repaying} onClose={() => setRepaying(null)} /> : null}
    </Space>
  );
}

/**
 * 补贴支付: payment batches by fund and payer (the batch builder for those who may pay), and the
 * clawed-back claims whose repayment is recorded here.
 */
export default function PaymentsPage() {
  const t = useT();
  const me = useAccount();
  const manage = can(me, 'payments.manage');
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'clawbacks' ? 'clawbacks' : 'batches';
  return (
    <>
      <PageTitle titleKey="payments.title" descriptionKey="payments.description" />
      <Tabs
        activeKey={tab}
        destroyOnHidden
        onChange={(key) => setParams(new URLSearchParams(key === 'batches' ? {} : { tab: key }))}
        items={[
          {
            key: 'batches',
            label: t('payments.tab.batches'),
            children: <BatchList manage={manage} />,
          },
          ...(can(me, 'subsidies.read')
            ? [
                {
                  key: 'clawbacks',
                  label: t('payments.tab.clawbacks'),
                  children: <Clawbacks manage={manage} />,
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
