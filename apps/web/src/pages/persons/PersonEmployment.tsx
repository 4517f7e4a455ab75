import { Card, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import {
  usePersonEmployment,
  type EmploymentRegistration,
  type InsuredRun,
} from '../../api/employment';
import { useClaims, type Claim } from '../../api/evaluations';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format';
import { useT, type Translate } from '../../i18n';
import { CLAIM_STATUS_COLORS } from '../claims/claimCatalog';
import { yuan } from '../vouchers/voucherCatalog';

function employerCell(name: string | null, uscc: string, t: Translate) {
  return (
    <Space orientation="vertical" size={0}>
      <span>{name ?? t('employment.employer.unregistered')}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
        {uscc}
      </Typography.Text>
    </Space>
  );
}

/**
 * 就业与社保: the person's employment registrations and, per employer, the insured months as runs
 * of consecutive months — the evidence a hiring or placement subsidy rests on.
 */
export function PersonEmployment({ personId }: { personId: string }) {
  const t = useT();
  const { data, error, isFetching, refetch } = usePersonEmployment(personId);
  const registrationColumns: TableColumnsType<EmploymentRegistration> = [
    {
      title: t('employment.employer'),
      key: 'employer',
      render: (_, r) => employerCell(r.organisationName, r.employerUscc, t),
    },
    { title: t('employment.hiredOn'), dataIndex: 'hiredOn' },
    {
      title: t('employment.endedOn'),
      dataIndex: 'endedOn',
      render: (value: string | null) => value ?? t('employment.endedOn.open'),
    },
    {
      title: t('employment.source'),
      dataIndex: 'source',
      responsive: ['sm'],
      render: (value: EmploymentRegistration['source']) => t(`employment.source.${value}`),
    },
  ];
  const runColumns: TableColumnsType<InsuredRun> = [
    {
      title: t('employment.employer'),
      key: 'employer',
      render: (_, r) => employerCell(r.organisationName, r.employerUscc, t),
    },
    {
      title: t('employment.months.range'),
      key: 'range',
      render: (_, r) => t('employment.months.between', { from: r.from, to: r.to }),
    },
    {
      title: t('employment.months'),
      dataIndex: 'months',
      align: 'right',
      render: (count: number) => t('employment.months.count', { count }),
    },
    {
      title: t('employment.wageBase'),
      dataIndex: 'latestWageBaseFen',
      align: 'right',
      responsive: ['sm'],
      render: (fen: number) => yuan(fen),
    },
  ];
  return (
    <Card title={t('employment.title')} size="small">
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('employment.registrations')}
      </Typography.Title>
      <Table<EmploymentRegistration>
        rowKey="id"
        size="small"
        columns={registrationColumns}
        dataSource={data?.registrations ?? []}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('employment.registrations.empty') }}
        pagination={false}
      />
      <Typography.Title level={5}>{t('employment.contributions')}</Typography.Title>
      <Table<InsuredRun>
        rowKey={(r) => `${r.employerUscc}:${r.from}`}
        size="small"
        columns={runColumns}
        dataSource={data?.contributions ?? []}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('employment.contributions.empty') }}
        pagination={false}
      />
    </Card>
  );
}

const HISTORY_PAGE_SIZE = 100;

function claimDates(claim: Claim, t: Translate): string[] {
  const day = (iso: string) => formatDateTime(iso).slice(0, 10);
  return [
    t('subsidyHistory.createdOn', { date: day(claim.createdAt) }),
    ...(claim.approvedAt ? [t('subsidyHistory.approvedOn', { date: day(claim.approvedAt) })] : []),
    ...(claim.rejectedAt ? [t('subsidyHistory.rejectedOn', { date: day(claim.rejectedAt) })] : []),
    ...(claim.paidAt ? [t('subsidyHistory.paidOn', { date: day(claim.paidAt) })] : []),
  ];
}

/** 补贴记录: every subsidy claim made for the person, in whatever state, with its dates. */
export function PersonSubsidies({ personId }: { personId: string }) {
  const t = useT();
  const { data, error, isFetching, refetch } = useClaims({
    personId,
    page: 1,
    pageSize: HISTORY_PAGE_SIZE,
  });
  const columns: TableColumnsType<Claim> = [
    {
      title: t('claim.number'),
      dataIndex: 'number',
      render: (value: string) => <span style={{ fontFamily: 'monospace' }}>{value}</span>,
    },
    {
      title: t('claim.kind'),
      dataIndex: 'kind',
      render: (kind: Claim['kind']) => t(`claim.kind.${kind}`),
    },
    { title: t('claim.payee'), dataIndex: 'payeeName' },
    {
      title: t('claim.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (fen: number) => yuan(fen),
    },
    {
      title: t('claim.status'),
      key: 'status',
      render: (_, claim) => (
        <Space orientation="vertical" size={0}>
          <Tag color={CLAIM_STATUS_COLORS[claim.status]}>{t(`claim.status.${claim.status}`)}</Tag>
          {claim.rejectionReason ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {claim.rejectionReason}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('subsidyHistory.dates'),
      key: 'dates',
      responsive: ['sm'],
      render: (_, claim) => (
        <Space orientation="vertical" size={0}>
          {claimDates(claim, t).map((line) => (
            <span key={line} style={{ whiteSpace: 'nowrap' }}>
              {line}
            </span>
          ))}
        </Space>
      ),
    },
  ];
  return (
    <Card title={t('subsidyHistory.title')} size="small">
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Table<Claim>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('subsidyHistory.empty') }}
        pagination={false}
      />
    </Card>
  );
}
