import { QrcodeOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  QRCode,
  Select,
  Space,
  Spin,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { useVouchers } from '../../api/queries';
import type { ApplyVoucherBody, Voucher } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { OccupationSelect, VoucherStateTag, yuan } from './voucherCatalog';

/** A QR token lives 60 s; a fresh one is fetched every 50 s so the code shown is always valid. */
const QR_REFRESH_MS = 50_000;

function VoucherQr({ voucher }: { voucher: Voucher }) {
  const t = useT();
  const { data, error, refetch } = useQuery({
    queryKey: ['vouchers', 'qr', voucher.id],
    queryFn: ({ signal }) => api.vouchers.qr(voucher.id, signal),
    refetchInterval: QR_REFRESH_MS,
    refetchIntervalInBackground: false,
    gcTime: 0,
    staleTime: 0,
  });
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  if (!data) return <Spin style={{ display: 'block', margin: 48 }} />;
  return (
    <Flex vertical align="center" gap={8}>
      <QRCode type="svg" value={data.token} size={240} errorLevel="M" />
      <Typography.Text type="secondary">
        {t('myVouchers.qrExpires', { time: formatDateTime(data.expiresAt, true) })}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ textAlign: 'center' }}>
        {t('myVouchers.qrHint')}
      </Typography.Text>
      <Typography.Paragraph
        copyable
        style={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all', margin: 0 }}
      >
        {data.token}
      </Typography.Paragraph>
    </Flex>
  );
}

function VoucherCard({ voucher, onShowQr }: { voucher: Voucher; onShowQr: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const confirm = useMutation({
    mutationFn: () => api.vouchers.confirmBinding(voucher.id),
    onSuccess: () => {
      void message.success(t('myVouchers.confirmed'));
      void queryClient.invalidateQueries({ queryKey: ['vouchers'] });
    },
  });
  return (
    <Card
      size="small"
      title={
        <Flex justify="space-between" align="center" gap={8}>
          <span>{voucher.occupationName}</span>
          <VoucherStateTag state={voucher.state} />
        </Flex>
      }
    >
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        <Typography.Text style={{ fontFamily: 'monospace' }}>{voucher.number}</Typography.Text>
        <Typography.Text>
          {t('voucher.value')}: {yuan(voucher.valueFen)}
        </Typography.Text>
        <Typography.Text type="secondary">
          {t('myVouchers.valid', { from: voucher.validFrom, to: voucher.validTo })}
        </Typography.Text>
        {voucher.pendingBinding ? (
          <Alert
            type="warning"
            showIcon
            title={t('myVouchers.pending')}
            action={
              <Button
                size="small"
                type="primary"
                loading={confirm.isPending}
                onClick={() => confirm.mutate()}
              >
                {t('myVouchers.confirm')}
              </Button>
            }
          />
        ) : null}
        {confirm.error ? <ErrorAlert error={confirm.error} /> : null}
        {voucher.state === 'issued' ? (
          <Button block size="large" icon={<QrcodeOutlined />} onClick={onShowQr}>
            {t('myVouchers.showQr')}
          </Button>
        ) : null}
      </Space>
    </Card>
  );
}

interface ApplyValues {
  occupationCode: string;
  occupationLevel: 2 | 3 | 4;
  reason?: string;
}

function ApplyModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ApplyValues>();
  const apply = useMutation({
    mutationFn: (body: ApplyVoucherBody) => api.vouchers.apply(body),
    onSuccess: () => {
      void message.success(t('myVouchers.applied'));
      form.resetFields();
      onClose();
    },
  });
  const required = [{ required: true, message: t('vouchers.required') }];
  return (
    <Modal
      open={open}
      title={t('myVouchers.applyTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: apply.isPending }}
      destroyOnHidden
    >
      <Form<ApplyValues>
        form={form}
        name="applyVoucher"
        layout="vertical"
        initialValues={{ occupationLevel: 4 }}
        onFinish={(values) =>
          apply.mutate({
            occupationCode: values.occupationCode,
            occupationLevel: values.occupationLevel,
            reason: values.reason?.trim() || null,
          })
        }
      >
        <Form.Item name="occupationCode" label={t('voucher.occupation')} rules={required}>
          <OccupationSelect />
        </Form.Item>
        <Form.Item name="occupationLevel" label={t('voucher.level')}>
          <Select<number>
            options={[4, 3, 2].map((level) => ({
              value: level,
              label: t(`voucher.level.${level as 2 | 3 | 4}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('myVouchers.applyReason')}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
      {apply.error ? <ErrorAlert error={apply.error} /> : null}
    </Modal>
  );
}

/** 我的培训券 (mobile-first): a worker's vouchers, each one's QR code, and applying for one. */
export default function MyVouchersPage() {
  const t = useT();
  const { data, error, isPending, refetch } = useVouchers({ page: 1, pageSize: 100 });
  const [showing, setShowing] = useState<Voucher>();
  const [applying, setApplying] = useState(false);

  return (
    <>
      <PageTitle titleKey="myVouchers.title" descriptionKey="myVouchers.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 560 }}>
        <Button type="primary" block size="large" onClick={() => setApplying(true)}>
          {t('myVouchers.apply')}
        </Button>
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        {isPending ? <Spin style={{ display: 'block', margin: 48 }} /> : null}
        {data && data.items.length === 0 ? <Empty description={t('myVouchers.empty')} /> : null}
        {data?.items.map((voucher) => (
          <VoucherCard key={voucher.id} voucher={voucher} onShowQr={() => setShowing(voucher)} />
        ))}
      </Space>
      <Modal
        open={!!showing}
        title={showing ? t('myVouchers.qrTitle', { number: showing.number }) : undefined}
        onCancel={() => setShowing(undefined)}
        footer={null}
        destroyOnHidden
        centered
      >
        {showing ? <VoucherQr voucher={showing} /> : null}
      </Modal>
      <ApplyModal open={applying} onClose={() => setApplying(false)} />
    </>
  );
}
