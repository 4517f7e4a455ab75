import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  DatePicker,
  Flex,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { can } from '../../access';
import {
  activityIntakeApi,
  EXTERNAL_CERTIFICATE_KINDS,
  useExternalCertificates,
  type ExternalCertificate,
  type ExternalCertificateKind,
  type ExternalCertificateQuery,
} from '../../api/activityIntake';
import type { Me } from '../../api/types';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ReasonModal } from '../../components/ReasonModal';
import { listPagination } from '../../components/pagination';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { CertificateModal } from './CertificateModal';
import { kindText, levelOrItem, sourceText } from './intakeCatalog';
import { provinceName } from './provinces';

/** Query-string names of this tab, apart from the training tab's. */
const P = {
  kind: 'ckind',
  period: 'cperiod',
  duplicate: 'cdup',
  page: 'cpage',
  pageSize: 'csize',
} as const;
const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { [P.page]: 1, [P.pageSize]: DEFAULT_PAGE_SIZE };
const PERIOD = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

function readKind(value: string | null): ExternalCertificateKind | undefined {
  return EXTERNAL_CERTIFICATE_KINDS.find((k) => k === value);
}

function WithdrawModal({
  record,
  onClose,
}: {
  record: ExternalCertificate | undefined;
  onClose: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  return (
    <ReasonModal
      open={record !== undefined}
      name="withdrawCertificate"
      title={t('activityCert.withdraw.title', { number: record?.number ?? '' })}
      okText={t('activityCert.withdraw')}
      reasonLabel={t('activityCert.withdraw.reason')}
      reasonRequired={t('activityCert.withdraw.reason.required')}
      submit={(reason, key) =>
        activityIntakeApi.withdrawCertificate(record?.id ?? '', reason, record?.version ?? 1, key)
      }
      onDone={() => void queryClient.invalidateQueries({ queryKey: ['activity'] })}
      onClose={onClose}
    />
  );
}

function columns(
  me: Me,
  t: ReturnType<typeof useT>,
  actions: {
    correct: (record: ExternalCertificate) => void;
    withdraw: (record: ExternalCertificate) => void;
  },
): TableColumnsType<ExternalCertificate> {
  const mayReport = can(me, 'activity.report');
  return [
    {
      title: t('activityCert.kind'),
      dataIndex: 'kind',
      render: (kind: ExternalCertificateKind) => kindText(kind, t),
    },
    {
      title: t('activityCert.number'),
      key: 'number',
      render: (_, c) => (
        <Space size={4} wrap>
          <span style={{ fontFamily: 'monospace' }}>{c.number}</span>
          {c.duplicateOf ? (
            <Tooltip title={t('activityCert.duplicate.hint', { number: c.duplicateOf.number })}>
              <Tag color="orange">{t('activityCert.duplicate')}</Tag>
            </Tooltip>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('activityCert.holder'),
      key: 'holder',
      render: (_, c) => (
        <Space orientation="vertical" size={0}>
          <span>{c.holderName}</span>
          <Typography.Text type="secondary" style={{ fontFamily: 'monospace' }}>
            {c.holderIdNumberMasked}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('activityCert.occupation'),
      key: 'occupation',
      render: (_, c) => c.occupationName ?? c.occupationCode ?? '',
    },
    {
      title: t('activityCert.levelOrItem'),
      key: 'levelOrItem',
      render: (_, c) => levelOrItem(c, t),
    },
    { title: t('activityCert.issuer'), dataIndex: 'issuerName', responsive: ['md'] },
    {
      title: t('activityCert.province'),
      dataIndex: 'issuingProvinceCode',
      responsive: ['lg'],
      render: (code: string) => provinceName(code),
    },
    { title: t('activityCert.issuedOn'), dataIndex: 'issuedOn' },
    ...(me.scope.kind === 'unit'
      ? []
      : [
          {
            title: t('activityCert.unit'),
            dataIndex: 'unitName',
            responsive: ['lg'],
          } satisfies TableColumnsType<ExternalCertificate>[number],
        ]),
    {
      title: t('activityCert.source'),
      dataIndex: 'source',
      render: (source: ExternalCertificate['source']) => <Tag>{sourceText(source, t)}</Tag>,
    },
    {
      title: t('activityCert.status'),
      dataIndex: 'status',
      render: (status: ExternalCertificate['status']) => (
        <Tag color={status === 'active' ? 'green' : 'default'}>
          {t(`activityCert.status.${status}`)}
        </Tag>
      ),
    },
    ...(mayReport
      ? [
          {
            title: t('activityCert.actions'),
            key: 'actions',
            render: (_: unknown, c: ExternalCertificate) =>
              c.status === 'active' ? (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => actions.correct(c)}>
                    {t('activityCert.correct')}
                  </Button>
                  <Button type="link" size="small" danger onClick={() => actions.withdraw(c)}>
                    {t('activityCert.withdraw')}
                  </Button>
                </Space>
              ) : null,
          } satisfies TableColumnsType<ExternalCertificate>[number],
        ]
      : []),
  ];
}

/**
 * 外部证书: certificates issued elsewhere that the units recorded, filtered by kind, month and
 * whether they duplicate one of ours (those count once); officers record, correct and withdraw.
 */
export function ExternalCertificatesTab() {
  const t = useT();
  const me = useAccount();
  const [params, setParams] = useSearchParams();
  const page = readPositiveInt(params, P.page, 1);
  const pageSize = Math.min(readPositiveInt(params, P.pageSize, DEFAULT_PAGE_SIZE), 100);
  const kind = readKind(params.get(P.kind));
  const rawPeriod = params.get(P.period) ?? '';
  const period = PERIOD.test(rawPeriod) ? rawPeriod : undefined;
  const rawDuplicate = params.get(P.duplicate);
  const duplicate = rawDuplicate === 'true' ? true : rawDuplicate === 'false' ? false : undefined;
  const query: ExternalCertificateQuery = { page, pageSize, kind, period, duplicate };
  const { data, error, isFetching, refetch } = useExternalCertificates(query);
  const [recording, setRecording] = useState(false);
  const [correcting, setCorrecting] = useState<ExternalCertificate>();
  const [withdrawing, setWithdrawing] = useState<ExternalCertificate>();
  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));
  const filter = (changes: Record<string, string | undefined>) =>
    update({ ...changes, [P.page]: undefined });
  const mayReport = can(me, 'activity.report');

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('activityCert.lead')} />
      <Flex justify="space-between" wrap gap={8}>
        <Space wrap>
          <Select<ExternalCertificateKind>
            aria-label={t('activityCert.kind')}
            allowClear
            placeholder={t('activityCert.filter.kind')}
            style={{ minWidth: 180 }}
            value={kind}
            onChange={(value) => filter({ [P.kind]: value })}
            options={EXTERNAL_CERTIFICATE_KINDS.map((k) => ({ value: k, label: kindText(k, t) }))}
          />
          <DatePicker
            aria-label={t('activityCert.filter.period')}
            picker="month"
            placeholder={t('activityCert.filter.period')}
            value={period ? dayjs(`${period}-01`) : null}
            onChange={(value) =>
              filter({ [P.period]: value ? value.format('YYYY-MM') : undefined })
            }
          />
          <Select<'true' | 'false'>
            aria-label={t('activityCert.filter.duplicate')}
            allowClear
            placeholder={t('activityCert.filter.duplicate')}
            style={{ minWidth: 200 }}
            value={rawDuplicate === 'true' || rawDuplicate === 'false' ? rawDuplicate : undefined}
            onChange={(value) => filter({ [P.duplicate]: value })}
            options={[
              { value: 'true', label: t('activityCert.filter.duplicate.true') },
              { value: 'false', label: t('activityCert.filter.duplicate.false') },
            ]}
          />
        </Space>
        {mayReport ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)}>
            {t('activityCert.record')}
          </Button>
        ) : null}
      </Flex>
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Table<ExternalCertificate>
        rowKey="id"
        size="middle"
        columns={columns(me, t, { correct: setCorrecting, withdraw: setWithdrawing })}
        dataSource={data?.items ?? []}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('activityCert.empty') }}
        pagination={listPagination({
          page,
          pageSize,
          total: data?.total,
          update: (changes) => update({ [P.page]: changes.page, [P.pageSize]: changes.pageSize }),
          t,
        })}
      />
      {mayReport ? (
        <>
          <CertificateModal me={me} open={recording} onClose={() => setRecording(false)} />
          {correcting ? (
            <CertificateModal
              key={correcting.id}
              me={me}
              open
              record={correcting}
              onClose={() => setCorrecting(undefined)}
            />
          ) : null}
          <WithdrawModal record={withdrawing} onClose={() => setWithdrawing(undefined)} />
        </>
      ) : null}
    </Space>
  );
}
