import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Drawer, Flex, Form, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { evaluationQueries, type Claim } from '../../api/evaluations';
import { paymentsApi, type BuiltBatch } from '../../api/payments';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n';
import { FUNDS, fundLabel } from '../claims/ReviewDrawer';
import { yuan } from '../vouchers/voucherCatalog';
import { CITY_PAYER, usePayerOptions } from './paymentCatalog';

/** The most claims one builder lists (and one request may name: the API takes up to 1000). */
const LISTED = 100;

/** The created batch and the claims the server left out, with the reasons in words. */
export function BuiltSummary({ batch }: { batch: BuiltBatch }) {
  const t = useT();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="built-summary">
      <Alert
        type="success"
        showIcon
        title={t('builder.created', {
          number: batch.number,
          count: batch.lineCount,
          amount: yuan(batch.totalFen),
        })}
        action={
          <Link to={`/payments/${batch.id}`}>
            <Button size="small" type="primary">
              {t('builder.open')}
            </Button>
          </Link>
        }
      />
      {batch.skipped.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          title={t('builder.skipped')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="skipped">
              {batch.skipped.map((s) => (
                <li key={s.claimId}>
                  <span style={{ fontFamily: 'monospace' }}>{s.number}</span>
                  {'：'}
                  {t(`skip.${s.reason}`)}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
    </Space>
  );
}

/**
 * 新建支付批次: the fund and payer, the approved claims they would pay (all ticked), the running
 * total of the ticked ones, then the batch; the claims the server leaves out are named with why.
 */
export function BatchBuilder({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const payerOptions = usePayerOptions(t);
  const [fundCode, setFundCode] = useState<string>();
  const [payer, setPayer] = useState<string>();
  const [deselected, setDeselected] = useState<ReadonlySet<string>>(new Set());
  const [key, setKey] = useState(() => globalThis.crypto.randomUUID());
  const [built, setBuilt] = useState<BuiltBatch | null>(null);
  const [empty, setEmpty] = useState(false);
  const chosen = fundCode !== undefined && payer !== undefined;
  const claims = useQuery({
    ...evaluationQueries.claims({
      status: 'approved',
      fundCode,
      payerRegionCode: payer,
      page: 1,
      pageSize: LISTED,
    }),
    enabled: chosen,
  });
  const items: Claim[] = chosen ? (claims.data?.items ?? []) : [];
  const selected = items.filter((c) => !deselected.has(c.id));
  const totalFen = selected.reduce((sum, c) => sum + c.amountFen, 0);
  const build = useMutation({
    mutationFn: () =>
      paymentsApi.build(
        {
          fundCode: fundCode ?? '',
          payerRegionCode: payer === CITY_PAYER ? null : (payer ?? null),
          claimIds: selected.map((c) => c.id),
        },
        key,
      ),
    onSuccess: (batch) => {
      setBuilt(batch);
      void queryClient.invalidateQueries({ queryKey: ['payments'] });
      void queryClient.invalidateQueries({ queryKey: ['subsidyClaims'] });
      void queryClient.invalidateQueries({ queryKey: ['ledger'] });
    },
  });
  const restart = () => {
    setBuilt(null);
    setEmpty(false);
    setDeselected(new Set());
    setKey(globalThis.crypto.randomUUID());
    build.reset();
  };
  const close = () => {
    restart();
    setFundCode(undefined);
    setPayer(undefined);
    onClose();
  };
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
    {
      title: t('claim.payee'),
      key: 'payee',
      render: (_, c) => (
        <>
          {c.payeeName}
          {c.flagged ? (
            <Tag color="red" style={{ marginInlineStart: 6 }}>
              {t('claim.flagged')}
            </Tag>
          ) : null}
        </>
      ),
    },
    { title: t('claim.person'), dataIndex: 'personName' },
    {
      title: t('claim.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (fen: number) => yuan(fen),
    },
  ];
  return (
    <Drawer
      title={t('builder.title')}
      open={open}
      onClose={close}
      size={760}
      destroyOnHidden
      footer={
        built ? null : (
          <Flex justify="space-between" align="center">
            <span data-testid="builder-total">
              {t('builder.selected', { count: selected.length, amount: yuan(totalFen) })}
            </span>
            <Button
              type="primary"
              loading={build.isPending}
              disabled={!chosen}
              onClick={() => {
                if (selected.length === 0) {
                  setEmpty(true);
                  return;
                }
                setEmpty(false);
                build.mutate();
              }}
            >
              {t('builder.create')}
            </Button>
          </Flex>
        )
      }
    >
      {built ? (
        <BuiltSummary batch={built} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Form layout="inline">
            <Form.Item label={t('builder.fund')} htmlFor="builder-fund">
              <Select<string>
                id="builder-fund"
                aria-label={t('builder.fund')}
                style={{ minWidth: 180 }}
                value={fundCode}
                options={FUNDS.map((f) => ({ value: f.code, label: fundLabel(t, f.code) }))}
                onChange={(value) => {
                  setFundCode(value);
                  restart();
                }}
              />
            </Form.Item>
            <Form.Item label={t('builder.payer')} htmlFor="builder-payer">
              <Select<string>
                id="builder-payer"
                aria-label={t('builder.payer')}
                style={{ minWidth: 160 }}
                value={payer}
                options={payerOptions}
                onChange={(value) => {
                  setPayer(value);
                  restart();
                }}
              />
            </Form.Item>
          </Form>
          {!chosen ? <Alert type="info" showIcon title={t('builder.pickFundPayer')} /> : null}
          {claims.error && chosen ? (
            <ErrorAlert error={claims.error} onRetry={() => void claims.refetch()} />
          ) : null}
          {build.error ? <ErrorAlert error={build.error} /> : null}
          {empty ? <Alert type="warning" showIcon title={t('builder.noneSelected')} /> : null}
          {chosen && claims.data && claims.data.total > items.length ? (
            <Typography.Text type="secondary">
              {t('builder.more', { shown: items.length, total: claims.data.total })}
            </Typography.Text>
          ) : null}
          {chosen ? (
            <Table<Claim>
              rowKey="id"
              size="small"
              columns={columns}
              dataSource={items}
              loading={claims.isFetching}
              pagination={false}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: t('builder.none') }}
              rowSelection={{
                selectedRowKeys: selected.map((c) => c.id),
                onChange: (keys) => {
                  const ticked = new Set(keys.map(String));
                  setDeselected(new Set(items.filter((c) => !ticked.has(c.id)).map((c) => c.id)));
                },
              }}
            />
          ) : null}
        </Space>
      )}
    </Drawer>
  );
}
