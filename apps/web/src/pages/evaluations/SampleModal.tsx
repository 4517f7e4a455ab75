import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { evaluationsApi, type EvaluationSession } from '../../api/evaluations';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n';

/** 抽查: a county or city administrator marks a session for review, with a note. */
export function SampleModal({
  session,
  onClose,
}: {
  session: EvaluationSession;
  onClose: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ note: string }>();
  const [key] = useState(() => globalThis.crypto.randomUUID());
  const sample = useMutation({
    mutationFn: (note: string) => evaluationsApi.sample(session.id, note, key),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['evaluations'] });
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('evaluation.sample.title', { site: session.siteName, date: session.heldOn })}
      okText={t('evaluation.sample')}
      okButtonProps={{ loading: sample.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Form
        form={form}
        name="sampleSession"
        layout="vertical"
        onFinish={(values) => sample.mutate(values.note.trim())}
      >
        <Form.Item
          name="note"
          label={t('evaluation.sample.note')}
          rules={[{ required: true, whitespace: true, message: t('evaluation.required') }]}
        >
          <Input.TextArea rows={3} maxLength={1000} showCount />
        </Form.Item>
      </Form>
      {sample.error ? <ErrorAlert error={sample.error} /> : null}
    </Modal>
  );
}
