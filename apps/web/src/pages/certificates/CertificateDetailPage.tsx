import { DownloadOutlined, PrinterOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Flex, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { can } from '../../access';
import { useCertificate, type Certificate } from '../../api/evaluations';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import {
  CertificateStatusTag,
  certificateLevel,
  certificateTitleKey,
  verifyUrl,
} from './certificateCatalog';
import { RevokeModal } from './RevokeModal';

/** What every view of a certificate says about its revocation. */
export function RevokedNotice({ certificate }: { certificate: Certificate }) {
  const t = useT();
  if (certificate.status !== 'revoked') return null;
  return (
    <Alert
      type="error"
      showIcon
      title={t('certificate.revokedNotice', {
        date: certificate.revokedAt ? formatDateTime(certificate.revokedAt) : t('common.none'),
      })}
      description={certificate.revocationReason ?? undefined}
    />
  );
}

export function CertificateDescriptions({ certificate: c }: { certificate: Certificate }) {
  const t = useT();
  return (
    <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
      <Descriptions.Item label={t('certificate.number')}>
        <Typography.Text copyable style={{ fontFamily: 'monospace' }}>
          {c.number}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('certificate.status')}>
        <CertificateStatusTag status={c.status} />
      </Descriptions.Item>
      <Descriptions.Item label={t('certificate.kind')}>
        {t(certificateTitleKey(c))}
      </Descriptions.Item>
      <Descriptions.Item label={t('certificate.holder')}>{c.holderName}</Descriptions.Item>
      <Descriptions.Item label={t('certificate.idNumber')}>
        <span style={{ fontFamily: 'monospace' }}>{c.holderIdNumberMasked}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('certificate.occupation')}>
        {c.occupationCode} {c.occupationName}
      </Descriptions.Item>
      <Descriptions.Item label={t('certificate.level')}>{certificateLevel(c)}</Descriptions.Item>
      <Descriptions.Item label={t('certificate.issuer')}>{c.issuerName}</Descriptions.Item>
      <Descriptions.Item label={t('certificate.site')}>
        {c.siteName ?? t('common.none')}
      </Descriptions.Item>
      <Descriptions.Item label={t('certificate.issuedOn')}>{c.issuedOn}</Descriptions.Item>
      {c.status === 'revoked' ? (
        <>
          <Descriptions.Item label={t('certificate.revokedAt')}>
            {c.revokedAt ? formatDateTime(c.revokedAt) : t('common.none')}
          </Descriptions.Item>
          <Descriptions.Item label={t('certificate.revocationReason')}>
            {c.revocationReason ?? t('common.none')}
          </Descriptions.Item>
        </>
      ) : null}
    </Descriptions>
  );
}

/** One certificate: its facts, revocation (administrators), print view and signed credential. */
export default function CertificateDetailPage() {
  const t = useT();
  const me = useAccount();
  const { id = '' } = useParams();
  const { data, error, isPending, refetch } = useCertificate(id);
  const [revoking, setRevoking] = useState(false);
  useDocumentTitle(data?.number ?? t('certificates.title'));

  if (isPending) return <Spin style={{ display: 'block', marginTop: 48 }} />;
  if (error || !data) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t(certificateTitleKey(data))} {data.number}
      </Typography.Title>
      <RevokedNotice certificate={data} />
      <Flex gap={8} wrap>
        <Link to={`/certificates/${data.id}/print`}>
          <Button icon={<PrinterOutlined />}>{t('certificate.print')}</Button>
        </Link>
        {can(me, 'certificates.credential') ? (
          <Button
            icon={<DownloadOutlined />}
            href={`/api/certificates/${encodeURIComponent(data.id)}/credential`}
            download={`${data.number}.jwt`}
          >
            {t('certificate.credential')}
          </Button>
        ) : null}
        <Button href={verifyUrl(data.number, data.holderName)} target="_blank" rel="noreferrer">
          {t('certificate.openVerify')}
        </Button>
        {can(me, 'certificates.revoke') && data.status === 'valid' ? (
          <Button danger icon={<StopOutlined />} onClick={() => setRevoking(true)}>
            {t('certificate.revoke')}
          </Button>
        ) : null}
      </Flex>
      <Card size="small">
        <CertificateDescriptions certificate={data} />
      </Card>
      {data.sessionId && can(me, 'evaluations.read') ? (
        <Link to={`/evaluations/${data.sessionId}`}>{t('certificate.toSession')}</Link>
      ) : null}
      <RevokeModal certificate={data} open={revoking} onClose={() => setRevoking(false)} />
    </Space>
  );
}
