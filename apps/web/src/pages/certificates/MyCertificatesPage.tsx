import { QrcodeOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Modal, QRCode, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useCertificates, type Certificate } from '../../api/evaluations';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';
import {
  CertificateStatusTag,
  certificateLevel,
  certificateTitleKey,
  verifyUrl,
} from './certificateCatalog';
import { RevokedNotice } from './CertificateDetailPage';

/** 亮证: a large QR code that anyone can scan to check the certificate. */
function ShowModal({ certificate, onClose }: { certificate: Certificate; onClose: () => void }) {
  const t = useT();
  return (
    <Modal open title={t('myCertificates.show')} footer={null} onCancel={onClose} centered>
      <Flex vertical align="center" gap={12}>
        <Typography.Text strong style={{ fontSize: 18 }}>
          {certificate.occupationName} · {certificateLevel(certificate)}
        </Typography.Text>
        <div data-testid="certificate-qr">
          <QRCode
            type="svg"
            value={verifyUrl(certificate.number, certificate.holderName)}
            size={280}
            errorLevel="M"
          />
        </div>
        <Typography.Text style={{ fontFamily: 'monospace', fontSize: 16 }}>
          {certificate.number}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ textAlign: 'center' }}>
          {t('myCertificates.showHint')}
        </Typography.Text>
      </Flex>
    </Modal>
  );
}

/** 我的证书: a worker's certificates on their phone, each with a QR code to show. */
export default function MyCertificatesPage() {
  const t = useT();
  const { data, error, isPending, refetch } = useCertificates({ page: 1, pageSize: 100 });
  const [showing, setShowing] = useState<Certificate | null>(null);
  return (
    <>
      <PageTitle titleKey="myCertificates.title" descriptionKey="myCertificates.description" />
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      {isPending ? <Spin style={{ display: 'block', marginTop: 48 }} /> : null}
      {data && data.items.length === 0 ? <Empty description={t('myCertificates.empty')} /> : null}
      {data && data.items.length > 0 ? (
        <Flex vertical gap={12}>
          {data.items.map((c) => (
            <Card
              key={c.id}
              style={{ width: '100%' }}
              title={t(certificateTitleKey(c))}
              extra={<CertificateStatusTag status={c.status} />}
            >
              <Flex vertical gap={8}>
                <Typography.Text strong style={{ fontSize: 16 }}>
                  {c.occupationName} · {certificateLevel(c)}
                </Typography.Text>
                <Typography.Text style={{ fontFamily: 'monospace' }}>{c.number}</Typography.Text>
                <Typography.Text type="secondary">
                  {c.issuerName} · {c.issuedOn}
                </Typography.Text>
                <RevokedNotice certificate={c} />
                {c.status === 'valid' ? (
                  <Button
                    type="primary"
                    size="large"
                    block
                    icon={<QrcodeOutlined />}
                    onClick={() => setShowing(c)}
                  >
                    {t('myCertificates.show')}
                  </Button>
                ) : null}
              </Flex>
            </Card>
          ))}
        </Flex>
      ) : null}
      {showing ? <ShowModal certificate={showing} onClose={() => setShowing(null)} /> : null}
    </>
  );
}
