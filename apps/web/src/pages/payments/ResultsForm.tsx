import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Input, Modal, Radio, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import {
  paymentsApi,
  type BatchDetail,
  type PaymentLine,
  type ResultLine,
} from '../../api/payments';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n';
import { yuan } from '../vouchers/voucherCatalog';

export interface LineDraft {
  outcome?: 'paid' | 'failed';
  bankReference?: string;
  reason?: string;
}

/**
 * The results to send: the lines given an outcome, or the line numbers of failed ones without a
 * reason (the server requires one; it is asked for here first).
 */
export function resultsOf(
  drafts: Readonly<Record<number, LineDraft>>,
): { lines: ResultLine[] } | { missingReason: number[] } {
  const lines: ResultLine[] = [];
  const missingReason: number[] = [];
  for (const [no, draft] of Object.entries(drafts)) {
    const lineNo = Number(no);
    const reference = draft.bankReference?.trim();
    const reason = draft.reason?.trim();
    if (draft.outcome === 'paid') {
      lines.push({ lineNo, outcome: 'paid', ...(reference ? { bankReference: reference } : {}) });
    } else if (draft.outcome === 'failed') {
      if (!reason) missingReason.push(lineNo);
      else lines.push({ lineNo, outcome: 'failed', reason });
    }
  }
  return missingReason.length > 0 ? { missingReason } : { lines };
}

/**
 * 登记支付结果: per pending line 成功 (with the bank's reference, optional) or 失败 (with a reason,
 * required), or 全部成功 at once.
 */
export function ResultsForm({
  batch,
  open,
  onClose,
}: {
  batch: BatchDetail;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const pending = batch.lines.filter((l) => l.status === 'pending');
  const [drafts, setDrafts] = useState<Record<number, LineDraft>>({});
  const [missing, setMissing] = useState<readonly number[]>([]);
  const [nothing, setNothing] = useState(false);
  const [key, setKey] = useState(() => globalThis.crypto.randomUUID());
  const record = useMutation({
    mutationFn: (lines: ResultLine[]) => paymentsApi.results(batch.id, { lines }, key),
    onSuccess: (answer) => {
      void message.success(
        t('batchDetail.recorded', {
          paid: answer.paid,
          failed: answer.failed,
          unchanged: answer.unchanged,
        }),
      );
      queryClient.setQueryData(['payments', 'one', batch.id], answer);
      void queryClient.invalidateQueries({ queryKey: ['payments'] });
      void queryClient.invalidateQueries({ queryKey: ['subsidyClaims'] });
      void queryClient.invalidateQueries({ queryKey: ['ledger'] });
      setDrafts({});
      setKey(globalThis.crypto.randomUUID());
      onClose();
    },
  });
  const change = (lineNo: number, patch: LineDraft) => {
    setDrafts((current) => ({ ...current, [lineNo]: { ...current[lineNo], ...patch } }));
    setNothing(false);
  };
  const submit = () => {
    const outcome = resultsOf(drafts);
    if ('missingReason' in outcome) {
      setMissing(outcome.missingReason);
      return;
    }
    setMissing([]);
    if (outcome.lines.length === 0) {
      setNothing(true);
      return;
    }
    record.mutate(outcome.lines);
  };
  const columns: TableColumnsType<PaymentLine> = [
    { title: t('line.no'), dataIndex: 'lineNo', width: 60 },
    {
      title: t('line.claimNumber'),
      dataIndex: 'claimNumber',
      render: (value: string) => <span style={{ fontFamily: 'monospace' }}>{value}</span>,
    },
    { title: t('line.payee'), dataIndex: 'payeeName' },
    {
      title: t('line.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (fen: number) => yuan(fen),
    },
    {
      title: t('results.outcome'),
      key: 'outcome',
      render: (_, line) => (
        <Radio.Group
          aria-label={`${t('results.outcome')} ${line.lineNo}`}
          value={drafts[line.lineNo]?.outcome ?? 'unset'}
          onChange={(event) =>
            change(line.lineNo, {
              outcome:
                event.target.value === 'unset'
                  ? undefined
                  : (event.target.value as 'paid' | 'failed'),
            })
          }
          options={[
            { value: 'paid', label: t('results.paid') },
            { value: 'failed', label: t('results.failed') },
            { value: 'unset', label: t('results.unset') },
          ]}
        />
      ),
    },
    {
      title: t('line.reference'),
      key: 'detail',
      render: (_, line) => {
        const draft = drafts[line.lineNo];
        if (draft?.outcome === 'paid') {
          return (
            <Input
              aria-label={`${t('results.bankReference')} ${line.lineNo}`}
              placeholder={t('results.bankReference')}
              maxLength={100}
              value={draft.bankReference ?? ''}
              onChange={(event) => change(line.lineNo, { bankReference: event.target.value })}
            />
          );
        }
        if (draft?.outcome === 'failed') {
          const invalid = missing.includes(line.lineNo) && !draft.reason?.trim();
          return (
            <Space orientation="vertical" size={2} style={{ width: '100%' }}>
              <Input
                aria-label={`${t('results.reason')} ${line.lineNo}`}
                placeholder={t('results.reason')}
                maxLength={500}
                status={invalid ? 'error' : undefined}
                value={draft.reason ?? ''}
                onChange={(event) => change(line.lineNo, { reason: event.target.value })}
              />
              {invalid ? (
                <span role="alert" style={{ color: '#ff4d4f' }}>
                  {t('results.reasonRequired')}
                </span>
              ) : null}
            </Space>
          );
        }
        return null;
      },
    },
  ];
  return (
    <Modal
      title={t('results.title')}
      open={open}
      onCancel={onClose}
      width={920}
      destroyOnHidden
      footer={
        <Flex justify="space-between">
          <Button
            onClick={() => {
              setDrafts((current) =>
                Object.fromEntries(
                  pending.map((l) => [
                    l.lineNo,
                    { ...current[l.lineNo], outcome: 'paid' as const },
                  ]),
                ),
              );
              setNothing(false);
            }}
          >
            {t('results.allPaid')}
          </Button>
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={record.isPending} onClick={submit}>
              {t('results.submit')}
            </Button>
          </Space>
        </Flex>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {record.error ? <ErrorAlert error={record.error} /> : null}
        {nothing ? <Alert type="warning" showIcon title={t('results.nothing')} /> : null}
        <Table<PaymentLine>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={pending}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </Space>
    </Modal>
  );
}
