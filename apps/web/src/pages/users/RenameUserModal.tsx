import { Alert, Form, Input, Modal } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { User } from '../../api/types';
import { describeError } from '../../components/ErrorAlert';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { useT } from '../../i18n';

const FIELDS = ['displayName'] as const;

export function RenameUserModal({
  user,
  onClose,
  onDone,
}: {
  user: User | null;
  onClose: () => void;
  onDone: (user: User) => void;
}) {
  const t = useT();
  const client = useQueryClient();
  const [form] = Form.useForm<{ displayName: string }>();
  const rename = useMutation({
    mutationFn: ({ id, displayName }: { id: string; displayName: string }) =>
      api.users.update(id, { displayName }),
    onSuccess: (updated) => {
      void client.invalidateQueries({ queryKey: ['users'] });
      onDone(updated);
    },
    onError: (error) => form.setFields(fieldErrorsOf(error, FIELDS, t).fields),
  });
  const unplaced = rename.error ? fieldErrorsOf(rename.error, FIELDS, t).unplaced : false;

  return (
    <Modal
      open={user !== null}
      title={user ? t('users.rename.title', { username: user.username }) : null}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={rename.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      afterClose={() => rename.reset()}
      destroyOnHidden
    >
      {rename.error && unplaced ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={describeError(rename.error, t)}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {user ? (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ displayName: user.displayName }}
          onFinish={({ displayName }) =>
            rename.mutate({ id: user.id, displayName: displayName.trim() })
          }
        >
          <Form.Item
            name="displayName"
            label={t('userForm.displayName')}
            rules={[
              { required: true, whitespace: true, message: t('userForm.displayName.required') },
            ]}
          >
            <Input autoFocus maxLength={100} />
          </Form.Item>
        </Form>
      ) : null}
    </Modal>
  );
}
