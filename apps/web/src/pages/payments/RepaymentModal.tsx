import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import type { Claim } from '../../api/evaluations';
import { paymentsApi, useStatement, type Statement } from '../../api/payments';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n';
import { yuan } from '../vouchers/voucherCatalog';
import { fenOf } from './paymentCatalog';

/** What the payee still owes back on one claim: its receivable debits less credits. */
export function outstandingOf(statement: Statement | undefined, claimId: string): number | null {
  if (!statement) return null;
  return statement.movements
    .filter((m) => m.account === 'receivable' && m.claimId === claimId)
    .reduce((sum, m) => sum + m.debitFen - m.creditFen, 0);
}

/** The amount a clawed-back claim's payee still owes, from its statement. */
export function useOutstanding(claim: Claim): number | null {
  const statement = useStatement(claim.payeeOrganisationId);
  return outstandingOf(statement.data, claim.id);
}

interface Values {
  amount?: string;
  bankReference?: string;
}

/** 登记退回: the payee's repayment of a clawed-back claim (empty amount: all it owes). */
export function RepaymentModal({ claim, onClose }: { claim: Claim; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [key] = useState(() => globalThis.crypto.randomUUID());
  const outstanding = useOutstanding(claim);
  const repay = useMutation({
    mutationFn: (values: Values) => {
      const amountFen = values.amount?.trim() ? (fenOf(values.amount) ?? undefined) : undefined;
      const bankReference = values.bankReference?.trim() || undefined;
      return paymentsApi.repayment(claim.id, { amountFen, bankReference }, key);
    },
    onSuccess: (answer) => {
      void message.success(
        t('repayment.done', {
          repaid: yuan(answer.repaidFen),
          outstanding: yuan(answer.outstandingFen),
        }),
      );
      void queryClient.invalidateQueries({ queryKey: ['ledger'] });
      void queryClient.invalidateQueries({ queryKey: ['subsidyClaims'] });
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('repayment.title', { number: claim.number })}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((values) => repay.mutate(values))}
      okText={t('clawbacks.repay')}
      confirmLoading={repay.isPending}
      destroyOnHidden
    >
      {repay.error ? <ErrorAlert error={repay.error} /> : null}
      <p>
        {claim.payeeName} · {t('clawbacks.outstanding')}：
        <strong data-testid="outstanding">
          {outstanding === null ? t('common.none') : yuan(outstanding)}
        </strong>
      </p>
      <Form<Values> form={form} layout="vertical">
        <Form.Item
          name="amount"
          label={t('repayment.amount')}
          extra={t('repayment.amountHint')}
          rules={[
            {
              validator: (_, value: string | undefined) =>
                !value?.trim() || (fenOf(value) ?? 0) > 0
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('repayment.amountInvalid'))),
            },
          ]}
        >
          <Input inputMode="decimal" />
        </Form.Item>
        <Form.Item name="bankReference" label={t('repayment.bankReference')}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
