import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Form,
  Input,
  Modal,
  Segmented,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { ApiError } from '../../api/problem';
import type { VoucherLookup, VoucherLookupBody } from '../../api/types';
import { describeError, ErrorAlert } from '../../components/ErrorAlert';
import { useT, type MessageKey } from '../../i18n';
import { newIdempotencyKey } from '../vouchers/voucherCatalog';

type Mode = 'qr' | 'id';

/** Why a lookup says the voucher cannot be bound, in the interface language when we know it. */
const REFUSALS: Record<string, MessageKey> = {
  VOUCHER_EXPIRED: 'bind.refusal.VOUCHER_EXPIRED',
  VOUCHER_STATE_CONFLICT: 'bind.refusal.VOUCHER_STATE_CONFLICT',
  CLASS_NOT_BINDABLE: 'bind.refusal.CLASS_NOT_BINDABLE',
  VOUCHER_OCCUPATION_MISMATCH: 'bind.refusal.VOUCHER_OCCUPATION_MISMATCH',
  NOT_FOUND: 'bind.refusal.NOT_FOUND',
};

/** The body both the lookup and the binding take: the class and exactly one proof. */
export function proofOf(classId: string, mode: Mode, value: string): VoucherLookupBody {
  const text = value.trim();
  return mode === 'qr' ? { classId, token: text } : { classId, idNumber: text.toUpperCase() };
}

/**
 * 绑定培训券: the holder's QR token (typed by a barcode scanner into the box, or pasted) or ID
 * number finds the voucher; the screen shows the holder's name and masked ID number and whether
 * it can be bound; binding by QR is immediate, by ID number it waits for the holder's confirmation.
 */
export function BindVoucherModal({
  classId,
  open,
  onClose,
  onBound,
}: {
  classId: string;
  open: boolean;
  onClose: () => void;
  onBound: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [mode, setMode] = useState<Mode>('qr');
  const [value, setValue] = useState('');
  const [found, setFound] = useState<VoucherLookup>();
  const [key, setKey] = useState(newIdempotencyKey);

  const lookup = useMutation({
    mutationFn: (body: VoucherLookupBody) => api.vouchers.lookup(body),
    onSuccess: setFound,
  });
  const bind = useMutation({
    mutationFn: ({ voucherId, body }: { voucherId: string; body: VoucherLookupBody }) =>
      api.vouchers.bind(voucherId, body, key),
    onSuccess: (result) => {
      if (result.pending) void message.info(t('bind.pending'));
      else void message.success(t('bind.bound', { name: result.holder.name }));
      onBound();
      close();
    },
  });

  function reset() {
    setFound(undefined);
    setKey(newIdempotencyKey());
    lookup.reset();
    bind.reset();
  }

  function close() {
    setValue('');
    reset();
    onClose();
  }

  const notFound = lookup.error instanceof ApiError && lookup.error.status === 404;
  const refusal = found?.reason ? REFUSALS[found.reason] : undefined;
  const label = mode === 'qr' ? t('bind.token') : t('bind.idNumber');
  return (
    <Modal
      open={open}
      title={t('bind.title')}
      onCancel={close}
      destroyOnHidden
      width={560}
      footer={[
        <Button key="cancel" onClick={close}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="bind"
          type="primary"
          disabled={!found?.bindable}
          loading={bind.isPending}
          onClick={() =>
            found &&
            bind.mutate({ voucherId: found.voucher.id, body: proofOf(classId, mode, value) })
          }
        >
          {t('bind.confirm')}
        </Button>,
      ]}
    >
      <Segmented<Mode>
        block
        value={mode}
        style={{ marginBottom: 16 }}
        options={[
          { value: 'qr', label: t('bind.byQr') },
          { value: 'id', label: t('bind.byId') },
        ]}
        onChange={(next) => {
          setMode(next);
          setValue('');
          reset();
        }}
      />
      <Form.Item label={label} layout="vertical">
        <Input.Search
          value={value}
          aria-label={label}
          placeholder={mode === 'qr' ? t('bind.tokenPlaceholder') : undefined}
          autoComplete="off"
          spellCheck={false}
          autoFocus
          maxLength={mode === 'qr' ? 1000 : 40}
          loading={lookup.isPending}
          enterButton={t('bind.lookup')}
          onChange={(event) => {
            setValue(event.target.value);
            if (found || lookup.isError) reset();
          }}
          onSearch={(text) => text.trim() && lookup.mutate(proofOf(classId, mode, text))}
        />
      </Form.Item>
      {mode === 'id' ? (
        <Typography.Paragraph type="secondary">{t('bind.idHint')}</Typography.Paragraph>
      ) : null}
      {lookup.error ? (
        <Typography.Text type="danger" role="alert">
          {notFound ? t('bind.notFound') : describeError(lookup.error, t)}
        </Typography.Text>
      ) : null}
      {found ? (
        <>
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              {
                key: 'holder',
                label: t('bind.holder'),
                children: `${found.holder.name}（${found.holder.idNumberMasked}）`,
              },
              {
                key: 'voucher',
                label: t('bind.voucher'),
                children: (
                  <>
                    <Typography.Text style={{ fontFamily: 'monospace' }}>
                      {found.voucher.number}
                    </Typography.Text>{' '}
                    {found.voucher.occupationName}
                  </>
                ),
              },
            ]}
          />
          <div style={{ marginTop: 12 }}>
            {found.bindable ? (
              <Tag color="green">{t('bind.bindable')}</Tag>
            ) : (
              <Alert
                type="warning"
                showIcon
                title={t('bind.notBindable', {
                  reason: refusal ? t(refusal) : (found.reasonMessage ?? found.reason ?? ''),
                })}
              />
            )}
          </div>
        </>
      ) : null}
      {bind.error ? (
        <div style={{ marginTop: 12 }}>
          <ErrorAlert error={bind.error} />
        </div>
      ) : null}
    </Modal>
  );
}
