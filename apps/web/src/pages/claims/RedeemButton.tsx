import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Descriptions, Modal } from 'antd';
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
  const [key] = useState(() => globalThis.crypto.randomUUID());
  const [result, setResult] = useState<RedeemResult | null>(null);
  const [modal, modalContext] = Modal.useModal();
  const redeem = useMutation({
    mutationFn: () => subsidiesApi.redeem(voucherId, key),
    onSuccess: (answer) => {
      setResult(answer);
      void queryClient.invalidateQueries({ queryKey: ['vouchers'] });
      void queryClient.invalidateQueries({ queryKey: ['subsidyClaims'] });
    },
    onError: (error) =>
      void modal.error({ title: t('claims.redeem.failed'), content: describeError(error, t) }),
  });
  return (
    <>
      {modalContext}
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
      <Modal
        open={result !== null}
        title={t('claims.redeem.done')}
        footer={null}
        onCancel={() => setResult(null)}
      >
        {result ? (
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
        ) : null}
      </Modal>
    </>
  );
}
