import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../i18n';

export interface InitialPassword {
  username: string;
  password: string;
  /** Why there is a password to show: a new account or a reset. */
  reason: 'created' | 'reset';
}

/**
 * Shows an initial password once. The caller holds it only in component state and drops it
 * when this closes; it is never cached, stored or shown again.
 */
export function InitialPasswordModal({
  value,
  onClose,
}: {
  value: InitialPassword | null;
  onClose: () => void;
}) {
  const t = useT();
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  const close = () => {
    setCopy('idle');
    onClose();
  };
  const copyPassword = async () => {
    if (!value) return;
    try {
      await navigator.clipboard.writeText(value.password);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };

  return (
    <Modal
      open={value !== null}
      title={
        value
          ? t(value.reason === 'created' ? 'initialPassword.created' : 'initialPassword.reset')
          : null
      }
      // Only the button closes it, so the password is not lost to a stray click.
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={close}>
          {t('initialPassword.close')}
        </Button>
      }
    >
      {value ? (
        <>
          <Typography.Paragraph>
            {t('initialPassword.intro', { username: value.username })}
          </Typography.Paragraph>
          <Flex align="center" gap={8} wrap style={{ marginBottom: 16 }}>
            <Typography.Text
              code
              data-testid="initial-password"
              style={{ fontSize: 20, userSelect: 'all', wordBreak: 'break-all' }}
            >
              {value.password}
            </Typography.Text>
            <Button
              icon={copy === 'copied' ? <CheckOutlined /> : <CopyOutlined />}
              onClick={() => void copyPassword()}
            >
              {copy === 'copied' ? t('initialPassword.copied') : t('initialPassword.copy')}
            </Button>
          </Flex>
          {copy === 'failed' ? (
            <Alert
              type="error"
              showIcon
              title={t('initialPassword.copyFailed')}
              style={{ marginBottom: 12 }}
            />
          ) : null}
          <Alert type="warning" showIcon title={t('initialPassword.warning')} />
        </>
      ) : null}
    </Modal>
  );
}
