import { Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useFundBalances, type FundBalance } from '../../api/payments';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n';
import { CLAIM_STATUS_COLORS, CLAIM_STATUSES } from '../claims/claimCatalog';
import { fundLabel } from '../claims/ReviewDrawer';
import { yuan } from '../vouchers/voucherCatalog';

const money = (fen: number) => <span style={{ fontFamily: 'monospace' }}>{yuan(fen)}</span>;

/** 资金余额: per fund what was approved, paid, is payable or receivable, and claims per status. */
export function FundBalances() {
  const t = useT();
  const { data, error, isFetching, refetch } = useFundBalances();
  const columns: TableColumnsType<FundBalance> = [
    {
      title: t('funds.fund'),
      dataIndex: 'fundCode',
      render: (code: string, row) => (code ? fundLabel(t, code) : row.fundName),
    },
    { title: t('funds.approved'), dataIndex: 'approvedFen', align: 'right', render: money },
    { title: t('funds.paid'), dataIndex: 'paidFen', align: 'right', render: money },
    { title: t('funds.payable'), dataIndex: 'payableFen', align: 'right', render: money },
    { title: t('funds.receivable'), dataIndex: 'receivableFen', align: 'right', render: money },
    { title: t('funds.cashOut'), dataIndex: 'cashOutFen', align: 'right', render: money },
    {
      title: t('funds.claims'),
      key: 'claims',
      render: (_, row) => (
        <Space size={[0, 4]} wrap>
          {CLAIM_STATUSES.filter((s) => row.claims[s] > 0).map((s) => (
            <Tag key={s} color={CLAIM_STATUS_COLORS[s]}>
              {t(`claim.status.${s}`)} {row.claims[s]}
            </Tag>
          ))}
        </Space>
      ),
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Table<FundBalance>
        rowKey="fundCode"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        pagination={false}
        locale={{ emptyText: t('funds.empty') }}
        data-testid="fund-balances"
      />
    </Space>
  );
}
