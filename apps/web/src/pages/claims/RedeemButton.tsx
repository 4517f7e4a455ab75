import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions } from 'antd';
import { useState } from 'react';
import { subsidiesApi, type RedeemResult } from '../../api/evaluations';
import { describeError } from '../../components/ErrorAlert';
import { useT } from '../../i18n';
import { yuan } from '../vouchers/voucherCatalog';

/**
 * 申请兑现: turns a certified voucher into a training-subsidy claim (无证无价: the server refuses
 * without a valid certificate) and shows the claim's number and amount.
 */
export function RedeemButton({
  voucherId,
  voucherNumber,
}: {
  voucherId: string;
  voucherNumber: string;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  // The app-level modal: the row holding this button leaves the list once the voucher is
  // redeemed, and the answer must outlive it.
  const { modal } = App.useApp();
  const [key] = useState(() => globalThis.crypto.randomUUID());
  const redeem = useMutation({
    mutationFn: () => subsidiesApi.redeem(voucherId, key),
    onSuccess: (answer) => {
      void modal.success({
        title: t('claims.redeem.done'),
        content: <ClaimSummary result={answer} />,
      });
      void queryClient.invalidateQueries({ queryKey: ['vouchers'] });
      void queryClient.invalidateQueries({ queryKey: ['subsidyClaims'] });
    },
    onError: (error) =>
      void modal.error({ title: t('claims.redeem.failed'), content: describeError(error, t) }),
  });
  return (
    <Button
      size="small"
      type="primary"
      loading={redeem.isPending}
      onClick={() =>
        void modal.confirm({
          title: t('claims.redeem.confirmTitle', { number: voucherNumber }),
          content: t('claims.redeem.confirmBody'),
          okText: t('claims.redeem'),
          onOk: () => redeem.mutate(),
        })
      }
    >
      {t('claims.redeem')}
    </Button>
  );
}

function ClaimSummary({ result }: { result: RedeemResult }) {
  const t = useT();
  return (
    <Descriptions column={1} size="small" bordered>
      <Descriptions.Item label={t('claim.number')}>
        <span data-testid="claim-number" style={{ fontFamily: 'monospace' }}>
          {result.claim.number}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('claim.amount')}>
        {t('claim.yuan', { amount: yuan(result.claim.amountFen) })}
      </Descriptions.Item>
      <Descriptions.Item label={t('claim.payee')}>{result.claim.payeeName}</Descriptions.Item>
      <Descriptions.Item label={t('claim.status')}>
        {t(`claim.status.${result.claim.status}`)}
      </Descriptions.Item>
    </Descriptions>
  );
}
