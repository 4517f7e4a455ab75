import { Alert, Button, Descriptions, Modal, Typography } from 'antd';
import type { RevealedPerson } from '../../api/types';
import { useT } from '../../i18n';

/**
 * The full ID number and phone of a person, after the server has logged the view. The caller
 * keeps the values only in a mutation's state and drops them when this closes.
 */
export function RevealModal({
  name,
  value,
  onClose,
}: {
  name: string;
  value: RevealedPerson | undefined;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <Modal
      open={value !== undefined}
      title={t('reveal.title', { name })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose}>
          {t('reveal.close')}
        </Button>
      }
    >
      {value ? (
        <>
          <Alert type="warning" showIcon title={t('reveal.logged')} style={{ marginBottom: 16 }} />
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              {
                key: 'id',
                label: t('person.idNumber'),
                children: (
                  <Typography.Text
                    data-testid="revealed-id-number"
                    copyable
                    style={{ fontFamily: 'monospace', fontSize: 16 }}
                  >
                    {value.idNumber}
                  </Typography.Text>
                ),
              },
              {
                key: 'phone',
                label: t('person.phone'),
                children: value.phone ? (
                  <Typography.Text copyable style={{ fontFamily: 'monospace', fontSize: 16 }}>
                    {value.phone}
                  </Typography.Text>
                ) : (
                  t('common.none')
                ),
              },
            ]}
          />
        </>
      ) : null}
    </Modal>
  );
}
