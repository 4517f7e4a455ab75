import { Flex, Space, Table, Tabs, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTrialBalance, type LedgerAccount } from '../../api/evaluations';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';
import { useSearchParams } from 'react-router';
import { fundLabel } from '../claims/ReviewDrawer';
import { yuan } from '../vouchers/voucherCatalog';
import { FundBalances } from './FundBalances';
import { StatementView } from './StatementView';

const money = (fen: number) => <span style={{ fontFamily: 'monospace' }}>{yuan(fen)}</span>;

/**
 * 试算平衡: debits, credits and balance per ledger account, and the totals, whose balance is zero
 * when the books balance (every entry does; the tag says so).
 */
function TrialBalanceView() {
  const t = useT();
  const { data, error, isFetching, refetch } = useTrialBalance();
  const total = data?.total;
  const balanced = total ? total.balanceFen === 0 && total.debitFen === total.creditFen : null;
  const columns: TableColumnsType<LedgerAccount> = [
    { title: t('ledger.account'), dataIndex: 'name' },
    {
      title: t('ledger.kind'),
      dataIndex: 'kind',
      render: (kind: LedgerAccount['kind']) => t(`ledger.kind.${kind}`),
    },
    {
      title: t('ledger.fund'),
      dataIndex: 'fundCode',
      render: (code: string) => fundLabel(t, code),
    },
    {
      title: t('ledger.organisation'),
      dataIndex: 'organisationName',
      render: (name: string | null) => name ?? t('common.none'),
    },
    { title: t('ledger.debit'), dataIndex: 'debitFen', align: 'right', render: money },
    { title: t('ledger.credit'), dataIndex: 'creditFen', align: 'right', render: money },
    { title: t('ledger.balance'), dataIndex: 'balanceFen', align: 'right', render: money },
  ];
  return (
    <>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        {balanced === null ? null : (
          <Flex>
            <Tag color={balanced ? 'green' : 'red'} data-testid="ledger-balanced">
              {balanced ? t('ledger.balanced') : t('ledger.unbalanced')}
            </Tag>
          </Flex>
        )}
        <Table<LedgerAccount>
          rowKey="accountId"
          size="middle"
          columns={columns}
          dataSource={data?.accounts ?? []}
          loading={isFetching}
          scroll={{ x: 'max-content' }}
          pagination={false}
          summary={() =>
            total ? (
              <Table.Summary.Row data-testid="ledger-total">
                <Table.Summary.Cell index={0} colSpan={4}>
                  <strong>{t('ledger.total')}</strong>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  {money(total.debitFen)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5} align="right">
                  {money(total.creditFen)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={6} align="right">
                  {money(total.balanceFen)}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            ) : null
          }
        />
      </Space>
    </>
  );
}

const TABS = ['trial', 'funds', 'statement'] as const;

/** The ledger: 试算平衡, 资金余额 per fund and a payee's 往来对账单. */
export default function LedgerPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((key) => key === params.get('tab')) ?? 'trial';
  return (
    <>
      <PageTitle titleKey="ledger.title" descriptionKey="ledger.description" />
      <Tabs
        activeKey={tab}
        destroyOnHidden
        onChange={(key) => setParams(new URLSearchParams(key === 'trial' ? {} : { tab: key }))}
        items={[
          { key: 'trial', label: t('ledger.tab.trial'), children: <TrialBalanceView /> },
          { key: 'funds', label: t('ledger.tab.funds'), children: <FundBalances /> },
          { key: 'statement', label: t('ledger.tab.statement'), children: <StatementView /> },
        ]}
      />
    </>
  );
}
