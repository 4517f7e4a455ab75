import { useMutation } from '@tanstack/react-query';
import { Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { ErrorAlert } from './ErrorAlert';

/**
 * A confirmation that needs a written reason (撤回, 撤销 …): the reason is required and trimmed,
 * and `submit` gets one Idempotency-Key per opening, so a retried click does the thing once.
 * Closing resets the form, the error and the key.
 */
export function ReasonModal({
  open,
  name,
  title,
  okText,
  cancelText,
  reasonLabel,
  reasonRequired,
  submit,
  onDone,
  onClose,
}: {
  open: boolean;
  /** The form's name (and so its fields' ids). */
  name: string;
  title: string;
  okText: string;
  cancelText?: string;
  reasonLabel: string;
  reasonRequired: string;
  submit: (reason: string, idempotencyKey: string) => Promise<unknown>;
  /** After a success, before closing. */
  onDone: () => void;
  onClose: () => void;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const [key, setKey] = useState(() => globalThis.crypto.randomUUID());
  const mutation = useMutation({
    mutationFn: (reason: string) => submit(reason, key),
    onSuccess: () => {
      onDone();
      close();
    },
  });
  function close() {
    form.resetFields();
    mutation.reset();
    setKey(globalThis.crypto.randomUUID());
    onClose();
  }
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={cancelText}
      okButtonProps={{ danger: true, loading: mutation.isPending }}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      {mutation.error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={mutation.error} />
        </div>
      ) : null}
      <Form
        form={form}
        name={name}
        layout="vertical"
        onFinish={(values) => mutation.mutate(values.reason.trim())}
      >
        <Form.Item
          name="reason"
          label={reasonLabel}
          rules={[{ required: true, whitespace: true, message: reasonRequired }]}
        >
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
