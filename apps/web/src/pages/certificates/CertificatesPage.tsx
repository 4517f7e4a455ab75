import { Button, Card, Col, Flex, Form, Input, Row, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link, useSearchParams } from 'react-router';
import {
  useCertificates,
  type Certificate,
  type CertificateKind,
  type CertificateStatus,
} from '../../api/evaluations';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import {
  CERTIFICATE_STATUSES,
  CertificateStatusTag,
  certificateLevel,
  isCertificateStatus,
} from './certificateCatalog';
import { listPagination } from '../../components/pagination';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE };
const KINDS = ['skill_level', 'special_ability'] as const satisfies readonly CertificateKind[];

interface Filters {
  number?: string;
  status?: CertificateStatus;
  kind?: CertificateKind;
}

/** 证书管理: the certificates in the account's scope, with filters kept in the URL. */
export default function CertificatesPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const page = readPositiveInt(params, 'page', DEFAULTS.page);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const rawStatus = params.get('status');
  const rawKind = params.get('kind');
  const filters: Filters = {
    number: params.get('number')?.trim() || undefined,
    status: isCertificateStatus(rawStatus) ? rawStatus : undefined,
    kind: KINDS.find((kind) => kind === rawKind),
  };
  const sessionId = params.get('sessionId') ?? undefined;
  const { data, error, isFetching, refetch } = useCertificates({
    ...filters,
    sessionId,
    page,
    pageSize,
  });
  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));

  const columns: TableColumnsType<Certificate> = [
    {
      title: t('certificate.number'),
      dataIndex: 'number',
      render: (value: string, certificate) => (
        <Link to={`/certificates/${certificate.id}`}>
          <span style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{value}</span>
        </Link>
      ),
    },
    { title: t('certificate.holder'), dataIndex: 'holderName' },
    {
      title: t('certificate.idNumber'),
      dataIndex: 'holderIdNumberMasked',
      responsive: ['md'],
      render: (value: string) => (
        <span style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{value}</span>
      ),
    },
    {
      title: t('certificate.occupation'),
      dataIndex: 'occupationName',
      render: (name: string, c) => `${c.occupationCode} ${name}`,
    },
    { title: t('certificate.level'), key: 'level', render: (_, c) => certificateLevel(c) },
    { title: t('certificate.issuer'), dataIndex: 'issuerName', responsive: ['lg'] },
    { title: t('certificate.issuedOn'), dataIndex: 'issuedOn', responsive: ['sm'] },
    {
      title: t('certificate.status'),
      dataIndex: 'status',
      render: (status: CertificateStatus) => <CertificateStatusTag status={status} />,
    },
  ];

  return (
    <>
      <PageTitle titleKey="certificates.title" descriptionKey="certificates.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small">
          <Form<Filters>
            name="certificateFilters"
            key={params.toString()}
            layout="vertical"
            initialValues={filters}
            onFinish={(values) =>
              update({
                number: values.number?.trim(),
                status: values.status,
                kind: values.kind,
                page: undefined,
              })
            }
          >
            <Row gutter={12}>
              <Col xs={24} md={10}>
                <Form.Item name="number" label={t('certificate.number')}>
                  <Input allowClear autoComplete="off" maxLength={32} />
                </Form.Item>
              </Col>
              <Col xs={12} md={7}>
                <Form.Item name="status" label={t('certificate.status')}>
                  <Select<CertificateStatus>
                    allowClear
                    options={CERTIFICATE_STATUSES.map((value) => ({
                      value,
                      label: t(`certificate.status.${value}`),
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={12} md={7}>
                <Form.Item name="kind" label={t('certificate.kind')}>
                  <Select<CertificateKind>
                    allowClear
                    options={KINDS.map((value) => ({
                      value,
                      label: t(`certificate.kind.${value}`),
                    }))}
                  />
                </Form.Item>
              </Col>
            </Row>
            <Flex gap={8} justify="flex-end">
              <Button onClick={() => setParams(new URLSearchParams())}>{t('common.reset')}</Button>
              <Button type="primary" htmlType="submit">
                {t('common.search')}
              </Button>
            </Flex>
          </Form>
        </Card>
        {sessionId ? (
          <Typography.Text type="secondary">{t('certificates.ofSession')}</Typography.Text>
        ) : null}
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        <Table<Certificate>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isFetching}
          scroll={{ x: 'max-content' }}
          pagination={listPagination({ page, pageSize, total: data?.total, update, t })}
        />
      </Space>
    </>
  );
}
