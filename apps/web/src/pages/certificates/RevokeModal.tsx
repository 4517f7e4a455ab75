import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { certificatesApi, type Certificate } from '../../api/evaluations';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n';

/** Revokes a certificate with the reason the holder and the public will see. */
export function RevokeModal({
  certificate,
  open,
  onClose,
}: {
  certificate: Certificate;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason: string }>();
  // One key per opening: a retried click replays, a new revocation attempt is a new request.
  const [key, setKey] = useState(() => globalThis.crypto.randomUUID());
  const revoke = useMutation({
    mutationFn: (reason: string) => certificatesApi.revoke(certificate.id, reason, key),
    onSuccess: (revoked) => {
      queryClient.setQueryData(['certificates', 'one', certificate.id], revoked);
      void queryClient.invalidateQueries({ queryKey: ['certificates'] });
      void queryClient.invalidateQueries({ queryKey: ['evaluations'] });
      close();
    },
  });
  const close = () => {
    form.resetFields();
    revoke.reset();
    setKey(globalThis.crypto.randomUUID());
    onClose();
  };
  return (
    <Modal
      open={open}
      title={t('certificate.revoke.title', { number: certificate.number })}
      okText={t('certificate.revoke.confirm')}
      okButtonProps={{ danger: true, loading: revoke.isPending }}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('certificate.revoke.warning')} />
      <Form
        form={form}
        name="revokeCertificate"
        layout="vertical"
        style={{ marginTop: 16 }}
        onFinish={(values) => revoke.mutate(values.reason.trim())}
      >
        <Form.Item
          name="reason"
          label={t('certificate.revocationReason')}
          rules={[{ required: true, whitespace: true, message: t('certificate.revoke.required') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
      {revoke.error ? <ErrorAlert error={revoke.error} /> : null}
    </Modal>
  );
}
