import { UploadOutlined, DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, Flex, Space, Table, Tag, Typography, Upload } from 'antd';
import type { DescriptionsProps, TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { can } from '../../access';
import { paymentsApi, useBatch, type PaymentLine } from '../../api/payments';
import { useAccount } from '../../auth/session';
import { describeError, ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { PayerName } from '../claims/EmploymentEvidence';
import { fundLabel } from '../claims/ReviewDrawer';
import { yuan } from '../vouchers/voucherCatalog';
import { BATCH_STATUS_COLORS, LINE_STATUS_COLORS } from './paymentCatalog';
import { ResultsForm } from './ResultsForm';

/** Starts the browser's download of `url` (same origin: the session cookie goes with it). */
function download(url: string) {
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = '';
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}

/**
 * 支付批次: the batch's header and lines; 导出银行文件 (marks it exported, then downloads the
 * xlsx), 登记支付结果 per line or from the bank's results workbook.
 */
export default function PaymentBatchPage() {
  const t = useT();
  const { id = '' } = useParams();
  const me = useAccount();
  const manage = can(me, 'payments.manage');
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const { data: batch, error, refetch } = useBatch(id);
  const [recording, setRecording] = useState(false);
  const [key] = useState(() => globalThis.crypto.randomUUID());
  const exportBatch = useMutation({
    mutationFn: () => paymentsApi.export(id, key),
    onSuccess: (answer) => {
      queryClient.setQueryData(['payments', 'one', id], answer);
      void queryClient.invalidateQueries({ queryKey: ['payments', 'list'] });
      void message.success(t('batchDetail.exported'));
      download(paymentsApi.bankFileUrl(id));
    },
  });
  const upload = useMutation({
    mutationFn: (file: File) => paymentsApi.resultsFile(id, file),
    onSuccess: (answer) => {
      queryClient.setQueryData(['payments', 'one', id], answer);
      void queryClient.invalidateQueries({ queryKey: ['payments', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['subsidyClaims'] });
      void queryClient.invalidateQueries({ queryKey: ['ledger'] });
      void message.success(
        t('batchDetail.recorded', {
          paid: answer.paid,
          failed: answer.failed,
          unchanged: answer.unchanged,
        }),
      );
    },
    onError: (cause) =>
      void modal.error({ title: t('batchDetail.upload'), content: describeError(cause, t) }),
  });
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  if (!batch) return null;
  const header: DescriptionsProps['items'] = [
    { key: 'fund', label: t('batch.fund'), children: fundLabel(t, batch.fundCode) },
    { key: 'payer', label: t('batch.payer'), children: <PayerName code={batch.payerRegionCode} /> },
    {
      key: 'status',
      label: t('batch.status'),
      children: (
        <Tag color={BATCH_STATUS_COLORS[batch.status]} data-testid="batch-status">
          {t(`batch.status.${batch.status}`)}
        </Tag>
      ),
    },
    { key: 'lines', label: t('batch.lines'), children: batch.lineCount },
    { key: 'total', label: t('batch.total'), children: yuan(batch.totalFen) },
    {
      key: 'counts',
      label: t('line.status'),
      children: t('batch.counts', {
        paid: batch.paidCount,
        failed: batch.failedCount,
        pending: batch.pendingCount,
      }),
    },
    { key: 'created', label: t('batch.createdAt'), children: formatDateTime(batch.createdAt) },
    {
      key: 'exported',
      label: t('batch.exportedAt'),
      children: batch.exportedAt ? formatDateTime(batch.exportedAt) : t('common.none'),
    },
    {
      key: 'settled',
      label: t('batch.settledAt'),
      children: batch.settledAt ? formatDateTime(batch.settledAt) : t('common.none'),
    },
  ];
  const columns: TableColumnsType<PaymentLine> = [
    { title: t('line.no'), dataIndex: 'lineNo' },
    {
      title: t('line.claimNumber'),
      dataIndex: 'claimNumber',
      render: (value: string) => <span style={{ fontFamily: 'monospace' }}>{value}</span>,
    },
    {
      title: t('line.kind'),
      dataIndex: 'claimKind',
      render: (kind: PaymentLine['claimKind']) => t(`claim.kind.${kind}`),
    },
    { title: t('line.payee'), dataIndex: 'payeeName' },
    { title: t('line.bankName'), dataIndex: 'bankName' },
    {
      title: t('line.accountNo'),
      dataIndex: 'bankAccountNo',
      render: (value: string) => <span style={{ fontFamily: 'monospace' }}>{value}</span>,
    },
    {
      title: t('line.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (fen: number) => yuan(fen),
    },
    {
      title: t('line.status'),
      dataIndex: 'status',
      render: (status: PaymentLine['status']) => (
        <Tag color={LINE_STATUS_COLORS[status]}>{t(`line.status.${status}`)}</Tag>
      ),
    },
    {
      title: t('line.reference'),
      key: 'reference',
      render: (_, line) => line.bankReference ?? line.failureReason ?? t('common.none'),
    },
  ];
  const open = batch.status === 'open';
  const exported = batch.status === 'exported';
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Link to="/payments">{t('batchDetail.back')}</Link>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('batchDetail.title', { number: batch.number })}
      </Typography.Title>
      <Descriptions bordered size="small" column={{ xs: 1, md: 3 }} items={header} />
      <Flex gap={8} wrap>
        {open && manage ? (
          <Button
            type="primary"
            icon={<DownloadOutlined />}
            loading={exportBatch.isPending}
            onClick={() => exportBatch.mutate()}
          >
            {t('batchDetail.export')}
          </Button>
        ) : null}
        {!open ? (
          <Button icon={<DownloadOutlined />} href={paymentsApi.bankFileUrl(batch.id)} download>
            {t('batchDetail.download')}
          </Button>
        ) : null}
        {exported && manage && batch.pendingCount > 0 ? (
          <>
            <Button type="primary" onClick={() => setRecording(true)}>
              {t('batchDetail.record')}
            </Button>
            <Upload
              accept=".xlsx"
              maxCount={1}
              showUploadList={false}
              beforeUpload={(file) => {
                upload.mutate(file);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={upload.isPending}>
                {t('batchDetail.upload')}
              </Button>
            </Upload>
          </>
        ) : null}
      </Flex>
      {exported && manage && batch.pendingCount > 0 ? (
        <Typography.Text type="secondary">{t('batchDetail.uploadHint')}</Typography.Text>
      ) : null}
      {exportBatch.error ? <ErrorAlert error={exportBatch.error} /> : null}
      <Table<PaymentLine>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={batch.lines}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
      {recording ? (
        <ResultsForm batch={batch} open={recording} onClose={() => setRecording(false)} />
      ) : null}
    </Space>
  );
}
