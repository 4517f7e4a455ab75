import { CheckCircleOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Flex,
  Modal,
  Space,
  Spin,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { can } from '../../access';
import {
  evaluationsApi,
  useSession,
  type Certificate,
  type SessionDetail,
  type SubmitResult,
} from '../../api/evaluations';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { CertificateStatusTag } from '../certificates/certificateCatalog';
import { AddCandidateModal } from './AddCandidateModal';
import { SessionStateTag, sessionLevel } from './evaluationCatalog';
import { SampleModal } from './SampleModal';
import { ScoreTable } from './ScoreTable';

function IssuedCertificates({ certificates }: { certificates: Certificate[] }) {
  const t = useT();
  const columns: TableColumnsType<Certificate> = [
    {
      title: t('certificate.number'),
      dataIndex: 'number',
      render: (value: string, c) => (
        <Link to={`/certificates/${c.id}`}>
          <span style={{ fontFamily: 'monospace' }} data-testid="certificate-number">
            {value}
          </span>
        </Link>
      ),
    },
    { title: t('certificate.holder'), dataIndex: 'holderName' },
    { title: t('certificate.issuedOn'), dataIndex: 'issuedOn' },
    {
      title: t('certificate.status'),
      dataIndex: 'status',
      render: (status: Certificate['status']) => <CertificateStatusTag status={status} />,
    },
    {
      title: t('common.actions'),
      key: 'print',
      render: (_, c) => <Link to={`/certificates/${c.id}/print`}>{t('certificate.print')}</Link>,
    },
  ];
  return (
    <Table<Certificate>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={certificates}
      pagination={false}
      scroll={{ x: 'max-content' }}
    />
  );
}

function SessionFacts({ session: s }: { session: SessionDetail }) {
  const t = useT();
  return (
    <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
      <Descriptions.Item label={t('evaluation.occupation')}>
        {s.occupationCode} {s.occupationName}
      </Descriptions.Item>
      <Descriptions.Item label={t('evaluation.level')}>{sessionLevel(s)}</Descriptions.Item>
      <Descriptions.Item label={t('evaluation.institution')}>
        {s.organisationName}
      </Descriptions.Item>
      <Descriptions.Item label={t('evaluation.site')}>
        {s.siteName}（{s.siteSerialCode}）
      </Descriptions.Item>
      <Descriptions.Item label={t('evaluation.heldOn')}>{s.heldOn}</Descriptions.Item>
      <Descriptions.Item label={t('evaluation.passMarks')}>
        {s.hasTheory
          ? t('evaluation.passMarks.both', {
              theory: s.theoryPassMark ?? 60,
              practical: s.practicalPassMark,
            })
          : t('evaluation.passMarks.practical', { practical: s.practicalPassMark })}
      </Descriptions.Item>
      <Descriptions.Item label={t('evaluation.state')}>
        <SessionStateTag session={s} />
        {s.submittedAt ? formatDateTime(s.submittedAt) : null}
      </Descriptions.Item>
      {s.sample ? (
        <Descriptions.Item label={t('evaluation.sampled')}>
          {formatDateTime(s.sample.sampledAt)} {s.sample.note ?? ''}
        </Descriptions.Item>
      ) : null}
    </Descriptions>
  );
}

/** One evaluation session: candidates, score entry, submission and the certificates it issued. */
export default function EvaluationDetailPage() {
  const t = useT();
  const me = useAccount();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const { data, error, isPending, refetch } = useSession(id);
  const [adding, setAdding] = useState(false);
  const [sampling, setSampling] = useState(false);
  const [submitKey] = useState(() => globalThis.crypto.randomUUID());
  const [submitted, setSubmitted] = useState<SubmitResult | null>(null);
  const [modal, modalContext] = Modal.useModal();
  useDocumentTitle(t('evaluations.title'));
  const submit = useMutation({
    mutationFn: () => evaluationsApi.submit(id, submitKey),
    onSuccess: (result) => {
      setSubmitted(result);
      void queryClient.invalidateQueries({ queryKey: ['evaluations'] });
      void queryClient.invalidateQueries({ queryKey: ['certificates'] });
    },
  });

  if (isPending) return <Spin style={{ display: 'block', marginTop: 48 }} />;
  if (error || !data) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  const manage = can(me, 'evaluations.manage') && data.state === 'scheduled';
  const confirmSubmit = () =>
    void modal.confirm({
      title: t('evaluation.submit.confirmTitle'),
      content: t('evaluation.submit.confirmBody', { count: data.candidates.length }),
      okText: t('evaluation.submit'),
      onOk: () => submit.mutateAsync().catch(() => undefined),
    });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {modalContext}
      <Typography.Title level={3} style={{ margin: 0 }}>
        {data.occupationName} · {sessionLevel(data)} · {data.heldOn}
      </Typography.Title>
      <Link to="/evaluations">{t('evaluation.back')}</Link>
      <Card size="small">
        <SessionFacts session={data} />
      </Card>
      <Card
        size="small"
        title={t('evaluation.candidates')}
        extra={
          <Flex gap={8}>
            {manage ? (
              <Button icon={<UserAddOutlined />} onClick={() => setAdding(true)}>
                {t('evaluation.addCandidate')}
              </Button>
            ) : null}
            {manage ? (
              <Button
                type="primary"
                icon={<CheckCircleOutlined />}
                disabled={data.candidates.length === 0}
                loading={submit.isPending}
                onClick={confirmSubmit}
              >
                {t('evaluation.submit')}
              </Button>
            ) : null}
            {can(me, 'evaluations.sample') ? (
              <Button onClick={() => setSampling(true)}>{t('evaluation.sample')}</Button>
            ) : null}
          </Flex>
        }
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          {data.state === 'submitted' ? (
            <Alert type="info" showIcon title={t('evaluation.locked')} />
          ) : null}
          {submit.error ? <ErrorAlert error={submit.error} /> : null}
          {submitted && submitted.alreadyCertified.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              title={t('evaluation.alreadyCertified', {
                count: submitted.alreadyCertified.length,
              })}
            />
          ) : null}
          <ScoreTable session={data} />
        </Space>
      </Card>
      {data.state === 'submitted' ? (
        <Card
          size="small"
          title={t('evaluation.certificates', { count: data.certificates.length })}
        >
          <IssuedCertificates certificates={data.certificates} />
        </Card>
      ) : null}
      {manage ? (
        <AddCandidateModal sessionId={data.id} open={adding} onClose={() => setAdding(false)} />
      ) : null}
      {sampling ? <SampleModal session={data} onClose={() => setSampling(false)} /> : null}
    </Space>
  );
}
