import { useQuery } from '@tanstack/react-query';
import { Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { can } from '../../access';
import { evaluationQueries } from '../../api/evaluations';
import { useStatement, type StatementMovement } from '../../api/payments';
import { queries } from '../../api/queries';
import type { Me } from '../../api/types';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n';
import { fundLabel } from '../claims/ReviewDrawer';
import { yuan } from '../vouchers/voucherCatalog';

const money = (fen: number) => <span style={{ fontFamily: 'monospace' }}>{yuan(fen)}</span>;

/** Payees by name: from the organisation register when readable, else the ledger's accounts. */
function usePayeeOptions(me: Me, search: string): { value: string; label: string }[] {
  const register = can(me, 'organisations.read');
  const organisations = useQuery({
    ...queries.organisations({ q: search.trim() || undefined, page: 1, pageSize: 20 }),
    enabled: register,
  });
  const ledger = useQuery({
    ...evaluationQueries.trialBalance(),
    enabled: !register && can(me, 'ledger.read'),
  });
  return useMemo(() => {
    if (register) {
      return (organisations.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }));
    }
    const seen = new Map<string, string>();
    for (const account of ledger.data?.accounts ?? []) {
      if (account.organisationId && account.organisationName) {
        seen.set(account.organisationId, account.organisationName);
      }
    }
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [register, organisations.data, ledger.data]);
}

function PayeePicker({ value, onChange }: { value?: string; onChange: (id: string) => void }) {
  const t = useT();
  const me = useAccount();
  const [search, setSearch] = useState('');
  const options = usePayeeOptions(me, search);
  return (
    <Select<string>
      aria-label={t('statement.organisation')}
      placeholder={t('statement.pickOrganisation')}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      style={{ minWidth: 280 }}
      value={value}
      options={options}
      onChange={onChange}
    />
  );
}

/**
 * 往来对账单: a payee's payable and receivable movements with the running balance. An
 * organisation's staff see their own; others pick the payee.
 */
export function StatementView() {
  const t = useT();
  const me = useAccount();
  const own = me.scope.kind === 'organisation';
  const [organisationId, setOrganisationId] = useState<string>();
  const enabled = own || organisationId !== undefined;
  const { data, error, isFetching, refetch } = useStatement(
    own ? undefined : organisationId,
    enabled,
  );
  const columns: TableColumnsType<StatementMovement> = [
    { title: t('statement.date'), dataIndex: 'date' },
    {
      title: t('statement.entry'),
      dataIndex: 'entryKind',
      render: (kind: StatementMovement['entryKind']) => t(`entryKind.${kind}`),
    },
    {
      title: t('statement.account'),
      dataIndex: 'account',
      render: (account: StatementMovement['account']) => t(`statement.account.${account}`),
    },
    { title: t('ledger.fund'), dataIndex: 'fundCode', render: (c: string) => fundLabel(t, c) },
    {
      title: t('statement.claim'),
      dataIndex: 'claimNumber',
      render: (n: string | null) =>
        n ? <span style={{ fontFamily: 'monospace' }}>{n}</span> : t('common.none'),
    },
    { title: t('statement.debit'), dataIndex: 'debitFen', align: 'right', render: money },
    { title: t('statement.credit'), dataIndex: 'creditFen', align: 'right', render: money },
    { title: t('statement.balance'), dataIndex: 'balanceFen', align: 'right', render: money },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {own ? null : <PayeePicker value={organisationId} onChange={setOrganisationId} />}
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      {data ? (
        <Typography.Text strong data-testid="statement-closing">
          {data.organisationName} ·{' '}
          {t('statement.closing', {
            payable: yuan(data.closing.payableFen),
            receivable: yuan(data.closing.receivableFen),
            balance: yuan(data.closing.balanceFen),
          })}
        </Typography.Text>
      ) : null}
      {enabled ? (
        <Table<StatementMovement>
          rowKey={(m) => `${m.entryId}:${m.account}`}
          size="middle"
          columns={columns}
          dataSource={data?.movements ?? []}
          loading={isFetching}
          scroll={{ x: 'max-content' }}
          pagination={false}
          locale={{ emptyText: t('statement.empty') }}
        />
      ) : null}
    </Space>
  );
}
